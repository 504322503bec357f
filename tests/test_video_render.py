"""Videos as published: the demo's brand page shows its generated clip in a `<video>` that loads
nothing but its poster until play, with Chinese captions; the published MP4 is the same
streams without the source's metadata; a poster frame is taken from the video when none is given."""

from __future__ import annotations

import importlib.util
import io
from html.parser import HTMLParser

import av
import pytest
from PIL import Image, ImageChops, ImageStat
from sitecopy import REPO

from site_builder.render import videos
from site_builder.render.images import Encoder
from site_builder.validate.videos import caption_problem, read_video

_spec = importlib.util.spec_from_file_location("make_demo_video", REPO / "tools" / "make_demo_video.py")
make_demo_video = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_demo_video)

DEMO_BRAND = "shili-qingxi-jiazheng"


class _Media(HTMLParser):
    """The attributes of every <video> of a page and of the <source> and <track> inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "video" or (self.inside and tag in ("source", "track")):
            self.tags.append((tag, dict(attrs)))
        self.inside = self.inside or tag == "video"

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "video"


def _media(html: str) -> list[tuple[str, dict]]:
    parser = _Media()
    parser.feed(html)
    return parser.tags


def test_the_demo_brand_page_shows_its_video_light_until_play(demo_site):
    page = demo_site / "brands" / DEMO_BRAND / "index.html"
    tags = _media(page.read_text(encoding="utf-8"))
    assert [t for t, _ in tags] == ["video", "source", "track"], tags
    (_, video), (_, source), (_, track) = tags
    assert video["preload"] == "none" and "controls" in video and "autoplay" not in video
    assert video["aria-label"].startswith("视频：") and video["width"] == "320"
    assert source["type"] == "video/mp4" and source["src"].endswith(f"brands/{DEMO_BRAND}/intro.mp4")
    assert track["kind"] == "captions" and track["srclang"] == "zh-CN" and track["label"] == "中文字幕"
    folder = page.parent
    # every address is a file of the site: the poster a JPEG of the video's size, the captions
    # well formed for the clip's length, the video an H.264/AAC MP4 as validation requires
    poster = folder / video["poster"].rsplit("/", 1)[1]
    with Image.open(poster) as im:
        assert im.format == "JPEG" and im.size == (320, 180)
    mp4 = folder / "intro.mp4"
    info = read_video(mp4)
    assert abs(info.duration - 4) < 0.2 and info.has_audio
    assert caption_problem(folder / "intro.zh.vtt", info.duration) is None
    assert "时长 4 秒" in page.read_text(encoding="utf-8")


def test_the_published_video_keeps_its_streams_and_drops_the_phones_metadata(tmp_path):
    src = make_demo_video.encode_clip(
        tmp_path / "phone.mp4", seconds=2,
        metadata={"location": "+22.1000+113.2000/", "comment": "虚构的拍摄说明", "title": "示例"})
    with av.open(str(src)) as c:
        assert c.metadata.get("location") and c.metadata.get("comment")
    clean = tmp_path / "clean.mp4"
    clean.write_bytes(videos._remux(src.read_bytes()))
    with av.open(str(clean)) as c, av.open(str(src)) as s:
        kept = {k for k in c.metadata if k not in ("major_brand", "minor_version", "compatible_brands")}
        assert kept == set(), dict(c.metadata)
        assert [st.codec_context.name for st in c.streams] == ["h264", "aac"]
        # the same packets: copied, not encoded again
        assert [bytes(p) for p in c.demux(c.streams.video[0]) if p.size] == \
            [bytes(p) for p in s.demux(s.streams.video[0]) if p.size]
    head = clean.read_bytes()[:64]
    assert head.index(b"moov") < 64  # the index first: playback starts before the whole file


def test_a_poster_frame_is_taken_from_the_video_when_none_is_given(tmp_path):
    src = make_demo_video.encode_clip(tmp_path / "clip.mp4", seconds=3, size=(1280, 720))
    encoder = Encoder(workers=1)
    view, files = videos.plan_video(tmp_path, {"path": "clip.mp4", "captions": "clip.vtt"},
                                    "brands/x", tmp_path / "cache", encoder, None)
    encoder.finish()
    assert view.poster == "brands/x/clip-poster.jpg" and view.captions == "brands/x/clip.vtt"
    assert (view.width, view.height, view.duration, view.iso_duration) == (1280, 720, "3 秒", "PT3S")
    with Image.open(files[view.poster]) as im:
        assert im.format == "JPEG" and im.size == (videos.POSTER_WIDTH, 540)
        assert not im.info.get("exif") and not im.getexif()
        poster = im.convert("RGB")
    # the frame a second in: the drawn frame's moving block is where it was at that time
    with av.open(str(src)) as c:
        frames = [f for f in c.decode(video=0)]
    at_one = next(f for f in frames if f.time >= 1.0).to_image().resize(poster.size)
    last = frames[-1].to_image().resize(poster.size)
    near = ImageStat.Stat(ImageChops.difference(poster, at_one)).mean
    far = ImageStat.Stat(ImageChops.difference(poster, last)).mean
    assert max(near) < 6 and sum(far) > 3 * sum(near), (near, far)


@pytest.mark.parametrize("seconds, said, iso", [(4.2, "4 秒", "PT4S"), (125, "2 分 05 秒", "PT2M5S"),
                                                 (3725, "1 小时 02 分", "PT1H2M5S")])
def test_the_length_is_said_as_a_reader_says_it(seconds, said, iso):
    view = videos.VideoView("v.mp4", "p.jpg", 320, 180, None, seconds)
    assert (view.duration, view.iso_duration) == (said, iso)


def test_a_poster_image_given_in_the_record_is_used_instead_of_a_frame(built_copy):
    from conftest import DEMO_DATE, assert_built

    from site_builder.build import build_site

    record = built_copy / "brands" / f"{DEMO_BRAND}.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace(
        "    captions: intro.zh.vtt\n",
        "    captions: intro.zh.vtt\n    poster: {path: cover.jpg, alt: 示例服务站的示意画面（虚构）}\n"),
        encoding="utf-8")
    assert_built(build_site(built_copy, built_copy / "site", build_date=DEMO_DATE))
    folder = built_copy / "site" / "brands" / DEMO_BRAND
    (_, video), *_ = _media((folder / "index.html").read_text(encoding="utf-8"))
    assert video["poster"].endswith(f"brands/{DEMO_BRAND}/cover-640.jpg")
    assert not (folder / "intro-poster.jpg").exists()
    with Image.open(io.BytesIO((folder / "cover-640.jpg").read_bytes())) as im:
        assert im.width == 640


def test_a_personal_number_in_the_captions_stops_the_build(built_copy):
    from conftest import DEMO_DATE

    from site_builder.build import build_site

    vtt = built_copy / "brands" / DEMO_BRAND / "intro.zh.vtt"
    vtt.write_text(make_demo_video.CAPTIONS + "\n00:00:03.000 --> 00:00:03.900\n联系电话 13912345678（虚构）\n",
                   encoding="utf-8")
    result = build_site(built_copy, built_copy / "site", build_date=DEMO_DATE)
    assert not result.ok
    found = [d for d in result.findings if d.path.endswith("intro.zh.vtt")]
    assert [d.code for d in found] == ["P102"], [d.format() for d in result.findings]


def test_a_persons_video_is_on_their_page_and_a_venues_in_its_venue(demo_site):
    person = (demo_site / "people/shili-yunling-chayi/lin-shili/index.html").read_text(encoding="utf-8")
    tags = _media(person)
    assert [t for t, _ in tags] == ["video", "source", "track"], tags
    assert tags[0][1]["preload"] == "none"
    assert tags[1][1]["src"].endswith("brands/shili-yunling-chayi/people/lin-story.mp4")
    assert (demo_site / "brands/shili-yunling-chayi/people/lin-story.mp4").is_file()
    brand = (demo_site / "brands/shili-yunling-chayi/index.html").read_text(encoding="utf-8")
    main_part, venues = brand.split('<h2 id="venues">', 1)
    # the person's clip among the brand's videos, named; the venue's inside its venue only
    assert "lin-story.mp4" in main_part and "venue-tour.mp4" not in main_part
    assert [a["src"].rsplit("/", 1)[1] for t, a in _media(venues) if t == "source"] == ["venue-tour.mp4"]
    assert 'id="venue-1-video-1"' in venues
    listing = (demo_site / "venues/index.html").read_text(encoding="utf-8")
    assert "<video" not in listing  # the listing stays light: a link to the venue's video
    assert 'shili-yunling-chayi/#venue-1-video-1">观看视频：示例云岭茶文化体验馆一览（示意视频）</a>' in listing
