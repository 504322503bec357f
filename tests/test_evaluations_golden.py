"""Golden tests for selection rounds: the exact diagnostics and the exact published results.

Each case in tests/golden/evaluations/cases/ is a round file `<case>.md` (copied into a temporary
project as `evaluations/<case>.md`) or a folder `<case>/` laid over the project (for cases that
need several rounds or their own brands). Every project has the fictional test settings (tests/fixtures/settings.yml) and the
fictional brands in tests/golden/evaluations/brands/, and is loaded on BUILD_DATE.

- `<case>.expected`: every diagnostic of the project, exactly as `site-builder validate` prints it.
- `results/<round-id>.json`: the results.json the site publishes for each round whose results are
  public; a round whose results are not public has no file there.

Run with GOLDEN_UPDATE=1 to rewrite the expected files, then review the diff by eye: the numbers
of the computation cases are worked out by hand in the comments of each case file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from golden import check_golden, codes_in, lines_of, validate_text
from sitecopy import FIXTURE_SETTINGS

from site_builder.diagnostics import CODES
from site_builder.project import load_project
from site_builder.render.rounds import results_json

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "evaluations"
CASES = GOLDEN / "cases"
RESULTS = GOLDEN / "results"
BUILD_DATE = dt.date(2026, 12, 1)

# The computation cases: valid rounds whose results are golden.
COMPUTED = ["ties", "recusals", "trimmed-mean", "withdrawn", "empty-tier", "level-claims"]


def case_names() -> list[str]:
    return sorted({p.stem for p in CASES.glob("*.md")} | {p.name for p in CASES.iterdir()
                                                          if p.is_dir()})


def make_project(root: Path, case: str) -> Path:
    shutil.copy(FIXTURE_SETTINGS, root / "settings.yml")
    shutil.copytree(GOLDEN / "brands", root / "brands")
    (root / "evaluations").mkdir()
    if (CASES / case).is_dir():
        shutil.copytree(CASES / case, root, dirs_exist_ok=True)
    else:
        shutil.copy(CASES / f"{case}.md", root / "evaluations" / f"{case}.md")
    return root


@pytest.mark.parametrize("case", case_names())
def test_golden(case: str, tmp_path: Path) -> None:
    project = load_project(make_project(tmp_path, case), BUILD_DATE)
    check_golden(CASES / f"{case}.expected", validate_text(project.diagnostics))
    for r in project.evaluations:
        golden = RESULTS / f"{r.id}.json"
        if r.published and r.results_visible:
            check_golden(golden, results_json(r).decode("utf-8"))
        else:
            assert not golden.exists(), f"{r.id} 的结果尚未公开，不应有 {golden.name}"


def test_every_expected_file_has_a_case() -> None:
    assert {p.stem for p in CASES.glob("*.expected")} == set(case_names())


def test_computation_cases_are_clean_and_have_results() -> None:
    for case in COMPUTED:
        text = (CASES / f"{case}.expected").read_text(encoding="utf-8")
        assert "error[" not in text, case
    ids = {p.stem for p in RESULTS.glob("*.json")}
    assert {"ties", "recusals", "trimmed-mean", "withdrawn", "empty-tier", "level-final",
            "level-notice"} == ids


def test_every_round_code_has_a_golden() -> None:
    seen = codes_in(CASES)
    wanted = {c for c in CODES if c.startswith("E")} | {"B016"}
    assert not wanted - seen, f"这些代码没有黄金用例：{sorted(wanted - seen)}"
    assert seen <= set(CODES)


def test_each_line_has_the_documented_form() -> None:
    form = re.compile(r"^(evaluations|brands)/[a-z0-9_-]+\.md:\d+:\d+: (error|warning)"
                      r"\[[A-Z]\d{3}\]: \S+: .+；提示：.+$")
    for name, line in lines_of(CASES):
        assert form.match(line), f"{name}: {line}"


def load_results(round_id: str) -> dict:
    return json.loads((RESULTS / f"{round_id}.json").read_text(encoding="utf-8"))


def by_brand(data: dict) -> dict[str, dict]:
    return {e["brand"]: e for e in data["entries"]}


# The hand-worked numbers of each computation case, stated once more here so that a careless
# GOLDEN_UPDATE cannot silently change them.

def test_ties_are_broken_in_order_then_shared() -> None:
    data = load_results("ties")
    got = [(e["brand"], e["rank"], e["total"], e["tier"]) for e in data["entries"]]
    assert got == [
        ("shili-chayi", 1, 85, "市级劳务品牌"),
        ("shili-jiazheng", 2, 80, "本地劳务品牌"),   # same total and a as jigong; b decides
        ("shili-jigong", 3, 80, "本地劳务品牌"),
        ("shili-zaocha", 4, 75, None),              # shared rank 4: two tied entries do not fit
        ("shili-zhubian", 4, 75, None),             # the one seat left, so neither gets it
        ("shili-yuesao", 6, 70, None),              # after a shared 4th comes 6th
    ]


def test_recused_experts_are_left_out_of_the_mean() -> None:
    e = by_brand(load_results("recusals"))
    assert e["shili-chayi"]["criteria"] == {"employment": 85, "reputation": 72}
    assert set(e["shili-chayi"]["scores"]) == {"e1", "e3", "e4"}
    assert e["shili-jiazheng"]["criteria"] == {"employment": 72.5, "reputation": 87.5}
    assert e["shili-zaocha"]["criteria"] == {"employment": 78, "reputation": 81.33}
    assert e["shili-zaocha"]["total"] == 79.33  # 0.6 × 78 + 0.4 × 81.33 = 79.332
    assert [(x["brand"], x["rank"], x["tier"]) for x in load_results("recusals")["entries"]] == [
        ("shili-chayi", 1, "本地劳务品牌"), ("shili-zaocha", 2, "本地劳务品牌"),
        ("shili-jiazheng", 3, "本地劳务品牌"), ("shili-jigong", 4, None)]


def test_trimmed_mean_drops_one_highest_and_one_lowest() -> None:
    e = by_brand(load_results("trimmed-mean"))
    assert e["shili-chayi"]["criteria"] == {"skill": 83, "fame": 70}
    assert e["shili-jiazheng"]["criteria"] == {"skill": 91, "fame": 80.33}
    assert e["shili-jiazheng"]["total"] == 87.8  # 0.7 × 91 + 0.3 × 80.33 = 87.799
    assert e["shili-jigong"]["criteria"] == {"skill": 70, "fame": 90}
    assert [e[b]["tier"] for b in ("shili-jiazheng", "shili-chayi", "shili-jigong")] == [
        "市级劳务品牌", "市级劳务品牌", "本地劳务品牌"]


def test_withdrawn_and_disqualified_entries_are_not_ranked() -> None:
    data = load_results("withdrawn")
    assert [(x["brand"], x["status"], x["rank"], x["tier"], x["total"]) for x in data["entries"]] == [
        ("shili-chayi", "ranked", 1, "市级劳务品牌", 85),
        ("shili-zaocha", "ranked", 2, "本地劳务品牌", 65),
        ("shili-jiazheng", "withdrawn", None, None, None),
        ("shili-jigong", "disqualified", None, None, 95),
    ]
    assert by_brand(data)["shili-jiazheng"]["scores"] == {}


def test_a_tier_nobody_reaches_stays_empty() -> None:
    data = load_results("empty-tier")
    assert [(x["brand"], x["rank"], x["tier"], x["total"]) for x in data["entries"]] == [
        ("shili-chayi", 1, "市级劳务品牌", 91), ("shili-jiazheng", 2, None, 70.5),
        ("shili-jigong", 3, None, 61)]


def test_results_have_exactly_the_documented_shape() -> None:
    for p in RESULTS.glob("*.json"):
        data = json.loads(p.read_text(encoding="utf-8"))
        assert list(data) == ["round", "method", "criteria", "entries"], p.name
        assert data["round"] == p.stem
        keys = [c["key"] for c in data["criteria"]]
        for c in data["criteria"]:
            assert list(c) == ["key", "name", "weight", "max"]
        for e in data["entries"]:
            assert list(e) == ["brand", "rank", "tier", "total", "criteria", "scores", "status"]
            assert e["status"] in ("ranked", "withdrawn", "disqualified")
            assert (e["rank"] is None) == (e["status"] != "ranked")
            assert isinstance(e["rank"], (int, type(None)))
            if e["scores"]:
                assert list(e["criteria"]) == keys
                assert all(list(s) == keys for s in e["scores"].values())
                assert isinstance(e["total"], (int, float))
