"""The venue map: the outline setting checked at its line (inside the project, polygons in
longitude and latitude, a size limit), and the drawn SVG with one numbered marker per venue
with coordinates, a text list beside it, and hostile names escaped."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import DEMO_DATE, assert_built
from sitecopy import DEMO, copy_demo

from site_builder.build import build_site
from site_builder.load.outline import MAX_OUTLINE_BYTES
from site_builder.load.settings import load_settings

SVG = "{http://www.w3.org/2000/svg}"
SQUARE = [[[0.0, 0.0], [0.01, 0.0], [0.01, 0.01], [0.0, 0.01], [0.0, 0.0]]]


def outline(features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def feature(geometry, name="虚构区") -> dict:
    return {"type": "Feature", "properties": {"name": name}, "geometry": geometry}


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    text = (DEMO / "settings.yml").read_text(encoding="utf-8")
    (root / "settings.yml").write_text(re.sub(r"(?m)^venue_map:\n  outline: .*\n", "", text),
                                       encoding="utf-8")  # each test writes its own
    (root / "assets").mkdir()
    for name in ("logo.png", "favicon.png"):
        (root / "assets" / name).write_bytes((DEMO / "assets" / name).read_bytes())
    (root / "geo").mkdir()
    return root


def settings_line(root: Path) -> int:
    lines = (root / "settings.yml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith("outline:"))


@pytest.mark.parametrize("content, code, words", [
    (None, "S030", "找不到地图轮廓文件"),
    (outline([feature({"type": "LineString", "coordinates": [[0, 0], [1, 1]]})]), "S031",
     "Polygon 或 MultiPolygon"),
    (outline([feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]})]), "S031",
     "少于 4 个点"),
    (outline([feature({"type": "Polygon", "coordinates": [[["0", 0], [1, 0], [1, 1], [0, 0]]]})]),
     "S031", "不是 [经度, 纬度]"),
    (outline([feature({"type": "Polygon", "coordinates": [[[23.1, 113.2], [23.2, 113.2],
                                                           [23.2, 113.3], [23.1, 113.2]]]})]),
     "S032", "超出范围"),
    ("{not json", "S031", "不是 UTF-8 编码的 JSON"),
    (outline([]), "S031", "没有区域"),
    (" " * (MAX_OUTLINE_BYTES + 1), "S033", "超过上限"),
])
def test_a_bad_outline_is_named_at_the_setting(project, content, code, words):
    with (project / "settings.yml").open("a", encoding="utf-8") as f:
        f.write("\nvenue_map:\n  outline: geo/outline.geojson\n")
    if content is not None:
        (project / "geo" / "outline.geojson").write_text(content, encoding="utf-8")
    settings, diags = load_settings(project)
    assert settings is None
    assert [(d.code, d.line, d.field) for d in diags] == [(code, settings_line(project),
                                                           "venue_map.outline")]
    assert words in diags[0].message


def test_an_outline_outside_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "outside.geojson"
    outside.write_text(outline([feature({"type": "Polygon", "coordinates": SQUARE})]),
                       encoding="utf-8")
    os.symlink(outside, project / "geo" / "link.geojson")
    with (project / "settings.yml").open("a", encoding="utf-8") as f:
        f.write("\nvenue_map:\n  outline: geo/link.geojson\n")
    settings, diags = load_settings(project)
    assert settings is None and [d.code for d in diags] == ["S030"]
    assert "不在项目文件夹中" in diags[0].message
    text = (project / "settings.yml").read_text(encoding="utf-8")
    (project / "settings.yml").write_text(text.replace("geo/link.geojson", "../outside.geojson"),
                                          encoding="utf-8")
    settings, diags = load_settings(project)
    assert settings is None and [d.code for d in diags] == ["S005"]  # `..` refused by its pattern


def test_a_realistic_outline_is_accepted(project):
    (project / "geo" / "outline.geojson").write_text(outline([
        feature({"type": "Polygon", "coordinates": SQUARE}, "甲区"),
        feature({"type": "MultiPolygon", "coordinates": [SQUARE, SQUARE]}, "乙区")]),
        encoding="utf-8")
    with (project / "settings.yml").open("a", encoding="utf-8") as f:
        f.write("\nvenue_map:\n  outline: geo/outline.geojson\n")
    settings, diags = load_settings(project)
    assert diags == [] and settings.get("venue_map") == {"outline": "geo/outline.geojson"}


HOSTILE_VENUE = """venues:
  - name: "<script>alert(1)</script>示例&场所"
    lat: 0.01
    lng: -0.02
    type: 服务站
    district: 明湖区
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("map") / "project")
    brand = root / "brands" / "shili-minghu-chushi.md"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(text.replace("media:\n", HOSTILE_VENUE + "media:\n", 1), encoding="utf-8")
    geo = root / "geo" / "outline.geojson"
    data = json.loads(geo.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["name"] = "</text><script>alert(2)</script>"
    geo.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    return root / "site"


def map_parts(site: Path):
    page = (site / "venues" / "map" / "index.html").read_text(encoding="utf-8")
    svg_text = re.search(r"<svg class=\"lb-venue-map\".*?</svg>", page, re.DOTALL).group(0)
    return page, ET.fromstring(svg_text)


def test_one_numbered_marker_per_venue_with_a_list_beside(site):
    page, svg = map_parts(site)
    markers = svg.findall(f"{SVG}g")
    assert len(markers) == 6  # the demo's five venues and the added one
    numbers = [m.get("data-venue") for m in markers]
    assert numbers == [str(n) for n in range(1, 7)]
    items = re.findall(r'<li value="(\d+)"><strong>([^<]*)</strong>', page)
    assert [n for n, _ in items] == numbers
    for marker, (_, name) in zip(markers, items, strict=True):  # the same venue, the same number
        assert marker.find(f"{SVG}title").text.endswith(
            name.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
        assert marker.find(f"{SVG}text").text == marker.get("data-venue")
    assert len(svg.findall(f"{SVG}path")) == 6  # the six fictional districts
    assert svg.get("role") == "img" and svg.find(f"{SVG}desc").text.startswith("共 6 处场所")
    x, y = (float(svg.findall(f"{SVG}g")[0].find(f"{SVG}circle").get(a)) for a in ("cx", "cy"))
    width, height = map(float, svg.get("viewBox").split()[2:])
    assert 0 <= x <= width and 0 <= y <= height


def test_hostile_names_stay_text(site):
    page, svg = map_parts(site)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;示例&amp;场所" in page
    # an area's name is cut to 20 characters, and stays text
    assert svg.find(f"{SVG}path").find(f"{SVG}title").text == "</text><script>alert(2)</script>"[:20]


def test_the_venues_page_links_to_the_map(site):
    venues = (site / "venues" / "index.html").read_text(encoding="utf-8")
    assert 'href="../venues/map/"' in venues


def test_without_coordinates_there_is_no_map(tmp_path):
    root = copy_demo(tmp_path / "project")
    for f in (root / "brands").glob("*.md"):
        text = f.read_text(encoding="utf-8")
        f.write_text(re.sub(r"(?m)^    (lat|lng): .*\n", "", text), encoding="utf-8")
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    assert not (root / "site" / "venues" / "map").exists()
    assert "venues/map/" not in (root / "site" / "venues" / "index.html").read_text(encoding="utf-8")
