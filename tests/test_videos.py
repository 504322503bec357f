"""Videos in records: the file's real container and codecs (not its name), its size, a file cut
short, and its Chinese WebVTT captions, each refused with a message at the record's line and
field; a realistic video with captions accepted."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from sitecopy import REPO, demo_with_records, fictional_record

from site_builder.project import load_project
from site_builder.validate import videos

_spec = importlib.util.spec_from_file_location("make_demo_video", REPO / "tools" / "make_demo_video.py")
make_demo_video = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_demo_video)

CAPTIONS = make_demo_video.CAPTIONS
SLUG = "shili-shipin-ceshi"


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[str, Path]:
    """Short clips of several containers and codecs, each encoded once by our own tool."""
    d = tmp_path_factory.mktemp("clips")
    enc = make_demo_video.encode_clip
    out = {
        "good": enc(d / "good.mp4", seconds=4),
        "silent": enc(d / "silent.mp4", seconds=4, audio=None),
        "mov": enc(d / "mov.mp4", seconds=1, container="mov"),
        "webm": enc(d / "webm.webm", seconds=1, vcodec="libvpx-vp9", container="webm", audio="libopus"),
        "hevc": enc(d / "hevc.mp4", seconds=1, vcodec="libx265"),
        "yuv444": enc(d / "yuv444.mp4", seconds=1, pix_fmt="yuv444p"),
        "mp3": enc(d / "mp3.mp4", seconds=1, audio="mp3"),
    }
    data = out["good"].read_bytes()
    (d / "cut.mp4").write_bytes(data[:int(len(data) * 0.97)])  # the last packets lost
    out["cut"] = d / "cut.mp4"
    (d / "half.mp4").write_bytes(data[:len(data) // 2])
    out["half"] = d / "half.mp4"
    return out


VIDEO = "videos:\n  - path: {path}\n    title: 示例服务站一日（虚构）\n{captions}"
PATH_LINE, CAPTIONS_LINE = 9, 11  # fictional_record puts `extra` at line 8


def _project(tmp_path: Path, clip: Path | None, *, name: str = "intro.mp4",
             captions: str | bytes | None = CAPTIONS, status: str = "已发布",
             captions_line: str | None = "    captions: intro.zh.vtt\n") -> list:
    extra = VIDEO.format(path=name, captions=captions_line or "")
    text = fictional_record(SLUG, "示例·视频测试", extra).replace("status: 已发布", f"status: {status}")
    root = demo_with_records(tmp_path / "p", {SLUG: text})
    folder = root / "brands" / SLUG
    folder.mkdir()
    if clip is not None:
        shutil.copy(clip, folder / name)
    if captions is not None:
        (folder / "intro.zh.vtt").write_bytes(
            captions if isinstance(captions, bytes) else captions.encode("utf-8"))
    project = load_project(root)
    return [d for d in project.diagnostics if d.path == f"brands/{SLUG}.md"]


def _only(diags: list, code: str, line: int, field: str) -> str:
    assert [(d.code, d.line, d.field) for d in diags] == [(code, line, field)], \
        [d.format() for d in diags]
    return diags[0].message


def test_a_realistic_video_with_chinese_captions_is_accepted(tmp_path, clips):
    assert [d.format() for d in _project(tmp_path, clips["good"])] == []
    info = videos.read_video(clips["good"])
    assert abs(info.duration - 4) < 0.2 and (info.width, info.height) == (320, 180)
    assert info.has_audio


def test_a_video_without_sound_is_accepted(tmp_path, clips):
    assert _project(tmp_path, clips["silent"]) == []
    assert not videos.read_video(clips["silent"]).has_audio


@pytest.mark.parametrize("clip, code, words", [
    ("mov", "B051", "QuickTime（.mov）"),
    ("webm", "B051", "WebM"),
    ("hevc", "B052", "H.265（HEVC）"),
    ("yuv444", "B052", "yuv444p"),
    ("mp3", "B052", "MP3"),
    ("cut", "B053", "不完整"),
    ("half", "B053", "不完整"),
])
def test_a_file_named_mp4_is_judged_by_what_it_holds(tmp_path, clips, clip, code, words):
    message = _only(_project(tmp_path, clips[clip]), code, PATH_LINE, "videos[0].path")
    assert words in message and "intro.mp4" in message and "提示：" in message


def test_a_text_file_named_mp4_is_no_video(tmp_path):
    fake = tmp_path / "fake.mp4"
    fake.write_text("这不是视频", encoding="utf-8")
    message = _only(_project(tmp_path, fake), "B051", PATH_LINE, "videos[0].path")
    assert "不是可以读取的视频文件" in message


def test_a_video_over_the_size_limit_is_refused_with_its_size(tmp_path, clips, monkeypatch):
    monkeypatch.setattr(videos, "MAX_VIDEO_BYTES", 10_000)
    message = _only(_project(tmp_path, clips["good"]), "B054", PATH_LINE, "videos[0].path")
    assert "超过上限" in message and "MB" in message


@pytest.mark.parametrize("name, code, words", [
    ("../intro.mp4", "B050", "品牌文件夹以外"),
    ("intro video.mp4", "B050", "空格"),
    ("intro.mov", "B051", "扩展名不是 .mp4"),
])
def test_a_video_path_must_name_an_mp4_in_the_brand_folder(tmp_path, clips, name, code, words):
    diags = _project(tmp_path, None, name="intro.mp4")  # no file at all
    assert "找不到视频" in _only(diags, "B050", PATH_LINE, "videos[0].path")
    diags = _project(tmp_path / "other", clips["good"] if "/" not in name else None, name=name)
    assert words in _only(diags, code, PATH_LINE, "videos[0].path")


def test_captions_are_required_to_publish_and_a_notice_in_a_draft(tmp_path, clips):
    diags = _project(tmp_path, clips["good"], captions_line=None)
    message = _only(diags, "B055", PATH_LINE, "videos[0].captions")
    assert "没有中文字幕，不能发布" in message and diags[0].severity.value == "error"
    diags = _project(tmp_path / "draft", clips["good"], captions_line=None, status="草稿")
    assert diags[0].code == "B055" and diags[0].severity.value == "warning", [d.format() for d in diags]


@pytest.mark.parametrize("text, words", [
    ("1\n00:00:00,000 --> 00:00:01,000\n示例字幕\n", "是 SRT 字幕"),
    ("WEBVTTX\n\n00:00:00.000 --> 00:00:01.000\n示例\n", "第一行应为 WEBVTT"),
    ("WEBVTT\n\n00:00:00,000 --> 00:00:01,000\n示例\n", "第 3 行的时间"),
    ("WEBVTT\n\n00:00:01.500 --> 00:00:01.000\n示例\n", "第 3 行：结束时间不晚于开始时间"),
    ("WEBVTT\n\n00:00:01.000 --> 00:00:01.500\n示例\n\n00:00:00.500 --> 00:00:01.800\n示例\n",
     "第 6 行：开始时间早于上一条字幕"),
    ("WEBVTT\n\n00:00:30.000 --> 00:00:31.000\n示例\n", "第 3 行：开始于 30.0 秒，视频只有 4.0 秒"),
    ("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nhello\n", "没有中文"),
    ("WEBVTT\n\n示例\n", "没有一条字幕"),
])
def test_malformed_captions_are_refused_naming_the_line_of_the_vtt(tmp_path, clips, text, words):
    message = _only(_project(tmp_path, clips["good"], captions=text), "B056", CAPTIONS_LINE,
                    "videos[0].captions")
    assert words in message and "intro.zh.vtt" in message, message


def test_captions_in_another_encoding_or_missing_are_refused(tmp_path, clips):
    diags = _project(tmp_path, clips["good"], captions=None)
    assert "找不到字幕文件" in _only(diags, "B056", CAPTIONS_LINE, "videos[0].captions")
    diags = _project(tmp_path / "gbk", clips["good"], captions=CAPTIONS.encode("gbk"))
    assert "不是 UTF-8 编码" in _only(diags, "B056", CAPTIONS_LINE, "videos[0].captions")


def test_captions_with_hours_cue_settings_and_a_bom_are_accepted(tmp_path, clips):
    text = ("\ufeffWEBVTT - 示例字幕\n\nNOTE 虚构\n\n1\n00:00:00.000 --> 00:00:01.000 line:90%\n"
            "示例字幕一\n\n00:00:01.000 --> 00:00:01.900\n<b>示例</b>字幕二\n")
    assert _project(tmp_path, clips["good"], captions=text) == []
