"""Safety of record content: personal numbers, the story as sanitised HTML, image bounds.

The rejected records in tests/fixtures/hostile/rejected/ are a golden test: every line an editor
sees is stored in expected.txt (GOLDEN_UPDATE=1 rewrites it; review the diff by eye).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from site_builder.diagnostics import CODES, Code, Reporter
from site_builder.load.settings import load_settings
from site_builder.project import check_brand as load_brand
from site_builder.project import gather_brands as load_brands
from site_builder.validate import images
from site_builder.validate import story as safety
from site_builder.validate.images import image_file_problem
from site_builder.validate.personal_data import find_pii, is_resident_id
from site_builder.validate.story import check_story, sanitise, story_html, story_images

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"  # the fictional test settings
REJECTED = Path(__file__).resolve().parent / "fixtures" / "hostile" / "rejected"

# The example number printed in GB 11643 itself, and one more built with the same checksum.
ID_EXAMPLE = "11010519491231002X"
ID_OTHER = "440106199001010005"


@pytest.fixture(scope="module")
def vocab():
    settings, diags = load_settings(FIXTURES)
    assert settings is not None, diags
    return settings.vocab


# -- personal numbers ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, digits", [
    (f"身份证号 {ID_EXAMPLE}", "id", ID_EXAMPLE),
    ("身份证号 110105 19491231 002X", "id", ID_EXAMPLE),
    ("1101-0519-4912-3100-2x", "id", ID_EXAMPLE),
    ("１１０１０５１９４９１２３１００２Ｘ", "id", ID_EXAMPLE),  # full-width
    ("4401\u200b0619\u200c9001\u200d0100\u206005", "id", ID_OTHER),  # zero-width characters
    ("手机13800001234", "mobile", "13800001234"),
    ("手机 138 0000 1234", "mobile", "13800001234"),
    ("138-0000-1234", "mobile", "13800001234"),
    ("138 — 0000 — 1234", "mobile", "13800001234"),
    ("１３８００００１２３４", "mobile", "13800001234"),
    ("1\u200b3\u200b8\u200b0\u200b0\u200b0\u200b0\u200b1\u200b2\u200b3\u200b4", "mobile",
     "13800001234"),
    ("+86 150 0000 5678", "mobile", "15000005678"),
    ("008615000005678", "mobile", "15000005678"),
    ("2024 年 19900001234", "mobile", "19900001234"),
])
def test_personal_numbers_are_found_however_written(text, kind, digits):
    found = find_pii(text)
    assert [p.kind for p in found] == [kind]
    assert found[0].masked == digits[:3] + "*" * (len(digits) - 5) + digits[-2:]


@pytest.mark.parametrize("text", [
    "11010519491231002Y", "110105194912310021",  # wrong check character
    "990105194912310028",  # no such province
    "110105194902300027",  # 30 February
    "12800001234", "23800001234", "1380000123", "138000012345",
    "2019-2023 年培训 13800 人次", "穗人社发〔2022〕8号", "12345 热线", "020-12345678",
    "http://www.hunantoday.cn/article/202007/202007042207595040.html",
    "2026-11-27", "value 1.38000012 34",
    "urn:uuid:d92c4b19-3215-5384-9cb0-0ea81126aa74",  # hexadecimal ids are tokens, not numbers
    "sha256-ab13800001234cd", "post_13800001234.html",
])
def test_ordinary_numbers_are_not_personal(text):
    assert find_pii(text) == []


def test_resident_id_checksum():
    assert is_resident_id(ID_EXAMPLE) and is_resident_id(ID_OTHER)
    assert not is_resident_id(ID_EXAMPLE[:-1] + "0")
    assert not is_resident_id("11010519491231002")


@pytest.mark.parametrize("text, expected", [
    ("请拨 020-87654321", ["020******21"]),
    ("（020）8765 4321", ["020******21"]),
    ("0755-12345678", ["075*******78"]),
    ("400-123-4567 或 800 123 4567", ["400*****67", "800*****67"]),
    ("0201234567", []),  # a bare digit string is as often a code as a phone number
    ("12345", []),
])
def test_public_numbers_outside_their_fields(text, expected):
    assert [p.masked for p in find_pii(text, phones=True) if p.kind == "phone"] == expected
    assert find_pii(text) == []  # without `phones` only personal numbers count


def test_offsets_point_into_the_original_text():
    text = "甲\u200b乙 电话 1\u200b38 0000 1234 结束"
    (p,) = find_pii(text)
    assert text[p.start:p.end] == "1\u200b38 0000 1234"


def _record(slug: str, extra: str = "", body: str = "正文。\n") -> bytes:
    return (f"---\nslug: {slug}\nname: 示例·{slug}\nsummary: 虚构示例。\nstatus: 已发布\n"
            f"category: 高品质服务型\ndistricts: [海珠区]\n{extra}updated: 2026-11-27\n---\n"
            f"{body}").encode()


def test_public_phone_fields_are_allowed_and_others_are_not(tmp_path, vocab):
    extra = ("contact:\n  phone: 020-12345678\nvenues:\n  - name: 示例站\n    type: 服务站\n"
             "    district: 海珠区\n    phone: 400-123-4567\n    hours: 电话 020-12345678\n")
    brand, diags = load_brand(tmp_path, "brands/phones.md", vocab, _record("phones", extra))
    assert [d.format() for d in diags] == [
        ("brands/phones.md:15:15: error[P003]: venues[0].hours: 发现电话号码“020******78”；"
         "提示：单位的公开电话只能写在 contact.phone（联系方式）或 venues[].phone（场所电话）中，"
         "请移到那里，正文和其他字段中不要写电话。")]
    assert brand is None


def test_records_checked_beside_a_fork_give_what_one_process_gives(tmp_path, monkeypatch):
    """A large project's records are checked in two processes: the same brands in the same
    order, the same diagnostics (a name used twice across the two halves among them); a bug
    in the other process is raised here; with other threads running, no fork is made."""
    from site_builder import project

    settings, _ = load_settings(FIXTURES)
    (tmp_path / "brands").mkdir()
    for i in range(9):
        body = f"联系 1380000{i:04d}。\n" if i % 3 == 0 else "正文。\n"  # a mobile number
        record = _record(f"shili-{i}", "level: 不存在的级别\n" if i == 4 else "", body)
        if i == 8:
            record = record.replace("示例·shili-8".encode(), "示例·shili-1".encode())
        (tmp_path / "brands" / f"shili-{i}.md").write_bytes(record)
    checked = []
    check = project.check_brand

    def counted(root, relpath, vocab, data=None):
        checked.append(relpath)
        if relpath.endswith("shili-3.md") and fail:
            raise RuntimeError("示例：另一进程中的错误")
        return check(root, relpath, vocab, data)

    monkeypatch.setattr(project, "check_brand", counted)
    fail = False

    def run(threshold, threads=1):
        checked.clear()
        monkeypatch.setattr(project, "_RECORD_CACHE", {})
        monkeypatch.setattr(project, "PARALLEL_RECORDS", threshold)
        monkeypatch.setattr(project.threading, "active_count", lambda: threads)
        monkeypatch.setattr(project, "_cores", lambda: 2)  # a one-core runner too
        brands, diags = load_brands(tmp_path, settings)
        return [(b.slug, b.data, b.body) for b in brands], [d.as_dict() for d in diags]

    alone = run(10**6)
    assert len(checked) == 9
    beside = run(1)
    assert beside == alone and len(checked) == 5  # this process checked every other record
    codes = sorted({d["code"] for d in alone[1]})
    assert codes == ['B004', 'B009', 'P002'], codes  # the level, the name used twice, the number
    assert len(alone[0]) < 9
    assert run(1, threads=2) == alone and len(checked) == 9
    fail = True
    with pytest.raises(RuntimeError, match="另一进程"):
        run(1)


def test_what_was_printed_before_the_fork_is_printed_once(tmp_path):
    """Output still buffered when the records' second process is forked is not written twice
    (by the fork as it ends): `site-builder validate` piped to a file or a CI log."""
    import subprocess
    import sys

    (tmp_path / "brands").mkdir()
    for i in range(4):
        (tmp_path / "brands" / f"shili-{i}.md").write_bytes(_record(f"shili-{i}"))
    code = ("import sys; from pathlib import Path; from site_builder import project; "
            "from site_builder.load.settings import load_settings; "
            "project.PARALLEL_RECORDS = 1; project._cores = lambda: 2; print('开始校验'); "
            f"s, _ = load_settings(Path({str(FIXTURES)!r})); "
            f"b, d = project.gather_brands(Path({str(tmp_path)!r}), s); print(len(b))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["开始校验", "4"]


def test_a_story_too_deep_to_convert_is_not_kept(tmp_path, monkeypatch):
    """Whether Python-Markdown runs out of stack depends on how deep the call was: its escaped
    text is shown, and not kept for another build."""
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(safety, "_SAFE_HTML", {})

    def too_deep(body):
        raise safety.StoryTooComplex("嵌套过深")

    monkeypatch.setattr(safety, "story_markdown", too_deep)
    assert story_html("示例 <正文>") == "<p>示例 &lt;正文&gt;</p>"
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]


def _figure(value: str) -> str:
    return (f"figures:\n  - label: 带动就业\n    value: {value}\n    unit: 人次\n"
            "    as_of: 2024\n    source: s\nsources:\n  - id: s\n    outlet: 示例日报\n")


def test_numbers_in_number_fields_are_quantities(tmp_path, vocab):
    brand, diags = load_brand(tmp_path, "brands/counts.md", vocab,
                              _record("counts", _figure("2800000")))
    assert diags == [] and brand is not None


def test_a_mobile_number_in_a_number_field_is_found(tmp_path, vocab):
    # A number field is published as a JSON number in the open data: it is checked too.
    brand, diags = load_brand(tmp_path, "brands/counts.md", vocab,
                              _record("counts", _figure("13800001234")))
    assert brand is None
    assert sorted((d.line, d.code) for d in diags) == [(10, "B006"), (10, "P002")]


def test_block_text_reports_the_line_of_the_number(tmp_path, vocab):
    extra = "policy:\n  plan: |\n    第一行。\n    第二行 13800001234。\n"
    _, diags = load_brand(tmp_path, "brands/block.md", vocab, _record("block", extra))
    assert [(d.line, d.code, d.field) for d in diags] == [(11, "P002", "policy.plan")]


# -- the story ----------------------------------------------------------------------------------

def _story_diags(body: str, folder: Path | None = None) -> list[tuple[int, str]]:
    rep = Reporter("brands/x.md")
    check_story(body, 10, rep, folder)
    return sorted((d.line, d.code) for d in rep.items)


@pytest.mark.parametrize("body, expected", [
    ("<script>alert(1)</script>", [(10, "P004")]),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", [(10, "P004")]),
    ("文字\n\n<iframe src=x></iframe>", [(12, "P004")]),
    ("<style>body{display:none}</style>", [(10, "P004")]),
    ("<form action=x><input name=q></form>", [(10, "P004"), (10, "P004")]),
    ("<svg onload=alert(1)>", [(10, "P004"), (10, "P005")]),
    ("a <b onclick=alert(1)>b</b>", [(10, "P005")]),
    ("<p style=\"position:fixed\">x</p>", [(10, "P005")]),
    ("<img src=x.png alt=a onerror=alert(1)>", [(10, "P005")]),
    ("[x](javascript:alert(1))", [(10, "P006")]),
    ("[x](JAVASCRIPT:alert(1))", [(10, "P006")]),
    ("[x]( \tjavascript:alert(1))", [(10, "P006")]),
    ("[x](&#106;avascript:alert(1))", [(10, "P006")]),
    ("[x](&#x6A;avascript&colon;alert(1))", [(10, "P006")]),
    ("[x](java\nscript:alert(1))", [(10, "P006")]),
    ("[x](vbscript:msgbox(1))", [(10, "P006")]),
    ("[x](data:text/html,<script>alert(1)</script>)", [(10, "P006")]),
    ("[x][r]\n\n[r]: javascript:alert(1)", [(12, "P006")]),
    ("<a href=\"javascript:alert(1)\">x</a>", [(10, "P006")]),
    ("![x](data:image/png;base64,AAAA)", [(10, "P006")]),
    ("![x](https://evil.example/a.png)", [(10, "P008")]),
    ("![x](//evil.example/a.png)", [(10, "P008")]),
    ("## 标题 {#search}", [(10, "P007")]),
    ("段落\n{: .cls onclick=alert(1) }", [(11, "P007")]),
    ("<h2 id=\"__search\">x</h2>", [(10, "P004")]),
    ("<abbr id=\"__config\" title=t>x</abbr>", [(10, "P005")]),
    ("a\n\n</div></main>", [(12, "P004"), (12, "P004")]),
    ("<?php echo 1; ?>", [(10, "P004")]),
])
def test_unsafe_story_content_is_reported_at_its_line(body, expected):
    assert _story_diags(body) == expected


@pytest.mark.parametrize("body", [
    "普通的一段话。\n\n## 小标题\n\n- 列表\n- 列表\n\n1. 一\n2. 二\n",
    "[官网](https://example.com/) [站内](../other/) [邮件](mailto:a@example.com) <a@example.com>",
    "`<script>alert(1)</script>` 和 `{: onclick=x}` 都在代码里\n\n    <iframe>缩进代码</iframe>\n",
    "a <b>粗</b> <i>斜</i> <sup>1</sup><sub>2</sub> <del>删</del> <mark>标</mark> <br> 换行",
    "&lt;script&gt; 和 AT&T、a < b > c、5 > 3",
    "| 左 | 右 |\n|:--|--:|\n| 1 | 2 |\n",
    "<!-- 编辑备注，不会显示 -->\n\n正文",
    "javascript:alert(1) 只是文字",
])
def test_safe_story_content_passes(body):
    assert _story_diags(body) == []


def test_story_html_is_sanitised_and_headings_fit_under_the_page():
    html = story_html("# 发展历程\n\n## search\n\n正文 <b>粗</b> [x](https://example.com/)\n\n"
                      "![图](a.png)\n\n<script>alert(1)</script>\n\n[y](javascript:alert(1))")
    assert '<h3 id="lb-story-发展历程">发展历程</h3>' in html
    assert '<h4 id="lb-story-search">search</h4>' in html
    assert '<img alt="图" src="a.png" loading="lazy">' in html
    assert "<script" not in html and "javascript:" not in html and "alert" not in html
    assert '<a href="https://example.com/">x</a>' in html


def test_plain_story_is_unchanged_by_the_sanitiser():
    body = "第一段。\n\n第二段 *强调* 和 **加粗**。\n\n- 一\n- 二\n"
    rendered = safety.story_markdown(body)
    assert sanitise(rendered).replace('loading="lazy" ', "") == rendered


def test_story_images_must_be_in_the_brand_folder(tmp_path):
    folder = tmp_path / "brands" / "x"
    folder.mkdir(parents=True)
    Image.new("RGB", (2, 2)).save(folder / "ok.png")
    (tmp_path / "secret.png").write_bytes((folder / "ok.png").read_bytes())
    os.symlink("../../secret.png", folder / "link.png")
    body = ("![好](ok.png)\n\n![缺](missing.png)\n\n![越界](../y/a.png)\n\n![链接](link.png)\n\n"
            "![](ok.png)")
    assert _story_diags(body, folder) == [(12, "B010"), (14, "B011"),
                                          (16, "B011"), (18, "B014")]
    assert story_images("![好](ok.png) ![外](https://example.com/a.png)") == ["ok.png"]


def test_pathological_stories_are_refused_quickly():
    # also in stories that are otherwise plain text with plain links
    for body in ("[" * 20_000, "<a " * 5_000, "1. " * 600, "x" * 40_000, "< 3 " * 1_500,
                 "[a](b) " * 1_500):
        start = time.perf_counter()
        codes = [c for _, c in _story_diags(body)]
        assert codes == ["P013"], body[:10]
        assert time.perf_counter() - start < 2.0, body[:10]


# -- images -------------------------------------------------------------------------------------

def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def test_image_bounds(tmp_path, monkeypatch):
    ok = tmp_path / "ok.jpg"
    Image.new("RGB", (40, 30)).save(ok, "JPEG")
    assert image_file_problem(ok) is None
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header(100_000, 100_000))
    start = time.perf_counter()
    assert image_file_problem(bomb)[0] is Code.P011
    assert time.perf_counter() - start < 0.5  # the header alone decides
    tall = tmp_path / "tall.png"
    tall.write_bytes(_png_header(10, 20_000))
    assert image_file_problem(tall)[0] is Code.P011
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    assert image_file_problem(svg)[0] is Code.P012
    bmp = tmp_path / "a.bmp"
    Image.new("RGB", (4, 4)).save(bmp, "BMP")
    code, message = image_file_problem(bmp)
    assert code is Code.P012 and "BMP" in message
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 100)
    code, message = image_file_problem(ok)
    assert code is Code.P010 and "ok.jpg" in message


# -- the codes and the golden corpus ------------------------------------------------------------

def test_every_safety_code_is_documented():
    codes = [c for c in CODES if c.startswith("P")]
    assert len(codes) >= 20
    for code in codes:
        c = CODES[code]
        assert c.title and c.info.explain and c.info.example and c.fix
        assert re.search(r"[\u4e00-\u9fff]", c.info.explain + c.fix)


def _rejected_lines(root: Path, vocab_) -> str:
    settings, _ = load_settings(FIXTURES)
    brands, diags = load_brands(root, settings)
    assert brands == []  # every one of them is refused
    return "".join(d.format() + "\n" for d in sorted(diags, key=lambda d: (d.path, d.line,
                                                                            d.col, d.code)))


def test_rejected_records_golden(tmp_path, vocab):
    root = tmp_path / "project"
    shutil.copytree(REJECTED / "brands", root / "brands")
    actual = _rejected_lines(root, vocab)
    expected_file = REJECTED / "expected.txt"
    if os.environ.get("GOLDEN_UPDATE"):
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")
    files = sorted(p.name for p in (REJECTED / "brands").glob("*.md"))
    assert all(f"brands/{f}:" in actual for f in files), "每个被拒的档案都要有提示"


def test_an_image_decoded_in_full_before_is_not_decoded_again(tmp_path, monkeypatch):
    """An image whose every pixel this program decoded before (the same bytes) is checked from
    its header alone; a file cut short is found every time, a changed file is decoded again."""
    from PIL import ImageFile

    from site_builder.cache import DECODED_IMAGES

    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    loads = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load",
                        lambda self: (loads.append(self.format), real_load(self))[1])
    photo = tmp_path / "photo.jpg"
    Image.effect_noise((320, 240), 60).convert("RGB").save(photo, "JPEG")
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(photo.read_bytes()[:len(photo.read_bytes()) // 2])  # the pixels cut short

    def check(path):
        loads.clear()
        return image_file_problem(path), len(loads)

    assert check(photo) == (None, 1)
    assert check(photo) == (None, 0)
    for _ in range(2):
        (code, message), decoded = check(cut)
        assert code is Code.P012 and "不完整" in message and decoded == 1
    Image.new("RGB", (64, 48), "olive").save(photo, "JPEG")
    assert check(photo) == (None, 1)
    assert check(photo) == (None, 0)
    marks = [p for p in (tmp_path / "cache" / DECODED_IMAGES).rglob("*") if p.is_file()]
    assert len(marks) == 2
