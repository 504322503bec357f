"""The site's record of its cached image files (render/images.py `ImageFiles`): a kept plan
reads no seal and decodes no header, and still never takes a file whose bytes are not the ones
this program made: altered in place (through the site's hard link too) with its times set
back, truncated, replaced, deleted, planted, or a record forged or taken from another site."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image

from site_builder import cache
from site_builder.cache import CONVERTED_PAGES, IMAGE_FILES, versioned
from site_builder.render import images


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A cache folder and key folder of the test's own; a file's identity kept once it is a
    tenth of a second old (a few clock ticks), so that the tests need not wait two seconds."""
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(images, "SETTLED_NS", 100_000_000)
    images._PLANS.clear()
    return tmp_path


def _photo(colour: tuple[int, int, int], size=(1600, 1000)) -> bytes:
    im = Image.new("RGB", size, colour)
    im.paste((250, 250, 250), (0, 0, size[0] // 4, size[1] // 4))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _plan(site: Path, src: Path) -> dict[str, Path]:
    """One build's plan of `src` for the site at `site`, its files written and the record kept;
    the files' bytes by site path."""
    encoder = images.Encoder(workers=1)
    encoder.keep_files_of(site)
    _, files = images.make_variants(src, "brands/shili/photo", cache.cache_dir(), encoder)
    encoder.finish()
    return files


def _bytes(files: dict[str, Path]) -> dict[str, bytes]:
    return {uri: path.read_bytes() for uri, path in files.items()}


class _Watch:
    """Counts the seals checked, the files read and the images opened from now on."""

    def __init__(self, monkeypatch) -> None:
        self.seals = self.reads = self.opened = 0
        sealed, read, opened = images.sealed_file, images.read_identified, Image.open

        def seal(*a, **k):
            self.seals += 1
            return sealed(*a, **k)

        def reading(*a, **k):
            self.reads += 1
            return read(*a, **k)

        def opening(*a, **k):
            self.opened += 1
            return opened(*a, **k)

        monkeypatch.setattr(images, "sealed_file", seal)
        monkeypatch.setattr(images, "read_identified", reading)
        monkeypatch.setattr(images.Image, "open", opening)

    def counts(self) -> tuple[int, int, int]:
        out = (self.seals, self.reads, self.opened)
        self.seals = self.reads = self.opened = 0
        return out


def _settle() -> None:
    time.sleep(0.15)  # older than SETTLED_NS (the fixture's)


def _alter_in_place(path: Path) -> None:
    """Another picture's bytes written into the file itself, at its length, its times set back:
    what a hand that can write the file (or the site's hard link to it) can do."""
    st = os.stat(path)
    data = path.read_bytes()
    forged = data[:-8] + bytes(b ^ 0x5A for b in data[-8:])
    with open(path, "r+b") as f:
        f.write(forged)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(path).st_size == st.st_size and path.read_bytes() != data


def test_a_kept_plan_reads_no_seal_and_no_header_and_keeps_one_record(own_cache, monkeypatch):
    site, src = own_cache / "site", own_cache / "photo.jpg"
    src.write_bytes(_photo((30, 90, 160)))
    first = _bytes(_plan(site, src))
    [record] = [p for p in versioned(IMAGE_FILES).rglob("*") if p.is_file()]
    watch = _Watch(monkeypatch)

    # the files as written (no identity kept yet): each read once and compared with its digest,
    # no seal read, no header decoded; their identity is kept now that they have settled
    _settle()
    images._PLANS.clear()
    assert _bytes(_plan(site, src)) == first
    assert watch.counts() == (0, len(first), 0)
    written = os.stat(record)
    images._PLANS.clear()
    assert _bytes(_plan(site, src)) == first
    assert watch.counts() == (0, 0, 0)
    again = os.stat(record)  # nothing changed: the record is not written again
    assert (again.st_ino, again.st_size) == (written.st_ino, written.st_size)  # (its time: marked used)


@pytest.mark.parametrize("settled", [False, True])
@pytest.mark.parametrize("how", ["in place", "through the site's link", "truncated", "replaced",
                                 "deleted"])
def test_an_altered_variant_is_caught_and_made_again(own_cache, monkeypatch, how, settled):
    site, src = own_cache / "site", own_cache / "photo.jpg"
    src.write_bytes(_photo((160, 60, 30)))
    files = _plan(site, src)
    first = _bytes(files)
    published = own_cache / "published"
    published.mkdir()
    for uri, path in files.items():  # as the engine publishes them: a hard link each
        os.link(path, published / uri.rsplit("/", 1)[1])
    if settled:  # the identities kept, as after a build that left the files alone
        _settle()
        images._PLANS.clear()
        _plan(site, src)
    target = files["brands/shili/photo-1280.webp"]
    if how == "in place":
        _alter_in_place(target)
    elif how == "through the site's link":
        _alter_in_place(published / "photo-1280.webp")
        assert target.read_bytes() != first["brands/shili/photo-1280.webp"]
    elif how == "truncated":
        with open(target, "r+b") as f:
            f.truncate(100)
    elif how == "replaced":  # another file of the same length and times, its seal left
        st = os.stat(target)
        data = bytearray(target.read_bytes())
        data[-1] ^= 0xFF
        target.unlink()
        target.write_bytes(bytes(data))
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    else:
        target.unlink()
    images._PLANS.clear()
    assert _bytes(_plan(site, src)) == first  # made again: the bytes a clean build makes


def test_a_planted_file_or_a_forged_record_is_never_taken(own_cache):
    site, src = own_cache / "site", own_cache / "photo.jpg"
    src.write_bytes(_photo((20, 140, 60)))
    files = _plan(site, src)
    first = _bytes(files)
    [record] = [p for p in versioned(IMAGE_FILES).rglob("*") if p.is_file()]
    target = files["brands/shili/photo-640.webp"]

    # a record whose value is altered (its seal kept) names the planted file's digest
    buf = io.BytesIO()
    Image.new("RGB", (640, 400), (255, 0, 0)).save(buf, "WEBP")
    planted = buf.getvalue()
    seal, _, value = record.read_bytes().partition(b"\n")
    forged = json.loads(value)
    forged["files"][os.fspath(target)] = [len(planted), hashlib.sha256(planted).hexdigest(), None]
    record.write_bytes(seal + b"\n" + json.dumps(forged).encode())
    target.unlink()
    target.write_bytes(planted)  # another picture of the same format and size
    images._PLANS.clear()
    assert _bytes(_plan(site, src)) == first

    # another site's record, put where this site's lies: its seal names the other site
    other = own_cache / "other-site"
    _plan(other, src)
    [theirs] = [p for p in versioned(IMAGE_FILES).rglob("*") if p.is_file() and p != record]
    shutil.copyfile(theirs, record)
    target.unlink()
    target.write_bytes(planted)
    images._PLANS.clear()
    assert _bytes(_plan(site, src)) == first


def test_the_variants_settings_changed_make_every_variant_again(own_cache, monkeypatch):
    site, src = own_cache / "site", own_cache / "photo.jpg"
    src.write_bytes(_photo((90, 90, 20)))
    before = _bytes(_plan(site, src))
    monkeypatch.setattr(images, "WEBP", {**images.WEBP, "quality": 40})
    monkeypatch.setattr(images, "_ENCODER", images._ENCODER + b"quality 40")
    images._PLANS.clear()
    kept = _bytes(_plan(site, src))
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(own_cache / "clean-cache"))
    images._PLANS.clear()
    assert _bytes(_plan(own_cache / "clean-site", src)) == kept
    assert kept["brands/shili/photo-1280.webp"] != before["brands/shili/photo-1280.webp"]
    assert kept["brands/shili/photo-640.jpg"] == before["brands/shili/photo-640.jpg"]


def test_an_image_replaced_under_its_name_is_planned_from_its_own_header(own_cache, monkeypatch):
    site, src = own_cache / "site", own_cache / "photo.jpg"
    src.write_bytes(_photo((20, 40, 200)))
    _plan(site, src)
    src.write_bytes(_photo((200, 40, 20), size=(900, 1200)))  # another picture, portrait
    images._PLANS.clear()
    kept = _bytes(_plan(site, src))
    clean_site, clean = own_cache / "clean", own_cache / "clean-cache"
    clean.mkdir()
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(clean))
    images._PLANS.clear()
    assert _bytes(_plan(clean_site, src)) == kept
    assert sorted(kept) == ["brands/shili/photo-320.webp", "brands/shili/photo-640.jpg",
                            "brands/shili/photo-640.webp", "brands/shili/photo-900.webp"]
    with Image.open(io.BytesIO(kept["brands/shili/photo-900.webp"])) as im:
        assert im.size == (900, 1200)


# -- whole builds ---------------------------------------------------------------------------

BRAND = "shili-bailu-dianshang"  # the demo's fictional brand: logo.png, cover.jpg


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _replace_image(path: Path) -> None:
    """Another picture under the same name, of the same size."""
    with Image.open(path) as old:
        size = old.size
    Image.new("RGB", size, (40, 120, 90)).save(path, quality=90)


def _alter_variants(root: Path) -> None:
    """The cover's largest variant written through a site's hard link to it (as the engine
    publishes it), its times set back; the logo's smallest variant deleted."""
    cover = (root / "brands" / BRAND / "cover.jpg").read_bytes()
    published = root.parent / "published-cover-1280.webp"
    os.link(cache.cache_dir() / f"{images.source_digest(cover)}-1280.webp", published)
    _alter_in_place(published)
    logo = (root / "brands" / BRAND / "logo.png").read_bytes()
    (cache.cache_dir() / f"{images.source_digest(logo)}-320.webp").unlink()


BUILD_EDITS = [
    ("an image replaced under its name", lambda r: _replace_image(r / f"brands/{BRAND}/cover.jpg")),
    ("an image's settings", lambda r: _edit(r / f"brands/{BRAND}.md", "cover: {path: cover.jpg,",
                                            "cover: {focus: 左上, path: cover.jpg,")),
    ("a page edited", lambda r: _edit(r / f"brands/{BRAND}.md", "把山货卖到全国",
                                      "把山货（虚构）卖到全国")),
    ("variant files altered and deleted", _alter_variants),
]


def _published(root: Path) -> dict[str, bytes]:
    """Every file the native engine publishes for the project, its images' bytes as they are
    when it links them (a build without its search index and checks)."""
    from conftest import DEMO_DATE

    from site_builder.build import render
    from site_builder.engines.native import lay_out
    from site_builder.project import load_project

    images._PLANS.clear()
    site = render(load_project(root, DEMO_DATE))
    out = lay_out(site, root, keep=True)
    site.finish()
    return {**out.files, **{uri: Path(src).read_bytes() for uri, src in out.assets.items()}}


def test_a_kept_build_publishes_what_a_clean_build_does_after_every_kind_of_edit(
        tmp_path, monkeypatch):
    """The reference: the same render with none of the brand's image files (nor their seals),
    no record of the image files and no conversion kept (the other images and the kept pages
    stay: tests/test_kept_pages.py holds the pages to a clean build)."""
    from sitecopy import copy_demo, first_difference

    root = copy_demo(tmp_path / "project")
    kept_cache = tmp_path / "cache"
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(kept_cache))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    before = _published(root)
    for n, (what, edit) in enumerate(BUILD_EDITS):
        edit(root)
        kept = _published(root)
        clean_cache = tmp_path / f"clean-{n}"
        made_of = tuple(images.source_digest((root / "brands" / BRAND / name).read_bytes())
                        for name in ("cover.jpg", "logo.png"))
        shutil.copytree(kept_cache, clean_cache, ignore=lambda folder, names, made_of=made_of: [
            n for n in names if n in (IMAGE_FILES, CONVERTED_PAGES) or n.startswith(made_of)])
        assert not list(clean_cache.glob(f"{made_of[0]}*"))
        monkeypatch.setenv("SITE_BUILDER_CACHE", str(clean_cache))
        clean = _published(root)
        monkeypatch.setenv("SITE_BUILDER_CACHE", str(kept_cache))
        assert kept == clean, f"{what}: {first_difference(kept, clean)}"
        if what != "variant files altered and deleted":
            assert kept != before, what  # the edit shows
        before = kept
