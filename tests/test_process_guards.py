"""The processes a build starts beside itself (the records' fork, the page-checking helper,
the search indexer) end with it when it is killed, are stopped when they take too long, and
import nothing (nor read any configuration) from the project folder or the working folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from procs import children, ended
from sitecopy import FIXTURES, REPO, write_site

from site_builder import project, verify
from site_builder.engines import pagefind
from site_builder.load.settings import load_settings

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="a child ends with its parent on Linux (prctl)")

_PAGE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>示例第{n}页</title>'
         '</head><body><main><h1 id="top">示例第{n}页</h1><p>虚构的示例品牌介绍。</p>'
         '<a href="../p{m}/#top">下一页</a></main></body></html>')


def _pages(n: int) -> dict[str, str]:
    return {f"p{i}/index.html": _PAGE.format(n=i, m=(i + 1) % n) for i in range(n)}


def _stuck_site(tmp_path: Path) -> Path:
    """A fictional site one of whose pages is a named pipe nobody writes: whoever reads it
    waits for ever (a stand-in for a reader that is stuck)."""
    site = write_site(tmp_path, _pages(2))
    (site / "p1" / "index.html").unlink()
    os.mkfifo(site / "p1" / "index.html")
    return site


def _parent(code: str, cwd: Path) -> subprocess.Popen:
    """A Python process running `code`, which prints the pid of the child it starts."""
    return subprocess.Popen([sys.executable, "-c", code], cwd=cwd, stdout=subprocess.PIPE,
                            text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))


def _kill_parent_then_child_ends(parent: subprocess.Popen, child: int) -> None:
    try:
        assert not ended(child, 0.5), "the child ended by itself: it must be still running"
        parent.send_signal(signal.SIGKILL)  # no cleanup of any kind in the parent
        parent.wait()
        assert ended(child), f"process {child} outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        parent.stdout.close()
        if not ended(child, 0):
            os.kill(child, signal.SIGKILL)


# -- the records' fork --------------------------------------------------------------------------

def _records(tmp_path: Path, n: int = 4) -> Path:
    (tmp_path / "brands").mkdir()
    for i in range(n):
        (tmp_path / "brands" / f"shili-{i}.md").write_text(
            f"---\nslug: shili-{i}\nname: 示例·{i}\n---\n虚构。\n", encoding="utf-8")
    return tmp_path


def test_the_records_fork_ends_when_its_parent_is_killed(tmp_path):
    root = _records(tmp_path)
    proc = _parent(
        "import os, time\nfrom pathlib import Path\nfrom site_builder import project\n"
        "from site_builder.load.settings import load_settings\n"
        "project.PARALLEL_RECORDS = 1\nproject._cores = lambda: 2\n"
        "project.check_brand = lambda *a: time.sleep(300)  # both halves hang\n"
        f"settings, _ = load_settings(Path({str(FIXTURES)!r}))\n"
        "print(os.getpid(), flush=True)\n"
        f"project.gather_brands(Path({str(root)!r}), settings)\n", tmp_path)
    pid = int(proc.stdout.readline())
    end = time.monotonic() + 30
    while not (forks := children(pid)) and time.monotonic() < end:
        time.sleep(0.05)
    assert len(forks) == 1, forks
    _kill_parent_then_child_ends(proc, forks[0])


def test_a_records_fork_that_takes_too_long_is_killed_and_nothing_is_gathered(tmp_path,
                                                                             monkeypatch):
    root = _records(tmp_path)
    settings, _ = load_settings(FIXTURES)
    me, pid_file = os.getpid(), tmp_path / "fork.pid"
    check = project.check_brand

    def stuck_in_the_fork(root_, relpath, vocab, data=None):
        if os.getpid() != me:
            pid_file.write_text(str(os.getpid()))
            time.sleep(300)
        return check(root_, relpath, vocab, data)

    monkeypatch.setattr(project, "check_brand", stuck_in_the_fork)
    monkeypatch.setattr(project, "_RECORD_CACHE", {})
    monkeypatch.setattr(project, "PARALLEL_RECORDS", 1)
    monkeypatch.setattr(project, "FORK_TIMEOUT_S", 1)
    monkeypatch.setattr(project, "_cores", lambda: 2)
    monkeypatch.setattr(project.threading, "active_count", lambda: 1)
    started = time.monotonic()
    with pytest.raises(project.RecordCheckTimeout) as caught:
        project.gather_brands(root, settings)
    assert time.monotonic() - started < 30
    assert str(caught.value).startswith("第二个校验进程超过 1 秒仍未完成品牌档案的校验，已停止它，"
                                        "本次没有生成任何内容。")
    assert ended(int(pid_file.read_text()), 5)
    assert project._RECORD_CACHE == {}  # no half result kept for the next load either

    # realistic: the same records, the fork in time, give what one process gives
    monkeypatch.setattr(project, "check_brand", check)
    monkeypatch.setattr(project, "FORK_TIMEOUT_S", 600)
    beside = project.gather_brands(root, settings)
    monkeypatch.setattr(project, "_RECORD_CACHE", {})
    monkeypatch.setattr(project, "PARALLEL_RECORDS", 10**6)
    alone = project.gather_brands(root, settings)
    assert [d.as_dict() for d in beside[1]] == [d.as_dict() for d in alone[1]]
    assert [b.slug for b in beside[0]] == [b.slug for b in alone[0]]


def test_a_fork_whose_parent_died_before_it_could_guard_itself_ends_at_once(tmp_path):
    """The parent may die between the fork and the fork's prctl: it then finds another parent
    than the one it was started by, and ends."""
    code = ("import os, sys\nfrom site_builder import project\n"
            "project.die_with_parent(os.getppid() + 1)\nprint('still here')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, PYTHONPATH=str(REPO)), check=False)
    assert done.returncode == 1 and "still here" not in done.stdout
    code = code.replace("os.getppid() + 1", "os.getppid()")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, PYTHONPATH=str(REPO)), check=False)
    assert done.returncode == 0 and done.stdout == "still here\n"


# -- the page-checking helper -------------------------------------------------------------------

def _plant(folder: Path, marker: Path) -> Path:
    """Modules that, imported from `folder`, would leave a line in `marker`: a project (or a
    working folder) into which someone put Python files."""
    for name in ("json.py", "pickle.py", "html/__init__.py", "site_builder/__init__.py",
                 "site_builder/verify/__init__.py", "site_builder/verify/helper.py"):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n", encoding="utf-8")
    (folder / "settings.yml").write_text("# 示例项目\n", encoding="utf-8")
    return folder


def test_the_page_helper_imports_nothing_from_the_project_or_the_working_folder(tmp_path,
                                                                                monkeypatch):
    marker = tmp_path / "imported.txt"
    planted = _plant(tmp_path / "project", marker)
    site = write_site(planted, _pages(8))
    # the plant works: a helper started as it was (`-m`, in the project folder) imports it
    subprocess.run([sys.executable, "-m", "site_builder.verify.helper"], cwd=planted,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False,
                   env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert "site_builder/__init__.py" in marker.read_text(encoding="utf-8")
    marker.unlink()

    monkeypatch.chdir(planted)
    monkeypatch.setattr(verify, "HELPER_PAGES", 10**6)
    alone = verify.verify_site(site, None, "site", "pagefind", lambda: None, ())
    started = []
    real = verify._Helper

    def helper(args):
        started.append(real(args))
        return started[-1]

    monkeypatch.setattr(verify, "_Helper", helper)
    monkeypatch.setattr(verify, "HELPER_PAGES", 1)
    helped = verify.verify_site(site, None, "site", "pagefind", lambda: None, ())
    assert len(started) == 1 and started[0].proc.returncode == 0
    assert [d.as_dict() for d in helped] == [d.as_dict() for d in alone]
    assert not marker.exists(), marker.read_text(encoding="utf-8")


def test_the_page_helper_ends_when_its_parent_is_killed(tmp_path):
    site = _stuck_site(tmp_path)
    proc = _parent(
        "import time\nfrom site_builder import verify\n"
        f"h = verify._Helper(({str(site)!r}, None, 'site', ['p1/index.html'], [], None))\n"
        "print(h.proc.pid, flush=True)\ntime.sleep(300)\n", tmp_path)
    helper = int(proc.stdout.readline())
    _kill_parent_then_child_ends(proc, helper)


def test_a_page_helper_that_takes_too_long_is_killed(tmp_path, monkeypatch):
    site = _stuck_site(tmp_path)
    monkeypatch.setattr(verify, "HELPER_TIMEOUT_S", 1)
    helper = verify._Helper((str(site), None, "site", ["p1/index.html"], [], None))
    with pytest.raises(RuntimeError, match="^检查页面的辅助进程超过 1 秒仍未完成，已停止它。"):
        helper.result()
    assert helper.proc.returncode == -signal.SIGKILL


# -- the search indexer -------------------------------------------------------------------------

def test_the_search_indexer_ends_when_its_parent_is_killed(tmp_path):
    site = _stuck_site(tmp_path)
    proc = _parent(
        "import time\nfrom pathlib import Path\nfrom site_builder.engines import pagefind\n"
        f"job = pagefind.SearchIndexJob(Path({str(site)!r}))\n"
        "print(job.proc.pid, flush=True)\ntime.sleep(300)\n", tmp_path)
    indexer = int(proc.stdout.readline())
    time.sleep(1)  # by now Pagefind itself runs in that process, waiting on the page
    _kill_parent_then_child_ends(proc, indexer)


def test_a_search_indexer_that_takes_too_long_or_is_given_up_is_killed(tmp_path, monkeypatch):
    site = _stuck_site(tmp_path)
    monkeypatch.setattr(pagefind, "TIMEOUT_S", 1)
    job = pagefind.SearchIndexJob(site)
    assert job.wait() is not None and str(job.error) == pagefind.TIMED_OUT
    assert job.proc.returncode is not None
    job = pagefind.SearchIndexJob(site)  # the build failed before waiting for it
    job.stop()
    assert job.proc.returncode is not None and isinstance(job.wait(), pagefind.SearchIndexError)


def test_the_search_indexer_reads_nothing_from_the_working_folder(tmp_path, monkeypatch):
    """Neither a planted `pagefind` module nor a Pagefind configuration file (here one that
    would index no page at all) in the folder the build runs in changes the index."""
    marker = tmp_path / "imported.txt"
    planted = _plant(tmp_path / "project", marker)
    (planted / "pagefind").mkdir()
    (planted / "pagefind" / "__init__.py").write_text(
        f"open({str(marker)!r}, 'a').write('pagefind')\n", encoding="utf-8")
    (planted / "pagefind.yml").write_text('glob: "nothing/**/*.html"\n', encoding="utf-8")
    site = write_site(tmp_path / "built", _pages(3))
    monkeypatch.chdir(planted)
    assert pagefind.SearchIndexJob(site).wait() is None
    assert (site / pagefind.BUNDLE_DIR / "pagefind.js").is_file()
    assert len(list((site / pagefind.BUNDLE_DIR / "fragment").iterdir())) == 3
    assert not marker.exists()


def test_a_job_started_later_starts_when_waited_for_and_never_once_given_up(tmp_path):
    site = write_site(tmp_path / "built", _pages(2))
    job = pagefind.SearchIndexJob(site, start=False)
    assert job.proc is None and not (site / pagefind.BUNDLE_DIR).exists()
    assert job.wait() is None and (site / pagefind.BUNDLE_DIR / "pagefind.js").is_file()
    given_up = pagefind.SearchIndexJob(write_site(tmp_path / "other", _pages(2)), start=False)
    given_up.stop()  # the build failed before its pages were checked
    assert isinstance(given_up.wait(), pagefind.SearchIndexError) and given_up.proc is None


@pytest.mark.parametrize("engine", ["native", "mkdocs"])
def test_the_indexer_runs_after_the_pages_are_checked_with_no_helper_beside_it(
        tmp_path, monkeypatch, engine):
    """A build checks its pages (this process and the page helper) first, and starts the
    search indexer, its largest process, only then: nothing of the page checks, and no helper,
    runs beside it (the peak memory of a build's processes, bench/README.md)."""
    from conftest import DEMO_DATE
    from sitecopy import copy_demo

    from site_builder.build import build_site

    root = copy_demo(tmp_path / "project")
    monkeypatch.setattr(verify, "HELPER_PAGES", 1)  # the demo's pages are read with a helper
    said: list[str] = []
    real_check, real_start = verify.check_and_scan, pagefind.SearchIndexJob.start

    def check_and_scan(site_dir, *args, **kwargs):
        said.append("checks")
        return real_check(site_dir, *args, **kwargs)

    def start(job):
        said.append("index")
        assert children(os.getpid(), "-P -c") == [], "a helper runs beside the indexer"
        return real_start(job)

    monkeypatch.setattr(verify, "check_and_scan", check_and_scan)
    monkeypatch.setattr(pagefind.SearchIndexJob, "start", start)
    result = build_site(root, tmp_path / "site", build_date=DEMO_DATE, engine=engine)
    assert result.ok, (result.problems, [d.format() for d in result.findings][:3])
    # the pages' checks, then the index, then the index's own checks
    assert said == ["checks", "index", "checks"], said
    assert (tmp_path / "site" / pagefind.BUNDLE_DIR / "pagefind.js").is_file()
