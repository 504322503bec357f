"""The `site-builder` command line: the only place that prints and chooses exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .diagnostics import Severity, has_errors
from .diagnostics.output import format_diagnostics, format_summary
from .model import BRANDS_DIR, SETTINGS_FILE
from .project import find_root, load_project

# Each command imports the stages it runs when it runs, so `validate` never loads the engine.

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


_DATE_HELP = ("按这一天生成（决定评选处于征集、公示还是已公布），默认取环境变量 SOURCE_DATE_EPOCH，"
              "没有则为今天（北京时间）")


def _date_arg(text: str):
    """`--date YYYY-MM-DD`: a real calendar date, else a usage error (exit 2)."""
    import datetime as dt

    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是 YYYY-MM-DD 形式的真实日期") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="site-builder", description="劳务品牌展示站：校验档案、生成站点。")
    p.add_argument("--root", type=Path, help="项目根目录（含 settings.yml），默认自动向上查找")
    p.add_argument("--debug", action="store_true", help="出错时显示 Python 调用栈")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    v = sub.add_parser("validate", help="校验所有品牌档案")
    v.add_argument("--format", choices=["text", "json", "github"], default="text")
    v.add_argument("--strict", action="store_true", help="有警告也视为失败")
    v.add_argument("--date", type=_date_arg, default=None, metavar="YYYY-MM-DD", help=_DATE_HELP)
    v.add_argument("--summary", type=Path, default=None, metavar="FILE",
                   help="另把全部问题写成中文 Markdown 摘要，追加到 FILE（如 $GITHUB_STEP_SUMMARY）")

    b = sub.add_parser("build", help="校验后生成站点到 site/")
    b.add_argument("--site-dir", type=Path, default=None, help="输出目录，默认 site/")
    b.add_argument("--strict", action="store_true", help="有警告也视为失败")
    b.add_argument("--date", type=_date_arg, default=None, metavar="YYYY-MM-DD", help=_DATE_HELP)
    b.add_argument("--format", choices=["text", "json", "github"], default="text")
    b.add_argument("--summary", type=Path, default=None, metavar="FILE",
                   help="另把全部问题写成中文 Markdown 摘要，追加到 FILE")

    c = sub.add_parser("check", help="发布前检查已生成的站点：断链、锚点、缺图、标题、外站资源、"
                           "个人信息和内联脚本")
    c.add_argument("site_dir", type=Path, nargs="?", default=None, help="站点目录，默认 site/")
    c.add_argument("--site-url", default=None,
                   help="站点正式地址（其主机算作本站），默认取 settings.yml 的 site.url")
    c.add_argument("--format", choices=["text", "json", "github"], default="text")
    c.add_argument("--summary", type=Path, default=None, metavar="FILE",
                   help="另把全部问题写成中文 Markdown 摘要，追加到 FILE")

    s = sub.add_parser("serve", help="本地预览，修改档案后自动刷新")
    s.add_argument("--port", type=int, default=8000)

    n = sub.add_parser("new", help="新建一个品牌档案骨架")
    n.add_argument("slug", help="网址名：小写字母、数字和连字符，例如 shili-jiazheng")

    sc = sub.add_parser("schema", help="写出供编辑器自动补全的 JSON Schema")
    sc.add_argument("-o", "--output", type=Path, default=None,
                    help="输出文件，默认 schema/brand.schema.json")

    g = sub.add_parser("guide", help="重新生成编辑指南中的字段参考和错误代码表")
    g.add_argument("--check", action="store_true", help="只检查是否最新，不写文件")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return EXIT_PROBLEMS
    except Exception as e:  # never a traceback for editors, unless asked for
        if args.debug:
            raise
        print(f"site-builder: 内部错误：{type(e).__name__}: {e}（加 --debug 查看详情）",
              file=sys.stderr)
        return EXIT_PROBLEMS


def _run(args) -> int:
    root = (args.root or find_root()).resolve()
    if args.command == "check":
        return _check(args, root)
    if not (root / SETTINGS_FILE).is_file():
        print(f"site-builder: 在 {root} 找不到 settings.yml；请在项目目录中运行，或用 --root 指定。",
              file=sys.stderr)
        return EXIT_USAGE
    if args.command == "validate":
        project = load_project(root, args.date)
        folder = root / BRANDS_DIR
        files = len(list(folder.glob("*.md"))) if folder.is_dir() else 0
        if project.settings is None:  # records are checked against settings that do not exist
            checked = f"站点设置 {SETTINGS_FILE} 有误，{files} 个品牌档案尚未校验"
        else:
            checked = f"已校验 {files} 个品牌档案（{len(project.brands)} 个无误）"
        code = _report(project.diagnostics, args.format, args.strict, checked)
        _write_summary(args.summary, root, "品牌档案校验", code == EXIT_OK, project.diagnostics,
                       checked=checked)
        return code
    if args.command == "build":
        from .build import build_site

        site_dir = args.site_dir or root / "site"
        try:
            result = build_site(root, site_dir, strict=args.strict, build_date=args.date)
        except Exception as e:  # a bug (or a broken template): its traceback with --debug
            if args.debug:
                raise
            print(f"生成站点失败：{type(e).__name__}: {e}（加 --debug 查看详情）\n"
                  f"构建失败，{site_dir} 保持原样。", file=sys.stderr)
            return EXIT_PROBLEMS
        code = _report(result.diagnostics, args.format, args.strict, None)
        if result.findings:
            print(format_diagnostics(result.findings, args.format))
        for msg in result.problems:
            print(msg, file=sys.stderr)
        _write_summary(args.summary, root, "站点构建", result.ok and code == EXIT_OK,
                       result.diagnostics + result.findings,
                       notes=result.problems + ([] if result.ok else [f"构建失败，{site_dir} 保持原样。"]),
                       checked=f"{len(result.project.published)} 个已发布品牌")
        if not result.ok:
            print(f"构建失败，{site_dir} 保持原样。", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"已生成站点：{site_dir}（{len(result.project.published)} 个已发布品牌）",
              file=sys.stderr)
        return code
    if args.command == "serve":
        from .engines.mkdocs import serve_with_mkdocs

        serve_with_mkdocs(root, port=args.port)
        return EXIT_OK
    if args.command == "new":
        from .editor.skeleton import write_skeleton

        ok, msg = write_skeleton(root, args.slug)
        print(msg, file=sys.stdout if ok else sys.stderr)
        return EXIT_OK if ok else EXIT_USAGE
    if args.command in ("schema", "guide"):
        from .editor.guide import generated_files, update_guide
        from .load.settings import load_settings

        settings, diags = load_settings(root)
        if settings is None:
            return _report(diags, "text", False, None)
        if args.command == "schema" and args.output is not None:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(generated_files(root)["schema/brand.schema.json"],
                                   encoding="utf-8")
            print(f"已写出 {args.output}")
            return EXIT_OK
        check = args.command == "guide" and args.check
        changed = update_guide(root, check=check, only="schema/" if args.command == "schema" else None)
        if check and changed:
            print("编辑指南不是最新的（" + "、".join(changed) + "）：请运行 site-builder guide",
                  file=sys.stderr)
            return EXIT_PROBLEMS
        for rel in ([] if check else changed):
            print(f"已写出 {root / rel}")
        return EXIT_OK
    return EXIT_USAGE


def _check(args, root: Path) -> int:
    """`check`: post-build checks of a built site; any finding fails."""
    from .verify import check_and_scan

    site_dir = args.site_dir or root / "site"
    if not site_dir.is_dir():
        print(f"site-builder: 找不到站点目录 {site_dir}；请先运行 site-builder build。", file=sys.stderr)
        return EXIT_USAGE
    site_url = args.site_url
    if site_url is None and (root / SETTINGS_FILE).is_file():
        from .load.settings import load_settings

        settings, _ = load_settings(root)
        site_url = settings.site_url if settings is not None else None
    findings = check_and_scan(site_dir, site_url, site_dir.as_posix())
    pages = sum(1 for p in site_dir.rglob("*.html"))
    checked = f"已检查 {pages} 个页面"
    _write_summary(args.summary, root, "发布前检查", not findings, findings, checked=checked)
    out = format_diagnostics(findings, args.format)
    if out:
        print(out)
    if args.format == "text":
        print(f"{checked}：{len(findings)} 个问题。", file=sys.stderr)
    return EXIT_PROBLEMS if findings else EXIT_OK


def _write_summary(path: Path | None, root: Path, title: str, ok: bool, diags, notes=None,
                   checked: str | None = None) -> None:
    """Append a Chinese Markdown summary (e.g. to $GITHUB_STEP_SUMMARY); files link to the commit."""
    if path is None:
        return
    import os

    env = os.environ
    base = None
    if env.get("GITHUB_SERVER_URL") and env.get("GITHUB_REPOSITORY") and env.get("GITHUB_SHA"):
        base = f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/blob/{env['GITHUB_SHA']}/"

    def link(d):
        return f"{base}{d.path}#L{d.line}" if base and (root / d.path).is_file() else None

    with open(path, "a", encoding="utf-8") as f:
        f.write(format_summary(title, ok, diags, notes, checked, link) + "\n")


def _report(diags, fmt: str, strict: bool, summary: str | None) -> int:
    out = format_diagnostics(diags, fmt)
    if out:
        print(out)
    errors = sum(d.severity is Severity.ERROR for d in diags)
    warnings = len(diags) - errors
    if fmt == "text" and summary is not None:
        print(f"{summary}：{errors} 个错误，{warnings} 个警告。", file=sys.stderr)
    return EXIT_PROBLEMS if has_errors(diags, strict) else EXIT_OK
