"""A cover's focal point (issue 27): `media.cover.focus` in the record keeps the subject of a
cover in view wherever the page crops it (the directory's cards, the brand page's banner)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DEMO_DATE
from sitecopy import copy_demo

from site_builder.build import build_site
from site_builder.project import load_project
from site_builder.schema.brand import focus_centering, focus_position

BRAND = "shili-bailu-dianshang"  # a demo brand with a cover
COVER = "  cover: {path: cover.jpg, alt: 示例·白鹭电商达人封面示意图（虚构）}"


def _with_focus(root: Path, focus: str) -> Path:
    record = root / "brands" / f"{BRAND}.md"
    text = record.read_text(encoding="utf-8")
    assert COVER in text
    record.write_text(text.replace(COVER, COVER[:-1] + f", focus: {focus}}}"), encoding="utf-8")
    return record


@pytest.mark.parametrize(("focus", "position"), [
    ("上", "50% 0%"), ("右下", "100% 100%"), ('"30% 20%"', "30% 20%"), ("中", ""), (None, "")])
def test_focus_words_and_percentages(focus, position):
    assert focus_position(focus.strip('"') if focus else focus) == position


def test_an_unknown_focus_is_refused_at_its_line(tmp_path):
    root = copy_demo(tmp_path / "p", full=False)
    record = root / "brands" / f"{BRAND}.md"
    original = record.read_text(encoding="utf-8")
    for bad in ("顶部", '"120% 0%"', '"50%"', '"50 30"'):
        record.write_text(original, encoding="utf-8")
        _with_focus(root, bad)
        project = load_project(root, DEMO_DATE)
        found = [d for d in project.diagnostics if d.field == "media.cover.focus"]
        line = next(i for i, s in enumerate(record.read_text(encoding="utf-8").splitlines(), 1)
                    if "focus:" in s)
        assert [(d.code, d.path, d.line) for d in found] == [("B005", f"brands/{BRAND}.md", line)], bad
        assert "封面焦点" in found[0].message and "上、下、左、右" in found[0].message


@pytest.fixture(scope="module")
def focused_site(tmp_path_factory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("focus") / "p", full=False)
    _with_focus(root, "上")
    result = build_site(root, root / "site", build_date=DEMO_DATE)
    assert result.ok, [d.message for d in result.diagnostics] + result.problems
    return root / "site"


def _cover_imgs(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<img class="{css_class}"[^>]*>', html)


def test_the_card_and_the_banner_keep_the_focus(focused_site):
    brand = (focused_site / "brands" / BRAND / "index.html").read_text(encoding="utf-8")
    [banner] = _cover_imgs(brand, "lb-cover")
    assert 'style="object-position: 50% 0%"' in banner
    directory = (focused_site / "brands" / "index.html").read_text(encoding="utf-8")
    cards = _cover_imgs(directory, "lb-card-cover")
    focused = [c for c in cards if "object-position" in c]
    assert len(focused) == 1 and "50% 0%" in focused[0] and BRAND in focused[0]
    assert len(cards) > 1  # other covers, with no focus written, stay centred (no style)


def test_the_field_is_declared_for_the_cover_only():
    from site_builder.schema.brand import BRAND as SCHEMA
    media = SCHEMA.fields["media"].fields
    assert "focus" in media["cover"].fields
    assert "focus" not in media["logo"].fields
    assert "focus" not in media["gallery"].item.fields


@pytest.mark.parametrize(("focus", "centering"), [
    ("上", (0.5, 0.0)), ("右下", (1.0, 1.0)), ("30% 20%", (0.3, 0.2)), ("中", (0.5, 0.5)),
    (None, (0.5, 0.5))])
def test_focus_as_the_crop_of_the_pictures_drawn_at_build_time(focus, centering):
    assert focus_centering(focus) == centering


def test_the_share_image_and_the_poster_keep_the_focal_part_of_the_cover():
    """A tall cover, red at the top and blue below: cropped to the share image's and the
    poster's wide picture with `focus: 上`, the red part is kept; centred, the blue."""
    from io import BytesIO

    from PIL import Image

    from site_builder.render.poster import PosterText, draw_poster
    from site_builder.render.share_image import _draw, find_cjk_font

    font = find_cjk_font()
    if font is None:
        pytest.skip("no Chinese font installed (Debian: fonts-noto-cjk)")
    tall = Image.new("RGB", (400, 1200), (20, 40, 200))
    tall.paste((200, 20, 20), (0, 0, 400, 300))
    buf = BytesIO()
    tall.save(buf, "PNG")
    cover = buf.getvalue()

    def top_pixel(data: bytes) -> tuple[int, int, int]:
        with Image.open(BytesIO(data)) as im:
            return im.convert("RGB").getpixel((im.width // 2, 8))

    text = PosterText("示例·焦点", "虚构的一句话介绍。", "高品质服务型", "", "示例站", "",
                      "https://shili.example.org/brands/x/")
    for centering, red in (((0.5, 0.0), True), ((0.5, 0.5), False)):
        for drawn in (_draw("示例·焦点", "高品质服务型", "示例站", cover, font, centering),
                      draw_poster(text, cover, font, centering)):
            r, _, b = top_pixel(drawn)
            assert (r > b) == red, (centering, r, b)
