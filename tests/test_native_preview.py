"""The native engine's live preview (`site-builder serve --engine native`): the build's pipeline
run again after each edit, only the files whose bytes changed written, pages that went removed,
a record's error told in Chinese while the last good site stays served, the search index updated,
and the open page reloaded by the preview's own script."""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cms_support import free_port
from conftest import DEMO_DATE
from procs import children, ended
from sitecopy import copy_demo

from site_builder import cli
from site_builder.build import Preview, build_site, serve_site

BRAND = "shili-yunling-chayi"
OLD_SUMMARY = "summary: 虚构的演示品牌：云岭区山村茶园里成长起来的茶艺师队伍，从采茶、制茶到茶艺表演。"
WORD = "QUOKKANATIVE"  # a made-up word no page holds until the edit
BOUND_S = 10  # an edit is on disk and served within this


def wait_until(check, seconds: float = BOUND_S, what: str = "the preview"):
    end = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.1)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def search_fragments(site: Path) -> str:
    """The text of every page the search index holds (Pagefind's fragments, gzip-compressed)."""
    out = []
    for f in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        try:
            out.append(gzip.decompress(f.read_bytes()).decode("utf-8", "replace"))
        except (OSError, EOFError):
            continue  # being written
    return "\n".join(out)


class Running:
    """`serve_site` with the native engine in a thread, as `site-builder serve` runs it."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root, self.out = root, out
        self.said: list[str] = []
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.failed: BaseException | None = None
        self.port = free_port()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        if not self.ready.wait(180):
            raise AssertionError(f"the preview did not start: {self.failed!r} {self.said}")
        if self.failed is not None:
            raise self.failed
        self.base = f"http://127.0.0.1:{self.port}/"

    def _run(self) -> None:
        def ready(server) -> None:
            self.server = server
            self.ready.set()

        try:
            serve_site(self.root, "127.0.0.1", self.port, engine="native", out_dir=self.out,
                       stop=self.stop, poll_s=0.2, build_date=DEMO_DATE, say=self.said.append,
                       ready=ready)
        except BaseException as e:  # noqa: BLE001 -- raised in the test
            self.failed = e
            self.ready.set()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(60)
        assert not self.thread.is_alive(), "the preview did not stop"
        assert self.failed is None, self.failed


@pytest.fixture
def running(tmp_path, monkeypatch):
    from site_builder.engines import pagefind

    monkeypatch.setattr(pagefind, "PAGES_PER_CHANGED_PAGE", 0)  # page by page, however many
    root = copy_demo(tmp_path / "project")
    preview = Running(root, tmp_path / "preview")
    try:
        yield preview
    finally:
        if preview.thread.is_alive():
            preview.stop.set()
            preview.thread.join(60)


def test_the_preview_follows_edits_and_writes_only_what_changed(running):
    root, out = running.root, running.out
    page = out / "brands" / BRAND / "index.html"
    assert page.is_file()
    # the page on disk is what a build writes; the server adds the reload script as it sends it
    assert "__preview__" not in page.read_text(encoding="utf-8")
    status, served = fetch(running.base + f"brands/{BRAND}/")
    assert status == 200 and '<script src="/__preview__/reload.js?v=' in served
    # an unrelated page (another brand's, not naming this one) and a hand-written page
    unrelated = next(p for p in sorted((out / "brands").glob("*/index.html"))
                     if BRAND not in p.read_text(encoding="utf-8") and p != page)
    about = out / "about" / "index.html"
    kept = {p: p.stat().st_mtime_ns for p in (unrelated, about)}
    # the service is started by the index's own thread once the first run's pages are written
    services = wait_until(lambda: children(os.getpid(), "--service"),
                          what="the search service beside the preview")

    record = root / "brands" / f"{BRAND}.md"
    edit(record, OLD_SUMMARY, f"summary: 编辑后的简介：{WORD} 茶艺师。")
    wait_until(lambda: WORD in page.read_text(encoding="utf-8"), what="the page on disk")
    wait_until(lambda: WORD in fetch(running.base + f"brands/{BRAND}/")[1], what="the page served")
    assert {p: p.stat().st_mtime_ns for p in kept} == kept, "unchanged pages were written again"
    said = wait_until(lambda: [s for s in running.said if s.startswith("已更新")])
    assert said[-1].startswith("已更新 ") and "个文件" in said[-1], running.said
    # search: the page written again is indexed again (by the same service, page by page)
    wait_until(lambda: WORD in search_fragments(out), 60, "the search index")
    assert children(os.getpid(), "--service") == services

    # a record's error: told in Chinese, the last good site stays served
    edit(record, "category: 文化旅游类", "category: 不存在的示例类别")
    wait_until(lambda: any("预览未更新" in s for s in running.said), what="the error message")
    told = "\n".join(running.said)
    assert f"brands/{BRAND}.md" in told and "浏览器中仍是上一次成功生成的站点" in told
    status, served = fetch(running.base + f"brands/{BRAND}/")
    assert status == 200 and WORD in served
    # fixed: the preview goes on
    edit(record, "category: 不存在的示例类别", "category: 文化旅游类")
    edit(record, f"{WORD} 茶艺师", f"{WORD}二 茶艺师")
    wait_until(lambda: f"{WORD}二" in fetch(running.base + f"brands/{BRAND}/")[1],
               what="the page after the fix")

    # a new record's page appears; removed, its page disappears (from disk and the server)
    shutil.copytree(root / "brands" / BRAND, root / "brands" / "shili-linshi")
    text = record.read_text(encoding="utf-8")
    (root / "brands" / "shili-linshi.md").write_text(
        text.replace(f"slug: {BRAND}", "slug: shili-linshi").replace(
            "name: 示例·云岭茶艺师", "name: 示例·临时品牌"), encoding="utf-8")
    new_page = out / "brands" / "shili-linshi" / "index.html"
    wait_until(new_page.is_file, what="the new brand's page")
    (root / "brands" / "shili-linshi.md").unlink()
    wait_until(lambda: not new_page.exists(), what="the removed brand's page leaving")
    assert fetch(running.base + "brands/shili-linshi/")[0] == 404
    assert "示例·临时品牌" not in (out / "brands" / "index.html").read_text(encoding="utf-8")

    running.close()
    assert all(ended(pid) for pid in services), "the search service outlived the preview"
    with pytest.raises(ConnectionRefusedError):  # nothing listens there any more
        socket.create_connection(("127.0.0.1", running.port), timeout=5).close()
    assert not [s for s in running.said if "失败" in s or "Traceback" in s], running.said


def test_the_preview_folder_holds_what_a_build_writes(tmp_path, monkeypatch):
    """After edits, the preview's folder holds a clean native build's files byte for byte
    (beyond them only search files an earlier index named); and a run with nothing changed
    writes nothing."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    root = copy_demo(tmp_path / "project")
    preview = Preview(root, tmp_path / "preview", DEMO_DATE)
    try:
        first = preview.update()
        assert first.ok and first.findings == [] and len(first.written) > 100
        edit(root / "brands" / f"{BRAND}.md", OLD_SUMMARY, f"summary: 编辑后的简介：{WORD}。")
        second = preview.update(["brands/shili-yunling-chayi.md"])
        assert second.ok and f"brands/{BRAND}/index.html" in second.written
        assert len(second.written) < len(first.written) / 5, second.written
        assert preview.wait_for_search() is None
        again = preview.update(["brands/shili-yunling-chayi.md"])
        assert again.ok and again.written == [] and again.removed == []
        assert preview.wait_for_search() is None
    finally:
        preview.close()
    assert build_site(root, tmp_path / "clean", build_date=DEMO_DATE, engine="native").ok
    clean = {p.relative_to(tmp_path / "clean").as_posix(): p.read_bytes()
             for p in sorted((tmp_path / "clean").rglob("*")) if p.is_file()}
    mine = {p.relative_to(tmp_path / "preview").as_posix(): p.read_bytes()
            for p in sorted((tmp_path / "preview").rglob("*")) if p.is_file()}
    assert [k for k in clean if clean[k] != mine.get(k)] == []
    assert [k for k in set(mine) - set(clean) if not k.startswith("pagefind/")] == []


def test_serve_native_checks_its_port_first(tmp_path, monkeypatch, capsys):
    from site_builder import build

    root = copy_demo(tmp_path / "project")
    monkeypatch.setattr(build, "serve_site",
                        lambda *a, **k: pytest.fail("the preview built before checking its port"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert cli.main(["--root", str(root), "serve", "--engine", "native", "--port",
                         str(port)]) == 1
    assert f"端口 {port} 已被占用" in capsys.readouterr().err


@pytest.mark.browser
def test_the_open_page_reloads_itself_after_an_edit(running):
    """Chromium shows a brand's page from the preview; the record is edited on disk; the page
    reloads by itself (the preview's script), with nothing loaded from another host."""
    from browser import guarded_page, launch_browser

    record = running.root / "brands" / f"{BRAND}.md"
    with launch_browser() as browser:
        page, guard = guarded_page(browser, running.base)
        try:
            page.goto(running.base + f"brands/{BRAND}/")
            page.wait_for_load_state("load")
            assert WORD not in page.content()
            page.evaluate("window.__lbBeforeEdit = true")  # gone once the page is reloaded
            edit(record, OLD_SUMMARY, f"summary: 编辑后的简介：{WORD} 茶艺师。")
            # (a browser polling under a loaded CI machine: a wider bound than the disk's)
            page.wait_for_function(  # (no body for a moment while the page reloads)
                f"() => !!document.body && document.body.textContent.includes({WORD!r})",
                                   timeout=3 * BOUND_S * 1000)
            # a new document (its load event may still be on its way)
            assert page.evaluate("window.__lbBeforeEdit === undefined"), "the page was not reloaded"
            assert not guard.foreign and not guard.errors and not guard.dialogs, guard
            assert not guard.failed, guard
        finally:
            page.context.close()
    running.close()


CTRL_C_WORKS = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler);"
                " sys.argv[0] = 'site-builder'; runpy.run_module('site_builder', run_name='__main__')")


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "SIGHUP", "nohup"])
def test_site_builder_serve_native_starts_and_stops_on_ctrl_c(tmp_path, how):
    """The real command: the preview answers on loopback; Ctrl+C stops it with exit 0, its
    search service and its temporary folder gone. So do `kill` (SIGTERM) and closing the
    terminal window (SIGHUP, which a terminal may send twice: the second one, during the clean-up,
    is ignored): by default they would end it with the folder left behind. Started under `nohup`
    (SIGHUP ignored), closing the terminal does not stop it; `kill` still does."""
    import signal
    import subprocess
    import sys

    root = copy_demo(tmp_path / "project")
    port = free_port()
    repo = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(repo), TMPDIR=str(tmp_path))
    said = tmp_path / "said.txt"  # what it prints, readable while it runs
    with open(said, "w", encoding="utf-8") as sink:
        nohup = ["nohup"] if how == "nohup" else []  # the real command (it execs Python)
        proc = subprocess.Popen([*nohup, sys.executable, "-c", CTRL_C_WORKS, "--root", str(root),
                                 "serve", "--engine", "native", "--port", str(port)],
                                stdout=sink, stderr=subprocess.STDOUT, env=env, text=True)
    try:
        wait_until(lambda: fetch_or_none(f"http://127.0.0.1:{port}/brands/"), 120,
                   "the preview answering")
        # the address is told once the server is up; the signal comes after it, as a user's does
        wait_until(lambda: "预览地址" in said.read_text(encoding="utf-8"), 30, "the address told")
        folders = list(tmp_path.glob("site-builder-preview-*"))
        assert len(folders) == 1 and (folders[0] / "index.html").is_file()
        services = wait_until(lambda: children(proc.pid, "--service"), 60,
                              "the search service beside the preview")
        if how == "nohup":  # the terminal closed: it goes on serving
            proc.send_signal(signal.SIGHUP)
            time.sleep(0.5)
            assert proc.poll() is None and fetch_or_none(f"http://127.0.0.1:{port}/brands/")
    finally:
        proc.send_signal(signal.SIGTERM if how == "nohup" else getattr(signal, how))
        if how == "SIGHUP":
            time.sleep(0.05)
            proc.send_signal(signal.SIGHUP)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    out = said.read_text(encoding="utf-8")
    assert proc.returncode == 0, out[-2000:]
    assert "预览地址：http://127.0.0.1:" in out and "Traceback" not in out, out[-2000:]
    assert all(ended(pid) for pid in services)
    assert not list(tmp_path.glob("site-builder-preview-*")), "the preview's folder was left"


def fetch_or_none(url: str) -> str | None:
    try:
        status, body = fetch(url)
    except OSError:
        return None
    return body if status == 200 else None
