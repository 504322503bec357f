"""Image variants encoded in worker processes: the same bytes as encoded one by one in this
process, written and sealed by this process, and a failure in a worker is the build's failure."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from site_builder import cache
from site_builder.render import images


def _pictures(folder: Path) -> list[Path]:
    """Made-up images of every kind a record holds: photos (one turned by EXIF), a logo with
    transparency, a small one below the narrowest width, a GIF for a story."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, (size, fmt, mode) in enumerate([((1600, 900), "JPEG", "RGB"), ((800, 450), "JPEG", "RGB"),
                                           ((480, 360), "JPEG", "RGB"), ((200, 200), "PNG", "RGBA"),
                                           ((300, 200), "PNG", "RGB"), ((640, 480), "JPEG", "RGB")]):
        im = Image.linear_gradient("L").resize(size).convert(mode)
        ImageDraw.Draw(im).ellipse((i * 10, 5, size[0] // 2, size[1] // 2), fill=(200, 40, 30, 128)[:len(mode)])
        buf = io.BytesIO()
        kwargs = {}
        if i == 5:  # stored turned, as a phone does
            exif = Image.Exif()
            exif[0x0112] = 6
            kwargs["exif"] = exif.tobytes()
        im.save(buf, fmt, **kwargs)
        path = folder / f"picture-{i}.{'jpg' if fmt == 'JPEG' else 'png'}"
        path.write_bytes(buf.getvalue())
        out.append(path)
    gif = folder / "story.gif"
    Image.linear_gradient("L").resize((120, 80)).convert("P").save(gif, "GIF")
    return out + [gif]


def _encode_all(sources: list[Path], root: Path, encoder: images.Encoder) -> dict[str, bytes]:
    files: dict[str, Path] = {}
    for src in sources:
        if src.suffix == ".gif":
            files[src.name] = images.clean_copy(src, root, encoder)
            continue
        _, planned = images.make_variants(src, f"brands/shi-li/{src.stem}", root, encoder)
        files.update(planned)
        files[src.name] = images.clean_copy(src, root, encoder)
    encoder.finish()
    images._PLANS.clear()
    return {uri: path.read_bytes() for uri, path in files.items()}


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    return _pictures(tmp_path_factory.mktemp("pictures"))


def test_variants_from_worker_processes_are_byte_identical(sources, tmp_path, monkeypatch):
    base = cache.cache_dir() / "parallel-test" / tmp_path.name
    serial = _encode_all(sources, base / "serial", images.Encoder(workers=1))
    assert not images.Encoder(workers=1).processes
    handed: list[str] = []
    real = images._Worker.run

    def counted(worker, job, args):
        handed.append(job)
        return real(worker, job, args)

    monkeypatch.setattr(images._Worker, "run", counted)
    monkeypatch.setattr(images, "PROCESS_AFTER", 0)  # every image to the processes
    started = images._Worker.started
    parallel = _encode_all(sources, base / "parallel", images.Encoder(workers=2))
    assert images._Worker.started == started + 2
    assert len(handed) == len(sources) * 2 - 1  # variants and a clean copy each; the GIF's copy
    assert parallel == serial and len(serial) > len(sources) * 2
    # each is a sealed file of the cache, written by this process
    for path in (base / "parallel").iterdir():
        assert path.name.endswith(".mac") or cache.sealed_file(path)


def test_a_worker_killed_mid_way_leaves_its_jobs_to_this_process(sources, tmp_path, monkeypatch):
    base = cache.cache_dir() / "parallel-test" / tmp_path.name
    serial = _encode_all(sources, base / "serial", images.Encoder(workers=1))
    monkeypatch.setattr(images, "PROCESS_AFTER", 0)
    encoder = images.Encoder(workers=2)
    first = sources[0]
    images.make_variants(first, f"brands/shi-li/{first.stem}", base / "killed", encoder)
    for job in list(encoder._jobs.values()):
        job.result()
    workers = []
    while not encoder._idle.empty():
        workers.append(encoder._idle.get())
    for w in workers:
        w.proc.kill()  # as the kernel does when memory runs out
        w.proc.wait()
        encoder._idle.put(w)
    images._PLANS.clear()
    assert _encode_all(sources, base / "killed", encoder) == serial


def test_a_failure_in_a_worker_fails_the_build(tmp_path, monkeypatch):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)  # a PNG's signature, nothing else
    monkeypatch.setattr(images, "PROCESS_AFTER", 0)
    encoder = images.Encoder(workers=2)
    encoder.submit([tmp_path / "cache" / "x.webp"], "story", broken.read_bytes(), "PNG")
    with pytest.raises(OSError):
        encoder.finish()
    assert encoder._idle is None and encoder._pool is None  # the workers and threads ended
    assert not (tmp_path / "cache" / "x.webp").exists()


def test_few_images_stay_in_threads(sources, tmp_path):
    encoder = images.Encoder(workers=2)
    started = images._Worker.started
    for src in sources[:3]:
        images.make_variants(src, f"brands/shi-li/{src.stem}",
                             cache.cache_dir() / "parallel-test" / tmp_path.name, encoder)
    encoder.finish()
    images._PLANS.clear()
    assert images._Worker.started == started  # no interpreter started for a preview's edit


# -- the worker processes end with the build and import nothing from the project ------------------

def test_an_image_worker_ends_when_its_parent_is_killed(tmp_path):
    from test_process_guards import _kill_parent_then_child_ends, _parent

    proc = _parent(
        "import time\nfrom site_builder.render import images\n"
        "w = images._Worker()\nprint(w.proc.pid, flush=True)\ntime.sleep(300)\n", tmp_path)
    _kill_parent_then_child_ends(proc, int(proc.stdout.readline()))


def test_an_image_worker_imports_nothing_from_the_project_or_the_working_folder(
        sources, tmp_path, monkeypatch):
    from test_process_guards import _plant

    marker = tmp_path / "imported.txt"
    planted = _plant(tmp_path / "project", marker)
    for name in ("PIL/__init__.py", "io.py", "site_builder/render/images.py"):
        path = planted / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n", encoding="utf-8")
    monkeypatch.chdir(planted)
    monkeypatch.setattr(images, "PROCESS_AFTER", 0)
    worker = images._Worker()
    try:
        data = sources[1].read_bytes()
        encoded = worker.run("variants", (data, (320, 180), False, [(320, 180, "WEBP")]))
    finally:
        worker.close()
    assert encoded == images.encode_variants(data, (320, 180), False, [(320, 180, "WEBP")])
    assert not marker.exists(), marker.read_text(encoding="utf-8")


def test_a_worker_runs_only_the_named_jobs(sources):
    worker = images._Worker()
    try:
        with pytest.raises(KeyError):
            worker.run("os.system", ("true",))
        # and it goes on working
        data = sources[2].read_bytes()
        assert worker.run("story", (data, "JPEG")) == images.encode_story_image(data, "JPEG")
    finally:
        worker.close()
