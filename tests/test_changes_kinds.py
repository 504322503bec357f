"""The change summary says what the public sees, one golden case per kind of change: a page that
goes offline (withdrawn, deleted, moved, its 下线日期 passed) or will, a changed image, settings
and a hand-written page, the story's changed sentences, and fields that are never public.

Run with GOLDEN_UPDATE=1 to rewrite tests/golden/changes/kinds/*.expected.md, then review the diff
by eye.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cms_support import git, make_repo
from PIL import Image

GOLDEN = Path(__file__).resolve().parent / "golden" / "changes" / "kinds"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
EPOCH = "1764547200"  # 2025-12-01 08:00 Beijing time: the day the summary is for
BRAND = "brands/shili-qingxi-jiazheng.md"
EDITOR_NOTE = "brands/shili-bailu-dianshang.md"
CONSENT = "brands/shili-minghu-chushi.md"


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def withdrawn(root):
    _replace(root, BRAND, "status: 已发布", "status: 已撤下")


def deleted(root):
    (root / BRAND).unlink()


def moved(root):
    git(root, "mv", BRAND, "brands/shili-qingxi-jiazheng-fuwu.md")
    _replace(root, "brands/shili-qingxi-jiazheng-fuwu.md", "slug: shili-qingxi-jiazheng",
             "slug: shili-qingxi-jiazheng-fuwu")


def offline_date_passed(root):
    _replace(root, BRAND, "updated: ", "publish_until: 2025-11-30\nupdated: ")


def offline_date_ahead(root):
    _replace(root, BRAND, "updated: ", "publish_until: 2026-03-31\nupdated: ")


def image_changed(root):
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(
        root / "brands" / "shili-qingxi-jiazheng" / "cover.jpg", quality=80)


def settings_changed(root):
    _replace(root, "settings.yml", "title: 示例市劳务品牌（演示）", "title: 示例市劳务品牌展示（演示）")


def page_added(root):
    (root / "docs" / "shili-fuwu-zhinan.md").write_text(
        "---\ntitle: 示例·服务指南\n---\n\n虚构的服务指南页面。\n", encoding="utf-8")


def story_sentences(root):
    _replace(root, BRAND, "示例·青溪家政在每个社区设服务站，为居民提供家政服务，也为家政员提供培训。",
             "示例·青溪家政在每个社区设服务站，为居民提供家政服务。服务站每周开放六天。")


def private_fields(root):
    _replace(root, EDITOR_NOTE, "editor_note: 演示用的编辑备注（编辑备注标记QX7）",
             "editor_note: 改过的演示用编辑备注（编辑备注标记QX7）")
    _replace(root, CONSENT, "reference: 虚构示例-SQ-001}", "reference: 虚构示例-SQ-002}")


KINDS = [withdrawn, deleted, moved, offline_date_passed, offline_date_ahead, image_changed,
         settings_changed, page_added, story_sentences, private_fields]


@pytest.fixture(scope="module")
def base_repo(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("kinds") / "repo", 8081)


def _summary(base_repo: Path, tmp_path: Path, change) -> tuple[str, list[str]]:
    root = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(base_repo), str(root)], check=True)
    change(root)
    git(root, "add", "-A")
    git(root, "commit", "-qm", change.__name__)
    pages = tmp_path / "pages.txt"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "changes",
                           "--base", "HEAD~1", "--pages", str(pages)],
                          capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout, pages.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("change", KINDS, ids=lambda c: c.__name__)
def test_each_kind_of_change_is_told_as_the_public_sees_it(base_repo, tmp_path, change):
    text, pages = _summary(base_repo, tmp_path, change)
    expected = GOLDEN / f"{change.__name__}.expected.md"
    if UPDATE:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
    # what each golden case must say, whatever its wording elsewhere
    offline = "这个页面将下线，地址失效"
    must = {
        "withdrawn": [offline, "/brands/shili-qingxi-jiazheng/"],
        "deleted": [offline, "档案被删除"],
        "moved": [offline, "/brands/shili-qingxi-jiazheng/", "/brands/shili-qingxi-jiazheng-fuwu/"],
        "offline_date_passed": [offline, "下线日期 2025-11-30 已到"],
        "offline_date_ahead": ["将于 2026-03-31 下线"],
        "image_changed": ["替换图片", "封面", "1200×800"],
        "settings_changed": ["站点设置", "示例市劳务品牌展示（演示）"],
        "page_added": ["新增页面“示例·服务指南”"],
        "story_sentences": ["改动的句子", "服务站每周开放六天。",
                            "为居民提供家政服务，也为家政员提供培训。"],
        "private_fields": ["不公开的字段", "编辑备注", "公开授权"],
    }[change.__name__]
    for words in must:
        assert words in text, (words, text)
    assert "字 →" not in text  # the story is told by its sentences, not by a count
    if change is private_fields:
        assert "会变化的页面" not in text and pages == []  # no public page changes
        assert "公开网站不变" in text
    if change is story_sentences:
        assert "brands/shili-qingxi-jiazheng/" in pages
