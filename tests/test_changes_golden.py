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
