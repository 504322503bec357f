"""Statistics over published brands, and charts drawn at build time as inline SVG."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

from ..model import Brand
from ..schema.quantity import parse_quantity


@dataclass(frozen=True)
class FigureSum:
    """The sum of one key figure across brands, only where label, unit, scope and date all agree
    and every value is exact in an additive unit."""

    label: str
    unit: str
    as_of: str
    total: Decimal
    brands: tuple[str, ...]  # slugs, in order
    scope: str = ""


def count_by(brands: list[Brand], key: str, order: list[str]) -> OrderedDict[str, int]:
    """How many brands carry each value of a field (list fields count each value once)."""
    counts: OrderedDict[str, int] = OrderedDict((v, 0) for v in order)
    for b in brands:
        value = b.get(key)
        values = value if isinstance(value, list) else ([value] if value else [])
        for v in values:
            counts[v] = counts.get(v, 0) + 1
    return counts


def group_by(brands: list[Brand], key: str, order: list[str]) -> OrderedDict[str, list[Brand]]:
    groups: OrderedDict[str, list[Brand]] = OrderedDict((v, []) for v in order)
    for b in brands:
        value = b.get(key)
        for v in value if isinstance(value, list) else ([value] if value else []):
            groups.setdefault(v, []).append(b)
    return groups


def is_additive(figure: dict, units: list[str], words: list[str]) -> bool:
    """Whether a figure may be added to others: the rule declared once in settings.yml
    (`statistics`): an exact value, in an additive unit, whose label has no non-additive word."""
    q = parse_quantity(figure["value"])
    return (q is not None and q.exact and not q.percent and figure["unit"] in units
            and not any(w in figure["label"] for w in words))


def figure_sums(brands: list[Brand], units: list[str], words: list[str],
                date_of) -> list[FigureSum]:
    """Sums of additive figures that share label, unit, scope and date exactly; a figure with
    no date of its own is not added (its report's date is not a count date)."""
    acc: dict[tuple[str, str, str, str], tuple[Decimal, list[str]]] = {}
    for b in brands:
        for f in b.get("figures", []):
            date, own = date_of(f, b)
            if not own or not is_additive(f, units, words):
                continue
            key = (f["label"], f["unit"], f.get("scope", ""), date)
            total, slugs = acc.get(key, (Decimal(0), []))
            acc[key] = (total + parse_quantity(f["value"]).amount, slugs + [b.slug])
    return [FigureSum(k[0], k[1], k[3], v[0], tuple(v[1]), k[2])
            for k, v in sorted(acc.items())]


def target_progress(brands: list[Brand], targets: list[dict]) -> list[dict]:
    """For each plan target: the level, the goal, how many published brands hold that level."""
    out = []
    for t in targets:
        have = sum(1 for b in brands if b.get("level") == t["level"])
        pct = min(100, round(100 * have / t["count"])) if t["count"] else 100
        out.append({"level": t["level"], "count": t["count"], "deadline": t["deadline"],
                    "have": have, "percent": pct})
    return out


def bar_chart(title: str, data: OrderedDict[str, int] | list[tuple[str, int]], unit: str = "个",
              maximum: int | None = None) -> Markup:
    """A horizontal bar chart as accessible inline SVG (the data table stands beside it)."""
    items = list(data.items()) if isinstance(data, dict) else list(data)
    top = max([maximum or 0] + [v for _, v in items]) or 1
    row, bar_w = 30, 160  # 16 px labels (site.css): readable when a phone shrinks the chart
    label_w = 17 * max([len(str(k)) for k, _ in items] + [2]) + 8
    height = row * len(items) + 8
    width = label_w + bar_w + 60
    # Drawn at its own size (16 px labels); narrower screens shrink it (site.css), none enlarges it.
    parts = [(f'<svg class="lb-chart" role="img" aria-label="{escape(title)}" '
              f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
              f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'),
             f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        w = round(bar_w * value / top, 1)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 18}" text-anchor="end" class="lb-chart-label">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row - 10}" class="lb-chart-bar"/>'
            f'<text x="{label_w + w + 6}" y="{y + 18}" class="lb-chart-value">{value}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
