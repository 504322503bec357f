"""Attacks on the docs/ scanner's Office and text/CSV parts (validate/files.py), and the shared
CSV formula rule (text.csv_formula) the post-build check uses too: hostile files refused,
realistic ones accepted. Every file here is built from fictional content."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from site_builder.text import csv_formula, csv_formula_cells
from site_builder.validate.files import check_docs_files
from site_builder.validate.personal_data import is_resident_id

FICTIONAL_ID = "11010519491231002X"  # the standard's own worked example
FICTIONAL_MOBILE = "13800001234"
assert is_resident_id(FICTIONAL_ID)

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Default Extension="png" ContentType="image/png"/></Types>')


def rels(*items: tuple[str, str, bool]) -> str:
    """(type, target, external) relationships."""
    body = "".join(f'<Relationship Id="rId{i}" Type="{R}/{t}" Target="{g}"'
                   + (' TargetMode="External"' if ext else "") + "/>"
                   for i, (t, g, ext) in enumerate(items, start=1))
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'


def zipped(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def para(text: str) -> str:
    return f'<w:p w:rsidR="00A1B2C3" w14:paraId="1A2B3C4D"><w:r><w:t>{text}</w:t></w:r></w:p>'


def docx(body: str, extra: dict | None = None, doc_rels: str = rels()) -> bytes:
    document = (f'<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="{WP}" '
                'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w:body>'
                f'{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" '
                'w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992"/>'
                '</w:sectPr></w:body></w:document>')
    return zipped({"[Content_Types].xml": TYPES, "_rels/.rels": rels(("officeDocument", "word/document.xml", False)),
                   "word/document.xml": document, "word/_rels/document.xml.rels": doc_rels, **(extra or {})})


def cell(ref: str, value, kind: str = "") -> str:
    return f'<c r="{ref}"' + (f' t="{kind}"' if kind else "") + f"><v>{value}</v></c>"


def xlsx(rows: str, sheets: str = '<sheet name="统计" sheetId="1" r:id="rId1"/>', sheet_extra: str = "",
         extra: dict | None = None, shared: tuple[str, ...] = ("年份", "培训人次")) -> bytes:
    strings = "".join(f"<si><t>{s}</t></si>" for s in shared)
    return zipped({
        "[Content_Types].xml": TYPES, "_rels/.rels": rels(("officeDocument", "xl/workbook.xml", False)),
        "xl/workbook.xml": f'<workbook xmlns="{S}" xmlns:r="{R}"><sheets>{sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": rels(("worksheet", "worksheets/sheet1.xml", False),
                                           ("sharedStrings", "sharedStrings.xml", False)),
        "xl/sharedStrings.xml": f'<sst xmlns="{S}" count="{len(shared)}">{strings}</sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{S}" xmlns:r="{R}"><dimension ref="A1:B9"/>'
                                    f'<cols><col min="1" max="2" width="12.5" customWidth="1"/></cols>'
                                    f"<sheetData>{rows}</sheetData>{sheet_extra}</worksheet>",
        **(extra or {})})


def pptx(shapes: str, extra: dict | None = None) -> bytes:
    slide = (f'<p:sld xmlns:p="{P}" xmlns:a="{A}" xmlns:r="{R}"><p:cSld><p:spTree>{shapes}'
             "</p:spTree></p:cSld></p:sld>")
    return zipped({
        "[Content_Types].xml": TYPES, "_rels/.rels": rels(("officeDocument", "ppt/presentation.xml", False)),
        "ppt/presentation.xml": f'<p:presentation xmlns:p="{P}" xmlns:r="{R}"><p:sldSz cx="12192000" '
                                'cy="6858000"/></p:presentation>',
        "ppt/_rels/presentation.xml.rels": rels(("slide", "slides/slide1.xml", False)),
        "ppt/slides/slide1.xml": slide, **(extra or {})})


def shape(text: str, descr: str = "") -> str:
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="2" name="文本框 1" descr="{descr}"/></p:nvSpPr><p:spPr>'
            '<a:xfrm><a:off x="1524000" y="1397000"/><a:ext cx="9144000" cy="1470025"/></a:xfrm>'
            f'</p:spPr><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>')


def field(*pieces: str, shown: str = "1") -> str:
    """A Word field whose code is written over several instrText runs."""
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{p}</w:instrText></w:r>' for p in pieces)
    return (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}<w:r><w:fldChar '
            f'w:fldCharType="separate"/></w:r><w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar '
            'w:fldCharType="end"/></w:r></w:p>')


def png(text: dict[str, str] | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def check(tmp_path: Path, name: str, data: bytes | str):
    f = tmp_path / "docs" / name
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_bytes(data.encode() if isinstance(data, str) else data)
    checked = check_docs_files(tmp_path)
    return name in checked.accepted, [str(d.code) for d in checked.diagnostics], checked.diagnostics


# -- Office: realistic files stay accepted -----------------------------------------------------

STATS_ROWS = "".join(f'<row r="{i}">' + cell(f"A{i}", 2015 + i) + cell(f"B{i}", 1000 + i * 137) + "</row>"
                     for i in range(2, 10)) + '<row r="10"><c r="B10"><f>SUM(B2:B9)</f><v>12932</v></c></row>'
REPORT = (field(' TOC \\o "1-3" \\h \\z \\u ') + para("2023年示例市劳务品牌培训13800人次，就业人数1,234,567人。")
          + field(" PAGE ", shown="2") + field(' HYPERLINK "https://www.example.org/brands/" ', shown="示例")
          + '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="5274310" cy="2966720"/><wp:docPr id="1" '
          'name="图片 1" descr="示例家政培训现场"/></wp:inline></w:drawing></w:r></w:p>')


@pytest.mark.parametrize("name, data", [
    ("stats.xlsx", xlsx('<row r="1">' + cell("A1", 0, "s") + cell("B1", 1, "s") + "</row>" + STATS_ROWS,
                        extra={"xl/printerSettings/printerSettings1.bin":
                               "HP LaserJet 示例".encode("utf-16-le") + bytes(range(256))})),
    ("report.docx", docx(REPORT, extra={"word/media/image1.png": png()},
                         doc_rels=rels(("image", "media/image1.png", False),
                                       ("hyperlink", "https://www.example.org/brands/", True)))),
    ("slides.pptx", pptx(shape("2023年培训13800人次", descr="示例厨师培训合影"),
                         extra={"ppt/notesSlides/notesSlide1.xml":
                                f'<p:notes xmlns:p="{P}" xmlns:a="{A}"><p:cSld><p:spTree>'
                                f'{shape("讲解时强调培训人次同比增长8.7%")}</p:spTree></p:cSld></p:notes>'})),
])
def test_realistic_office_files_are_accepted(tmp_path, name, data):
    accepted, codes, diagnostics = check(tmp_path, name, data)
    assert accepted and codes == [], [d.format() for d in diagnostics]


# -- Office: numbers outside element text --------------------------------------------------------

@pytest.mark.parametrize("name, data", [
    ("alt.docx", docx(f'<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="图片 1" descr="身份证 '
                      f'{FICTIONAL_ID}"/></wp:inline></w:drawing></w:r></w:p>')),
    ("alt.pptx", pptx(shape("示例", descr=f"电话{FICTIONAL_MOBILE}"))),
    ("prompt.xlsx", xlsx(STATS_ROWS, sheet_extra=f'<dataValidations count="1"><dataValidation type="list" '
                         f'sqref="A1" prompt="联系{FICTIONAL_MOBILE}"/></dataValidations>')),
    ("tab.xlsx", xlsx(STATS_ROWS, sheets=f'<sheet name="{FICTIONAL_MOBILE}" sheetId="1" r:id="rId1"/>')),
    ("formula.xlsx", xlsx(f'<row r="1"><c r="A1" t="str"><f>"{FICTIONAL_ID}"</f></c></row>')),
    ("link.docx", docx(para("点这里"), doc_rels=rels(
        ("hyperlink", f"https://www.example.org/form?sfz={FICTIONAL_ID}&amp;tel={FICTIONAL_MOBILE}", True)))),
    ("author.docx", docx(para("正文"), extra={"word/comments.xml": f'<w:comments xmlns:w="{W}"><w:comment '
                         f'w:id="0" w:author="示例{FICTIONAL_MOBILE}"/></w:comments>'})),
    ("custom.docx", docx(para("正文"), extra={"customXml/item1.xml":
                                             f'<root><a tel="{FICTIONAL_MOBILE}"/></root>'})),
    ("tail.docx", docx(para("正文"), extra={"customXml/item1.xml": f"<root><a/>{FICTIONAL_ID}</root>"})),
    ("vml.docx", docx(para("正文"), extra={"word/drawings/vmlDrawing1.vml":
                                          f"<xml><v:textbox><div>{FICTIONAL_ID}<br></div></v:textbox></xml>"})),
    ("picture.docx", docx(para("正文"), extra={"word/media/image1.png": png({"Comment": FICTIONAL_MOBILE})})),
    ("printer.xlsx", xlsx(STATS_ROWS, extra={"xl/printerSettings/printerSettings1.bin":
                                            f"owner {FICTIONAL_MOBILE}".encode("utf-16-le")})),
    ("numfmt.xlsx", xlsx(STATS_ROWS, extra={"xl/styles.xml": f'<styleSheet xmlns="{S}"><numFmts count="1">'
                                           f'<numFmt numFmtId="164" formatCode="&quot;{FICTIONAL_MOBILE}&quot;0"/>'
                                           "</numFmts></styleSheet>"})),
])
def test_numbers_in_attributes_formulas_links_and_binary_parts_are_refused(tmp_path, name, data):
    accepted, codes, _ = check(tmp_path, name, data)
    assert not accepted and ({"P001", "P002"} & set(codes)), codes


def test_a_picture_that_is_not_one_is_refused(tmp_path):
    accepted, codes, _ = check(tmp_path, "fake.docx", docx(para("正文"), extra={
        "word/media/image1.png": b"\x89PNG\r\n\x1a\ntEXtComment\x00" + FICTIONAL_ID.encode()}))
    assert not accepted and "P016" in codes


# -- Office: content that runs or fetches -------------------------------------------------------

@pytest.mark.parametrize("name, data", [
    ("dde-split.docx", docx(field("DD", 'EAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'))),
    ("include.docx", docx('<w:p><w:fldSimple w:instr=\'INCLUDETEXT "\\\\\\\\files.invalid\\\\a.docx"\'>'
                          "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>")),
    ("picture-field.docx", docx(field(' INCLUDEPICTURE "https://www.example.org/p.png" \\d '))),
    ("link-field.docx", docx(field(' LINK Excel.Sheet.12 "C:\\\\a.xlsx" "Sheet1!R1C1" '))),
    ("import.docx", docx(field(" IMPORT C:\\\\a.png "))),
    ("ddelink.xlsx", xlsx(STATS_ROWS, extra={"xl/externalLinks/externalLink1.xml":
                          f'<externalLink xmlns="{S}"><ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>'})),
    ("connection.xlsx", xlsx(STATS_ROWS, extra={"xl/connections.xml": f'<connections xmlns="{S}"><connection '
                             'id="1" name="q" refreshOnLoad="1"><webPr url="https://www.example.org/t"/>'
                             "</connection></connections>"})),
    ("webservice.xlsx", xlsx('<row r="1"><c r="A1"><f>WEBSERVICE("https://www.example.org/t")</f></c></row>')),
    ("macro-action.pptx", pptx('<p:sp><p:nvSpPr><p:cNvPr id="2" name="x"><a:hlinkClick r:id="" '
                               'action="ppaction://macro?name=Run"/></p:cNvPr></p:nvSpPr></p:sp>')),
    ("ole-renamed.docx", docx(para("正文"), doc_rels=rels(("oleObject", "media/image2.png", False)),
                              extra={"word/media/image2.png": png()})),
])
def test_fields_links_and_connections_that_run_or_fetch_are_refused(tmp_path, name, data):
    accepted, codes, _ = check(tmp_path, name, data)
    assert not accepted and "P015" in codes, codes


# -- CSV and text ------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["-", "—", "-12.5%", "-1,234", "+12", "-1.5e3", "@示例局官方微博", "-12",
                                  "+86 20 8333 1234", "2023", "示例-家政"])
def test_numbers_and_placeholders_are_data(cell):
    assert not csv_formula(cell)


@pytest.mark.parametrize("cell", ["=1+1", " =1+1", "\t=1+1", "＝1+1", "@SUM(A1)", "+HYPERLINK(\"x\")",
                                  "-cmd|' /c calc'!A1", "-2+3+cmd|' /c calc'!A0"])
def test_formulas_are_found(cell):
    assert csv_formula(cell)


@pytest.mark.parametrize("text, line", [
    ("sep=;\na;b\n1;=1+1\n", 3),
    ("sep=|\na|b\n1|=cmd|' /c calc'!A1\n", 3),
    ("a;b\n1;=1+1\n", 2),  # Excel in a locale whose list separator is a semicolon
    ("a\tb\n1\t=1+1\n", 2),
])
def test_formulas_are_found_whatever_the_separator(tmp_path, text, line):
    assert [found[0] for found in csv_formula_cells(text)] == [line]
    accepted, codes, diagnostics = check(tmp_path, "list.csv", text)
    assert not accepted and codes == ["P017"] and diagnostics[0].line == line


def test_a_statistics_csv_with_dashes_signs_and_handles_is_accepted(tmp_path):
    text = ("地区,2022年,2023年,增长率,变化,官方微博\n示例区,1380,1500,8.7%,+12,@示例局官方微博\n"
            "示例新区,-,120,-12.5%,\"-1,234\",-\n示例镇,-1.5e3,—,-,-12,\n")
    accepted, codes, diagnostics = check(tmp_path, "stats.csv", text)
    assert accepted and codes == [], [d.format() for d in diagnostics]


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)>\n", "<a href=javascript:alert(1)>x</a>\n",
                                  "<style>@import url(//x.invalid)</style>\n", "< ?xml version='1.0'?>\n",
                                  "说明\n</textarea><b>x</b>\n", "<!-- x -->\n"])
def test_markup_in_text_is_refused(tmp_path, text):
    accepted, codes, _ = check(tmp_path, "readme.txt", text)
    assert not accepted and "P015" in codes


def test_plain_text_with_comparisons_is_accepted(tmp_path):
    accepted, codes, _ = check(tmp_path, "readme.txt", "增长率 <5% 的地区 3 个；a < b；咨询电话 020-83331234。\n")
    assert accepted and codes == []
