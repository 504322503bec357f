"""Rendering: turn a validated project into Markdown pages and files for any static engine."""

from __future__ import annotations

import bisect
import functools
import html
import json
import os
import posixpath
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from types import FunctionType
from urllib.parse import quote, unquote, urlsplit

import jinja2
from jinja2 import meta as jinja_meta
from jinja2 import nodes as jinja_nodes
from markupsafe import Markup

from ..cache import cache_dir
from ..model import BRANDS_DIR, BY_ROUNDS, Brand, Page
from ..project import Project
from ..schema.brand import focus_centering, focus_position, person_is_public
from ..schema.fields import UNKNOWN_DATE
from ..text import fmt_decimal
from ..validate.story import heading_text, page_html, story_html, story_images, url_scheme
from . import opendata, stats
from .art import art_files, art_path
from .changes import content_hash
from .images import Encoder, Outputs, Picture, clean_copy, make_variants
from .news import (
    ICS_FILE,
    NEWS_URL,
    events_ics,
    items_by_link,
    news_pictures,
    news_story,
    news_url,
    public_news,
    public_people,
    split_news,
    when_text,
)
from .poster import FILE_NAME as POSTER_FILE
from .poster import NO_SITE_URL, PosterText, share_poster
from .progress import progress_report
from .rounds import brand_honours, public_rounds, render_rounds, round_url
from .share_image import SIZE as SHARE_SIZE
from .share_image import share_image
from .theme import theme_files
from .venue_map import MapVenue, located, map_svg
from .videos import VideoView, brand_videos, plan_video

TEMPLATES_DIR = "templates/pages"
# A person's photo cropped into the poster's wide picture: its upper part, where the face is.
PORTRAIT_CENTERING = (0.5, 0.25)
# The installed package's folder (site_builder/): its templates/, docs/ and mkdocs.yml are the
# defaults; a project's own templates/ and docs/ override them file by file.
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
_PACKAGE_NAME = __name__.split(".")[0] + "."

# Python-Markdown's escapable characters, plus `|` which the tables extension adds.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")

# Taxonomies: (record field, settings vocabulary, URL folder, Chinese name; {area} is the
# settings' word for an area)
TAXONOMIES = [
    ("category", "categories", "categories", "品牌类型"),
    ("districts", "districts", "districts", "所在{area}"),
    ("programs", "programs", "programs", "所属工程"),
    ("cooperation_regions", "cooperation_regions", "regions", "协作地区"),
]


def taxonomies(settings) -> list[tuple[str, str, str, str]]:
    """The taxonomies with the region's words, those whose vocabulary is empty left out."""
    return [(k, v, f, label.replace("{area}", settings.area_label))
            for k, v, f, label in TAXONOMIES if settings.vocab[v]]


def joined(items: list[str]) -> str:
    """甲、乙和丙"""
    items = list(items)
    return items[0] if len(items) == 1 else "、".join(items[:-1]) + "和" + items[-1] if items else ""


# Listing pages repeat what brand pages say; leaving them out of the search index keeps results
# pointing at the brand itself (a person, venue or district search lands on the brand page).
NOINDEX = {"search": "exclude"}


def md_escape(text: str) -> str:
    """Escape text for an inline Markdown context so it renders exactly as written."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def head_text(text: str) -> str:
    """A string for page meta (every one: title, description, og_*): Material prints title and
    description unescaped, so each is escaped once here; the showcase theme reads them back as
    text (`| striptags`) and escapes them itself."""
    return html.escape(" ".join(str(text).split()), quote=True)


def web_address(value: object) -> str:
    """An address from settings or a record, for an href: only an http(s) address (as a browser
    reads it: entities, spaces and case aside); anything else (javascript:, data:, a relative
    path) becomes an empty href. The schemas refuse such values already; this holds the line
    for any template that prints one."""
    text = str(value or "")
    return text if url_scheme(text) in ("http", "https") else ""


class PageClash(Exception):
    """A hand-written page would take the place of a generated one: the editor's to fix."""


@dataclass
class Rendered:
    """What a build writes: Markdown pages, copied assets and generated files, by site path.
    Some assets (encoded images) are still being written when `render_site` returns: call
    `finish()` before copying them."""

    pages: dict[str, str]
    # a second file for a path already taken (an editor's image named like a variant) is a
    # PageClash naming both (images.Outputs)
    assets: dict[str, Path] = field(default_factory=lambda: Outputs(PageClash))
    files: dict[str, bytes] = field(default_factory=dict)
    theme: dict = field(default_factory=dict)  # values the theme's templates read (render/theme.py)
    notices: list[str] = field(default_factory=list)  # told once to whoever builds (cli.py)
    encoder: Encoder = field(default_factory=Encoder)

    def finish(self) -> None:
        """Wait until every asset is written; raises what an image job raised."""
        self.encoder.finish()


def brand_url(brand: Brand) -> str:
    return f"{BRANDS_DIR}/{brand.slug}/"


def tax_url(folder: str, value: str) -> str:
    return f"{folder}/{quote(value, safe='')}/"


def page_source(meta: dict, body: str) -> str:
    """A Markdown page with front matter; meta values are written as JSON (strings, or the
    JSON-LD mapping), valid YAML that MkDocs reads."""
    head = "".join(f"{k}: {json.dumps(v, ensure_ascii=True)}\n" for k, v in meta.items())
    return f"---\n{head}---\n\n{body}"


def make_env(root: Path) -> jinja2.Environment:
    """The page templates' environment, one per project folder: a live preview renders with
    the same one each time, and Jinja compiles again only a template whose file changed."""
    dirs = tuple(str(p) for p in (root / TEMPLATES_DIR, PACKAGE_ROOT / TEMPLATES_DIR) if p.is_dir())
    return _env(dirs)


@functools.lru_cache(maxsize=16)
def _env(dirs: tuple[str, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(dirs)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.ChainableUndefined,
    )
    env.filters["md"] = lambda s: Markup(md_escape(s))
    env.filters["num"] = fmt_decimal
    env.filters["head"] = head_text
    env.filters["quote"] = lambda s: quote(str(s), safe="")
    env.filters["web"] = web_address
    env.filters["nw"] = no_break
    return env


def no_break(value: object) -> Markup:
    """A number, date or telephone number that a line never breaks inside."""
    return Markup('<span class="lb-nw">%s</span>') % str(value)


def related_index(brands: list[Brand]) -> dict[str, list[Brand]]:
    """Brands (sorted by slug) by category, by program and by category and program together."""
    index: dict[str, list[Brand]] = {}
    for b in sorted(brands, key=lambda b: b.slug):
        cat = b.data["category"]
        index.setdefault("c:" + cat, []).append(b)
        for prog in b.get("programs", []):
            index.setdefault("p:" + prog, []).append(b)
            index.setdefault(f"cp:{cat}:{prog}", []).append(b)
    return index


def related_brands(brand: Brand, index: dict[str, list[Brand]], limit: int = 6) -> list[Brand]:
    """Up to `limit` brands of the same category sharing a program, then of the same category,
    then sharing a program. Within each list the brands that follow this one by slug come first
    (wrapping around), so neighbours differ from page to page and each page costs O(limit)."""
    cat, progs = brand.data["category"], brand.get("programs", [])
    tiers = [[f"cp:{cat}:{p}" for p in progs], [f"c:{cat}"], [f"p:{p}" for p in progs]]
    chosen: dict[str, Brand] = {}
    for keys in tiers:
        lists = [(lst, bisect.bisect_left(lst, brand.slug, key=lambda b: b.slug))
                 for lst in (index.get(k, []) for k in keys)]
        for step in range(min(max((len(lst) for lst, _ in lists), default=0), limit + 2)):
            for lst, pos in lists:
                if step < len(lst):
                    b = lst[(pos + 1 + step) % len(lst)]
                    if b.slug != brand.slug and b.slug not in chosen:
                        chosen[b.slug] = b
                        if len(chosen) == limit:
                            return list(chosen.values())
    return list(chosen.values())


# Long listings stay small as the site grows: a group shows its first PREVIEW items and links to
# its own pages of LISTING_PAGE items; the directory lists every brand (and filters them in the
# browser) up to DIRECTORY_MAX, above which it shows each category's first PREVIEW brands.
LISTING_PAGE = 48
PREVIEW = 12
DIRECTORY_MAX = 240


@dataclass(frozen=True)
class Pager:
    """Page `number` of `count` of a listing whose first page is at `folder`/, the others at
    `folder`/N/ (addresses from the site's root)."""

    folder: str
    number: int
    count: int

    def url(self, n: int) -> str:
        return f"{self.folder}/" if n == 1 else f"{self.folder}/{n}/"

    def window(self) -> list[int | None]:
        """The page numbers a pager shows: the first, the last and two either side of this one;
        None where numbers are left out."""
        shown = sorted({1, self.count} | set(range(max(1, self.number - 2),
                                                   min(self.count, self.number + 2) + 1)))
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


def in_pages(items: list, size: int = LISTING_PAGE) -> list[list]:
    """`items` in pages of `size` (one empty page for no items)."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def featured_brands(brands: list[Brand], levels: list[str], limit: int = 6) -> list[Brand]:
    """Brands of the highest levels first, then the most recently reviewed."""
    rank = {lv: i for i, lv in enumerate(levels)}
    ordered = sorted(brands, key=lambda b: (b.data["updated"], b.slug), reverse=True)
    ordered.sort(key=lambda b: rank.get(b.get("level"), len(levels)))
    return ordered[:limit]


# What a page that reads only the values it is given may also read from the shared context;
# such a page is rendered again in a live preview only when those values changed.
# `person_page`, `news_url` and `when` answer from the person or item they are given alone (a
# person's address is their brand's and their own id, `public_people`).
_SHARED_SAFE = {"settings", "site", "region", "vocab", "words", "taxonomies", "brand_url", "tax_url",
                "pic", "video_view", "map_url", "date_of", "quantity", "search_terms", "initial", "base", "art_url",
                "person_page", "news_url", "when", "news_pic",
                "page_uri", "range", "loop", "dict", "lipsum", "cycler", "joiner", "namespace"}


def template_trees(env: jinja2.Environment, template: str) -> list[jinja_nodes.Template] | None:
    """The parsed `template` and every template it imports, includes or extends, or None when
    one of them is named by a value (`{% include name %}`): any template may then be read."""
    seen, todo, trees = set(), [template], []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = env.parse(env.loader.get_source(env, name)[0])
        trees.append(tree)
        for t in jinja_meta.find_referenced_templates(tree):
            if t is None:
                return None
            todo.append(t)
    return trees


def _reads_only_given(env: jinja2.Environment, template: str, given: set[str]) -> bool:
    """Whether `template` and the templates it imports name no context value but `given` and
    the shared ones that every page may read."""
    trees = template_trees(env, template)
    return trees is not None and all(
        jinja_meta.find_undeclared_variables(tree) <= given | _SHARED_SAFE for tree in trees)


# What a template names to read more of a record than its summary (its fields): its story and
# where the story's lines are. A template that names none of these (nor any attribute beginning
# with "_", nor any string beginning with "__") renders the same from two records with the same fields, whatever their stories say.
_STORY_NAMES = frozenset({"body", "body_line", "lines", "fingerprint"})


def _reads_story(env: jinja2.Environment, template: str) -> bool | frozenset[str]:
    """Whether `template` or a template it imports may read a record's story (`_STORY_NAMES`
    as an attribute, a subscript, an `attr`/`map(attribute=…)` argument: any string): False,
    True, or the names of the values whose story alone it reads (`round.body` of a `round` the
    template never sets: the page reads a brand's story only if one of them is a brand)."""
    trees = template_trees(env, template)
    if trees is None:
        return True
    names = set()
    for tree in trees:
        bound = {n.name for n in tree.find_all(jinja_nodes.Name) if n.ctx != "load"}
        for node in tree.find_all((jinja_nodes.Getattr, jinja_nodes.Const)):
            if isinstance(node, jinja_nodes.Getattr):
                if node.attr.startswith("_"):
                    return True
                if node.attr in _STORY_NAMES:
                    if not isinstance(node.node, jinja_nodes.Name) or node.node.name in bound:
                        return True
                    names.add(node.node.name)
            elif isinstance(node.value, str) and (node.value in _STORY_NAMES
                                                  or node.value.startswith("__")):
                return True
    return frozenset(names) if names else False


def _stable_repr(o) -> str:
    """`repr(o)`, but a function of this package (no closure: what it does is its code, which
    the cache's version covers) by its name, not by its address in this process: a key kept in
    the cache folder between builds must be the same in the next process (render/kept.py). Any
    other function (a closure reads values of its own; a library's code is not in that version)
    keeps its address: never the same twice, so never kept."""
    if (type(o) is FunctionType and o.__closure__ is None and "<" not in o.__qualname__
            and o.__module__.startswith(_PACKAGE_NAME)):
        return f"<function {o.__module__}.{o.__qualname__}>"
    return repr(o)


def _key_text(value, summary) -> str:
    """`value` (a page's values) as the text of its memo key, with every brand in it as
    `summary(brand)` (its slug and the digest of its fields). Lists, tuples, mappings, strings
    and numbers as JSON (the encoder's C code: at 1,000 brands a tenth of the time a walk in
    Python took); any other value as its type and repr (a brand inside one by its whole
    fingerprint, which is never wrong, only renders more); a mapping JSON cannot write (tuple
    keys) as the repr of the whole."""
    def other(o):
        if type(o) is Brand:
            return ["\x00Brand", *summary(o)]
        return ["\x00" + type(o).__qualname__, _stable_repr(o)]

    try:
        return json.dumps(value, default=other)
    except (TypeError, ValueError):
        return repr(value)


def render_site(project: Project, memo: dict | None = None) -> Rendered:
    """Render every page of the public site from the published records. `memo` (a live
    preview's, kept between renderings) lets a page that reads only its own inputs be reused
    when they are the same as last time."""
    env = make_env(project.root)
    settings = project.settings
    vocab = settings.vocab
    brands = sorted(project.published, key=lambda b: b.slug)
    site = settings["site"]
    out = Rendered({})
    site_url = (site.get("url") or "").rstrip("/")
    theme_bytes, theme_assets, out.theme = theme_files(project.root, settings)
    out.files.update(theme_bytes)
    out.assets.update(theme_assets)
    out.files.update(art_files(vocab["categories"]))
    art_index = {c: i for i, c in enumerate(vocab["categories"])}

    # The images are planned first (sizes from their headers) and encoded by the encoder's
    # threads while the pages are rendered; the engine waits for them (`Rendered.finish`).
    pictures: dict[tuple[str, str], Picture] = {}
    cache = cache_dir()
    encoder = out.encoder
    encoder.keep_files_of(project.root)  # the site's record of its cached images (ImageFiles)
    folder_of = os.path.join(project.root, BRANDS_DIR, "")  # paths as text: 2,000 images
    for b in brands:
        for img in brand_images(b):
            stem = img.rsplit(".", 1)[0]
            pic, files = make_variants(f"{folder_of}{b.slug}/{img}",
                                       f"{BRANDS_DIR}/{b.slug}/{stem}", cache, encoder)
            pictures[(b.slug, img)] = pic
            out.assets.update(files)
        for img in story_images(b.body):  # the story's own images, encoded again without metadata
            out.assets[f"{BRANDS_DIR}/{b.slug}/{img}"] = clean_copy(
                project.root / BRANDS_DIR / b.slug / img, cache, encoder)

    news_items = public_news(project.news)
    news_pics = news_pictures(project.root, news_items, cache, encoder, out.assets)

    def news_pic(item, image: dict, base: str) -> Markup:
        return news_pics[(item.slug, image["path"])].html(
            image["alt"], "(max-width: 700px) 50vw, 320px", "lb-gallery-img", base)
    # Videos: the clean MP4, its poster frame and captions (render/videos.py), by brand and path
    video_views: dict[tuple[str, str], VideoView] = {}
    for b in brands:
        for v in brand_videos(b):
            poster = pictures[(b.slug, v["poster"]["path"])] if "poster" in v else None
            view, files = plan_video(project.root / BRANDS_DIR / b.slug, v, f"{BRANDS_DIR}/{b.slug}",
                                     cache, encoder, poster)
            video_views[(b.slug, v["path"])] = view
            out.assets.update(files)

    def video_view(brand: Brand, video: dict) -> VideoView:
        return video_views[(brand.slug, video["path"])]

    def pic(brand: Brand, image: dict, base: str, css_class: str = "", sizes: str | None = None,
            eager: bool = False) -> Markup:
        p = pictures[(brand.slug, image["path"])]
        return p.html(image["alt"], sizes or "(max-width: 600px) 100vw, 600px", css_class,
                      base, eager, focus_position(image.get("focus")))

    progress = stats.target_progress(brands, settings.get("targets", []))
    taxa = taxonomies(settings)
    groups = {folder: stats.group_by(brands, key, vocab[v]) for key, v, folder, _ in TAXONOMIES}
    for b in brands:  # a brand of two categories is listed under both
        if b.get("secondary_category"):
            groups["categories"].setdefault(b.data["secondary_category"], []).append(b)
    area = settings.area_label
    words = {
        "area": area, "area_field": f"所在{area}",
        "policy_kind": settings["policy"]["kind"],
        "roles_text": settings.get("person_roles_text") or joined(vocab["person_roles"]),
        "venues_text": settings.get("venue_types_text") or joined(vocab["venue_types"]),
        "search_example": search_example(brands, groups["districts"]),
    }
    people = [(p, b) for b in brands for p in b.get("people", [])
              if person_is_public(p, b.get("sources", []))]
    person_pages = public_people(brands)
    page_of_person = {id(p): url for p, _, url in person_pages}
    news_by_brand, news_by_person = items_by_link(news_items)
    venues = [(v, b) for b in brands for v in b.get("venues", [])]
    common = {
        "settings": settings, "site": site, "region": settings["region"], "brands": brands,
        "vocab": vocab, "groups": groups, "taxonomies": taxa, "brand_url": brand_url,
        "words": words, "date_of": figure_date, "quantity": figure_text,
        "tax_url": tax_url, "pic": pic, "video_view": video_view, "stats": stats, "people": people,
        "venues": venues,
        "progress": progress,
        "progress_rows": [(f"{t['level']}·{k}", t[f]) for t in progress
                          for k, f in (("目标", "count"), ("已认定", "have"))],
        "group_people": group_people_by_role, "group_venues": group_venues,
        "search_terms": search_terms,
        "map_url": lambda v: map_link(settings.get("map_link", ""), v),
        "initial": lambda name: (name.split("·")[-1] or name)[:1], "build_date": project.build_date,
        "art_url": lambda category: art_path(art_index.get(category, 0)),
        "news_url": news_url, "when": when_text, "person_page": lambda p: page_of_person.get(id(p)),
        "news_pic": news_pic,
    }

    shared_key = ""
    if memo is not None:  # everything a self-contained page may read besides its own values
        # each template by its name and text: a template renamed is a change (an include of the
        # old name fails), even when the list of texts is the same
        sources = [(t, env.loader.get_source(env, t)[0]) for t in sorted(env.list_templates())]
        shared_key = content_hash(repr((project.build_date, settings.data, sources, words, taxa, site_url,
                                        sorted(pictures.items()), sorted(news_pics.items()),
                                        sorted(video_views.items()),
                                        out.theme)))

    # A page that reads more than its own values (a listing of every brand: the home page, the
    # directory, the statistics …) reads what is made of every published record: kept while
    # these are the same. Brands count by their summaries (`_key_text`) unless the page's
    # template may read a story: an edit of one brand's story renders its own page again, not
    # every listing.
    summary = world = whole_world = None
    if memo is not None:
        summaries = memo.setdefault(("brand summaries",), {})
        if len(summaries) > 2 * len(brands) + 100:  # bounded across many edits
            summaries.clear()

        def summary(b: Brand) -> tuple[str, str]:
            made = summaries.get(b.fingerprint)
            if made is None:
                made = summaries[b.fingerprint] = (b.slug, content_hash(repr(
                    (b.slug, b.path, b.data, b.live))))
            return made

        records = (news_items, project.evaluations)
        world = content_hash(repr(([summary(b) for b in brands], records)))
        whole_world = content_hash(repr((brands, records)))

    def by_summaries(name: str, make):
        """`make()`, a value made of the brands' fields (not their stories) and the shared
        values alone; in a live preview what it made last time while these are the same."""
        if memo is None:
            return make()
        last = memo.get(("by summaries", name))
        if last is None or last[0] != (shared_key, world):
            last = memo[("by summaries", name)] = ((shared_key, world), make())
        return last[1]

    def page(uri: str, template: str, title: str, description: str,
             record: Brand | None = None, made_of: tuple = (), of_records: bool = False,
             **extra) -> None:
        """`record`: the brand whose page this is (its own page, its people's), or
        `of_records`: a page whose values are made of the brands' fields, the news and the
        rounds alone (a listing). With a memo, such a page is kept without its values being
        keyed when that record, every brand's summary (their whole records when a template
        may read a story), the shared values, the page's own words and `made_of` (what else
        its values were made from) are the same as when it was last rendered."""
        fast = memo is not None and (record is not None or of_records)
        if fast:
            same = (shared_key, record.fingerprint if record is not None else None, template,
                    title, description, made_of, frozenset(extra))
            last = memo.get(uri)
            if last is not None and len(last) > 2 and last[2] == same \
                    and last[3] == _world_of(template, extra, record):
                out.pages[uri] = last[1]
                return
        depth = uri.count("/")
        ctx = common | extra | {"base": "../" * depth, "page_uri": uri}
        page_meta = {"title": head_text(title), "description": head_text(description)}
        page_meta.update(extra.get("meta", {}))
        if uri == "index.md":  # the home page's <title> is the site's name alone
            del page_meta["title"]
        key = None
        if memo is not None:
            given = ("reads", template, frozenset(extra), shared_key)
            if given not in memo:
                memo[given] = (_reads_only_given(env, template, set(extra)),
                               _reads_story(env, template))
            only_given, story = memo[given]
            if isinstance(story, frozenset):  # a brand's story only if one of these is a brand
                story = any(n not in extra or isinstance(extra[n], Brand) for n in story)
            inputs = (shared_key, uri, template, repr(page_meta),
                      repr(extra) if story else _key_text(extra, summary))
            if not only_given:
                inputs += (whole_world if story else world,)
            key = content_hash(repr(inputs))
            if memo.get(uri, (None,))[0] == key:
                out.pages[uri] = memo[uri][1]
                return
        out.pages[uri] = page_source(page_meta, env.get_template(template).render(**ctx))
        if key is not None:
            memo[uri] = (key, out.pages[uri]) if not fast else \
                (key, out.pages[uri], same, _world_of(template, extra, record))

    def _world_of(template: str, extra: dict, record: Brand | None) -> str:
        """What a record's page reads of the other records: their summaries (`world`), or
        their whole records when its templates may read a story other than this record's."""
        given = ("reads", template, frozenset(extra), shared_key)
        if given not in memo:
            memo[given] = (_reads_only_given(env, template, set(extra)),
                           _reads_story(env, template))
        story = memo[given][1]
        if isinstance(story, frozenset):
            story = any(n not in extra or (isinstance(extra[n], Brand) and extra[n] is not record)
                        for n in story)
        return whole_world if story else world

    def listing(at: str, template: str, title: str, description: str, items: list,
                **extra) -> None:
        """A listing page, or several of LISTING_PAGE items: at/, at/2/ … (site search finds
        the first; the others would only repeat what the brands' own pages are found by)."""
        chunks = in_pages(items, LISTING_PAGE)
        meta = extra.pop("meta", {})
        for n, chunk in enumerate(chunks, 1):
            pager = Pager(at, n, len(chunks))
            page(pager.url(n) + "index.md", template,
                 title if n == 1 else f"{title}（第 {n} 页）", description, of_records=True,
                 items=chunk, total=len(items), paging=pager,
                 meta=meta if n == 1 else meta | NOINDEX, **extra)

    region = settings["region"]["name"]
    latest = public_rounds(project.evaluations)[:3]
    report = progress_report(progress, project.build_date, settings["region"]["short_name"])
    page("index.md", "home.md.j2", site["title"], site["description"], of_records=True,
         featured=featured_brands(brands, vocab["levels"]), latest_rounds=latest, report=report,
         round_url=round_url, brand_by_slug={b.slug: b for b in brands}, meta=NOINDEX)
    filters = [(k, v, lab.replace("{area}", area), short.replace("{area}", area))
               for k, v, lab, short in FILTERS if vocab[v]]
    summarised = len(brands) > DIRECTORY_MAX
    page(f"{BRANDS_DIR}/index.md", "brands.md.j2", "品牌名录",
         f"{region}劳务品牌名录：按{joined([f[3] for f in filters])}"
         + ("浏览。" if summarised else "筛选。"),
         by_category=groups["categories"], filters=filters, summarised=summarised,
         preview=PREVIEW, meta=NOINDEX, of_records=True)
    related = related_index(brands)
    honours = brand_honours(project.evaluations)  # selection rounds (evaluation_pages.py)
    for b in brands:
        url = brand_url(b)
        meta = {"og_type": "article"}
        cover = b.get("media", {}).get("cover") or b.get("media", {}).get("logo")
        shared = share_image(b.name, b.data["category"], site["title"],
                             f"{folder_of}{b.slug}/{cover['path']}" if cover else None,
                             cache, encoder, focus_centering(cover.get("focus") if cover else None))
        if shared is not None:  # drawn with a Chinese font: the name over the cover
            out.assets[f"{BRANDS_DIR}/{b.slug}/share.jpg"] = shared
            meta["og_image"] = head_text(f"{BRANDS_DIR}/{b.slug}/share.jpg")
            meta["og_image_width"], meta["og_image_height"] = map(str, SHARE_SIZE)
            meta["og_image_alt"] = head_text(f"{b.name}（{b.data['category']}）")
        elif cover:
            p = pictures[(b.slug, cover["path"])]
            meta["og_image"] = head_text(f"{BRANDS_DIR}/{b.slug}/" + p.fallback[-1][0].rsplit("/", 1)[-1])
            meta["og_image_alt"] = head_text(cover["alt"])
        # A mapping: the theme writes it with `tojson` (< > & ' escaped for a <script> element)
        meta["jsonld"] = brand_jsonld(b, site_url, url)
        poster = None
        photo = b.get("media", {}).get("cover")
        if site_url:  # the QR code needs the page's absolute address
            drawn = share_poster(PosterText(
                b.name, b.data["summary"], b.data["category"],
                (b.get("contact") or {}).get("organization", ""), site["title"],
                (settings.get("contact") or {}).get("organization", ""), f"{site_url}/{url}"),
                project.root / BRANDS_DIR / b.slug / photo["path"] if photo else None, cache, encoder,
                focus_centering(photo.get("focus") if photo else None))
            if drawn is not None:
                poster = f"{BRANDS_DIR}/{b.slug}/{POSTER_FILE}"
                out.assets[poster] = drawn
        page(f"{BRANDS_DIR}/{b.slug}/index.md", "brand.md.j2", b.name, b.data["summary"],
             record=b, made_of=(poster, shared is None), brand=b, related=related_brands(b, related), meta=meta, poster=poster,
             share_name=b.name, share_line=b.data["summary"], share_file=b.slug,
             story=Markup(story_html(b.body)),  # sanitised (safety.py); the body is never raw
             honours=honours.get(b.slug, []), brand_news=news_by_brand.get(b.slug, []))
    if brands and not site_url:
        out.notices.append(NO_SITE_URL)
    by_role = group_people_by_role(people, vocab["person_roles"])
    page("people/index.md", "people.md.j2", "典型人物",
         f"{region}劳务品牌的{words['roles_text']}。", by_role=by_role, preview=PREVIEW,
         meta=NOINDEX, of_records=True)
    for role, items in by_role.items():  # a role with more people than the summary shows
        if len(items) > PREVIEW:
            listing(f"people/{role}", "people_role.md.j2", role,
                    f"{region}劳务品牌的{role}，共 {len(items)} 位。", items, role=role,
                    meta=NOINDEX)
    for p, b, url in person_pages:  # a page per person shown on the site
        ref = f"{b.slug}/{p['id']}" if p.get("id") else None
        line = f"{b.name}的{p['role']}" + (f"，{p['title']}" if p.get("title") else "")
        poster = None
        if site_url:  # as a brand's: the QR code holds the person page's absolute address
            drawn = share_poster(PosterText(
                p["name"], line + (f"。{p['bio']}" if p.get("bio") else ""), p["role"],
                (b.get("contact") or {}).get("organization", ""), site["title"],
                (settings.get("contact") or {}).get("organization", ""), f"{site_url}/{url}"),
                project.root / BRANDS_DIR / b.slug / p["photo"]["path"] if p.get("photo") else None,
                cache, encoder, PORTRAIT_CENTERING)
            if drawn is not None:
                poster = url + POSTER_FILE
                out.assets[poster] = drawn
        page(url + "index.md", "person.md.j2", p["name"],
             f"{b.name}的{p['role']}{p['name']}" + (f"，{p['title']}" if p.get("title") else "") + "。",
             record=b, made_of=(poster, ref), p=p, brand=b,
             items=news_by_person.get(ref, []) if ref else [], poster=poster,
             share_name=p["name"], share_line=line, share_file=f"{b.slug}-{url.rstrip('/').rsplit('/', 1)[-1]}")
    render_news(project, page, out.files, news_items, brands, page_of_person, site_url)
    by_district = group_venues(venues, vocab["districts"], vocab["venue_types"])
    has_map = render_venue_map(project, page, by_district, brands, memo)
    page("venues/index.md", "venues.md.j2", "文化体验",
         f"{region}劳务品牌的{words['venues_text']}。", by_district=by_district,
         preview=PREVIEW, meta=NOINDEX, venue_map=has_map, of_records=True,
         made_of=(has_map,))
    for district, types in by_district.items():
        flat = [(t, v, b) for t, items in types.items() for v, b in items]
        if len(flat) > PREVIEW:
            listing(f"venues/{district}", "venues_area.md.j2", f"{district}的文化体验场所",
                    f"{region}{district}的{words['venues_text']}，共 {len(flat)} 处。", flat,
                    district=district, meta=NOINDEX)
    for key, vname, folder, label in taxa:
        page(f"{folder}/index.md", "taxonomy_index.md.j2", f"按{label}浏览",
             f"{region}劳务品牌按{label}分类。", folder=folder, label=label, key=key, meta=NOINDEX,
             of_records=True)
        for value, items in groups[folder].items():
            if not items:  # a value no brand has: no page (nothing links to one)
                continue
            listing(f"{folder}/{value}", "taxonomy.md.j2", value,
                    f"{region}{label}“{value}”的劳务品牌，共 {len(items)} 个。", items,
                    folder=folder, label=label, value=value)
    page("stats/index.md", "stats.md.j2", "数据统计", f"{region}劳务品牌的分类统计与关键数据汇总。",
         figure_sums=by_summaries("figure sums", lambda: stats.figure_sums(
             brands, settings.additive_units, settings.non_additive_words, figure_date)),
         stat_facets=[(k, v, lab.replace("{area}", area)) for k, v, lab in STAT_FACETS if vocab[v]],
         meta=NOINDEX, of_records=True)
    page("policy/index.md", "policy.md.j2", "政策解读",
         f"{region}劳务品牌建设{words['policy_kind']}要点解读。", of_records=True)
    figures = [(f, b) for b in brands for f in b.get("figures", [])]
    page("about/index.md", "about.md.j2", "关于本站", f"关于{site['title']}：内容来源、更新方式和开放数据。",
         figure_count=len(figures),
         undated=sum(1 for f, b in figures if not figure_date(f, b)[1]),
         about_parts=joined(["品牌故事"] + (["典型人物"] if people else [])
                            + (["文化体验场所"] if venues else []) + (["关键数据"] if figures else [])
                            + (["评选结果"] if latest else [])),
         rounds_conferred=bool(settings.levels_by(BY_ROUNDS)),
         people_by_report=any(not p.get("consent") for p, _ in people),
         has_news=bool(news_items), has_events=any(n.is_event for n in news_items),
         of_records=True)
    page("search/index.md", "search.md.j2", "搜索", f"搜索{region}劳务品牌、人物和场所。",
         meta=NOINDEX, of_records=True)
    render_rounds(project, page, out.files)  # selection rounds: index, round pages, results files
    # Sections with nothing in them keep their page (an old link still works) but get no tab.
    out.theme["hidden_sections"] = [name for name, empty in (
        ("people", not people), ("venues", not venues), ("news", not news_items),
        ("evaluations", not public_rounds(project.evaluations))) if empty]

    def url_of(b: Brand) -> str:
        return (site_url + "/" if site_url else "") + brand_url(b)

    for p in project.pages:  # hand-written pages: the story's rules; drafts and withdrawn left out
        if p.published:
            if p.uri in out.pages:
                raise PageClash(f"{p.path} 与自动生成的页面 {p.uri} 同名；提示：改名或删去 {p.path}。")
            out.pages[p.uri] = render_page(p)

    def kept(name: str, inputs: object, make):
        """`make()`, or in a live preview what it made last time from the same `inputs`
        (compared by their text: a record's is its hash)."""
        if memo is None:
            return make()
        key = content_hash(repr((shared_key, inputs)))
        last = memo.get(("kept", name))
        if last is None or last[0] != key:
            last = memo[("kept", name)] = (key, make())
        return last[1]

    def data_file(uri: str, make) -> None:
        """A file made from every published brand."""
        out.files[uri] = kept(uri, brands, make)

    parts = None if memo is None else memo.setdefault(("brand json parts",), {})
    if parts is not None and len(parts) > 2 * len(brands) + 100:  # bounded across many edits
        parts.clear()
    address = site_url + "/" if site_url else ""

    def video_of(b: Brand, video: dict) -> dict:
        return opendata.video_data(video_views[(b.slug, video["path"])], address)

    data_file("data/brands.json", lambda: opendata.brands_json(brands, url_of, parts, video_of))
    # made of the brands' fields alone: kept while every summary is the same
    out.files["data/brands.csv"] = kept("data/brands.csv", world or brands,
                                        lambda: opendata.brands_csv(brands, url_of, f"所在{area}"))
    feed_news = tuple({"id": n.slug, "title": n.data["title"], "updated": n.data["date"],
                       "summary": n.data["summary"],
                       "url": (site_url + "/" if site_url else "") + news_url(n)} for n in news_items)
    out.files["feed.xml"] = kept("feed.xml", world or (brands, news_items), lambda: opendata.atom_feed(
        brands, site["title"], site_url, url_of, "feed.xml", feed_news))
    if news_items:
        public_brand = {b.slug: url_of(b) for b in brands}
        person_address = {f"{b.slug}/{p['id']}": address + url for p, b, url in person_pages
                          if p.get("id")}
        out.files["data/news.json"] = kept("data/news.json", (brands, news_items), lambda: opendata.news_json(
            news_items, lambda n: address + news_url(n), public_brand.get, person_address.get))
    from ..editor.cms import (
        admin_files,  # the form editor at /admin/, when settings name a repository
    )

    generated, copied = kept("admin", None, lambda: admin_files(settings, project.root))
    out.files.update(generated)
    out.assets.update(copied)
    return out


def page_dir_url(uri: str) -> str:
    """The folder address MkDocs gives a page's source (directory URLs): "a/b.md" → "a/b/"."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return stem + "/" if stem else ""


def page_link(page_uri: str, href: str) -> str:
    """A page's relative link as MkDocs would write it: resolved from the page's source file,
    written from the page's own address (another page's .md file becomes its folder)."""
    u = urlsplit(href)
    if u.scheme or u.netloc or not u.path or u.path.startswith("/"):
        return href
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), unquote(u.path)))
    if target.startswith("../") or target == "..":
        return href  # outside docs/: left as written, and the post-build check reports it
    here = page_dir_url(page_uri) or "."
    if target.endswith(".md"):  # another page: its folder
        rel = posixpath.relpath(page_dir_url(target) or ".", here)
        rel = "./" if rel == "." else rel + "/"
    else:
        rel = posixpath.relpath(target, here)
    return quote(rel, safe="/.-_~!$&'()*+,;=:@") + (f"#{u.fragment}" if u.fragment else "")


def render_page(page: Page) -> str:
    """A hand-written page as a generated one: sanitised HTML under escaped front matter."""
    title = page.title or heading_text(page.body) or page.uri.rsplit("/", 1)[-1][:-3]
    meta = {"title": head_text(title)}
    if page.meta.get("description"):
        meta["description"] = head_text(page.meta["description"])
    body = page_html(page.body, lambda href: page_link(page.uri, href))
    out = page_source(meta, body)
    if page.meta.get("hide"):  # a list, written as YAML flow (JSON) after the other fields
        out = out.replace("---\n\n", f"hide: {json.dumps(page.meta['hide'])}\n---\n\n", 1)
    return out


def search_terms(brand: Brand) -> str:
    """The characters of a brand's name, people, venues and districts, one by one, for the index.

    Pagefind segments Chinese text into words when it indexes (羊城 / 家政), but the browser
    splits a query with its own segmenter, which may cut a name differently (羊 / 城 / 家政);
    each query piece must begin an indexed word. Indexing every character of these names as a
    word of its own lets a search by name match however the browser cuts it.
    """
    names = [brand.name, *brand.get("aliases", []), *brand.data["districts"], brand.get("place", ""),
             *brand.get("cooperation_regions", [])]
    names += [p["name"] for p in brand.get("people", [])]
    names += [v["name"] for v in brand.get("venues", [])]
    chars = dict.fromkeys(ch for n in names for ch in n if not ch.isspace())
    return " ".join(chars)


# The directory's filters and the statistics' facets: (record field, vocabulary, Chinese name)
FILTERS = [("category", "categories", "品牌类型", "类型"), ("districts", "districts", "所在{area}", "{area}"),
           ("level", "levels", "品牌层级", "层级"), ("programs", "programs", "所属工程", "工程"),
           ("stage", "stages", "发展阶段", "发展阶段")]
STAT_FACETS = [("category", "categories", "品牌类型"), ("districts", "districts", "所在{area}"),
               ("level", "levels", "品牌层级"), ("stage", "stages", "发展阶段")]


def search_example(brands: list[Brand], by_area: dict[str, list[Brand]]) -> str:
    """The search box's example: words that find something on this site (a brand, an area)."""
    words = [b.name for b in brands[:1]]
    words += [a for a, items in by_area.items() if items][:1]
    return "、".join(words)


def figure_date(figure: dict, brand: Brand) -> tuple[str, bool]:
    """A figure's date and whether it is its own (`as_of`) or its source's (the report's date).
    A figure the report gives no date for (`as_of: 日期不详`) has neither: ("", False), so it
    is never added up nor taken for the latest."""
    if figure.get("as_of") == UNKNOWN_DATE:
        return "", False
    if figure.get("as_of"):
        return figure["as_of"], True
    src = next((s for s in brand.get("sources", []) if s["id"] == figure["source"]), {})
    return src.get("date", ""), False


def figure_text(figure: dict) -> str:
    """A figure's value and unit as the page shows them: exact numbers formatted, others as written."""
    v, unit = figure["value"], figure["unit"]
    text = fmt_decimal(v) if not isinstance(v, str) else v
    if unit in ("%", "％") or text.endswith(("%", "％")):
        return text if text.endswith(("%", "％")) else text + unit
    return f"{text} {unit}"


def brand_jsonld(b: Brand, site_url: str, url: str) -> dict:
    data = {"@context": "https://schema.org", "@type": "Brand", "name": b.name,
            "description": b.data["summary"]}
    if site_url:
        data["url"] = f"{site_url}/{url}"
    if b.get("name_en"):
        data["alternateName"] = b.data["name_en"]
    return data


def brand_images(brand: Brand) -> list[str]:
    """Every image path a brand's record refers to (relative to its folder)."""
    out: list[str] = []
    media = brand.get("media", {})
    for key in ("logo", "cover"):
        if key in media:
            out.append(media[key]["path"])
    out.extend(g["path"] for g in media.get("gallery", []))
    out.extend(p["photo"]["path"] for p in brand.get("people", []) if "photo" in p)
    out.extend(v["photo"]["path"] for v in brand.get("venues", []) if "photo" in v)
    out.extend(v["poster"]["path"] for v in brand_videos(brand) if "poster" in v)
    return sorted(set(out))


def group_people_by_role(people: list[tuple[dict, Brand]], roles: list[str]):
    groups: OrderedDict[str, list] = OrderedDict((r, []) for r in roles)
    for p, b in people:
        groups.setdefault(p["role"], []).append((p, b))
    return groups


def group_venues(venues: list[tuple[dict, Brand]], districts: list[str], types: list[str]):
    """Venues by district, then by type, in the settings' order; empty groups left out."""
    out: OrderedDict[str, OrderedDict[str, list]] = OrderedDict()
    bucket: dict[tuple[str, str], list] = {}  # one pass over the venues, not one per group
    for v, b in venues:
        bucket.setdefault((v["district"], v["type"]), []).append((v, b))
    for d in districts:
        by_type: OrderedDict[str, list] = OrderedDict()
        for t in types:
            items = sorted(bucket.get((d, t), ()), key=lambda vb: (vb[0]["name"], vb[1].slug))
            if items:
                by_type[t] = items
        if by_type:
            out[d] = by_type
    return out


def map_link(template: str, venue: dict) -> str:
    """A plain link that opens a map app at the venue's coordinates (no map script is loaded)."""
    return (template.replace("{lat}", fmt_decimal(venue["lat"]))
            .replace("{lng}", fmt_decimal(venue["lng"]))
            .replace("{name}", quote(venue["name"], safe="")))


def render_news(project: Project, page, files: dict[str, bytes], items: list,
                brands: list[Brand], page_of_person: dict, site_url: str) -> None:
    """The news list (upcoming and past on the build date), a page per item, and the events'
    calendar file."""
    upcoming, past = split_news(items, project.build_date)
    region = project.settings["region"]["name"]
    has_events = any(n.is_event for n in items)
    page(NEWS_URL + "index.md", "news.md.j2", "动态", f"{region}劳务品牌的新闻和活动。",
         upcoming=upcoming, past=past, has_events=has_events, ics=ICS_FILE, meta=NOINDEX)
    by_slug = {b.slug: b for b in brands}
    for n in items:
        linked_brands = [(by_slug[s].name, brand_url(by_slug[s])) if s in by_slug else (s, None)
                         for s in n.data.get("brands", [])]
        linked_people = []
        for ref in n.data.get("people", []):
            slug, pid = ref.split("/", 1)
            b = by_slug.get(slug)
            p = next((p for p in (b.get("people", []) if b else []) if p.get("id") == pid), None)
            if p is not None and id(p) in page_of_person:  # not yet public: not named at all
                linked_people.append((p["name"], page_of_person[id(p)]))
        page(f"{news_url(n)}index.md", "news_item.md.j2", n.data["title"], n.data["summary"],
             item=n, upcoming=n in upcoming, story=news_story(n), ics=ICS_FILE,
             linked_brands=linked_brands, linked_people=linked_people,
             meta={"og_type": "article"})
    if has_events:
        files[ICS_FILE] = events_ics(items, project.settings["site"]["title"], site_url,
                                     project.build_date)


VENUE_MAP = "venues/map/"


def render_venue_map(project: Project, page, by_district, brands: list[Brand],
                     memo: dict | None = None) -> bool:
    """The venue map page, when any venue gives its coordinates: the region's outline (when
    settings name one) and the venues numbered as in the list beside it. Whether it was made.
    `memo` (the preview's) keeps the map drawn last, for the same areas, venues and words."""
    from ..load.outline import read_outline

    settings = project.settings
    ordered = [(v, b) for types in by_district.values() for items in types.values()
               for v, b in items]
    marked = [(n, v, b) for n, (v, b) in enumerate(located(ordered), 1)]
    if not marked:
        return False
    outline = settings.get("venue_map", {}).get("outline")
    areas = read_outline(project.root, outline) if outline else []  # checked with the settings
    region = settings["region"]["name"]
    drawn = (areas, [MapVenue(n, v["name"], float(v["lng"]), float(v["lat"])) for n, v, _ in marked],
             f"{region}文化体验场所分布示意图",
             f"共 {len(marked)} 处场所，以带编号的红色圆点标出"
             + (f"；灰绿色区域是{'、'.join(a.name for a in areas if a.name)}的示意轮廓" if areas else "")
             + "。各场所的名称和地址见图下的列表。")
    key = content_hash(repr(drawn)) if memo is not None else None
    if memo is not None and memo.get("venue map", (None,))[0] == key:
        svg = memo["venue map"][1]
    else:
        svg = map_svg(*drawn)
        if memo is not None:
            memo["venue map"] = (key, svg)
    by_area = []
    for area, types in by_district.items():
        items = [(v, b) for vs in types.values() for v, b in vs]
        area_brands = sorted({b.slug: b for _, b in items}.values(), key=lambda b: b.slug)
        by_area.append((area, len(items), area_brands))
    page(VENUE_MAP + "index.md", "venues_map.md.j2", "场所地图",
         f"{region}劳务品牌文化体验场所分布示意图和场所列表。", svg=svg, marked=marked,
         has_outline=bool(areas), by_area=by_area, meta=NOINDEX,
         of_records=True, made_of=(key,))  # the map: made of the records and the outline
    return True
