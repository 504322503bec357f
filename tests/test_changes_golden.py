"""The reviewers' change summary (`site-builder changes`), stored exactly as a reviewer reads it.

Run with GOLDEN_UPDATE=1 to rewrite tests/golden/changes/*.expected.md, then review the diff by eye.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cms_support import git, make_repo

GOLDEN = Path(__file__).resolve().parent / "golden" / "changes"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
RECORD = "brands/shili-qingxi-jiazheng.md"


def edit(root: Path) -> None:
    """One record edited in several ways, a new draft, and a round's date and a score changed."""
    path = root / RECORD
    text = path.read_text(encoding="utf-8")
    for old, new in [
        # a text changed
        ("summary: 虚构的演示品牌：青溪区社区家政服务站网络，提供育儿、养老和保洁服务。",
         "summary: 虚构的演示品牌：青溪区社区家政服务站网络，提供育儿和养老服务。"),
        # a list item added and one removed (districts), a figure changed
        ("districts: [青溪区]", "districts: [白鹭区]"),
        ("    value: 3100\n", "    value: 3400\n"),
        # a venue removed, a person added
        (("venues:\n  - name: 示例青溪家政服务站\n"
          "    photo: {path: venue.jpg, alt: 示例青溪家政服务站外观示意图（虚构场所）}\n"
          "    lat: 0.03\n    lng: 0.004\n    type: 服务站\n    district: 青溪区\n"
          "    address: 青溪区示例社区中心二楼（虚构）\n    hours: 周一至周六 08:30–18:00\n"),
         ("people:\n  - name: 赵示例\n    role: 领军人\n"
          "    consent: {form: 书面授权, date: 2026-01-05, reference: QX-002（虚构）}\n")),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    # a selection round: the notice period moved, one expert's score corrected
    rnd = root / "evaluations" / "2025-shiji.md"
    text = rnd.read_text(encoding="utf-8")
    for old, new in [("  notice_end: 2025-06-08\n", "  notice_end: 2025-06-09\n"),
                     ("      e2: {employment: 9.5, skills: 8.5, reputation: 8}\n",
                      "      e2: {employment: 9, skills: 8.5, reputation: 8}\n")]:
        assert old in text, old
        text = text.replace(old, new)
    rnd.write_text(text, encoding="utf-8")
    (root / "brands" / "shili-xin-caogao.md").write_text(
        "---\nslug: shili-xin-caogao\nname: 示例·新草稿\nsummary: 虚构的草稿。\nstatus: 草稿\n"
        "category: 民生保障型\ndistricts: [青溪区]\nupdated: 2026-11-30\n---\n", encoding="utf-8")


def test_the_summary_of_an_edit_says_each_change_with_the_schema_labels(tmp_path):
    root = make_repo(tmp_path / "repo", 8081)
    edit(root)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Edit")
    pages = tmp_path / "pages.txt"
    done = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "changes",
                           "--base", "HEAD~1", "--pages", str(pages)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    expected = GOLDEN / "edit.expected.md"
    if UPDATE:
        expected.write_text(done.stdout, encoding="utf-8")
    assert done.stdout == expected.read_text(encoding="utf-8")
    listed = pages.read_text(encoding="utf-8").splitlines()
    assert "brands/shili-qingxi-jiazheng/" in listed and "people/" in listed
    assert "evaluations/2025-shiji/" in listed
    assert not any("shili-xin-caogao" in p for p in listed)  # a draft changes no public page


def test_no_change_says_so(tmp_path):
    root = make_repo(tmp_path / "repo", 8081)
    done = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "changes",
                           "--base", "HEAD"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "没有修改任何文件" in done.stdout  # nothing changed at all (tests/test_changes_everything.py)
    bad = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "changes",
                          "--base", "no-such-ref"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "无法与 no-such-ref 比较" in bad.stderr


NEW_ITEM = """---
slug: 2027-zhubian-zhanshi
title: 示例竹编作品展示交流会（虚构）
kind: 展示交流
summary: 演示用的虚构活动：竹编匠人现场编织，展示新作品。
status: 已发布
date: 2027-03-05
place: 示例市云岭区文化馆（虚构）
brands: [shili-yunling-zhubian]
---
**本条动态为虚构，仅用于测试。**
"""


def edit_news_and_people(root: Path) -> None:
    """A news item added, one moved to another day and place, one removed; a person taken out
    of one brand (their page goes) and a person given an id in another (their address moves)."""
    (root / "news" / "2027-zhubian-zhanshi.md").write_text(NEW_ITEM, encoding="utf-8")
    item = root / "news" / "2026-jiazheng-tuijiehui.md"
    text = item.read_text(encoding="utf-8")
    for old, new in [("date: 2026-12-10", "date: 2026-12-17"),
                     ("place: 示例市会展中心二号馆（虚构）", "place: 示例市会展中心三号馆（虚构）")]:
        assert old in text, old
        text = text.replace(old, new)
    item.write_text(text, encoding="utf-8")
    (root / "news" / "2026-chushi-xinwen.md").unlink()
    chayi = root / "brands" / "shili-yunling-chayi.md"
    text = chayi.read_text(encoding="utf-8")
    start, end = text.index("people:\n"), text.index("venues:\n")
    chayi.write_text(text[:start] + text[end:], encoding="utf-8")
    zhubian = root / "brands" / "shili-yunling-zhubian.md"
    text = zhubian.read_text(encoding="utf-8")
    assert "  - name: 冯示例\n" in text and "id: feng-shili" not in text
    zhubian.write_text(text.replace("  - name: 冯示例\n", "  - name: 冯示例\n    id: feng-shili\n", 1),
                       encoding="utf-8")


def test_news_items_and_person_pages_are_told_in_plain_chinese(tmp_path):
    root = make_repo(tmp_path / "repo", 8081)  # with the demo's news items, committed first
    edit_news_and_people(root)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Edit news and people")
    pages = tmp_path / "pages.txt"
    done = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "changes",
                           "--base", "HEAD~1", "--pages", str(pages)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    expected = GOLDEN / "news-people.expected.md"
    if UPDATE:
        expected.write_text(done.stdout, encoding="utf-8")
    assert done.stdout == expected.read_text(encoding="utf-8")
    out = done.stdout
    assert "新建动态" in out and "删除动态：网站上的页面随之删除" in out
    assert "人物页面：删去“林示例”的个人页面（`/people/shili-yunling-chayi/lin-shili/`）" in out
    assert "人物页面：新增“冯示例”的个人页面（`/people/shili-yunling-zhubian/feng-shili/`）" in out
    listed = pages.read_text(encoding="utf-8").splitlines()
    for page in ("news/", "news/2027-zhubian-zhanshi/", "news/2026-chushi-xinwen/",
                 "news/2026-jiazheng-tuijiehui/", "events.ics", "brands/shili-yunling-zhubian/",
                 "people/shili-yunling-chayi/lin-shili/", "people/shili-yunling-zhubian/feng-shili/",
                 "people/shili-yunling-zhubian/1/"):
        assert any(line.rstrip("/").endswith(page.rstrip("/")) for line in listed), page
