"""Rules a brand record must meet beyond its fields' schema: its file name, its sources, its images, uniqueness."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath

from markdown.extensions.toc import slugify
from yaml.nodes import MappingNode, Node, ScalarNode

from ..diagnostics import Code, Diagnostic, Reporter, has_errors
from ..load.brands import LoadedRecord, is_valid
from ..model import BRANDS_DIR, Brand
from ..schema.brand import (
    CONSENT_PLACEHOLDERS,
    OFFICIAL_SOURCE_KINDS,
    PUBLISHED,
    REPRINT,
    SLUG_PATTERN,
)
from ..schema.fields import Ctx
from ..text import clip, name_key
from .editorial import editorial_warnings
from .images import check_images
from .news import check_person_ids
from .personal_data import check_front_matter_pii
from .schedule import check_schedule
from .story import check_story
from .videos import check_videos


def validate_brand(root: Path, rec: LoadedRecord) -> Brand | None:
    """The rules beyond the schema: file name, sources, images, personal data and the story.
    Returns the Brand when the record has no problem at all."""
    rep, node = rec.rep, rec.root
    top = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
    stem = PurePosixPath(rec.relpath).stem
    slug_node = top.get("slug", (None, None))[1]
    if isinstance(slug_node, ScalarNode) and re.fullmatch(SLUG_PATTERN, slug_node.value):
        slug = slug_node.value
        if slug != stem:
            rep.at_node(slug_node, Code.B008, "slug", f"网址名“{slug}”与文件名“{stem}.md”不一致；"
                        f"提示：把文件改名为 {slug}.md，或把 slug 改为 {stem}。")
    dates = _check_sources(node, rec.ctx, top)
    _check_consent(top, rep)
    sources = _sources_by_id(top)
    _check_people_basis(top, rep, sources)
    _check_unverified_sources(top, rep)
    check_person_ids(node, rep)
    _check_figure_dates(top, rep, dates)
    _check_secondary_category(top, rep)
    check_schedule(rec)
    check_name_id(top, rep)
    check_name_script(top, rep)
    folder = root / BRANDS_DIR / stem
    check_images(folder, rec.ctx)
    if rec.ctx.videos:
        status = top.get("status", (None, None))[1]
        check_videos(folder, rec.ctx, published=getattr(status, "value", None) == PUBLISHED)
    check_front_matter_pii(node, rep)
    check_story(rec.doc.body, rec.doc.body_line, rep, folder)
    if not is_valid(rec.value):
        return None
    lines = rec.lines()  # read, not changed, by the warnings
    # public text that reads like a placeholder or a note to editors
    rep.items.extend(editorial_warnings(rec.relpath, rec.value, rec.doc.body,
                                        rec.doc.body_line, lines))
    if has_errors(rep.items):
        return None
    return Brand(rec.value["slug"], rec.relpath, rec.value, rec.doc.body, rec.doc.body_line, lines)


def _items(top: dict[str, tuple[Node, Node]], key: str) -> list[MappingNode]:
    """The mapping items of a top-level list field, whatever else the list holds."""
    node = top.get(key, (None, None))[1]
    if node is None or not isinstance(getattr(node, "value", None), list):
        return []
    return [item for item in node.value if isinstance(item, MappingNode)]


def _get(item: MappingNode, key: str) -> Node | None:
    for k, v in item.value:
        if isinstance(k, ScalarNode) and k.value == key:
            return v
    return None


def _is_placeholder(text: str) -> bool:
    t = text.strip().lower()
    return not t or t in CONSENT_PLACEHOLDERS or t.startswith(("未", "无", "待", "暂无", "没有", "不"))


def _check_consent(top: dict[str, tuple[Node, Node]], rep: Reporter) -> None:
    """B019: a person's consent names real evidence, not a placeholder or blanks."""
    for i, person in enumerate(_items(top, "people")):
        consent = _get(person, "consent")
        if not isinstance(consent, MappingNode):
            continue  # missing or not a field table: reported by the schema
        for key, label in (("reference", "档案编号"), ("form", "授权方式")):
            v = _get(consent, key)
            if isinstance(v, ScalarNode) and v.value and _is_placeholder(v.value):
                rep.at_node(v, Code.B019, f"people[{i}].consent.{key}",
                            f"{label}“{clip(v.value.strip()) or '（只有空格）'}”不是本人同意公开的凭据，"
                            "这位人物不能发布", hint="")


def _sources_by_id(top: dict[str, tuple[Node, Node]]) -> dict[str, MappingNode]:
    """Each source's entry by its id (the first, when an id is used twice: B013)."""
    out: dict[str, MappingNode] = {}
    for item in _items(top, "sources"):
        ident = _get(item, "id")
        if isinstance(ident, ScalarNode) and ident.value not in out:
            out[ident.value] = item
    return out


def _check_people_basis(top: dict[str, tuple[Node, Node]], rep: Reporter,
                        sources: dict[str, MappingNode]) -> None:
    """B085: a person without a consent record must be named by an official source they cite."""
    for i, person in enumerate(_items(top, "people")):
        if _get(person, "consent") is not None:
            continue  # a consent record (checked by the schema and B019)
        name = _get(person, "name")
        who = f"人物“{clip(name.value)}”" if isinstance(name, ScalarNode) and name.value else f"第 {i + 1} 位人物"
        ref = _get(person, "source")
        if not isinstance(ref, ScalarNode) or not ref.value:
            rep.at_node(person, Code.B085, f"people[{i}]", f"{who}没有本人授权 consent，也没有注明"
                        "政府部门或官方媒体的来源 source", hint="")
            continue
        item = sources.get(ref.value)
        if item is None:
            continue  # an unknown id: B012
        kind = _get(item, "kind")
        kind_text = kind.value if isinstance(kind, ScalarNode) and kind.value else ""
        if kind_text not in OFFICIAL_SOURCE_KINDS:
            said = f"写的是 `kind: {clip(kind_text)}`" if kind_text else "没有写 kind（来源类别）"
            rep.at_node(ref, Code.B085, f"people[{i}].source", f"{who}没有本人授权 consent，所引资料"
                        f"“{clip(ref.value)}”{said}，不是政府部门或官方媒体", hint="")


# How editors mark a source they have not checked, and words that say the citation is a copy.
UNVERIFIED = re.compile(r"待核实|待查|待确认|待补|未核实|不详|未知|不明|原载|转载|转引|镜像|出处")


def source_doubt(source: dict) -> str | None:
    """Why a validated `sources` entry is not verified (a word in its outlet or title, or an
    address marked as a reprint), or None."""
    for key, label in (("outlet", "媒体或机构"), ("title", "标题")):
        m = UNVERIFIED.search(source.get(key) or "")
        if m:
            return f"{label}写着“{m.group(0)}”"
    if source.get("url_kind") == REPRINT:
        return "网址是转载或镜像（url_kind: 转载）"
    return None


def _check_unverified_sources(top: dict[str, tuple[Node, Node]], rep: Reporter) -> None:
    """B086 while the record is a draft, B087 once it is published: a source not yet verified."""
    status = top.get("status", (None, None))[1]
    published = isinstance(status, ScalarNode) and status.value == PUBLISHED
    for i, item in enumerate(_items(top, "sources")):
        texts = {k.value: v for k, v in item.value
                 if isinstance(k, ScalarNode) and isinstance(v, ScalarNode)}
        doubt = source_doubt({k: v.value for k, v in texts.items()})
        if doubt is None:
            continue
        ident = texts.get("id")
        name = f"资料来源“{clip(ident.value)}”" if ident is not None and ident.value else f"第 {i + 1} 条资料来源"
        at = next((texts[k] for k in ("outlet", "title", "url_kind") if k in texts
                   and (UNVERIFIED.search(texts[k].value) or texts[k].value == REPRINT)), item)
        key = next((k for k, v in texts.items() if v is at), None)
        field = f"sources[{i}].{key}" if key else f"sources[{i}]"
        if published:
            rep.at_node(at, Code.B087, field, f"档案已发布，{name}的{doubt}，读者无法核对", hint="")
        else:
            rep.at_node(at, Code.B086, field, f"{name}的{doubt}，尚未核实；档案发布前要核实", hint="")


def _check_figure_dates(top: dict[str, tuple[Node, Node]], rep: Reporter,
                        dates: dict[str, bool]) -> None:
    """B018: a figure without `as_of` takes its source's date, which must then be given."""
    for i, fig in enumerate(_items(top, "figures")):
        src = _get(fig, "source")
        if _get(fig, "as_of") is not None or not isinstance(src, ScalarNode):
            continue
        if src.value in dates and not dates[src.value]:
            rep.at_node(fig, Code.B018, f"figures[{i}].as_of",
                        f"这个数字没有统计时间，所引资料“{clip(src.value)}”也没有发布日期", hint="")


def _check_secondary_category(top: dict[str, tuple[Node, Node]], rep: Reporter) -> None:
    first, second = top.get("category", (None, None))[1], top.get("secondary_category", (None, None))[1]
    if isinstance(first, ScalarNode) and isinstance(second, ScalarNode) and first.value and \
            first.value == second.value:
        rep.at_node(second, Code.B020, "secondary_category",
                    f"第二品牌类型与品牌类型都是“{clip(first.value)}”；提示：删去 secondary_category。")


def _check_sources(node: MappingNode, ctx: Ctx, top: dict[str, tuple[Node, Node]]) -> dict[str, bool]:
    """B013 and B012; returns each source id and whether it has a date."""
    ids: dict[str, Node] = {}
    dated: dict[str, bool] = {}
    src = top.get("sources")
    if src is not None and hasattr(src[1], "value") and isinstance(src[1].value, list):
        for i, item in enumerate(src[1].value):
            if not isinstance(item, MappingNode):
                continue
            for k, v in item.value:
                if k.value == "id" and isinstance(v.value, str):
                    if v.value in ids:
                        first = ids[v.value].start_mark.line + 1 + ctx.rep.line_offset
                        ctx.rep.at_node(v, Code.B013, f"sources[{i}].id", f"资料来源编号“{clip(v.value)}”"
                                        f"重复（第 {first} 行已用过）", hint="")
                    else:
                        ids[v.value] = v
                        dated[v.value] = _get(item, "date") is not None
    for where, ref, ref_node in ctx.refs:
        if ref not in ids:
            known = "、".join(ids) if ids else "（sources 为空）"
            ctx.rep.at_node(ref_node, Code.B012, where, f"来源编号“{clip(ref)}”在 sources 中找不到"
                            f"（已有：{known}）；提示：在 sources 中补上这条资料，或改正编号。")
    return dated


def check_unique(brands: list[Brand]) -> list[Diagnostic]:
    """Names and slugs used twice, reported in every record that uses them (each at its own
    line, naming the others): the record that came first is as likely the one to fix. Names
    are compared as a reader sees them (`reader_key`)."""
    out: list[Diagnostic] = []
    for key, label, fold in (("name", "品牌名称", reader_key), ("slug", "网址名", name_key)):
        groups: dict[str, list[Brand]] = {}
        for b in brands:
            groups.setdefault(fold(b.data[key]), []).append(b)
        for group in groups.values():
            for b in group if len(group) > 1 else ():
                value = b.data[key]
                others = [o for o in group if o is not b]
                named = "、".join(o.path for o in others)
                unlike = "".join(f"“{clip(o.data[key])}”" for o in others if o.data[key] != value)
                same = f"看起来相同（{unlike}）" if unlike else "重复"
                rep = Reporter(b.path)
                rep.add(Code.B009, key, f"{label}“{clip(value)}”与 {named} {same}；"
                        "提示：同一品牌只保留一个档案，不同品牌请用不同名称。", b.lines.get(key, 1))
                out.extend(rep.items)
    return out


# Letters of other scripts that a reader takes for Latin ones: the Cyrillic, Greek, Lisu and
# Cherokee part of Unicode's confusables (UTS #39, confusables.txt), mapped to the Latin letter
# they look like, and Latin small capitals, which NFKC keeps apart (modifier letters such as ᴬ it
# folds already). Applied before case folding, so a capital maps to a capital (Cyrillic Н looks
# like H, its small н does not look like h).
_CONFUSABLE_LETTERS = {
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "Ү": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W",
    "Һ": "h", "Ӏ": "l", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "ү": "y",
    "х": "x", "ѕ": "s", "і": "i", "ј": "j", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ԁ": "d",
    "ѵ": "v",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "α": "a", "ν": "v", "ρ": "p",
    "ι": "i", "ϲ": "c", "ϳ": "j", "γ": "y", "χ": "x",
    # Lisu (Fraser) capitals
    "ꓐ": "B", "ꓑ": "P", "ꓓ": "D", "ꓔ": "T", "ꓖ": "G", "ꓗ": "K", "ꓙ": "J", "ꓚ": "C", "ꓜ": "Z",
    "ꓝ": "F", "ꓟ": "M", "ꓠ": "N", "ꓡ": "L", "ꓢ": "S", "ꓣ": "R", "ꓦ": "V", "ꓧ": "H", "ꓪ": "W",
    "ꓫ": "X", "ꓬ": "Y", "ꓮ": "A", "ꓰ": "E", "ꓲ": "I", "ꓳ": "O", "ꓴ": "U",
    # Cherokee capitals (their small letters, below, look like the same Latin letter)
    "Ꭰ": "D", "Ꭱ": "R", "Ꭲ": "T", "Ꭵ": "i", "Ꭹ": "y", "Ꭺ": "A", "Ꭻ": "J", "Ꭼ": "E", "Ꮃ": "W",
    "Ꮇ": "M", "Ꮋ": "H", "Ꮐ": "G", "Ꮒ": "h", "Ꮓ": "Z", "Ꮟ": "b", "Ꮢ": "R", "Ꮤ": "W", "Ꮥ": "S",
    "Ꮩ": "V", "Ꮪ": "S", "Ꮮ": "L", "Ꮯ": "C", "Ꮲ": "P", "Ꮶ": "K", "Ᏼ": "B",
    # Latin small capitals and dotless or open forms
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ꞯ": "q", "ʀ": "r",
    "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ɑ": "a", "ɡ": "g",
    "ı": "i", "ȷ": "j", "ɩ": "i",
}


def _cherokee_small(capital: str) -> str:
    """Cherokee's small letter of a capital (U+13A0–13EF → U+AB70–ABBF, U+13F0–13F5 → U+13F8–13FD)."""
    code = ord(capital)
    return chr(code - 0x13A0 + 0xAB70 if code < 0x13F0 else code + 8)


# Dots written between the parts of a name (示例·协作之家): the middle dot and every dot a reader
# takes for it, compared as one.
NAME_DOT = "·"
_NAME_DOTS = "・‧•⋅∙⸱ꞏᐧ⦁⸳"

CONFUSABLES = str.maketrans(
    _CONFUSABLE_LETTERS
    | {_cherokee_small(c): v for c, v in _CONFUSABLE_LETTERS.items() if "Ꭰ" <= c <= "Ᏽ"}
    | dict.fromkeys(_NAME_DOTS, NAME_DOT))


def reader_key(text: str) -> str:
    """What two names are compared by, as a reader sees them: `name_key` (full-width forms,
    case, spaces and invisible characters) over the name's skeleton: its Cyrillic, Greek, Lisu
    and Cherokee look-alikes and Latin small capitals read as the Latin letters they look like
    (UTS #39), every dot between a name's parts as the middle dot."""
    return name_key(unicodedata.normalize("NFKC", str(text)).translate(CONFUSABLES))


_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "LISU", "CHEROKEE")


def mixed_script_word(text: str) -> str | None:
    """The first word of `text` that mixes Latin, Cyrillic, Greek, Lisu and Cherokee letters
    ("示例Нome": a Cyrillic Н before Latin letters), which no reader can tell from its look-alike."""
    word: list[str] = []
    scripts: set[str] = set()
    for ch in unicodedata.normalize("NFKC", text) + " ":
        script = unicodedata.name(ch, "").split(" ", 1)[0]
        if script in _SCRIPTS and unicodedata.category(ch).startswith("L"):
            word.append(ch)
            scripts.add(script)
        elif not (word and unicodedata.category(ch).startswith("M")):  # a mark stays in its word
            if len(scripts) > 1:
                return "".join(word)
            word, scripts = [], set()
    return None


def check_name_script(top: dict[str, tuple[Node, Node]], rep: Reporter) -> None:
    """B035: a brand's name may not mix Latin, Cyrillic, Greek, Lisu and Cherokee letters within
    one word."""
    node = top.get("name", (None, None))[1]
    if isinstance(node, ScalarNode) and node.value:
        word = mixed_script_word(node.value)
        if word is not None:
            rep.at_node(node, Code.B035, "name", f"品牌名称“{clip(node.value)}”中的“{clip(word)}”"
                        f"混用了{_script_names(word)}的字母，读者看不出区别", hint="")


def _script_names(word: str) -> str:
    names = {"LATIN": "拉丁", "CYRILLIC": "西里尔", "GREEK": "希腊", "LISU": "傈僳", "CHEROKEE": "切罗基"}
    used = {unicodedata.name(ch, "").split(" ", 1)[0] for ch in word}
    return "、".join(names[s] for s in _SCRIPTS if s in used)


# Ids the theme's own elements and scripts use ("__config", "__search"…) or that the templates
# give to their elements: a heading made from a name must not take one.
_PAGE_IDS = re.compile(r"__\w+|lb-.*|cat-\d+|src-.*")


def check_name_id(top: dict[str, tuple[Node, Node]], rep: Reporter) -> None:
    """The brand's name is the page's heading, whose id comes from the name."""
    node = top.get("name", (None, None))[1]
    if isinstance(node, ScalarNode) and node.value:
        ident = slugify(node.value, "-")
        if _PAGE_IDS.fullmatch(ident):
            rep.at_node(node, Code.B033, "name", f"品牌名称“{clip(node.value)}”作为标题时的锚点是“{ident}”，"
                        "与页面自身的元素冲突", hint="")
