"""Support for the form-editor tests: a fictional project in its own Git repository, Decap's local
backend (decap-server from npm) on loopback, and the editor opened in Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from browser import launch_browser, missing_tool, serve_dir
from sitecopy import copy_engine_files

REPO = Path(__file__).resolve().parent.parent
DECAP_SERVER = REPO / "node_modules" / "decap-server" / "dist" / "index.js"
GIT = ["git", "-c", "user.name=测试", "-c", "user.email=test@example.invalid",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def git(root: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_repo(dest: Path, port: int) -> Path:
    """The fictional demo project (records, rounds, settings) with the repository's engine files,
    committed on `main`, its editor's local backend on `port`."""
    dest.mkdir(parents=True)
    # assets: the organiser's logo and icon; geo: the map's outline; news: its news and events
    for name in ("brands", "evaluations", "assets", "geo", "news"):
        shutil.copytree(REPO / "demo" / name, dest / name)
    shutil.copy2(REPO / "demo" / "settings.yml", dest / "settings.yml")
    copy_engine_files(dest)
    text = (dest / "settings.yml").read_text(encoding="utf-8")
    assert "local_port: 8081" in text
    (dest / "settings.yml").write_text(text.replace("local_port: 8081", f"local_port: {port}"),
                                       encoding="utf-8")
    (dest / ".gitignore").write_text("/site/\n", encoding="utf-8")
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "Fictional project")
    return dest


def require_node() -> str:
    node = shutil.which("node")
    if node is None or not DECAP_SERVER.is_file():
        missing_tool("找不到 node 或 node_modules/decap-server：需要 Node.js，并在仓库根目录运行 npm ci")
    return node


@contextlib.contextmanager
def decap_server(root: Path, port: int):
    """decap-server in Git mode (the mode with the editorial workflow: a branch per entry),
    serving `root` on 127.0.0.1:`port`; stopped by its process id afterwards."""
    node = require_node()
    env = dict(os.environ, PORT=str(port), BIND_HOST="127.0.0.1", MODE="git",
               GIT_REPO_DIRECTORY=str(root), LOG_LEVEL="info",
               GIT_AUTHOR_NAME="测试", GIT_AUTHOR_EMAIL="test@example.invalid",
               GIT_COMMITTER_NAME="测试", GIT_COMMITTER_EMAIL="test@example.invalid")
    with open(root.parent / "decap-server.log", "wb") as log:
        proc = subprocess.Popen([node, str(DECAP_SERVER)], cwd=root, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("decap-server did not start: "
                                   + (root.parent / "decap-server.log").read_text(errors="replace"))
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class EditorGuard:
    allowed: tuple[str, ...]
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # answered 4xx/5xx


@contextlib.contextmanager
def editor_page(site: Path, backend: str, viewport: tuple[int, int] = (1280, 1000)):
    """The built site served on loopback and a Chromium page in which every request other than
    to the site and the local backend is aborted and recorded."""
    with serve_dir(site) as base, launch_browser() as browser:
        guard = EditorGuard((base.rstrip("/"), backend))
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN",
                                      service_workers="block")

        def route(r):
            url = r.request.url
            if url.startswith(("data:", "blob:")) or any(
                    url == a or url.startswith(a + "/") for a in guard.allowed):
                r.continue_()
            else:
                guard.foreign.append(url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda e: guard.errors.append(str(e)))
        page.on("console", lambda m: guard.console.append(f"{m.type}: {m.text}"))
        page.on("response", lambda r: r.status >= 400 and guard.failed.append(
            f"{r.status} {r.request.method} {r.url} {(r.request.post_data or '')[:200]}"))
        try:
            yield base, page, guard
        finally:
            context.close()
