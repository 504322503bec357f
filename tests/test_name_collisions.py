"""Generated file names (an image's variants, a brand's share image) are made from editors'
names, so an editor's file can be named like one: the build then fails naming both files,
never publishing one silently in the other's place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image
from sitecopy import copy_demo

from site_builder.build import build_site
from site_builder.render.images import Outputs
from site_builder.render.share_image import find_cjk_font

BRAND = "shili-bailu-dianshang"  # the demo's fictional brand: logo.png (320 px, transparent)


def _with_story_image(root: Path, name: str, fmt: str) -> None:
    """The brand's story shows an image of the editor's, named `name`."""
    Image.new("RGB", (320, 320), (20, 120, 60)).save(root / "brands" / BRAND / name, fmt)
    record = root / "brands" / f"{BRAND}.md"
    record.write_text(record.read_text(encoding="utf-8")
                      + f"\n![示例·白鹭电商达人的直播间（虚构）]({name})\n", encoding="utf-8")


def _build(root: Path, out: Path):
    return build_site(root, out, build_date=dt.date(2026, 12, 1))


def test_an_editors_image_named_like_a_variant_fails_the_build_naming_both(tmp_path):
    root = copy_demo(tmp_path / "project")
    _with_story_image(root, "logo-320.webp", "WEBP")  # exactly the logo's WebP variant
    result = _build(root, tmp_path / "site")
    assert not result.ok
    said = "\n".join(result.problems)
    assert f"brands/{BRAND}/logo.png 的 320 像素宽版本" in said, said
    assert f"图片 brands/{BRAND}/logo-320.webp" in said, said
    assert "改名" in said and "Traceback" not in said
    assert not (tmp_path / "site").exists()  # nothing published


@pytest.mark.skipif(find_cjk_font() is None, reason="share images need a Chinese font")
def test_an_editors_image_named_like_the_share_image_fails_the_build(tmp_path):
    root = copy_demo(tmp_path / "project")
    _with_story_image(root, "share.jpg", "JPEG")
    result = _build(root, tmp_path / "site")
    assert not result.ok
    said = "\n".join(result.problems)
    assert f"图片 brands/{BRAND}/share.jpg" in said and f"自动生成的 brands/{BRAND}/share.jpg" in said


def test_an_editors_image_with_a_name_of_its_own_is_published(tmp_path):
    root = copy_demo(tmp_path / "project")
    _with_story_image(root, "live-room.webp", "WEBP")
    result = _build(root, tmp_path / "site")
    assert result.ok, result.problems + [d.format() for d in result.diagnostics]
    site = tmp_path / "site" / "brands" / BRAND
    assert (site / "live-room.webp").is_file() and (site / "logo-320.webp").is_file()
    with Image.open(site / "logo-320.webp") as variant:  # the logo's own, not the photo
        assert variant.mode in ("RGBA", "LA") or "transparency" in variant.info


def test_outputs_accept_the_same_file_twice_and_refuse_another():
    out = Outputs(RuntimeError)
    out["assets/site-logo.png"] = Path("/project/assets/logo.png")
    out.update({"assets/site-logo.png": Path("/project/assets/logo.png")})  # logo = favicon
    with pytest.raises(RuntimeError, match="assets/site-logo.png"):
        out.update({"assets/site-logo.png": Path("/project/docs/assets/site-logo.png")})
    assert out == {"assets/site-logo.png": Path("/project/assets/logo.png")}
