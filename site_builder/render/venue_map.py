"""The venue map: the region's outline and every venue with coordinates drawn as one static SVG
(an equirectangular projection scaled by the cosine of the middle latitude, which at a city's
size differs from Web Mercator by less than a pixel), numbered like the list beside it.

The SVG fills the figure's width, about 330 px on a 360 px phone, so sizes are chosen in units of
the viewBox for that width: a marker 20 px across with a 12 px number, area names at 13 px. Each
area's name goes where no marker is (the freest point inside the area whose text box touches no
marker and no other name); markers that would overlap are moved aside by a fixed rule and joined
to their true place by a short line."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..load.outline import Area

WIDTH = 640  # the viewBox's width; the height follows the region's shape
MAX_HEIGHT = 900  # a tall region is scaled to fit this
PHONE_WIDTH = 330  # the map's width on a 360 px screen, in CSS pixels


def _units(px: float) -> float:
    """`px` CSS pixels on a phone, in units of the viewBox."""
    return round(px * WIDTH / PHONE_WIDTH, 1)


MARKER_R = _units(10)  # 20 px across on a phone
MARKER_STROKE = 3
MARKER_FONT = _units(12)
LABEL_FONT = _units(13)
LABEL_HALO = 5  # the white outline drawn under an area's name
PAD = MARKER_R + MARKER_STROKE + 4
GRID = 25  # candidate points per side of an area's bounding box (odd: its middle is one)
RING_POINTS = 400  # the label search reads at most this many points of a ring

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class MapVenue:
    number: int
    name: str
    lon: float
    lat: float


def located(venues: list[tuple[dict, object]]) -> list[tuple[dict, object]]:
    """The venues that give both coordinates, in the order given."""
    return [(v, b) for v, b in venues if v.get("lat") is not None and v.get("lng") is not None]


def text_width(text: str, size: float) -> float:
    """A generous estimate of the drawn width: a Chinese character is one em, others 0.6."""
    return sum(size if ord(c) >= 0x2E80 else 0.6 * size for c in text)


def label_box(x: float, y: float, text: str, size: float) -> Box:
    """The box an area's name covers, halo included, when drawn centred at `x` with its
    baseline at `y` (a Chinese glyph rises about 0.9 em above the baseline, 0.15 below)."""
    half = text_width(text, size) / 2 + LABEL_HALO / 2
    return (x - half, y - 0.9 * size - LABEL_HALO / 2, x + half, y + 0.15 * size + LABEL_HALO / 2)


def circle_hits_box(cx: float, cy: float, r: float, box: Box) -> bool:
    nx, ny = min(max(cx, box[0]), box[2]), min(max(cy, box[1]), box[3])
    return (cx - nx) ** 2 + (cy - ny) ** 2 < r * r


def boxes_overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(x: float, y: float, rings: list[Ring]) -> bool:
    """Whether the point is inside the polygon (even-odd over all its rings, as drawn)."""
    hit = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def edge_distance(x: float, y: float, rings: list[Ring]) -> float:
    best = math.inf
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            dx, dy = x2 - x1, y2 - y1
            t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy or 1)))
            best = min(best, math.hypot(x - x1 - t * dx, y - y1 - t * dy))
    return best


def box_inside(box: Box, rings: list[Ring]) -> bool:
    xs, ys = (box[0], (box[0] + box[2]) / 2, box[2]), (box[1], (box[1] + box[3]) / 2, box[3])
    return all(inside(x, y, rings) for x in xs for y in ys)


def _shoelace(ring: Ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1],
                                                                   strict=True))) / 2


def _thin(ring: Ring) -> Ring:
    step = max(1, math.ceil(len(ring) / RING_POINTS))
    return ring[::step]


def place_label(name: str, rings: list[Ring], markers: list[tuple[float, float]],
                taken: list[Box]) -> tuple[float, float]:
    """Where to draw an area's name (its centre and baseline): among a grid of points inside
    the polygon, the one farthest from its edge whose text box fits inside the polygon and
    touches no marker and no name already placed; failing that, the farthest such point whose
    box merely stays clear; failing that, the farthest point (the halo keeps it readable)."""
    thin = [_thin(r) for r in rings]
    xs, ys = [p[0] for p in rings[0]], [p[1] for p in rings[0]]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    grid = [(round(x0 + (i + 0.5) * (x1 - x0) / GRID, 1), round(y0 + (j + 0.5) * (y1 - y0) / GRID, 1))
            for j in range(GRID) for i in range(GRID)]
    scored = sorted(((-round(edge_distance(x, y, thin), 1), y, x) for x, y in grid
                     if inside(x, y, thin)))
    reach = MARKER_R + MARKER_STROKE / 2 + 2

    def at(x: float, y: float) -> tuple[float, Box]:
        base = round(y + 0.375 * LABEL_FONT, 1)  # the box's middle on the point
        return base, label_box(x, base, name, LABEL_FONT)

    def clear(box: Box) -> bool:
        return (not any(circle_hits_box(mx, my, reach, box) for mx, my in markers)
                and not any(boxes_overlap(box, t) for t in taken))

    fallback = None
    for _, y, x in scored:
        base, box = at(x, y)
        if clear(box):
            if box_inside(box, thin):
                taken.append(box)
                return x, base
            fallback = fallback or (x, base, box)
    if fallback is None:
        if not scored:  # too thin for any grid point: the middle of its box
            scored = [(0, round((y0 + y1) / 2, 1), round((x0 + x1) / 2, 1))]
        _, y, x = scored[0]
        base, box = at(x, y)
        fallback = (x, base, box)
    taken.append(fallback[2])
    return fallback[0], fallback[1]


def spread_markers(points: list[tuple[float, float]], shapes: list[list[list[Ring]]],
                   width: float, height: float) -> list[tuple[float, float]]:
    """Each marker at its point unless it would overlap one placed before it: then at the first
    free spot on rings around its point (eight directions, starting upwards), preferring spots
    inside the marker's own area, kept inside the picture."""
    reach = MARKER_R + MARKER_STROKE / 2
    step = 2 * reach + 2
    placed: list[tuple[float, float]] = []
    # the markers placed so far, by square of side `apart`: a marker closer than that to a spot
    # is in the spot's square or one of the eight around it (2,000 venues: 2 s → 0.1 s)
    apart = 2 * reach + 1
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def free(x: float, y: float) -> bool:
        cx, cy = math.floor(x / apart), math.floor(y / apart)
        return all(math.hypot(x - px, y - py) >= apart
                   for gx in (cx - 1, cx, cx + 1) for gy in (cy - 1, cy, cy + 1)
                   for px, py in grid.get((gx, gy), ()))

    for x, y in points:
        spot = (x, y)
        if not free(x, y):
            home = next((poly for shape in shapes for poly in shape if inside(x, y, poly)), None)
            spots = []
            for k in range(1, 6):
                for i in range(8):
                    a = math.radians(-90 + 45 * i)
                    spots.append((round(min(max(x + k * step * math.cos(a), reach), width - reach), 1),
                                  round(min(max(y + k * step * math.sin(a), reach), height - reach), 1)))
            open_spots = [s for s in spots if free(*s)]
            ranked = [s for s in open_spots if home is None or inside(*s, home)] + open_spots
            spot = ranked[0] if ranked else spots[-1]
        placed.append(spot)
        grid.setdefault((math.floor(spot[0] / apart), math.floor(spot[1] / apart)), []).append(spot)
    return placed


def map_svg(areas: list[Area], venues: list[MapVenue], title: str, desc: str) -> Markup:
    """The map as inline SVG: each area a path with its name, each venue a numbered marker."""
    points = [pt for a in areas for poly in a.polygons for ring in poly for pt in ring]
    points += [(v.lon, v.lat) for v in venues]
    if not points:
        return Markup("")
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * kx, 1e-6)
    span_y = max(north - south, 1e-6)
    scale = min((WIDTH - 2 * PAD) / span_x, (MAX_HEIGHT - 2 * PAD) / span_y)
    height = round(span_y * scale + 2 * PAD)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (round(PAD + (lon - west) * kx * scale, 1), round(PAD + (north - lat) * scale, 1))

    shapes = [[[[xy(*p) for p in ring] for ring in poly] for poly in a.polygons] for a in areas]
    true = [xy(v.lon, v.lat) for v in venues]
    spots = spread_markers(true, shapes, WIDTH, height)

    out = [(f'<svg class="lb-venue-map" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-labelledby="lb-map-title lb-map-desc" xmlns="http://www.w3.org/2000/svg">'),
           f'<title id="lb-map-title">{escape(title)}</title>',
           f'<desc id="lb-map-desc">{escape(desc)}</desc>']
    for a, shape in zip(areas, shapes, strict=True):
        d = " ".join("M" + " L".join(f"{x} {y}" for x, y in ring) + " Z"
                     for poly in shape for ring in poly)
        out.append(f'<path class="lb-map-area" d="{d}" fill="#eef3ea" stroke="#5b7a52" '
                   f'stroke-width="1.5" fill-rule="evenodd"><title>{escape(a.name)}</title></path>')
    taken: list[Box] = []
    for a, shape in zip(areas, shapes, strict=True):
        if a.name:
            largest = max(shape, key=lambda poly: _shoelace(poly[0]))
            x, y = place_label(a.name, largest, spots, taken)
            out.append(f'<text class="lb-map-label" x="{x}" y="{y}" text-anchor="middle" '
                       f'font-size="{LABEL_FONT}" font-weight="700" fill="#2f4229" stroke="#fff" '
                       f'stroke-width="{LABEL_HALO}" stroke-linejoin="round" paint-order="stroke" '
                       f'aria-hidden="true">{escape(a.name)}</text>')
    for (x0, y0), (x, y) in zip(true, spots, strict=True):
        if (x0, y0) != (x, y):  # moved aside: a line back to its true place
            out.append(f'<line class="lb-map-leader" x1="{x0}" y1="{y0}" x2="{x}" y2="{y}" '
                       f'stroke="#b3261e" stroke-width="3"/><circle cx="{x0}" cy="{y0}" r="5" '
                       f'fill="#b3261e" stroke="#fff" stroke-width="1.5"/>')
    for v, (x, y) in zip(venues, spots, strict=True):
        size = MARKER_FONT if v.number < 100 else round(MARKER_FONT * 0.75, 1)
        out.append(f'<g class="lb-map-marker" data-venue="{v.number}"><title>{v.number}. '
                   f'{escape(v.name)}</title><circle cx="{x}" cy="{y}" r="{MARKER_R}" '
                   f'fill="#b3261e" stroke="#fff" stroke-width="{MARKER_STROKE}"/><text x="{x}" '
                   f'y="{round(y + 0.36 * size, 1)}" text-anchor="middle" font-size="{size}" '
                   f'font-weight="700" fill="#fff" aria-hidden="true">{v.number}</text></g>')
    out.append("</svg>")
    return Markup("".join(out))
