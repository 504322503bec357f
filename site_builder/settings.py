"""The site-wide settings file: region, vocabularies and targets, validated by its schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Reporter
from .frontmatter import MAX_FILE_BYTES, parse_yaml
from .schema import SETTINGS, STATUSES
from .spec import INVALID, Ctx

SETTINGS_FILE = "settings.yml"
_VOCABS = ("districts", "categories", "levels", "stages", "programs", "cooperation_regions",
           "person_roles", "venue_types", "enterprise_kinds", "figure_labels", "figure_units")


@dataclass
class Settings:
    data: dict[str, Any]
    vocab: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.vocab = {k: list(self.data.get(k, [])) for k in _VOCABS}
        self.vocab["statuses"] = list(STATUSES)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


def load_settings(root: Path) -> tuple[Settings | None, list[Diagnostic]]:
    """Read and validate `settings.yml` at the project root."""
    path = root / SETTINGS_FILE
    rep = Reporter(SETTINGS_FILE)
    if not path.is_file():
        rep.add("S001", "-", f"找不到站点设置文件 {SETTINGS_FILE}；提示：从本项目复制一份再修改。", 1)
        return None, rep.items
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        rep.add("Y002", "-", f"站点设置文件超过 {MAX_FILE_BYTES} 字节。", 1)
        return None, rep.items
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        rep.add("Y001", "-", "站点设置文件不是 UTF-8 编码；提示：以 UTF-8 编码保存。", 1)
        return None, rep.items
    root_node = parse_yaml(text, rep)
    if root_node is None:
        return None, rep.items
    ctx = Ctx(rep, {})
    value = SETTINGS.check(root_node, ctx, "")
    if value is INVALID or rep.items:
        return None, rep.items
    for key in ("logo", "favicon"):  # the site's own images must be in the project
        path = value["site"].get(key)
        if path and not (root / path).is_file():
            rep.add("S001", f"site.{key}", f"找不到图片 {path}；提示：把图片放进项目（路径相对于 "
                    f"{SETTINGS_FILE} 所在的文件夹），或删去这一行使用自动生成的徽标。", 1)
    if rep.items:
        return None, rep.items
    return Settings(value), rep.items
