"""The shipped CI definitions build and publish the real site, run as written.

In a clean clone of this checkout (its tracked files and new ones git does not ignore), the
install step of each workflow puts its virtual environment where the workflow puts it (`.venv`
inside the clone, as `make install` does), and every shell step of the publishing jobs runs as
written, read from the file, with the environment that step gets there (tests/workflow_runner.py):
GitHub's checks on a push to main (with the Pages address) and on a pull request (the change
summary and the phone screenshots of the changed pages), Gitea's (and so Forgejo's) job on main,
and GitLab's validate and build jobs. A workflow edit that breaks publishing fails here, and so
does a build that fails on a fresh clone, as `make site` once did (Material's stylesheet, inside
`.venv`, was taken for the project's own file).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from browser import missing_tool
from workflow_runner import (
    Scenario,
    StepRun,
    clean_checkout,
    git,
    job_failed,
    load_workflow,
    reset,
    run_github_job,
    run_gitlab_job,
)

REPO = Path(__file__).resolve().parent.parent
PAGES_URL = "https://showcase-org.github.io/laowu"  # what configure-pages would report

# Steps that cannot run on this machine, by name, with why; everything else runs.
NEEDS_SUDO = "装系统软件包要 sudo，.ci/run 已装好 fonts-noto-cjk"


def _failed(runs: list[StepRun]) -> str:
    last = next((r for r in runs if r.returncode != 0), runs[-1] if runs else None)
    if last is None:
        return "没有运行任何步骤"
    return f"步骤「{last.name}」退出码 {last.returncode}：\n{last.command}\n---\n{last.output[-6000:]}"


def _ok(runs: list[StepRun]) -> bool:
    return bool(runs) and not job_failed(runs)


def _ran(runs: list[StepRun]) -> list[str]:
    return [r.name for r in runs]


def _github_push(sha: str) -> Scenario:
    return Scenario("GitHub: push to main", {
        "github.event_name": "push", "github.ref": "refs/heads/main", "github.sha": sha,
        "inputs.pages": True, "inputs.base-ref": "", "inputs.artifact-name": "site",
        "inputs.retention-days": 30, "steps.pages.outputs.base_url": PAGES_URL,
        "steps.cache.outputs.cache-hit": "false",
        "steps.cache.outputs.cache-primary-key": "site-build-x",
    }, skip={"安装中文字体": NEEDS_SUDO})


def _github_pull_request(base: str) -> Scenario:
    return Scenario("GitHub: pull request", {
        "github.event_name": "pull_request", "github.ref": "refs/pull/7/merge",
        "inputs.pages": False, "inputs.base-ref": base,
        "inputs.artifact-name": "site-preview-pr-7", "inputs.retention-days": 7,
        "inputs.pr-number": "7", **{f"secrets.PREVIEW_{k}": "" for k in (
            "HOST", "PORT", "USER", "PATH", "URL", "SSH_KEY", "KNOWN_HOSTS")},
        "steps.pages.outputs.base_url": "",  # the Pages step does not run on a pull request
        "steps.cache.outputs.cache-hit": "false",
        "steps.cache.outputs.cache-primary-key": "site-build-x",
    }, skip={"安装中文字体": NEEDS_SUDO})


def _gitea_push() -> Scenario:
    secrets = {f"secrets.{k}": "" for k in ("DEPLOY_HOST", "DEPLOY_PORT", "DEPLOY_USER",
                                             "DEPLOY_PATH", "DEPLOY_SSH_KEY",
                                             "DEPLOY_KNOWN_HOSTS")}
    return Scenario("Gitea: push to main", {
        "github.event_name": "push", "github.ref": "refs/heads/main",
        "steps.cache.outputs.cache-hit": "false",
        "steps.cache.outputs.cache-primary-key": "site-build-x", **secrets})


@pytest.fixture(scope="module")
def installed_clone(tmp_path_factory) -> Path:
    """A clean clone of this checkout. The first scenario's install step makes its `.venv` and
    `node_modules`; the later ones run the same step, which `make` finds done (its stamp), as on
    a runner that kept them."""
    for tool in ("git", "make", "npm"):
        if shutil.which(tool) is None:
            missing_tool(f"找不到 {tool}：运行工作流的步骤需要它")
    return clean_checkout(REPO, tmp_path_factory.mktemp("workflows") / "clone")


def test_publish_workflows_build_the_site_as_written(installed_clone, tmp_path):
    clone = installed_clone
    sha = git(clone, "rev-parse", "HEAD").strip()
    failures = []

    # GitHub, on a push to main: validate, build (strict, with the Pages address), check, archive.
    runs = run_github_job(clone / ".github/workflows/site.yml", "site", clone, _github_push(sha),
                          tmp_path / "gh-push")
    if not _ok(runs):
        failures.append("GitHub（推送到 main）：" + _failed(runs))
    else:
        names = _ran(runs)
        for step in ("安装依赖（constraints.txt 中的确切版本）", "校验品牌档案", "生成站点（严格模式）",
                     "发布前检查", "打包离线压缩包"):
            assert step in names, (step, names)
        assert (clone / "site" / "index.html").is_file() and (clone / "site.tar.gz").is_file()
        home = (clone / "site" / "index.html").read_text(encoding="utf-8")
        settings = yaml.safe_load((clone / "settings.yml").read_text(encoding="utf-8"))
        if not (settings.get("site") or {}).get("url"):  # the Pages address fills the gap
            assert PAGES_URL in home, "站点没有按 GitHub Pages 的地址生成"
        cache = tmp_path / "gh-push" / "temp" / "site-builder-cache"
        assert cache.is_dir() and any(cache.iterdir()), "构建缓存没有写到代码目录之外"
        assert not (clone / ".cache").exists(), "构建缓存写进了代码目录"

    # GitHub, on a pull request: the same checks, the change summary and the screenshots.
    reset(clone)
    records = sorted((clone / "brands").glob("*.md"))
    record = next((r for r in records if "\nstatus: 已发布" in r.read_text(encoding="utf-8")),
                  records[0])  # a published one: its page changes and is screenshotted
    text = record.read_text(encoding="utf-8")
    # an editor's change to the story, whatever the root project's records hold
    record.write_text(text.rstrip("\n") + "\n\n示例改动：补充一句说明。\n", encoding="utf-8")
    git(clone, "commit", "-q", "-am", "an editor's change")
    if shutil.which("chromium") is None and not os.path.exists("/usr/bin/chromium"):
        missing_tool("找不到 Chromium：拉取请求的截图步骤需要它")
    runs = run_github_job(clone / ".github/workflows/site.yml", "site", clone,
                          _github_pull_request(sha), tmp_path / "gh-pr")
    if not _ok(runs):
        failures.append("GitHub（拉取请求）：" + _failed(runs))
    else:
        names = _ran(runs)
        assert "档案改动说明" in names and "截图（手机宽度，合并前后）" in names, names
        summary = (tmp_path / "gh-pr" / "github_step_summary.txt").read_text(encoding="utf-8")
        assert record.stem in summary or "示例改动" in summary, summary[-2000:]
        for when in ("before", "after"):  # the same pages before and after the merge
            assert any((clone / "screenshots" / when).glob("*.png")), f"改动的页面没有截图（{when}）"
        comment = (clone / "pr-comment" / "comment.md").read_text(encoding="utf-8")
        assert "✅ 检查通过" in comment and "示例改动" in comment, comment
    git(clone, "reset", "-q", "--hard", sha)

    # Gitea (and Forgejo, whose file differs only in runs-on): the job on main, no deploy keys.
    reset(clone)
    runs = run_github_job(clone / ".gitea/workflows/ci.yml", "site", clone, _gitea_push(),
                          tmp_path / "gitea")
    if not _ok(runs):
        failures.append("Gitea（推送到 main）：" + _failed(runs))
    else:
        assert (clone / "site" / "index.html").is_file()
        assert "没有设置服务器部署的密钥" in runs[-1].output, runs[-1].output

    # GitLab: the validate and build jobs of a pipeline on the default branch.
    for job in ("validate", "build"):
        reset(clone)
        scenario = Scenario(f"GitLab: {job}", {}, env={
            "CI_DEFAULT_BRANCH": "main", "CI_COMMIT_BRANCH": "main",
            "CI_PIPELINE_SOURCE": "push"})
        runs = run_gitlab_job(clone / ".gitlab-ci.yml", job, clone, scenario,
                              tmp_path / f"gitlab-{job}")
        if not _ok(runs):
            failures.append(f"GitLab（{job}）：" + _failed(runs))
        elif job == "build":
            assert (clone / "site" / "index.html").is_file() and (clone / "site.tar.gz").is_file()
            assert (clone / ".ci-cache" / "site-builder").is_dir(), "构建缓存没有移回保存的位置"
    assert not failures, "\n\n".join(failures)

    # A planted mistake in the build step fails the run: the runner really runs what is written.
    reset(clone)
    runs = run_github_job(clone / ".github/workflows/site.yml", "site", clone, _github_push(sha),
                          tmp_path / "planted",
                          replace=("site-builder build --strict", "site-builder build --strikt"))
    assert not _ok(runs) and _failed(runs).startswith("步骤「生成站点（严格模式）」"), _ran(runs)


def test_the_installed_theme_is_what_mkdocs_reads_besides_the_project_s_folder(tmp_path):
    """Which theme files are the installed theme's (cleaned of other hosts' addresses, unused
    ones left out) is told by MkDocs' theme, not by where the files lie: a theme installed in a
    virtual environment inside the project is still the installed theme."""
    from site_builder.engines.mkdocs import installed_theme_dirs, project_theme_dirs

    class Theme:
        custom_dir = str(tmp_path / "templates" / "theme")
        dirs = (custom_dir, str(tmp_path / ".venv" / "material" / "templates"),
                str(tmp_path / ".venv" / "mkdocs" / "templates"))

    assert project_theme_dirs(Theme) == [Theme.custom_dir]
    assert installed_theme_dirs(Theme) == list(Theme.dirs[1:])
    Theme.custom_dir = None
    assert project_theme_dirs(Theme) == [] and installed_theme_dirs(Theme) == list(Theme.dirs)


# -- a pull request whose check fails still gets its summary, preview step and comment -----------

class _FakeGitHub:
    """GitHub's issue-comment API on loopback (and so Gitea's, and GitLab's notes, whose
    shapes are the same: a list of {id, body}): lists, creates and edits comments (PATCH, or PUT
    as GitLab does), recording every request (method, path, JSON body, token header) the
    workflow's curl makes."""

    def __init__(self) -> None:
        import http.server
        import json
        import threading

        self.requests: list[tuple[str, str, dict | None]] = []
        self.tokens: list[str | None] = []
        self.comments: list[dict] = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return json.loads(self.rfile.read(n)) if n else None

            def _send(self, status, data):
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                fake.tokens.append(self.headers.get("Authorization")
                                   or self.headers.get("PRIVATE-TOKEN"))
                fake.requests.append(("GET", self.path, None))
                self._send(200, fake.comments)

            def do_POST(self):
                body = self._body()
                fake.requests.append(("POST", self.path, body))
                fake.comments.append({"id": 100 + len(fake.comments), "body": body["body"]})
                self._send(201, fake.comments[-1])

            def do_PATCH(self):
                body = self._body()
                fake.requests.append((self.command, self.path, body))
                cid = int(self.path.rsplit("/", 1)[1])
                for c in fake.comments:
                    if c["id"] == cid:
                        c["body"] = body["body"]
                self._send(200, {"id": cid})

            do_PUT = do_PATCH

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


BAD_RECORD = ("---\nslug: shili-cuowu\nname: 示例·有错的品牌\nsummary: 虚构的示例品牌，只用于测试。\n"
              "status: 已发布\ncategory: 民生保障型\ndistricts: [白鹭区]\nfigures:\n"
              "  - label: 从业人数\n    value: 很多\n    unit: 人\nupdated: 2026-11-20\n---\n"
              "虚构品牌的故事。\n")


def test_a_failing_pull_request_still_gets_its_summary_and_one_comment(installed_clone, tmp_path):
    clone = installed_clone
    reset(clone)
    sha = git(clone, "rev-parse", "HEAD").strip()
    (clone / "brands" / "shili-cuowu.md").write_text(BAD_RECORD, encoding="utf-8")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "an editor's record with a mistake")
    try:
        scenario = _github_pull_request(sha)
        runs = run_github_job(clone / ".github/workflows/site.yml", "site", clone, scenario,
                              tmp_path / "gh-pr")
        names = _ran(runs)
        assert job_failed(runs)  # the check fails …
        first = next(r for r in runs if r.returncode != 0)
        assert first.name == "校验品牌档案", _failed(runs)
        assert "生成站点（严格模式）" not in names  # (the build waits for a valid record)
        # … and the steps the editor needs still run, each of them succeeding
        for step in ("档案改动说明", "整理问题清单（供评论）", "生成预览（除去有问题的档案）",
                     "部署预览（设置了预览密钥时）", "写评论内容"):
            assert step in names, (step, names)
            assert next(r for r in runs if r.name == step).returncode == 0, _failed(
                [r for r in runs if r.name == step])
        preview = next(r for r in runs if r.name == "部署预览（设置了预览密钥时）")
        assert "没有设置预览密钥" in preview.output
        comment = (clone / "pr-comment" / "comment.md").read_text(encoding="utf-8")
        assert comment.startswith("<!-- site-builder:pr-comment -->")
        assert "❌ 检查没有通过" in comment
        assert "“关键数据 第1项·数值”" in comment and "figures[0]" not in comment
        assert "示例·有错的品牌" in comment  # the change summary
        # a preview of the rest, the record with the mistake left out and said so on every page
        assert "> ⚠ 本预览未包含有问题的档案：示例·有错的品牌（brands/shili-cuowu.md）" in comment
        home = (clone / "site" / "index.html").read_text(encoding="utf-8")
        assert "本预览未包含有问题的档案：示例·有错的品牌" in home
        # the comment job: posts once, then edits the same comment on the next push
        fake = _FakeGitHub()
        try:
            comment_scenario = Scenario("GitHub: comment", {
                "github.token": "fake-token", "github.repository": "shili-org/laowu",
                "github.event.pull_request.number": "7",
                "github.event.pull_request.head.repo.full_name": "shili-org/laowu"},
                env={"GITHUB_API_URL": fake.url})
            for _push in range(2):
                runs = run_github_job(clone / ".github/workflows/pr.yml", "comment", clone,
                                      comment_scenario, tmp_path / "gh-comment")
                assert not job_failed(runs), _failed(runs)
        finally:
            fake.close()
        methods = [(m, path.split("?")[0]) for m, path, _ in fake.requests]
        assert methods == [("GET", "/repos/shili-org/laowu/issues/7/comments"),
                           ("POST", "/repos/shili-org/laowu/issues/7/comments"),
                           ("GET", "/repos/shili-org/laowu/issues/7/comments"),
                           ("PATCH", "/repos/shili-org/laowu/issues/comments/100")]
        assert len(fake.comments) == 1 and fake.comments[0]["body"] == comment
    finally:
        git(clone, "reset", "-q", "--hard", sha)
        reset(clone)


def _gate(tmp_path, name: str, **results) -> list[StepRun]:
    contexts = {f"needs.{k}.result": v for k, v in results.items() if k != "code"}
    contexts["needs.changed.outputs.code"] = results.get("code", "")
    return run_github_job(REPO / ".github/workflows/pr.yml", "gate", tmp_path, Scenario(
        name, contexts), tmp_path / name)


def test_the_required_check_fails_unless_the_checks_passed(tmp_path):
    """合并前检查, the one status check branch protection requires: a failed check (a bad
    record) or failed tests keep the pull request from merging; content-only passes without the
    software tests."""
    ok = {"changed": "success", "checks": "success", "tests": "success", "lowest": "success",
          "code": "true"}
    assert not job_failed(_gate(tmp_path, "all-passed", **ok))
    assert not job_failed(_gate(tmp_path, "content-only", **{
        **ok, "tests": "skipped", "lowest": "skipped", "code": "false"}))
    for name, change in (("bad-record", {"checks": "failure"}),
                         ("cancelled", {"checks": "cancelled"}),
                         ("tests-failed", {"tests": "failure"}),
                         ("code-untested", {"tests": "skipped", "lowest": "skipped"})):
        runs = _gate(tmp_path, name, **{**ok, **change})
        assert job_failed(runs) and "::error::不能合并" in runs[-1].output, name


def test_content_only_pull_requests_skip_the_software_tests(tmp_path):
    """The `changed` job's step, as written: records and pages alone → no tests; a change to the
    program → the tests run."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "brands").mkdir()
    (repo / "brands" / "a.md").write_text("x\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    results = {}
    for name, rel in (("content", "brands/shili-b.md"), ("page", "docs/shili-page.md"),
                      ("code", "site_builder/x.py")):
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("y\n", encoding="utf-8")
        git(repo, "add", rel)  # (not the step's own lists of files, left in the checkout)
        git(repo, "commit", "-q", "-m", name)
        runs = run_github_job(REPO / ".github/workflows/pr.yml", "changed", repo, Scenario(
            name, {"github.event.pull_request.base.sha": base}), tmp_path / name)
        assert not job_failed(runs), _failed(runs)
        results[name] = (tmp_path / name / "github_output.txt").read_text(encoding="utf-8")
    assert results == {"content": "code=false\n", "page": "code=false\n", "code": "code=true\n"}
    gitea = yaml.safe_load((REPO / ".gitea/workflows/ci.yml").read_text(encoding="utf-8"))
    steps = gitea["jobs"]["tests"]["steps"]
    assert [s.get("if") for s in steps if s.get("name") == "运行全部测试"] == [
        "steps.scope.outputs.code == 'true'"]
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert "site_builder/**/*" in gitlab["tests"]["rules"][0]["changes"]["paths"]


# -- Gitea/Forgejo and GitLab: the same one comment, also when the check fails -------------------

def _pr_project(tmp_path: Path) -> tuple[Path, str]:
    """A fictional project as a pull request's checkout: the demo at its base commit, then an
    editor's record with a mistake; the tests' own environment linked in as the installed `.venv`
    (the install step, `make`, is what the full run above covers)."""
    from sitecopy import copy_demo

    root = copy_demo(tmp_path / "pr", full=False)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD").strip()
    (root / "brands" / "shili-cuowu.md").write_text(BAD_RECORD, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "an editor's record with a mistake")
    (root / ".venv").symlink_to(REPO / ".venv")
    return root, base


INSTALLED = "测试的虚拟环境已链接为 .venv（安装步骤由上面的完整运行覆盖）"


def test_gitea_pull_request_gets_one_comment_also_when_the_check_fails(tmp_path):
    root, base = _pr_project(tmp_path)
    workflow = REPO / ".gitea/workflows/ci.yml"
    scenario = Scenario("Gitea: pull request", {
        "github.event_name": "pull_request", "github.ref": "refs/pull/7/head",
        "github.event.pull_request.base.sha": base,
        "steps.cache.outputs.cache-hit": "false"},
        skip={"准备运行器（Python 3.11+、make、ssh、rsync）": NEEDS_SUDO,
              "安装依赖（constraints.txt 中的确切版本）": INSTALLED})
    runs = run_github_job(workflow, "site", root, scenario, tmp_path / "gitea-site")
    names = _ran(runs)
    assert job_failed(runs)  # the check fails at the record …
    assert next(r for r in runs if r.returncode != 0).name == "校验品牌档案", _failed(runs)
    assert "生成站点（严格模式）" not in names
    for step in ("档案改动说明", "整理问题清单（供评论）", "写评论内容"):  # … the comment is written
        assert step in names, (step, names)
        assert next(r for r in runs if r.name == step).returncode == 0, _failed(
            [r for r in runs if r.name == step])
    comment = (root / "pr-comment" / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("<!-- site-builder:pr-comment -->") and "❌ 检查没有通过" in comment
    assert "“关键数据 第1项·数值”" in comment and "示例·有错的品牌" in comment, comment

    # the comment job: no checkout, only the written comment, posted once and then edited
    job = load_workflow(workflow)["jobs"]["comment"]
    assert job["if"].startswith("always() &&") and "head.repo.full_name == github.repository" in job["if"]
    assert not any("checkout" in str(s.get("uses", "")) for s in job["steps"])
    assert not any(".venv" in str(s.get("run", "")) for s in job["steps"])
    poster = tmp_path / "poster"  # a fresh workspace holding only the downloaded artifact
    (poster / "pr-comment").mkdir(parents=True)
    shutil.copy(root / "pr-comment" / "comment.md", poster / "pr-comment" / "comment.md")
    fake = _FakeGitHub()
    try:
        contexts = {"github.event_name": "pull_request", "github.token": "fake-gitea-token",
                    "github.server_url": "https://git.shili.invalid",
                    "github.repository": "shili-org/laowu",
                    "github.event.pull_request.number": "7",
                    "github.event.pull_request.head.repo.full_name": "shili-org/laowu"}
        for _push in range(2):
            runs = run_github_job(workflow, "comment", poster, Scenario(
                "Gitea: comment", contexts, env={"GITEA_API_URL": fake.url + "/api/v1"}),
                tmp_path / "gitea-comment")
            assert not job_failed(runs), _failed(runs)
    finally:
        fake.close()
    api = "/api/v1/repos/shili-org/laowu/issues"
    assert [(m, path) for m, path, _ in fake.requests] == [
        ("GET", f"{api}/7/comments"), ("POST", f"{api}/7/comments"),
        ("GET", f"{api}/7/comments"), ("PATCH", f"{api}/comments/100")]
    assert fake.tokens == ["token fake-gitea-token"] * 2
    assert len(fake.comments) == 1 and fake.comments[0]["body"] == comment


def test_gitlab_merge_request_gets_one_note_also_when_the_check_fails(tmp_path):
    root, base = _pr_project(tmp_path)
    ci = REPO / ".gitlab-ci.yml"
    spec = yaml.safe_load(ci.read_text(encoding="utf-8"))
    # the build job's after_script, which GitLab runs also when the script failed (here: the
    # strict build refused the record, CI_JOB_STATUS=failed), writes the comment; its lines run
    # as written, on their own (the script's install and build are the full run's part above;
    # the lines that move the shared build cache are not the comment's and stay out)
    build = spec["build"]
    mr = {"CI_PIPELINE_SOURCE": "merge_request_event", "CI_DEFAULT_BRANCH": "main",
          "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_JOB_STATUS": "failed"}
    after = Scenario("GitLab: build's after_script", {}, env=mr)
    only_after = tmp_path / "gitlab-after.yml"
    only_after.write_text(yaml.safe_dump({"variables": spec.get("variables") or {},
                                          "build": {"script": [
                                              line for line in build["after_script"]
                                              if "merge_request_event" in line],
                                                    "variables": build.get("variables") or {}}},
                                         allow_unicode=True), encoding="utf-8")
    runs = run_gitlab_job(only_after, "build", root, after, tmp_path / "gitlab-after")
    assert not job_failed(runs), _failed(runs)
    comment = (root / "pr-comment" / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("<!-- site-builder:pr-comment -->") and "❌ 检查没有通过" in comment
    assert "“关键数据 第1项·数值”" in comment and "示例·有错的品牌" in comment, comment
    assert "pr-comment/" in spec["build"]["artifacts"]["paths"]
    assert spec["build"]["artifacts"]["when"] == "always"

    # the note job: runs always, no checkout, the token only through its environment
    job = spec["mr-comment"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"',
                             "when": "always"}]
    assert job["variables"]["GIT_STRATEGY"] == "none" and ".venv" not in str(job["script"])
    assert job["environment"]["name"] == "merge-request-comment"
    assert "MR_COMMENT_TOKEN" not in str({k: v for k, v in spec.items() if k != "mr-comment"})
    poster = tmp_path / "poster"
    (poster / "pr-comment").mkdir(parents=True)
    shutil.copy(root / "pr-comment" / "comment.md", poster / "pr-comment" / "comment.md")
    fake = _FakeGitHub()
    try:
        env = {**mr, "CI_API_V4_URL": fake.url + "/api/v4", "CI_PROJECT_ID": "42",
               "CI_MERGE_REQUEST_IID": "7", "MR_COMMENT_TOKEN": "fake-project-token"}
        for _push in range(2):
            runs = run_gitlab_job(ci, "mr-comment", poster, Scenario("GitLab: note", {}, env=env),
                                  tmp_path / "gitlab-note")
            assert not job_failed(runs), _failed(runs)
        # without the token (not set up, or a job outside its environment): no note, no failure
        runs = run_gitlab_job(ci, "mr-comment", poster, Scenario("GitLab: no token", {}, env={
            **env, "MR_COMMENT_TOKEN": ""}), tmp_path / "gitlab-none")
        assert not job_failed(runs) and "没有设置 MR_COMMENT_TOKEN" in runs[0].output
    finally:
        fake.close()
    notes = "/api/v4/projects/42/merge_requests/7/notes"
    assert [(m, path.split("?")[0]) for m, path, _ in fake.requests] == [
        ("GET", notes), ("POST", notes), ("GET", notes), ("PUT", f"{notes}/100")]
    assert fake.tokens == ["fake-project-token"] * 2
    assert len(fake.comments) == 1 and fake.comments[0]["body"] == comment
