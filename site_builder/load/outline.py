"""The region's outline for the venue map: a GeoJSON file inside the project, read and checked."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Code

MAX_OUTLINE_BYTES = 2_000_000  # a district map simplified for a phone is far smaller
MAX_POINTS = 100_000


@dataclass(frozen=True)
class Area:
    """One named shape of the outline: its polygons, each a list of rings of (lon, lat)."""

    name: str
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]


class OutlineProblem(Exception):
    def __init__(self, code: Code, message: str) -> None:
        super().__init__(message)
        self.code = code


def read_outline(root: Path, relpath: str) -> list[Area]:
    """The areas of the GeoJSON file at `relpath` in the project `root`; raises OutlineProblem
    (with its code and a Chinese message) when it is outside the project, missing, too large or
    not polygons in longitude and latitude."""
    base = root.resolve()
    path = (root / relpath)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise OutlineProblem(Code.S030, f"找不到地图轮廓文件 {relpath}") from None
    if not real.is_relative_to(base) or not real.is_file():
        raise OutlineProblem(Code.S030, f"地图轮廓文件 {relpath} 不在项目文件夹中（或是指向别处的链接）")
    size = real.stat().st_size
    if size > MAX_OUTLINE_BYTES:
        raise OutlineProblem(Code.S033, f"地图轮廓文件 {relpath} 有 {size // 1000} KB，超过上限 "
                             f"{MAX_OUTLINE_BYTES // 1000} KB")
    try:
        data = json.loads(real.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as e:
        raise OutlineProblem(Code.S031, f"地图轮廓文件 {relpath} 不是 UTF-8 编码的 JSON："
                             f"{str(e)[:80]}") from None
    features = _features(data)
    areas: list[Area] = []
    points = 0
    for i, feature in enumerate(features):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in ("Polygon", "MultiPolygon"):
            raise OutlineProblem(Code.S031, f"第 {i + 1} 个区域的形状是 {_shown(kind)}，"
                                 "只能是 Polygon 或 MultiPolygon")
        coords = geometry.get("coordinates")
        polys = [coords] if kind == "Polygon" else coords
        if not isinstance(polys, list):
            raise OutlineProblem(Code.S031, f"第 {i + 1} 个区域没有坐标列表")
        out = []
        for poly in polys:
            rings = []
            for ring in poly if isinstance(poly, list) else [None]:
                if not isinstance(ring, list) or len(ring) < 4:
                    raise OutlineProblem(Code.S031, f"第 {i + 1} 个区域有一条边界少于 4 个点")
                rings.append(tuple(_point(p, i) for p in ring))
                points += len(ring)
            out.append(tuple(rings))
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        name = props.get("name")
        areas.append(Area(str(name)[:20] if isinstance(name, str | int) else "", tuple(out)))
        if points > MAX_POINTS:
            raise OutlineProblem(Code.S033, f"地图轮廓文件 {relpath} 的点超过 {MAX_POINTS} 个")
    if not areas:
        raise OutlineProblem(Code.S031, f"地图轮廓文件 {relpath} 中没有区域")
    return areas


def _features(data) -> list:
    if not isinstance(data, dict):
        raise OutlineProblem(Code.S031, "地图轮廓文件应是 GeoJSON 对象（FeatureCollection）")
    if data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        return data["features"]
    if data.get("type") == "Feature":
        return [data]
    if data.get("type") in ("Polygon", "MultiPolygon"):
        return [{"type": "Feature", "geometry": data, "properties": {}}]
    raise OutlineProblem(Code.S031, f"地图轮廓文件的类型是 {_shown(data.get('type'))}，"
                         "应为 FeatureCollection、Feature、Polygon 或 MultiPolygon")


def _point(p, i: int) -> tuple[float, float]:
    if (not isinstance(p, list) or len(p) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in p[:2])):
        raise OutlineProblem(Code.S031, f"第 {i + 1} 个区域的坐标 {_shown(p)} 不是 [经度, 纬度]")
    lon, lat = float(p[0]), float(p[1])
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise OutlineProblem(Code.S032, f"第 {i + 1} 个区域的坐标 [{p[0]}, {p[1]}] 超出范围"
                             "（经度 -180 到 180，纬度 -90 到 90，经度在前）")
    return lon, lat


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 30 else text[:29] + "…"
