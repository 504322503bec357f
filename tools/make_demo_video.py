"""Encode the demo's short fictional video and its Chinese captions with PyAV: drawn frames, a sine tone.

Nothing is filmed or copied: every frame is drawn here with Pillow (a gradient, a moving shape,
the words "示意视频") and the sound is a quiet sine tone, so the clip is obviously an
illustration. The files are committed (a few dozen KB each); the script writes those missing,
or all of them again after a change to it:

    .venv/bin/python tools/make_demo_video.py --force

The tests use `encode_clip` to make videos of other containers and codecs (a renamed .mov,
WebM, H.265) that validation must refuse.
"""

from __future__ import annotations

import math
import struct
import sys
from pathlib import Path

import av
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
DEMO_BRAND = ROOT / "demo" / "brands" / "shili-qingxi-jiazheng"
DEMO_PERSON = ROOT / "demo" / "brands" / "shili-yunling-chayi" / "people"  # 林示例's clip
DEMO_VENUE = ROOT / "demo" / "brands" / "shili-yunling-chayi"  # its tea house's clip
SAMPLE_RATE = 48000

CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:02.000
这是一段示意视频，内容都是虚构的。

00:00:02.000 --> 00:00:04.000
示例·青溪家政：上门服务，一站办好。
"""

PERSON_CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:02.000
这是一段示意视频，人物和内容都是虚构的。

00:00:02.000 --> 00:00:04.000
林示例：教茶艺二十年（虚构）。
"""

VENUE_CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:02.000
这是一段示意视频，场所和内容都是虚构的。

00:00:02.000 --> 00:00:04.000
示例云岭茶文化体验馆：采茶、制茶、品茶。
"""


def _frame(i: int, count: int, size: tuple[int, int], label: str, font) -> Image.Image:
    w, h = size
    t = i / max(1, count - 1)
    im = Image.new("RGB", size, (22, 92, 150))
    draw = ImageDraw.Draw(im)
    for y in range(0, h, 4):  # a slow vertical gradient, shifting with time
        shade = int(40 * y / h + 30 * t)
        draw.rectangle((0, y, w, y + 4), fill=(22 + shade // 2, 92 + shade // 2, 150 + shade // 3))
    x = int((w - 60) * t)
    draw.rounded_rectangle((x, h // 2 - 30, x + 60, h // 2 + 30), radius=12, fill=(250, 214, 170))
    if font is not None:
        draw.text((16, 12), label, font=font, fill="white")
    return im


def encode_clip(path: Path, seconds: float = 4, size: tuple[int, int] = (320, 180), fps: int = 10,
                vcodec: str = "libx264", container: str = "mp4", audio: str | None = "aac",
                label: str = "示意视频", pix_fmt: str = "yuv420p",
                metadata: dict[str, str] | None = None) -> Path:
    """Write a clip of drawn frames (and a quiet 440 Hz tone in `audio`'s codec) to `path`;
    `metadata` are the container's tags (the tests give a phone's fictional position)."""
    from site_builder.render.share_image import find_cjk_font

    found = find_cjk_font()
    font = None
    if found is not None:
        from PIL import ImageFont
        font = ImageFont.truetype(found[0], 20, index=found[1])
    options = {"movflags": "+faststart"} if container == "mp4" else {}
    count = round(seconds * fps)
    with av.open(str(path), "w", format=container, options=options) as out:
        out.metadata.clear()
        out.metadata.update(metadata or {})
        video = out.add_stream(vcodec, rate=fps)
        video.width, video.height = size
        video.pix_fmt = pix_fmt
        if vcodec == "libx264":  # small: the picture barely changes
            video.options = {"crf": "30", "preset": "veryslow", "tune": "animation"}
        elif vcodec == "libx265":
            video.options = {"x265-params": "log-level=error"}
        sound = out.add_stream(audio, rate=SAMPLE_RATE) if audio else None
        if sound is not None:
            sound.layout = "mono"
            sound.bit_rate = 32_000
        for i in range(count):
            frame = av.VideoFrame.from_image(_frame(i, count, size, label, font))
            out.mux(video.encode(frame))
        out.mux(video.encode())
        if sound is not None:
            step = sound.codec_context.frame_size or 1024
            total = round(seconds * SAMPLE_RATE)
            fmt = sound.codec_context.format.name
            for n in range(0, total, step):
                samples = [0.05 * math.sin(2 * math.pi * 440 * (n + k) / SAMPLE_RATE) for k in range(step)]
                frame = av.AudioFrame(format=fmt, layout="mono", samples=step)
                frame.sample_rate, frame.pts = SAMPLE_RATE, n
                if fmt.startswith("flt"):
                    data = struct.pack(f"<{step}f", *samples)
                elif fmt.startswith("s32"):
                    data = struct.pack(f"<{step}i", *(int(s * 2**31) for s in samples))
                else:
                    data = struct.pack(f"<{step}h", *(int(s * 32767) for s in samples))
                frame.planes[0].update(data)
                out.mux(sound.encode(frame))
            out.mux(sound.encode())
    return path


def main(argv: list[str]) -> int:
    """Write the demo's clips that are missing (every one with --force): a brand's, a person's, a venue's."""
    for folder, stem, captions, label in ((DEMO_BRAND, "intro", CAPTIONS, "示意视频"),
                                          (DEMO_PERSON, "lin-story", PERSON_CAPTIONS, "人物示意视频"),
                                          (DEMO_VENUE, "venue-tour", VENUE_CAPTIONS, "场所示意视频")):
        path = folder / f"{stem}.mp4"
        if path.exists() and "--force" not in argv:
            continue
        clip = encode_clip(path, label=label)
        (folder / f"{stem}.zh.vtt").write_text(captions, encoding="utf-8")
        print(f"{clip.relative_to(ROOT)}: {clip.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
