"""The strict front-matter reader: values kept exactly as written, positions right, limits held."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from site_builder.diagnostics import Reporter
from site_builder.load.frontmatter import MAX_DEPTH, Rejected, parse_yaml, read_document
from site_builder.load.settings import load_settings
from site_builder.project import check_brand as load_brand

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"  # the fictional test settings
GOLDEN = Path(__file__).resolve().parent / "golden" / "records"


@pytest.fixture(scope="module")
def vocab():
    settings, diags = load_settings(FIXTURES)
    assert settings is not None, diags
    return settings.vocab


def load(tmp_path: Path, vocab, slug: str, data: bytes):
    (tmp_path / "brands").mkdir(exist_ok=True)
    return load_brand(tmp_path, f"brands/{slug}.md", vocab, data=data)


def golden_bytes(case: str, slug: str | None = None) -> bytes:
    text = (GOLDEN / f"{case}.md").read_text(encoding="utf-8")
    if slug:
        text = text.replace(f"slug: {case}", f"slug: {slug}")
    return text.encode("utf-8")


def test_yaml11_lookalikes_stay_exact_text(tmp_path, vocab):
    brand, diags = load(tmp_path, vocab, "yaml11-text-kept", golden_bytes("yaml11-text-kept"))
    assert diags == [] and brand is not None
    d = brand.data
    assert (d["name"], d["name_en"], d["summary"], d["industry"]) == ("NO", "yes", "on", "10:00")
    assert d["figures"][0]["label"] == "off" and d["figures"][0]["unit"] == "1.10"
    assert d["trademarks"][0] == {"name": "Y", "number": "0201234567", "class": "1.10"}
    assert d["contact"]["phone"] == "0201234567"
    assert d["sources"][0]["outlet"] == "null" and d["sources"][0]["title"] == "~"
    assert all(isinstance(v, str) for v in (d["name"], d["name_en"], d["summary"], d["industry"]))


def test_numbers_dates_and_multiline_text_as_written(tmp_path, vocab):
    brand, diags = load(tmp_path, vocab, "valid", golden_bytes("valid"))
    assert diags == [] and brand is not None
    d = brand.data
    assert d["figures"][0]["value"] == Decimal(1200)
    assert d["figures"][1]["value"] == Decimal("227.5")  # a Decimal, never a binary float
    assert isinstance(d["figures"][1]["value"], Decimal)
    assert d["figures"][0]["as_of"] == "2024-12" and d["updated"] == "2026-11-27"
    assert d["established"] == "2019-06"
    assert d["policy"]["plan"] == "第一段规划。\n第二段规划。\n"
    assert d["venues"][0]["hours"] == "周二至周日 09:00–17:00"
    assert d["trademarks"][0]["number"] == "12345678"
    assert brand.body == "这里是品牌故事。\n"
    assert brand.lines["slug"] == 3 and brand.lines["updated"] == 91


def test_bom_and_crlf_read_the_same_as_plain(tmp_path, vocab):
    plain = golden_bytes("valid")
    windows = b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n")
    a, da = load(tmp_path, vocab, "valid", plain)
    b, db = load(tmp_path, vocab, "valid", windows)
    assert da == db == []
    assert a.data == b.data and a.body == b.body and a.lines == b.lines and a.body_line == b.body_line


def test_body_starts_after_the_closing_line():
    rep = Reporter("brands/x.md")
    doc = read_document("brands/x.md", "---\nname: a\nsummary: b\n---  \n正文第一行\n\n第二段\n".encode(), rep)
    assert rep.items == []
    assert doc.body == "正文第一行\n\n第二段\n" and doc.body_line == 5


@pytest.mark.parametrize("data,code", [
    (b"", "Y003"),
    (b"---", "Y004"),
    (b"---\nname: a\n", "Y004"),
    (b"\xff\xfe---\n", "Y001"),
    ("---\nname: a\n---\n".encode("utf-16"), "Y001"),
])
def test_broken_files_get_one_clear_error(data, code):
    rep = Reporter("brands/x.md")
    assert read_document("brands/x.md", data, rep) is None
    assert [d.code for d in rep.items] == [code]


def test_a_tab_after_the_colon_is_not_indentation():
    rep = Reporter("x")
    root = parse_yaml("name:\t示例\n", rep)
    assert rep.items == [] and root.value[0][1].value == "示例"


def test_aliases_are_reported_and_never_expanded():
    # "billion laughs": each level doubles ten times; expanding it would never finish
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    rep = Reporter("x")
    t0 = time.perf_counter()
    root = parse_yaml("\n".join(lines) + "\n", rep)
    assert time.perf_counter() - t0 < 2
    assert root is not None
    assert {d.code for d in rep.items} == {"Y009"}
    assert len(rep.items) == 9 + 8 * 10  # nine anchors, eighty aliases, each once
    # every alias use is replaced by a marker that the schema skips
    assert all(isinstance(n, Rejected) for n in root.value[1][1].value)


def test_nesting_past_the_limit_is_reported_once():
    block = "policy:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, MAX_DEPTH + 5))
    for text in (block, "x: " + "- " * 3000 + "y\n", "x:\n" + "- " * 3000 + "y\n",
                 "x: " + "[" * 5000 + "]" * 5000 + "\n"):
        rep = Reporter("x")
        assert parse_yaml(text, rep) is None
        codes = [d.code for d in rep.items]
        assert len(codes) == 1 and codes[0] in ("Y011", "Y005"), (text[:40], codes)


def test_deep_nesting_names_the_limit():
    rep = Reporter("x")
    parse_yaml("x: " + "[" * 30 + "]" * 30 + "\n", rep)
    (d,) = rep.items
    assert d.code == "Y011" and str(MAX_DEPTH) in d.message and (d.line, d.col) == (1, 4 + MAX_DEPTH)


def test_non_string_keys_do_not_break_validation(tmp_path, vocab):
    data = golden_bytes("valid").replace(b"updated:", b"? [a, b]\n: c\n1: d\nupdated:")
    brand, diags = load(tmp_path, vocab, "valid", data)
    assert brand is None
    assert [d.code for d in diags] == ["B002", "B002"]


def test_settings_file_still_reads():
    settings, diags = load_settings(FIXTURES)
    assert diags == [] and settings is not None
    assert "海珠区" in settings.vocab["districts"]
