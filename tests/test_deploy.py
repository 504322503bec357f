"""`site-builder deploy` against a real OpenSSH server (Debian's sshd) on loopback: releases,
the atomic switch of `current`, hard links for unchanged files, pruning, rollback, and uploads
that fail part way leaving the live site untouched."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser import missing_tool

REPO = Path(__file__).resolve().parent.parent
SSHD = "/usr/sbin/sshd"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A throw-away sshd on 127.0.0.1 accepting one throw-away client key; yields its settings."""
    for tool in ("ssh", "ssh-keygen", "rsync", "sha256sum"):
        if shutil.which(tool) is None:
            missing_tool(f"找不到 {tool}：需要 Debian 的 openssh-client、rsync（apt-get install "
                         "openssh-server rsync）")
    if not os.access(SSHD, os.X_OK):
        missing_tool("找不到 /usr/sbin/sshd：需要 Debian 的 openssh-server（apt-get install "
                     "openssh-server rsync）")
    d = tmp_path_factory.mktemp("sshd")
    for name in ("host", "client"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name,
                        "-f", str(d / name)], check=True, timeout=60)
    (d / "authorized_keys").write_text((d / "client.pub").read_text())
    port = _free_port()
    (d / "sshd_config").write_text(f"""\
Port {port}
ListenAddress 127.0.0.1
HostKey {d / 'host'}
PidFile {d / 'sshd.pid'}
AuthorizedKeysFile {d / 'authorized_keys'}
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowTcpForwarding no
X11Forwarding no
LogLevel ERROR
""")
    (d / "known_hosts").write_text(f"[127.0.0.1]:{port} {(d / 'host.pub').read_text()}")
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
    log = open(d / "sshd.log", "wb")  # noqa: SIM115 -- open for the whole session, closed below
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(d / "sshd_config")],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("sshd 没有启动：" + (d / "sshd.log").read_text(errors="replace"))
                time.sleep(0.1)
        yield {"port": port, "key": d / "client", "known_hosts": d / "known_hosts",
               "user": getpass.getuser(), "dir": d}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def deploy(server, path: Path, *args: str, env: dict | None = None, opts: bool = True
           ) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "site_builder", "deploy"]
    if opts:
        cmd += ["--host", "127.0.0.1", "--port", str(server["port"]), "--user", server["user"],
                "--path", str(path), "--key", str(server["key"]),
                "--known-hosts", str(server["known_hosts"])]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DEPLOY_")}
    full_env.update(env or {})
    return subprocess.run(cmd + list(args), capture_output=True, text=True, cwd=REPO,
                          env=full_env, timeout=300, check=False)


def make_site(folder: Path, version: str, extra: dict[str, bytes] | None = None) -> Path:
    """A small built site: the home page changes with `version`, the rest does not."""
    files = {"index.html": f"<!doctype html><title>首页</title><p>版本 {version}</p>".encode(),
             "assets/site.css": b"body { color: #222 }\n" * 50,
             "brands/示例品牌/index.html": "<title>示例品牌</title>".encode(),
             "feed.xml": b"<feed/>", **(extra or {})}
    shutil.rmtree(folder, ignore_errors=True)
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def releases(path: Path) -> list[str]:
    return sorted(p.name for p in (path / "releases").iterdir())


def live(path: Path) -> str:
    return (path / "current" / "index.html").read_text(encoding="utf-8")


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def test_releases_switch_link_prune_and_roll_back(server, tmp_path):
    path = tmp_path / "srv" / "laowu"
    site = make_site(tmp_path / "site", "1")
    first = ok(deploy(server, path, "--site-dir", str(site), "--keep", "3"))
    assert "已部署" in first.stderr
    assert (path / "current").is_symlink() and live(path).endswith("版本 1</p>")
    (r1,) = releases(path)
    assert os.readlink(path / "current") == f"releases/{r1}"  # relative: the tree can move
    assert not (path / "previous").exists()
    # the manifest went up with the release and matches the site exactly
    sums = (path / "releases" / r1 / ".sha256sums").read_text(encoding="utf-8")
    assert sorted(line.split("  ", 1)[1] for line in sums.splitlines()) == sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())

    make_site(site, "2")
    second = ok(deploy(server, path, "--site-dir", str(site), "--keep", "3"))
    r1_, r2 = releases(path)
    assert r1_ == r1 and live(path).endswith("版本 2</p>")
    assert os.readlink(path / "previous") == f"releases/{r1}"
    assert "上传了其中 1 个" in second.stderr, second.stderr  # only the changed page was sent
    one, two = path / "releases" / r1, path / "releases" / r2
    for unchanged in ("assets/site.css", "brands/示例品牌/index.html", "feed.xml"):
        assert (one / unchanged).stat().st_ino == (two / unchanged).stat().st_ino, unchanged
    assert (one / "index.html").stat().st_ino != (two / "index.html").stat().st_ino
    assert (one / "index.html").read_text(encoding="utf-8").endswith("版本 1</p>")  # kept as it was
    assert oct((two / "index.html").stat().st_mode & 0o777) == "0o644"  # readable by the web server

    for v in ("3", "4"):
        make_site(site, v)
        ok(deploy(server, path, "--site-dir", str(site), "--keep", "3"))
    r3, r4 = releases(path)[-2:]
    assert releases(path) == [r2, r3, r4]  # the oldest beyond --keep 3 is gone
    assert live(path).endswith("版本 4</p>")

    back = ok(deploy(server, path, "--rollback"))
    assert "已回退" in back.stderr and live(path).endswith("版本 3</p>")
    assert os.readlink(path / "current") == f"releases/{r3}"
    assert os.readlink(path / "previous") == f"releases/{r4}"
    ok(deploy(server, path, "--rollback"))  # a second rollback undoes the first
    assert live(path).endswith("版本 4</p>")
    ok(deploy(server, path, "--rollback"))
    assert live(path).endswith("版本 3</p>")

    # keep 1: the new release, and never the previous (r3, live before the switch) nor current
    make_site(site, "5")
    ok(deploy(server, path, "--site-dir", str(site), "--keep", "1"))
    r5 = releases(path)[-1]
    assert releases(path) == [r3, r5] and live(path).endswith("版本 5</p>")
    assert os.readlink(path / "previous") == f"releases/{r3}"


def test_settings_from_the_environment_as_ci_secrets(server, tmp_path):
    """A CI job passes the key and the known_hosts entry as text in DEPLOY_* variables."""
    path = tmp_path / "www"
    site = make_site(tmp_path / "site", "ci")
    env = {"DEPLOY_HOST": "127.0.0.1", "DEPLOY_PORT": str(server["port"]),
           "DEPLOY_USER": server["user"], "DEPLOY_PATH": str(path),
           "DEPLOY_SSH_KEY": server["key"].read_text().strip(),  # secrets lose the last newline
           "DEPLOY_KNOWN_HOSTS": server["known_hosts"].read_text()}
    ok(deploy(server, path, "--site-dir", str(site), env=env, opts=False))
    assert live(path).endswith("版本 ci</p>")
    proc = deploy(server, path, "--rollback", env=env, opts=False)
    assert proc.returncode == 1 and "没有上一个版本" in proc.stderr, proc.stderr
    assert live(path).endswith("版本 ci</p>")


def _wrapped_rsync(tmp_path: Path, body: str) -> dict:
    """PATH with a `rsync` in front of the real one, which misbehaves as `body` says."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    real = shutil.which("rsync")
    (bindir / "rsync").write_text(f"#!/bin/sh\nREAL={real}\n{body}\n")
    (bindir / "rsync").chmod(0o755)
    return {"PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}


def _live_state(path: Path) -> tuple:
    return os.readlink(path / "current"), live(path), releases(path)


def test_an_upload_killed_part_way_leaves_the_live_site(server, tmp_path):
    path = tmp_path / "srv"
    site = make_site(tmp_path / "site", "live")
    ok(deploy(server, path, "--site-dir", str(site)))
    before = _live_state(path)
    make_site(site, "new", {"data/big.bin": os.urandom(4 << 20)})
    # the upload is slowed down, then the rsync process is terminated after a second
    env = _wrapped_rsync(tmp_path, '"$REAL" --bwlimit=64 "$@" & pid=$!\n'
                                   'sleep 1; kill -TERM $pid; wait $pid')
    proc = deploy(server, path, "--site-dir", str(site), env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "上传失败" in proc.stderr and "线上网站" in proc.stderr and "未改动" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert _live_state(path) == before  # the partial upload was removed as well
    ok(deploy(server, path, "--site-dir", str(site)))  # the next deploy goes through
    assert live(path).endswith("版本 new</p>")


def test_an_incomplete_upload_fails_verification(server, tmp_path):
    """rsync reports success but left files out: the manifest check refuses to switch."""
    path = tmp_path / "srv"
    site = make_site(tmp_path / "site", "live")
    ok(deploy(server, path, "--site-dir", str(site)))
    before = _live_state(path)
    make_site(site, "new", {"data/big.bin": b"x" * 100_000})
    env = _wrapped_rsync(tmp_path, 'exec "$REAL" --max-size=50k "$@"')
    proc = deploy(server, path, "--site-dir", str(site), env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "不一致" in proc.stderr and "未改动" in proc.stderr, proc.stderr
    assert _live_state(path) == before


def test_an_unknown_host_key_is_refused(server, tmp_path):
    path = tmp_path / "srv"
    site = make_site(tmp_path / "site", "1")
    other = tmp_path / "known_hosts"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "k")],
                   check=True, timeout=60)
    other.write_text(f"[127.0.0.1]:{server['port']} {(tmp_path / 'k.pub').read_text()}")
    proc = deploy(server, path, "--site-dir", str(site), "--known-hosts", str(other))
    assert proc.returncode == 1 and "主机密钥" in proc.stderr, proc.stderr
    assert not path.exists()


def test_usage_errors_exit_2(tmp_path):
    proc = deploy({}, tmp_path, opts=False)
    assert proc.returncode == 2 and "DEPLOY_HOST" in proc.stderr and "Traceback" not in proc.stderr
    env = {"DEPLOY_HOST": "example.invalid", "DEPLOY_USER": "u", "DEPLOY_PATH": "relative/path"}
    proc = deploy({}, tmp_path, env=env, opts=False)
    assert proc.returncode == 2 and "绝对路径" in proc.stderr
    env["DEPLOY_PATH"] = "/srv/x"
    proc = deploy({}, tmp_path, "--site-dir", str(tmp_path / "nothing"), env=env, opts=False)
    assert proc.returncode == 2 and "site-builder build" in proc.stderr
    proc = deploy({}, tmp_path, "--port", "abc", env=env, opts=False)
    assert proc.returncode == 2 and "端口" in proc.stderr
