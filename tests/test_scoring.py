"""The scoring stage on plain values: rounding, aggregates, totals, ranks, tiers and phases."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.evaluate.phases import phase_of
from site_builder.evaluate.scoring import (
    Criterion,
    EntryInput,
    Tier,
    aggregate,
    evaluate,
    round_half_up,
    weighted_total,
)
from site_builder.project import resolve_build_date

CRITERIA = [Criterion("a", "带动就业规模", D(50), D(10)), Criterion("b", "技能产品特色", D(30), D(10)),
            Criterion("c", "市场知名度", D(20), D(10))]


def entry(brand: str, *sheets: tuple, recused=(), status="ranked", reason=None) -> EntryInput:
    """An entry whose experts e1, e2, … gave the (a, b, c) scores in `sheets`."""
    scores = {f"e{i + 1}": dict(zip("abc", map(D, s))) for i, s in enumerate(sheets)}
    return EntryInput(brand, scores, frozenset(recused), status, reason)


# Rounding: half up at the third decimal, on the exact value (never on a binary float).

@pytest.mark.parametrize("value, expected", [
    (Fraction(77335, 1000), "77.34"),   # float rounding gives 77.33
    (Fraction(2675, 1000), "2.68"),     # round(2.675, 2) == 2.67 in Python
    (Fraction(1, 200), "0.01"),
    (Fraction(1, 3), "0.33"),
    (Fraction(2, 3), "0.67"),
    (Fraction(100), "100.00"),
    (Fraction(0), "0.00"),
    (Fraction(-1, 200), "-0.01"),
])
def test_round_half_up(value, expected):
    assert str(round_half_up(value)) == expected


def test_mean_and_trimmed_mean():
    assert aggregate([D(8), D(9)], "mean") == D("8.50")
    assert aggregate([D(7), D(8), D(8)], "mean") == D("7.67")  # 23/3
    # one highest and one lowest dropped, even when they repeat
    assert aggregate([D(100), D(100), D(90), D(90), D(80), D(80)], "trimmed_mean") == D("90.00")
    assert aggregate([D(0), D(70), D(70), D(70), D(100)], "trimmed_mean") == D("70.00")
    with pytest.raises(ValueError):
        aggregate([D(1), D(2)], "trimmed_mean")
    with pytest.raises(ValueError):
        aggregate([D(1)], "median")


def test_total_uses_the_rounded_aggregates():
    # 0.4 × 7.67 + 0.35 × 8.33 + 0.25 × 7 = 77.335 → 77.34 (from the published aggregates,
    # so anyone can recompute it; the unrounded 23/3 and 25/3 would give 77.33)
    crit = [Criterion("a", "A", D(40), D(10)), Criterion("b", "B", D(35), D(10)),
            Criterion("c", "C", D(25), D(10))]
    assert weighted_total({"a": D("7.67"), "b": D("8.33"), "c": D("7.00")}, crit) == D("77.34")
    assert weighted_total({"a": D(10), "b": D(10), "c": D(10)}, crit) == D("100.00")


def test_recused_experts_are_simply_absent_from_the_sheet():
    res = evaluate(CRITERIA, [entry("x", (8, 8, 8), (9, 9, 9)), entry("y", (6, 6, 6))], "mean",
                   [Tier("市级劳务品牌", 5)], [])
    x, y = res.ranked
    assert x.aggregates == {"a": D("8.50"), "b": D("8.50"), "c": D("8.50")}
    assert x.total == D("85.00") and y.total == D("60.00")


def test_tie_break_rules_apply_in_order_then_ranks_are_shared():
    entries = [
        entry("p", (8, 7, 9.5)),   # 40 + 21 + 19 = 80, a = 8, b = 7
        entry("q", (8, 8, 8)),     # 80, a = 8, b = 8 → before p by the second rule
        entry("r", (9, 8, 8)),     # 85
        entry("s", (7, 8, 8)),     # 75
        entry("t", (7, 8, 8)),     # 75, identical to s → shared rank 4
        entry("u", (6, 8, 8)),     # 70 → rank 6
    ]
    res = evaluate(CRITERIA, entries, "mean", [Tier("市级劳务品牌", 10)], ["a", "b"])
    assert [(e.brand, e.rank) for e in res.ranked] == [
        ("r", 1), ("q", 2), ("p", 3), ("s", 4), ("t", 4), ("u", 6)]
    assert [(t.brands, t.decided_by) for t in res.ties] == [
        (("q", "p"), ("b",)), (("s", "t"), ("",))]


def test_without_tie_break_equal_totals_share_a_rank():
    res = evaluate(CRITERIA, [entry("p", (8, 7, 9.5)), entry("q", (8, 8, 8))], "mean",
                   [Tier("市级劳务品牌", 1)], [])
    assert [(e.brand, e.rank) for e in res.ranked] == [("p", 1), ("q", 1)]
    # two share the first place but there is one seat: neither gets it, the seat stays empty
    assert [e.tier for e in res.ranked] == [None, None]


def test_tiers_take_seats_in_rank_order_above_their_minimum():
    entries = [entry(b, (s, s, s)) for b, s in [("a1", 9.5), ("a2", 9), ("a3", 8.5), ("a4", 8),
                                                   ("a5", 6)]]
    tiers = [Tier("市级劳务品牌", 2, D(90)), Tier("本地劳务品牌", 3, D(70))]
    res = evaluate(CRITERIA, entries, "mean", tiers, [])
    assert [(e.brand, e.tier) for e in res.ranked] == [
        ("a1", "市级劳务品牌"), ("a2", "市级劳务品牌"), ("a3", "本地劳务品牌"), ("a4", "本地劳务品牌"),
        ("a5", None)]
    # a minimum nobody reaches leaves the tier empty, and the next tier still fills
    res = evaluate(CRITERIA, entries, "mean", [Tier("市级劳务品牌", 2, D(99)), tiers[1]], [])
    members = {t.name: [e.brand for e in m] for t, m in res.tier_members()}
    assert members == {"市级劳务品牌": [], "本地劳务品牌": ["a1", "a2", "a3"]}


def test_withdrawn_and_disqualified_entries_take_no_rank_or_seat():
    entries = [entry("w", status="withdrawn", reason="撤回"),
               entry("d", (10, 10, 10), status="disqualified", reason="材料不实"),
               entry("k", (7, 7, 7))]
    res = evaluate(CRITERIA, entries, "mean", [Tier("市级劳务品牌", 1)], [])
    assert [(e.brand, e.rank, e.tier, e.total) for e in res.entries] == [
        ("k", 1, "市级劳务品牌", D("70.00")), ("w", None, None, None),
        ("d", None, None, D("100.00"))]


@pytest.mark.parametrize("day, phase", [
    ("2025-02-28", "upcoming"), ("2025-03-01", "applications"), ("2025-04-30", "applications"),
    ("2025-05-01", "review"), ("2025-06-01", "review"), ("2025-06-02", "notice"),
    ("2025-06-08", "notice"), ("2025-06-09", "pending"), ("2025-06-15", "pending"),
    ("2025-06-16", "final"), ("2030-01-01", "final"),
])
def test_phase_boundaries(day, phase):
    timeline = {k: dt.date.fromisoformat(v) for k, v in {
        "applications_open": "2025-03-01", "applications_close": "2025-04-30",
        "review": "2025-05-20", "notice_start": "2025-06-02", "notice_end": "2025-06-08",
        "published": "2025-06-16"}.items()}
    assert phase_of(timeline, dt.date.fromisoformat(day)) == phase


def test_build_date_explicit_then_source_date_epoch_then_today(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748793600")  # 2025-06-01 16:00 UTC
    assert resolve_build_date() == dt.date(2025, 6, 2)   # already the 2nd in China (UTC+8)
    assert resolve_build_date(dt.date(2024, 1, 1)) == dt.date(2024, 1, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    today = resolve_build_date()
    assert abs((today - dt.date.today()).days) <= 1


# Properties over many generated rounds.

scores = st.decimals(min_value=0, max_value=10, places=1, allow_nan=False, allow_infinity=False)
sheets = st.lists(st.tuples(scores, scores, scores), min_size=5, max_size=7)


@settings(max_examples=150, deadline=None)
@given(st.lists(sheets, min_size=1, max_size=8), st.sampled_from(["mean", "trimmed_mean"]),
       st.randoms(use_true_random=False))
def test_results_do_not_depend_on_entry_order(all_sheets, method, rnd: random.Random):
    entries = [entry(f"b{i}", *s) for i, s in enumerate(all_sheets)]
    tiers = [Tier("市级劳务品牌", 2, D(60)), Tier("本地劳务品牌", 3, D(40))]
    first = evaluate(CRITERIA, entries, method, tiers, ["a"])
    shuffled = entries[:]
    rnd.shuffle(shuffled)
    second = evaluate(CRITERIA, shuffled, method, tiers, ["a"])
    assert [(e.brand, e.rank, e.tier, e.total) for e in first.entries] == [
        (e.brand, e.rank, e.tier, e.total) for e in second.entries]
    for e in first.entries:
        assert D(0) <= e.total <= D(100)
        for key in "abc":
            values = [s[key] for s in e.scores.values()]
            assert min(values) <= e.aggregates[key] <= max(values) + D("0.005")
    ranks = [e.rank for e in first.ranked]
    assert ranks == sorted(ranks) and ranks[0] == 1
    seated = [e for e in first.ranked if e.tier]
    assert sum(e.tier == "市级劳务品牌" for e in seated) <= 2
    assert sum(e.tier == "本地劳务品牌" for e in seated) <= 3
    # a better total never gets a lower tier than a worse one
    order = {None: 2, "市级劳务品牌": 0, "本地劳务品牌": 1}
    for x in first.ranked:
        for y in first.ranked:
            if x.total > y.total:
                assert order[x.tier] <= order[y.tier]
