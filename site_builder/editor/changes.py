"""Reviews a non-programmer can read: what each changed file changes, records field by field.

Every file a pull request touches is listed: records field by field, images with the brand and
field using them, settings.yml setting by setting, hand-written pages by title, and the files
that change the program itself (workflows, code, templates, packages), flagged at the top for a
technical reviewer. The text goes into GitHub's job summary, rendered as Markdown with HTML: every
value taken from the pull request is escaped (`md`) or put in a code span that it cannot leave
(`code`), so that markup in a value shows as text and cannot hide or fake a line of the review.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Code, Reporter
from ..load.frontmatter import MAX_FILE_BYTES, parse_yaml, read_document
from ..load.settings import load_settings
from ..project import resolve_build_date
from ..schema.brand import BRAND, PUBLISHED, SLUG_PATTERN, person_is_public
from ..schema.fields import Amount, Image, ListOf, Number, Obj, Spec, label_words
from ..schema.news import NEWS, NEWS_PLAIN, PERSON_REF
from ..schema.round import ROUND
from ..schema.settings import SETTINGS
from ..schema.video import Video

BODY = {"brands": "品牌故事", "evaluations": "评选公告", "news": "正文"}
KINDS = {"brands": ("品牌档案", BRAND), "evaluations": ("评选档案", ROUND), "news": ("动态", NEWS)}
# Listing pages that show a brand's field, by field (besides the brand's own page).
_TAXONOMY = {"category": "categories", "districts": "districts", "programs": "programs",
             "cooperation_regions": "regions"}
_LISTED = {"people": ["people/"], "venues": ["venues/"], "figures": ["stats/"]}


@dataclass
class RecordChange:
    path: str  # repository-relative
    name: str
    lines: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    note: str = ""
    broken: bool = False  # the new version cannot be read: the build would fail
    offline: list[str] = field(default_factory=list)  # addresses that stop working, and when
    private: list[str] = field(default_factory=list)  # changes to fields never published
    story: list[str] = field(default_factory=list)  # the story's changed sentences


def plain(node: Node | None):
    """A node tree as plain text, lists and tables, without validation (any record can be read)."""
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SequenceNode):
        return [plain(n) for n in node.value]
    if isinstance(node, MappingNode):
        return {k.value: plain(v) for k, v in node.value if isinstance(k, ScalarNode)}
    return None


def read_record(relpath: str, data: bytes | None) -> tuple[dict, str] | None:
    """(fields, body) of a record file as written, or None when absent or unreadable."""
    return read_record_checked(relpath, data)[0]


def read_record_checked(relpath: str, data: bytes | None
                        ) -> tuple[tuple[dict, str] | None, list]:
    """(fields, body) or None, with the diagnostics that made a present file unreadable (a file
    that fails to parse is a problem to fix before merging, never a deletion)."""
    if data is None:
        return None, []
    rep = Reporter(relpath)
    doc = read_document(relpath, data, rep)
    if doc is None or doc.root is None:
        return None, rep.items
    return (plain(doc.root) or {}, doc.body), []


# -- quoting what the pull request wrote -----------------------------------------------------------

_LINE_BREAKS = {"\r\n": " ⏎ ", "\n": " ⏎ ", "\r": " ⏎ ", "\u2028": " ⏎ ", "\u2029": " ⏎ ",
                "\x0b": " ⏎ ", "\x0c": " ⏎ ", "\x85": " ⏎ ", "\t": " "}
_LINE_BREAK_RX = re.compile("|".join(map(re.escape, _LINE_BREAKS)))
# Markdown's (and GitHub's: strikethrough, math, tables) punctuation, escaped with a backslash;
# < > & as entities, so that no raw HTML (comments, <details>, <img>) can start in a value.
_MD_ESCAPES = {c: "\\" + c for c in "\\`*_[](){}#!|~$"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def one_line(text) -> str:
    """A value on one visible line: line breaks shown as ⏎, and every control or invisible format
    character (direction overrides, zero-width characters) shown by its code point."""
    text = _LINE_BREAK_RX.sub(lambda m: _LINE_BREAKS[m.group()], str(text))
    return "".join(f"⟨U+{ord(c):04X}⟩" if unicodedata.category(c) in ("Cc", "Cf") else c
                   for c in text)


def md(text) -> str:
    """Any text as Markdown that renders as exactly that text (on one line), in GitHub's Markdown
    with HTML: no link, image, emphasis, HTML tag or comment can start inside it."""
    return "".join(_MD_ESCAPES.get(c, c) for c in one_line(text))


def code(text) -> str:
    """Any text (a path, an address) as a code span it cannot leave: fenced by more backticks than
    it holds in a row, on one line. Inside a code span Markdown and HTML are not interpreted."""
    text = one_line(text) or " "
    fence = "`" * (max((len(r) for r in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (
        text.strip() and text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _q(value) -> str:
    """A quoted value in full (escaped): a cut value could hide its end from the reviewer."""
    return f"“{md(value)}”"


def _empty(v) -> bool:
    return v is None or v == "" or v == [] or v == {}


def _item_name(item) -> str:
    if isinstance(item, dict):
        for key in ("name", "label", "id", "title", "brand", "key", "path"):
            if isinstance(item.get(key), str) and item[key]:
                return item[key]
        return "（未命名）"
    return str(item)


def _item_key(item, spec: Obj) -> str:
    return _item_name(item) if isinstance(item, dict) else str(item)


def describe(spec: Spec, old, new, label: str) -> list[str]:
    """Chinese phrases for what changed between two values of one field."""
    if old == new or (_empty(old) and _empty(new)):
        return []
    if _empty(old):
        if isinstance(spec, ListOf):
            return [f"新增{label} {md(_item_name(v)) if isinstance(v, dict) else _q(v)}"
                    for v in new if not _empty(v)] if isinstance(new, list) else [f"新增{label}"]
        if isinstance(spec, Obj):
            return [f"新增{label}"] if not isinstance(new, dict) else [
                p for k, s in spec.fields.items()
                for p in describe(s, None, new.get(k), f"{label}·{s.label}")]
        return [f"新增{label} {_q(new)}"]
    if _empty(new):
        if isinstance(spec, ListOf) and isinstance(old, list):
            return [f"删去{label} {md(_item_name(v)) if isinstance(v, dict) else _q(v)}"
                    for v in old]
        return [f"删去{label}（原为 {_q(old) if not isinstance(old, (dict, list)) else '…'}）"]
    if isinstance(spec, ListOf) and isinstance(old, list) and isinstance(new, list):
        return _describe_list(spec, old, new, label)
    if isinstance(spec, Obj) and isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k, s in spec.fields.items():
            out += describe(s, old.get(k), new.get(k), f"{label}·{s.label}")
        return out
    if isinstance(spec, (Number, Amount)):
        return [f"{label} {md(old)} → {md(new)}"]
    if isinstance(old, dict) and isinstance(new, dict):  # a table keyed by ids (score sheets)
        return [f"{label} {p}" for p in _describe_table(old, new)]
    return [f"{label}：由 {_q(old)} 改为 {_q(new)}"]


def _describe_table(old: dict, new: dict, prefix: str = "") -> list[str]:
    out = []
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key), new.get(key)
        where = f"{prefix}{md(key)}"
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            out += _describe_table(a, b, where + "·")
        elif a is None:
            out.append(f"新增 {where} {_q(b) if not isinstance(b, dict) else ''}".rstrip())
        elif b is None:
            out.append(f"删去 {where}")
        else:
            out.append(f"{where} {md(a)} → {md(b)}")
    return out


def _describe_list(spec: ListOf, old: list, new: list, label: str) -> list[str]:
    item = spec.item
    if not isinstance(item, Obj):
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        parts = [f"新增 {_q(v)}" for v in added] + [f"删去 {_q(v)}" for v in removed]
        if not parts:  # the same values, another order
            return [f"{label}：顺序改为 {'、'.join(md(v) for v in new)}"]
        return [f"{label}：" + "，".join(parts)]
    olds = {_item_key(v, item): v for v in old}
    news = {_item_key(v, item): v for v in new}
    out = []
    for key, v in news.items():
        if key not in olds:
            out.append(f"新增{item.label} {md(key)}")
    for key, v in olds.items():
        if key not in news:
            out.append(f"删去{item.label} {md(key)}")
    for key, v in news.items():
        if key in olds and olds[key] != v:
            changes = []
            for k, s in item.fields.items():
                a = olds[key].get(k) if isinstance(olds[key], dict) else None
                b = v.get(k) if isinstance(v, dict) else None
                if a != b and isinstance(s, (Number, Amount)) and not _empty(a) and not _empty(b):
                    changes.append((s, f"{md(a)} → {md(b)}"))
                else:
                    changes += [(s, p) for p in describe(s, a, b, s.label)]
            if len(changes) == 1 and isinstance(changes[0][0], (Number, Amount)):
                out.append(f"{label} {md(key)} {changes[0][1]}")
            else:
                out.append(f"{label} {md(key)}：" + "，".join(
                    (f"{s.label} {p}" if isinstance(s, (Number, Amount)) else p) for s, p in changes))
    return out


def unreadable_change(relpath: str, problems: list) -> RecordChange:
    """A record whose new version cannot be read: the problem, with its line, to fix before
    merging (the build fails on it); never shown as a deletion."""
    first = problems[0] if problems else None
    line = first.line if first is not None else 1
    # the file itself (encoding, size, the front matter's fences) is named by its problem's
    # title; anything the YAML reader found is a YAML error
    own = {c.name for c in (Code.Y001, Code.Y002, Code.Y003, Code.Y004)}
    what = first.title if first is not None and first.code in own else "YAML 错误"
    ch = RecordChange(relpath, PurePosixPath(relpath).stem, broken=True,
                      note=f"档案无法读取（{what}，第 {line} 行）：合并前必须改正")
    ch.lines = [f"第 {d.line} 行：{md(d.message)}" for d in problems[:5]]
    return ch


# Fields that never reach the site, the search or the open data: listed apart, as such.
_PRIVATE_LABELS = (BRAND.fields["editor_note"].label,)
_PRIVATE_PARTS = tuple(sep + BRAND.fields["people"].item.fields["consent"].label
                       for sep in ("·", "："))
OFFLINE = "这个页面将下线，地址失效"
# A sentence of the story: up to its closing punctuation (Chinese or Western) or the line's end.
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
MAX_STORY_LINES = 8


def _private(line: str) -> bool:
    return line.startswith(_PRIVATE_LABELS) or any(p in line for p in _PRIVATE_PARTS)


def _sentences(text: str) -> list[str]:
    return [m.group().strip() for m in _SENTENCE.finditer(text) if m.group().strip()]


def story_sentences(old: str, new: str) -> list[str]:
    """The story's changed sentences: each replaced, removed or added one, quoted."""
    import difflib

    a, b = _sentences(old), _sentences(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            was = olds[k] if k < len(olds) else None
            now = news[k] if k < len(news) else None
            if was is not None and now is not None:
                out.append(f"由 {_q(was)} 改为 {_q(now)}")
            elif now is not None:
                out.append(f"新增 {_q(now)}")
            else:
                out.append(f"删去 {_q(was)}")
    if len(out) > MAX_STORY_LINES:
        out = out[:MAX_STORY_LINES] + [f"另有 {len(out) - MAX_STORY_LINES} 处改动，见文件的差异"]
    return out


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _offline(folder: str, stem: str, old_stem: str, of: dict, nf: dict, was: bool, now: bool,
             deleted: bool, today: dt.date) -> list[str]:
    """Where a page the public could open goes away: withdrawn, deleted, moved, or its 下线日期
    passed; and when a published page will come down or go up later."""
    if folder != "brands":
        return []
    page = code(f"/brands/{stem}/")
    until, since = _date(nf.get("publish_until") or ""), _date(nf.get("publish_from") or "")
    live_before = was and not ((u := _date(of.get("publish_until") or "")) and u <= today)
    out = []
    if old_stem and was:
        out.append(f"{OFFLINE}：{code(f'/brands/{old_stem}/')}（页面移到 {page}，旧地址的链接和收藏都会打不开）")
    elif was and deleted:
        out.append(f"{OFFLINE}：{page}（档案被删除）")
    elif was and not now:
        out.append(f"{OFFLINE}：{page}（发布状态改为 {_q(nf.get('status') or '空')}）")
    elif now and until and until <= today and live_before:
        out.append(f"{OFFLINE}：{page}（下线日期 {until.isoformat()} 已到）")
    elif now and until and until > today and nf.get("publish_until") != of.get("publish_until"):
        out.append(f"这个页面将于 {until.isoformat()} 下线，之后地址失效：{page}")
    if now and since and since > today and nf.get("publish_from") != of.get("publish_from"):
        out.append(f"这个页面要到 {since.isoformat()} 才上线：{page}")
    return out


def record_change(relpath: str, old: tuple[dict, str] | None, new: tuple[dict, str] | None,
                  old_path: str = "", today: dt.date | None = None) -> RecordChange:
    """What changed in one record file, field by field in the schema's order, and which pages;
    `old_path` when the record was renamed or moved (its page address changes)."""
    folder = PurePosixPath(relpath).parts[0]
    kind, spec = KINDS[folder]
    of, ob = old if old else ({}, "")
    nf, nb = new if new else ({}, "")
    name = str(nf.get("name") or nf.get("title") or of.get("name") or of.get("title")
               or PurePosixPath(relpath).stem)
    ch = RecordChange(relpath, name)
    was, now = of.get("status") == PUBLISHED, nf.get("status") == PUBLISHED
    if old_path:
        ch.note = f"改名/移动：{code(old_path)} → {code(relpath)}" + (
            "（页面地址变化）" if was or now else "")
    elif old is None:
        ch.note = f"新建{kind}" + ("" if now else
                                  f"（{md(nf.get('status') or '未写发布状态')}：不出现在网站上）")
    elif new is None:
        ch.note = f"删除{kind}" + ("：网站上的页面随之删除" if was else "")
    for key, s in spec.fields.items():
        if old is None and key in ("slug", "status") or old_path and key == "slug":
            continue
        ch.lines += describe(s, of.get(key), nf.get(key), s.label)
    unknown = [k for k in {**of, **nf} if k not in spec.fields and of.get(k) != nf.get(k)]
    ch.lines += [f"未知字段 {md(k)}：由 {_q(of.get(k, ''))} 改为 {_q(nf.get(k, ''))}"
                 for k in unknown]
    ch.private = [line for line in ch.lines if _private(line)]
    ch.lines = [line for line in ch.lines if not _private(line)]
    if ob.strip() != nb.strip() and new is not None and not (old is None and not nb.strip()):
        ch.story = story_sentences(ob, nb) if old is not None else [
            f"新写了 {len(_sentences(nb))} 句"]
        if not ch.story:  # only the line breaks or the spacing changed
            ch.story = ["只改了换行或空格"]
    person_pages: list[str] = []
    if folder == "brands":
        stem = PurePosixPath(relpath).stem
        before = person_pages_of(PurePosixPath(old_path).stem if old_path else stem, of) if was else {}
        after = person_pages_of(stem, nf) if now else {}
        for url in after:
            if url not in before:
                ch.lines.append(f"人物页面：新增“{md(after[url])}”的个人页面（{code('/' + url)}）")
        for url in before:
            if url not in after:
                ch.lines.append(f"人物页面：删去“{md(before[url])}”的个人页面（{code('/' + url)}），"
                                "网站上的这个页面随之删除")
        # a page changes when its person does, or the brand's name it shows
        people_then = {u: p for u, p in _people_by_page(stem, of).items() if u in before}
        people_now = {u: p for u, p in _people_by_page(stem, nf).items() if u in after}
        renamed = of.get("name") != nf.get("name")
        person_pages = [u for u in dict.fromkeys([*before, *after])
                        if renamed or people_then.get(u) != people_now.get(u)]
    today = today or resolve_build_date()
    ch.offline = _offline(folder, PurePosixPath(relpath).stem,
                          PurePosixPath(old_path).stem if old_path else "", of, nf, was, now,
                          new is None, today)
    if ch.private and not ch.lines and not ch.story and not ch.note and not ch.offline:
        return ch  # only fields the public never sees: no page changes
    if was or now:
        ch.pages = pages_of(folder, PurePosixPath(relpath).stem, of if was else {},
                            nf if now else {})
        if old_path and was:  # the old address goes away
            old_page = pages_of(folder, PurePosixPath(old_path).stem, {}, {})[1]
            ch.pages = list(dict.fromkeys([*ch.pages, old_page]))
        ch.pages = list(dict.fromkeys([*ch.pages, *person_pages]))
    return ch


def person_pages_of(stem: str, record: dict) -> dict[str, str]:
    """The person pages a published brand record gives (address → name): one per person the
    site shows, addressed by their `id`, else their place in the list (as render/news.py's
    `person_key`; the editor layer does not import the renderer)."""
    sources = [s for s in record.get("sources") or [] if isinstance(s, dict) and "id" in s]
    return {url: str(p.get("name") or "") for url, p in _people_by_page(stem, record).items()
            if person_is_public(p, sources)}


def _people_by_page(stem: str, record: dict) -> dict[str, dict]:
    return {f"people/{stem}/{quote(str(p.get('id') or i + 1), safe='')}/": p
            for i, p in enumerate(record.get("people") or []) if isinstance(p, dict)}


def pages_of(folder: str, stem: str, old: dict, new: dict) -> list[str]:
    """The site paths whose content changes: the record's page and the lists showing it."""
    pages = [""]  # the home page shows progress and featured brands
    if folder == "brands":
        pages += [f"brands/{stem}/", "brands/"]
        for key, tax in _TAXONOMY.items():
            values = set()
            for rec in (old, new):
                v = rec.get(key)
                values.update(v if isinstance(v, list) else [v] if v else [])
            pages += [f"{tax}/{quote(str(v), safe='')}/" for v in sorted(values, key=str)]
        for key, listed in _LISTED.items():
            if old.get(key) != new.get(key):
                pages += listed
    elif folder == "news":  # the item's page, the list, and the brand and people pages naming it
        pages += [f"news/{stem}/", "news/"]
        for rec in (old, new):  # only well-formed references: a page address, never a path
            pages += [f"brands/{b}/" for b in rec.get("brands") or []
                      if re.fullmatch(SLUG_PATTERN, str(b))]
            pages += [f"people/{ref}/" for ref in rec.get("people") or []
                      if re.fullmatch(PERSON_REF, str(ref))]
            if rec and rec.get("kind") and rec.get("kind") != NEWS_PLAIN:
                pages.append("events.ics")
    else:
        pages += [f"evaluations/{stem}/", "evaluations/"]
    return list(dict.fromkeys(pages))


# -- what changed: every path, from Git ---------------------------------------------------------

@dataclass
class PathChange:
    """One changed path as Git reports it: A added, M modified, D deleted, R renamed (from `old`),
    T type changed (a file became a link)."""
    status: str
    path: str
    old: str = ""


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True, encoding="utf-8", errors="surrogateescape").stdout


def changed_paths(root: Path, base: str) -> list[PathChange]:
    """Every path changed since `base` (committed, staged, unstaged or new), renames found by
    content; NUL-separated, so that no file name (spaces, quotes, line breaks) is misread."""
    out = _git(root, "diff", "-z", "--name-status", "--find-renames", "--no-ext-diff",
               "--end-of-options", base, "--")
    words = out.split("\0")
    found: list[PathChange] = []
    i = 0
    while i < len(words) and words[i]:
        status = words[i][0]
        if status in "RC":
            found.append(PathChange("R" if status == "R" else "A", words[i + 2], words[i + 1]))
            i += 3
        else:
            found.append(PathChange(status, words[i + 1]))
            i += 2
    for p in _git(root, "ls-files", "-z", "--others", "--exclude-standard").split("\0"):
        if p:
            found.append(PathChange("A", p))
    seen: dict[str, PathChange] = {}
    for c in found:
        seen.setdefault(c.path, c)
    return sorted(seen.values(), key=lambda c: c.path)


def _is_record(rel: str) -> bool:
    pp = PurePosixPath(rel)
    return (len(pp.parts) == 2 and pp.parts[0] in KINDS and pp.suffix == ".md"
            and pp.name != "README.md")


def changed_records(root: Path, base: str) -> list[str]:
    """Record files changed since `base` (a renamed record counts at both names)."""
    paths = []
    for c in changed_paths(root, base):
        paths += [p for p in (c.old, c.path) if p and _is_record(p)]
    return sorted(dict.fromkeys(paths))


def _at_base(root: Path, base: str, relpath: str) -> bytes | None:
    done = subprocess.run(["git", "cat-file", "blob", f"{base}:{relpath}"], cwd=root,
                          capture_output=True, check=False)
    return done.stdout if done.returncode == 0 else None


def _link_in(root: Path, rel: str) -> Path | None:
    """The first symbolic link on the way to `rel` inside the checkout, if any: its content is
    never read (a link could point at the runner's own files)."""
    here = root
    for part in PurePosixPath(rel).parts:
        here = here / part
        if here.is_symlink():
            return here
    return None


def _now(root: Path, rel: str) -> bytes | None:
    """A file's bytes in the checkout; None when absent, not a file, or behind a link."""
    path = root / rel
    if _link_in(root, rel) is not None or not path.is_file():
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


# -- every other file, by kind -------------------------------------------------------------------

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff",
                  ".ico", ".svg", ".heic"}
WORKFLOW_DIRS = (".github", ".gitea", ".forgejo", ".ci")
CODE_DIRS = ("site_builder", "tools", "tests", "bench")
VIDEO_SUFFIXES = {".mp4", ".vtt"}  # a brand's videos and their captions (schema/video.py)
# files in docs/ the site offers for download as they are (not pages, not styles or scripts)
DOWNLOAD_SUFFIXES = {".pdf", ".txt", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps",
                     ".odt", ".ods", ".odp", ".csv", ".zip", ".rar", ".7z", ".mp3", ".mp4"}
CODE_FILES = {"Makefile", "conftest.py", "setup.py", "setup.cfg", "noxfile.py", "tox.ini"}
CODE_SUFFIXES = {".py", ".js", ".mjs", ".cjs", ".ts", ".sh", ".bash", ".ps1", ".bat", ".cmd"}
PACKAGE_FILES = {"package.json", "package-lock.json", "npm-shrinkwrap.json", "pyproject.toml",
                 "constraints.txt", ".npmrc", ".python-version", "requirements.txt", "uv.lock",
                 "poetry.lock", "Pipfile", "Pipfile.lock", ".nvmrc"}
# section → (heading, whether a technical reviewer must look); in the order shown
SECTIONS = {
    "settings": ("站点设置（settings.yml）", True),
    "images": ("图片", False),
    "videos": ("视频和字幕", False),
    "pages": ("手写页面（docs/）", False),
    "downloads": ("供下载的文件", False),
    "templates": ("网页模板、样式和网页脚本", True),
    "workflows": ("自动化流程（检查、构建和发布）", True),
    "code": ("程序代码", True),
    "engine": ("网站引擎配置（mkdocs.yml）", True),
    "packages": ("依赖的软件包", True),
    "links": ("符号链接", True),
    "other": ("其他文件", False),
}
_STATUS = {"A": "新增", "M": "修改", "D": "删除", "R": "改名", "T": "改变类型"}
_BUILD = ("workflows", "code", "engine", "packages", "links")
_SHORT = {"workflows": "自动化流程", "code": "程序代码", "engine": "网站引擎配置",
          "packages": "依赖的软件包", "links": "符号链接"}


@dataclass
class FileChange:
    section: str
    path: str
    status: str
    old_path: str = ""
    lines: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    address: str = ""  # a file published as it is (a download): its site path
    # an image's bytes before and after (for its thumbnails), and the thumbnails' file names
    images: tuple[bytes | None, bytes | None] = field(default=(None, None), repr=False)
    thumbs: tuple[str, str] = ("", "")


class Summary(list):
    """The records' changes (a list, as before), with every other changed file in `files`. Each
    file's pages are in the list too (as `FileChange`s), so whoever collects pages sees them."""

    def __init__(self, records=(), files=()):
        super().__init__(records)
        self.files: list[FileChange] = list(files)
        self.extend(f for f in self.files if f.pages)


def section_of(rel: str) -> str:
    pp = PurePosixPath(rel)
    top, suffix = pp.parts[0], pp.suffix.lower()
    if rel == "settings.yml":
        return "settings"
    if suffix in IMAGE_SUFFIXES and top not in (*WORKFLOW_DIRS, *CODE_DIRS, "templates"):
        return "images"
    if suffix in VIDEO_SUFFIXES and top == "brands":
        return "videos"
    if top == "docs":
        if suffix == ".md":
            return "pages"
        # docs' other files are published as they are: documents to download, or CSS and scripts
        return "downloads" if suffix in DOWNLOAD_SUFFIXES else "templates"
    if top == "templates":
        return "templates"
    if top in WORKFLOW_DIRS or rel == ".gitlab-ci.yml":
        return "workflows"
    if rel == "mkdocs.yml":
        return "engine"
    if pp.name in PACKAGE_FILES or (pp.name.startswith("requirements") and suffix == ".txt"):
        return "packages"
    if top in CODE_DIRS or rel in CODE_FILES or suffix in CODE_SUFFIXES:
        return "code"
    return "other"


def _bytes(data: bytes | None) -> str:
    """'120 KB': a file's size as a reviewer reads it."""
    if data is None:
        return "无"
    n = len(data)
    return f"{n} 字节" if n < 1024 else f"{n / 1024:.0f} KB" if n < 1024 * 1024 \
        else f"{n / 1024 / 1024:.1f} MB"


def _size(data: bytes | None) -> str:
    """'120 KB，1600×900 像素' from the image's header (never decoded here)."""
    if data is None:
        return "无"
    size = _bytes(data)
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(data)) as im:
            return f"{size}，{im.width}×{im.height} 像素"
    except (OSError, ValueError, SyntaxError, EOFError, PILImage.DecompressionBombError):
        # any file at all may be named .png in a pull request
        return f"{size}，无法读取图片尺寸"


def _image_uses(spec: Spec, value, label: str, name: str) -> list[str]:
    """Where a brand's record uses the image file `name` (relative to the brand's folder)."""
    if isinstance(spec, Image):
        path = value.get("path") if isinstance(value, dict) else None
        return [label] if isinstance(path, str) and path.removeprefix("./") == name else []
    if isinstance(spec, Obj) and isinstance(value, dict):
        return [u for k, s in spec.fields.items()
                for u in _image_uses(s, value.get(k), f"{label}·{s.label}" if label else s.label,
                                     name)]
    if isinstance(spec, ListOf) and isinstance(value, list):
        return [u for v in value
                for u in _image_uses(spec.item, v, f"{label} {_item_name(v)}"
                                     if isinstance(v, dict) else label, name)]
    return []


def _record_at(root: Path, base: str, rel: str) -> tuple[dict, str] | None:
    return read_record(rel, _now(root, rel)) or read_record(rel, _at_base(root, base, rel))


def image_change(root: Path, base: str, c: PathChange) -> FileChange:
    """An image added, replaced or removed: whose it is, which field shows it, size before and
    after; for a brand's image, the brand's pages."""
    ch = FileChange("images", c.path, c.status, c.old)
    old = _at_base(root, base, c.old or c.path) if c.status != "A" else None
    new = _now(root, c.path) if c.status != "D" else None
    verb = {"A": "新增图片", "D": "删除图片", "R": "改名的图片"}.get(
        c.status, "替换图片" if old != new else "图片（内容未变）")
    pp = PurePosixPath(c.path)
    line = verb
    if pp.parts[0] == "brands" and len(pp.parts) >= 3:
        slug, name = pp.parts[1], PurePosixPath(*pp.parts[2:]).as_posix()
        rel = f"brands/{slug}.md"
        record = _record_at(root, base, rel)
        fields, body = record if record else ({}, "")
        uses = _image_uses(BRAND, fields, "", name)
        if name in body:
            uses.append(BODY["brands"] + "中的插图")
        brand = md(fields.get("name") or slug)
        line += f"：品牌 **{brand}** 的" + ("、".join(md(u) for u in uses) if uses
                                          else "文件夹中的图片（档案中没有用到）")
        if fields.get("status") == PUBLISHED and uses:
            ch.pages = pages_of("brands", slug, {}, {})[:3]
            ch.pages += [p for key, listed in _LISTED.items() for p in listed
                         if any(u.startswith(BRAND.fields[key].label) for u in uses)]
    elif old is None and new is None:
        line += "：不是普通文件"
    ch.lines.append(line)
    ch.images = (old, new)
    if c.status in ("A",):
        ch.lines.append(_size(new))
    elif c.status == "D":
        ch.lines.append(f"原为 {_size(old)}")
    else:
        ch.lines.append(f"{_size(old)} → {_size(new)}")
    return ch


def _video_uses(spec: Spec, value, label: str, name: str) -> list[str]:
    """Where a brand's record uses the video or captions file `name`: each video's field."""
    if isinstance(spec, Video):
        if not isinstance(value, dict):
            return []
        title = md(str(value.get("title") or ""))
        return [f"{label}“{title}”·{spec.fields[k].label}" for k in ("path", "captions")
                if isinstance(value.get(k), str) and value[k].removeprefix("./") == name]
    if isinstance(spec, Obj) and isinstance(value, dict):
        return [u for k, s in spec.fields.items()
                for u in _video_uses(s, value.get(k), f"{label}·{s.label}" if label else s.label,
                                     name)]
    if isinstance(spec, ListOf) and isinstance(value, list):
        return [u for v in value
                for u in _video_uses(spec.item, v, f"{label} {_item_name(v)}"
                                     if isinstance(v, dict) and not isinstance(spec.item, Video)
                                     else label, name)]
    return []


def _video_size(name: str, data: bytes | None) -> str:
    """'1.2 MB，1280×720，125 秒' of a video (from its header, read by PyAV), '2 KB，12 条字幕'
    of captions."""
    if data is None:
        return "无"
    size = _bytes(data)
    if name.lower().endswith(".vtt"):
        cues = data.decode("utf-8", "replace").count("-->")
        return f"{size}，{cues} 条字幕"
    import av

    try:
        with av.open(io.BytesIO(data), metadata_errors="ignore") as c:
            v = c.streams.video[0]
            seconds = (float(v.duration * v.time_base) if v.duration and v.time_base
                       else (c.duration or 0) / 1_000_000)
            return f"{size}，{v.codec_context.width}×{v.codec_context.height}，{round(seconds)} 秒"
    except (av.FFmpegError, OSError, ValueError, IndexError):
        return f"{size}，无法读取视频"  # validation names the problem


def video_change(root: Path, base: str, c: PathChange) -> FileChange:
    """A video or captions file added, replaced or removed, told as an image is: whose it is,
    which video uses it, size and length before and after; the brand's pages."""
    ch = FileChange("videos", c.path, c.status, c.old)
    old = _at_base(root, base, c.old or c.path) if c.status != "A" else None
    new = _now(root, c.path) if c.status != "D" else None
    what = "字幕" if c.path.lower().endswith(".vtt") else "视频"
    line = {"A": f"新增{what}", "D": f"删除{what}", "R": f"改名的{what}"}.get(
        c.status, f"替换{what}" if old != new else f"{what}（内容未变）")
    pp = PurePosixPath(c.path)
    if len(pp.parts) >= 3:
        slug, name = pp.parts[1], PurePosixPath(*pp.parts[2:]).as_posix()
        record = _record_at(root, base, f"brands/{slug}.md")
        fields = record[0] if record else {}
        uses = _video_uses(BRAND, fields, "", name)
        line += f"：品牌 **{md(fields.get('name') or slug)}** 的" + (
            "、".join(uses) if uses else f"文件夹中的{what}（档案中没有用到）")
        if fields.get("status") == PUBLISHED and uses:
            ch.pages = pages_of("brands", slug, {}, {})[:3]
    ch.lines.append(line)
    if c.status == "A":
        ch.lines.append(_video_size(c.path, new))
    elif c.status == "D":
        ch.lines.append(f"原为 {_video_size(c.path, old)}")
    else:
        ch.lines.append(f"{_video_size(c.path, old)} → {_video_size(c.path, new)}")
    return ch
# -- thumbnails of changed images -----------------------------------------------------------------

THUMB_SIDE = 240  # the longest side of a thumbnail, in pixels
THUMBS_DIR = "thumbs"  # beside the summary: in the screenshots' artifact and the preview's _shots/
_THUMB_MAX_PIXELS = 40_000_000  # as the checks' limit (validate/images.py): bigger is not decoded
_THUMB_REF = re.compile(r"!\[([^\]\n]*)\]\((" + THUMBS_DIR + r"/\d+-(?:before|after)\.jpg)\)")


def thumbnail(data: bytes | None) -> bytes | None:
    """A small JPEG (longest side at most THUMB_SIDE) of an image file from the pull request, or
    None when it is no image Pillow reads or has more pixels than the checks allow (any file may
    be named .png in a pull request; its header is read before anything is decoded)."""
    if not data:
        return None
    from PIL import Image as PILImage
    from PIL import ImageOps

    try:
        with warnings.catch_warnings():
            # Pillow's bomb warning: the size is checked right below, before decoding
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            im = PILImage.open(io.BytesIO(data))
        with im:
            if im.width * im.height > _THUMB_MAX_PIXELS:
                return None
            im.draft("RGB", (THUMB_SIDE * 2, THUMB_SIDE * 2))  # JPEG: decode at a smaller scale
            im = ImageOps.exif_transpose(im)
            im.thumbnail((THUMB_SIDE, THUMB_SIDE))
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                im = im.convert("RGBA")
                flat = PILImage.new("RGB", im.size, (255, 255, 255))
                flat.paste(im, mask=im.getchannel("A"))
                im = flat
            out = io.BytesIO()
            im.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
            return out.getvalue()
    except (OSError, ValueError, SyntaxError, EOFError, PILImage.DecompressionBombError):
        return None


def write_thumbnails(changes: Summary, dest: Path) -> int:
    """Thumbnails of every changed image before and after, as dest/N-before.jpg and N-after.jpg
    (N counts the changed images; no name is taken from the pull request); the number written."""
    written = 0
    images = [f for f in getattr(changes, "files", []) if f.section == "images"]
    for n, f in enumerate(images, 1):
        names = []
        for side, data in zip(("before", "after"), f.images):
            thumb = thumbnail(data)
            name = ""
            if thumb is not None:
                dest.mkdir(parents=True, exist_ok=True)
                name = f"{n}-{side}.jpg"
                (dest / name).write_bytes(thumb)
                written += 1
            names.append(name)
        f.thumbs = (names[0], names[1])
    return written


def _thumb_line(f: FileChange) -> list[str]:
    before, after = f.thumbs
    if not (before or after):
        return []
    shown = [f"![合并前]({THUMBS_DIR}/{before})" if before else "合并前：无",
             f"![合并后]({THUMBS_DIR}/{after})" if after else "合并后：无"]
    return ["  - 缩略图：" + " → ".join(shown)]


def thumbs_at(text: str, base_url: str = "") -> str:
    """The summary's thumbnails where they are served: under `base_url` (the preview's folder
    that holds thumbs/), or, with no such address (GitHub's job summary, no preview), named as
    files of the screenshots' artifact."""
    if base_url:
        return _THUMB_REF.sub(lambda m: f"![{m.group(1)}]({base_url.rstrip('/')}/{m.group(2)})",
                              text)
    return _THUMB_REF.sub(lambda m: f"{m.group(1)}：截图构件中的 {code(m.group(2))}", text)


def _yaml_value(rel: str, data: bytes | None):
    """A YAML file's values as plain text, lists and tables, read as strictly as the settings
    (None when absent or unreadable)."""
    if data is None or len(data) > MAX_FILE_BYTES:
        return None
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None
    node = parse_yaml(text, Reporter(rel))
    return plain(node) if node is not None else None


def settings_change(root: Path, base: str, c: PathChange) -> FileChange:
    """settings.yml setting by setting, with the Chinese names of the settings' declaration (and
    the key, for the technical reviewer)."""
    ch = FileChange("settings", c.path, c.status, c.old)
    old = _yaml_value(c.path, _at_base(root, base, c.path)) if c.status != "A" else None
    new = _yaml_value(c.path, _now(root, c.path)) if c.status != "D" else None
    if c.status == "D":
        ch.lines.append("删除了站点设置文件：网站无法构建")
        return ch
    if not isinstance(new, dict):
        ch.lines.append("新的 settings.yml 无法读取（格式有误），请技术人员查看原文")
        return ch
    old = old if isinstance(old, dict) else {}
    for key, spec in SETTINGS.fields.items():
        ch.lines += describe(spec, old.get(key), new.get(key), f"{spec.label}（{key}）")
    for key in dict.fromkeys([*old, *new]):
        if key not in SETTINGS.fields and old.get(key) != new.get(key):
            ch.lines.append(f"未知设置 {md(key)}：由 {_q(old.get(key, ''))} 改为 "
                            f"{_q(new.get(key, ''))}")
    if not ch.lines:
        ch.lines.append("只改了写法（格式或注释），设置的值不变")
    return ch


def _page_address(rel: str) -> str:
    """The site address of a hand-written page: docs/a/b.md → a/b/, docs/index.md → ''."""
    stem = PurePosixPath(rel).relative_to("docs").with_suffix("").as_posix()
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return stem + "/" if stem else ""


def _page_title(rel: str, data: bytes | None) -> str | None:
    record = read_record(rel, data)
    if record is None:
        return None
    fields, body = record
    if isinstance(fields.get("title"), str) and fields["title"].strip():
        return fields["title"]
    heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
    return heading.group(1).strip() if heading else None


def page_change(root: Path, base: str, c: PathChange) -> FileChange:
    ch = FileChange("pages", c.path, c.status, c.old)
    old_data = _at_base(root, base, c.old or c.path) if c.status != "A" else None
    new_data = _now(root, c.path) if c.status != "D" else None
    title = _page_title(c.path, new_data) or _page_title(c.old or c.path, old_data)
    verb = {"A": "新增页面", "D": "删除页面", "R": "改名的页面"}.get(c.status, "修改页面")
    ch.lines.append(f"{verb}“{md(title)}”" if title else f"{verb}（没有标题）")
    new = read_record(c.path, new_data)
    if new is not None and new[0].get("status") in (None, PUBLISHED):
        ch.pages = [_page_address(c.path)]
    elif c.status != "D":
        ch.lines.append("不是已发布的页面：公开网站上没有它")
    return ch


def download_change(root: Path, base: str, c: PathChange) -> FileChange:
    """A document in docs/ offered for download: its size before and after, and its address."""
    ch = FileChange("downloads", c.path, c.status, c.old)
    old = _at_base(root, base, c.old or c.path) if c.status != "A" else None
    new = _now(root, c.path) if c.status != "D" else None
    verb = {"A": "新增供下载的文件", "D": "删除供下载的文件", "R": "改名的供下载文件"}.get(
        c.status, "替换供下载的文件" if old != new else "供下载的文件（内容未变）")
    sizes = (_bytes(new) if c.status == "A" else f"原为 {_bytes(old)}" if c.status == "D"
             else f"{_bytes(old)} → {_bytes(new)}")
    ch.lines += [verb, sizes]
    # its address, not a page to screenshot
    ch.address = PurePosixPath(c.path).relative_to("docs").as_posix()
    return ch


def file_change(root: Path, base: str, c: PathChange) -> FileChange:
    link = _link_in(root, c.path) if c.status != "D" else None
    if link is not None:
        ch = FileChange("links", c.path, c.status, c.old)
        try:
            target = link.readlink().as_posix()
        except OSError:
            target = "？"
        ch.lines.append(f"是指向 {code(target)} 的符号链接，其内容不读取")
        return ch
    section = section_of(c.path)
    if section == "images":
        return image_change(root, base, c)
    if section == "videos":
        return video_change(root, base, c)
    if section == "settings":
        return settings_change(root, base, c)
    if section == "pages":
        return page_change(root, base, c)
    if section == "downloads":
        return download_change(root, base, c)
    return FileChange(section, c.path, c.status, c.old)


def line_counts(root: Path, base: str) -> dict[str, tuple[str, str]]:
    """Lines added and removed per changed text file since `base` (renames under the new name)."""
    words = _git(root, "diff", "-z", "--numstat", "--find-renames", "--no-ext-diff",
                 "--end-of-options", base, "--").split("\0")
    out, i = {}, 0
    while i < len(words) and words[i]:
        added, removed, path = words[i].split("\t", 2)
        if path:
            i += 1
        else:  # a rename: the old and the new name follow
            path, i = words[i + 2], i + 3
        if added != "-":
            out[path] = (added, removed)
    return out


def _record_entry(root: Path, base: str, c: PathChange) -> RecordChange:
    """One changed record: unreadable now (a problem to fix, not a deletion), or field by field
    against the base (under its old name when renamed)."""
    data = _now(root, c.path) if c.status != "D" else None
    new, problems = read_record_checked(c.path, data)
    if data is not None and new is None:
        return unreadable_change(c.path, problems)
    old_path = c.old if c.status == "R" else ""
    old_data = _at_base(root, base, old_path or c.path)
    old = read_record(c.path, old_data)
    if old is None and old_data is not None:  # unreadable at the base: compare with nothing
        old = ({}, "")
    return record_change(c.path, old, new, old_path)


def summarize_changes(root: Path, base: str) -> Summary:
    """Every changed file since `base`: the records field by field, then every other file."""
    paths: list[PathChange] = []
    for c in changed_paths(root, base):
        if c.old and _is_record(c.old) and _is_record(c.path) and (
                PurePosixPath(c.old).parts[0] == PurePosixPath(c.path).parts[0]):
            paths.append(c)  # a record renamed or moved: one change, the page address changes
        elif c.old and (_is_record(c.old) or _is_record(c.path)):  # another kind: two changes
            paths += [PathChange("D", c.old), PathChange("A", c.path)]
        else:
            paths.append(c)
    records, files = [], []
    for c in paths:
        if not _is_record(c.path) or (c.status != "D" and _link_in(root, c.path) is not None):
            files.append(file_change(root, base, c))
            continue
        records.append(_record_entry(root, base, c))
    counts = line_counts(root, base)
    for f in files:
        if f.section != "images" and f.path in counts:
            added, removed = counts[f.path]
            f.lines.append(f"增加 {added} 行，删去 {removed} 行")
    settings, _ = load_settings(root)
    vocab = settings.vocab if settings is not None else {}
    words = {k: [md(w) for w in v] for k, v in vocab.items() if k == "area_label"}
    for ch in [*records, *files]:  # labels name the region's word for its areas ({area}: 区, 市…)
        ch.lines = [label_words(line, words) for line in ch.lines]
    return Summary(records, files)


# -- the review, as Markdown ---------------------------------------------------------------------

def _attention(files: list[FileChange]) -> list[str]:
    """The warnings at the top, in plain Chinese, for what needs a technical reviewer."""
    sections = {f.section for f in files}
    out = []
    if sections & set(_BUILD):
        named = "、".join(_SHORT[s] for s in _BUILD if s in sections)
        out.append(f"> ⚠ 这个拉取请求修改了构建程序或自动化流程（{named}），需要技术人员审查后"
                   "才能合并。")
    if "templates" in sections:
        out.append("> ⚠ 这个拉取请求修改了网页模板、样式或网页脚本，可能改变网站的每个页面，"
                   "需要技术人员审查。")  # each warning its own quote: they must not run together
    if "settings" in sections:
        out.append("> ⚠ 这个拉取请求修改了站点设置 settings.yml，会影响整个网站，请逐项核对下面的"
                   "“站点设置”。")
    return out


def _file_entry(f: FileChange, root: str) -> list[str]:
    head = f"- {_STATUS.get(f.status, '修改')} {code(f.path)}"
    if f.old_path:
        head = f"- 改名 {code(f.old_path)} → {code(f.path)}"
    out = [head]
    if f.section == "settings":
        out += [f"  - {line}" for line in f.lines]
    elif f.lines:
        out.append("  - " + "；".join(f.lines))
    if f.address:
        out.append("  - 网站上的地址：" + code(root + f.address))
    out += _thumb_line(f)
    if f.pages:
        out.append("  - 会变化的页面：" + "、".join(code(root + unquote(p)) for p in f.pages))
    return out


def _broken_warning(records: list[RecordChange]) -> list[str]:
    broken = [c for c in records if c.broken]
    if not broken:
        return []
    return [f"> ⚠ 有 {len(broken)} 个档案无法读取（" + "、".join(code(c.path) for c in broken)
            + "），网站无法构建：合并前必须改正。", ""]


def format_changes(changes: list[RecordChange], base: str, site_url: str = "") -> str:
    """The Chinese Markdown review: warnings for a technical reviewer first, one entry per record,
    then every other changed file by kind, then the pages that change (their addresses on the
    site at `site_url`, else from the site's root)."""
    root = site_url.rstrip("/") + "/" if site_url else "/"
    files: list[FileChange] = list(getattr(changes, "files", []))
    records = [c for c in changes if isinstance(c, RecordChange)]
    lines = ["## 改动说明", ""]
    if not records and not files:
        return "\n".join(lines + [f"与 {code(base)} 相比，没有修改任何文件。", ""])
    lines += _broken_warning(records)
    for warning in _attention(files):
        lines += [warning, ""]
    # never "没有修改" while a file changed: the files are counted, records or not
    counted = f"修改了 {len(records)} 个档案" if records else f"修改了 {len(files)} 个文件"
    if records and files:
        counted += f"、{len(files)} 个其他文件"
    elif files:
        counted += "（都不是品牌档案或评选档案）"
    lines += [f"与 {code(base)} 相比，{counted}。"]
    if records:
        lines += ["", "### 档案", "", "以下按字段说明网站上会看到的变化。", ""]
    for c in records:
        head = f"- **{md(c.name)}**（{code(c.path)}）"
        if c.note:
            head += f"：{c.note}"
        lines.append(head)
        if c.broken:
            lines += [f"  - 问题：{line}" for line in c.lines]
            continue
        lines += [f"  - ⚠ {o}" for o in c.offline]
        if c.lines:
            lines.append("  - " + "；".join(c.lines))
        if c.story:
            lines.append(f"  - {BODY[c.path.split('/')[0]]}改动的句子：")
            lines += [f"    - {s}" for s in c.story]
        if c.private:
            lines.append("  - 不公开的字段（只给编辑看，不出现在网站、搜索和开放数据中）："
                         + "；".join(c.private))
        if not (c.lines or c.story or c.private or c.note or c.offline):
            lines.append("  - 只改了写法（格式、注释或顺序），网站上的内容不变")
        if c.pages:
            lines.append("  - 会变化的页面：" + "、".join(code(root + unquote(p)) for p in c.pages))
        elif c.private and not (c.lines or c.story or c.note or c.offline):
            lines.append("  - 公开网站不变")
        else:
            lines.append("  - 不是已发布的档案：公开网站不变")
    for section, (title, _tech) in SECTIONS.items():
        entries = [f for f in files if f.section == section]
        if entries:
            lines += ["", f"### {title}", ""]
            for f in entries:
                lines += _file_entry(f, root)
    pages = sorted({p for c in changes for p in c.pages})
    if pages:
        lines += ["", f"共 {len(pages)} 个页面会变化，预览构件中附有它们的手机宽度截图。"]
    return "\n".join(lines) + "\n"
