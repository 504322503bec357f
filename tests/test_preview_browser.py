"""`site-builder serve` as an editor uses it: the real command on loopback, a record edited on
disk, and the new words found by the preview's own search in Chromium, with nothing loaded from
another host; stopping the preview stops its search service."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import guarded_page, launch_browser
from cms_support import free_port
from procs import children, ended
from sitecopy import copy_demo

pytestmark = pytest.mark.browser  # Chromium: `-m 'not browser'` leaves these out

REPO = Path(__file__).resolve().parent.parent
WORD = "QUOKKAPREVIEW"  # a made-up word no page holds until the edit
CTRL_C_WORKS = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler);"
                " sys.argv[0] = 'site-builder'; runpy.run_module('site_builder', run_name='__main__')")


def _wait_for(url: str, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def _results(browser, base: str, query: str) -> list[str]:
    """The addresses the search page lists for `query`, once it has answered."""
    page, guard = guarded_page(browser, base)
    try:
        page.goto(f"{base}search/?q={quote(query)}")  # (the preview's reload request stays
        page.wait_for_load_state("load")                 # open: the network is never idle)
        page.wait_for_function(  # results listed, or the status saying there are none
            "() => document.querySelector('.lb-results li') || /没有找到/.test("
            "document.querySelector('[data-lb-search-status]').textContent)", timeout=15000)
        assert not guard.foreign and not guard.errors and not guard.dialogs, guard
        return [a.get_attribute("href") for a in page.locator(".lb-results li a").all()]
    finally:
        page.context.close()


def test_an_edit_in_the_preview_is_found_by_its_search(tmp_path):
    root = copy_demo(tmp_path / "project", full=True)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO), SITE_BUILDER_CACHE=str(tmp_path / "cache"))
    # Ctrl+C as in a terminal: a command started in the background (as CI may start the
    # tests) inherits SIGINT ignored, and Python then never raises KeyboardInterrupt
    proc = subprocess.Popen([sys.executable, "-c", CTRL_C_WORKS, "--root", str(root), "serve",
                             "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, text=True)
    base = f"http://127.0.0.1:{port}/"
    services: list[int] = []
    try:
        _wait_for(base + "pagefind/pagefind-entry.json", 120)
        record = min((root / "brands").glob("*.md"))
        with launch_browser() as browser:
            assert not [h for h in _results(browser, base, WORD) if record.stem in h]
            text = record.read_text(encoding="utf-8")
            body = text.index("\n---\n", 4) + 5
            record.write_text(text[:body] + f"\n编辑在预览里加的词：{WORD}。\n" + text[body:],
                              encoding="utf-8")
            found, end = [], time.monotonic() + 60
            while not found and time.monotonic() < end:
                time.sleep(1)
                found = [h for h in _results(browser, base, WORD) if record.stem in h]
            assert found, f"the edited brand {record.stem} was not found for {WORD}"
        services = children(proc.pid, "--service")
        assert len(services) == 1, services  # one indexer kept between rebuilds
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert proc.returncode == 0, out[-2000:]
    assert ended(services[0]), "the search service outlived the preview"
    assert "Traceback" not in out, out[-2000:]
    assert not re.search(r"搜索索引未能更新", out), out[-2000:]
