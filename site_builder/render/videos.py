"""Videos as published: the MP4 copied stream by stream without its metadata (a phone's GPS
position, camera, dates) and with its index first, a poster frame taken from the video when
the record names none, and the captions file; all planned here, written by the image encoder's
threads into the cache (sealed, as every encoded image)."""

from __future__ import annotations

import hashlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ..cache import sealed_file
from .images import _ORIGINS, Encoder, Picture

CACHE_DIR = "video"  # inside the image cache (cache.cache_dir)
_VERSION = b"1"  # bump when the remux or the poster frame changes
POSTER_WIDTH = 960  # a poster is loaded with the page: kept small
POSTER_AT = 1.0  # seconds into the video (or a third of a shorter one)


@dataclass(frozen=True)
class VideoView:
    """What a page needs to show one video: addresses from the site's root, its size, its length."""

    src: str
    poster: str
    width: int
    height: int
    captions: str | None
    seconds: float

    @property
    def duration(self) -> str:
        """The length as a reader says it: "4 秒", "2 分 05 秒", "1 小时 02 分"."""
        total = max(1, round(self.seconds))
        h, rest = divmod(total, 3600)
        m, s = divmod(rest, 60)
        if h:
            return f"{h} 小时 {m:02d} 分"
        return f"{m} 分 {s:02d} 秒" if m else f"{s} 秒"

    @property
    def iso_duration(self) -> str:
        """The length as schema.org's `duration` (ISO 8601): PT2M5S."""
        total = max(1, round(self.seconds))
        h, rest = divmod(total, 3600)
        m, s = divmod(rest, 60)
        return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + f"{s}S"


def _probe(path: Path) -> tuple[float, int, int]:
    """(seconds, width, height) from the file's header (validated before: an MP4 with H.264)."""
    import av

    with av.open(str(path), metadata_errors="ignore") as c:
        v = c.streams.video[0]
        seconds = (float(v.duration * v.time_base) if v.duration and v.time_base
                   else (c.duration or 0) / 1_000_000)
        return seconds, v.codec_context.width, v.codec_context.height


def plan_video(folder: Path, video: dict, uri_folder: str, cache_root: Path, encoder: Encoder,
               poster: Picture | None) -> tuple[VideoView, dict[str, Path]]:
    """The view of one record's video and the files to publish by site path: the clean MP4, the
    poster frame (unless the record gives a poster image, whose `poster` picture is used) and
    the captions. `encoder`'s threads write the cached files not there yet."""
    src = folder / video["path"]
    data = src.read_bytes()
    digest = hashlib.sha256(_VERSION + data).hexdigest()[:20]
    seconds, width, height = _probe(src)
    files: dict[str, Path] = {}
    clean = cache_root / CACHE_DIR / f"{digest}.mp4"
    uri = f"{uri_folder}/{video['path']}"
    files[uri] = clean
    _ORIGINS[str(clean)] = f"视频 {video['path']}"
    if not sealed_file(clean):
        encoder.write([clean], lambda: [_remux(data)])
    if poster is not None:
        poster_uri = poster.fallback[-1][0]
    else:
        stem = video["path"].rsplit(".", 1)[0]
        poster_uri = f"{uri_folder}/{stem}-poster.jpg"
        frame = cache_root / CACHE_DIR / f"{digest}-poster.jpg"
        files[poster_uri] = frame
        _ORIGINS[str(frame)] = f"视频 {video['path']} 的封面画面"
        if not sealed_file(frame):
            encoder.write([frame], lambda: [poster_frame(data, seconds)])
    captions = None
    if video.get("captions"):
        captions = f"{uri_folder}/{video['captions']}"
        files[captions] = folder / video["captions"]
    view = VideoView(uri, poster_uri, width, height, captions, seconds)
    return view, files


def _remux(data: bytes) -> bytes:
    """The video's streams copied (not encoded again) into a new MP4: no metadata of the source
    (container and streams: a phone's location, make, model, dates), the index at the front so
    that playback starts before the whole file is loaded."""
    import av

    with tempfile.TemporaryDirectory(prefix="lb-video-") as tmp:
        src, out_path = Path(tmp, "in.mp4"), Path(tmp, "out.mp4")
        src.write_bytes(data)
        with av.open(str(src), metadata_errors="ignore") as inp, \
                av.open(str(out_path), "w", format="mp4",
                        options={"movflags": "+faststart", "fflags": "+bitexact"}) as out:
            chosen = [inp.streams.video[0]] + list(inp.streams.audio[:1])
            streams = {}
            for s in chosen:
                o = out.add_stream_from_template(s)
                o.metadata.clear()
                streams[s.index] = o
            out.metadata.clear()
            for packet in inp.demux(*chosen):
                if packet.dts is None:  # the demuxer's flush packet
                    continue
                packet.stream = streams[packet.stream.index]
                out.mux(packet)
        return out_path.read_bytes()


def poster_frame(data: bytes, seconds: float) -> bytes:
    """A JPEG of the frame a second into the video (a third into a shorter one), at most
    POSTER_WIDTH wide, without metadata."""
    import av

    at = min(POSTER_AT, seconds / 3) if seconds else 0.0
    image = None
    with av.open(io.BytesIO(data), metadata_errors="ignore") as c:
        stream = c.streams.video[0]
        for frame in c.decode(stream):
            image = frame.to_image()
            if frame.time is not None and frame.time >= at:
                break
    if image is None:  # validated: an H.264 stream with frames; kept total all the same
        raise ValueError("no frame")
    image = image.convert("RGB")
    if image.width > POSTER_WIDTH:
        image = image.resize((POSTER_WIDTH, round(image.height * POSTER_WIDTH / image.width)),
                             Image.Resampling.LANCZOS)
    image.info = {}
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=78, optimize=True, progressive=True)
    return buf.getvalue()


def brand_videos(brand) -> list[dict]:
    """Every video a brand's page shows: the brand's own, then its people's and its venues'."""
    return (list(brand.get("videos", []))
            + [v for p in brand.get("people", []) for v in p.get("videos", [])]
            + [v for p in brand.get("venues", []) for v in p.get("videos", [])])
