"""The `site-builder` command line: the only place that prints and chooses exit codes."""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

from .diagnostics import Severity, has_errors
from .diagnostics.output import format_diagnostics, format_summary
from .model import BRANDS_DIR, SETTINGS_FILE
from .project import find_root, load_project

# Each command imports the stages it runs when it runs, so `validate` never loads the engine.

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
FORMATS = ["text", "json", "github", "gitlab"]
PREVIEW_HOST = "127.0.0.1"  # the preview is for this computer only
DEFAULT_PORT = 8000


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


def _url_arg(text: str) -> str:
    """`--site-url`: an http(s) address with a host, else a usage error (exit 2)."""
    from urllib.parse import urlsplit

    u = urlsplit(text.strip())
    if u.scheme not in ("http", "https") or not u.netloc or u.query or u.fragment:
        raise argparse.ArgumentTypeError(f"“{text}”不是以 https:// 开头的站点地址")
    return text.strip()


def _port_arg(text: str) -> int:
    """`serve --port`: a port number, else a usage error (exit 2)."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"“{text}”不是 1 到 65535 之间的端口号")
    return port


class _Parser(argparse.ArgumentParser):
    """argparse with a Chinese message for an option given without its value: a value starting
    with `-` (a path like -/x) is read as another option unless written `--path=-/x`."""

    def error(self, message: str):
        import re

        missing = re.fullmatch(r"argument (\S+?)(?:/\S+)?: expected one argument", message)
        if missing is None:
            super().error(message)
        option = missing.group(1)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 错误：选项 {option} 后面缺少值；提示：在选项后写上值，"
                  f"值以 - 开头时请写成 {option}=值 的形式（例如 {option}=-/x）\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="site-builder", description="劳务品牌展示站：校验档案、生成站点。")
    p.add_argument("--root", type=Path, help="项目根目录（含 settings.yml），默认自动向上查找")
    p.add_argument("--debug", action="store_true", help="出错时显示 Python 调用栈")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    v = sub.add_parser("validate", help="校验所有品牌档案")
    v.add_argument("--format", choices=FORMATS, default="text")
    v.add_argument("--strict", action="store_true", help="有警告也视为失败")
    v.add_argument("--date", type=_date_arg, default=None, metavar="YYYY-MM-DD", help=_DATE_HELP)
    v.add_argument("--summary", type=Path, default=None, metavar="FILE",
                   help="另把全部问题写成中文 Markdown 摘要，追加到 FILE（如 $GITHUB_STEP_SUMMARY）")

    b = sub.add_parser("build", help="校验后生成站点到 site/")
    b.add_argument("--site-dir", type=Path, default=None, help="输出目录，默认 site/")
    b.add_argument("--strict", action="store_true", help="有警告也视为失败")
    b.add_argument("--date", type=_date_arg, default=None, metavar="YYYY-MM-DD", help=_DATE_HELP)
    b.add_argument("--format", choices=FORMATS, default="text")
    b.add_argument("--summary", type=Path, default=None, metavar="FILE",
                   help="另把全部问题写成中文 Markdown 摘要，追加到 FILE")
    b.add_argument("--site-url", type=_url_arg, default=None, metavar="URL",
                   help="settings.yml 的 site.url 留空时用这个地址（如 GitHub Pages 的地址，"
                        "也可用环境变量 SITE_URL）；site.url 已填写时以它为准")
    b.add_argument("--engine", choices=("native", "mkdocs"), default="native",
                   help="生成页面的引擎：native（本项目自己的版式，不需要 MkDocs，默认）或 mkdocs"
                        "（MkDocs + Material，需另行安装）")

    c = sub.add_parser("check", help="发布前检查已生成的站点：断链、锚点、缺图、标题、外站资源、"
                           "个人信息和内联脚本")
    c.add_argument("site_dir", type=Path, nargs="?", default=None, help="站点目录，默认 site/")
    c.add_argument("--site-url", default=None,
                   help="站点正式地址（其主机算作本站），默认取 settings.yml 的 site.url")
    c.add_argument("--format", choices=FORMATS, default="text")
    c.add_argument("--summary", type=Path, default=None, metavar="FILE",
                   help="另把全部问题写成中文 Markdown 摘要，追加到 FILE")

    d = sub.add_parser("deploy", help="通过 SSH 把已生成的站点部署到自己的服务器：上传新版本、校验后"
                           "原子切换；或 --rollback 回到上一个版本",
                       description="每个选项也可以用环境变量给出（CI 中来自仓库的密钥）。服务器上的"
                                   "网站根目录是 部署目录/current。")
    d.add_argument("--host", help="服务器地址（环境变量 DEPLOY_HOST）")
    d.add_argument("--port", help="SSH 端口，默认 22（DEPLOY_PORT）")
    d.add_argument("--user", help="SSH 用户名（DEPLOY_USER）")
    d.add_argument("--path", help="服务器上的部署目录，绝对路径（DEPLOY_PATH）")
    d.add_argument("--key", metavar="FILE", help="SSH 私钥文件（DEPLOY_SSH_KEY：文件路径或私钥内容）")
    d.add_argument("--known-hosts", metavar="FILE",
                   help="服务器主机密钥的 known_hosts 文件（DEPLOY_KNOWN_HOSTS：路径或内容）；"
                        "不给时用 ~/.ssh/known_hosts，主机密钥总要核对")
    d.add_argument("--site-dir", type=Path, default=None, help="要部署的站点目录，默认 site/")
    d.add_argument("--keep", type=int, default=None, metavar="N",
                   help="服务器上保留最近 N 个版本，默认 5（当前和上一个版本总会保留）")
    d.add_argument("--rollback", action="store_true", help="把网站切回上一个版本，不上传")

    ch = sub.add_parser("changes", help="用中文逐字段说明与某个 Git 版本相比，档案在网站上改了什么")
    ch.add_argument("--base", required=True, metavar="GIT-REF",
                    help="比较的基准，例如 origin/main 或拉取请求的目标分支")
    ch.add_argument("--summary", type=Path, default=None, metavar="FILE",
                    help="另把说明追加到 FILE（如 $GITHUB_STEP_SUMMARY）")
    ch.add_argument("--pages", type=Path, default=None, metavar="FILE",
                    help="把会变化的页面（站内路径，每行一个）写入 FILE，供截图使用")
    ch.add_argument("--thumbs", type=Path, default=None, metavar="DIR",
                    help="把改动图片合并前后的缩略图（JPEG，长边不超过 240 像素）写入 DIR，"
                         "说明中引用 thumbs/ 下的这些文件")

    pw = sub.add_parser("preview-without-failing",
                        help="检查没有通过时，除去有错误的档案和页面生成供预览的站点（每页顶部写明除去了哪些）")
    pw.add_argument("--site-dir", type=Path, required=True, help="预览站点的文件夹")
    pw.add_argument("--report", type=Path, default=None, metavar="FILE",
                    help="把除去的档案（JSON：文件和名称）写入 FILE，供评论使用")

    i = sub.add_parser("init", help="新建一个地区的项目：带注释的 settings.yml、示例档案、工作流")
    i.add_argument("dir", type=Path, metavar="DIR", help="新项目的文件夹（不存在时创建）")
    i.add_argument("--force", action="store_true",
                   help="文件夹不是空的也写入，只写缺少的文件，已有文件不改动")

    s = sub.add_parser("serve", help="本地预览，修改档案后自动刷新")
    s.add_argument("--port", type=_port_arg, default=DEFAULT_PORT,
                   help=f"预览使用的端口，默认 {DEFAULT_PORT}（被占用时换一个，如 --port 8001）")
    s.add_argument("--engine", choices=("native", "mkdocs"), default="native",
                   help="生成页面的引擎：native（本项目自己的版式，不需要 MkDocs，默认）或 mkdocs"
                        "（MkDocs + Material，需另行安装）")

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
        ordinary = ordinary_failure(e, args)
        if ordinary is not None:  # the machine's situation (a full disk), not a bug
            print(f"site-builder: {ordinary}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"site-builder: 内部错误：{type(e).__name__}: {e}（加 --debug 查看详情）",
              file=sys.stderr)
        return EXIT_PROBLEMS


def _run(args) -> int:
    if args.command == "init":  # the new project is made where it is asked for, not in a root
        from .starter_init import init_project

        ok, msg = init_project(args.dir, force=args.force)
        print(msg, file=sys.stdout if ok else sys.stderr)
        return EXIT_OK if ok else EXIT_USAGE
    root = (args.root or find_root()).resolve()
    if args.command == "check":
        return _check(args, root)
    if args.command == "deploy":
        return _deploy(args, root)
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
        import os

        from .build import build_site
        from .publish.swap import site_dir_problem

        site_dir = args.site_dir or root / "site"
        problem = site_dir_problem(root, site_dir)  # a build replaces the whole folder
        if problem is not None:
            print(f"site-builder: {problem}", file=sys.stderr)
            return EXIT_USAGE
        site_url = args.site_url or (os.environ.get("SITE_URL") or "").strip() or None
        if site_url is not None and args.site_url is None:
            try:
                site_url = _url_arg(site_url)
            except argparse.ArgumentTypeError as e:
                print(f"site-builder: 环境变量 SITE_URL：{e}", file=sys.stderr)
                return EXIT_USAGE
        problem = _editor_problem(root) or _font_problem()
        if problem is not None:
            print(f"site-builder: {problem}\n构建失败，{site_dir} 保持原样。", file=sys.stderr)
            return EXIT_PROBLEMS
        try:
            result = build_site(root, site_dir, strict=args.strict, build_date=args.date,
                                site_url=site_url, engine=args.engine,
                                apart=not args.debug)  # --debug: the whole traceback here
        except Exception as e:  # a bug (or a broken template): its traceback with --debug
            if args.debug:
                raise
            ordinary = ordinary_failure(e, args, site_dir)
            said = ordinary or f"{type(e).__name__}: {e}（加 --debug 查看详情）"
            print(f"生成站点失败：{said}\n构建失败，{site_dir} 保持原样。", file=sys.stderr)
            return EXIT_PROBLEMS
        one_report = args.format in ("json", "gitlab")  # one JSON document on stdout
        code = _report(result.diagnostics + (result.findings if one_report else []), args.format,
                       args.strict, None)
        if result.findings and not one_report:
            print(format_diagnostics(result.findings, args.format))
        for msg in result.problems:
            print(msg, file=sys.stderr)
        for msg in result.notices:
            print(f"site-builder: 提示：{msg}", file=sys.stderr)
        _write_summary(args.summary, root, "站点构建", result.ok and code == EXIT_OK,
                       result.diagnostics + result.findings,
                       notes=result.problems + ([] if result.ok else [f"构建失败，{site_dir} 保持原样。"]),
                       checked=f"{result.published} 个已发布品牌")
        if not result.ok:
            print(f"构建失败，{site_dir} 保持原样。", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"已生成站点：{site_dir}（{result.published} 个已发布品牌）",
              file=sys.stderr)
        return code
    if args.command == "changes":
        return _changes(args, root)
    if args.command == "preview-without-failing":
        return _preview_without_failing(args, root)
    if args.command == "serve":
        return _serve(args, root)
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


def _serve(args, root: Path) -> int:
    """`serve`: the live preview, once this computer can give it its port, editor and font."""
    from .build import serve_site
    from .engines import EngineFailed

    # The port first: the first build takes a while, and a port in use is known at once.
    problem = (_port_problem(PREVIEW_HOST, args.port) or _editor_problem(root)
               or _font_problem())
    if problem is not None:
        print(f"site-builder: {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        serve_site(root, PREVIEW_HOST, args.port, engine=args.engine)
    except EngineFailed as e:
        print(f"site-builder: {e}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _changes(args, root: Path) -> int:
    """`changes`: the reviewers' summary of what the changed records change on the site."""
    import subprocess

    from .editor.changes import format_changes, summarize_changes, thumbs_at, write_thumbnails
    from .load.settings import load_settings

    try:
        changes = summarize_changes(root, args.base)
    except (subprocess.CalledProcessError, OSError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        print(f"site-builder: 无法与 {args.base} 比较（需要 Git 仓库和这个版本）：{detail.strip()}",
              file=sys.stderr)
        return EXIT_USAGE
    settings, _ = load_settings(root)
    site_url = (settings.site_url or "") if settings is not None else ""
    if args.thumbs is not None:
        write_thumbnails(changes, args.thumbs)
    text = format_changes(changes, args.base, site_url)
    print(text, end="")
    if args.summary is not None:
        with open(args.summary, "a", encoding="utf-8") as f:
            f.write(thumbs_at(text) + "\n")  # the job summary cannot show files beside it
    if args.pages is not None:
        pages = sorted({p for c in changes for p in c.pages})
        args.pages.write_text("".join(p + "\n" for p in pages), encoding="utf-8")
    return EXIT_OK


def _preview_without_failing(args, root: Path) -> int:
    """`preview-without-failing`: a failing pull request's preview, its failing records left out."""
    import json

    from .build import build_site
    from .editor.partial import add_banner, build_without_failing, left_out_words

    built, left_out, why = build_without_failing(root, args.site_dir, build_site)
    if args.report is not None:
        args.report.write_text(json.dumps([{"path": p, "name": n, "because_of_others": c}
                                           for p, n, c in left_out], ensure_ascii=False),
                               encoding="utf-8")
    if not built:
        print(f"没有生成预览：{why}", file=sys.stderr)
        return EXIT_PROBLEMS
    if left_out:
        add_banner(args.site_dir, left_out)
        print("已生成预览。" + left_out_words(left_out), file=sys.stderr)
    else:
        print("已生成预览（没有需要除去的档案）", file=sys.stderr)
    return EXIT_OK


def _check(args, root: Path) -> int:
    """`check`: post-build checks of a built site; any finding fails."""
    from .verify import check_and_scan

    site_dir = args.site_dir or root / "site"
    if not site_dir.is_dir():
        print(f"site-builder: 找不到站点目录 {site_dir}；请先运行 site-builder build。", file=sys.stderr)
        return EXIT_USAGE
    site_url = args.site_url
    admin_origins: list[str] | None = None  # without settings: those the site's editor names
    if (root / SETTINGS_FILE).is_file():
        from .editor.cms import api_origins
        from .load.settings import load_settings

        settings, _ = load_settings(root)
        if site_url is None and settings is not None:
            site_url = settings.site_url
        admin_origins = api_origins(settings)
    if site_url is None:  # the address the site was built for (build --site-url / SITE_URL)
        import os

        site_url = os.environ.get("SITE_URL", "").strip() or None
    findings = check_and_scan(site_dir, site_url, site_dir.as_posix(), admin_origins=admin_origins)
    pages = sum(1 for p in site_dir.rglob("*.html"))
    checked = f"已检查 {pages} 个页面"
    _write_summary(args.summary, root, "发布前检查", not findings, findings, checked=checked)
    out = format_diagnostics(findings, args.format)
    if out:
        print(out)
    if args.format == "text":
        print(f"{checked}：{len(findings)} 个问题。", file=sys.stderr)
    return EXIT_PROBLEMS if findings else EXIT_OK


def _deploy(args, root: Path) -> int:
    """`deploy`: upload site/ to the organisation's server over SSH, or roll back."""
    import tempfile

    from .publish.deploy import DEFAULT_KEEP, DeployError, UsageError, deploy, resolve_target
    from .publish.deploy import rollback as roll_back

    with tempfile.TemporaryDirectory(prefix="site-deploy-secrets-") as tmp:
        try:
            target = resolve_target(args.host, args.port, args.user, args.path, args.key,
                                    args.known_hosts, workdir=Path(tmp))
            if args.rollback:
                now, before = roll_back(target)
                print(f"已回退：{target.path}/current 现在指向 releases/{now}"
                      + (f"（原来的 releases/{before} 保留为 previous，再运行一次 --rollback 可切回）"
                         if before else ""), file=sys.stderr)
                return EXIT_OK
            site_dir = args.site_dir or root / "site"
            keep = DEFAULT_KEEP if args.keep is None else args.keep
            result = deploy(site_dir, target, keep)
        except UsageError as e:
            print(f"site-builder deploy: {e}", file=sys.stderr)
            return EXIT_USAGE
        except DeployError as e:
            print(f"site-builder deploy: {'' if args.rollback else '部署失败：'}{e}", file=sys.stderr)
            return EXIT_PROBLEMS
    for w in result.warnings:
        print(f"site-builder deploy: 警告：{w}", file=sys.stderr)
    sent = (f"，上传了其中 {result.uploaded} 个，其余与上一版本相同"
            if result.uploaded is not None and result.previous else "")
    print(f"已部署：{target.path}/current → releases/{result.release}（{result.files} 个文件{sent}）"
          + (f"；上一个版本 releases/{result.previous} 可用 --rollback 切回" if result.previous else "")
          + (f"；已删除旧版本 {'、'.join(result.removed)}" if result.removed else ""), file=sys.stderr)
    return EXIT_OK


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


# -- ordinary situations: the machine, not the records and not a bug -----------------------------
#
# A port in use, a folder the user may not write, a full disk, a missing program: each is told
# in Chinese with the path and what to do, exit 1, instead of an "internal error". Bugs keep
# the generic message (and their traceback under --debug).

def _port_problem(host: str, port: int) -> str | None:
    """Whether the preview can listen at host:port, tried before it spends time building: a
    socket bound as the preview's server binds it (an address left in TIME_WAIT is reusable)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            return _port_message(e, host, port)
    return None


def _port_message(e: OSError, host: str, port: int) -> str:
    other = 8001 if port == DEFAULT_PORT or port >= 65535 else port + 1
    how = (f"请用 --port 换一个端口，例如：site-builder serve --port {other}"
           f"（用 make 时：make serve PORT={other}）")
    if e.errno == errno.EADDRINUSE:
        return f"端口 {port} 已被占用（也许另一个预览还在运行）。{how}"
    if e.errno in (errno.EACCES, errno.EPERM):
        return f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限）。{how}"
    return f"无法在 {host} 的端口 {port} 上预览（{e.strerror}）。{how}"


def _editor_problem(root: Path) -> str | None:
    """When settings.yml asks for the form editor, its npm packages must be installed: said
    before the build rather than after it (the build is not made without /admin/, see
    `editor.cms.node_modules`). Settings that cannot be read are the build's to report."""
    from .editor.cms import EditorUnavailable, editor_settings, node_modules
    from .load.settings import load_settings

    settings, _ = load_settings(root)
    if not editor_settings(settings):
        return None
    try:
        node_modules(root)
    except EditorUnavailable as e:
        return str(e)
    return None


def _font_problem() -> str | None:
    """The share images' font: a file named by SITE_BUILDER_CJK_FONT that cannot be used fails
    (someone chose it); no Chinese font at all is a notice (the pages share their covers)."""
    from .render.share_image import MISSING_FONT, chosen_font_problem, find_cjk_font

    problem = chosen_font_problem()
    if problem is not None:
        return problem
    if find_cjk_font() is None:
        print(f"site-builder: 提示：{MISSING_FONT}", file=sys.stderr)
    return None


_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
_WHAT = {
    errno.EACCES: "没有权限访问 {path}",
    errno.EPERM: "没有权限访问 {path}",
    errno.ENOSPC: "磁盘空间不足，无法写入 {path}",
    errno.EDQUOT: "磁盘配额已用完，无法写入 {path}",
    errno.EROFS: "{path} 所在的文件系统是只读的，不能写入",
}


# Why a file or folder of the spare could not be deleted, moved or changed, in the message's
# own words (the system's reason is English)
_SPARE_WHY = {
    errno.EPERM: "没有权限：它可能在其他用户的文件夹中，或被设为不可更改",
    errno.EACCES: "没有权限：它可能在其他用户的文件夹中，或被设为不可更改",
    errno.EROFS: "它所在的文件系统是只读的",
    errno.EBUSY: "它正被使用，例如是一个挂载点",
    errno.ENOTEMPTY: "其中还有不能删除的文件",
    errno.EIO: "磁盘读写出错",
}


def ordinary_failure(e: BaseException, args, site_dir: Path | None = None) -> str | None:
    """A Chinese message for a failure that is the machine's situation, not a bug: the form
    editor's packages missing, a port in use, no permission, a full disk, a read-only file
    system, a missing program or file. None for anything else (a bug)."""
    from .editor.cms import EditorUnavailable
    from .project import RecordCheckTimeout

    seen = 0
    while e is not None and seen < 8:  # the failure itself, or what it was raised from
        if isinstance(e, (EditorUnavailable, RecordCheckTimeout)):
            return str(e)
        if isinstance(e, OSError) and e.errno is not None:
            said = _os_message(e, args, site_dir)
            if said is not None:
                return said
        e, seen = e.__cause__ or e.__context__, seen + 1
    return None


def _os_message(e: OSError, args, site_dir: Path | None) -> str | None:
    from .engines.recycle import SpareNotEmptied

    if isinstance(e, SpareNotEmptied):  # a folder another user left in the site made before
        why = _SPARE_WHY.get(e.errno) or f"系统错误代码 {errno.errorcode.get(e.errno, e.errno)}"
        return (f"上次生成的旧站点（新站点在其中生成）里有当前用户不能删除或更改的 {e.filename}"
                f"（{why}）。"
                "下次生成会从空文件夹开始；请删除它，必要时请管理员删除")
    if getattr(args, "command", None) == "serve" and (
            e.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL)
            or (e.errno in (errno.EACCES, errno.EPERM) and e.filename is None)):
        return _port_message(e, PREVIEW_HOST, args.port)  # the server could not listen
    if getattr(args, "command", None) == "build" and site_dir is None:
        site_dir = getattr(args, "site_dir", None) or ((args.root or Path.cwd()) / "site")
    path = e.filename2 if e.filename2 is not None else e.filename
    if e.errno in (errno.ENOTDIR, errno.EEXIST) and path is not None:
        return _in_the_way(Path(str(path)), site_dir)
    if e.errno == errno.ENOENT:
        if path is None:
            return None
        if site_dir is not None and _beside_site(Path(str(path)), Path(site_dir)):
            return _cannot_hold(Path(site_dir))
        name = str(path)
        if "/" not in name and "\\" not in name:  # what subprocess names: a program
            return f"找不到程序 {name}：请先安装它，并确认它在 PATH 中（Python 和 npm 的依赖可用 make install 安装）"
        return f"找不到 {name}：请确认这个文件或目录存在（所在目录也已建立）"
    if e.errno not in _WRITE_ERRNOS:
        return None
    if path is None:
        if e.errno not in (errno.ENOSPC, errno.EDQUOT):
            return None
        return "磁盘空间不足：" + _free_space(site_dir) + "。请清理磁盘空间后重试"
    path = Path(str(path)).absolute()
    return _WHAT[e.errno].format(path=path) + "。" + _write_hint(e.errno, path, site_dir)


def _in_the_way(path: Path, site_dir: Path | None) -> str | None:
    """A file standing where a folder must be made (`--site-dir afile/site`): name it."""
    path = path.absolute()
    for place in [*reversed(path.parents), path]:
        if place.exists() and not place.is_dir():
            wanted = Path(site_dir).absolute() if site_dir is not None else path
            return (f"{place} 是一个文件，不是目录，挡住了要建立的 {wanted}：请删除或改名这个文件，"
                    "或换一个位置（如用 --site-dir 把站点生成到别处）")
    return None


def _beside_site(path: Path, site: Path) -> bool:
    """Whether `path` is the site's folder or a file the build makes beside it (.site.lock,
    .site.tmp-…) in a folder that exists."""
    path, site = path.absolute(), site.absolute()
    return path.parent == site.parent and site.parent.is_dir() and (
        path.name == site.name or path.name.startswith(f".{site.name}."))


def _cannot_hold(site: Path) -> str:
    """The site's parent folder exists but refuses new files (/proc, a special file system)."""
    parent = site.absolute().parent
    return (f"{parent} 不能存放站点：无法在其中建立文件（它可能是系统的特殊目录，如 /proc）；"
            "请用 --site-dir 把站点生成到普通目录，例如 site/")


def _write_hint(code: int, path: Path, site_dir: Path | None) -> str:
    """What to do, by where the path is (the site's folder, the cache, a temporary folder) and
    what is wrong there (no space, a read-only file system, no permission)."""
    import tempfile

    from .cache import cache_dir

    def fix(where: Path, other: str) -> str:
        if code in (errno.ENOSPC, errno.EDQUOT):
            return f"请清理 {where} 所在磁盘的空间，或{other}空间充足的磁盘"
        if code == errno.EROFS:
            return f"请{other}可以写入的位置"
        return f"请给当前用户 {where} 的写入权限，或{other}可以写入的位置"

    cache = cache_dir().absolute()
    if path.is_relative_to(cache):
        return ("这是构建的缓存目录（可以整个删除，只会让下次构建变慢）："
                + fix(cache, "用环境变量 SITE_BUILDER_CACHE 把它换到"))
    if site_dir is not None:
        site = Path(site_dir).absolute()
        parent = site.parent
        # the site itself, or the new one being written beside it (.site.tmp-…, .site.old-…)
        first = path.relative_to(parent).parts[:1] if path.is_relative_to(parent) else None
        if first is not None and (not first or first[0] == site.name
                                  or first[0].startswith(f".{site.name}.")):
            return (f"构建先把新站点写进 {parent} 中的临时目录，再换入 {site}"
                    + ("（新旧两份站点会同时存在）：" if code in (errno.ENOSPC, errno.EDQUOT)
                       else "（两处都要能写入）：") + fix(parent, "用 --site-dir 把站点生成到"))
    temp = Path(tempfile.gettempdir()).absolute()
    if path.is_relative_to(temp):
        return f"这是临时目录：{fix(temp, '用环境变量 TMPDIR 把它换到')}"
    return fix(path.parent, "换到")


def _free_space(site_dir: Path | None) -> str:
    """Where a build writes, with the space left on each disk (a write names no file)."""
    import shutil

    from .cache import cache_dir

    places = ([("站点目录", Path(site_dir).absolute())] if site_dir is not None else []) + [
        ("缓存目录", cache_dir().absolute())]
    said = []
    for label, place in places:
        probe = place
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        try:
            free = shutil.disk_usage(probe).free
        except OSError:
            said.append(f"{label} {place}")
            continue
        amount = f"{free / 2**30:.1f} GB" if free >= 2**30 else f"{free / 2**20:.1f} MB"
        said.append(f"{label} {place}（所在磁盘剩余 {amount}）")
    return "、".join(said)
