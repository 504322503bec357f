"""Runs the shell steps of the shipped CI definitions as written, outside any CI service.

A GitHub or Gitea/Forgejo job's `run:` steps, or a GitLab job's `script:` lines, are read from the
workflow file and run in order in a checkout, with the environment those steps get there: the
job's and step's `env:` (its `${{ … }}` expressions filled in from a scenario: the event, the
inputs, the outputs of actions that cannot run here), what earlier steps wrote to `$GITHUB_ENV`,
and the runner's own variables; nothing from the process running the tests. Steps that use an
action (`uses:`) run on the CI service only: the scenario gives their outputs. A step that cannot
run here is skipped only when the scenario names it with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*")
_STRING = re.compile(r"'(?:[^']|'')*'")


class UnknownContext(Exception):
    """A workflow names a context value the scenario does not give: the test must learn it."""


@dataclass
class Scenario:
    """What a CI service would give one run of a job."""

    name: str
    contexts: dict[str, object]  # "github.event_name" → "push", "inputs.pages" → True, …
    skip: dict[str, str] = field(default_factory=dict)  # step name → why it cannot run here
    env: dict[str, str] = field(default_factory=dict)  # the runner's own variables


@dataclass
class StepRun:
    name: str
    command: str
    returncode: int
    output: str


def base_environment(home: Path) -> dict[str, str]:
    """What a fresh runner's shell has: the system's PATH (no virtual environment of the tests),
    a home folder, a UTF-8 locale and CI=true."""
    venv_bin = os.environ.get("VIRTUAL_ENV")
    path = [p for p in os.environ.get("PATH", "/usr/bin:/bin").split(os.pathsep)
            if p and not (venv_bin and p.startswith(venv_bin)) and ".venv" not in p]
    return {"PATH": os.pathsep.join(path), "HOME": str(home), "LANG": "C.UTF-8", "CI": "true"}


def load_workflow(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def _value(name: str, contexts: dict[str, object]) -> object:
    if name in contexts:
        return contexts[name]
    raise UnknownContext(name)


def fill(text: str, contexts: dict[str, object]) -> str:
    """`${{ … }}` replaced by the scenario's values (an expression beyond a name is evaluated)."""
    def one(m: re.Match) -> str:
        v = evaluate(m.group(1), contexts)
        if isinstance(v, bool):
            return "true" if v else "false"
        return "" if v is None else str(v)

    return _EXPR.sub(one, text)


_STATUS_FUNCTIONS = re.compile(r"\b(always|success|failure|cancelled)\(\s*\)")


def _status_functions(expr: str, contexts: dict[str, object]) -> str:
    """always(), success(), failure() and cancelled() by the job's status so far ("job.status"
    in the contexts: success until a step fails; a job run here is never cancelled)."""
    failed = contexts.get("job.status") == "failure"
    value = {"always": True, "success": not failed, "failure": failed, "cancelled": False}
    return _STATUS_FUNCTIONS.sub(lambda m: "true" if value[m.group(1)] else "false", expr)


def step_condition(cond: str | None, contexts: dict[str, object]) -> bool:
    """Whether a step runs, as GitHub decides: without a status function in its `if:` a step
    runs only while every earlier step succeeded (an implicit success() && …)."""
    if cond is None:
        return contexts.get("job.status") != "failure"
    expr = str(cond).strip().removeprefix("${{").removesuffix("}}").strip()
    if not _STATUS_FUNCTIONS.search(expr):
        expr = f"success() && ({expr})"
    return _truthy(evaluate(expr, contexts))


def evaluate(expr: str, contexts: dict[str, object]) -> object:
    """A GitHub Actions expression of names, 'strings', ==, !=, &&, || and !, and the status
    functions (`_status_functions`), as the service evaluates it (an empty string and null are
    false)."""
    expr = _status_functions(expr, contexts)
    out, i = [], 0
    values: dict[str, object] = {}
    while i < len(expr):
        c = expr[i]
        if c.isspace():
            i += 1
        elif c == "'":
            m = _STRING.match(expr, i)
            key = f"_v{len(values)}"
            values[key] = m.group(0)[1:-1].replace("''", "'")
            out.append(key)
            i = m.end()
        elif expr.startswith(("==", "!="), i):
            out.append(expr[i:i + 2])
            i += 2
        elif expr.startswith("&&", i):
            out.append(" and ")
            i += 2
        elif expr.startswith("||", i):
            out.append(" or ")
            i += 2
        elif c == "!":
            out.append(" not ")
            i += 1
        elif c in "()":
            out.append(c)
            i += 1
        else:
            m = _NAME.match(expr, i)
            if m is None:
                raise UnknownContext(expr)
            word = m.group(0)
            if word in ("true", "false", "null"):
                out.append({"true": "True", "false": "False", "null": "None"}[word])
            else:
                key = f"_v{len(values)}"
                values[key] = _value(word, contexts)
                out.append(key)
            i = m.end()
    return eval(" ".join(out), {"__builtins__": {}}, values)


def _truthy(v: object) -> bool:
    return v not in (None, False, "", 0)


def _read_env_file(path: Path) -> dict[str, str]:
    """`$GITHUB_ENV` as the runner reads it: NAME=value lines and NAME<<DELIMITER blocks."""
    out: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1:j])
            i = j + 1
            continue
        if "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


def run_github_job(workflow: Path, job: str, checkout: Path, scenario: Scenario,
                   runner_dir: Path, replace: tuple[str, str] | None = None) -> list[StepRun]:
    """Run the `run:` steps of `job` in `checkout` as GitHub's (or Gitea's) runner would, in
    order: once a step fails, only the steps whose `if:` asks for it (always(), failure()) still
    run, and the job stays failed. `replace` edits one step's command (old, new): a planted
    mistake."""
    data = load_workflow(workflow)
    spec = data["jobs"][job]
    runner_dir.mkdir(parents=True, exist_ok=True)
    temp = runner_dir / "temp"
    temp.mkdir(exist_ok=True)
    files = {k: runner_dir / f"{k.lower()}.txt" for k in ("GITHUB_ENV", "GITHUB_OUTPUT",
                                                           "GITHUB_STEP_SUMMARY", "GITHUB_PATH")}
    for f in files.values():
        f.write_text("", encoding="utf-8")
    contexts = {"github.workspace": str(checkout), "runner.temp": str(temp), **scenario.contexts,
                "job.status": "success"}
    env = {**base_environment(runner_dir / "home"), **scenario.env,
           **{k: str(v) for k, v in files.items()},
           "GITHUB_WORKSPACE": str(checkout), "RUNNER_TEMP": str(temp), "GITHUB_ACTIONS": "true"}
    (runner_dir / "home").mkdir(exist_ok=True)
    for home_dir in (".cache", ".npm"):  # the runner's caches of packages: the user's own
        src = Path.home() / home_dir
        if src.is_dir() and not (runner_dir / "home" / home_dir).exists():
            (runner_dir / "home" / home_dir).symlink_to(src)
    job_env = {k: fill(str(v), contexts) for k, v in (spec.get("env") or {}).items()}
    runs: list[StepRun] = []
    for step in spec["steps"]:
        name = step.get("name", step.get("uses", step.get("run", "")))
        if not step_condition(step.get("if"), contexts):
            continue
        if "uses" in step or name in scenario.skip:
            continue
        command = fill(step["run"], contexts)
        if replace and replace[0] in command:
            command = command.replace(*replace)
        step_env = {**env, **job_env, **_read_env_file(files["GITHUB_ENV"]),
                    **{k: fill(str(v), contexts) for k, v in (step.get("env") or {}).items()}}
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
                              cwd=checkout, env=step_env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=900, check=False)
        runs.append(StepRun(name, command, proc.returncode, proc.stdout))
        if proc.returncode != 0 and not step.get("continue-on-error"):
            contexts["job.status"] = "failure"
    return runs


def job_failed(runs: list[StepRun]) -> bool:
    """The job's result as the service reports it: failed when any step failed."""
    return any(r.returncode != 0 for r in runs)


def run_gitlab_job(ci_file: Path, job: str, checkout: Path, scenario: Scenario,
                   runner_dir: Path) -> list[StepRun]:
    """Run a GitLab job's `script:` lines in one shell, as GitLab's shell executor does (bash,
    errexit and pipefail), then its `after_script:` in another; variables from the file's and
    the job's `variables:` and the scenario's predefined ones (CI_PROJECT_DIR, …)."""
    data = yaml.safe_load(ci_file.read_text(encoding="utf-8"))
    spec = data[job]
    (runner_dir / "home").mkdir(parents=True, exist_ok=True)
    for home_dir in (".cache", ".npm"):
        src = Path.home() / home_dir
        if src.is_dir() and not (runner_dir / "home" / home_dir).exists():
            (runner_dir / "home" / home_dir).symlink_to(src)
    env = {**base_environment(runner_dir / "home"), "CI_PROJECT_DIR": str(checkout),
           "GITLAB_CI": "true", **scenario.env}
    variables = {**(data.get("variables") or {}), **(spec.get("variables") or {})}
    for rule in spec.get("rules") or []:  # the first rule that matches sets its variables
        cond = rule.get("if")
        if cond is None or _gitlab_condition(cond, env):
            variables.update(rule.get("variables") or {})
            break
    for k, v in variables.items():
        env[k] = os.path.expandvars(_expand(str(v), env))
    runs = []
    for part in ("script", "after_script"):
        lines = spec.get(part) or []
        if not lines:
            continue
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               "\n".join(lines)], cwd=checkout, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=900, check=False)
        runs.append(StepRun(f"{job}.{part}", "\n".join(lines), proc.returncode, proc.stdout))
        if proc.returncode != 0:
            break
    return runs


def _expand(text: str, env: dict[str, str]) -> str:
    return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: env.get(m.group(1), ""), text)


def _gitlab_condition(cond: str, env: dict[str, str]) -> bool:
    """The few rule forms the shipped file uses: `$A == $B`, `$A == "x"`, `$A && $B`."""
    def term(t: str) -> str:
        t = t.strip()
        if t.startswith("$"):
            return env.get(t[1:], "")
        return t.strip('"')

    for alt in cond.split("||"):
        ok = True
        for part in alt.split("&&"):
            if "==" in part:
                a, b = part.split("==", 1)
                ok &= term(a) == term(b)
            elif "!=" in part:
                a, b = part.split("!=", 1)
                ok &= term(a) != term(b)
            else:
                ok &= term(part) != ""
        if ok:
            return True
    return False


def clean_checkout(source: Path, dest: Path) -> Path:
    """A clean clone of `source`'s working tree as it is (tracked files and new ones git does not
    ignore), committed as the branch main: what a CI service checks out."""
    names = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=source,
                           capture_output=True, check=True).stdout.split(b"\0")
    for raw in names:
        if not raw:
            continue
        rel = raw.decode()
        src = source / rel
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the working tree
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            target.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, target)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "checkout")
    return dest


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "CI", "GIT_AUTHOR_EMAIL": "ci@example.org",
           "GIT_COMMITTER_NAME": "CI", "GIT_COMMITTER_EMAIL": "ci@example.org"}
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True,
                          env=env).stdout


def reset(checkout: Path) -> None:
    """Back to the committed tree, keeping what the install step made (.venv, node_modules)."""
    git(checkout, "checkout", "-q", "-f", "main")
    git(checkout, "clean", "-q", "-f", "-d", "-x", "-e", ".venv", "-e", "node_modules")
