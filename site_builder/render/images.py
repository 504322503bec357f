"""Responsive images: each source image resized at build time to a few widths, WebP plus a fallback;
every published image re-encoded without its metadata (EXIF, GPS, comments, text chunks).

The encoded files live in the cache folder, named by the source's hash, and are published from
there. A file found there is used only when its bytes are known to be the ones this program
made: by the site's sealed record of its cached image files (`ImageFiles`: each file's SHA-256
and identity), else by the file's own seal (`cache.sealed_file`: a regular file, no link, its
seal made with the cache's secret holds) and, for a variant, its header saying the expected
format and exact size. Anything else is encoded again."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import PIL
from markupsafe import Markup, escape
from PIL import Image, ImageOps, features

from ..cache import (
    IMAGE_FILES,
    Kept,
    cache_dir,
    entry_identity,
    read_identified,
    real_folders,
    sealed_file,
    write_sealed,
)

WIDTHS = (320, 640, 1280)
FALLBACK_WIDTH = 640
_VERSION = b"5"  # bump to invalidate cached variants when how they are made changes
# Each format's encoder settings (`_encode`): a variant is named by its source's bytes and these
# alone, with the libraries that encode, so a change to any other file of the program keeps
# every variant, and a change to a setting or a library makes each again.
WEBP = {"quality": 80, "method": 2}  # method 2 of 0-6: a third less time than 4, 2 % more bytes
JPEG = {"quality": 82, "optimize": True}
PNG = {"optimize": True}
GIF = {"optimize": True}
_ENCODER = repr((_VERSION, WIDTHS, FALLBACK_WIDTH, "LANCZOS", sorted(WEBP.items()),
                 sorted(JPEG.items()), sorted(PNG.items()), sorted(GIF.items()), PIL.__version__,
                 *(features.version(codec) for codec in ("jpg", "zlib", "webp")))).encode()


@dataclass(frozen=True)
class Picture:
    """The variants of one image: (uri, width) for WebP and for the fallback format."""

    webp: tuple[tuple[str, int], ...]
    fallback: tuple[tuple[str, int], ...]
    width: int
    height: int

    def html(self, alt: str, sizes: str = "(max-width: 600px) 100vw, 600px",
             css_class: str = "", base: str = "", eager: bool = False,
             position: str = "") -> Markup:
        def srcset(items):
            return ", ".join(f"{base}{u} {w}w" for u, w in items)

        src = base + self.fallback[0][0]
        cls = f' class="{escape(css_class)}"' if css_class else ""
        loading = "eager" if eager else "lazy"
        if position:  # a cropped cover's focal point (schema/brand.py: focus_position)
            cls += f' style="object-position: {escape(position)}"'
        return Markup(
            f'<picture><source type="image/webp" srcset="{escape(srcset(self.webp))}" '
            f'sizes="{escape(sizes)}"><img{cls} src="{escape(src)}" '
            f'srcset="{escape(srcset(self.fallback))}" sizes="{escape(sizes)}" '
            f'width="{self.width}" height="{self.height}" alt="{escape(alt)}" '
            f'loading="{loading}" decoding="async"></picture>')


# A file's identity is kept only when its last change is at least this old when its bytes are
# read: a change made within the same tick of the file system's clock (a few milliseconds) as
# the read could leave every time as it was (git's "racily clean" files).
SETTLED_NS = 2_000_000_000


class ImageFiles:
    """What the cached image files of one site hold, kept between builds in one sealed entry
    (`cache.IMAGE_FILES`, named by the project's folder: read once, written again when it
    changed, with the files and sources of this build only): each file's length and SHA-256,
    with the identity (device, inode, size, modification and change times) it had when they
    were last found right, and what each source image's header says (by `source_digest`).

    A file whose identity is the one kept is the file whose bytes were checked: nothing is read.
    Any change to a file changes its change time, which cannot be set back: written in place
    (through the site's hard link too: the site's file is the same inode), truncated, replaced
    by another file (an inode number used again included), its times set back by hand. Such a
    file is read and its SHA-256 compared with the one kept (one read; a match keeps its new
    identity); a file the record does not name is trusted only through its own seal and
    header (`sealed_file`), as before. Without the cache's secret no record can be made or
    altered (its seal fails: every file is then checked by its seal). Linking a file into a
    new site, or deleting the old site's link, changes its change time too: such a file is read
    once at the next build. `site` None: a record of this process only, never kept."""

    def __init__(self, site=None) -> None:
        self._kept = Kept(IMAGE_FILES)
        self._name = None if site is None else (
            b"image-files", os.path.realpath(os.fspath(site)).encode("utf-8", "surrogateescape"))
        self._before: tuple[dict, dict] | None = None
        self._files: dict[str, tuple[int, str, tuple | None]] = {}  # this build's, by path
        self._sources: dict[str, tuple[int, int, bool, bool]] = {}
        self._folders: dict[str, bool] = {}

    def _load(self) -> tuple[dict, dict]:
        if self._before is None:
            self._before = {}, {}
            if self._name is not None:
                kept = self._kept.get_bytes(*self._name)
                try:
                    self._before = _record(json.loads(bytes(kept))) if kept is not None \
                        else self._before
                except (ValueError, TypeError):  # not a record this program wrote: all checked
                    pass
        return self._before

    def _real_folder(self, folder: str) -> bool:
        """`cache.real_folders`, looked at once per folder by a build (as its files are)."""
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = real_folders(folder)
        return real

    def header(self, digest: str) -> tuple[int, int, bool, bool] | None:
        """(width, height, turned, transparent) of the source of `digest`, as last planned."""
        facts = self._sources.get(digest) or self._load()[1].get(digest)
        if facts is not None:
            self._sources[digest] = facts
        return facts

    def put_header(self, digest: str, facts: tuple[int, int, bool, bool]) -> None:
        self._sources[digest] = facts

    def made(self, target, data: bytes) -> None:
        """`data` was written to `target` now (its identity is kept when next read)."""
        self._files[os.fspath(target)] = (len(data), hashlib.sha256(data).hexdigest(), None)

    def holds(self, target, check: Callable[[bytes], bool] | None = None) -> bool:
        """Whether the file `target` holds the bytes this program made for it (and, checked
        through its seal, `check(bytes)` holds)."""
        name = os.fspath(target)
        known = self._files.get(name) or self._load()[0].get(name)
        if known is not None and self._real_folder(os.path.dirname(name)):
            size, digest, identity = known
            if identity is not None and entry_identity(name, True) == identity:
                self._files[name] = known
                return True
            got = read_identified(name, True)
            if got is not None and len(got[0]) == size and \
                    hashlib.sha256(got[0]).hexdigest() == digest:
                self._files[name] = (size, digest, _settled(got[1]))
                return True
        found: list[bytes] = []

        def sealed(data: bytes) -> bool:
            if check is not None and not check(data):
                return False
            found.append(data)
            return True

        if not sealed_file(Path(name), sealed):
            return False
        if found:  # (none when this process checked its seal before: its digest is not known)
            self.made(name, found[0])
        return True

    def flush(self) -> None:
        """Keep this build's record for the next, when it is not the one kept."""
        if self._name is None or (self._files, self._sources) == self._load():
            return
        value = json.dumps({"files": self._files, "sources": self._sources},
                           separators=(",", ":")).encode("ascii")
        self._kept.put_parts(lambda: (value,), *self._name)
        self._before = dict(self._files), dict(self._sources)


def _settled(identity: tuple | None) -> tuple | None:
    """`identity`, when the file's last change is old enough to keep it by (`SETTLED_NS`)."""
    if identity is None or identity[4] > time.time_ns() - SETTLED_NS:
        return None
    return identity


def _record(value) -> tuple[dict, dict]:
    """The files and sources of a kept record, each of the kind `ImageFiles` writes; anything
    else raises TypeError."""
    if not isinstance(value, dict):
        raise TypeError
    files, sources = value.get("files"), value.get("sources")
    if not isinstance(files, dict) or not isinstance(sources, dict):
        raise TypeError
    out_files = {}
    for name, row in files.items():
        size, digest, identity = row
        if type(size) is not int or not isinstance(digest, str) or not (
                identity is None or isinstance(identity, list) and len(identity) == 5
                and all(type(i) is int for i in identity)):
            raise TypeError
        out_files[name] = (size, digest, identity and tuple(identity))
    out_sources = {}
    for digest, row in sources.items():
        width, height, turned, alpha = row
        if type(width) is not int or type(height) is not int or width <= 0 or height <= 0 \
                or type(turned) is not bool or type(alpha) is not bool:
            raise TypeError
        out_sources[digest] = (width, height, turned, alpha)
    return out_files, out_sources


# Below this many images a build encodes in threads only: starting the processes (a fresh
# interpreter importing Pillow, about 0.3 s of CPU each) costs more than it saves.
PROCESS_AFTER = 24


class Encoder:
    """Writes encoded images into the cache while the pages are rendered. The variants are
    encoded by worker processes, one per core (`submit`): the pages' rendering holds the
    interpreter, so image work in threads of this process would wait for it between Pillow's
    calls. The encoded bytes come back and are written, sealed, by this process (the seal's key
    stays here). The first `PROCESS_AFTER` images, and the drawings handed over as functions
    (`write`), are made in threads. The bytes are the same either way: the same code and the
    same libraries encode them. `finish()` waits for every job and raises the first failure,
    then keeps the record of the site's cached files (`files`, `keep_files_of`)."""

    def __init__(self, workers: int | None = None, processes: bool = True) -> None:
        self.workers = workers or max(1, min(4, _cores()))
        self.processes = processes and self.workers > 1
        self.files = ImageFiles()  # what tells a cached file right (`keep_files_of`)
        self._pool: ThreadPoolExecutor | None = None
        self._idle: queue.SimpleQueue[_Worker] | None = None  # the worker processes not busy
        self._started: list[_Worker] = []
        self._jobs: dict[Path, Future] = {}
        self._submitted = 0

    def keep_files_of(self, site) -> None:
        """Tell the cached files right by the record kept for the project at `site`
        (`ImageFiles`), and keep this build's for the next."""
        self.files = ImageFiles(site)

    def write(self, targets: list[Path], make: Callable[[], list[bytes]]) -> None:
        """Have `make()` produce the files `targets` (in order), unless each is already there."""
        if self._known(targets):
            return
        self._keep(targets, self._threads().submit(self._write, targets, make))

    def submit(self, targets: list[Path], job: str, *args) -> None:
        """Have `JOBS[job](*args)` (its arguments plain values) produce the files `targets`, in
        a worker process once there are enough of them."""
        if self._known(targets):
            return
        self._submitted += 1
        if self.processes and self._submitted > PROCESS_AFTER:
            if self._idle is None:
                self._idle = queue.SimpleQueue()
                for _ in range(self.workers):
                    self._idle.put(_Worker())
            done = self._threads().submit(self._in_worker, targets, job, args)
        else:
            done = self._threads().submit(self._write, targets, functools.partial(JOBS[job], *args))
        self._keep(targets, done)

    def _in_worker(self, targets: list[Path], job: str, args: tuple) -> None:
        worker = self._idle.get()
        try:
            encoded = worker.run(job, args)
        except _WorkerLost:
            # the process could not start, or died (killed for memory): this thread does it
            encoded = JOBS[job](*args)
            worker.close()
            worker = _Worker(start=False)
        finally:
            self._idle.put(worker)
        self._write(targets, lambda: encoded)

    def _write(self, targets: list[Path], make: Callable[[], list[bytes]]) -> None:
        for target, data in zip(targets, _write_all(targets, make), strict=True):
            self.files.made(target, data)

    def _known(self, targets: list[Path]) -> bool:
        return all(t in self._jobs or self.files.holds(t) for t in targets)

    def _keep(self, targets: list[Path], job: Future) -> None:
        for t in targets:
            self._jobs.setdefault(t, job)

    def _threads(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="lb-images")
        return self._pool

    def finish(self) -> None:
        try:
            for job in list(self._jobs.values()):
                job.result()
            self.files.flush()
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
            if self._idle is not None:
                while not self._idle.empty():
                    self._idle.get().close()
                self._idle = None
            self._jobs.clear()
            self._submitted = 0


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _WorkerLost(Exception):
    """The worker process is not there to answer."""


_PACKAGE = Path(__file__).resolve().parents[1]  # this program's own `site_builder` folder
# The worker's first lines, after project.CHILD_GUARD (it dies with the build): this very
# package, loaded from its own folder by file name; nothing is imported from the project or
# the working folder (-P, and the package's folder as its working folder), as verify's helper.
_BOOT = (
    "import importlib.util\n"
    "spec = importlib.util.spec_from_file_location('site_builder', sys.argv[1])\n"
    "sys.modules['site_builder'] = package = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(package)\n"
    "from site_builder.render.images import serve_jobs\n"
    "serve_jobs()\n")


class _Worker:
    """One worker process encoding the jobs it is sent, one at a time, over its pipes: a
    length-prefixed pickle of (job name, arguments) in, of (ok, result or error) out; both
    sides are this program."""

    started = 0  # worker processes started by this process, for the tests

    def __init__(self, start: bool = True) -> None:
        self.proc = None
        if not start:
            return
        from ..project import CHILD_GUARD

        self.err = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-P", "-c", CHILD_GUARD + _BOOT, str(os.getpid()),
                 str(_PACKAGE / "__init__.py")],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, cwd=_PACKAGE)
            _Worker.started += 1
        except OSError:
            self.proc = None

    def run(self, job: str, args: tuple) -> list[bytes]:
        if self.proc is None:
            raise _WorkerLost
        try:
            _send(self.proc.stdin, (job, args))
            ok, value = _receive(self.proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError) as e:
            raise _WorkerLost from e
        if not ok:
            raise value
        return value

    def close(self) -> None:
        if self.proc is None:
            return
        try:
            self.proc.stdin.close()  # the end of its jobs: it returns
            self.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.err.close()
        self.proc = None


def _send(pipe, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(len(data).to_bytes(8, "big") + data)
    pipe.flush()


def _receive(pipe):
    head = pipe.read(8)
    if len(head) < 8:
        raise EOFError
    size = int.from_bytes(head, "big")
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def serve_jobs() -> None:
    """A worker process's loop: each job read from stdin, its files' bytes (or what it raised)
    written back, until stdin ends."""
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            job, args = _receive(inp)
        except EOFError:
            return
        try:
            answer = (True, JOBS[job](*args))
        except Exception as e:  # noqa: BLE001 -- raised again in the build, as a thread would
            answer = (False, e)
        try:
            _send(out, answer)
        except (pickle.PicklingError, TypeError, AttributeError):
            _send(out, (False, RuntimeError(f"{type(answer[1]).__name__}: {answer[1]}")))


def _write_all(targets: list[Path], make: Callable[[], list[bytes]]) -> list[bytes]:
    """Write the files `make()` gives, sealed; their bytes."""
    made = make()
    for target, data in zip(targets, made, strict=True):
        write_sealed(target, data)
    return made


def source_digest(data: bytes, kind: bytes = b"variant") -> str:
    """How the cached files made from an image's bytes are named: by those bytes and the
    encoder's settings and libraries (`_ENCODER`), nothing else (a name anyone can work out: the
    cache's seal, not the name, tells a file this program wrote)."""
    return hashlib.sha256(_ENCODER + b"\0" + kind + b"\0" + data).hexdigest()[:16]


# A live preview plans the same images after every edit: the plan of a file unchanged since
# (the same file, size, modification and change times: the change time cannot be set back by
# a copy that keeps the old modification time) whose variants are all in the cache is reused.
_PLANS: dict[tuple, tuple[tuple[Picture, dict[str, Path]], tuple[str, ...], str, tuple]] = {}


def make_variants(src: Path | str, uri_stem: str, cache_root: Path, encoder: Encoder
                  ) -> tuple[Picture, dict[str, Path]]:
    """Plan `src` resized to each width not larger than itself: the picture, and the cached file
    of each variant by its address; `encoder` writes the variants the cache does not hold yet
    (`encoder.files` tells those it holds). Size, orientation and transparency come from the
    header (or the site's record of it: `ImageFiles.header`): no pixels are decoded here."""
    name = os.fspath(src)
    st = os.stat(name)
    key = (name, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, uri_stem,
           os.fspath(cache_root))
    last = _PLANS.get(key)
    if last is not None and all(encoder.files.holds(t) for t in last[1]):
        encoder.files.put_header(last[2], last[3])
        return last[0]
    src = Path(src)
    data = src.read_bytes()
    digest = source_digest(data)
    facts = encoder.files.header(digest)
    if facts is None:
        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
            turned = im.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # EXIF rotation by 90° or 270°
            if turned:
                width, height = height, width
            has_alpha = im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info)
        facts = (width, height, turned, has_alpha)
        encoder.files.put_header(digest, facts)
    width, height, turned, has_alpha = facts
    fmt, ext = ("PNG", "png") if has_alpha else ("JPEG", "jpg")
    widths = sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})
    # Every browser a phone in use has shows WebP; the older format is kept for the few that
    # do not, at one middle width (which the page's src names).
    fallback_width = max((w for w in widths if w <= FALLBACK_WIDTH), default=widths[0])
    plan = [(w, round(height * w / width), "WEBP", "webp") for w in widths]
    plan.append((fallback_width, round(height * fallback_width / width), fmt, ext))
    files: dict[str, Path] = {}
    webp, fallback = [], []
    missing = []
    for w, h, kind, out_ext in plan:
        target = cache_root / f"{digest}-{w}.{out_ext}"
        files[f"{uri_stem}-{w}.{out_ext}"] = target
        _ORIGINS[str(target)] = f"{uri_stem.rpartition('/')[0]}/{src.name} 的 {w} 像素宽版本"
        (webp if out_ext == "webp" else fallback).append((f"{uri_stem}-{w}.{out_ext}", w))
        if not encoder.files.holds(target, _shows(kind, w, h)):
            missing.append((target, w, h, kind))

    largest = widths[-1]
    # a JPEG is decoded at the smallest of 1/2, 1/4, 1/8 of its size still at least as large as
    # the largest variant (asked in the stored orientation, before the EXIF turn): the variants
    # of a phone's 4000 × 3000 photo in 0.38x the time of a full decode (bench/bench_images.py)
    draft = (largest, round(height * largest / width))
    if turned:
        draft = draft[::-1]

    if missing:
        encoder.submit([t for t, *_ in missing], "variants", data, draft, has_alpha,
                       [(w, h, kind) for _, w, h, kind in missing])
    planned = Picture(tuple(webp), tuple(fallback), largest, round(height * largest / width)), files
    if len(_PLANS) > 100_000:
        _PLANS.clear()
        _ORIGINS.clear()
    _PLANS[key] = (planned, tuple(os.fspath(t) for t in files.values()), digest, facts)
    return planned


def encode_variants(data: bytes, draft: tuple[int, int], has_alpha: bool,
                    sizes: list[tuple[int, int, str]]) -> list[bytes]:
    """The variants of an image's bytes at each (width, height, format), decoded once (a JPEG
    at the smallest reduced size still at least `draft`)."""
    with Image.open(io.BytesIO(data)) as im:
        im.draft(None, draft)
        pixels = _bare(ImageOps.exif_transpose(im).convert("RGBA" if has_alpha else "RGB"))
    # the older format's one small width: baseline JPEG, a third of the time to encode
    return [_encode(pixels, w, h, kind, progressive=False) for w, h, kind in sizes]


def encode_story_image(data: bytes, kind: str) -> list[bytes]:
    """A story's image encoded again in `kind` at its own size and orientation, bare."""
    with Image.open(io.BytesIO(data)) as im:
        upright = ImageOps.exif_transpose(im)
        if kind == "JPEG":
            pixels = upright.convert("RGB")
        elif kind == "GIF":
            pixels = upright.convert("P") if upright.mode not in ("P", "L") else upright.copy()
        else:
            alpha = upright.mode in ("RGBA", "LA") or "transparency" in upright.info
            pixels = upright.convert("RGBA" if alpha else "RGB")
        pixels = _bare(pixels)
        return [_encode(pixels, *pixels.size, kind)]


# What a worker process may be asked to do (`Encoder.submit`), by name.
JOBS = {"variants": encode_variants, "story": encode_story_image}


def _encode(im: Image.Image, w: int, h: int, kind: str, progressive: bool = True) -> bytes:
    resized = im if (w, h) == im.size else _bare(im.resize((w, h), Image.Resampling.LANCZOS))
    buf = io.BytesIO()
    if kind == "WEBP":
        resized.save(buf, "WEBP", **WEBP)
    elif kind == "JPEG":
        # progressive: a large story photo shows whole, then sharpens, on a slow connection
        resized.save(buf, "JPEG", **JPEG, progressive=progressive)
    elif kind == "GIF":
        resized.save(buf, "GIF", **GIF)
    else:
        resized.save(buf, "PNG", **PNG)
    return buf.getvalue()


def _bare(im: Image.Image) -> Image.Image:
    """The pixels alone: Pillow's encoders write a comment, an ICC profile or XMP they find in
    `info`; nothing of the source file's metadata may reach the published file."""
    im.info = {k: v for k, v in im.info.items() if k == "transparency"}
    return im


# A story's image keeps its name (the story links to it) and its format.
_STORY_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}


def clean_copy(src: Path, cache_root: Path, encoder: Encoder | None = None) -> Path:
    """A story image as published: decoded and encoded again in the format its name says, at its
    own size and orientation, with no metadata at all; the cached file (written by `encoder`,
    or now when there is none)."""
    data = src.read_bytes()
    kind = _STORY_FORMATS.get(src.suffix.lower().lstrip("."), "PNG")
    digest = source_digest(data, b"story")
    target = cache_root / f"{digest}.{kind.lower()}"

    _ORIGINS[str(target)] = "图片"
    if encoder is not None:
        encoder.submit([target], "story", data, kind)
    elif not sealed_file(target):
        write_sealed(target, encode_story_image(data, kind)[0])
    return target


def _shows(kind: str, w: int, h: int) -> Callable[[bytes], bool]:
    """Whether a cached file's header says what a variant is: this format at exactly this
    size (the header alone is read)."""

    def check(data: bytes) -> bool:
        try:
            with Image.open(io.BytesIO(data)) as im:
                return im.format == kind and im.size == (w, h)
        except (OSError, ValueError, SyntaxError):
            return False

    return check


# What each cached file is, for a message naming the two files that claim one site path.
_ORIGINS: dict[str, str] = {}


class Outputs(dict):
    """Files to publish, by site path. Generated names (a variant's `-320.webp`, a brand's
    `share.jpg`, the logo's `assets/site-logo.png`) are made from editors' names, so an
    editor's file can be named like one: a second, different file for a path already taken
    is never a silent replacement but `clash(message)` naming both."""

    def __init__(self, clash: type[Exception] = ValueError) -> None:
        super().__init__()
        self.clash = clash

    def __setitem__(self, uri: str, src: Path) -> None:
        old = self.get(uri)
        if old is not None and Path(old) != Path(src):
            raise self.clash(
                f"{_origin(uri, old)}与{_origin(uri, src)}要发布为同一个文件 {uri}，后者会替换前者；"
                "提示：给编辑放入的那张图片改名（文件名不要以 -320、-640、-1280 这样的“-数字”结尾，"
                "也不要叫 share.jpg），并同步修改档案或页面中的文件名。")
        super().__setitem__(uri, src)

    def update(self, other=(), **more) -> None:  # dict.update would bypass __setitem__
        for uri, src in dict(other, **more).items():
            self[uri] = src


def _origin(uri: str, src: Path) -> str:
    said = _ORIGINS.get(str(src))
    if said == "图片":
        return f"图片 {uri}"
    if said is not None:
        return f"{said}（{uri}）"
    if Path(src).is_relative_to(cache_dir()):
        return f"自动生成的 {uri}"
    return f"文件 {src}"
