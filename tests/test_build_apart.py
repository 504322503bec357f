"""`site-builder build` makes and checks the pages in a fork of itself, which has ended when the
search indexer starts: the indexer, the build's largest process, runs beside the small parent
alone. The site is the one a build in a single process makes; what the fork reports, raises or
suffers reaches the editor as from one process; the lock and the staging folder stay the
parent's."""

from __future__ import annotations

import errno
import os
import shutil
import sys
import traceback
from pathlib import Path

import pytest
from conftest import SHIPPED_DATE, assert_built
from procs import children, ended, processes
from sitecopy import FIXTURES, first_difference, tree, tree_state

from site_builder import build
from site_builder.cli import main
from site_builder.engines import pagefind
from site_builder.publish.swap import lock_site

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the fork is made on Linux only")

_DATE = ["--date", SHIPPED_DATE.isoformat()]


@pytest.fixture
def plain(tmp_path, capsys) -> Path:
    """A private copy of the fictional plain project (two brands)."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "plain", root)
    capsys.readouterr()
    return root


def _staging_left(root: Path) -> list[str]:
    return [n for n in os.listdir(root) if n.startswith((".site.tmp", ".site.old"))]


def test_the_pages_are_made_in_a_fork_that_has_ended_when_the_indexer_starts(plain, monkeypatch,
                                                                          tmp_path):
    seen = tmp_path / "loaded-by"
    real_load, real_start = build.load_project, pagefind.SearchIndexJob.start
    at_start = []

    def load(*args, **kwargs):
        seen.write_text(str(os.getpid()), encoding="utf-8")
        return real_load(*args, **kwargs)

    def start(job):
        loader = int(seen.read_text(encoding="utf-8"))
        at_start.append((loader, ended(loader, 0.05), loader in children(os.getpid())))
        return real_start(job)

    monkeypatch.setattr(build, "load_project", load)
    monkeypatch.setattr(pagefind.SearchIndexJob, "start", start)
    assert main(["--root", str(plain), "build", *_DATE]) == 0
    [(loader, gone, still_a_child)] = at_start
    assert loader != os.getpid(), "the records were read by the parent"
    assert gone and not still_a_child, "the fork ran beside the indexer"
    assert (plain / "site" / "pagefind" / "pagefind.js").is_file()
    assert _staging_left(plain) == []


def test_the_site_is_the_one_a_single_process_builds(plain, tmp_path, capsys):
    single = tmp_path / "single"
    shutil.copytree(plain, single)
    assert main(["--root", str(plain), "build", *_DATE]) == 0
    said = capsys.readouterr().err
    assert "已生成站点" in said and "2 个已发布品牌" in said, said
    result = build.build_site(single, single / "site", build_date=SHIPPED_DATE)
    assert_built(result)
    assert result.project is not None and result.published == 2
    apart, alone = tree(plain / "site"), tree(single / "site")
    assert first_difference(apart, alone) is None


def test_what_the_fork_reports_is_what_one_process_reports(plain, tmp_path):
    """A warning, a broken link in a hand-written page (reported at its line in docs/) and the
    notices: the same result fields from the fork as from one process, failing or not."""
    (plain / "docs").mkdir(exist_ok=True)
    (plain / "docs" / "zhinan.md").write_text("# 示例指南\n\n见[不存在的页面](../no-such-page/)。\n",
                                              encoding="utf-8")
    single = tmp_path / "single"
    shutil.copytree(plain, single)
    results = [build.build_site(root, root / "site", build_date=SHIPPED_DATE, apart=apart)
               for root, apart in ((plain, True), (single, False))]
    apart, alone = (
        {k: getattr(r, k) for k in ("ok", "problems", "findings", "notices", "diagnostics",
                                    "published")} for r in results)
    assert results[0].project is None and results[1].project is not None
    assert not apart["ok"] and any(d.path == "docs/zhinan.md" and d.line == 3
                                   for d in apart["findings"]), apart
    assert apart == alone


def test_record_errors_found_in_the_fork_are_reported_at_their_line(plain, capsys):
    brand = next((plain / "brands").glob("*.md"))
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("\nslug:", "\nslug: 不是拼音\nold_slug:", 1), encoding="utf-8")
    before = tree_state(plain)
    assert main(["--root", str(plain), "build", *_DATE]) != 0
    err = capsys.readouterr()
    said = err.out + err.err
    assert f"brands/{brand.name}" in said and "构建失败" in said and "Traceback" not in said, said
    assert tree_state(plain) == before  # nothing made, no lock or staging folder left


def test_a_bug_in_the_fork_is_raised_here_with_its_traceback(plain, monkeypatch, capsys):
    def broken(project, memo=None):
        raise ValueError("示例：渲染时出错")

    monkeypatch.setattr(build, "render", broken)
    assert main(["--root", str(plain), "build", *_DATE]) != 0
    said = capsys.readouterr().err
    assert "ValueError: 示例：渲染时出错" in said and "Traceback" not in said, said
    assert _staging_left(plain) == [] and not (plain / "site").exists()
    with pytest.raises(ValueError, match="示例：渲染时出错") as raised:
        build.build_site(plain, plain / "site", build_date=SHIPPED_DATE, apart=True)
    assert "in broken" in str(raised.value.__cause__)  # the fork's own traceback
    assert _staging_left(plain) == []
    # --debug builds in this process: the traceback is whole, a debugger can stop in it
    with pytest.raises(ValueError, match="示例：渲染时出错") as raised:
        main(["--debug", "--root", str(plain), "build", *_DATE])
    assert any(f.name == "broken" for f in traceback.extract_tb(raised.value.__traceback__))


def test_a_fork_killed_midway_fails_the_build_whole(plain, monkeypatch, capsys):
    assert main(["--root", str(plain), "build", *_DATE]) == 0
    before = tree_state(plain / "site")
    capsys.readouterr()

    def killed(project, memo=None):
        os._exit(9)  # as if the system had ended it

    monkeypatch.setattr(build, "render", killed)
    assert main(["--root", str(plain), "build", *_DATE]) != 0
    said = capsys.readouterr().err
    assert "生成站点的进程意外退出（退出码 9）" in said and "保持原样" in said, said
    assert tree_state(plain / "site") == before
    assert _staging_left(plain) == []
    monkeypatch.undo()
    assert main(["--root", str(plain), "build", *_DATE]) == 0  # the lock was released


def test_the_lock_and_the_staging_folder_are_the_parents(plain, monkeypatch, tmp_path):
    takers = tmp_path / "takers"
    for module, name in ((build, "lock_site"), (build, "new_staging")):
        real = getattr(module, name)

        def taking(*args, _real=real, _name=name):
            with takers.open("a", encoding="utf-8") as f:
                f.write(f"{_name} {os.getpid()}\n")
            return _real(*args)

        monkeypatch.setattr(module, name, taking)
    assert main(["--root", str(plain), "build", *_DATE]) == 0
    assert takers.read_text(encoding="utf-8").split() == [
        "lock_site", str(os.getpid()), "new_staging", str(os.getpid())]


def test_a_failure_raised_from_a_full_disk_in_the_fork_is_told_as_one(plain, monkeypatch, capsys):
    """The chain of what the fork raised comes back (pickling drops it): a full disk under
    another error is still told as a full disk; an error that cannot come back whole is named."""
    def full(project, memo=None):
        try:
            raise OSError(errno.ENOSPC, "No space left on device", str(plain / "site" / "a.html"))
        except OSError as e:
            raise RuntimeError("写入失败") from e

    monkeypatch.setattr(build, "render", full)
    assert main(["--root", str(plain), "build", *_DATE]) != 0
    said = capsys.readouterr().err
    assert "磁盘" in said and "RuntimeError" not in said and "Traceback" not in said, said

    class Odd(Exception):
        def __init__(self, what, why):
            super().__init__(f"{what}：{why}")  # its arguments do not come back through pickle

    def odd(project, memo=None):
        raise Odd("示例", "无法传回")

    monkeypatch.setattr(build, "render", odd)
    assert main(["--root", str(plain), "build", *_DATE]) != 0
    said = capsys.readouterr().err
    assert "Odd: 示例：无法传回" in said and "Traceback" not in said, said
    assert _staging_left(plain) == []


def test_a_failure_of_the_parent_while_the_fork_waits_is_told_as_it_is(plain, monkeypatch,
                                                                      capsys):
    """No permission to lock site/: the parent's own error, not the fork's end, is reported,
    and the waiting fork is stopped."""
    def refused(target):
        raise PermissionError(errno.EACCES, "Permission denied", str(target))

    monkeypatch.setattr(build, "lock_site", refused)
    assert main(["--root", str(plain), "build", *_DATE]) != 0
    said = capsys.readouterr().err
    assert "权限" in said and "意外退出" not in said and "Traceback" not in said, said
    mine = Path("/proc/self/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    forks = [p for p, parent, cmd in processes() if parent == os.getpid() and cmd == mine]
    assert all(ended(p, 5) for p in forks), forks


def test_the_lock_stays_with_the_parent(plain, capsys):
    site = (plain / "site").resolve()
    held = lock_site(site)
    try:
        assert main(["--root", str(plain), "build", *_DATE]) != 0
        said = capsys.readouterr().err
        assert "正在" in said or "另一个" in said, said
        assert _staging_left(plain) == []
    finally:
        held.close()
    assert main(["--root", str(plain), "build", *_DATE]) == 0
