"""Settings say what they mean: the regional choices (area word, who confers levels, contact,
the sections the site runs, the policy's kind and what its date is) are written out in
settings.yml and the public pages follow them, never another region's defaults.

Two fictional projects show both directions: tests/fixtures/national/ (a national site: areas are
provinces, every level conferred outside, no rounds, no 一品一策, an empty contact, only a report
date for its policy) and the demo (a city that runs rounds and 一品一策, an issue date)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import assert_built
from sitecopy import FIXTURES

from site_builder.build import build_site
from site_builder.load.settings import load_settings
from site_builder.project import load_project

NATIONAL = FIXTURES / "national"
DAY = dt.date(2026, 12, 1)
ISSUER = "示例部门（虚构）"  # the national fixture's policy issuer


@pytest.fixture(scope="module")
def national_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("choices") / "project"
    shutil.copytree(NATIONAL, root)
    assert_built(build_site(root, root / "site", build_date=DAY))
    return root / "site"


def text_of(path: Path) -> str:
    """A built page's visible text, tags removed and white space folded."""
    html = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", "", path.read_text(encoding="utf-8"))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_area_word_is_the_settings_own_everywhere(national_site):
    assert "所在省" in text_of(national_site / "brands" / "index.html")
    for page in national_site.rglob("*.html"):
        assert "所在区" not in page.read_text(encoding="utf-8"), page


def test_a_report_date_is_never_told_as_an_issue_date(national_site):
    text = text_of(national_site / "policy" / "index.html")
    assert f"{ISSUER}印发《示例劳务品牌建设指导意见（虚构）》，见 2024-01-01 的公开报道。" in text
    assert "于 2024-01-01 印发" not in text and "指导意见原文" in text


def test_sections_the_site_does_not_run_have_no_fixed_text(national_site):
    policy = text_of(national_site / "policy" / "index.html")
    rounds = text_of(national_site / "evaluations" / "index.html")
    about = text_of(national_site / "about" / "index.html")
    assert "一品一策" not in policy
    assert "分轮次组织" not in rounds and "本站不组织劳务品牌征集评选。" in rounds
    assert "评选发布后" not in rounds
    assert "认定部门公布的名单为准" in about and "本站公布的评选结果" not in about


def test_an_empty_contact_is_hidden_not_filled_with_the_issuer(national_site):
    for page in national_site.rglob("*.html"):
        if page.parent.name == "policy":  # the policy page names its issuer as the issuer
            continue
        # the sentence on the site's basis names the issuer as such, never as a contact
        html = re.sub(r"本站依据.*?建设", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        assert ISSUER not in html and "请联系" not in html, page
    about = text_of(national_site / "about" / "index.html")
    assert "联系我们" not in about and "主办单位" not in about


def test_a_city_that_runs_rounds_and_plans_keeps_their_text(demo_site):
    policy = text_of(demo_site / "policy" / "index.html")
    assert "示例市人力资源和社会保障局（虚构）于 2024-01-15 印发《" in policy
    assert "一品一策：各品牌页面" in policy
    rounds = text_of(demo_site / "evaluations" / "index.html")
    assert "示例市分轮次组织劳务品牌征集评选" in rounds
    about = text_of(demo_site / "about" / "index.html")
    assert "本站公布的评选结果" in about and "所在区" in about


def test_the_outside_level_hint_names_the_records_level_not_a_stock_one(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(NATIONAL, root)
    record = root / "brands" / "shili-xian-jiazheng.md"
    text = record.read_text(encoding="utf-8")
    assert "    level: 全国劳务品牌\n" in text
    record.write_text(text.replace("    level: 全国劳务品牌\n", "", 1), encoding="utf-8")
    found = [d for d in load_project(root, DAY).diagnostics if d.code == "B017"]
    assert len(found) == 1
    message = found[0].format()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("level:"))
    assert message.startswith(f"brands/shili-xian-jiazheng.md:{line}:")
    assert "`level: 全国劳务品牌`" in message and "全国劳务品牌、省级劳务品牌" in message
    assert "国家级" not in message


def test_conferral_by_outside_is_not_counted_as_this_sites_rounds(tmp_path):
    shutil.copy(NATIONAL / "settings.yml", tmp_path / "settings.yml")
    settings, diags = load_settings(tmp_path)
    assert diags == [] and settings is not None
    assert settings.levels_by("本站评选") == []
    assert settings.levels_by("外部认定") == ["全国劳务品牌", "省级劳务品牌"]
    assert not settings.runs("rounds") and settings.area_label == "省"


@pytest.mark.parametrize(("old", "new", "code", "field"), [
    ("  area_label: 省\n", "", "S041", "region.area_label"),
    ("  area_label: 省\n", "  area_label:\n", "S041", "region.area_label"),
    ("  brand_policy: 否\n", "", "S044", "sections.brand_policy"),
    ("  kind: 指导意见\n", "", "S045", "policy.kind"),
    ("  date_kind: 报道日期\n", "", "S046", "policy.date_kind"),
    ("contact:\n", "contact_old:\n", "S043", "contact"),
])
def test_a_missing_choice_is_refused_at_its_line_with_the_choices(tmp_path, old, new, code, field):
    text = (NATIONAL / "settings.yml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "settings.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    settings, diags = load_settings(tmp_path)
    assert settings is None
    mine = [d for d in diags if d.code == code]
    assert len(mine) == 1 and mine[0].field == field, [d.format() for d in diags]
    assert "可选：" in mine[0].message and "；提示：" in mine[0].message
    if code == "S043":  # contact_old is also an unknown field; contact itself is asked for
        assert {d.code for d in diags} == {"S043", "S003"}
    else:
        assert [d.code for d in diags] == [code]
    lines = text.replace(old, new, 1).splitlines()
    parent = {"S041": "region:", "S044": "sections:", "S045": "policy:", "S046": "policy:"}
    if code in parent:  # at the table that should hold it, or at the empty key itself
        where = new.strip() or parent[code]
        assert mine[0].line == next(i for i, t in enumerate(lines, 1) if t.strip() == where)


def test_levels_conferred_by_rounds_need_a_site_that_runs_them(tmp_path):
    text = (NATIONAL / "settings.yml").read_text(encoding="utf-8")
    old = "  - level: 省级劳务品牌\n    by: 外部认定\n"
    assert old in text
    (tmp_path / "settings.yml").write_text(text.replace(old, old.replace("外部认定", "本站评选")),
                                           encoding="utf-8")
    settings, diags = load_settings(tmp_path)
    assert settings is None and [d.code for d in diags] == ["S047"]
    assert "省级劳务品牌" in diags[0].message and diags[0].field == "conferral[1].by"
