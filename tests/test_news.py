"""News and events: the record's validation (messages at the line), upcoming and past by the
build date, the events' calendar read back with the `icalendar` library, the feed, the people
pages, and hostile text escaped everywhere."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
from conftest import DEMO_DATE, assert_built
from sitecopy import copy_demo

from site_builder.build import build_site
from site_builder.project import load_project
from site_builder.render.news import fold, ics_text, split_news

GOOD = """---
slug: {slug}
title: 示例活动（虚构）
kind: 推介会
summary: 演示用的虚构活动。
status: 已发布
date: 2026-12-20
{extra}---
虚构的正文。
"""

HOSTILE_TITLE = r"示例,活动;分号\反斜杠 <b>"  # < > are refused in titles: used in the summary
HOSTILE = """---
slug: hostile
title: 示例,活动;分号\\反斜杠（虚构）
kind: 论坛
summary: "<script>alert(1)</script> & 虚构的摘要, 带逗号; 分号"
status: 已发布
date: 2026-12-05
time: "14:00"
end_time: "15:30"
place: "示例路 1 号, 二楼; 会议室 \\\\ 东侧（虚构）"
organiser: 示例单位<img src=x onerror=alert(1)>（虚构）
brands: [shili-yunling-chayi]
people: [shili-yunling-chayi/lin-shili]
---
虚构的正文，`<b>` 写在代码里。
"""


def write(root: Path, slug: str, text: str) -> None:
    (root / "news").mkdir(exist_ok=True)
    (root / "news" / f"{slug}.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory) -> Path:
    return copy_demo(tmp_path_factory.mktemp("news") / "project", full=False)


def diagnostics_of(root: Path, slug: str, extra: str, date: dt.date = DEMO_DATE):
    write(root, slug, GOOD.format(slug=slug, extra=extra))
    try:
        project = load_project(root, date)
    finally:
        (root / "news" / f"{slug}.md").unlink()
    return [d for d in project.diagnostics if d.path == f"news/{slug}.md"], project


@pytest.mark.parametrize("extra, code, line, words", [
    ("brands: [shili-yunling-chayee]\n", "N002", 8, "shili-yunling-chayi"),
    ("people: [shili-yunling-chayi/nobody]\n", "N003", 8, "lin-shili"),
    ("people: [nowhere/lin-shili]\n", "N003", 8, "brands/nowhere.md"),
    ("people: [shili-yunling-chayi]\n", "B005", 8, "品牌网址名/人物编号"),
    ("end_date: 2026-12-01\n", "N004", 8, "早于开始日期"),
    ("end_time: \"10:00\"\n", "N005", 8, "没有开始时间"),
    ("time: \"10:00\"\nend_time: \"09:00\"\n", "N005", 9, "不晚于开始时间"),
    ("time: \"25:00\"\n", "B005", 8, "时:分"),
    ("place: 示例路 1 号，联系 13800138000\n", "P002", 8, ""),
    ("images: [{path: missing.jpg, alt: 虚构的活动现场示意图}]\n", "B010", 8, "missing.jpg"),
    ("publish_from: 2026-12-10\npublish_until: 2026-12-01\n", "B021", 9, "不晚于上线日期"),
])
def test_a_bad_field_is_named_at_its_line(demo_copy, extra, code, line, words):
    diags, _ = diagnostics_of(demo_copy, "bad", extra)
    found = [d for d in diags if d.code == code]
    assert found, [d.format() for d in diags]
    assert found[0].line == line, found[0].format()
    assert words in found[0].message


def test_kinds_slug_and_plain_news(demo_copy):
    write(demo_copy, "other-name", GOOD.format(slug="some-slug", extra=""))
    write(demo_copy, "wrong-kind", GOOD.format(slug="wrong-kind", extra="").replace(
        "kind: 推介会", "kind: 发布会"))
    write(demo_copy, "plain", GOOD.format(slug="plain", extra="time: \"10:00\"\n").replace(
        "kind: 推介会", "kind: 新闻"))
    try:
        project = load_project(demo_copy, DEMO_DATE)
    finally:
        for s in ("other-name", "wrong-kind", "plain"):
            (demo_copy / "news" / f"{s}.md").unlink()
    by = {(d.path, d.code): d for d in project.diagnostics}
    assert by[("news/other-name.md", "N001")].line == 2
    assert "发布会" in by[("news/wrong-kind.md", "B004")].message
    assert by[("news/wrong-kind.md", "B004")].line == 4
    assert by[("news/plain.md", "N005")].line == 8


def test_a_script_in_the_text_is_refused_at_its_line(demo_copy):
    write(demo_copy, "script", GOOD.format(slug="script", extra="").replace(
        "虚构的正文。", "虚构的正文。\n\n<script>alert(2)</script>"))
    try:
        project = load_project(demo_copy, DEMO_DATE)
    finally:
        (demo_copy / "news" / "script.md").unlink()
    found = [d for d in project.diagnostics if d.path == "news/script.md"]
    assert [(d.code, d.line) for d in found] == [("P004", 11)]
    assert "script" not in [n.slug for n in project.news]


def test_realistic_items_are_accepted(demo_copy):
    diags, project = diagnostics_of(demo_copy, "good", (
        "end_date: 2026-12-21\ntime: \"09:00\"\nend_time: \"12:00\"\nplace: 示例会展中心（虚构）\n"
        "organiser: 示例单位（虚构）\nbrands: [shili-yunling-chayi]\n"
        "people: [shili-yunling-chayi/lin-shili]\n"))
    assert diags == []
    assert "good" in [n.slug for n in project.news]
    assert not [d.format() for d in project.diagnostics if d.severity.value == "error"]


def test_a_link_to_a_brand_not_public_is_a_warning(demo_copy):
    brand = demo_copy / "brands" / "shili-bailu-dianshang.md"
    before = brand.read_text(encoding="utf-8")
    brand.write_text(before.replace("status: 已发布", "status: 草稿"), encoding="utf-8")
    try:
        diags, project = diagnostics_of(demo_copy, "draft-link", "brands: [shili-bailu-dianshang]\n")
    finally:
        brand.write_text(before, encoding="utf-8")
    assert [(d.code, d.severity.value, d.line) for d in diags] == [("N006", "warning", 8)]
    assert "draft-link" in [n.slug for n in project.news]


def test_a_person_id_is_unique_in_its_record(demo_copy):
    brand = demo_copy / "brands" / "shili-yunling-chayi.md"
    before = brand.read_text(encoding="utf-8")
    person = re.search(r"  - name: 林示例\n(    .*\n)+", before).group(0)
    doubled = before.replace(person, person + person.replace("林示例", "林示例二"))
    brand.write_text(doubled, encoding="utf-8")
    try:
        project = load_project(demo_copy, DEMO_DATE)
    finally:
        brand.write_text(before, encoding="utf-8")
    dup = [d for d in project.diagnostics if d.code == "B060"]
    assert len(dup) == 1 and "lin-shili" in dup[0].message
    assert doubled.splitlines()[dup[0].line - 1].strip() == "id: lin-shili"


def test_upcoming_and_past_follow_the_build_date():
    project = load_project(copy_demo_once(), DEMO_DATE)
    items = [n for n in project.news if n.published]
    up, past = split_news(items, dt.date(2026, 12, 1))
    assert [n.slug for n in up] == ["2026-jiazheng-tuijiehui", "2027-jigong-peixun"]
    assert [n.slug for n in past] == ["2026-chushi-xinwen", "2026-chayi-dasai"]
    up, past = split_news(items, dt.date(2027, 1, 14))  # the training's last day: still on
    assert [n.slug for n in up] == ["2027-jigong-peixun"]
    up, past = split_news(items, dt.date(2027, 1, 15))
    assert up == [] and len(past) == 4
    assert "2027-caogao" not in [n.slug for n in items]  # a draft is never public


_DEMO_COPY: list[Path] = []


def copy_demo_once() -> Path:
    if not _DEMO_COPY:
        import tempfile

        _DEMO_COPY.append(copy_demo(Path(tempfile.mkdtemp(prefix="news-demo-")) / "p", full=False))
    return _DEMO_COPY[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The demo with a hostile item, built with a public address."""
    root = copy_demo(tmp_path_factory.mktemp("news-site") / "project")
    write(root, "hostile", HOSTILE)
    settings = root / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^  url: .*$', "  url: https://news.example.org/", text, count=1)
    settings.write_text(text, encoding="utf-8")
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    return root / "site"


def test_the_calendar_parses_and_holds_each_public_event(site):
    raw = (site / "events.ics").read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    assert set(events) == {"news-2026-chayi-dasai", "news-2026-jiazheng-tuijiehui",
                           "news-2027-jigong-peixun", "news-hostile"}  # no plain news, no draft
    assert all(str(e["UID"]).endswith("@news.example.org") for e in events.values())
    timed = events["news-2026-jiazheng-tuijiehui"]
    start = timed.decoded("DTSTART")
    assert start == dt.datetime(2026, 12, 10, 9, 30, tzinfo=start.tzinfo)
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert timed.decoded("DTEND").hour == 16
    all_day = events["news-2027-jigong-peixun"]
    assert all_day.decoded("DTSTART") == dt.date(2027, 1, 12)
    assert all_day.decoded("DTEND") == dt.date(2027, 1, 15)  # the day after the last
    hostile = events["news-hostile"]
    assert str(hostile["SUMMARY"]) == "示例,活动;分号\\反斜杠（虚构）"
    assert str(hostile["LOCATION"]) == "示例路 1 号, 二楼; 会议室 \\ 东侧（虚构）"
    assert str(hostile["URL"]) == "https://news.example.org/news/hostile/"
    assert hostile["DTSTAMP"].dt == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def test_folding_never_splits_a_character():
    line = "DESCRIPTION:" + ics_text("示例,文字;" * 40)
    folded = fold(line).encode("utf-8")
    parts = folded.split(b"\r\n")
    assert len(parts) > 3 and all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:])
    assert b"".join(p[1:] if i else p for i, p in enumerate(parts)).decode("utf-8") == line


def test_the_news_pages_split_by_date_and_escape(site):
    index = (site / "news" / "index.html").read_text(encoding="utf-8")
    upcoming, past = index.split("往期动态", 1)
    assert "示例市家政服务品牌推介会" in upcoming and "数控技工冬季提升培训班" in upcoming
    assert "示例·明湖厨师品牌新增两处实训点" in past and "第一届茶艺技能大赛" in past
    assert "尚未定稿的论坛" not in index  # the draft
    page = (site / "news" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)" in page
    assert 'href="../../people/shili-yunling-chayi/lin-shili/"' in page
    assert 'href="../../brands/shili-yunling-chayi/"' in page


def test_feed_holds_the_items(site):
    root = ET.parse(site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = [e.find("a:link", ns).get("href") for e in root.findall("a:entry", ns)]
    assert "https://news.example.org/news/hostile/" in links
    assert "https://news.example.org/news/2026-chushi-xinwen/" in links
    assert not any("caogao" in link for link in links)
    summaries = [e.findtext("a:summary", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert any(s.startswith("<script>alert(1)</script> & 虚构") for s in summaries)  # text, parsed
    assert b"<script>" not in (site / "feed.xml").read_bytes()


def test_brand_and_person_pages_list_their_items(site):
    brand = (site / "brands" / "shili-yunling-chayi" / "index.html").read_text(encoding="utf-8")
    assert "相关动态" in brand and 'href="../../news/2026-chayi-dasai/"' in brand
    assert 'href="../../people/shili-yunling-chayi/lin-shili/"' in brand
    person = (site / "people" / "shili-yunling-chayi" / "lin-shili" / "index.html").read_text(
        encoding="utf-8")
    assert "虚构的高级茶艺师" in person and "传承人" in person
    assert 'href="../../../news/2026-chayi-dasai/"' in person
    assert 'href="../../../brands/shili-yunling-chayi/"' in person


def test_the_people_directory_links_to_every_person_page(site):
    directory = (site / "people" / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="\.\./(people/[^"]+/)"', directory))
    pages = {p.parent.relative_to(site).as_posix() + "/"
             for p in (site / "people").glob("*/*/index.html")}
    assert pages and links >= pages
    assert "people/shili-yunling-zhubian/1/" in pages  # a person without an id: their position


def test_the_section_has_a_tab_only_with_items(tmp_path):
    root = copy_demo(tmp_path / "project")
    for f in (root / "news").glob("*.md"):
        f.unlink()
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="news/"' not in home
    assert not (root / "site" / "events.ics").exists()
