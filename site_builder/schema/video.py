"""The video field: a self-hosted MP4 with its captions, checked against the file by validate/videos.py."""

from __future__ import annotations

from dataclasses import dataclass

from .fields import INVALID, Image, Obj, SourceRef, Text

_PLAIN = r'[^<>&"]*'


@dataclass
class Video(Obj):
    """A video inside the brand's own folder: its file, title, Chinese captions, an optional
    poster frame (else one is taken from the video) and source. The file's real container,
    codecs, size and duration, and the captions' format, are checked per record."""

    def __post_init__(self):
        self.fields = {
            "path": Text("视频文件", "相对于品牌文件夹 `brands/<slug>/` 的路径；MP4（H.264 画面、AAC 声音），"
                         "时长由网站从文件中读出", required=True, example="intro.mp4"),
            "title": Text("视频标题", "显示在视频下方，也是视频的无障碍名称", required=True, max_len=60,
                          pattern=_PLAIN, pattern_hint='不含 < > & " 的文字',
                          example="示例家政服务站一日"),
            "captions": Text("中文字幕", "WebVTT 字幕文件（.vtt）的路径，相对于品牌文件夹；已发布的档案必须填写",
                             example="intro.zh.vtt"),
            "poster": Image("封面画面", "播放前显示的画面；不填时从视频中截取一帧"),
            "description": Text("视频简介", max_len=200, multiline=True),
            "source": SourceRef("来源编号", "视频的出处，对应 sources 中某条资料的 id",
                                pattern=r"[a-z0-9]+(-[a-z0-9]+)*", pattern_hint="sources 中的 id"),
            "credit": Text("出品", "拍摄或出品的单位，显示在视频下方，例如“示例市融媒体中心”", max_len=60),
        }

    def check(self, node, ctx, where):
        value = super().check(node, ctx, where)
        if value is not INVALID:
            ctx.videos.append((where, value, node))
        return value
