"""The pull request's one Chinese comment: the checks' problems named by the form's labels
(关键数据 第1项·数值, never figures[0].value), the change summary, the preview's address and the
before/after phone screenshots of the changed pages. Written as a file; the workflow posts it and
edits the same comment on every push (found by the hidden MARKER).

    python -m site_builder.editor.comment --problems problems.json --changes changes.md \
        [--preview-url URL] [--shots-url URL] [--shots DIR] [--result success|failure] \
        [--left-out left-out.json] OUT
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from ..schema.brand import BRAND
from ..schema.fields import ListOf, Obj, Spec, label_words
from ..schema.round import ROUND
from .changes import code, md, thumbs_at
from .cms import BODY_LABEL, STATUS_LABEL
from .partial import left_out_words

MARKER = "<!-- site-builder:pr-comment -->"
MAX_PROBLEMS = 50
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def form_label(path: str, spec: Spec = BRAND) -> str:
    """A field path of the checks (figures[0].value) in the form's labels (关键数据 第1项·数值);
    a part the schema does not know is kept as written."""
    if path in ("正文", "body"):
        return BODY_LABEL
    words: list[str] = []
    node: Spec | None = spec
    for name, index in _STEP.findall(path or ""):
        if index:
            words[-1:] = [f"{words[-1] if words else ''} 第{int(index) + 1}项".strip()]
            node = node.item if isinstance(node, ListOf) else None
            continue
        sub = node.fields.get(name) if isinstance(node, Obj) else None
        if sub is None:
            words.append(name)
            node = None
            continue
        label = STATUS_LABEL if (node is spec and name == "status" and spec is BRAND) \
            else label_words(sub.label, {})
        words.append(label)
        node = sub
    return "·".join(words) or path


def _field_label(node: Obj, name: str) -> str | None:
    """The form's label of the field `name` of `node`, or None when the schema has no such field."""
    sub = node.fields.get(name)
    if sub is None:
        return None
    return STATUS_LABEL if (node is BRAND and name == "status") else label_words(sub.label, {})


def _objects_along(path: str, spec: Spec) -> list[Obj]:
    """The schema's objects a field path passes through, the deepest first (figures[0].unit:
    the figure, then the record): where a field name in a message is looked up."""
    found: list[Obj] = [spec] if isinstance(spec, Obj) else []
    node: Spec | None = spec
    for name, index in _STEP.findall(path or ""):
        if index:
            node = node.item if isinstance(node, ListOf) else None
        else:
            node = node.fields.get(name) if isinstance(node, Obj) else None
        if isinstance(node, ListOf) and isinstance(node.item, Obj):
            found.append(node.item)
        elif isinstance(node, Obj):
            found.append(node)
        if node is None:
            break
    out: list[Obj] = []
    for obj in reversed(found):
        if not any(obj is o for o in out):
            out.append(obj)
    return out


def _resolve(token: str, objects: list[Obj], spec: Spec) -> str | None:
    """A field name or field path written in a message, in the form's labels; None when the
    schema does not know it (then it is the editor's own text and kept)."""
    if "." in token or "[" in token:
        steps = _STEP.findall(token)
        node: Spec | None = spec
        for name, index in steps:
            if index:
                node = node.item if isinstance(node, ListOf) else None
            else:
                node = node.fields.get(name) if isinstance(node, Obj) else None
            if node is None:
                return None
        return form_label(token, spec)
    for obj in objects:
        label = _field_label(obj, token)
        if label is not None:
            return label
    return None


# Parts of a check's message written for editors of the YAML file, in the comment's reading order:
# a quoted field name with the check's label after it (必填字段“unit”（单位）), a YAML example in
# backticks (`unit: 人`), and outside quotes a bare field name or path (在 sources 中).
_QUOTED_KEY = re.compile(r"“([A-Za-z_][A-Za-z0-9_.\[\]]*)”（[^（）]*）")
_YAML_EXAMPLE = re.compile(r" ?`([A-Za-z_][A-Za-z0-9_]*): ([^`]*)`")
_CODE = re.compile(r" ?`([^`]+)` ?")
_QUOTE = re.compile(r"(“[^”]*”)")
_TOKEN = re.compile(r"(?<![A-Za-z0-9_./+-]) ?([a-z_][a-z0-9_]*(?:\[\d+\]|\.[a-z_][a-z0-9_]*)*) ?"
                    r"(?![A-Za-z0-9_/+-]|\.[A-Za-z0-9])")


def form_message(message: str, field: str, spec: Spec | None) -> str:
    """A check's message in the form's words: the field names and YAML examples it gives for
    editors of the file (必填字段“unit”（单位）, `unit: 人`, 在 sources 中) become the form's
    labels and plain values (必填栏目“单位”, “人”, 在“资料来源”中). Text inside quotes that is not
    a field name (the editor's own values) is kept as written. The command line's messages are
    not changed: editors of the YAML files need the field names."""
    if spec is None:
        return message
    objects = _objects_along(field, spec)

    def quoted_key(m: re.Match) -> str:
        label = _resolve(m.group(1), objects, spec)
        return f"“{label}”" if label else m.group(0)

    def example(m: re.Match) -> str:
        return f"“{m.group(2)}”" if _resolve(m.group(1), objects, spec) else m.group(0)

    def bare(m: re.Match) -> str:
        label = _resolve(m.group(1), objects, spec)
        return f"“{label}”" if label else m.group(0)

    text = _YAML_EXAMPLE.sub(example, _QUOTED_KEY.sub(quoted_key, message))
    text = _CODE.sub(lambda m: f"“{m.group(1)}”", text)  # other examples: quoted, as values
    # outside quotes only: a quoted part is a value the editor wrote (or a label already)
    text = "".join(part if _QUOTE.fullmatch(part) else _TOKEN.sub(bare, part)
                   for part in _QUOTE.split(text))
    return text.replace("必填字段", "必填栏目").replace("未知字段", "表单中没有的栏目") \
        .replace("可用字段", "可用的栏目")


def _spec_of(rel: str) -> Spec | None:
    if rel.startswith("brands/") and rel.endswith(".md"):
        return BRAND
    if rel.startswith("evaluations/") and rel.endswith(".md"):
        return ROUND
    return None


def problem_lines(problems: list[dict]) -> list[str]:
    out = []
    for p in problems[:MAX_PROBLEMS]:
        spec = _spec_of(str(p.get("path", "")))
        field = str(p.get("field") or "")
        where = form_label(field, spec) if spec is not None and field else field
        kind = "错误" if p.get("severity") == "error" else "提醒"
        place = f"{code(str(p.get('path', '')))} 第 {p.get('line', '?')} 行"
        label = f"“{md(where)}”：" if where else ""
        message = form_message(str(p.get("message", "")), field, spec)
        out.append(f"- {kind}｜{place}｜{label}{md(message)}")
    if len(problems) > MAX_PROBLEMS:
        out.append(f"- 另有 {len(problems) - MAX_PROBLEMS} 个问题，见检查的运行记录")
    return out


def compose(problems: list[dict], changes: str, result: str, preview_url: str = "",
            shots: list[str] | None = None, shots_url: str = "",
            left_out: list[dict] | None = None) -> str:
    errors = sum(1 for p in problems if p.get("severity") == "error")
    warnings = len(problems) - errors
    ok = result == "success" and not problems
    lines = [MARKER, "## 档案检查与预览", ""]
    if ok:
        lines.append("✅ 检查通过：可以由审核人合并。")
    else:
        lines.append(f"❌ 检查没有通过（{errors} 个错误，{warnings} 个提醒）：改正之前不能合并。"
                     if problems else "❌ 检查没有通过：请打开检查的运行记录查看原因，改正之前不能合并。")
    lines.append("")
    if problems:
        lines += ["### 需要改正的地方", "", "按表单中的栏目名称列出；在表单或文件中改正后，这条评论会自动更新。", ""]
        lines += problem_lines(problems) + [""]
    if preview_url:
        lines += [f"**预览**：[在浏览器中打开]({preview_url})（只供审核，不被搜索引擎收录，7 天后删除）", ""]
    if left_out:  # the preview was built without them (site-builder preview-without-failing)
        words = left_out_words([(str(x.get("path", "")), str(x.get("name") or ""),
                                 bool(x.get("because_of_others"))) for x in left_out])
        lines += [f"> ⚠ {md(words)}预览和截图中看不到它们，改正后会重新生成。", ""]
    else:
        lines += ["**预览**：本次没有部署网页预览，可在检查的运行记录中下载站点压缩包。", ""]
    # the changed images' thumbnails lie beside the screenshots (the preview's _shots/)
    body = thumbs_at(changes.strip(), shots_url)
    if body.startswith("## "):
        body = "### " + body[3:]
    lines += [body, ""]
    if shots:
        lines += ["### 手机宽度截图（左：合并前，右：合并后）", "", "| 合并前 | 合并后 |", "|---|---|"]
        for name in shots:
            before = f"![合并前]({shots_url}/before/{name})" if shots_url else "（无）"
            after = f"![合并后]({shots_url}/after/{name})" if shots_url else code(name)
            lines.append(f"| {before} | {after} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m site_builder.editor.comment")
    ap.add_argument("--problems", type=Path, action="append", default=[])
    ap.add_argument("--changes", type=Path)
    ap.add_argument("--result", default="failure")
    ap.add_argument("--preview-url", default="")
    ap.add_argument("--shots", type=Path)
    ap.add_argument("--shots-url", default="")
    ap.add_argument("--left-out", type=Path, help="预览中除去的档案（preview-without-failing 的报告）")
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    problems: list[dict] = []
    for path in args.problems:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # the check did not get that far: the result says it failed
        problems += [p for p in data if isinstance(p, dict) and p not in problems]
    try:
        changes = args.changes.read_text(encoding="utf-8") if args.changes else ""
    except OSError:
        changes = "（没有生成改动说明：检查在此之前就停止了。）"
    shots = sorted(p.name for p in args.shots.glob("*.png")) if args.shots and \
        args.shots.is_dir() else []
    left_out: list[dict] = []
    if args.left_out is not None:
        try:
            left_out = [x for x in json.loads(args.left_out.read_text(encoding="utf-8"))
                        if isinstance(x, dict)]
        except (OSError, ValueError, TypeError):
            left_out = []  # no preview was built without failing records
    args.out.write_text(compose(problems, changes, args.result, args.preview_url, shots,
                                args.shots_url.rstrip("/"), left_out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
