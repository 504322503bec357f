"""A failing pull request still gets a preview: `site-builder preview-without-failing` builds a
copy of the project without the records that have errors (and those that only fail because they
name one), and every page of that preview says at its top what it leaves out. An error outside the
records (settings.yml) leaves no preview. Fictional demo records only."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sitecopy import copy_demo, without_editor

from site_builder.editor.comment import compose

BAD = "brands/shili-bailu-dianshang.md"
HOSTILE_NAME = "示例<script>alert(1)</script>品牌"


def _edit(root, rel, old, new):
    text = (root / rel).read_text(encoding="utf-8")
    assert old in text, (rel, old)
    (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")


def _preview(root, site):
    report = root.parent / "left-out.json"
    done = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root),
                           "preview-without-failing", "--site-dir", str(site), "--report",
                           str(report)], capture_output=True, text=True, check=False)
    return done, json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def failing(tmp_path_factory):
    """The demo with one brand missing a required field, its name written as markup."""
    tmp = tmp_path_factory.mktemp("partial")
    root = copy_demo(tmp / "project")
    without_editor(root)
    _edit(root, BAD, "    unit: 人次\n", "")
    _edit(root, BAD, "name: 示例·白鹭电商达人", f"name: '{HOSTILE_NAME}'")
    strict = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "build",
                             "--site-dir", str(tmp / "strict")], capture_output=True, text=True,
                            check=False)
    assert strict.returncode == 1 and not (tmp / "strict").exists()  # the check itself fails
    done, left_out = _preview(root, tmp / "site")
    return root, tmp / "site", done, left_out


def test_the_preview_is_built_without_the_failing_record(failing):
    root, site, done, left_out = failing
    assert done.returncode == 0, done.stderr
    assert left_out[0] == {"path": BAD, "name": HOSTILE_NAME, "because_of_others": False}
    # a round naming the brand left out fails in its turn: left out too, and said why
    assert all(x["because_of_others"] and x["path"].startswith("evaluations/")
               for x in left_out[1:]), left_out
    assert not (site / "brands" / "shili-bailu-dianshang").exists()
    assert (site / "brands" / "shili-qingxi-jiazheng" / "index.html").is_file()
    assert "已生成预览。本预览未包含有问题的档案：" in done.stderr
    assert (root / BAD).is_file()  # the project itself is untouched


def test_every_page_of_that_preview_says_what_it_leaves_out(failing):
    _, site, _, _ = failing
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        body = text.index("<body")
        banner = text.index('<div class="lb-preview-left-out" role="note"')
        assert body < banner < body + 200, page  # right at the top of the page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "本预览未包含有问题的档案：示例&lt;script&gt;alert(1)&lt;/script&gt;品牌（" + BAD in home
    assert "<script>alert(1)" not in home  # the pull request's text is escaped
    assert "因引用了这些档案而一并未包含：" in home


def test_the_comment_says_it_too(failing):
    _, _, _, left_out = failing
    comment = compose([], "## 改动说明\n", "failure", "https://preview.example.org/pr-7/",
                      left_out=left_out)
    line = next(ln for ln in comment.splitlines() if ln.startswith("> ⚠ 本预览未包含有问题的档案："))
    assert "示例&lt;script&gt;alert\\(1\\)&lt;/script&gt;品牌（brands/shili-bailu-dianshang.md）" \
        in line, line  # the pull request's text shows as text
    assert "<script>" not in comment and "预览和截图中看不到它们" in line


def test_no_preview_when_the_problem_is_not_in_a_record(tmp_path):
    root = copy_demo(tmp_path / "project")
    without_editor(root)
    _edit(root, "settings.yml", "site:", "site_typo: 1\nsite:")
    done, left_out = _preview(root, tmp_path / "site")
    assert done.returncode == 1 and "没有生成预览：" in done.stderr, done.stderr
    assert "settings.yml" in done.stderr and left_out == []
    assert not (tmp_path / "site").exists()
