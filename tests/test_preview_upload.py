"""The pull request's web preview, uploaded as the workflow writes it: the steps of
.github/workflows/site.yml run as written (tests/workflow_runner.py) for a pull request whose
check fails, with the PREVIEW_* secrets pointing at a real OpenSSH server on loopback (the deploy
tests' sshd). The preview built without the failing record lands under PREVIEW_PATH/pr-<number>/
with noindex on every page, a robots.txt that disallows everything, the .expires date and the
thumbnails beside the screenshots; the comment links to it; the key does not stay on the runner."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from browser import missing_tool
from sitecopy import copy_demo, without_editor
from test_deploy import server  # noqa: F401 -- the session's sshd on loopback
from workflow_runner import Scenario, StepRun, load_workflow, run_github_job

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
PREVIEW_URL = "https://preview.example.org/laowu"
# the steps of a failing pull request's run that this test runs; the others need the service
RUN = ["准备构建缓存的位置（代码目录之外）", "记录构建时间", "校验品牌档案", "生成站点（严格模式）",
       "整理问题清单（供评论）", "生成预览（除去有问题的档案）", "部署预览（设置了预览密钥时）",
       "写评论内容"]
BAD = "brands/shili-bailu-dianshang.md"


def _scenario(server, remote: Path) -> Scenario:  # noqa: F811
    steps = [s.get("name") for s in load_workflow(WORKFLOW)["jobs"]["site"]["steps"]]
    assert all(name in steps for name in RUN), steps
    secrets = {"HOST": "127.0.0.1", "PORT": str(server["port"]), "USER": server["user"],
               "PATH": str(remote) + "/", "URL": PREVIEW_URL + "/",
               "SSH_KEY": server["key"].read_text(), "KNOWN_HOSTS": server["known_hosts"].read_text()}
    return Scenario("GitHub: failing pull request with preview secrets", {
        "github.event_name": "pull_request", "github.ref": "refs/pull/7/merge",
        "inputs.pages": False, "inputs.base-ref": "main", "inputs.pr-number": "7",
        "inputs.artifact-name": "site-preview-pr-7", "inputs.retention-days": 7,
        "steps.pages.outputs.base_url": "", "steps.cache.outputs.cache-hit": "false",
        "steps.cache.outputs.cache-primary-key": "site-build-x",
        **{f"secrets.PREVIEW_{k}": v for k, v in secrets.items()}},
        skip={name: "只在 CI 服务上运行，或本测试不需要" for name in steps if name not in RUN})


def _step(runs: list[StepRun], name: str) -> StepRun:
    return next(r for r in runs if r.name == name)


@pytest.fixture()
def checkout(tmp_path):
    """A pull request's checkout: the fictional demo project with one record missing a required
    field, the tools installed (this worktree's .venv), a thumbnail beside the screenshots."""
    venv = REPO / ".venv" / "bin" / "site-builder"
    if not venv.is_file():
        missing_tool("找不到 .venv/bin/site-builder：先运行 make install")
    root = copy_demo(tmp_path / "checkout")
    (root / ".venv").symlink_to(REPO / ".venv")
    without_editor(root)
    text = (root / BAD).read_text(encoding="utf-8")
    (root / BAD).write_text(text.replace("    unit: 人次\n", "", 1), encoding="utf-8")
    (root / "screenshots" / "thumbs").mkdir(parents=True)
    (root / "screenshots" / "thumbs" / "1-after.jpg").write_bytes(b"\xff\xd8\xff\xe0 fictional")
    return root


def test_the_preview_step_uploads_over_ssh_as_written(server, checkout, tmp_path):  # noqa: F811
    remote = tmp_path / "server" / "preview"
    remote.mkdir(parents=True)
    stale = remote / "pr-7" / "brands" / "shili-jiu" / "index.html"  # from an earlier push
    stale.parent.mkdir(parents=True)
    stale.write_text("旧的预览页面（虚构）", encoding="utf-8")
    runner = tmp_path / "runner"
    runs = run_github_job(WORKFLOW, "site", checkout, _scenario(server, remote), runner)
    ran = {r.name: r for r in runs}
    assert ran["校验品牌档案"].returncode == 1  # the check fails …
    assert "生成站点（严格模式）" not in ran  # (skipped after the failure, as on GitHub)
    for name in ("生成预览（除去有问题的档案）", "部署预览（设置了预览密钥时）", "写评论内容"):
        assert ran[name].returncode == 0, (name, ran[name].output[-3000:])  # … these still run

    site = remote / "pr-7"
    assert (site / "index.html").is_file(), "\n".join(f"{r.name}: {r.output[-1500:]}" for r in runs)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<head><meta name="robots" content="noindex, nofollow">' in home
    assert "本预览未包含有问题的档案：示例·白鹭电商达人（brands/shili-bailu-dianshang.md）" in home
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20 and all(
        'content="noindex, nofollow"' in p.read_text(encoding="utf-8") for p in pages)
    assert (site / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    expires = dt.date.fromisoformat((site / ".expires").read_text().strip())
    assert expires == dt.datetime.now(dt.UTC).date() + dt.timedelta(days=7)
    assert (site / "_shots" / "thumbs" / "1-after.jpg").is_file()
    assert (site / "brands" / "shili-qingxi-jiazheng" / "index.html").is_file()
    assert not (site / "brands" / "shili-bailu-dianshang").exists()  # the failing record
    assert not stale.exists()  # the upload replaces the earlier preview (rsync --delete)
    assert not list(remote.glob("pr-7?*")) and sorted(p.name for p in remote.iterdir()) == ["pr-7"]

    env = (runner / "github_env.txt").read_text(encoding="utf-8")
    assert f"PREVIEW_LINK={PREVIEW_URL}/pr-7/" in env
    assert not list((runner / "temp").glob("preview_key*"))  # the key is not left on the runner
    comment = (checkout / "pr-comment" / "comment.md").read_text(encoding="utf-8")
    assert f"[在浏览器中打开]({PREVIEW_URL}/pr-7/)" in comment
    assert "> ⚠ 本预览未包含有问题的档案：示例·白鹭电商达人" in comment
    assert "“关键数据 第1项·单位”" in comment


def test_without_the_secrets_nothing_is_uploaded(checkout, tmp_path):
    """A pull request from a fork gets no secrets: the step says so and succeeds, nothing leaves."""
    if shutil.which("rsync") is None:
        missing_tool("找不到 rsync")
    scenario = _scenario({"port": 22, "user": "nobody",
                          "key": _empty(tmp_path / "k"), "known_hosts": _empty(tmp_path / "h")},
                         tmp_path / "nowhere")
    scenario.contexts.update({"secrets.PREVIEW_HOST": "", "secrets.PREVIEW_SSH_KEY": ""})
    runs = run_github_job(WORKFLOW, "site", checkout, scenario, tmp_path / "runner")
    step = _step(runs, "部署预览（设置了预览密钥时）")
    assert step.returncode == 0 and "没有设置预览密钥" in step.output
    assert not (tmp_path / "nowhere").exists()
    assert "PREVIEW_LINK" not in (tmp_path / "runner" / "github_env.txt").read_text()


def _empty(path: Path) -> Path:
    path.write_text("", encoding="utf-8")
    return path

