"""The venue map: the region's outline and every venue with coordinates drawn as one static SVG
(an equirectangular projection scaled by the cosine of the middle latitude, which at a city's
size differs from Web Mercator by less than a pixel), numbered like the list beside it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..load.outline import Area

WIDTH = 640  # the viewBox's width; the height follows the region's shape
PAD = 24
MARKER_R = 10
MAX_HEIGHT = 900  # a tall region is scaled to fit this


@dataclass(frozen=True)
class MapVenue:
    number: int
    name: str
    lon: float
    lat: float


def located(venues: list[tuple[dict, object]]) -> list[tuple[dict, object]]:
    """The venues that give both coordinates, in the order given."""
    return [(v, b) for v, b in venues if v.get("lat") is not None and v.get("lng") is not None]


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

    out = [(f'<svg class="lb-venue-map" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-labelledby="lb-map-title lb-map-desc" xmlns="http://www.w3.org/2000/svg">'),
           f'<title id="lb-map-title">{escape(title)}</title>',
           f'<desc id="lb-map-desc">{escape(desc)}</desc>']
    for a in areas:
        d = " ".join("M" + " L".join(f"{x} {y}" for x, y in (xy(*p) for p in ring)) + " Z"
                     for poly in a.polygons for ring in poly)
        out.append(f'<path class="lb-map-area" d="{d}" fill="#eef3ea" stroke="#5b7a52" '
                   f'stroke-width="1.5" fill-rule="evenodd"><title>{escape(a.name)}</title></path>')
    for a in areas:
        if a.name:
            ring = a.polygons[0][0]
            x, y = xy(sum(p[0] for p in ring[:-1]) / (len(ring) - 1),
                      sum(p[1] for p in ring[:-1]) / (len(ring) - 1))
            out.append(f'<text class="lb-map-label" x="{x}" y="{y}" text-anchor="middle" '
                       f'font-size="15" fill="#3d5236" aria-hidden="true">{escape(a.name)}</text>')
    for v in venues:
        x, y = xy(v.lon, v.lat)
        out.append(f'<g class="lb-map-marker" data-venue="{v.number}"><title>{v.number}. '
                   f'{escape(v.name)}</title><circle cx="{x}" cy="{y}" r="{MARKER_R}" '
                   f'fill="#b3261e" stroke="#fff" stroke-width="2"/><text x="{x}" y="{y + 4.5}" '
                   f'text-anchor="middle" font-size="12" font-weight="700" fill="#fff" '
                   f'aria-hidden="true">{v.number}</text></g>')
    out.append("</svg>")
    return Markup("".join(out))
