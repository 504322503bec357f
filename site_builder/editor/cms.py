"""The form editor at /admin/: Decap CMS configured from the schema declaration, copied into the build."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..schema.brand import BRAND, STATUSES
from ..schema.fields import (
    UNKNOWN_DATE_WORDS,
    Amount,
    Choice,
    Date,
    Image,
    ListOf,
    Number,
    Obj,
    SourceRef,
    Spec,
    Text,
    label_words,
)
from ..schema.news import NEWS, NEWS_VOCAB
from ..schema.video import Video

ADMIN_DIR = "admin"
CHECKOUT_ROOT = Path(__file__).resolve().parents[2]  # a checkout of the source: package.json
NODE_MODULES = "node_modules"
# The editor's files copied into the site: Decap's bundle (its lazily loaded chunks and WebAssembly
# beside it) under vendor/decap/, the YAML library our format uses under yaml/.
DECAP_DIST = "decap-cms/dist"
YAML_DIST = "yaml/browser/dist"
VENDOR_DIR = "vendor/decap"  # inside admin/: files only Decap's own code and the CSP govern
OWN_FILES = Path(__file__).resolve().parent / "admin"
# The built files of both packages inside the installed package, node_modules-shaped (make vendor,
# tools/vendor_editor.py): an installed site-builder builds /admin/ without Node.js.
VENDORED = Path(__file__).resolve().parent / "vendor"
FORMAT = "strict-frontmatter"  # registered by admin/strict-frontmatter.js
DRAFT = STATUSES[0]
DEFAULT_LOCAL_PORT = 8081
BODY_LABEL = "品牌故事"
STATUS_LABEL = "网站显示状态"  # the record's status, in the form

# Where each backend talks to when the settings do not say (the repository host's API).
_DEFAULT_API = {"github": "https://api.github.com", "gitlab": "https://gitlab.com/api/v4"}


class EditorUnavailable(RuntimeError):
    """The editor's npm packages are not installed (`npm ci`, which `make` runs)."""


# -- the schema as form fields -------------------------------------------------------------------

def field_required(spec: Spec, parents_required: bool) -> bool:
    """Required in the form: required in the schema and inside nothing optional. An optional
    image or field table with required parts (a logo's path and alt) may be left out as a whole;
    Decap would otherwise insist on its parts, so there the PR check reports a missing alt."""
    return spec.required and parents_required


def pattern_of(spec: Text) -> list[str] | None:
    """Decap's `pattern: [regex, message]` for a text's pattern and length limit."""
    parts, hints = [], []
    if spec.max_len:
        parts.append(f"(?=[\\s\\S]{{0,{spec.max_len}}}$)")
        hints.append(f"最多 {spec.max_len} 字")
    if spec.pattern:
        parts.append(f"(?:{spec.pattern})")
        expected = form_words(spec.pattern_hint) if spec.pattern_hint else "本栏说明中的格式"
        example = spec.example or _EXAMPLES.get(spec.pattern_hint)
        if example and "例如" not in expected:
            expected += f"，例如 {example}"
        hints.append(f"应写成{expected}")
    elif not spec.multiline:
        parts.append("[^\\n]*")
        hints.append("只写一行")
    else:
        parts.append("[\\s\\S]*")
    if not spec.max_len and not spec.pattern:
        return None
    return ["^" + "".join(parts) + "$", "；".join(hints)]


# The schema's words are written for the file (the guide's field reference); the form says the
# same in the words of the form: no YAML, no field names, no "YYYY".
_FORM_WORDS = [
    (re.compile(r"；?可多行（用 \| 开头）"), "；可以分多行写"),
    (re.compile(r"（见 settings\.yml 的 [a-z_]+）"), ""),
    (re.compile(r"，?对应 sources 中某条资料的 id"), "，从本档案的“资料来源”中选一条"),
    (re.compile(r"；sources 中的 id"), ""),
    (re.compile(r"^，"), ""),
    (re.compile(r" ?districts 列表"), "“所在{area}”"),  # the settings' area word (hint_of)
    (re.compile(r"settings\.yml 中"), "站点设置中"),
    (re.compile(r"YYYY、YYYY-MM 或 YYYY-MM-DD"), "年份、年-月或年-月-日，例如 2025、2025-06 或 2025-06-30"),
    (re.compile(r"YYYY 或 YYYY-MM"), "年份或年-月，例如 2019 或 2019-06"),
    (re.compile(r"YYYY-MM-DD"), "年-月-日，例如 2025-06-30"),
]


# Examples for the patterns whose declaration gives none (fictional values).
_EXAMPLES = {"电子邮箱地址": "fuwu@example.org", "以 http:// 或 https:// 开头的网址": "https://www.example.org/",
             "4 到 20 位字母或数字": "G2019001234"}


def form_words(text: str) -> str:
    """A hint or message of the schema in the form's words (see `_FORM_WORDS`)."""
    text = text.replace("`", "")
    for pattern, words in _FORM_WORDS:
        text = pattern.sub(words, text)
    return text


def hint_of(spec: Spec, vocab: dict[str, list[str]]) -> str:
    parts = [p for p in (spec.doc, spec.describe(vocab)) if p]
    return label_words(form_words("；".join(dict.fromkeys(parts))), vocab)


def form_field(name: str, spec: Spec, vocab: dict[str, list[str]],
               parents_required: bool = True) -> dict:
    """One Decap field for one schema field (recursively for lists and field tables)."""
    required = field_required(spec, parents_required)
    f: dict = {"label": label_words(spec.label, vocab), "name": name, "required": required}
    hint = hint_of(spec, vocab)
    if isinstance(spec, Image):
        f |= {"widget": "object", "collapsed": False, "fields": image_fields(spec, vocab, required)}
    elif isinstance(spec, Obj):
        f |= {"widget": "object", "collapsed": not required,
              "fields": [form_field(k, s, vocab, required) for k, s in spec.fields.items()]}
    elif isinstance(spec, ListOf):
        item = spec.item
        if isinstance(item, Choice):
            f |= {"widget": "select", "multiple": True, "options": list(vocab.get(item.vocab, []))}
            if spec.min_items:
                f["min"] = spec.min_items
        elif isinstance(item, Obj):
            f |= {"widget": "list", "collapsed": True, "label_singular": label_words(item.label, vocab),
                  "fields": [form_field(k, s, vocab, True) for k, s in item.fields.items()]}
            first = next(iter(item.fields))
            f["summary"] = "{{fields." + first + "}}"
            if isinstance(item, Video):
                f["fields"] = video_files(f["fields"])
                f["summary"] = "{{fields.title}}"
            if isinstance(item, Image):  # an image in a list is there: its path and alt are due
                f["fields"] = image_fields(item, vocab, True)
        else:
            f |= {"widget": "list", "field": form_field(name, item, vocab, True)}
            f["field"]["required"] = True
        if spec.min_items and "min" not in f:
            f["min"] = spec.min_items
    elif isinstance(spec, Choice):
        f |= {"widget": "select", "options": list(vocab.get(spec.vocab, []))}
    elif isinstance(spec, Number):
        # "int" and "float" both give the number as typed; the file keeps it as written text
        f |= {"widget": "number", "value_type": "int" if spec.integer else "float"}
        if spec.minimum is not None:
            f["min"] = spec.minimum
    elif isinstance(spec, Amount):
        # a figure as the report states it (约3万, 1–2万, 61.93 …): text, read by the loader
        f["widget"] = "string"
        hint = "；".join(p for p in (hint, form_words(spec.kind_hint(name))) if p)
    elif isinstance(spec, Date) and spec.precision == "day":
        # stored as the text YYYY-MM-DD, with the browser's own date picker
        f |= {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD",
              "time_format": False, "picker_utc": False}
    elif isinstance(spec, Date):
        form = {"partial": r"\d{4}(-\d{2}(-\d{2})?)?", "month": r"\d{4}(-\d{2})?"}[spec.precision]
        if spec.unknown:  # the report gives no date: 不详 and its spellings
            form = "(?:" + "|".join([form, *UNKNOWN_DATE_WORDS]) + ")"
        f |= {"widget": "string", "pattern": [f"^{form}$", "应写成" + form_words(spec.describe(vocab))]}
    elif isinstance(spec, SourceRef):
        # one of the record's own 资料来源, chosen from a list (admin/form.js)
        f["widget"] = "source"
    elif isinstance(spec, Text):
        f["widget"] = "text" if spec.multiline else "string"
        pattern = pattern_of(spec)
        if pattern:
            f["pattern"] = pattern
    else:
        raise TypeError(f"no form widget for {type(spec).__name__} ({name})")
    if hint:
        f["hint"] = hint
    return f


# A video's two files, uploaded into the brand's folder (the record keeps their names), with
# what the editor needs to know in plain words.
VIDEO_FILE_HINTS = {
    "path": "上传 MP4 视频（H.264 画面、AAC 声音），保存在本品牌的文件夹中，档案中只写文件名；"
            "时长由网站从文件中读出，文件太大时检查会说明",
    "captions": "上传中文字幕文件（WebVTT 格式，文件名以 .vtt 结尾），保存在本品牌的文件夹中；"
                "已发布的档案必须有字幕",
}


def video_files(fields: list[dict]) -> list[dict]:
    """A video's form fields with its file and captions as uploads instead of typed paths."""
    out = []
    for f in fields:
        if f["name"] in VIDEO_FILE_HINTS:
            f = {k: v for k, v in f.items() if k != "pattern"} | {
                "widget": "file", "choose_url": False, "hint": VIDEO_FILE_HINTS[f["name"]]}
        out.append(f)
    return out


def image_fields(spec: Image, vocab: dict[str, list[str]], required: bool) -> list[dict]:
    """An image's two fields: the file (uploaded into the brand's folder) and its alt text."""
    return [{"label": spec.fields["path"].label, "name": "path", "widget": "image",
             "required": field_required(spec.fields["path"], required), "choose_url": False,
             "hint": "上传后保存在本品牌的文件夹 brands/网址名/ 中，档案中只写文件名"},
            form_field("alt", spec.fields["alt"], vocab, required)]


def brand_collection(vocab: dict[str, list[str]]) -> dict:
    fields = [form_field(k, s, vocab) for k, s in BRAND.fields.items()]
    for f in fields:
        if f["name"] == "media":
            f["collapsed"] = False  # the cover and the logo, with their alt text, in sight
        if f["name"] == "people":  # most people need a consent record: its fields in sight
            for sub in f["fields"]:
                if sub["name"] == "consent":
                    sub["collapsed"] = False
        if f["name"] == "status":
            f["default"] = DRAFT  # a record made in the form starts as a draft
            # not "发布状态": Decap's own words are about the pull request (form.js renames them)
            f["label"] = STATUS_LABEL
            f["hint"] += "；改动经审核合并后才在网站上生效"
    fields.append({"label": BODY_LABEL, "name": "body", "widget": "markdown", "required": False,
                   "hint": "网页上“品牌故事”一节的正文", "buttons": [
                       "bold", "italic", "link", "heading-two", "heading-three", "quote",
                       "bulleted-list", "numbered-list"],
                   # the Markdown source only: Decap opens the rich-text mode whenever it is
                   # allowed (unless the browser remembers another choice), and that mode saves a
                   # typed "## " or "- " as \## or \- and rewrites the whole story's
                   # Markdown (its remark serialiser); B070 catches what it left in older records
                   "editor_components": [], "modes": ["raw"]})
    return {
        "name": "brands", "label": "品牌档案", "label_singular": "品牌档案",
        "description": "每个劳务品牌一份档案。保存后会发起拉取请求，检查通过并经审核合并后才出现在网站上。",
        "folder": "brands", "extension": "md", "format": FORMAT, "create": True, "delete": False,
        "slug": "{{fields.slug}}", "identifier_field": "name", "summary": "{{name}}（{{status}}）",
        # images go into the brand's own folder, brands/<slug>/, and the record keeps the name only
        "media_folder": "{{filename}}", "public_folder": "",
        "sortable_fields": ["name", "updated"],
        "view_groups": [{"label": STATUS_LABEL, "field": "status"}],
        # the form saves into a pull request and never merges it: no 发布 button in the form, the
        # merge happens on the repository host, where the checks must pass (guide/maintainers.md)
        "publish": False,
        "fields": fields,
    }


def news_collection(vocab: dict[str, list[str]]) -> dict:
    """News and events (news/<slug>.md), from the same declaration that validates them."""
    vocab = vocab | NEWS_VOCAB
    fields = [form_field(k, s, vocab) for k, s in NEWS.fields.items()]
    for f in fields:
        if f["name"] == "status":
            f["default"] = DRAFT
            f["label"] = STATUS_LABEL  # as for brands: not Decap's words about the pull request
        if f["name"] == "images":  # uploaded into the item's own folder
            for sub in f["fields"]:
                if sub["name"] == "path":
                    sub["hint"] = "上传后保存在本条动态的文件夹 news/网址名/ 中，档案中只写文件名"
    fields.append({"label": "正文", "name": "body", "widget": "markdown", "required": False,
                   "hint": "网页上这条动态的正文", "buttons": [
                       "bold", "italic", "link", "heading-two", "heading-three", "quote",
                       "bulleted-list", "numbered-list"],
                   # the Markdown source only, as the brands' story (see brand_collection)
                   "editor_components": [], "modes": ["raw"]})
    return {
        "name": "news", "label": "动态", "label_singular": "动态",
        "description": "新闻和活动（大赛、推介会、培训、论坛、展示交流），每条一份档案。保存后会发起拉取请求，"
                       "检查通过并经审核合并后才出现在网站上。",
        "folder": "news", "extension": "md", "format": FORMAT, "create": True, "delete": False,
        "slug": "{{fields.slug}}", "identifier_field": "title", "summary": "{{date}} {{title}}（{{status}}）",
        "media_folder": "{{filename}}", "public_folder": "",
        "sortable_fields": ["date", "title"],
        "view_groups": [{"label": "类别", "field": "kind"}],
        "publish": False,  # into a pull request only, as brands (brand_collection)
        "fields": fields,
    }


# -- the backend: where saves go -----------------------------------------------------------------
#
# Decap signs in through Netlify when a backend names no sign-in service of its own (GitHub
# without `base_url`, GitLab without PKCE): a third party asking for write access to the whole
# repository. The configuration therefore always names the sign-in service, taken from the
# settings; a backend whose settings do not name one is written as Decap's local backend alone
# (decap-server on this computer), and the page says that online editing is not configured.

LOCAL_BACKEND = "proxy"  # Decap's name for the local backend (decap-server)


def editor_settings(settings) -> dict | None:
    return settings.get("editor") if settings is not None else None


def local_port(settings) -> int:
    ed = editor_settings(settings) or {}
    return int(ed.get("local_port", DEFAULT_LOCAL_PORT))


def local_api(port: int) -> str:
    return f"http://127.0.0.1:{port}/api/v1"


def missing_sign_in(ed: dict) -> list[str]:
    """The `editor` settings an online sign-in still needs (none: /admin/ signs in online).
    GitHub needs the organisation's own OAuth service (`base_url`); GitLab and Forgejo sign in
    from the browser with PKCE, which needs the OAuth application's id, and Forgejo its API."""
    name = ed.get("backend")
    if name == "github":
        return [] if ed.get("base_url") else ["base_url"]
    if name == "gitlab":
        return [] if ed.get("app_id") else ["app_id"]
    if name == "forgejo":
        return [k for k in ("api_root", "app_id") if not ed.get(k)]
    return ["backend"]


def online(ed: dict | None) -> bool:
    return bool(ed) and not missing_sign_in(ed)


def _origin(url: str) -> str:
    s = urlsplit(url or "")
    return f"{s.scheme}://{s.netloc.lower()}" if s.scheme in ("http", "https") and s.netloc else ""


def backend_config(ed: dict, port: int = DEFAULT_LOCAL_PORT) -> dict:
    """Decap's `backend`, every sign-in address written out (none left to Decap's defaults)."""
    branch = ed.get("branch", "main")
    messages = {
        "create": "新建{{collection}}“{{slug}}”", "update": "修改{{collection}}“{{slug}}”",
        "delete": "删除{{collection}}“{{slug}}”", "uploadMedia": "上传图片 {{path}}",
        "deleteMedia": "删除图片 {{path}}", "openAuthoring": "{{message}}"}
    if not online(ed):
        return {"name": LOCAL_BACKEND, "proxy_url": local_api(port), "branch": branch,
                "commit_messages": messages}
    name = ed["backend"]
    backend = {"name": name, "repo": ed["repo"], "branch": branch, "squash_merges": True,
               "commit_messages": messages}
    if ed.get("api_root"):
        backend["api_root"] = ed["api_root"]
    if name == "github":
        # the organisation's OAuth service: it keeps the app's secret and talks to GitHub alone
        backend["base_url"] = ed["base_url"]
        backend["auth_endpoint"] = ed.get("auth_endpoint") or "auth"
    else:
        # PKCE: the browser signs in at the repository host itself, no service in between
        backend["auth_type"] = "pkce"
        backend["app_id"] = ed["app_id"]
        backend["base_url"] = (ed.get("base_url") or _origin(ed.get("api_root", ""))
                               or "https://gitlab.com")
        if ed.get("auth_endpoint"):
            backend["auth_endpoint"] = ed["auth_endpoint"]
    return backend


def backend_origins(backend: dict) -> list[str]:
    """The outside origins a Decap backend talks to: the repository host's API (and, for a PKCE
    sign-in, the same host's token endpoint). None for the local backend. GitHub's sign-in
    service is opened as a window, not connected to."""
    name = backend.get("name")
    if name not in ("github", "gitlab", "forgejo"):
        return []
    urls = [backend.get("api_root") or _DEFAULT_API.get(name, "")]
    if name in ("gitlab", "forgejo"):
        urls.append(backend.get("base_url") or urls[0])
    return list(dict.fromkeys(o for o in map(_origin, urls) if o))


def api_origins(settings) -> list[str]:
    """The outside origins /admin/ may talk to (see `backend_origins`). Nothing else outside."""
    ed = editor_settings(settings)
    if not ed:
        return []
    return backend_origins(backend_config(ed, local_port(settings)))


def configured_origins(site_dir: Path) -> list[str]:
    """The API origins named by a built site's admin/config.yml (for checking a site folder
    without its settings.yml); none when there is no editor."""
    path = site_dir / ADMIN_DIR / "config.yml"
    try:
        backend = yaml.safe_load(path.read_text(encoding="utf-8"))["backend"]
        return backend_origins({k: v for k, v in backend.items() if isinstance(v, str)})
    except (OSError, ValueError, TypeError, KeyError, AttributeError, yaml.YAMLError):
        return []


def local_origins(settings) -> list[str]:
    port = local_port(settings)
    return [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]


def cms_config(settings) -> dict:
    """The whole Decap configuration, from the schema declaration and the settings."""
    ed = editor_settings(settings)
    if not ed:
        raise ValueError("settings.yml 中没有 editor 设置")
    port = local_port(settings)
    site_url = (settings["site"].get("url") or "").rstrip("/")
    config = {
        "locale": "zh_Hans",
        "backend": backend_config(ed, port),
        # every save is a branch and a pull request: the PR check stays the authority
        "publish_mode": "editorial_workflow",
        # used only when the page itself is opened on this computer (decap-server, MODE=git)
        "local_backend": {"url": local_api(port),
                          "allowed_hosts": ["127.0.0.1", "localhost"]},
        "media_folder": "brands",
        "public_folder": "",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "show_preview_links": False,
        "editor": {"preview": False},
        "collections": [brand_collection(settings.vocab), news_collection(settings.vocab)],
    }
    if site_url:
        config["site_url"] = config["display_url"] = site_url + "/"
    return config


def content_security_policy(settings) -> str:
    """The admin page's policy: its own files, and connections to the repository host alone."""
    connect = ["'self'", "blob:", "data:", *api_origins(settings), *local_origins(settings)]
    return "; ".join([
        "default-src 'self'",
        # Decap validates its configuration with Ajv, which compiles the schema with new Function
        "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
        # Decap's components inject their styles at run time (emotion)
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src " + " ".join(connect),
        "frame-src 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'none'",
    ])


_PAGE = """<!doctype html>
<html lang="zh-Hans">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex, nofollow">
  <meta name="referrer" content="no-referrer">
  <meta http-equiv="Content-Security-Policy" content="{csp}">
  <title>{title}·档案编辑</title>
  <link rel="cms-config-url" type="text/yaml" href="config.yml">
  <link rel="stylesheet" href="form.css">
</head>
<body data-pagefind-ignore="all">
{notice}  <noscript>档案编辑器需要启用 JavaScript。也可以按编辑指南在 GitHub 网页上直接修改档案。</noscript>
  <script src="form.js"></script>
  <script src="{vendor}/decap-cms.js"></script>
  <script type="module" src="strict-frontmatter.js"></script>
</body>
</html>
"""


# Shown above the editor when the settings name no online sign-in: the page then works only with
# decap-server on the editor's own computer (guide/maintainers.md, the form editor's section).
_LOCAL_NOTICE = (
    '  <p role="note" style="margin:0;padding:.75em 1em;background:#fff4d6;color:#3d2a00;'
    'border-bottom:1px solid #c9a227;font:16px/1.6 sans-serif">'
    "本站没有配置在线编辑：这个页面不能登录代码仓库，只能在维护人员自己的电脑上配合本地编辑服务"
    "（make editor）使用。要在线编辑，请按维护者指南“表单编辑器”一节在 settings.yml 的 editor "
    "中写明本单位的登录设置。</p>\n")


def node_modules(root: Path | None = None) -> Path:
    """The editor's built files: the package's own copy (make vendor), else, in a checkout of
    the source before `make vendor`, the installed npm packages (the project's, the checkout's).
    Both packages /admin/ copies must be there: Decap's bundle and the YAML library our format
    imports (without it the editor would be published and fail to open every record)."""
    bases = list(dict.fromkeys(([root.resolve() / NODE_MODULES] if root else [])
                               + [CHECKOUT_ROOT / NODE_MODULES]))
    for nm in [VENDORED, *bases]:
        if (nm / DECAP_DIST / "decap-cms.js").is_file() and (nm / YAML_DIST / "index.js").is_file():
            return nm
    # Not built without /admin/: publishing such a site would take the editor away from everyone.
    looked = "、".join(str(b) for b in bases)
    raise EditorUnavailable(
        f"settings.yml 设置了表单编辑器（editor），生成 /admin/ 需要 npm 包 decap-cms 和 yaml，"
        f"但安装的 site-builder 中没有它们，在 {looked} 中也没有找到。请重新安装 site-builder，"
        f"或在 {CHECKOUT_ROOT} 中运行 npm ci（或 make install）安装；"
        "不需要表单编辑器时，删去 settings.yml 中的 editor 一节，站点就不带 /admin/")


def vendored_files(nm: Path) -> dict[str, Path]:
    """The files of both packages /admin/ uses, by path inside `nm`: Decap's bundle, its chunks
    and WebAssembly (not the source maps, nor the "cms.js" duplicate), the YAML library."""
    decap, ydist = nm / DECAP_DIST, nm / YAML_DIST
    out = {f"{DECAP_DIST}/{p.name}": p for p in sorted(decap.iterdir())
           if p.is_file() and (p.name.endswith("decap-cms.js") or p.suffix == ".wasm"
                               or p.name == "decap-cms.js.LICENSE.txt")}
    out.update({f"{YAML_DIST}/{p.relative_to(ydist).as_posix()}": p
                for p in sorted(ydist.rglob("*.js"))})
    return out


def admin_files(settings, root: Path | None = None) -> tuple[dict[str, bytes], dict[str, Path]]:
    """(generated files, copied files) of /admin/, by site path; empty without editor settings."""
    if not editor_settings(settings):
        return {}, {}
    nm = node_modules(root)
    title = settings["site"]["title"]
    notice = "" if online(editor_settings(settings)) else _LOCAL_NOTICE
    page = _PAGE.format(csp=content_security_policy(settings), vendor=VENDOR_DIR, notice=notice,
                        title=title.replace("&", "&amp;").replace("<", "&lt;"))
    config = yaml.safe_dump(cms_config(settings), allow_unicode=True, sort_keys=False, width=1000)
    generated = {f"{ADMIN_DIR}/index.html": page.encode("utf-8"),
                 f"{ADMIN_DIR}/config.yml": ("# 由 site-builder 根据 schema.py 和 settings.yml 生成，"
                                             "不要手工修改。\n" + config).encode("utf-8")}
    copied: dict[str, Path] = {f"{ADMIN_DIR}/{name}": OWN_FILES / name
                               for name in ("strict-frontmatter.js", "form.js", "form.css")}
    for rel, p in vendored_files(nm).items():
        if rel.startswith(DECAP_DIST + "/") and not rel.endswith(".txt"):
            copied[f"{ADMIN_DIR}/{VENDOR_DIR}/{p.name}"] = p
        elif rel.startswith(YAML_DIST + "/"):
            copied[f"{ADMIN_DIR}/yaml/{rel.removeprefix(YAML_DIST + '/')}"] = p
    return generated, copied


def write_admin(site_dir: Path, settings, root: Path | None = None) -> int:
    """Write /admin/ into a built site folder; the number of bytes written."""
    generated, copied = admin_files(settings, root)
    total = 0
    for rel, data in generated.items():
        (site_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / rel).write_bytes(data)
        total += len(data)
    for rel, src in copied.items():
        (site_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, site_dir / rel)
        total += src.stat().st_size
    return total


def config_json(settings) -> str:
    """The configuration as JSON, for tests and for reading."""
    return json.dumps(cms_config(settings), ensure_ascii=False, indent=2)
