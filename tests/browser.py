"""Real-browser test support: serve a built site on loopback and drive Debian's Chromium with
Playwright, routing every request so that nothing leaves the machine.

A test that needs a browser skips locally when none is installed, and fails under CI=true.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.access(p, os.X_OK):
            return p
    return shutil.which("chromium")


def require_browser() -> str:
    """The Chromium executable, or skip (fail under CI) when the browser or Playwright is missing."""
    path = chromium_path()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        missing_tool("找不到浏览器：需要 Debian 的 chromium 和 playwright（apt-get install chromium）")
    return path


def missing_tool(msg: str) -> None:
    """A tool a test needs is not installed: skip locally, fail under CI=true (CI installs it)."""
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true 但" + msg)
    pytest.skip(msg)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


class _SubPathHandler(_QuietHandler):
    """Serves the folder under a sub-path only, as GitHub Pages serves a project site under
    /repo/; a missing file there is answered 404 with the site's 404.html."""

    prefix = "/"

    def send_head(self):
        path = urlsplit(self.path).path
        if not path.startswith(self.prefix):
            self.send_error(404)
            return None
        self.path = "/" + self.path[len(self.prefix):]
        if not os.path.exists(self.translate_path(self.path)):
            page = Path(self.directory) / "404.html"
            body = page.read_bytes() if page.is_file() else b"not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


# What a host compresses (GitHub Pages and a default nginx do the same for text files); Pagefind's
# index files are compressed already.
_COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt", ".webmanifest"}


class _GzipHandler(_QuietHandler):
    """Serves text files gzip-compressed when the browser asks for it, as real hosts do."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's own address
            path = path / "index.html"
        if ("gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file()
                or path.suffix not in _COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve_dir(path: Path, prefix: str = "/", compress: bool = False):
    """Serve a folder on 127.0.0.1 at a free port, under `prefix` (e.g. "/repo/"); yields the
    base URL ending in '/'. With `compress`, text files are sent gzip-compressed to browsers
    that accept it."""
    if prefix != "/":
        cls = type("Handler", (_SubPathHandler,), {"prefix": prefix})
    else:
        cls = _GzipHandler if compress else _QuietHandler
    handler = functools.partial(cls, directory=str(path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def launch_browser():
    """A Playwright Chromium browser (Debian's /usr/bin/chromium, the required flags)."""
    exe = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Guard:
    """What a guarded page saw: requests to other origins (aborted), dialogs, page errors."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # same-origin requests answered 4xx/5xx


def _origin(url: str) -> str:
    u = urlsplit(url)
    return f"{u.scheme}://{u.netloc}"


def guarded_page(browser, base_url: str, viewport=(360, 740), javascript: bool = True):
    """A new page whose every request is routed: other origins are aborted and recorded."""
    guard = Guard(_origin(base_url))
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  locale="zh-CN", service_workers="block",
                                  java_script_enabled=javascript)

    def route(r):
        url = r.request.url
        if url.startswith(("data:", "blob:", "about:")) or _origin(url) == guard.origin:
            r.continue_()
        else:
            guard.foreign.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()

    def on_dialog(d):
        guard.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: guard.errors.append(str(e)))
    page.on("response", lambda resp: resp.status >= 400 and _origin(resp.url) == guard.origin
            and guard.failed.append(f"{resp.status} {resp.url}"))
    return page, guard


WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """Every axe-core violation of WCAG 2.1 A and AA rules on the page, at any impact level."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in results.response["violations"]]


def serious_axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
