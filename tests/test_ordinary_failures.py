"""Ordinary situations of the computer a build or preview runs on (a port in use, the form
editor's packages not installed, no Chinese font, a folder that cannot be written, a full disk)
are told in Chinese with the path and what to do, exit 1 (2 for wrong usage), never as an
"internal error"; a bug still keeps its traceback under --debug. And a cover photo as a camera
writes it (EXIF, a JPEG comment, XMP, an ICC profile) makes a share image like any other."""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from sitecopy import REPO, copy_demo

from site_builder import cli
from site_builder.editor import cms
from site_builder.render import share_image as share

DATE = "2026-12-01"  # the demo's date (the Makefile's DEMO_DATE)
BRAND = "shili-minghu-chushi"  # a fictional demo brand with a cover photo


def ordinary(err: str) -> None:
    assert "内部错误" not in err and "Traceback" not in err, err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args: str, env: dict | None = None, prefix: list[str] | None = None,
        script: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m site_builder …` (or `python -c script …`) in a process of its own (a preview
    holds loggers and threads), after `prefix` (a command that runs the rest)."""
    environ = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    program = ["-c", script] if script else ["-m", "site_builder"]
    return subprocess.run((prefix or []) + [sys.executable, *program, *args],
                          capture_output=True, text=True, env=environ, timeout=timeout,
                          check=False, cwd=REPO)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the fictional demo project, with a cache of its own."""
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    return copy_demo(tmp_path / "project")


@pytest.fixture
def busy_port():
    """A port some other program listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


# -- the preview's port ---------------------------------------------------------------------------

def test_a_port_in_use_is_told_before_the_preview_builds(project, busy_port, monkeypatch, capsys):
    from site_builder.engines import mkdocs as engine

    monkeypatch.setattr(engine, "serve_with_mkdocs",
                        lambda *a, **k: pytest.fail("the preview built before checking its port"))
    assert cli.main(["--root", str(project), "serve", "--port", str(busy_port)]) == 1
    err = capsys.readouterr().err
    assert f"端口 {busy_port} 已被占用" in err
    assert f"请用 --port 换一个端口，例如：site-builder serve --port {busy_port + 1}" in err
    ordinary(err)


def test_the_default_port_in_use_suggests_8001():
    said = cli._port_message(OSError(errno.EADDRINUSE, "Address already in use"),
                             cli.PREVIEW_HOST, cli.DEFAULT_PORT)
    assert said.startswith("端口 8000 已被占用")
    assert "site-builder serve --port 8001" in said and "make serve" in said


def test_a_free_port_passes_the_check():
    assert cli._port_problem(cli.PREVIEW_HOST, free_port()) is None


def test_a_port_taken_while_the_preview_built_is_the_same_message(project, busy_port):
    """The port was free when checked and taken before the server listened: MkDocs' own bind
    fails after the first build, and the editor reads the same sentence, not an OSError."""
    script = ("import sys; from site_builder import cli; cli._port_problem = lambda *a: None; "
              "sys.exit(cli.main(sys.argv[1:]))")
    done = run("--root", str(project), "serve", "--port", str(busy_port),
               env={"SITE_BUILDER_CACHE": os.environ["SITE_BUILDER_CACHE"]}, script=script)
    assert done.returncode == 1, done.stderr[-2000:]
    assert f"端口 {busy_port} 已被占用" in done.stderr
    assert f"site-builder serve --port {busy_port + 1}" in done.stderr
    ordinary(done.stderr)


@pytest.mark.parametrize("port", ["0", "70000", "八千"])
def test_a_port_that_is_no_port_is_wrong_usage(project, port, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--root", str(project), "serve", "--port", port])
    assert info.value.code == 2
    assert f"“{port}”不是 1 到 65535 之间的端口号" in capsys.readouterr().err


def test_a_record_error_at_the_preview_start_is_a_message(project):
    record = project / "brands" / f"{BRAND}.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\ncategory: ", "\ncategory: 不存在的示例类别\nx_category: ", 1),
                      encoding="utf-8")
    done = run("--root", str(project), "serve", "--port", str(free_port()),
               env={"SITE_BUILDER_CACHE": os.environ["SITE_BUILDER_CACHE"]})
    assert done.returncode == 1
    assert f"brands/{BRAND}.md" in done.stderr  # the record's own line, logged by the build
    assert "预览未启动：请先改正上面列出的问题，再运行 site-builder serve" in done.stderr
    ordinary(done.stderr)


# -- the form editor's npm packages ---------------------------------------------------------------

@pytest.mark.parametrize("command", [["build"], ["serve", "--port", "0"]])
def test_missing_editor_packages_are_told_before_building(project, tmp_path, monkeypatch, capsys,
                                                          command):
    """settings.yml asks for /admin/ and node_modules has no Decap: the site is not built without
    the editor (publishing it would take the editor away); the message says how to install it
    and how to build without it."""
    from site_builder.engines import mkdocs as engine

    if command[0] == "serve":
        command = ["serve", "--port", str(free_port())]
        monkeypatch.setattr(engine, "serve_with_mkdocs",
                            lambda *a, **k: pytest.fail("the preview built without its editor"))
    nowhere = tmp_path / "no-packages"
    monkeypatch.setattr(cms, "CHECKOUT_ROOT", nowhere)
    monkeypatch.setattr(cms, "VENDORED", nowhere / "vendor")  # an install without the copy
    assert cli.main(["--root", str(project), *command]) == 1
    err = capsys.readouterr().err
    assert "生成 /admin/ 需要 npm 包 decap-cms 和 yaml" in err
    assert "安装的 site-builder 中没有它们" in err
    assert f"{project.resolve() / 'node_modules'}、{nowhere / 'node_modules'} 中也没有找到" in err
    assert f"请重新安装 site-builder，或在 {nowhere} 中运行 npm ci（或 make install）安装" in err
    assert "删去 settings.yml 中的 editor 一节，站点就不带 /admin/" in err
    assert not (project / "site").exists()
    ordinary(err)


def test_without_an_editor_no_packages_are_needed(project, tmp_path, monkeypatch, capsys):
    settings = project / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    start = text.index("\neditor:\n")
    end = text.find("\n\n", start + 1)
    settings.write_text(text[:start + 1] + (text[end + 2:] if end != -1 else ""), encoding="utf-8")
    monkeypatch.setattr(cms, "CHECKOUT_ROOT", tmp_path / "no-packages")
    monkeypatch.setattr(cms, "VENDORED", tmp_path / "no-packages" / "vendor")
    assert cli.main(["--root", str(project), "build", "--date", DATE]) == 0, capsys.readouterr()
    assert (project / "site" / "index.html").is_file()
    assert not (project / "site" / "admin").exists()


# -- the share images' font -----------------------------------------------------------------------

@pytest.fixture
def fresh_font(monkeypatch):
    """find_cjk_font as if the program had just started (it remembers its answer)."""
    share.find_cjk_font.cache_clear()
    yield
    share.find_cjk_font.cache_clear()


def test_a_chosen_font_that_does_not_exist_fails_naming_it(project, tmp_path, monkeypatch, capsys,
                                                           fresh_font):
    missing = tmp_path / "示例字体" / "NotoSansCJK-Bold.ttc"
    monkeypatch.setenv(share.FONT_ENV, str(missing))
    assert cli.main(["--root", str(project), "build", "--date", DATE]) == 1
    err = capsys.readouterr().err
    assert f"环境变量 SITE_BUILDER_CJK_FONT 指定的字体文件 {missing} 不存在" in err
    assert "构建失败" in err and not (project / "site").exists()
    ordinary(err)


def test_a_chosen_file_that_is_no_font_fails_naming_it(project, tmp_path, monkeypatch, capsys,
                                                       fresh_font):
    text = tmp_path / "not-a-font.ttf"
    text.write_text("示例：这不是字体文件\n", encoding="utf-8")
    monkeypatch.setenv(share.FONT_ENV, str(text))
    assert share.find_cjk_font() != (str(text), 0)  # never handed to the drawing
    assert cli.main(["--root", str(project), "build", "--date", DATE]) == 1
    err = capsys.readouterr().err
    assert f"环境变量 SITE_BUILDER_CJK_FONT 指定的文件 {text} 不是能显示简体中文的字体" in err
    ordinary(err)


def test_a_chosen_chinese_font_is_accepted(monkeypatch, fresh_font):
    found = share.find_cjk_font()
    if found is None:
        pytest.skip("没有中文字体（fonts-noto-cjk）")
    monkeypatch.setenv(share.FONT_ENV, found[0])
    share.find_cjk_font.cache_clear()
    assert share.chosen_font_problem() is None
    assert share.find_cjk_font()[0] == found[0]


def test_no_chinese_font_builds_the_site_with_a_notice(project, monkeypatch, capsys):
    monkeypatch.delenv(share.FONT_ENV, raising=False)
    monkeypatch.setattr(share, "find_cjk_font", lambda: None)
    assert cli.main(["--root", str(project), "build", "--date", DATE]) == 0
    err = capsys.readouterr().err
    assert "提示：没有找到中文字体，品牌页的分享图片（在微信等处分享时显示）改用封面图片" in err
    assert "fonts-noto-cjk" in err and "SITE_BUILDER_CJK_FONT" in err
    page = (project / "site" / "brands" / BRAND / "index.html").read_text(encoding="utf-8")
    assert not (project / "site" / "brands" / BRAND / "share.jpg").exists()
    assert re.search(r'<meta property="og:image" content="[^"]*/cover-\d+\.jpg">', page)
    assert "share.jpg" not in page


# -- a cover photo as a camera writes it ----------------------------------------------------------

def camera_photo() -> bytes:
    """A fictional photo with what cameras and phones write: EXIF (maker, model, place), a JPEG
    comment, XMP and an ICC profile."""
    im = Image.linear_gradient("L").resize((1280, 720)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "ShiliCam"  # Make
    exif[0x0110] = "Shili X1"  # Model
    exif[0x0112] = 1  # Orientation
    exif[0x8825] = {1: "N", 2: (23.0, 7.0, 0.0), 3: "E", 4: (113.0, 15.0, 0.0)}  # GPS
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
           b'22-rdf-syntax-ns#"><rdf:Description about="">ShiliCam</rdf:Description></rdf:RDF>'
           b'</x:xmpmeta>')
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85, exif=exif.tobytes(), comment=b"ShiliCam camera comment",
            icc_profile=icc, xmp=xmp)
    data = buf.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # what the test claims the photo holds
        assert {"exif", "comment", "icc_profile", "xmp"} <= set(check.info)
    return data


def bare(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as im:
        assert not {"exif", "comment", "icc_profile", "xmp"} & set(im.info), im.info.keys()
        assert not im.getexif()
        assert im.size == share.SIZE


def test_the_share_image_of_a_camera_photo_holds_no_metadata():
    font = share.find_cjk_font()
    if font is None:
        pytest.skip("没有中文字体（fonts-noto-cjk）")
    bare(share._draw("示例·明湖厨师", "高端技能型", "示例市劳务品牌", camera_photo(), font))


def test_a_camera_photo_as_cover_builds_a_normal_share_image(project, capsys):
    if share.find_cjk_font() is None:
        pytest.skip("没有中文字体（fonts-noto-cjk）")
    (project / "brands" / BRAND / "cover.jpg").write_bytes(camera_photo())
    code = cli.main(["--root", str(project), "build", "--date", DATE])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert "P111" not in out.out + out.err and "修正生成图片的代码" not in out.out + out.err
    published = project / "site" / "brands" / BRAND
    bare((published / "share.jpg").read_bytes())
    for variant in published.glob("cover-*"):  # the cover itself, as every published image
        with Image.open(variant) as im:
            assert "comment" not in im.info and not im.getexif(), variant


# -- folders that cannot be written, full disks ---------------------------------------------------

def forbid(monkeypatch, folder: Path) -> None:
    """Creating anything inside `folder` fails as a folder without write permission does (for a
    user who is not root; the tests may run as root, who may write anywhere)."""
    folder = folder.absolute()
    real_open, real_mkdir = os.open, os.mkdir

    def refused(path) -> bool:
        p = Path(os.fsdecode(path)).absolute()
        return p != folder and p.is_relative_to(folder)

    def guarded_open(path, flags, *a, **k):
        if flags & os.O_CREAT and refused(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        return real_open(path, flags, *a, **k)

    def guarded_mkdir(path, *a, **k):
        if refused(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
        return real_mkdir(path, *a, **k)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "mkdir", guarded_mkdir)


def test_a_site_folder_without_write_permission(project, tmp_path, monkeypatch, capsys):
    parent = tmp_path / "www"
    parent.mkdir()
    forbid(monkeypatch, parent)
    assert cli.main(["--root", str(project), "build", "--date", DATE,
                     "--site-dir", str(parent / "site")]) == 1
    err = capsys.readouterr().err
    assert f"没有权限访问 {parent}/" in err
    assert (f"构建先把新站点写进 {parent} 中的临时目录，再换入 {parent / 'site'}（两处都要能写入）："
            f"请给当前用户 {parent} 的写入权限，或用 --site-dir 把站点生成到可以写入的位置") in err
    assert f"构建失败，{parent / 'site'} 保持原样" in err
    ordinary(err)


def test_a_cache_folder_without_write_permission(project, tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    cache.mkdir(exist_ok=True)
    forbid(monkeypatch, cache)
    assert cli.main(["--root", str(project), "build", "--date", DATE]) == 1
    err = capsys.readouterr().err
    assert f"没有权限访问 {cache}/" in err
    assert (f"这是构建的缓存目录（可以整个删除，只会让下次构建变慢）：请给当前用户 {cache} 的写入"
            "权限，或用环境变量 SITE_BUILDER_CACHE 把它换到可以写入的位置") in err
    ordinary(err)


def test_a_full_disk_while_writing_the_cache(project, tmp_path, monkeypatch, capsys):
    """A write that finds the disk full names no file (write(2) says ENOSPC): the message names
    where the build writes and the space left there. Each cache file opened for writing is
    /dev/full, whose every write the kernel refuses with ENOSPC."""
    if not os.path.exists("/dev/full"):
        pytest.skip("没有 /dev/full")
    cache = (tmp_path / "cache").absolute()
    real_open = os.open

    def full(path, flags, *a, **k):
        if flags & os.O_CREAT and Path(os.fsdecode(path)).absolute().is_relative_to(cache):
            return real_open("/dev/full", os.O_WRONLY)
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", full)
    argv = ["--root", str(project), "build", "--date", DATE]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert f"生成站点失败：磁盘空间不足：站点目录 {project / 'site'}（所在磁盘剩余 " in err
    assert f"缓存目录 {cache}（所在磁盘剩余 " in err and "请清理磁盘空间后重试" in err
    ordinary(err)
    with pytest.raises(OSError) as info:  # --debug: the exception itself, with its traceback
        cli.main(["--debug", *argv])
    assert info.value.errno == errno.ENOSPC


def test_a_missing_program_is_named():
    try:
        subprocess.run(["shili-no-such-program"], check=False)
    except FileNotFoundError as e:
        missing = e
    said = cli.ordinary_failure(missing, cli._parser().parse_args(["validate"]))
    assert said is not None and said.startswith("找不到程序 shili-no-such-program：请先安装它")


def test_a_bug_is_still_an_internal_error():
    assert cli.ordinary_failure(ZeroDivisionError("x"), None) is None
    assert cli.ordinary_failure(OSError(errno.EBADF, "Bad file descriptor"), None) is None


# Real small file systems, in a mount namespace of the test's own (nothing is mounted for anyone
# else, and nothing stays mounted if the test dies): skipped where mounting is not permitted.

def _in_tmpfs(mount: Path, options: str) -> list[str] | None:
    if shutil.which("unshare") is None:
        return None
    mount.mkdir(parents=True, exist_ok=True)
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f'mount -t tmpfs -o {options} tmpfs "$0"',
                            str(mount)], capture_output=True, check=False)
    if probe.returncode != 0:
        return None
    return ["unshare", "-m", "sh", "-c", f'mount -t tmpfs -o {options} tmpfs "$0" && exec "$@"',
            str(mount)]


def test_a_really_full_disk_for_the_site(project, tmp_path):
    mount = tmp_path / "small-disk"
    prefix = _in_tmpfs(mount, "size=256k")
    if prefix is None:
        pytest.skip("不能挂载 tmpfs（需要 unshare 和挂载权限）")
    done = run("--root", str(project), "build", "--date", DATE, "--site-dir", str(mount / "site"),
               prefix=prefix, env={"SITE_BUILDER_CACHE": str(tmp_path / "cache")})
    assert done.returncode == 1, done.stderr[-2000:]
    assert f"磁盘空间不足，无法写入 {mount}/" in done.stderr
    assert (f"（新旧两份站点会同时存在）：请清理 {mount} 所在磁盘的空间，"
            "或用 --site-dir 把站点生成到空间充足的磁盘") in done.stderr
    ordinary(done.stderr)


def test_a_really_full_disk_for_the_cache(project, tmp_path):
    mount = tmp_path / "small-disk"
    prefix = _in_tmpfs(mount, "size=256k")
    if prefix is None:
        pytest.skip("不能挂载 tmpfs（需要 unshare 和挂载权限）")
    done = run("--root", str(project), "build", "--date", DATE, prefix=prefix,
               env={"SITE_BUILDER_CACHE": str(mount / "cache")})
    assert done.returncode == 1, done.stderr[-2000:]
    assert "磁盘空间不足" in done.stderr and f"{mount / 'cache'}" in done.stderr
    ordinary(done.stderr)


def test_a_read_only_file_system(project, tmp_path):
    mount = tmp_path / "read-only"
    prefix = _in_tmpfs(mount, "ro,size=64k")
    if prefix is None:
        pytest.skip("不能挂载 tmpfs（需要 unshare 和挂载权限）")
    done = run("--root", str(project), "build", "--date", DATE, "--site-dir", str(mount / "site"),
               prefix=prefix, env={"SITE_BUILDER_CACHE": str(tmp_path / "cache")})
    assert done.returncode == 1, done.stderr[-2000:]
    assert f"{mount}/" in done.stderr and "所在的文件系统是只读的，不能写入" in done.stderr
    assert "请用 --site-dir 把站点生成到可以写入的位置" in done.stderr
    ordinary(done.stderr)
