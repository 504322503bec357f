"""What the checks found is kept as one sealed entry per site and part (`memo.PageMemo`): each
file looked up by its address and the digest of its bytes, each image by its bytes alone. A kept
check reports exactly what a check without the cache reports, whatever changed: a page changed
by one byte, an image planted or altered, a file removed, an entry altered, forged, or made for
another site address."""

from __future__ import annotations

import gzip
import io
import json
import shutil

import pytest
from PIL import Image, PngImagePlugin
from sitecopy import write_site

from site_builder import cache, verify
from site_builder.verify import leaks

_PAGE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>示例第{n}页</title>'
         '</head><body><h1 id="top">示例第{n}页</h1>\n{body}</body></html>')
PHONE = "13812345678"  # a fictional mobile number


def _png(comment: str | None = None, colour: str = "white") -> bytes:
    info = PngImagePlugin.PngInfo()
    if comment is not None:
        info.add_text("Comment", comment)
    out = io.BytesIO()
    Image.new("RGB", (6, 6), colour).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _fragment(text: str) -> bytes:
    """A search index fragment as Pagefind writes it (gzip of its magic and JSON)."""
    return gzip.compress(b"pagefind_dcd" + json.dumps({"content": text}, ensure_ascii=False)
                         .encode("utf-8"))


def _files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        f"p{n}/index.html": _PAGE.format(n=n, body=f'<a href="../p{n + 1}/#top">下一页</a>'
                                         f'<img src="photo.png" alt="示例">')
        for n in range(4)}
    files["p4/index.html"] = _PAGE.format(n=4, body=f"<p>值班 {PHONE}</p>")
    # line endings the checks read as "\n" (the finding's line is the same either way)
    files["p5/index.html"] = _PAGE.format(n=5, body=f"<p>第一行</p>\r\n<p>咨询\r{PHONE}</p>")
    for n in range(5):
        files[f"p{n}/photo.png"] = _png(colour="white")  # the same bytes at five addresses
    files["p1/photo.png"] = _png("拍摄于示例路 1 号")  # metadata: P111
    files["p2/broken.jpg"] = b"not an image at all"  # P107
    files["data/open.csv"] = "名称,电话\n示例合作社,13900001111\n"
    files["pagefind/fragment/a.pf_fragment"] = _fragment("示例品牌简介")
    files["pagefind/fragment/b.pf_fragment"] = _fragment(f"联系 {PHONE}")
    return files


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A hand-made site, its cache folder, and the checks as a function: (findings with the
    cache, findings without it, the files parsed and images opened with the cache)."""
    root = write_site(tmp_path / "built", _files())
    kept = tmp_path / "cache" / "checked-pages"
    done: list[str] = []
    real_html, real_file, real_image = leaks._Scan.html, leaks._Scan.file, leaks.image_problems
    monkeypatch.setattr(leaks._Scan, "html", lambda self, rel, *a, **k: (
        done.append(rel), real_html(self, rel, *a, **k))[1])
    monkeypatch.setattr(leaks._Scan, "file", lambda self, path, rel, *a, **k: (
        done.append(rel) if not rel.endswith((".png", ".jpg", ".webp")) else None,
        real_file(self, path, rel, *a, **k))[1])
    monkeypatch.setattr(leaks, "image_problems", lambda source: (
        done.append("image"), real_image(source))[1])

    def check(site_url=None):
        def run(memo):
            return [d.as_dict() for d in verify.verify_site(
                root, site_url, "site", "pagefind", lambda: None, (), memo)]

        without = run(None)
        done.clear()
        with_cache = run(kept)
        found = sorted(done)
        done.clear()
        return with_cache, without, found

    return root, kept, check


def _codes(findings) -> list[tuple[str, str]]:
    return sorted((d["path"], d["code"]) for d in findings)


def _entries(kept):
    return sorted(kept.rglob("*.checked"))


def test_a_kept_check_reads_nothing_again_and_finds_the_same(site):
    _root, kept, check = site
    first, fresh, done = check()
    assert first == fresh and _codes(first) == [
        ("site/data/open.csv", "P102"), ("site/p1/photo.png", "P111"),
        ("site/p2/broken.jpg", "P107"), ("site/p4/index.html", "P102"),
        ("site/p5/index.html", "P102"), ("site/pagefind/fragment/b.pf_fragment", "P102")]
    assert [d["line"] for d in first if d["path"] == "site/p5/index.html"] == [3]
    # three distinct images opened once each (the white one once for its five addresses)
    assert done.count("image") == 3 and "p0/index.html" in done
    assert len(_entries(kept)) == 2  # the pages' part and the search index's
    written = [(p.stat().st_ino, p.stat().st_size) for p in _entries(kept)]
    again, fresh, done = check()
    assert again == fresh == first and done == []
    assert [(p.stat().st_ino, p.stat().st_size) for p in _entries(kept)] == written


def test_a_page_changed_by_one_byte_is_read_again(site):
    root, _kept, check = site
    first, _, _ = check()
    page = root / "p4" / "index.html"
    page.write_bytes(page.read_bytes().replace(PHONE.encode(), b"13812345679"))  # same size
    found, fresh, done = check()
    assert found == fresh and done == ["p4/index.html"] and found != first
    page.write_text(_PAGE.format(n=4, body="<p>值班电话已撤下</p>"), "utf-8")
    found, fresh, done = check()
    assert found == fresh and done == ["p4/index.html"]
    assert ("site/p4/index.html", "P102") not in _codes(found)


def test_images_are_kept_by_their_bytes_not_their_address(site):
    root, _kept, check = site
    check()
    # metadata planted into a kept image, the same bytes copied to a new address, the
    # metadata removed from another: each reported as without the cache
    (root / "p3" / "photo.png").write_bytes(_png(f"联系 {PHONE}"))
    shutil.copy(root / "p1" / "photo.png", root / "p2" / "copy.png")
    (root / "p1" / "photo.png").write_bytes(_png(colour="white"))
    (root / "p0" / "photo.webp").write_bytes(b"RIFF\0\0\0\0WEBPVP8 broken")
    found, fresh, done = check()
    assert found == fresh
    assert [c for c in _codes(found) if c[0].endswith((".png", ".webp"))] == [
        ("site/p0/photo.webp", "P107"), ("site/p2/copy.png", "P111"),
        ("site/p3/photo.png", "P111")]
    # the copy's bytes were seen before (p1's, in the first build): only the new ones opened
    assert done == ["image", "image"]
    assert check()[2] == []


def test_files_no_longer_in_the_site_are_dropped_from_the_entry(site):
    root, kept, check = site
    check()
    memo = verify._memo(kept, None, "pages")
    assert "p4/index.html" in memo._load() and len(memo._images) == 3
    (root / "p4" / "index.html").unlink()
    (root / "p3" / "index.html").write_text(_PAGE.format(n=3, body="<p>末页</p>"), "utf-8")
    (root / "p1" / "photo.png").unlink()
    (root / "p2" / "broken.jpg").unlink()
    found, fresh, done = check()
    assert found == fresh and done == ["p3/index.html"]
    memo = verify._memo(kept, None, "pages")
    assert "p4/index.html" not in memo._load() and "p3/index.html" in memo._files
    assert len(memo._images) == 1  # only the white one is left in the site


def test_an_entry_made_for_another_site_address_is_not_taken(site):
    _root, kept, check = site
    check("https://example.gov.cn/")
    here = verify._memo(kept, "https://example.gov.cn/", "pages")._file()
    there = verify._memo(kept, "https://other.example.gov.cn/", "pages")._file()
    there.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(here, there)  # another address's entry under this one's name
    found, fresh, done = check("https://other.example.gov.cn/")
    assert found == fresh and "p4/index.html" in done and done.count("image") == 3


def _cleared(fields: list[str], data: bytes) -> bytes:
    """An item saying "nothing found" in its file or image."""
    if fields[0] == "image" or not data:
        return b""
    head, sep, rest = data.partition(b"\n")
    kept = json.loads(head)
    kept[0] = []
    return b"" if len(kept) == 1 else json.dumps(kept, ensure_ascii=False).encode() + sep + rest


@pytest.mark.parametrize("how", ["altered", "planted", "sealed but not what save writes"])
def test_an_altered_or_planted_entry_hides_nothing(site, how):
    """An entry saying "nothing found" in every file, however it got there, is no proof."""
    _root, kept, check = site
    first, _, _ = check()
    for entry in _entries(kept):
        data = entry.read_bytes()
        items = cache.unpacked(cache.unseal_view(entry.name, data), 3)
        assert items
        cleared = [(fields, _cleared(fields, item)) for fields, item in items]
        assert cleared != items
        if how == "altered":  # the seal line kept
            entry.write_bytes(data.replace(b'"P102"', b'"P103"').replace(b'"P111"', b'"P103"'))
        elif how == "planted":  # written without the key
            entry.write_bytes(b"0" * 64 + b"\n" + b"".join(cache.packed(cleared)))
        else:  # sealed with the key, holding what no build writes
            cache.write_sealed_parts(entry, lambda items=items: cache.packed(
                [(fields, b"{") for fields, _ in items]))
    found, fresh, done = check()
    assert found == fresh == first and done.count("image") == 3 and "p4/index.html" in done
    assert check()[2] == []  # kept anew
