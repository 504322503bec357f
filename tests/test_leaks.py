"""Closing the leaks (issue 15): each class of hostile or careless input, with inputs of our own.

Personal numbers in disguise (property tests over every separator class), images published with
their metadata, open data beyond its allowlist, hand-written pages outside the record rules,
foreign hosts named in scripts and styles, files that are not what was reviewed, and
`mkdocs build` publishing without the checks. Record-level cases are in the goldens
(tests/golden/records/); these are the stage and output-level ones.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from sitecopy import copy_demo, write_site

from site_builder.build import build_site
from site_builder.model import Brand
from site_builder.render.opendata import PUBLIC_FIELDS, brand_record
from site_builder.text import FORMAT_CHARS, fmt_decimal, name_key
from site_builder.validate.personal_data import find_pii
from site_builder.verify.leaks import scan_site
from site_builder.verify.links import check_site

MOBILE = "13812345678"
RESIDENT_ID = "11010519491231002X"  # the standard's own example, not a person's

# -- personal numbers -----------------------------------------------------------------------------


def test_format_characters_are_every_cf_character():
    every = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    listed = {chr(c) for c in range(sys.maxunicode + 1) if FORMAT_CHARS.match(chr(c))}
    assert every <= listed, sorted(f"U+{ord(c):04X}" for c in every - listed)
    assert all(unicodedata.category(c) == "Cf" or not unicodedata.name(c, "") for c in listed)


def _chars(categories: tuple[str, ...]) -> list[str]:
    return [chr(c) for c in range(0x3400) if unicodedata.category(chr(c)) in categories] + [
        chr(c) for c in range(0xFE30, 0x10000) if unicodedata.category(chr(c)) in categories]


# Every class of separator a number may be split with: spaces (Zs), invisible format characters
# (Cf), control characters (Cc, as YAML escapes write them), punctuation of every kind (dots,
# dashes, slashes, brackets — P*), full-width forms, and symbols (+, ~).
SPACES = _chars(("Zs",))
FORMATS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\n\r"] + [chr(c) for c in range(0x7f, 0xa0)]
PUNCTUATION = _chars(("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"))
FULL_WIDTH = [chr(c) for c in range(0xFF01, 0xFF5F) if not chr(c).isalnum()]
SYMBOLS = ["+", "~", "～", "＋", "*", "·", "•", "/", "|", "＝"]
SEPARATORS = st.sampled_from(sorted(set(SPACES + FORMATS + CONTROLS + PUNCTUATION + FULL_WIDTH
                                        + SYMBOLS) - {"_"}))
# How people group the digits: 3-4-4, 3-8, 4-7, 11 in one, one by one; identity numbers 6-8-4.
MOBILE_GROUPS = [(3, 4, 4), (3, 8), (4, 7), (11,), (3, 3, 5), (1,) * 11]
ID_GROUPS = [(6, 8, 4), (18,), (6, 4, 4, 4), (3, 3, 4, 4, 4)]
FULL_DIGITS = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _split(number: str, groups: tuple[int, ...], seps: list[str]) -> str:
    out, i = [], 0
    for k, n in enumerate(groups):
        out.append(number[i:i + n])
        i += n
        if k < len(groups) - 1:
            out.append(seps[k % len(seps)])
    return "".join(out)


@st.composite
def disguised(draw):
    kind = draw(st.sampled_from(["mobile", "id"]))
    number = MOBILE if kind == "mobile" else RESIDENT_ID
    groups = draw(st.sampled_from(MOBILE_GROUPS if kind == "mobile" else ID_GROUPS))
    seps = draw(st.lists(SEPARATORS, min_size=1, max_size=3))
    if len(groups) == 11:  # one digit at a time: any separator but the decimal ones
        seps = [s for s in seps if s not in ".,·．，。"] or [" "]
    text = _split(number, groups, seps)
    if draw(st.booleans()):
        text = text.translate(FULL_DIGITS)
    label = draw(st.sampled_from(["", "手机", "wx", "ID", "QQ:", "电话（", "微信号 "]))
    return kind, label + text + draw(st.sampled_from(["", "。", " 联系", ")"]))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(disguised())
def test_personal_numbers_are_found_whatever_separates_them(case):
    kind, text = case
    assert kind in [p.kind for p in find_pii(text)], repr(text)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(disguised(), st.sampled_from(["<p>{}</p>", '<img alt="{}" src="a.png">',
                                     '<meta name="description" content="{}">']))
def test_the_output_scan_finds_them_in_pages_too(case, where):
    import html

    from site_builder.verify.leaks import new_scan

    kind, text = case
    scan = new_scan(Path("."), None, "site")
    scan.html("x.html", PAGE.format(body=where.format(html.escape(text))))
    assert {"id": "P101", "mobile": "P102"}[kind] in {d.code for d in scan.findings}, repr(text)


@pytest.mark.parametrize("text", [
    "wx13812345678", "ID110105194912310 02X".replace(" ", ""), "138\u200e1234\u202a5678",
    "138\x011234\x075678", "138.1234.5678", "(138)1234-5678", "【138】1234【5678】", "013812345678",
    "ＱＱ１３８１２３４５６７８",
])
def test_disguised_numbers_from_the_report(text):
    assert find_pii(text), repr(text)


@pytest.mark.parametrize("text", [
    "113.2643852,23.1291123", "1.38000012 34", "2019-2023 年培训 13800 人次",
    "urn:uuid:d92c4b19-3215-5384-9cb0-0ea81126aa74", "sha256-ab13800001234cd",
    # digit groups of a UUID that read as a hyphenated mobile, a letter of the id beside them
    "urn:uuid:7af2a77c-c190-5551-8191-c29a8fdad76c", "7af2a77c-1390-5551-8191-c29a8fdad76c",
    "id 0123456789abcdef13912345678",
    "post_13800001234.html", "bundle.a5f9d56c.min.js", "共 138.1234 万元",
])
def test_ordinary_numbers_stay_ordinary(text):
    assert find_pii(text) == []


# -- text that deceives -------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("ABC示例家政", "ABC示例家政 "), ("ABC示例家政", "ＡＢＣ示例家政"), ("ABC示例家政", "abc示例家政"),
    ("示例家政", "示例\u200b家政"), ("示例家政", "示例\u202e家政"), ("示例家政", "示例 家政"),
])
def test_near_duplicate_names_share_a_key(a, b):
    assert name_key(a) == name_key(b)


def test_negative_zero_is_published_as_zero():
    assert fmt_decimal(Decimal("-0")) == "0" and fmt_decimal(Decimal("-0.0")) == "0"


# -- open data ------------------------------------------------------------------------------------

def test_open_data_is_built_from_an_allowlist():
    data = {"slug": "shili", "name": "示例", "summary": "虚构。", "status": "已发布",
            "category": "高品质服务型", "districts": ["海珠区"], "updated": "2026-01-01",
            "secret_field": "不应公开",
            "media": {"logo": {"path": "logo.png", "alt": "标志"}},
            "people": [{"name": "甲", "role": "传承人", "consent": "授权书 SQ-001 扫描件在 D 盘",
                        "photo": {"path": "p.png", "alt": "甲的照片"}},
                       {"name": "乙", "role": "代言人", "consent": ""}],
            "venues": [{"name": "站", "type": "服务站", "district": "海珠区",
                        "lat": Decimal("23.1"), "internal": "x"}]}
    rec = brand_record(Brand("shili", "brands/shili.md", data, "", 1, {}), "https://x.example/")
    text = json.dumps(rec, ensure_ascii=False)
    for leaked in ("不应公开", "授权书", "logo.png", "p.png", "已发布", "乙", "internal"):
        assert leaked not in text
    assert rec["people"] == [{"name": "甲", "role": "传承人"}]
    assert rec["venues"] == [{"name": "站", "type": "服务站", "district": "海珠区", "lat": 23.1}]
    assert set(rec) <= {"slug", "url"} | set(PUBLIC_FIELDS)


# -- the output scan ------------------------------------------------------------------------------

PAGE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>示例</title></head>'
        "<body>\n{body}\n</body></html>\n")


def _site(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    return write_site(tmp_path, files)


def _jpeg_with_metadata() -> bytes:
    """A photo as a phone writes it: EXIF with a GPS position and a description, a comment."""
    exif = Image.Exif()
    exif[0x010E] = "虚构的图片说明"  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (23.0, 7.0, 30.0)
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 60)).save(buf, "JPEG", exif=exif,
                                                  comment="虚构注释".encode())
    return buf.getvalue()


def test_foreign_hosts_named_anywhere_in_code_are_found(tmp_path):
    root = _site(tmp_path, {
        "index.html": PAGE.format(body='<table background="https://cdn.example.org.cn/bg.png">'
                                       "<tr><td>x</td></tr></table>"),
        "a.css": ".x{background:image-set(\"https://img.cdn-host.net/a.png\" 1x)}"
                 "/* https://licence-host.net/ is a comment */",
        # Loaded only when a page has a diagram: conditionally, but loaded all the same.
        "b.js": 'window.mermaid||load("https://unpkg.com/mermaid@11/dist/mermaid.min.js");'
                "// https://comment-host.org/ says where it came from\n"
                'var base=new URL("https://example.com"+p);var ns="http://www.w3.org/2000/svg";'
                # comment markers inside strings hide nothing
                'var s="/*";load("https://hidden-host.net/a.js");var t="*/";',
        "c.svg": '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil-host.net/x"/></svg>',
    })
    found = {(d.path.rsplit("/", 1)[-1], d.field) for d in check_site(root, label="site")}
    assert found == {
        ("index.html", "https://cdn.example.org.cn/bg.png"),
        ("a.css", "https://img.cdn-host.net/a.png"),
        ("b.js", "https://unpkg.com/mermaid@11/dist/mermaid.min.js"),
        ("b.js", "https://hidden-host.net/a.js"),
        ("c.svg", "https://evil-host.net/x"),
    }


def test_an_image_with_metadata_is_a_finding(tmp_path):
    clean = io.BytesIO()
    Image.new("RGB", (8, 8)).save(clean, "PNG")
    root = _site(tmp_path, {"a.jpg": _jpeg_with_metadata(), "b.png": clean.getvalue()})
    assert [(d.path, d.code) for d in scan_site(root, label="site")] == [("site/a.jpg", "P111")]


# -- a project full of careless inputs, built once ------------------------------------------------

STORY_IMAGE = "photo.jpg"
MARKER_DRAFT, MARKER_WITHDRAWN = "cgmk5521", "chxm8830"


@pytest.fixture(scope="module")
def careless(tmp_path_factory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("careless") / "project")  # fictional settings, records
    brand = root / "brands" / "shili-qingxi-jiazheng.md"
    text = brand.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    brand.write_text(f"{head}\n---\n{body}\n![示例服务站的外景照片]({STORY_IMAGE})\n",
                     encoding="utf-8")
    (root / "brands" / "shili-qingxi-jiazheng").mkdir(exist_ok=True)
    (root / "brands" / "shili-qingxi-jiazheng" / STORY_IMAGE).write_bytes(_jpeg_with_metadata())
    # A committed image cache: files that claim to be encoded variants of the reviewed images.
    cache = root / ".cache" / "images"
    cache.mkdir(parents=True)
    for w in (320, 640, 1280):
        for ext in ("webp", "jpg", "png"):
            (cache / f"planted-{w}.{ext}").write_bytes(b"not what was reviewed")
    docs = root / "docs"
    (docs / "join.md").write_text(
        "---\ntitle: 加入我们\ndescription: 虚构的示例页面。\nhide: [toc]\n---\n"
        "# 加入我们\n\n见[关于本站](about/index.md)。\n\n```mermaid\ngraph TD; A-->B\n```\n\n"
        "![示例活动现场照片](team.jpg)\n", encoding="utf-8")
    (docs / "team.jpg").write_bytes(_jpeg_with_metadata())
    (docs / "draft.md").write_text(f"---\ntitle: 草稿 {MARKER_DRAFT}\nstatus: 草稿\n---\n{MARKER_DRAFT}\n",
                                   encoding="utf-8")
    (docs / "gone.md").write_text(f"---\ntitle: 撤下\nstatus: 已撤下\n---\n{MARKER_WITHDRAWN}\n",
                                  encoding="utf-8")
    result = build_site(root, root / "site")
    assert result.ok, [d.format() for d in result.diagnostics + result.findings] + result.problems
    return root / "site"


def test_every_published_image_is_encoded_without_metadata(careless):
    images = [p for p in careless.rglob("*") if p.suffix in (".jpg", ".png", ".webp", ".gif")]
    assert images
    for p in images:
        with Image.open(p) as im:
            assert not im.getexif(), p
            assert not {"exif", "comment", "xmp"} & set(im.info), p
    story = careless / "brands" / "shili-qingxi-jiazheng" / STORY_IMAGE
    assert story.read_bytes() != _jpeg_with_metadata() and "虚构".encode() not in story.read_bytes()
    assert b"not what was reviewed" not in b"".join(p.read_bytes() for p in images)


def test_unpublished_hand_written_pages_are_nowhere(careless):
    for p in careless.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert MARKER_DRAFT.encode() not in data and MARKER_WITHDRAWN.encode() not in data, p
    assert not (careless / "draft").exists() and not (careless / "gone").exists()


def test_hand_written_pages_are_sanitised_and_linked(careless):
    page = (careless / "join" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../about/">关于本站</a>' in page
    assert 'class="mermaid"' not in page and "language-mermaid" not in page
    assert 'src="../team.jpg"' in page or 'src="team.jpg"' in page


def test_theme_files_nothing_uses_are_left_out(careless):
    assert not list(careless.rglob("*.map"))
    assert not (careless / "assets" / "javascripts" / "lunr").exists()
    assert [d.format() for d in check_site(careless, label="site")] == []


def test_cache_and_gitignore():
    repo = Path(__file__).resolve().parent.parent
    assert ".cache/" in (repo / ".gitignore").read_text(encoding="utf-8").split()


def test_mkdocs_build_refuses_to_publish(tmp_path):
    root = copy_demo(tmp_path / "project")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root,
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode != 0
    assert "site-builder build" in run.stderr
    assert not (root / "site").exists()


def test_personal_numbers_in_json_numbers_and_scripts_are_found(tmp_path):
    root = _site(tmp_path, {"data/brands.json": '{"brands": [{"venues": [{"lat": 13812345678}]}]}',
                            "assets/x.js": 'var contact="wx13812345678";'})
    assert sorted((d.path, d.code) for d in scan_site(root, label="site")) == [
        ("site/assets/x.js", "P102"), ("site/data/brands.json", "P102")]


def test_a_number_is_joined_across_inline_elements_never_across_cells_or_blocks(tmp_path):
    """A results table whose brand names end in digits, next to score cells: each cell is read
    apart (the 5,000-brand benchmark's round pages were refused, "…01998" + "9.60" read as a
    mobile number). A number split by inline elements is still one number to the reader."""
    row = ('<tr><td>{rank}</td><th><a href="#">示例·青溪木作0{n}</a></th><td>9.60</td>'
           '<td>9.52</td><td>9.48</td><td><strong>95.20</strong></td></tr>')
    table = "".join(row.format(rank=i + 1, n=n) for i, n in enumerate((1998, 1391, 1876)))
    lists = "<ul><li>示例编号 1398</li><li>1234</li><li>5678 项</li></ul><p>138</p><p>0013 8000</p>"
    inline = "<p>联系：<span>139</span><b>1234</b>5678</p>"
    root = _site(tmp_path, {"t/index.html": f"<main><table>{table}</table>{lists}</main>",
                            "i/index.html": f"<main>{inline}</main>"})
    assert [(d.path, d.code) for d in scan_site(root, label="site")] == [("site/i/index.html", "P102")]


# -- hand-written pages at their lines ------------------------------------------------------------

@pytest.mark.parametrize("files, expected", [
    ({"docs/a.md": "---\ntitle: 没有结束\n\n正文\n"}, [("docs/a.md", 1, "Y004")]),
    ({"docs/a.md": "---\ntitle: [未闭合\n---\n正文\n"}, [("docs/a.md", 2, "Y005")]),
    ({"docs/a.md": "\n---\ntitle: 前面有空行\n---\n正文\n"}, [("docs/a.md", 2, "P014")]),
    ({"docs/a.md": "---\ntitle: 示例\n---\n---\nstatus: 已撤下\n---\n正文\n"}, [("docs/a.md", 5, "Y013")]),
    ({"docs/a.md": "---\ntitle: 示例\nauthor: 某人\n---\n正文\n"}, [("docs/a.md", 3, "B002")]),
    ({"docs/a.md": "---\nstatus: 下线\n---\n正文\n"}, [("docs/a.md", 2, "B004")]),
    ({"docs/a.md": "# 标题\n\n<script>alert(1)</script>\n"}, [("docs/a.md", 3, "P004")]),
    ({"docs/a.md": "# 标题\n\n见[草稿](b.md)。\n", "docs/b.md": "---\nstatus: 草稿\n---\n草稿\n"},
     [("docs/a.md", 3, "P014")]),
    ({"docs/page.html": "<script>alert(1)</script>"}, [("docs/page.html", 1, "P014")]),
    ({"docs/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'},
     [("docs/logo.svg", 1, "P014")]),
    ({"docs/team photo.png": "不是图片"}, [("docs/team photo.png", 1, "B032"),
                                          ("docs/team photo.png", 1, "P012")]),
])
def test_hand_written_pages_are_refused_at_their_line(tmp_path, files, expected):
    from sitecopy import FIXTURE_SETTINGS

    from site_builder.project import load_project

    # the fictional test settings: the project's own, whatever the repository's settings.yml says
    (tmp_path / "settings.yml").write_bytes(FIXTURE_SETTINGS.read_bytes())
    (tmp_path / "brands").mkdir()
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    project = load_project(tmp_path)
    assert [(d.path, d.line, d.code) for d in project.diagnostics] == expected
    assert all("提示：" in d.message for d in project.diagnostics)


def test_numbers_side_by_side_in_a_table_are_not_a_mobile():
    """A table's cells flattened into search text ("2022 1351 2023 101") stand side by side;
    the same digits written as a mobile is written (3-4-4) are still one."""
    assert find_pii("年份 培训人次 带动就业 2021 1581 102 2022 1351 2023 101") == []
    assert [p.kind for p in find_pii("值班电话 135 1202 3101")] == ["mobile"]
    assert [p.kind for p in find_pii("值班电话 1351-2023-101")] == ["mobile"]  # written on purpose
    # Pagefind's search text joins cells with ". " and zero-width spaces around words
    assert find_pii("\u200b2022\u200b. \u200b1351\u200b. \u200b2023\u200b. \u200b101\u200b.") == []
    # cells whose lengths happen to be a mobile's grouping (3-4-4, 3-8, 4-7) are still cells
    for cells in (("182", "1814", "2023"), ("139", "20231101"), ("1390", "2023110"),
                  ("2021", "136", "1404", "1045")):
        assert find_pii("\u200b. \u200b".join(cells) + "\u200b.") == [], cells
        assert find_pii("。 ".join(cells)) == [], cells
    # a number in one cell, decimals in the next ones: a results table's row in search text
    for row in ("示例·云岭农技01837. 9.36. 9.36. 9.36. 93.60. 市级", "品牌01470. 9.40. 9.40. 94.00.",
                "\u200b01837\u200b. \u200b9.36\u200b. \u200b9.36\u200b. \u200b9.36\u200b.",
                "编号 13800。 1234.5678 分"):
        assert find_pii(row) == [], row
    # while the same digits written in a sentence with spaces, or with dots on purpose, are one
    assert [p.kind for p in find_pii("电话 182 1814 2023。")] == ["mobile"]
    assert [p.kind for p in find_pii("电话 182.1814.2023")] == ["mobile"]
