"""The venue map: the outline setting checked at its line (inside the project, polygons in
longitude and latitude, a size limit), and the drawn SVG with one numbered marker per venue
with coordinates, a text list beside it, and hostile names escaped."""

from __future__ import annotations

import json
import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import DEMO_DATE, assert_built
from sitecopy import DEMO, copy_demo

from site_builder.build import build_site
from site_builder.load.outline import MAX_OUTLINE_BYTES, Area
from site_builder.load.settings import load_settings
from site_builder.render import venue_map

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


# -- placement: area names where no marker is, markers readable on a phone -----------------------

def path_rings(d: str) -> list[list[tuple[float, float]]]:
    """The rings of an area's drawn path ("M x y L x y … Z" per ring), in viewBox units."""
    return [[(float(x), float(y)) for x, y in re.findall(r"([-\d.]+) ([-\d.]+)", part)]
            for part in d.split("Z") if part.strip()]


def drawn(svg):
    """The drawn areas (name, rings), labels (name, box) and markers (number, x, y, r)."""
    areas = [(p.find(f"{SVG}title").text, path_rings(p.get("d"))) for p in svg.findall(f"{SVG}path")]
    labels = [(t.text, venue_map.label_box(float(t.get("x")), float(t.get("y")), t.text,
                                           float(t.get("font-size"))))
              for t in svg.findall(f"{SVG}text") if t.get("class") == "lb-map-label"]
    markers = [(int(g.get("data-venue")), *(float(g.find(f"{SVG}circle").get(a))
                                            for a in ("cx", "cy", "r")))
               for g in svg.findall(f"{SVG}g")]
    return areas, labels, markers


def assert_clear(svg) -> None:
    """No marker's circle (its white ring included) touches an area's name, no two names and no
    two markers overlap, and every name's box lies inside the picture."""
    _, labels, markers = drawn(svg)
    width, height = map(float, svg.get("viewBox").split()[2:])
    reach = venue_map.MARKER_R + venue_map.MARKER_STROKE / 2
    for name, box in labels:
        assert 0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height, name
        for n, x, y, _ in markers:
            assert not venue_map.circle_hits_box(x, y, reach, box), (name, n)
    for i, (a, box) in enumerate(labels):
        for b, other in labels[i + 1:]:
            assert not venue_map.boxes_overlap(box, other), (a, b)
    for i, (a, x, y, _) in enumerate(markers):
        for b, x2, y2, _ in markers[i + 1:]:
            assert math.hypot(x - x2, y - y2) >= 2 * reach, (a, b)


def test_the_demo_map_keeps_names_clear_of_markers_and_markers_in_their_area(demo_site):
    page, svg = map_parts(demo_site)
    areas, labels, markers = drawn(svg)
    assert [name for name, _ in labels] == [name for name, _ in areas]  # every area named once
    assert_clear(svg)
    rings = dict(areas)
    for name, box in labels:  # each name inside its own area
        corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
        assert all(venue_map.inside(x, y, rings[name]) for x, y in corners), name
    districts = dict(re.findall(r'<li value="(\d+)"><strong>[^<]*</strong>（[^，]*，([^）]*)）', page))
    assert len(districts) == len(markers) == 5
    assert svg.find(f"{SVG}line") is None  # no demo marker needed to move
    for n, x, y, _ in markers:  # each marker drawn inside the district its venue names
        assert venue_map.inside(x, y, rings[districts[str(n)]]), n


def test_markers_and_names_are_readable_on_a_phone(demo_site):
    _, svg = map_parts(demo_site)
    width = float(svg.get("viewBox").split()[2])
    px = venue_map.PHONE_WIDTH / width  # CSS pixels per viewBox unit on a 360 px screen
    for g in svg.findall(f"{SVG}g"):
        assert 2 * float(g.find(f"{SVG}circle").get("r")) * px >= 18
        assert float(g.find(f"{SVG}text").get("font-size")) * px >= 11.5
    for t in svg.findall(f"{SVG}text"):
        if t.get("class") == "lb-map-label":
            assert float(t.get("font-size")) * px >= 12.5
            assert t.get("paint-order") == "stroke" and t.get("stroke") == "#fff"  # a halo


def square_area(name: str = "示例甲区") -> Area:
    return Area(name, (tuple(tuple((float(x), float(y)) for x, y in ring) for ring in SQUARE),))


def synthetic(venues: list[tuple[float, float]]) -> ET.Element:
    svg = venue_map.map_svg([square_area()], [venue_map.MapVenue(n, f"虚构场所{n}", lon, lat)
                                              for n, (lon, lat) in enumerate(venues, 1)],
                            "示例", "示例")
    return ET.fromstring(str(svg))


def test_a_name_moves_off_a_marker_on_its_best_point():
    free = synthetic([(0.0005, 0.0005)])  # a marker in a corner: the name at the square's middle
    [(_, box)] = drawn(free)[1]
    width, height = map(float, free.get("viewBox").split()[2:])
    assert abs((box[0] + box[2]) / 2 - width / 2) < 1 and abs((box[1] + box[3]) / 2 - height / 2) < 20
    covered = synthetic([(0.005, 0.005)])  # a marker on that middle: the name goes elsewhere
    assert_clear(covered)
    [(_, moved)] = drawn(covered)[1]
    assert moved != box and venue_map.box_inside(moved, drawn(covered)[0][0][1])
    again = venue_map.map_svg([square_area()], [venue_map.MapVenue(1, "虚构场所1", 0.005, 0.005)],
                              "示例", "示例")
    assert ET.tostring(covered) == ET.tostring(ET.fromstring(str(again)))  # same input, same map


def test_markers_at_one_place_are_moved_apart_with_a_line_back():
    svg = synthetic([(0.004, 0.006)] * 3 + [(0.0041, 0.006)])
    assert_clear(svg)
    areas, _, markers = drawn(svg)
    lines = svg.findall(f"{SVG}line")
    assert len(lines) == 3  # the first stays, the others point back to their true place
    assert {(float(ln.get("x1")), float(ln.get("y1"))) for ln in lines[:2]} == {markers[0][1:3]}
    for _, x, y, _ in markers:  # moved aside but still inside their area
        assert venue_map.inside(x, y, areas[0][1])


def test_a_crowded_area_still_shows_its_name_with_a_halo():
    svg = synthetic([(0.001 * i + 0.0005, 0.001 * j + 0.0005) for i in range(10) for j in range(10)])
    _, labels, markers = drawn(svg)
    assert len(markers) == 100 and [name for name, _ in labels] == ["示例甲区"]
    label = next(t for t in svg.findall(f"{SVG}text") if t.get("class") == "lb-map-label")
    assert label.get("paint-order") == "stroke" and float(label.get("stroke-width")) > 0
    sizes = [float(g.find(f"{SVG}text").get("font-size")) for g in svg.findall(f"{SVG}g")]
    assert sizes[99] < sizes[98]  # a three-digit number is drawn smaller to fit its circle
