"""Videos a record shows: an MP4 (H.264/AAC) in the brand's own folder, read by its real container
and codecs (PyAV), bounded in size, complete; their Chinese WebVTT captions well formed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from ..diagnostics.codes import Code, Severity
from ..model import BRANDS_DIR
from ..schema.fields import Ctx
from ..text import clip
from .images import _UNSAFE_NAME, image_path_problem

MAX_VIDEO_BYTES = 50 * 1024 * 1024
MAX_CAPTION_BYTES = 512 * 1024
# What a browser on every phone plays: H.264 pictures in 4:2:0 (the High 4:4:4 and 4:2:2
# profiles and 10-bit pictures play in few), AAC sound.
VIDEO_CODECS = {"h264"}
PIXEL_FORMATS = {"yuv420p", "yuvj420p"}
AUDIO_CODECS = {"aac", "aac_fixed"}
# An MP4's `ftyp` brands (ISO/IEC 14496-12, 14496-14 and the codec brands); QuickTime's is `qt  `.
MP4_BRANDS = {"isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash",
              "mmp4", "m4v ", "msnv", "ndas", "3gp4", "3gp5", "3gp6", "f4v "}
_CODEC_NAMES = {"hevc": "H.265（HEVC）", "h264": "H.264", "vp8": "VP8", "vp9": "VP9", "av1": "AV1",
                "mpeg4": "MPEG-4 Part 2", "prores": "ProRes", "mjpeg": "Motion JPEG",
                "aac": "AAC", "mp3": "MP3", "mp3float": "MP3", "opus": "Opus", "vorbis": "Vorbis", "ac3": "AC-3",
                "pcm_s16le": "PCM（未压缩）", "alac": "ALAC"}


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds, read from the file itself."""

    duration: float  # seconds
    width: int
    height: int
    has_audio: bool


class VideoProblem(Exception):
    """A video that cannot be published: `code` and its Chinese message."""

    def __init__(self, code: Code, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def read_video(path: Path) -> VideoInfo:
    """The container, codecs and duration of `path`, read with FFmpeg (PyAV) from the file's bytes,
    whatever its name; every packet is read (not decoded), so that a file cut short is found.
    Raises VideoProblem."""
    import av  # imported when a record has a video: FFmpeg takes a moment to load

    name = path.name
    try:
        size = path.stat().st_size
    except OSError as e:
        raise VideoProblem(Code.B053, f"无法读取视频 {name}：{type(e).__name__}；提示：重新复制这个文件。") from e
    if size > MAX_VIDEO_BYTES:
        raise VideoProblem(Code.B054, (
            f"视频 {name} 有 {size / 1048576:.1f} MB，超过上限 {MAX_VIDEO_BYTES // 1048576} MB；提示：压缩后"
            "再放入（H.264、720p、码率 1.5–2 Mbps，3 分钟以内）。"))
    try:
        with av.open(str(path), metadata_errors="ignore") as c:
            fmt = c.format.name
            brand = (c.metadata.get("major_brand") or "").lower()
            if "mp4" not in fmt.split(",") or brand not in MP4_BRANDS:
                what = ("QuickTime（.mov）" if brand == "qt  " else
                        f"{brand.strip()} 类型的 MP4 变体" if "mp4" in fmt.split(",") else
                        _container_name(fmt))
                raise VideoProblem(Code.B051, (
                    f"{name} 实际是 {what}格式，不是 MP4；提示：用剪辑软件“导出为 MP4（H.264）”，"
                    "不要只改扩展名。"))
            if not c.streams.video:
                raise VideoProblem(Code.B052, f"{name} 里没有画面（只有声音）；提示：导出带画面的 H.264 视频。")
            video = c.streams.video[0]
            vcodec = video.codec_context.name
            if vcodec not in VIDEO_CODECS:
                raise VideoProblem(Code.B052, (
                    f"{name} 的画面是 {_CODEC_NAMES.get(vcodec, vcodec)}编码，很多手机浏览器放不出来；"
                    "提示：重新导出，视频编码选“H.264”。"))
            pix = video.codec_context.pix_fmt or ""
            if pix not in PIXEL_FORMATS:
                raise VideoProblem(Code.B052, (
                    f"{name} 的画面是 H.264 的 {pix or '未知'} 色彩格式（不是 4:2:0 的 8 位画面），很多手机放不出来；"
                    "提示：重新导出，选“H.264 High/Main 档次、yuv420p”。"))
            audio = c.streams.audio[0] if c.streams.audio else None
            if audio is not None and audio.codec_context.name not in AUDIO_CODECS:
                acodec = audio.codec_context.name
                raise VideoProblem(Code.B052, (
                    f"{name} 的声音是 {_CODEC_NAMES.get(acodec, acodec)}编码，不是 AAC；"
                    "提示：重新导出，音频编码选“AAC”。"))
            expected = {s.index: s.frames for s in (video, audio) if s is not None and s.frames}
            seen = dict.fromkeys(expected, 0)
            for packet in c.demux(*[s for s in (video, audio) if s is not None]):
                if packet.size and packet.stream.index in seen and not packet.is_corrupt:
                    seen[packet.stream.index] += 1
            if not expected or any(seen[i] < n for i, n in expected.items()):
                raise VideoProblem(Code.B053, (
                    f"视频 {name} 不完整（文件在复制或下载时被截断）；提示：重新导出或重新复制这个视频。"))
            duration = (float(video.duration * video.time_base) if video.duration and video.time_base
                        else (c.duration or 0) / 1_000_000)
            return VideoInfo(duration, video.codec_context.width, video.codec_context.height,
                             audio is not None)
    except VideoProblem:
        raise
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as e:
        if size and _looks_like_mp4(path):  # an MP4's header, then the file ends or breaks
            raise VideoProblem(Code.B053, (
                f"视频 {name} 不完整或已损坏，无法读取；提示：重新导出或重新复制这个视频。")) from e
        raise VideoProblem(Code.B051, (
            f"{name} 不是可以读取的视频文件；提示：用剪辑软件导出为 MP4（H.264 画面、AAC 声音）。")) from e


def _looks_like_mp4(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(12)
    except OSError:
        return False
    return head[4:8] == b"ftyp"


def _container_name(fmt: str) -> str:
    if "webm" in fmt or "matroska" in fmt:
        return "WebM/MKV"
    if fmt == "avi":
        return "AVI"
    if "flv" in fmt:
        return "FLV"
    if "mpegts" in fmt:
        return "MPEG-TS"
    return fmt


# A cue's timing line (WebVTT, W3C Candidate Recommendation, 4.1): hours are optional, the
# milliseconds are three digits; cue settings may follow.
_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t]+.*)?")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _seconds(h: str | None, m: str, s: str, ms: str) -> float:
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def caption_problem(path: Path, duration: float | None) -> str | None:
    """Why a WebVTT file cannot be the video's captions (naming the line), or None: its header,
    each cue's timing (start before end, in order, within the video's `duration`) and Chinese text."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        return f"无法读取字幕文件 {name}：{type(e).__name__}；提示：重新复制这个文件。"
    if len(data) > MAX_CAPTION_BYTES:
        return (f"字幕文件 {name} 有 {len(data) // 1024} KB，超过上限 {MAX_CAPTION_BYTES // 1024} KB；"
                "提示：字幕文件只放字幕文字。")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return f"字幕文件 {name} 不是 UTF-8 编码；提示：用记事本等编辑器“另存为 UTF-8”。"
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.fullmatch(r"WEBVTT([ \t].*)?", lines[0]):
        said = "是 SRT 字幕（第一行是序号）" if lines[0].strip().isdigit() else f"第一行是“{clip(lines[0], 20)}”"
        return (f"字幕文件 {name} 不是 WebVTT 格式：{said}，第一行应为 WEBVTT；提示：用剪辑软件另存为 "
                "WebVTT（.vtt），或在第一行写 WEBVTT、空一行后再写字幕，时间中的毫秒用英文句点。")
    cues, last_start, han = 0, 0.0, False
    for i, line in enumerate(lines[1:], 2):
        if "-->" not in line:
            han = han or bool(_HAN.search(line))
            continue
        m = _TIMING.fullmatch(line.strip())
        if m is None:
            return (f"字幕文件 {name} 第 {i} 行的时间“{clip(line.strip(), 40)}”格式不对；提示：写成 "
                    "`00:00:01.000 --> 00:00:04.000`（时:分:秒.毫秒，毫秒三位，用英文句点）。")
        start, end = _seconds(*m.group(1, 2, 3, 4)), _seconds(*m.group(5, 6, 7, 8))
        if end <= start:
            return (f"字幕文件 {name} 第 {i} 行：结束时间不晚于开始时间；提示：改正这一行的时间。")
        if start < last_start:
            return (f"字幕文件 {name} 第 {i} 行：开始时间早于上一条字幕；提示：按时间顺序排列字幕。")
        if duration and start >= duration:
            return (f"字幕文件 {name} 第 {i} 行：开始于 {start:.1f} 秒，视频只有 {duration:.1f} 秒；"
                    "提示：核对字幕是不是这个视频的。")
        last_start, cues = start, cues + 1
    if not cues:
        return f"字幕文件 {name} 中没有一条字幕；提示：每条字幕写一行时间、一行文字，之间空一行。"
    if not han:
        return f"字幕文件 {name} 中没有中文；提示：网站的字幕应为中文。"
    return None


def check_videos(folder: Path, ctx: Ctx, published: bool) -> dict[str, VideoInfo]:
    """The videos a record's fields name (collected by the schema pass), each reported at its
    field: the file, its real format, and its captions (required once the record is published).
    Returns what each good video holds, by path."""
    out: dict[str, VideoInfo] = {}
    for where, value, node in ctx.videos:
        path_node, captions_node = _child(node, "path"), _child(node, "captions")
        info = None
        bad = _file_problem(folder, value["path"], "视频", "，例如 `intro.mp4`")
        if bad is None and not value["path"].lower().endswith(".mp4"):
            bad = (f"视频文件“{clip(value['path'])}”的扩展名不是 .mp4；提示：网站只播放 MP4 视频，用剪辑软件"
                   "导出为 MP4（H.264）。")
            ctx.rep.at_node(path_node, Code.B051, f"{where}.path", bad)
        elif bad is not None:
            ctx.rep.at_node(path_node, bad[0], f"{where}.path", bad[1])
        else:
            try:
                info = out[value["path"]] = read_video(folder / value["path"])
            except VideoProblem as e:
                ctx.rep.at_node(path_node, e.code, f"{where}.path", e.message)
        captions = value.get("captions")
        if captions is None:
            ctx.rep.at_node(node, Code.B055, f"{where}.captions", (
                f"视频“{clip(value['title'])}”没有中文字幕" + ("，不能发布" if published else "，发布前要补上")
                + "；提示：把字幕做成 WebVTT（.vtt）文件放进品牌文件夹，写在 `captions:`。"),
                severity=None if published else Severity.WARNING)
            continue
        bad = _file_problem(folder, captions, "字幕文件", "，例如 `intro.zh.vtt`")
        if bad is None and not captions.lower().endswith(".vtt"):
            bad = (Code.B056, f"字幕文件“{clip(captions)}”的扩展名不是 .vtt；提示：网站的字幕用 WebVTT 格式。")
        if bad is None:
            problem = caption_problem(folder / captions, info.duration if info else None)
            bad = (Code.B056, problem) if problem else None
        if bad is not None:
            ctx.rep.at_node(captions_node, Code.B056, f"{where}.captions", bad[1])
    return out


def _child(node: Node, key: str) -> Node:
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key:
                return v
    return node


def _file_problem(folder: Path, path: str, what: str, example: str) -> tuple[Code, str] | None:
    """(code, message) when `path` is not a file inside the brand's own `folder`."""
    stem = folder.name
    problem = image_path_problem(path)
    if problem:
        return Code.B050, (f"{what}路径“{clip(path)}”{problem}；提示：把文件放进 {BRANDS_DIR}/{stem}/，"
                           f"这里只写文件名{example}。")
    if _UNSAFE_NAME.search(path):
        return Code.B050, (f"{what}文件名“{clip(path)}”含有空格或 # % ? 等在网址中有特殊含义的字符；"
                           "提示：改为只含字母、数字、连字符和下划线的名称，例如 `intro-2024.mp4`，并同步修改档案。")
    target = folder / path
    if folder.is_symlink() or not target.is_file():
        return Code.B050, (f"找不到{what} {BRANDS_DIR}/{stem}/{path}；提示：把文件放进 {BRANDS_DIR}/{stem}/，"
                           "并核对文件名（包括大小写和扩展名）。")
    real_folder = os.path.realpath(folder)
    if os.path.commonpath([os.path.realpath(target), real_folder]) != real_folder:
        return Code.B050, (f"{what}“{clip(path)}”是指向品牌文件夹以外的链接；"
                           f"提示：把文件本身复制到 {BRANDS_DIR}/{stem}/。")
    return None
