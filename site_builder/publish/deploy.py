"""Deploy a built site to the organisation's server over SSH: upload a new release, verify it,
switch `current` to it atomically, prune old releases; or roll `current` back.

The server's layout under the deploy path PATH (the web server's document root is PATH/current):

    PATH/releases/<id>/    one complete, verified release per deploy (its files' SHA-256 sums in
                           .sha256sums); unchanged files are hard links to the previous release's
    PATH/releases/<id>.partial/   an upload in progress (an interrupted one is removed by a
                                  later deploy once it is an hour old)
    PATH/current  -> releases/<id>   the live site
    PATH/previous -> releases/<id>   the release that was live before (the rollback target)

Every step before the switch works beside the live site, so an interrupted or failed upload
leaves `current` exactly as it was. The switch is one rename of a new symlink over the old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".sha256sums"
DEFAULT_KEEP = 5
DEFAULT_PORT = 22
# The environment variables a CI job sets from the repository's secrets or variables.
ENV = {"host": "DEPLOY_HOST", "port": "DEPLOY_PORT", "user": "DEPLOY_USER",
       "path": "DEPLOY_PATH", "key": "DEPLOY_SSH_KEY", "known_hosts": "DEPLOY_KNOWN_HOSTS"}
_TIMEOUT = 60  # seconds without any data before rsync or ssh gives up on a dead connection


class DeployError(Exception):
    """A failure the command line reports as one Chinese line (no traceback)."""


class UsageError(DeployError):
    """A missing or wrong option: exit code 2."""


@dataclass(frozen=True)
class Target:
    """Where to deploy: the SSH account and the deploy path on the server."""

    host: str
    user: str
    path: str
    port: int = DEFAULT_PORT
    key_file: Path | None = None
    known_hosts: Path | None = None

    @property
    def label(self) -> str:
        return f"{self.user}@{self.host}:{self.path}（端口 {self.port}）"


@dataclass
class DeployResult:
    release: str
    previous: str | None
    files: int
    uploaded: int | None = None  # files rsync sent; the others are hard links or local copies
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# -- options from the command line and the environment ------------------------------------------

def resolve_target(host=None, port=None, user=None, path=None, key=None, known_hosts=None,
                   environ=None, workdir: Path | None = None) -> Target:
    """A Target from options, each falling back to its DEPLOY_* environment variable.
    A key or known_hosts given as text (a CI secret) is written to a private file in `workdir`."""
    env = os.environ if environ is None else environ

    def pick(value, name):
        value = value if value not in (None, "") else env.get(ENV[name], "")
        return value.strip() if isinstance(value, str) else value

    host, user, path = pick(host, "host"), pick(user, "user"), pick(path, "path")
    missing = [f"--{n}（或环境变量 {ENV[n]}）" for n, v in
               (("host", host), ("user", user), ("path", path)) if not v]
    if missing:
        raise UsageError("缺少部署设置：" + "、".join(missing))
    port_text = pick(port, "port")
    try:
        port_no = int(port_text) if port_text not in (None, "") else DEFAULT_PORT
        if not 0 < port_no < 65536:
            raise ValueError
    except (TypeError, ValueError):
        raise UsageError(f"端口“{port_text}”不是 1–65535 之间的数字（--port 或 {ENV['port']}）"
                         ) from None
    path = deploy_path(path)
    if host.startswith("-") or user.startswith("-") or any(c in host + user for c in " @\n"):
        raise UsageError(f"服务器地址或用户名不正确：{user}@{host}")
    key_file = _file_or_text(pick(key, "key"), "key", "ssh 私钥", workdir)
    known = _file_or_text(pick(known_hosts, "known_hosts"), "known_hosts", "known_hosts", workdir)
    return Target(host, user, path, port_no, key_file, known)


# Folders of the system itself: a deploy path there, or inside the first group, would put
# releases/ and current beside the system's own files (and `--keep` prunes what it finds there).
_SYSTEM_TREES = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc",
                 "/sbin", "/sys", "/usr", "/run")
_SYSTEM_ROOTS = ("/home", "/root", "/var", "/srv", "/opt", "/tmp", "/mnt", "/media", "/var/lib",
                 "/var/log", "/var/www", "/usr/local")


# Folders that are links to others on ordinary servers (the check cannot see the server's disk).
_ALIASES = (("/var/run", "/run"), ("/var/lock", "/run/lock"))


def _resolved_alias(normal: str) -> str:
    """`normal` with a known alias replaced by the folder it links to: /var/run/x → /run/x."""
    for alias, real in _ALIASES:
        if normal == alias or normal.startswith(alias + "/"):
            return real + normal[len(alias):]
    return normal


def deploy_path(path: str) -> str:
    """The deploy path as the server will read it (`//` and `/.` folded, no trailing `/`),
    refused when it is relative, climbs with `..`, or is the root or a folder of the system
    itself: those are usage errors, reported before anything connects."""
    if not path.startswith("/") or any(ord(c) < 32 or c == "\x7f" for c in path):
        raise UsageError(f"部署目录“{path!s}”必须是服务器上的绝对路径（以 / 开头），不能含有换行等控制字符")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UsageError(f"部署目录“{path}”中不能有 `..`；提示：写出完整的绝对路径，例如 /srv/laowu-site")
    normal = "/" + "/".join(parts)
    seen = _resolved_alias(normal)  # the folder the server will really use
    if seen == "/" or seen in _SYSTEM_ROOTS or seen in _SYSTEM_TREES or any(
            seen.startswith(t + "/") for t in _SYSTEM_TREES):
        raise UsageError(f"部署目录“{path}”是服务器的根目录或系统目录（{normal}"
                         f"{'，即 ' + seen if seen != normal else ''}），不能部署到这里；"
                         "提示：用一个专门的目录，例如 /srv/laowu-site 或 /var/www/laowu-site")
    return normal


def _file_or_text(value: str, name: str, what: str, workdir: Path | None) -> Path | None:
    """A path to an existing file, or the file's text itself (e.g. a CI secret)."""
    if not value:
        return None
    if "\n" not in value and len(value) < 4096 and Path(value).expanduser().is_file():
        return Path(value).expanduser()
    looks_like_text = ("PRIVATE KEY" in value) if name == "key" else (" " in value)
    if not looks_like_text:
        raise UsageError(f"找不到{what}文件 {value}（--{name.replace('_', '-')} 或 {ENV[name]}："
                         "写文件路径，或直接写文件内容）")
    if workdir is None:
        raise UsageError(f"{what}以文本给出时需要临时目录")
    out = workdir / name
    text = value.replace("\r\n", "\n").strip() + "\n"  # OpenSSH needs the final newline
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return out


# -- the local side ------------------------------------------------------------------------------

def write_manifest(site_dir: Path, out: Path) -> int:
    """Write `sha256sum -c`'s input for every file of the site to `out`; return the count."""
    lines = []
    for p in sorted(site_dir.rglob("*")):
        rel = p.relative_to(site_dir).as_posix()
        if p.is_symlink() or not (p.is_file() or p.is_dir()):
            raise DeployError(f"站点中有符号链接或特殊文件，不能部署：{rel}")
        if not p.is_dir():
            if "\n" in rel or "\\" in rel or rel == MANIFEST:
                raise DeployError(f"站点中的文件名不能部署：{rel!r}")
            h = hashlib.sha256()
            with open(p, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            lines.append(f"{h.hexdigest()}  {rel}\n")
    out.write_text("".join(lines), encoding="utf-8")
    return len(lines)


def new_release_id(now: dt.datetime | None = None) -> str:
    """A release folder name that sorts by time: 20261201-083500-123456 (UTC)."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%d-%H%M%S-%f")


class _Remote:
    """Runs the deploy's commands on the server through ssh, and rsync over the same options."""

    def __init__(self, target: Target, ssh: str = "ssh", rsync: str = "rsync") -> None:
        self.target = target
        self.ssh, self.rsync = ssh, rsync
        opts = ["-p", str(target.port), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=15",
                "-o", "ServerAliveCountMax=4", "-o", "LogLevel=ERROR"]
        if target.key_file is not None:
            opts += ["-i", str(target.key_file), "-o", "IdentitiesOnly=yes"]
        if target.known_hosts is not None:
            opts += ["-o", f"UserKnownHostsFile={target.known_hosts}",
                     "-o", "GlobalKnownHostsFile=/dev/null"]
        self.opts = opts

    @property
    def login(self) -> str:
        return f"{self.target.user}@{self.target.host}"

    def run(self, script: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        remote = " ".join(["sh", "-c", shlex.quote(script), "deploy",
                           *(shlex.quote(a) for a in args)])
        try:
            return subprocess.run([self.ssh, *self.opts, self.login, "--", remote],
                                  capture_output=True, text=True, timeout=timeout, check=False,
                                  stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise DeployError(f"找不到 {self.ssh}：请安装 OpenSSH 客户端（apt-get install "
                              "openssh-client）") from None
        except subprocess.TimeoutExpired:
            raise DeployError(f"服务器 {self.target.label} 在 {int(timeout)} 秒内没有完成操作"
                              ) from None

    def upload(self, src: str, dest: str, link_dest: str | None) -> subprocess.CompletedProcess:
        """rsync `src` to `dest` on the server. Times are not kept, and files are compared by
        content, so a file whose bytes did not change becomes a hard link into `link_dest`
        (keeping its old modification time, which also keeps browsers' caches valid)."""
        cmd = [self.rsync, "--recursive", "--perms", "--chmod=D755,F644", "--checksum",
               "--protect-args",  # paths reach the remote rsync as they are, not through a shell
               f"--timeout={_TIMEOUT}", "--stats",
               "-e", " ".join(shlex.quote(x) for x in [self.ssh, *self.opts])]
        if link_dest:
            cmd.append(f"--link-dest={link_dest}")
        cmd += [src, f"{self.login}:{dest}"]
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False,
                                  stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise DeployError(f"找不到 {self.rsync}：请安装 rsync（apt-get install rsync）") from None


# -- the remote side: POSIX sh scripts, each in one ssh session ---------------------------------

_PREPARE = r"""
set -eu
base=$1
for tool in rsync sha256sum find; do
  command -v "$tool" >/dev/null 2>&1 || { echo "ERR tool $tool"; exit 3; }
done
mkdir -p -- "$base/releases"
[ -w "$base/releases" ] || { echo "ERR write"; exit 3; }
if [ -L "$base/current" ]; then
  cur=$(basename -- "$(readlink -- "$base/current")")
  if [ -d "$base/releases/$cur" ]; then echo "CURRENT $cur"; fi
elif [ -e "$base/current" ]; then
  echo "ERR notlink"; exit 3
fi
"""

_FINISH = r"""
set -eu
base=$1 id=$2 count=$3 keep=$4
rel=$base/releases
RELEASE='[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'

fail() { cd "$rel" && rm -rf -- "$id.partial"; echo "ERR $*"; exit 3; }
cd -- "$rel/$id.partial" 2>/dev/null || { echo "ERR missing"; exit 3; }
[ -f .sha256sums ] || fail manifest
out=$(sha256sum -c --strict --quiet .sha256sums 2>&1) || fail verify "$(printf '%s' "$out" | head -n 3 | tr '\n' ' ')"
n=$(find . -type f ! -path ./.sha256sums | wc -l | tr -d ' ')
[ "$n" = "$count" ] || fail count "$n"
odd=$(find . ! -type f ! -type d | wc -l | tr -d ' ')
[ "$odd" = 0 ] || fail odd "$odd"
cd "$rel"
mv -T -- "$id.partial" "$id"
old=
if [ -L "$base/current" ]; then old=$(basename -- "$(readlink -- "$base/current")"); fi
if [ -n "$old" ] && [ "$old" != "$id" ] && [ -d "$rel/$old" ]; then
  ln -sfn -- "releases/$old" "$base/.previous.tmp"
  mv -T -- "$base/.previous.tmp" "$base/previous"
fi
ln -sfn -- "releases/$id" "$base/.current.tmp"
mv -T -- "$base/.current.tmp" "$base/current"
echo "SWITCHED $old"
prev=
if [ -L "$base/previous" ]; then prev=$(basename -- "$(readlink -- "$base/previous")"); fi
i=0
# uploads left by interrupted deploys; a recent one may be another deploy still under way
find "$rel" -mindepth 1 -maxdepth 1 -name '*.partial' -mmin +60 -exec rm -rf -- {} + || true
for d in $(ls -1 -- "$rel" | LC_ALL=C sort -r); do
  case $d in
    $RELEASE)
      i=$((i + 1))
      if [ "$i" -gt "$keep" ] && [ "$d" != "$id" ] && [ "$d" != "$prev" ]; then
        rm -rf -- "$rel/$d" && echo "REMOVED $d"
      fi ;;
  esac
done
"""

_DISCARD = r"""
set -eu
rm -rf -- "$1/releases/$2.partial"
"""

_ROLLBACK = r"""
set -eu
base=$1
[ -L "$base/previous" ] || { echo "ERR noprevious"; exit 3; }
prev=$(readlink -- "$base/previous")
[ -d "$base/$prev" ] || { echo "ERR gone $(basename -- "$prev")"; exit 3; }
cur=
if [ -L "$base/current" ]; then cur=$(readlink -- "$base/current"); fi
ln -sfn -- "$prev" "$base/.current.tmp"
mv -T -- "$base/.current.tmp" "$base/current"
if [ -n "$cur" ]; then
  ln -sfn -- "$cur" "$base/.previous.tmp"
  mv -T -- "$base/.previous.tmp" "$base/previous"
fi
echo "ROLLEDBACK $(basename -- "$prev") $(basename -- "${cur:-none}")"
"""


def _tokens(proc: subprocess.CompletedProcess) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        word, _, rest = line.partition(" ")
        if word.isupper():
            out.setdefault(word, []).append(rest.strip())
    return out


def _ssh_failure(remote: _Remote, proc: subprocess.CompletedProcess, doing: str) -> DeployError:
    """A clear message for an ssh or remote-script failure."""
    t = remote.target
    err = " ".join(proc.stderr.split())[-300:]
    if proc.returncode == 255 or "Host key verification failed" in proc.stderr:
        if "Host key verification failed" in proc.stderr or "host key" in proc.stderr.lower():
            return DeployError(
                f"{doing}失败：服务器 {t.host} 的主机密钥不在 known_hosts 中或与记录不符（{err}）。"
                f"提示：在可信的网络中运行 ssh-keyscan -p {t.port} {t.host}，核对指纹后写入 "
                f"{ENV['known_hosts']} 或 --known-hosts 文件；不要关闭主机密钥检查。")
        if "Permission denied" in proc.stderr:
            return DeployError(
                f"{doing}失败：服务器拒绝了部署密钥（{err}）。提示：把公钥加入服务器上 {t.user} 的 "
                f"~/.ssh/authorized_keys，并确认 {ENV['key']} 是对应的私钥。")
        return DeployError(f"{doing}失败：无法连接服务器 {t.label}（{err or 'ssh 出错'}）。")
    tokens = _tokens(proc)
    for reason in tokens.get("ERR", []):
        kind, _, rest = reason.partition(" ")
        if kind == "tool":
            return DeployError(f"{doing}失败：服务器上缺少 {rest}；提示：在服务器上安装 rsync 和 "
                               "GNU coreutils（apt-get install rsync）。")
        if kind == "write":
            return DeployError(f"{doing}失败：用户 {t.user} 不能写入 {t.path}/releases。")
        if kind == "notlink":
            return DeployError(
                f"{doing}失败：{t.path}/current 已存在但不是符号链接；提示：把其中的网站移到 "
                f"{t.path}/releases/ 下的一个目录，或换一个空的部署目录（见维护者指南）。")
        if kind in ("verify", "count", "odd", "manifest", "missing"):
            return DeployError(f"{doing}失败：服务器上的文件与本地站点不一致（{kind} {rest}），"
                               "已删除这次上传的文件。")
        if kind == "noprevious":
            return DeployError("无法回退：服务器上没有上一个版本（previous），线上网站未改动。")
        if kind == "gone":
            return DeployError(f"无法回退：上一个版本 releases/{rest} 已不存在，线上网站未改动。")
    return DeployError(f"{doing}失败（退出码 {proc.returncode}）：{err or '没有输出'}")


_RSYNC_REASONS = {
    20: "上传被中断（rsync 收到终止信号）",
    30: f"连接超时（{_TIMEOUT} 秒没有数据）",
    35: "连接超时",
    12: "连接中断（数据流出错）",
    23: "部分文件没有传完",
    24: "部分文件在上传时消失",
    11: "服务器上写文件出错（磁盘满或没有权限？）",
    255: "SSH 连接失败或中断",
}


def deploy(site_dir: Path, target: Target, keep: int = DEFAULT_KEEP, *, ssh: str = "ssh",
           rsync: str = "rsync", release: str | None = None) -> DeployResult:
    """Upload `site_dir` as a new release, verify it, switch `current` to it, prune old ones.
    Raises DeployError with a Chinese message; `current` is untouched unless it returns."""
    if keep < 1:
        raise UsageError("--keep 至少为 1（当前和上一个版本总会保留）")
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise UsageError(f"{site_dir} 不是已生成的站点（没有 index.html）；请先运行 site-builder build。")
    remote = _Remote(target, ssh, rsync)
    release = release or new_release_id()
    untouched = f"线上网站（{target.path}/current）未改动。"
    with tempfile.TemporaryDirectory(prefix="site-deploy-") as tmp:
        manifest = Path(tmp) / MANIFEST
        count = write_manifest(site_dir, manifest)
        proc = remote.run(_PREPARE, target.path, timeout=120)
        if proc.returncode != 0:
            raise DeployError(f"{_ssh_failure(remote, proc, '连接服务器')}{untouched}")
        current = (_tokens(proc).get("CURRENT") or [None])[0]
        partial = f"{target.path}/releases/{release}.partial/"

        def failed(why: str) -> DeployError:
            # best effort: the next deploy removes what is left if the connection is gone
            try:
                remote.run(_DISCARD, target.path, release, timeout=60)
            except DeployError:
                pass
            return DeployError(f"{why}{untouched}")

        up = remote.upload(str(site_dir) + "/", partial, f"../{current}" if current else None)
        if up.returncode != 0:
            reason = (_RSYNC_REASONS.get(up.returncode)
                      or (f"rsync 被信号 {-up.returncode} 终止" if up.returncode < 0
                          else f"rsync 退出码 {up.returncode}"))
            err = " ".join(up.stderr.split())[-300:]
            raise failed(f"上传失败：{reason}{'（' + err + '）' if err else ''}。")
        uploaded = _files_sent(up.stdout)
        # the manifest last: its arrival means every file before it was sent
        up = remote.upload(str(manifest), partial + MANIFEST, None)
        if up.returncode != 0:
            raise failed(f"上传校验清单失败（rsync 退出码 {up.returncode}）。")
        proc = remote.run(_FINISH, target.path, release, str(count), str(keep), timeout=600)
        tokens = _tokens(proc)
        if "SWITCHED" not in tokens and proc.returncode == 255 and "ERR" not in tokens:
            # the connection dropped while the server verified and switched: either may be done
            raise DeployError(
                f"校验和切换时与服务器的连接中断（{' '.join(proc.stderr.split())[-200:]}）；"
                f"{target.path}/current 可能已指向新版本 releases/{release}，也可能仍是原来的版本。"
                "提示：再运行一次部署即可。")
        if "SWITCHED" not in tokens:
            raise DeployError(f"{_ssh_failure(remote, proc, '校验上传的文件')}{untouched}")
        result = DeployResult(release, tokens["SWITCHED"][0] or None, count, uploaded,
                              [r for r in tokens.get("REMOVED", [])])
        if proc.returncode != 0:  # switched, but pruning old releases failed
            result.warnings.append(f"已切换到新版本，但清理旧版本时出错：{proc.stderr.strip()[-200:]}")
        return result


def rollback(target: Target, *, ssh: str = "ssh") -> tuple[str, str | None]:
    """Point `current` back at `previous` (and `previous` at the release that was live)."""
    remote = _Remote(target, ssh)
    proc = remote.run(_ROLLBACK, target.path, timeout=120)
    tokens = _tokens(proc)
    if proc.returncode != 0 or "ROLLEDBACK" not in tokens:
        raise _ssh_failure(remote, proc, "回退")
    now, _, before = tokens["ROLLEDBACK"][0].partition(" ")
    return now, (before if before != "none" else None)


def _files_sent(stats: str) -> int | None:
    m = re.search(r"Number of regular files transferred: ([\d,]+)", stats)
    return int(m.group(1).replace(",", "")) if m else None


def tool_missing() -> str | None:
    """The name of a local tool the deploy needs that is not installed, if any."""
    for tool in ("ssh", "rsync"):
        if shutil.which(tool) is None:
            return tool
    return None
