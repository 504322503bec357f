"""The reviewers' change summary tells a changed video or captions file as it tells a changed
image: whose it is, which video uses it, its size and length before and after, the brand's page."""

from __future__ import annotations

import importlib.util

import pytest
from cms_support import git
from sitecopy import REPO, copy_demo

from site_builder.editor.changes import code, format_changes, summarize_changes

_spec = importlib.util.spec_from_file_location("make_demo_video", REPO / "tools" / "make_demo_video.py")
make_demo_video = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_demo_video)

FOLDER = "brands/shili-qingxi-jiazheng"


@pytest.fixture()
def repo(tmp_path):
    root = copy_demo(tmp_path / "repo")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Base")
    git(root, "checkout", "-qb", "pr")
    return root


def _summary(root) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Change")
    return format_changes(summarize_changes(root, "main"), "main")


def _entry(text: str, path: str, verb: str) -> str:
    return text.split(f"- {verb} {code(path)}\n", 1)[1].split("\n- ", 1)[0]


def test_a_replaced_video_names_the_brand_the_video_and_both_sizes(repo):
    make_demo_video.encode_clip(repo / FOLDER / "intro.mp4", seconds=6, size=(480, 270))
    text = _summary(repo)
    assert "### 视频和字幕" in text
    entry = _entry(text, f"{FOLDER}/intro.mp4", "修改")
    assert entry.startswith("  - 替换视频：品牌 **示例·青溪家政** 的视频“示例·青溪家政服务站一日（示意视频）”·视频文件"), entry
    assert "320×180，4 秒 → " in entry and "480×270，6 秒" in entry, entry
    assert "`/brands/shili-qingxi-jiazheng/`" in entry
    assert "⚠" not in text  # a video is the editors' business, not the technical reviewer's


def test_new_captions_and_an_unused_video(repo):
    (repo / FOLDER / "intro.zh.vtt").write_text(
        make_demo_video.CAPTIONS + "\n00:00:03.500 --> 00:00:03.900\n第三条示例字幕。\n", encoding="utf-8")
    make_demo_video.encode_clip(repo / FOLDER / "spare.mp4", seconds=1)
    text = _summary(repo)
    entry = _entry(text, f"{FOLDER}/intro.zh.vtt", "修改")
    assert "替换字幕：品牌 **示例·青溪家政** 的视频“示例·青溪家政服务站一日（示意视频）”·中文字幕" in entry
    assert "2 条字幕 → " in entry and "3 条字幕" in entry, entry
    entry = _entry(text, f"{FOLDER}/spare.mp4", "新增")
    assert "新增视频：品牌 **示例·青溪家政** 的文件夹中的视频（档案中没有用到）" in entry
    assert "320×180，1 秒" in entry
