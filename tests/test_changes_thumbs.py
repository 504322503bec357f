"""Changed images in the change summary come with thumbnails: small JPEGs (longest side at most
240 px) of the image before and after, written beside the summary (`changes --thumbs DIR`) and
shown in the pull request's comment from the preview, or named as files of the artifact.

The images are fictional: flat colours drawn here."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from cms_support import git, make_repo
from PIL import Image

from site_builder.editor.changes import THUMB_SIDE, thumbnail
from site_builder.editor.comment import compose

BRAND_DIR = "brands/shili-qingxi-jiazheng"
NEW_COLOUR, ADDED_COLOUR = (40, 90, 160), (200, 160, 30)


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    """A pull request that replaces a brand's cover, adds a wide PNG with transparency, and puts
    a text file named .jpg in a brand's folder; its summary with thumbnails."""
    tmp = tmp_path_factory.mktemp("thumbs")
    root = make_repo(tmp / "repo", 8081)
    with Image.open(root / BRAND_DIR / "cover.jpg") as im:
        old_colour = im.convert("RGB").resize((1, 1)).getpixel((0, 0))
    Image.new("RGB", (1200, 800), NEW_COLOUR).save(root / BRAND_DIR / "cover.jpg", quality=85)
    Image.new("RGBA", (1600, 400), ADDED_COLOUR + (255,)).save(root / BRAND_DIR / "banner.png")
    (root / BRAND_DIR / "fake.jpg").write_text("不是图片（虚构）", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Images changed")
    thumbs = tmp / "screenshots" / "thumbs"
    step_summary = tmp / "step-summary.md"
    done = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "changes",
                           "--base", "HEAD~1", "--thumbs", str(thumbs), "--summary",
                           str(step_summary)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout, thumbs, step_summary.read_text(encoding="utf-8"), old_colour


def _colour(path: Path) -> tuple[int, int, int]:
    with Image.open(path) as im:
        assert im.format == "JPEG"
        assert max(im.size) <= THUMB_SIDE
        return im.convert("RGB").resize((1, 1)).getpixel((0, 0))


def _near(a, b, tolerance=12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def test_thumbnails_before_and_after_are_written_beside_the_summary(summary):
    text, thumbs, _, old_colour = summary
    files = sorted(p.name for p in thumbs.iterdir())
    # in the summary's order: banner.png (added), cover.jpg (replaced), fake.jpg (no image)
    assert files == ["1-after.jpg", "2-after.jpg", "2-before.jpg"], files
    assert _near(_colour(thumbs / "1-after.jpg"), ADDED_COLOUR)
    assert _near(_colour(thumbs / "2-before.jpg"), old_colour)  # the demo's own cover
    assert _near(_colour(thumbs / "2-after.jpg"), NEW_COLOUR)
    with Image.open(thumbs / "1-after.jpg") as im:
        assert im.size == (240, 60)  # the shape kept, the longest side 240
    assert "  - 缩略图：合并前：无 → ![合并后](thumbs/1-after.jpg)" in text
    assert "  - 缩略图：![合并前](thumbs/2-before.jpg) → ![合并后](thumbs/2-after.jpg)" in text
    fake = text.split("fake.jpg")[1].split("\n- ")[0]
    assert "缩略图" not in fake and "无法读取图片尺寸" in fake  # named, not drawn


def test_the_comment_shows_them_from_the_preview_or_names_them(summary):
    text, _, step_summary, _ = summary
    shots = "https://preview.example.org/pr-7/_shots"
    with_preview = compose([], text, "success", "https://preview.example.org/pr-7/", [], shots)
    assert f"![合并前]({shots}/thumbs/2-before.jpg) → ![合并后]({shots}/thumbs/2-after.jpg)" \
        in with_preview
    without = compose([], text, "success")
    assert "](thumbs/" not in without
    assert "合并前：截图构件中的 `thumbs/2-before.jpg`" in without
    # GitHub's job summary cannot show files beside it either
    assert "](thumbs/" not in step_summary and "截图构件中的 `thumbs/2-after.jpg`" in step_summary


def test_what_is_no_image_or_too_big_gets_no_thumbnail():
    assert thumbnail(b"") is None and thumbnail(None) is None
    assert thumbnail(b"<svg onload=alert(1)>") is None
    huge = io.BytesIO()
    Image.new("1", (8000, 6000)).save(huge, "PNG")  # 48 million pixels: more than the checks allow
    assert thumbnail(huge.getvalue()) is None
    small = io.BytesIO()
    Image.new("RGB", (100, 50), (10, 200, 10)).save(small, "PNG")
    with Image.open(io.BytesIO(thumbnail(small.getvalue()))) as im:
        assert im.format == "JPEG" and im.size == (100, 50)  # never enlarged
