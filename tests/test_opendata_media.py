"""Open data for issue 28's records: videos' titles and lengths in data/brands.json (the brand's,
its shown people's and its venues'; never a record's file paths), public news and events in
data/news.json (never their schedule, editor's note or a person without a page)."""

from __future__ import annotations

import json

import pytest
from conftest import DEMO_DATE
from sitecopy import copy_demo

from site_builder.project import load_project
from site_builder.render import opendata
from site_builder.render.news import public_news
from site_builder.render.videos import VideoView


@pytest.fixture(scope="module")
def project_root(tmp_path_factory):
    return copy_demo(tmp_path_factory.mktemp("opendata") / "project", full=False)


def _fake_video_of(brand, video):
    # what the build would read from the file: a fictional 125.4-second clip
    view = VideoView(f"brands/{brand.slug}/{video['path']}", f"brands/{brand.slug}/p.jpg", 320, 180,
                     None, 125.4)
    return opendata.video_data(view, "https://shili.example.org/")


def test_the_demo_s_brands_json_lists_every_video_with_its_length(demo_site):
    data = json.loads((demo_site / "data/brands.json").read_text(encoding="utf-8"))
    brands = {b["slug"]: b for b in data["brands"]}
    (video,) = brands["shili-qingxi-jiazheng"]["videos"]
    assert video["title"] == "示例·青溪家政服务站一日（示意视频）"
    assert video["duration"] == "PT4S" and abs(video["seconds"] - 4) < 0.2
    assert video["file"].endswith("brands/shili-qingxi-jiazheng/intro.mp4")
    assert video["captions"].endswith("intro.zh.vtt") and "path" not in video
    chayi = brands["shili-yunling-chayi"]
    assert "videos" not in chayi  # its clips belong to its person and its venue
    (person,) = [p for p in chayi["people"] if p["name"] == "林示例"]
    assert [v["title"] for v in person["videos"]] == ["林示例谈茶艺教学（示意视频）"]
    assert "consent" not in person and "photo" not in person
    assert [v["title"] for v in chayi["venues"][0]["videos"]] == ["示例云岭茶文化体验馆一览（示意视频）"]
    for b in data["brands"]:  # every published file the JSON names is a file of the site
        for v in b.get("videos", []) + [v for g in ("people", "venues") for x in b.get(g, [])
                                        for v in x.get("videos", [])]:
            for key in ("file", "poster", "captions"):
                assert (demo_site / v[key].removeprefix("https://shili.example.org/")).is_file()


def test_a_person_not_shown_takes_their_videos_out_with_them(project_root):
    # Validation refuses a person without consent or an official source (B085); open data
    # holds the line on its own all the same, as the site's pages do (person_is_public).
    project = load_project(project_root, DEMO_DATE)
    brand = next(b for b in project.brands if b.slug == "shili-yunling-chayi")
    shown = opendata.brand_record(brand, "u", _fake_video_of)
    assert shown["people"][0]["videos"][0]["title"] == "林示例谈茶艺教学（示意视频）"
    del brand.data["people"][0]["consent"]
    out = opendata.brand_record(brand, "u", _fake_video_of)
    assert "people" not in out
    assert out["venues"][0]["videos"][0]["duration"] == "PT2M5S"
    assert out["venues"][0]["videos"][0]["seconds"] == 125.4
    text = json.dumps(out, ensure_ascii=False)
    assert "林示例" not in text and "lin-story" not in text


def test_news_json_holds_public_items_and_only_public_parts(project_root):
    project = load_project(project_root, DEMO_DATE)
    items = public_news(project.news)
    assert items and len(items) < len(project.news)  # the demo's draft is left out
    shown = {"shili-songtao-jigong/zhou-shili": "https://x.example.org/people/p/"}
    raw = opendata.news_json(items, lambda n: f"https://x.example.org/news/{n.slug}/",
                             {b.slug: f"https://x.example.org/brands/{b.slug}/"
                              for b in project.brands}.get, shown.get)
    data = json.loads(raw)
    assert data["count"] == len(items) == len(data["news"])
    assert [n["slug"] for n in data["news"]] == [n.slug for n in items]
    for n in data["news"]:
        assert set(n) <= set(opendata.PUBLIC_NEWS) | {"slug", "url", "event", "brands", "people"}
        assert n["url"] == f"https://x.example.org/news/{n['slug']}/"
        assert set(n.get("people", [])) <= set(shown.values())
    assert any(n["event"] for n in data["news"]) and "editor_note" not in raw.decode()
    assert "caogao" not in raw.decode()  # the draft's slug


def test_the_about_page_offers_the_news_data_and_the_calendar(demo_site):
    page = (demo_site / "about/index.html").read_text(encoding="utf-8")
    assert 'href="../data/news.json"' in page and 'href="../events.ics"' in page
    data = json.loads((demo_site / "data/news.json").read_text(encoding="utf-8"))
    assert data["count"] >= 3
    assert all(n["url"].startswith("https://shili.example.org/news/") for n in data["news"])
