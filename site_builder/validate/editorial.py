"""Editorial warnings: public text that reads like a placeholder or like a note meant for editors."""

from __future__ import annotations

import re

from ..diagnostics import Code, Diagnostic, Reporter
from ..text import clip

# A summary is shown on every card and in search results: these words say "not written yet".
PLACEHOLDER = re.compile(r"待核实|待补充|待完善|待填写|待定|暂无|暂缺|占位|TODO|TBD|XXX|[?？]{2,}",
                         re.IGNORECASE)
# A story paragraph that talks to the editors rather than to readers.
EDITORS_NOTE = re.compile(
    r"编辑部|本档案|编者按?[:：]|编辑注|备注[:：]|待核实|待补充|待完善|(有待|尚待|需要?).{0,10}(核实|确认|审核)"
    r"|(将在|待|后).{0,12}补充|TODO|TBD|FIXME")


def editorial_warnings(path: str, data: dict, body: str, body_line: int,
                       lines: dict[str, int]) -> list[Diagnostic]:
    """B022 for a placeholder summary; B023 for each story paragraph that reads like a note."""
    rep = Reporter(path)
    m = PLACEHOLDER.search(data.get("summary", ""))
    if m:
        rep.add(Code.B022, "summary", f"一句话简介中有“{m.group(0)}”，读者会在名录和搜索结果中看到；"
                "提示：写一句已经核实的介绍，待办事项写在 editor_note（编辑备注，不会发布）。",
                lines.get("summary", 1))
    # A note never spans a line (`.` stops at a line break): a story with none is read once.
    for i, line in enumerate(body.split("\n") if EDITORS_NOTE.search(body) else ()):
        m = EDITORS_NOTE.search(line)
        if m and line.strip():
            rep.add(Code.B023, "正文", f"品牌故事的这一段像写给编辑的说明（“{clip(m.group(0))}”）："
                    f"“{clip(line.strip(), 30)}”；提示：品牌故事会公开，给编辑的话请移到 editor_note"
                    "（编辑备注，不会发布）。", body_line + i)
    return rep.items
