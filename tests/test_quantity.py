"""Figures as reports state them: what each written form means, and which figures statistics add."""

from __future__ import annotations

from decimal import Decimal

import pytest

from site_builder.render.stats import is_additive
from site_builder.schema.quantity import APPROX, CHANGE, EXACT, RANGE, parse_quantity

D = Decimal


@pytest.mark.parametrize("text,kind,low,high", [
    ("1200", EXACT, D(1200), D(1200)),
    ("3万", EXACT, D(30000), D(30000)),
    ("约3万", APPROX, D(30000), D(30000)),
    ("3万+", APPROX, D(30000), None),
    ("1万余", APPROX, D(10000), None),
    ("200以上", APPROX, D(200), None),
    ("近20万", APPROX, None, D(200000)),
    ("超过16亿", APPROX, D(1600000000), None),
    ("不到5千", APPROX, None, D(5000)),
    ("1–2万", RANGE, D(10000), D(20000)),
    ("1.5至2", RANGE, D("1.5"), D(2)),
    ("+40", CHANGE, D(40), None),
    ("61.93%", EXACT, D("61.93"), D("61.93")),
])
def test_each_written_form(text, kind, low, high):
    q = parse_quantity(text)
    assert q is not None and (q.kind, q.low, q.high) == (kind, low, high)
    assert q.text == text  # kept as written, shown as written


@pytest.mark.parametrize("text", ["约3万多", "十六亿", "1,200", "3万人", "+1–2", "", "约"])
def test_what_is_not_a_figure(text):
    assert parse_quantity(text) is None


def test_statistics_add_only_exact_figures_in_additive_units():
    units, words = ["人", "万元"], ["人均", "率"]

    def fig(label, value, unit):
        return {"label": label, "value": value, "unit": unit}
    assert is_additive(fig("从业人数", D(1200), "人"), units, words)
    assert not is_additive(fig("从业人数", "3万+", "人"), units, words)      # approximate
    assert not is_additive(fig("月收入", "1–2万", "万元"), units, words)     # a range
    assert not is_additive(fig("人均年收入", D("11.5"), "万元"), units, words)  # a per-head figure
    assert not is_additive(fig("学员就业率", D("61.93"), "%"), units, words)  # a rate
    assert not is_additive(fig("从业人数", D(5), "家"), units, words)         # unit not declared
