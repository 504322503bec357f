"""The whole site as plain values, for any engine: every page with its final HTML body, title,
metadata, breadcrumbs and section; the navigation; every file to copy or write.

An engine only lays these out and writes them (`engines/native.py`); nothing here knows one.
The pages' Markdown is converted as MkDocs converts it (the same Python-Markdown extensions and
settings, read from `mkdocs.yml`, the same heading ids, the same rewriting of links to `.md`
files with directory URLs), so either engine writes the same page bodies.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import posixpath
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import markdown
import yaml
from markdown.treeprocessors import Treeprocessor

from ..cache import CONVERTED_PAGES, cache_dir
from ..diagnostics import has_errors
from ..diagnostics.output import format_diagnostics
from ..model import DOCS_DIR
from ..project import Project
from ..validate.files import check_docs_files
from .images import clean_copy
from .kept import _PageStore
from .pages import PACKAGE_ROOT, Rendered, page_dir_url, page_link

CONFIG_FILE = "mkdocs.yml"  # the site's navigation, Markdown settings, style sheets and scripts
# MkDocs always adds these before the configured extensions (its `MarkdownExtensions` builtins).
BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
# Folders whose pages belong to another section's tab (the directory's ways in).
SECTION_OF = {"categories": "brands", "districts": "brands", "programs": "brands",
              "regions": "brands"}


class SiteProblem(Exception):
    """The site cannot be made as configured (mkdocs.yml, docs/): the editor's to fix."""


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str  # from the site's root: "" for the home page, "brands/" …


@dataclass(frozen=True)
class SitePage:
    uri: str  # the page's source name: "brands/x/index.md"
    url: str  # its address from the site's root, percent-encoded as MkDocs writes it: "brands/x/"
    title: str  # text (not HTML): the page's own title, else its tab's, else its first heading
    meta: dict  # the page's metadata, strings as text (JSON-LD a mapping)
    body_html: str  # the page's final HTML
    section: str  # the first folder of its address, or the tab it belongs to ("" for home)
    breadcrumbs: tuple[tuple[str, str], ...]  # (title, url) from the home page to its section

    @functools.cached_property  # (not a field: not compared, hashed or shown)
    def dest(self) -> str:
        """The file the page is written to (asked for several times per page by an engine)."""
        return page_dir_url(self.uri) + "index.html"


@dataclass
class SiteConfig:
    """The engine-neutral part of mkdocs.yml (with the file it INHERITs)."""

    root: Path
    nav: list[NavItem]
    docs_dir: Path
    extensions: list[str]
    extension_configs: dict
    css: list[str]
    scripts: list[str]


@dataclass
class Site:
    """Everything an engine writes. Some assets (encoded images) are still being written when
    `site_values` returns: call `finish()` before copying them."""

    name: str  # text
    description: str  # text
    url: str | None  # the public address with its trailing slash, when settings give one
    nav: list[NavItem]  # the tabs shown (sections with nothing in them left out)
    pages: list[SitePage]
    assets: dict[str, Path]  # site path → file to copy
    files: dict[str, bytes]  # site path → bytes to write
    theme: dict  # the showcase theme's values (render/theme.py)
    css: list[str] = field(default_factory=list)  # style sheets, from the site's root
    scripts: list[str] = field(default_factory=list)  # scripts at the end of every page
    sequence: list[str] = field(default_factory=list)  # every tab's page, in order (prev/next)
    rendered: Rendered | None = None

    def finish(self) -> None:
        if self.rendered is not None:
            self.rendered.finish()


# -- mkdocs.yml, read as data ----------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """Plain YAML; MkDocs' own tags (!ENV, !relative, python names) read as nothing."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _merge(parent: dict, child: dict) -> dict:
    """MkDocs' INHERIT: mappings merged key by key, anything else replaced by the child's."""
    out = dict(parent)
    for k, v in child.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read_yaml(path: Path, seen: tuple[Path, ...] = ()) -> dict:
    if path in seen:
        raise SiteProblem(f"{path} 的 INHERIT 循环引用了自己")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError) as e:
        raise SiteProblem(f"无法读取 {path}：{e}") from e
    if not isinstance(data, dict):
        raise SiteProblem(f"{path} 应是键值对的列表")
    parent = data.pop("INHERIT", None)
    if parent:
        return _merge(_read_yaml((path.parent / parent).resolve(), seen + (path,)), data)
    return data


def read_site_config(root: Path) -> SiteConfig:
    """The navigation, docs folder, Markdown settings, style sheets and scripts of mkdocs.yml."""
    path = root / CONFIG_FILE
    own = path.is_file()
    if not own:  # a project without its own (site-builder init's): the package's default
        path = PACKAGE_ROOT / CONFIG_FILE
    data = _read_yaml(path.resolve())
    nav = []
    for entry in data.get("nav") or []:
        if isinstance(entry, dict) and len(entry) == 1:
            (title, target), = entry.items()
            if isinstance(target, str) and not urlsplit(target).scheme:
                nav.append(NavItem(str(title), page_dir_url(target)))
                continue
        raise SiteProblem(f"{CONFIG_FILE} 的 nav 中的“{entry}”不是“标题: 页面.md”")
    names: list[str] = list(BUILTIN_EXTENSIONS)
    configs: dict = {}
    for ext in data.get("markdown_extensions") or []:
        name, conf = (next(iter(ext.items())) if isinstance(ext, dict) else (ext, None))
        if name not in names:
            names.append(name)
        if conf:
            configs[name] = conf
    docs_dir = ((path.parent / data.get("docs_dir", DOCS_DIR)) if own else root / DOCS_DIR).resolve()
    return SiteConfig(root, nav, docs_dir, names, configs,
                      [str(c) for c in data.get("extra_css") or []],
                      [str(s) for s in data.get("extra_javascript") or []])


def config_paths(root: Path, site_dir: Path) -> dict[str, str]:
    """The mkdocs.yml MkDocs reads and the paths it is told, for the project at `root`: its own
    mkdocs.yml, else the package's (with the package's theme folder). A docs folder that does
    not exist (a project with no hand-written files) is the package's: MkDocs requires one, and
    the core publishes the docs files itself."""
    own = root / CONFIG_FILE
    docs = read_site_config(root).docs_dir
    paths = {"config_file": str(own if own.is_file() else PACKAGE_ROOT / CONFIG_FILE),
             "site_dir": str(site_dir)}
    if not docs.is_dir():
        paths["docs_dir"] = str(PACKAGE_ROOT / DOCS_DIR)
    return paths


# -- Markdown as MkDocs converts it ----------------------------------------------------------

_BLOCK_START = re.compile(
    r"<(div|table|ul|ol|dl|section|article|form|figure|p|h[1-6]|nav|aside|details|svg)\b")


def stash_html_blocks(markdown_text: str, token: str) -> tuple[str, list[str]]:
    """Take the generated HTML blocks out of a page before Markdown conversion.

    Python-Markdown re-parses every raw HTML block with a pure-Python HTML parser, which was
    most of the build time; the blocks are ours and already escaped, so they are set aside
    and put back after conversion (`restore_html_blocks`). A block starts at a line beginning
    with a block-level tag and ends on the line where that tag is closed again.
    """
    lines = markdown_text.split("\n")
    out: list[str] = []
    blocks: list[str] = []
    i = 0
    prev_blank = True
    while i < len(lines):
        line = lines[i]
        m = _BLOCK_START.match(line) if prev_blank else None
        if m is None:
            out.append(line)
            prev_blank = not line.strip()
            i += 1
            continue
        tag = m.group(1)
        opener = re.compile(rf"<{tag}\b")
        closer = f"</{tag}>"
        depth, j = 0, i
        while j < len(lines):
            depth += len(opener.findall(lines[j])) - lines[j].count(closer)
            j += 1
            if depth <= 0:
                break
        if depth > 0:  # unbalanced: leave it to Markdown
            out.append(line)
            prev_blank = False
            i += 1
            continue
        blocks.append("\n".join(lines[i:j]))
        out += [f"<!--{token}:{len(blocks) - 1}-->", ""]
        prev_blank = True
        i = j
    return "\n".join(out), blocks


def restore_html_blocks(html_text: str, token: str, blocks: list[str]) -> str:
    if not blocks:
        return html_text
    return re.sub(rf"<!--{token}:(\d+)-->", lambda m: blocks[int(m.group(1))], html_text)


# MkDocs' front matter: YAML between --- lines at the very start.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


# libyaml's loader, as MkDocs reads a page's meta when PyYAML has it (`mkdocs.utils.meta`), 20
# times faster than the pure-Python one; both build the values with the same resolver and
# constructor (SafeConstructor), so they give the same data wherever both read the text.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _load_meta(text: str):
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass  # what libyaml refuses (an escaped lone surrogate …): the pure loader decides
    return yaml.safe_load(text)


def split_front_matter(source: str) -> tuple[dict, str]:
    """(meta, Markdown) as MkDocs reads a page (`mkdocs.utils.meta.get_data`)."""
    m = _FRONT_MATTER.match(source)
    if m:
        try:
            data = _load_meta(m.group(1))
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            return data, source[m.end():].lstrip("\n")
    return {}, source


class _RelativeLinks(Treeprocessor):
    """Links and images written in Markdown, as MkDocs writes them with directory URLs: a link
    to another page's .md file becomes its folder, relative to this page's own address."""

    page_uri = "index.md"

    def run(self, root):
        for el in root.iter():
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is not None and el.tag in ("a", "img"):
                    el.set(attr, _mkdocs_link(self.page_uri, value))
        return root


def _mkdocs_link(page_uri: str, href: str) -> str:
    u = urlsplit(href)
    if u.scheme or u.netloc or not u.path or href.startswith(("/", "\\")) or "\x02" in href:
        return href  # another site, the site's root, this page's anchor, Markdown's e-mail
    if not posixpath.splitext(unquote(u.path))[1]:
        return href  # a folder: MkDocs leaves it as written
    return page_link(page_uri, href) if not u.query else href


class _FirstHeading(Treeprocessor):
    """The text of the page's first element when it is an h1 (MkDocs' title from the page; every
    page the core makes has a title of its own, so this is only the last resort)."""

    title: str | None = None

    def run(self, root):
        self.title = None
        for el in root:
            if el.tag == "h1":
                self.title = " ".join("".join(el.itertext()).split()) or None
            break
        return root


class Converter:
    """One Python-Markdown instance with MkDocs' settings, used page after page."""

    def __init__(self, config: SiteConfig) -> None:
        try:
            self.md = markdown.Markdown(extensions=config.extensions,
                                        extension_configs=config.extension_configs)
        except (ImportError, TypeError, ValueError, KeyError) as e:
            raise SiteProblem(f"{CONFIG_FILE} 的 markdown_extensions 无法使用：{e}") from e
        self.links = _RelativeLinks(self.md)
        self.md.treeprocessors.register(self.links, "site_builder_relpath", 0)
        self.heading = _FirstHeading(self.md)
        self.md.treeprocessors.register(self.heading, "site_builder_title", 1)
        self.token = "lb-" + secrets.token_hex(8)  # not guessable by record content

    def convert(self, uri: str, text: str) -> tuple[str, str | None]:
        """(HTML, the first heading's text) of a page's Markdown."""
        stashed, blocks = stash_html_blocks(text, self.token)
        self.md.reset()
        self.links.page_uri = uri
        body = self.md.convert(stashed)
        return restore_html_blocks(body, self.token, blocks), self.heading.title


# -- the site's values -----------------------------------------------------------------------

def _text(value):
    """A meta value as text: the core escaped every string once for MkDocs' templates
    (`pages.head_text`)."""
    if isinstance(value, str):
        return html.unescape(value)
    return value


def section_of(url: str) -> str:
    first = url.split("/")[0] if "/" in url else ""
    return SECTION_OF.get(first, first)


def _fallback_title(uri: str) -> str:
    """MkDocs' title of a page with none: its file or folder name, words capitalised."""
    stem = posixpath.splitext(posixpath.basename(uri))[0]
    if stem in ("index", "README"):
        stem = posixpath.basename(posixpath.dirname(uri)) or "Home"
    return stem.replace("-", " ").replace("_", " ").capitalize() if stem != "Home" else stem


# Python-Markdown's own extensions: what they make of a page depends on its text alone (no
# file read, no other page), so a live preview may keep a page's conversion between runs.
_PURE_EXTENSIONS = {"abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes",
                    "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists",
                    "smarty", "tables", "toc", "wikilinks"}


def _kept_conversions(config: SiteConfig) -> str | None:
    """The key of the kept conversions under these settings, or None when an extension may
    read more than the page (then every page is converted every time)."""
    names = [n.removeprefix("markdown.extensions.") for n in config.extensions]
    if not all(isinstance(n, str) and n in _PURE_EXTENSIONS for n in names):
        return None
    return repr((config.extensions, sorted(config.extension_configs.items(), key=repr)))


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


class KeptConversions:
    """The pages' Markdown as HTML, kept between builds in the cache folder: one sealed entry
    per project (`cache.CONVERTED_PAGES`, render/kept.py's store: named by the project's folder
    and, as every kept value, this program's version), holding each page's (HTML, first
    heading) under the digest of the Markdown settings (`_kept_conversions`) and its Markdown.
    Read once, in one piece; written again, with this run's pages only, when a page was
    converted anew or is no longer made. An entry whose seal fails is a miss for every page."""

    def __init__(self, root, settings: str) -> None:
        self._store = _PageStore(CONVERTED_PAGES, root)
        self._settings = _encoded(settings) + b"\0"

    def _key(self, text: str) -> str:
        return hashlib.sha256(self._settings + _encoded(text)).hexdigest()

    def get(self, uri: str, text: str) -> tuple[str, str | None] | None:
        """(HTML, first heading) of the page at `uri` as an earlier run converted `text`."""
        kept = self._store.get(uri)
        if kept is None or kept[0] != self._key(text):
            return None
        try:
            body, heading = json.loads(kept[1].decode("utf-8", "surrogatepass"))
        except (ValueError, TypeError):  # (UnicodeDecodeError too)
            return None
        if not isinstance(body, str) or heading is not None and not isinstance(heading, str):
            return None
        return body, heading

    def put(self, uri: str, text: str, converted: tuple[str, str | None]) -> None:
        value = json.dumps(list(converted), ensure_ascii=False)
        self._store.put(uri, self._key(text), value.encode("utf-8", "surrogatepass"))

    def flush(self) -> None:
        """Keep this run's conversions for the next (when they changed)."""
        self._store.flush()


def site_pages(rendered: Rendered, config: SiteConfig, memo: dict | None = None
               ) -> list[SitePage]:
    """Every rendered page (generated and hand-written) as a SitePage, converted like MkDocs.
    `memo` (a live preview's, kept between runs): a page whose text is the same as last time
    is not converted again. Under Markdown settings that read nothing but the page, a page
    converted by an earlier build is taken from the cache folder (`KeptConversions`: by a
    build, and by a preview's first run; its later runs keep theirs in `memo`)."""
    converter = None
    pure = _kept_conversions(config)
    key = pure if memo is not None else None
    kept = memo.get(key, {}) if key is not None else {}
    store = KeptConversions(config.root, pure) if pure is not None and not kept else None
    now: dict[str, tuple] = {}
    tabs = {item.url: item.title for item in config.nav}
    home = tabs.get("", "首页")
    # the same navigation as last time: a page of the same text is the same SitePage, which
    # the engine then tells unchanged at once (`native.lay_out`)
    same_nav = key is not None and memo.get((key, "nav")) == tabs
    out = []
    for uri in rendered.pages:  # the order they were made in (MkDocs' sitemap keeps it)
        source = rendered.pages[uri]
        last = kept.get(uri)
        if last is not None and (last[0] is source or last[0] == source):
            if same_nav and len(last) > 2:
                now[uri] = last
                out.append(last[2])
                continue
            meta, body, heading = last[1]
        else:
            meta, text = split_front_matter(source)
            meta = {k: _text(v) for k, v in meta.items()}
            converted = store.get(uri, text) if store is not None else None
            if converted is None:
                converter = converter or Converter(config)
                converted = converter.convert(uri, text)
                if store is not None:
                    store.put(uri, text, converted)
            body, heading = converted
        url = quote(page_dir_url(uri))
        title = meta.get("title") or tabs.get(url) or heading or _fallback_title(uri)
        section = section_of(url)
        crumbs = [(home, "")] if url else []
        if f"{section}/" in tabs and f"{section}/" != url:
            crumbs.append((tabs[f"{section}/"], f"{section}/"))
        out.append(SitePage(uri, url, str(title), meta, body, section, tuple(crumbs)))
        if key is not None:
            now[uri] = (source, (meta, body, heading), out[-1])
    if store is not None:
        store.flush()
    if key is not None:  # only this run's pages, under these settings, are kept
        memo.clear()
        memo[key] = now
        memo[(key, "nav")] = tabs
    return out


def default_assets() -> dict[str, Path]:
    """The package's own docs files (the theme's style sheets and scripts), by site path: the
    defaults a project's docs folder overrides file by file. Written by us, not checked."""
    top = PACKAGE_ROOT / DOCS_DIR
    return {p.relative_to(top).as_posix(): p for p in sorted(top.rglob("*"))
            if p.is_file() and p.suffix != ".md" and "__pycache__" not in p.parts}


def docs_assets(project: Project, config: SiteConfig, encoder) -> dict[str, Path]:
    """The files of the docs folder beside its pages that passed their checks
    (validate/files.py), by site path; images encoded again without their metadata."""
    docs_dir = config.docs_dir
    if docs_dir.resolve() == (project.root / DOCS_DIR).resolve():
        accepted = project.files
    else:  # the demo's and the province's mkdocs.yml name the repository's docs/
        try:
            rel = docs_dir.relative_to(project.root.resolve()).as_posix()
        except ValueError:
            rel = Path(docs_dir).as_posix()
        checked = check_docs_files(project.root, rel)
        if has_errors(checked.diagnostics):
            raise SiteProblem("docs_dir 中有不能发布的文件，未生成站点：\n"
                              + format_diagnostics(checked.diagnostics))
        accepted = checked.accepted
    out: dict[str, Path] = default_assets()
    for uri in sorted(accepted):
        if uri.endswith(".md") or any(part.startswith(".") for part in uri.split("/")):
            continue  # pages are rendered by the core; MkDocs leaves out hidden files
        src = docs_dir / uri
        if not src.is_file():
            continue
        out[uri] = clean_copy(src, cache_dir(), encoder) \
            if src.suffix.lower() in IMAGE_SUFFIXES else src
    return out


def site_values(project: Project, rendered: Rendered, config: SiteConfig | None = None,
                memo: dict | None = None) -> Site:
    """The whole site as values: what `render_site` made, converted, with the docs folder's
    files and the navigation, style sheets and scripts of mkdocs.yml. `memo`: a live
    preview's, kept between runs (`site_pages`)."""
    config = config or read_site_config(project.root)
    settings = project.settings
    url = settings.site_url
    if url and not url.endswith("/"):
        url += "/"
    assets: dict[str, Path] = {}
    for uri, src in docs_assets(project, config, rendered.encoder).items():
        assets[uri] = src
    for uri in rendered.pages:
        if uri in assets:
            raise SiteProblem(f"docs/{uri} 与自动生成的页面同名；提示：改名或删去 docs/{uri}。")
    assets.update(rendered.assets)
    hidden = set(rendered.theme.get("hidden_sections", []))
    nav = [item for item in config.nav if item.url.split("/")[0] not in hidden]
    return Site(name=" ".join(str(settings.title).split()),
                description=" ".join(str(settings.description).split()), url=url or None,
                nav=nav, pages=site_pages(rendered, config, memo), assets=assets,
                files=dict(rendered.files), theme=dict(rendered.theme), css=config.css,
                scripts=config.scripts, sequence=[item.url for item in config.nav],
                rendered=rendered)


def render_values(project, memo: dict | None = None) -> Site:
    """The render stage: the project's whole site as values (`render_site`, then `site_values`).
    `memo` is the live preview's, kept between runs (`render_site`'s pages, `site_values`'
    conversions). Raises the core's expected failures (PageClash, SiteProblem). A build (no
    memo) renders with the pages kept in the cache folder by the last one (render/kept.py)."""
    from .kept import RenderMemo
    from .pages import render_site

    if memo is None:
        kept = RenderMemo(project.root)
        rendered = render_site(project, kept)
        kept.flush()
        return site_values(project, rendered)
    return site_values(project, render_site(project, memo.setdefault("render", {})),
                       memo=memo.setdefault("convert", {}))
