"""Files under docs/ other than pages: only the types of validate/files.py's table, each through
its scanner (personal numbers, active content), are published; every other type and every link
is refused at validation, with a Chinese message at the file, and the build writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from pathlib import Path

import pytest
from sitecopy import copy_demo

from site_builder import cli
from site_builder.build import build_site
from site_builder.project import load_project
from site_builder.validate.files import check_docs_files
from site_builder.validate.personal_data import is_resident_id

BUILD_DATE = dt.date(2026, 12, 1)
FICTIONAL_ID = "11010519491231002X"  # the standard's own worked example
FICTIONAL_MOBILE = "13800001234"
assert is_resident_id(FICTIONAL_ID)


# -- files made here, as a publicity office would export them ------------------------------------

def pdf(lines: list[str], catalog: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF whose text is `lines` in a standard Chinese font (STSong-Light, not
    embedded), compressed as office software writes it; `catalog` adds to the document catalog
    and `extra` appends objects (numbered from 6)."""
    ops = [b"BT /F1 14 Tf 72 760 Td 20 TL"]
    ops += [b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*" for line in lines]
    content = zlib.compress(b"\n".join(ops + [b"ET"]))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R"
        b" >> >> /Contents 5 0 R >>"),
        (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> >>] >>"),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content
        + b"\nendstream",
        *extra,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def pdf_hiding(action: bytes) -> bytes:
    """The notice with `action` as its opening action, kept compressed in an object stream (as
    PDF 1.5 writers do) and found through a cross-reference stream: nothing of it is in the
    file's plain bytes, so only reading the objects finds it."""
    plain = pdf(NOTICE, b"/OpenAction 7 0 R")
    head = plain[: plain.index(b"xref\n")]
    offsets = [int(line[:10]) for line in plain[plain.index(b"xref\n"):].split(b"\n")[3:8]]
    packed = zlib.compress(b"7 0 " + action)
    out = bytearray(head)
    offsets.append(len(out))
    out += (b"6 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length %d /Filter /FlateDecode >>\nstream\n"
            % len(packed) + packed + b"\nendstream\nendobj\n")
    xref_at = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    rows += [b"\x01" + o.to_bytes(4, "big") + b"\x00\x00" for o in offsets]
    rows += [b"\x02" + (6).to_bytes(4, "big") + b"\x00\x00",
             b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00"]
    table = zlib.compress(b"".join(rows))
    out += (b"8 0 obj\n<< /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Length %d /Filter "
            b"/FlateDecode >>\nstream\n" % len(table) + table + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def deep_pdf() -> bytes:
    """A catalog entry nested far deeper than any real document nests anything."""
    return pdf(NOTICE, b"/Extra " + b"[" * 200 + b"/JavaScript" + b"]" * 200)


NOTICE = ["示例市劳务品牌认定结果公告", "根据《示例市劳务品牌认定办法》，经评审和公示，",
          "认定示例家政等 3 个品牌为市级劳务品牌。", "咨询电话：020-12345678",
          "示例市人力资源和社会保障局", "2026 年 11 月 20 日"]

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/{main}" ContentType="{type}"/></Types>')
_ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/officeDocument" Target="{main}"/></Relationships>')
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def docx(paragraphs: list[list[str]], extra: dict[str, str | bytes] | None = None,
         content_type: str = "application/vnd.openxmlformats-officedocument.wordprocessingml."
         "document.main+xml", doc_rels: str = "") -> bytes:
    """A Word document: each paragraph a list of runs (Word splits text into runs freely)."""
    body = "".join("<w:p>" + "".join(f"<w:r><w:rPr><w:b/></w:rPr><w:t>{t}</w:t></w:r>" for t in p)
                   + "</w:p>" for p in paragraphs)
    parts = {
        "[Content_Types].xml": _CT.format(main="word/document.xml", type=content_type),
        "_rels/.rels": _ROOT_RELS.format(main="word/document.xml"),
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}">'
                             f"<w:body>{body}</w:body></w:document>",
        "word/_rels/document.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + doc_rels + "</Relationships>",
        "docProps/core.xml": '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp='
        '"http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc='
        '"http://purl.org/dc/elements/1.1/"><dc:creator>示例市人社局</dc:creator>'
        "<cp:revision>3</cp:revision></cp:coreProperties>",
    }
    return _zip({**parts, **(extra or {})})


def xlsx(rows: list[list[str | int]]) -> bytes:
    """An Excel workbook: text in shared strings, numbers in the cells, as Excel writes them."""
    strings: list[str] = []
    cells = []
    for r, row in enumerate(rows, start=1):
        out = []
        for c, value in enumerate(row):
            ref = f"{'ABCDEFGH'[c]}{r}"
            if isinstance(value, str):
                strings.append(value)
                out.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            else:
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
        cells.append(f'<row r="{r}">{"".join(out)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    return _zip({
        "[Content_Types].xml": _CT.format(
            main="xl/workbook.xml",
            type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        "_rels/.rels": _ROOT_RELS.format(main="xl/workbook.xml"),
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{_REL}"><sheets><sheet name="名单" '
                           'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/sharedStrings.xml": f"<sst {ns}>" + "".join(f"<si><t>{s}</t></si>" for s in strings)
                                + "</sst>",
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}><sheetData>{''.join(cells)}</sheetData>"
                                    "</worksheet>",
        "xl/printerSettings/printerSettings1.bin": b"\x00" * 64,  # Excel keeps one: harmless
    })


CLEAN_TABLE = [["品牌名称", "所在区", "带动就业（人）"], ["示例家政", "示例区", 1200],
               ["示例厨师", "示例新区", 860]]
XHTML_SCRIPT = ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
                "<script>alert(document.cookie)</script></body></html>")


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_demo(tmp_path / "project", full=True)


def found(root: Path) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.code) for d in load_project(root).diagnostics]


def put(root: Path, rel: str, data: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- accepted: what a publicity office publishes ---------------------------------------------------

ACCEPTED = {
    "docs/files/notice-2026.pdf": pdf(NOTICE),
    # as Word and WPS write it: open at the first page, a link to the bureau's site
    "docs/files/notice-2026-2.pdf": pdf_hiding(b"<< /S /GoTo /D [3 0 R /Fit] >>"),
    "docs/files/notice-2026-3.pdf": pdf(NOTICE, b"/OpenAction [3 0 R /XYZ 0 842 0]",
                                        ((b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << "
                                         b"/S /URI /URI (https://www.example.gov.cn/) >> >>"),)),
    "docs/files/brands-2026.xlsx": xlsx(CLEAN_TABLE),
    "docs/files/policy-2026.docx": docx([["示例市劳务品牌", "培育办法"], ["第一条 为了……"],
                                         ["咨询电话：020-12345678"]]),
    "docs/files/brands-2026.csv": "品牌名称,所在区,变化\n示例家政,示例区,-12\n示例厨师,示例新区,3\n",
    "docs/files/readme.txt": "本文件夹中是示例市劳务品牌的公开文件。\n",
}


def test_what_an_office_publishes_is_accepted_and_published_byte_for_byte(project):
    for rel, data in ACCEPTED.items():
        put(project, rel, data)
    put(project, "docs/files/Thumbs.db", b"\x00system file")  # written by Windows, not ours
    checked = check_docs_files(project)
    assert checked.diagnostics == []
    assert {f"files/{n}" for n in ("notice-2026.pdf", "notice-2026-2.pdf", "brands-2026.xlsx", "policy-2026.docx",
                                   "brands-2026.csv", "readme.txt")} <= checked.accepted
    result = build_site(project, project / "site", build_date=BUILD_DATE)
    assert result.ok, [d.format() for d in result.diagnostics + result.findings] + result.problems
    for rel, data in ACCEPTED.items():
        published = project / "site" / rel.removeprefix("docs/")
        expected = data.encode("utf-8") if isinstance(data, str) else data
        assert published.read_bytes() == expected, rel
    assert not (project / "site" / "files" / "Thumbs.db").exists()  # checked by nothing: left out
    for name in ("site.css", "site.js", "search.js", "directory.js"):  # the theme's own code
        assert (project / "site" / "assets" / name).is_file()


# -- refused: personal numbers, active content, other types, links ---------------------------------

REFUSED = [
    ("docs/files/list.pdf", pdf(NOTICE + [f"申请人身份证号：{FICTIONAL_ID}"]), 1, "P001", "第 1 页"),
    ("docs/files/list.pdf", pdf(NOTICE + [(f"联系人：王老师 {FICTIONAL_MOBILE[:3]} "
                                          f"{FICTIONAL_MOBILE[3:7]} {FICTIONAL_MOBILE[7:]}")]),
     1, "P002", "手机号"),
    ("docs/files/notice.pdf", pdf(NOTICE, b"/OpenAction 6 0 R",
                                  (b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>",)),
     1, "P015", "JavaScript"),
    # the name written with #xx escapes, as a hostile file would
    ("docs/files/notice.pdf", pdf(NOTICE, b"/Names << /J#61vaScript 6 0 R >>",
                                  (b"<< /Names [(a) << /S /J#61vaScript /JS (x) >>] >>",)),
     1, "P015", "JavaScript"),
    ("docs/files/notice.pdf", pdf(NOTICE, b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
     1, "P015", "启动程序"),
    ("docs/files/notice.pdf", pdf(NOTICE, b"/Names << /EmbeddedFiles 6 0 R >>",
                                  (b"<< /Names [] >>",)), 1, "P015", "附件"),
    ("docs/files/notice.pdf", pdf(NOTICE, b"/AcroForm << /Fields [] /XFA 6 0 R >>",
                                  (b"<< /Length 0 >>\nstream\n\nendstream",)), 1, "P015", "XFA"),
    ("docs/files/notice.pdf", pdf_hiding(b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"), 1,
     "P015", "JavaScript"),
    ("docs/files/notice.pdf", pdf_hiding(b"<< /S /URI /URI (javascript:alert\\(1\\)) >>"), 1,
     "P015", "javascript: 链接"),
    ("docs/files/notice.pdf", pdf_hiding(b"<< /S /ResetForm >>"), 1, "P015", "/ResetForm"),
    ("docs/files/notice.pdf", deep_pdf(), 1, "P016", "无法读取"),
    ("docs/files/notice.pdf", b"<html><script>alert(1)</script></html>", 1, "P016", "不是 PDF"),
    ("docs/files/notice.pdf", pdf(NOTICE)[:200], 1, "P016", "无法读取"),
    ("docs/files/list.xlsx", xlsx(CLEAN_TABLE + [["示例家政", "法人身份证", FICTIONAL_ID]]), 1,
     "P001", "单元格"),
    ("docs/files/list.xlsx", xlsx(CLEAN_TABLE + [["联系人", int(FICTIONAL_MOBILE)]]), 1, "P002",
     "第 1 个工作表"),
    # a number Word split over runs is still one number
    ("docs/files/policy.docx", docx([["联系人：", FICTIONAL_ID[:6], FICTIONAL_ID[6:]]]), 1, "P001",
     "正文"),
    ("docs/files/policy.docx", docx([["办法"]], {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), 1,
     "P015", "vbaProject.bin"),
    ("docs/files/policy.docx", docx([["办法"]], content_type="application/vnd.ms-word.document."
                                    "macroEnabled.main+xml"), 1, "P015", "宏"),
    ("docs/files/policy.docx", docx([["办法"]], doc_rels=(
        f'<Relationship Id="rId9" Type="{_REL}/attachedTemplate" '
        'Target="http://example.com/t.dotm" TargetMode="External"/>')), 1, "P015", "外部引用"),
    ("docs/files/policy.docx", docx([["办法"]], {"word/afchunk.mht": "<html></html>"}), 1, "P015",
     "afchunk.mht"),
    ("docs/files/policy.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 encrypted", 1, "P016", "已加密"),
    ("docs/files/list.csv", f"姓名,电话\n示例,020-12345678\n王某,{FICTIONAL_MOBILE}\n", 3, "P002",
     "手机号"),
    ("docs/files/list.csv", "品牌,链接\n示例,\"=HYPERLINK(\"\"http://x\"\")\"\n", 2, "P017", "公式"),
    ("docs/files/list.csv", "品牌名称\n示例家政\n".encode("gbk"), 1, "P016", "UTF-8"),
    ("docs/files/readme.txt", "说明\n<script>alert(1)</script>\n", 2, "P015", "网页标记"),
    ("docs/files/feed.xml", XHTML_SCRIPT, 1, "P014", "XML"),
    ("docs/files/page.xhtml", XHTML_SCRIPT, 1, "P014", "Markdown"),
    ("docs/files/icon.svgz", zlib.compress(b'<svg xmlns="http://www.w3.org/2000/svg" '
                                           b'onload="alert(1)"/>'), 1, "P014", "PNG"),
    ("docs/files/old.doc", b"\xd0\xcf\x11\xe0", 1, "P014", ".docx"),
    ("docs/files/tool.exe", b"MZ", 1, "P014", "PDF"),
    ("docs/files/page.markdown", "# 标题\n", 1, "P014", ".md"),
    ("docs/files/x.js", "alert(1)", 1, "P014", "docs/assets/"),
]


@pytest.mark.parametrize("rel, data, line, code, words", REFUSED,
                         ids=[f"{r[0].rsplit('/', 1)[-1]}-{r[3]}-{i}" for i, r in enumerate(REFUSED)])
def test_a_file_that_fails_its_scanner_or_the_table_is_refused_at_the_file(
        project, rel, data, line, code, words):
    put(project, rel, data)
    diags = [d for d in load_project(project).diagnostics if d.path == rel]
    assert [(d.path, d.line, d.code) for d in diags] == [(rel, line, code)], \
        [d.format() for d in diags]
    (d,) = diags
    assert words in d.message and "提示：" in d.message and d.severity.value == "error"
    assert "Traceback" not in d.message
    inside = rel.removeprefix("docs/")
    assert inside not in check_docs_files(project).accepted
    if code == "P014":  # a type not on the list: the message names what is allowed
        assert "只能放" in d.message and ".pdf" in d.message and ".xlsx" in d.message


def test_the_message_hides_the_number_it_found(project):
    put(project, "docs/files/list.pdf", pdf([f"身份证号 {FICTIONAL_ID}"]))
    (d,) = load_project(project).diagnostics
    assert FICTIONAL_ID not in d.message and FICTIONAL_ID[:3] in d.message


def test_links_in_docs_are_refused_and_never_followed(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(pdf([f"身份证号 {FICTIONAL_ID}"]))
    (outside / "about.md").write_text("# 外部页面\n", encoding="utf-8")
    (project / "docs" / "files").mkdir()
    (project / "docs" / "files" / "notice.pdf").symlink_to(outside / "secret.pdf")
    (project / "docs" / "shared").symlink_to(outside, target_is_directory=True)
    (project / "docs" / "alias.md").symlink_to(project / "docs" / "index.md")
    assert found(project) == [("docs/alias.md", 1, "P014"), ("docs/files/notice.pdf", 1, "P014"),
                              ("docs/shared", 1, "P014")]
    diags = load_project(project).diagnostics
    assert all("链接" in d.message and "提示：" in d.message for d in diags)
    # nothing behind a link was read: its number is not reported, its page not loaded
    assert not any(d.code == "P001" for d in diags)
    assert "alias.md" not in {p.uri for p in load_project(project).pages}


def test_validate_reports_them_and_build_refuses_and_writes_nothing(project, capsys):
    put(project, "docs/files/feed.xml", XHTML_SCRIPT)
    put(project, "docs/files/icon.svgz", b"\x1f\x8b not checked")
    put(project, "docs/files/list.pdf", pdf([f"身份证号 {FICTIONAL_ID}"]))
    put(project, "docs/files/notice.pdf", pdf(NOTICE))  # fine, but the build as a whole is not
    assert cli.main(["--root", str(project), "validate"]) == 1
    out = capsys.readouterr().out
    for rel, code in (("docs/files/feed.xml", "P014"), ("docs/files/icon.svgz", "P014"),
                      ("docs/files/list.pdf", "P001")):
        assert f"{rel}:1:1: error[{code}]" in out, out
    assert "docs/files/notice.pdf" not in out
    assert cli.main(["--root", str(project), "build", "--date", "2026-12-01"]) == 1
    capsys.readouterr()
    assert not (project / "site").exists()
    assert [p.name for p in project.iterdir() if p.name.startswith(".site") and p.is_dir()] == []


def test_the_engine_publishes_nothing_unchecked_from_another_docs_folder(tmp_path):
    """A mkdocs.yml may name another docs folder (the demo's names the repository's): the engine
    checks that folder with the same table, and refuses to build when anything fails."""
    root = copy_demo(tmp_path / "project", full=True)
    other = tmp_path / "shared-docs"
    (root / "docs").rename(other)
    (root / "docs").mkdir()
    put(other, "files/feed.xml", XHTML_SCRIPT)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("docs_dir: docs", f"docs_dir: {other}"),
                                     encoding="utf-8")
    result = build_site(root, root / "site", build_date=BUILD_DATE)
    assert not result.ok and not (root / "site").exists()
    assert "shared-docs/files/feed.xml" in " ".join(result.problems + [
        d.format() for d in result.diagnostics])
