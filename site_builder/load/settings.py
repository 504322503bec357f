"""Loading the site-wide settings file, checked against its schema."""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..diagnostics import Code, Diagnostic, Reporter
from ..model import SETTINGS_FILE, Settings
from ..schema.fields import INVALID, Ctx, is_empty, label_words
from ..schema.settings import BY_ROUNDS, REGIONAL_CHOICES, RUNS_NOT, SETTINGS, SETTINGS_VOCAB
from .frontmatter import MAX_FILE_BYTES, parse_yaml
from .outline import OutlineProblem, read_outline

# settings.yml reports its own codes, whose fixes speak of settings, not of record fields
SETTINGS_CODES = {
    Code.B001: Code.S002, Code.B014: Code.S002, Code.B002: Code.S003, Code.B003: Code.S004,
    Code.B005: Code.S005, Code.B006: Code.S006, Code.B007: Code.S007, Code.B015: Code.S008,
    Code.B004: Code.S009,
}


def load_settings(root: Path) -> tuple[Settings | None, list[Diagnostic]]:
    """Read and validate `settings.yml` at the project root."""
    path = root / SETTINGS_FILE
    rep = Reporter(SETTINGS_FILE)
    if not path.is_file():
        rep.add(Code.S001, "-", f"找不到站点设置文件 {SETTINGS_FILE}", 1, hint="")
        return None, rep.items
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        rep.add(Code.Y002, "-", f"站点设置文件超过 {MAX_FILE_BYTES} 字节。", 1)
        return None, rep.items
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        rep.add(Code.Y001, "-", "站点设置文件不是 UTF-8 编码；提示：以 UTF-8 编码保存。", 1)
        return None, rep.items
    root_node = parse_yaml(text, rep)
    if root_node is None:
        return None, rep.items
    if check_placeholders(root_node, rep):
        return None, rep.items
    check_regional_choices(root_node, rep)  # before the schema: its S002 is then not repeated
    ctx = Ctx(rep, dict(SETTINGS_VOCAB), codes=SETTINGS_CODES)
    value = SETTINGS.check(root_node, ctx, "")
    if value is INVALID or rep.items:
        return None, rep.items
    check_levels_named(value, root_node, rep)
    check_rounds_run(value, root_node, rep)
    for key in ("logo", "favicon"):  # the site's own images must be in the project
        path = value["site"].get(key)
        if path and not (root / path).is_file():
            node = _field_node(_field_node(root_node, "site"), key)
            rep.at_node(node, Code.S012, f"site.{key}", f"找不到图片 {path}", hint="")
    check_filing_logo(root, value, root_node, rep)
    check_production(value, root_node, rep)
    outline = value.get("venue_map", {}).get("outline")
    if outline:  # read only inside the project; its problems at the setting's line
        try:
            read_outline(root, outline)
        except OutlineProblem as e:
            node = _field_node(_field_node(root_node, "venue_map"), "outline")
            rep.at_node(node, e.code, "venue_map.outline", str(e))
    if rep.items:
        return None, rep.items
    return Settings(value), rep.items


# What an official site must state before it is published: (setting, what readers call it).
IDENTITY = (("site.url", "站点地址"), ("contact.organization", "主办单位"),
            ("contact.phone", "公开电话或电子邮箱"))


def publication_gaps(value: dict) -> list[tuple[str, str]]:
    """The identity an official site still lacks: its address, its organiser, a public
    contact (a phone or an e-mail address). Values are the settings' checked data."""
    contact = value.get("contact") or {}
    have = {"site.url": (value["site"].get("url") or "").strip(),
            "contact.organization": (contact.get("organization") or "").strip(),
            "contact.phone": (contact.get("phone") or contact.get("email") or "").strip()}
    return [(key, label) for key, label in IDENTITY if not have[key]]


def setting_names(key: str) -> str:
    """The settings that fill one gap: a phone or an e-mail address both count as a contact."""
    return "contact.phone 或 contact.email" if key == "contact.phone" else key


def is_production(value: dict) -> bool:
    return value["site"].get("production") == "true"


def check_production(value: dict, root_node, rep: Reporter) -> None:
    """`site.production: true` publishes nothing without the site's identity: each missing
    setting reported at its own line (or its section's, or the switch's when absent)."""
    if not is_production(value):
        return
    switch = _field_node(_field_node(root_node, "site"), "production")
    for key, label in publication_gaps(value):
        section, name = key.split(".")
        parent = _field_node(root_node, section)
        # the empty value's line, else the section's own `contact:` line, else the switch's
        node = _field_node(parent, name) if parent is not root_node else switch
        if node is parent:
            node = next(k for k, v in root_node.value if v is parent)
        rep.at_node(node, Code.S020, key,
                    f"正式发布（site.production: true）须写明{label}：{setting_names(key)} 还没有填写",
                    hint=f"填写 {setting_names(key)}；尚未准备好时删去 `production: true`，先按预览构建。")


def check_filing_logo(root: Path, value: dict, root_node, rep: Reporter) -> None:
    """The 党政机关网站标识 is the project's own image, linked to its verification page."""
    filing = value.get("filing") or {}
    logo = filing.get("dzjg_logo")
    if not logo:
        return
    node = _field_node(_field_node(root_node, "filing"), "dzjg_logo")
    if not (root / logo).is_file():
        rep.at_node(node, Code.S021, "filing.dzjg_logo", f"找不到图片 {logo}",
                    hint="把标识图片放进项目（路径相对于 settings.yml 所在的文件夹），或删去这一行。")
    elif not filing.get("dzjg_url"):
        rep.at_node(node, Code.S021, "filing.dzjg_url", "写了党政机关网站标识，却没有写它的核验链接 dzjg_url",
                    hint="在 filing 下加一行 `dzjg_url: https://…`（开办单位取得标识时给出的地址）。")


PLACEHOLDER = "【请填写"  # how `site-builder init` marks each regional choice left to make


def check_placeholders(node, rep: Reporter, path: str = "") -> bool:
    """Every value still holding an init placeholder, reported at its line: a project that
    `site-builder init` made is not built until each regional choice is written in."""
    found = False
    if isinstance(node, ScalarNode):
        if PLACEHOLDER in str(node.value):
            start = str(node.value).index(PLACEHOLDER)
            ask = str(node.value)[start:].split("】")[0].removeprefix(PLACEHOLDER).lstrip("：:")
            rep.at_node(node, Code.S040, path or "-", f"还没有填写：{ask}",
                        hint="按上面的注释写明本地区的取值，删去【】和其中的文字。")
            found = True
    elif isinstance(node, MappingNode):
        for k, v in node.value:
            found = check_placeholders(v, rep, f"{path}.{k.value}" if path else str(k.value)) \
                or found
    elif isinstance(node, SequenceNode):
        for i, v in enumerate(node.value):
            found = check_placeholders(v, rep, f"{path}[{i}]") or found
    return found


def check_regional_choices(root_node, rep: Reporter) -> None:
    """Each regional choice (REGIONAL_CHOICES) written out, or an error at the line of the table
    that should hold it, listing the choices: no region gets another region's default."""
    if not isinstance(root_node, MappingNode):
        return  # the schema reports a file that is not a table
    for path, code, choices in REGIONAL_CHOICES:
        *parents, key = path.split(".")
        table, at = root_node, root_node
        for part in parents:
            found = _key_value(table, part)
            if found is None or not isinstance(found[1], MappingNode):
                table = None
                break
            at, table = found
        if table is None:
            continue
        found = _key_value(table, key)
        if found is not None and not is_empty(found[1]):
            continue
        levels = _key_value(root_node, "levels")
        if path == "conferral" and levels is not None and isinstance(levels[1], SequenceNode):
            at = levels[0]  # whom each of these levels is conferred by, told next to them
            choices += "；本站的层级：" + "、".join(str(n.value) for n in levels[1].value
                                                  if isinstance(n, ScalarNode))
        spec = _spec_at(path)
        label = label_words(spec.label, {"area_label": ["区"]}) if spec else key
        state = "是空的" if found is not None else "没有写"
        rep.at_node(found[0] if found is not None else at, code, path,
                    f"{label}（`{path}`）{state}，这是本地区必须写明的选择（可选：{choices}）",
                    hint="")


def _key_value(table: MappingNode, key: str):
    return next(((k, v) for k, v in table.value if isinstance(k, ScalarNode) and k.value == key),
                None)


def _spec_at(path: str):
    spec = SETTINGS
    for part in path.split("."):
        spec = getattr(spec, "fields", {}).get(part)
        if spec is None:
            return None
    return spec


def check_rounds_run(value: dict, root_node, rep: Reporter) -> None:
    """A level conferred by this site's rounds needs a site that runs rounds (S047)."""
    if value["sections"]["rounds"] != RUNS_NOT:
        return
    for i, (c, node) in enumerate(zip(value["conferral"], _item_nodes(root_node, "conferral"))):
        if c["by"] == BY_ROUNDS:
            rep.at_node(_field_node(node, "by"), Code.S047, f"conferral[{i}].by",
                        f"层级“{c['level']}”写的是由本站评选认定，但 sections.rounds 写的是“否”",
                        hint="")


def _item_nodes(root_node, key: str) -> list:
    for k, v in root_node.value:
        if k.value == key:
            return list(v.value)
    return []


def _field_node(item, key: str):
    return next((v for k, v in item.value if k.value == key), item)


def check_levels_named(value: dict, root_node, rep: Reporter) -> None:
    """Targets and conferral name levels that exist, each level's conferral once."""
    levels = value["levels"]
    for i, (t, node) in enumerate(zip(value.get("targets", []), _item_nodes(root_node, "targets"))):
        if t["level"] not in levels:
            rep.at_node(_field_node(node, "level"), Code.S010, f"targets[{i}].level",
                        f"规划目标的层级“{t['level']}”不在 levels 中（levels：{'、'.join(levels)}）",
                        hint="")
    seen: set[str] = set()
    for i, (c, node) in enumerate(zip(value.get("conferral", []), _item_nodes(root_node, "conferral"))):
        where = f"conferral[{i}].level"
        if c["level"] not in levels:
            rep.at_node(_field_node(node, "level"), Code.S011, where,
                        f"层级“{c['level']}”不在 levels 中（levels：{'、'.join(levels)}）", hint="")
        elif c["level"] in seen:
            rep.at_node(_field_node(node, "level"), Code.S011, where,
                        f"层级“{c['level']}”的认定方式写了两次", hint="")
        seen.add(c["level"])

