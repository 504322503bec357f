"""Evaluating a validated selection round: its scored result and its phase on the build date."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from ..model import Round
from .phases import phase_of
from .scoring import (
    STATUS_DISQUALIFIED,
    STATUS_RANKED,
    STATUS_WITHDRAWN,
    Criterion,
    EntryInput,
    Tier,
    evaluate,
)


def evaluate_round(rnd: Round, today: dt.date) -> Round:
    """The round with its result computed exactly and its phase on `today`."""
    value = rnd.data
    result = evaluate(
        criteria=[Criterion(c["key"], c["name"], c["weight"], c["max"]) for c in value["criteria"]],
        entries=[_entry_input(e, value) for e in value.get("entries", [])],
        method=value["method"],
        tiers=[Tier(t["name"], t["count"], t.get("min_total", Decimal(0))) for t in value["tiers"]],
        tie_break=value.get("tie_break", []),
    )
    timeline = {k: dt.date.fromisoformat(v) for k, v in value["timeline"].items()}
    return dataclasses.replace(rnd, result=result, phase=phase_of(timeline, today))


def _entry_input(entry: dict, rnd: dict) -> EntryInput:
    """An entry for scoring, its score sheets in panel order and criteria order."""
    keys = [c["key"] for c in rnd["criteria"]]
    sheets = entry.get("scores", {})
    scores = {x["id"]: {k: sheets[x["id"]][k] for k in keys}
              for x in rnd["experts"] if x["id"] in sheets}
    if "withdrawn" in entry:
        status, reason = STATUS_WITHDRAWN, entry["withdrawn"]
    elif "disqualified" in entry:
        status, reason = STATUS_DISQUALIFIED, entry["disqualified"]
    else:
        status, reason = STATUS_RANKED, None
    return EntryInput(entry["brand"], scores, frozenset(entry.get("recused", [])), status, reason)


