"""Diagnostics as editors and CI read them: text lines, JSON, GitHub annotations, a Markdown summary."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from .codes import Severity
from .report import Diagnostic, sort_key


def format_diagnostics(diags: list[Diagnostic], fmt: str = "text") -> str:
    """Render diagnostics as text lines, a JSON list, GitHub Actions commands or GitLab's
    code-quality report."""
    diags = sorted(diags, key=sort_key)
    if fmt == "json":
        return json.dumps([d.as_dict() for d in diags], ensure_ascii=False, indent=2)
    if fmt == "gitlab":
        return json.dumps(gitlab_code_quality(diags), ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(format_github(d) for d in diags)
    return "\n".join(d.format() for d in diags)


def format_github(d: Diagnostic) -> str:
    """One GitHub Actions workflow command, shown on the changed line of a pull request."""
    kind = "error" if d.severity is Severity.ERROR else "warning"
    msg = f"{d.field}: {d.message}"
    return (
        f"::{kind} file={_gh_prop(d.path)},line={d.line},col={d.col},"
        f"title={_gh_prop(f'{d.code} {d.title}')}::{_gh_data(msg)}"
    )


def gitlab_code_quality(diags: list[Diagnostic]) -> list[dict]:
    """GitLab's code-quality report (a subset of Code Climate's issue format). The fingerprint
    hashes what the problem is, not its line, so it survives edits above it; identical problems
    in one file are told apart by their order."""
    seen: dict[tuple, int] = {}
    out = []
    for d in diags:
        key = (d.path, d.code, d.field, d.message)
        seen[key] = n = seen.get(key, 0) + 1
        out.append({
            "description": f"{d.code} {d.title}：{d.field}: {d.message}",
            "check_name": d.code,
            "fingerprint": hashlib.sha256("\0".join((*key, str(n))).encode()).hexdigest()[:32],
            "severity": "major" if d.severity is Severity.ERROR else "minor",
            "location": {"path": d.path, "lines": {"begin": max(1, d.line)}},
        })
    return out


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")

# GitHub refuses a step summary over 1 MiB; a row is a few hundred bytes, so this stays well under.
MAX_ROWS = 2000


def _cell(text: str) -> str:
    """Text for one Markdown table cell: no line breaks, no column breaks, no raw HTML."""
    text = " ".join(str(text).split())
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("`", "\\`"))


def format_summary(title: str, ok: bool, diags: list[Diagnostic], notes: list[str] | None = None,
                   checked: str | None = None,
                   link: Callable[[Diagnostic], str | None] | None = None) -> str:
    """`## title` with a one-line verdict, then a table of every diagnostic (errors first)."""
    errors = sum(d.severity is Severity.ERROR for d in diags)
    warnings = len(diags) - errors
    notes = notes or []
    lines: list[str] = []
    if not ok:
        verdict = f"❌ 未通过：{errors} 个错误、{warnings} 个警告"
    elif warnings:
        verdict = f"✅ 通过，有 {warnings} 个警告"
    else:
        verdict = "✅ 全部通过"
    verdict += f"（{checked}）" if checked else ""
    lines += [f"## {title}：{verdict}", ""]
    for note in notes:
        lines.append(f"- {_cell(note)}")
    if notes:
        lines.append("")
    if diags:
        lines += ["| 文件 | 行:列 | 级别 | 代码 | 字段或目标 | 说明 |", "|---|---|---|---|---|---|"]
        ordered = sorted(diags, key=lambda d: (d.severity is not Severity.ERROR, *sort_key(d)))
        for d in ordered[:MAX_ROWS]:
            where = _cell(d.path)
            url = link(d) if link else None
            if url:
                where = f"[{where}]({url})"
            level = "错误" if d.severity is Severity.ERROR else "警告"
            lines.append(f"| {where} | {d.line}:{d.col} | {level} | {d.code} | {_cell(d.field)} "
                         f"| {_cell(d.message)} |")
        if len(ordered) > MAX_ROWS:
            lines.append("")
            lines.append(f"另有 {len(ordered) - MAX_ROWS} 个问题未在此列出（摘要有大小限制），"
                         "完整列表见本步骤的日志。")
        lines += ["", ("每个代码的含义和改法见编辑指南 `guide/codes.md`；"
                  "发布前检查（C 开头的代码）见 `guide/maintainers.md`。")]
    return "\n".join(lines) + "\n"
