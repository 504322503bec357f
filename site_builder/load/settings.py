"""Loading the site-wide settings file, checked against its schema."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Code, Diagnostic, Reporter
from ..model import SETTINGS_FILE, Settings
from ..schema.fields import INVALID, Ctx
from ..schema.settings import SETTINGS
from .frontmatter import MAX_FILE_BYTES, parse_yaml


def load_settings(root: Path) -> tuple[Settings | None, list[Diagnostic]]:
    """Read and validate `settings.yml` at the project root."""
    path = root / SETTINGS_FILE
    rep = Reporter(SETTINGS_FILE)
    if not path.is_file():
        rep.add(Code.S001, "-", f"找不到站点设置文件 {SETTINGS_FILE}；提示：从本项目复制一份再修改。", 1)
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
    ctx = Ctx(rep, {})
    value = SETTINGS.check(root_node, ctx, "")
    if value is INVALID or rep.items:
        return None, rep.items
    return Settings(value), rep.items

