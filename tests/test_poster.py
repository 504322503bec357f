"""Share posters: every published brand and every person with a page gets a phone-sized poster
whose QR code a real reader (zxing-cpp) decodes to the page's exact address; a "保存海报" link and
the image on the page; no site address, no poster, and the build says why once."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import zxingcpp
from conftest import DEMO_DATE, assert_built
from PIL import Image, ImageDraw
from sitecopy import copy_demo

from site_builder.build import build_site
from site_builder.project import load_project
from site_builder.render import poster
from site_builder.render.news import public_people
from site_builder.render.share_image import find_cjk_font

SITE_URL = "https://shili.example.org/zhanshi/"

needs_font = pytest.mark.skipif(find_cjk_font() is None, reason="no Chinese font installed")


def _decoded(path_or_image) -> list[str]:
    image = path_or_image if isinstance(path_or_image, Image.Image) else Image.open(path_or_image)
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def without_site_url(root: Path) -> Path:
    """The project with its settings' site address emptied (the demo's own is fictional)."""
    settings = root / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  url: .*$", '  url: ""', text, count=1)
    settings.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site_with_url(tmp_path_factory):
    root = without_site_url(copy_demo(tmp_path_factory.mktemp("poster") / "project"))
    # given as `--site-url` is (settings would win over it), not as the demo's own address
    result = build_site(root, root / "site", build_date=DEMO_DATE, site_url=SITE_URL)
    assert_built(result)
    assert result.notices == []
    return root / "site"


class _Poster(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "details" and "lb-poster" in a.get("class", "") or (
                self.found and tag in ("a", "img") and len(self.found) < 3):
            self.found.append((tag, a))


@needs_font
def test_every_brand_poster_decodes_to_its_pages_exact_address(site_with_url):
    brands = sorted(p.parent for p in (site_with_url / "brands").glob("*/index.html"))
    assert len(brands) == 8
    for folder in brands:
        address = f"{SITE_URL}brands/{folder.name}/"
        with Image.open(folder / poster.FILE_NAME) as im:
            assert im.format == "JPEG" and im.size == poster.SIZE
            assert not im.getexif()
            assert _decoded(im) == [address], folder.name


@needs_font
def test_the_page_offers_to_save_its_poster_without_loading_it(site_with_url):
    folder = site_with_url / "brands" / "shili-qingxi-jiazheng"
    parser = _Poster()
    parser.feed((folder / "index.html").read_text(encoding="utf-8"))
    (_, details), (_, link), (_, img) = parser.found
    assert "open" not in details  # closed: the lazy image is not loaded with the page
    assert link["href"].endswith(f"brands/shili-qingxi-jiazheng/{poster.FILE_NAME}")
    assert link["download"].endswith(".jpg")
    assert img["src"] == link["href"] and img["loading"] == "lazy"
    assert img["alt"].startswith("示例·青溪家政的分享海报")
    assert "保存海报" in (folder / "index.html").read_text(encoding="utf-8")


@needs_font
def test_every_person_page_has_a_poster_that_decodes_to_its_exact_address(site_with_url):
    project = load_project(site_with_url.parent, DEMO_DATE)
    people = public_people(project.brands)
    assert len(people) >= 5
    for person, _, url in people:
        folder = site_with_url / url
        with Image.open(folder / poster.FILE_NAME) as im:
            assert im.format == "JPEG" and im.size == poster.SIZE and not im.getexif()
            assert _decoded(im) == [SITE_URL + url], url
        parser = _Poster()
        parser.feed((folder / "index.html").read_text(encoding="utf-8"))
        (_, details), (_, link), (_, img) = parser.found
        assert "open" not in details and img["loading"] == "lazy"
        assert link["href"].endswith(url + poster.FILE_NAME) and img["src"] == link["href"]
        assert img["alt"].startswith(f"{person['name']}的分享海报：")


def test_without_the_sites_address_no_poster_is_made_and_the_build_says_why_once(built_copy):
    without_site_url(built_copy)
    result = build_site(built_copy, built_copy / "site", build_date=DEMO_DATE)
    assert_built(result)
    # once, beside the preview notice of what a production build still needs (site.url)
    assert [n for n in result.notices if "海报" in n] == [poster.NO_SITE_URL]
    assert "site.url" in poster.NO_SITE_URL and "--site-url" in poster.NO_SITE_URL
    assert not list((built_copy / "site").rglob(poster.FILE_NAME))
    page = (built_copy / "site" / "brands" / "shili-qingxi-jiazheng" / "index.html").read_text(
        encoding="utf-8")
    assert "lb-poster" not in page and "保存海报" not in page


def test_the_build_command_prints_the_notice(built_copy, capsys):
    from site_builder.cli import main

    without_site_url(built_copy)
    code = main(["--root", str(built_copy), "build", "--date", "2026-12-01"])
    err = capsys.readouterr().err
    assert code == 0
    assert err.count(poster.NO_SITE_URL) == 1


@needs_font
@pytest.mark.parametrize("url", [
    "https://shili.example.org/brands/shili-qingxi-jiazheng/",
    "http://192.0.2.10:8080/people/%E7%A4%BA%E4%BE%8B/",  # a person's page: an encoded address
    "https://example.org/" + "a-very-long-fictional-folder/" * 6 + "shili-brand/",
])
def test_the_qr_code_round_trips_whatever_the_address(url):
    text = poster.PosterText("示例·测试品牌（虚构）" * 2, "一句很长的虚构简介，" * 12, "高品质服务型",
                             "示例联系单位（虚构）", "示例市劳务品牌（演示）", "示例市人社局（虚构）", url)
    import io
    data = poster.draw_poster(text, b"", find_cjk_font())
    assert _decoded(Image.open(io.BytesIO(data))) == [url]
    assert _decoded(poster.qr_image(url, poster.QR_SIDE)) == [url]


@needs_font
def test_long_text_is_wrapped_within_the_width_and_cut_with_an_ellipsis():
    from site_builder.render.share_image import _font

    path, index = find_cjk_font()
    font = _font(path, index, 30)
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    lines = poster.wrap("虚构的示例品牌简介，用于测试换行。" * 10, draw, font, 400, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(draw.textlength(line, font=font) <= 400 + 31 for line in lines)  # a hanging mark
    assert not any(re.match(r"[，。、）]", line) for line in lines)
    assert poster.wrap("短句。", draw, font, 400, 3) == ["短句。"]
