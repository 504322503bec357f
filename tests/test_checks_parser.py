"""The checks' fast reading of pages (verify/html.py `feed_plain`) against html.parser: every
finding keeps its code, file, line, column, field and message, and every page what it holds,
for the generator's own pages, hostile and malformed pages, and random damage to real ones."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image

from site_builder.verify import check_and_scan
from site_builder.verify import html as verify_html
from site_builder.verify.leaks import new_scan
from site_builder.verify.links import _PageParser

_HEAD = ('<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n'
         '<meta name="generator" content="site-builder"><title>示例页面</title></head>\n<body>\n')
_TAIL = "\n</body></html>\n"

# (name, body, read without html.parser, a code the checks must report: None for a clean page)
CORPUS = [
    ("clean", ('<h1 id="top">示例品牌</h1>\n<p class="lead">虚构的介绍 &amp; 说明。</p>\n'
              '<a href="../">返回</a> <a href="#top">顶部</a> <img src="../logo.png" alt="标志">'),
     True, None),
    ("missing page", '<p>见 <a href="/nope/">不存在的页面</a></p>', True, "C001"),
    ("missing anchor", '<p><a href="#nowhere">锚点</a></p>', True, "C002"),
    ("anchor elsewhere", '<a href="../index.html#nowhere">首页锚点</a>', True, "C002"),
    ("foreign img", '<img src="https://evil.example.cn/a.png" alt="x">', True, "C005"),
    ("foreign srcset", '<img src="a.png" srcset="a.png 1x, //evil.example.cn/b.png 2x">',
     True, "C005"),
    ("foreign style attr", '<div style="background:url(https://evil.example.cn/x.png)">x</div>',
     True, "C005"),
    ("foreign style escaped", '<div style="background:u\\72l(//evil.example.cn/x.png)">x</div>',
     True, "C005"),
    ("foreign import", '<style>\n@import "https://evil.example.cn/a.css";\n</style>', True, "C005"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example.cn/">',
     True, "P112"),
    ("foreign stylesheet", '<link rel="stylesheet" href="https://cdn.example.cn/a.css">',
     True, "C005"),
    ("foreign script", '<script src="https://evil.example.cn/a.js"></script>', True, "C005"),
    ("foreign poster", '<video src="v.mp4" poster="http://evil.example.cn/p.jpg"></video>',
     True, "C005"),
    ("phone in text", "<p>联系电话：\n13800138000</p>", True, "P102"),
    ("phone split by inline tags", "<p>电话 138<b>0013</b>8000</p>", True, "P102"),
    ("phone by entities", "<p>电话 &#49;3800138000</p>", True, "P102"),
    ("full-width phone", "<p>电话 １３８００１３８０００</p>", True, "P102"),
    ("phone in attribute", '<img src="a.png" alt="电话13800138000">', True, "P102"),
    ("id number in data attribute", '<div data-x="11010519491231002X">x</div>', True, "P101"),
    ("phone in comment", "<!-- 13800138000 -->", True, "P102"),
    ("phone in JSON-LD", ('<script type="application/ld+json">{"telephone": "13800138000"}'
                         "</script>"), True, "P102"),
    ("inline handler", '<a href="../" onclick="steal()">x</a>', True, "P103"),
    ("script address", '<a href="java&#x09;script:alert(1)">x</a>', True, "P104"),
    ("data frame", '<iframe src="data:text/html,x"></iframe>', True, "P104"),
    ("unknown inline script", "<script>\nfetch('/x')\n</script>", True, "P110"),
    ("script end in script", '<script>x="</div>"</SCRIPT\n>', True, "P110"),
    ("duplicate attribute", '<img src="a.png" SRC="https://evil.example.cn/b.png">', True, "P107"),
    ("template", '<template><img src="https://evil.example.cn/a.png"></template>', True, "C005"),
    ("svg animation", ('<svg><a href="../"><animate attributeName="href" '
                      'to="javascript:alert(1)"/></a></svg>'), True, "P104"),
    ("tag in title", "<title><img src=x onerror=alert(1)></title>", True, "P103"),
    ("xmp", "<xmp><img src=x></xmp>", True, "P107"),
    ("end tag in attribute", '<p title="a</p><img src=x>">x</p>', True, "P107"),
    # markup the fast reading leaves to html.parser
    ("unquoted slash", '<a href=/nope/>x</a>', False, "C001"),
    ("no space between attributes", '<a href="/nope/"title="x">x</a>', False, "C001"),
    ("comment ended by --!>", "<!-- x --!><img src=x onerror=alert(1)>-->", False, "P107"),
    ("empty comment", "<!--><img src=x onerror=alert(1)>-->", False, "P107"),
    ("cdata", "<![CDATA[<img src=x onerror=alert(1)>]]>", False, "P107"),
    ("processing instruction", "<?php echo 1; ?>", False, None),  # a comment to a browser
    ("bogus comment", '<!x><img src="https://evil.example.cn/a.png">', False, "C005"),
    ("bare <", "<p>1 < 2 电话 13800138000</p>", False, "P102"),
    ("tag split", '<a href="/nope/"<b>x</b>', False, None),
    ("carriage returns", '<p\r\nclass="x">电话\r\n13800138000</p>', False, "P102"),
    ("script never closed", "<script>alert(1)//", False, "P107"),
    ("style never closed", '<style>@import "https://evil.example.cn/a.css";', False, "P107"),
    ("plaintext", "<plaintext><img src=x>", True, "P107"),
    ("nul", "<p>\x00电话 13800138000</p>", True, "P102"),
]


def _reading(text: str, plain: bool):
    """Findings and page from one page's read, fast (when it may be) or by html.parser."""
    old = verify_html.PLAIN_READING
    verify_html.PLAIN_READING = plain
    try:
        scan, parser = new_scan(Path("site"), None, "site", resources=False), _PageParser()
        ok = scan.html("x/index.html", text, also=parser)
        return scan.findings, (ok, parser.page)
    finally:
        verify_html.PLAIN_READING = old


def _page(body: str) -> str:
    return _HEAD + body + _TAIL


@pytest.mark.parametrize(("name", "body", "fast", "code"), CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_reads_as_html_parser(name, body, fast, code):
    text = _page(body)
    assert (verify_html._plain_events(text) is not None) == fast, name
    assert _reading(text, True) == _reading(text, False)


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("corpus") / "site"
    (site / "x").mkdir(parents=True)
    (site / "index.html").write_text(_page('<h1 id="top">首页</h1>'), encoding="utf-8")
    for name in ("a.png", "logo.png"):
        Image.new("RGB", (2, 2), "white").save(site / name)
    for i, (_name, body, _fast, _code) in enumerate(CORPUS):
        (site / f"p{i}").mkdir()
        (site / f"p{i}" / "index.html").write_text(_page(body), encoding="utf-8")
    return site


def _checked(site: Path, plain: bool):
    old = verify_html.PLAIN_READING
    verify_html.PLAIN_READING = plain
    try:
        return check_and_scan(site, None, "site")
    finally:
        verify_html.PLAIN_READING = old


def test_corpus_site_findings_identical_and_reported(corpus_site):
    fast, slow = _checked(corpus_site, True), _checked(corpus_site, False)
    assert fast == slow
    for i, (name, _body, _fast, code) in enumerate(CORPUS):
        codes = {d.code for d in fast if d.path == f"site/p{i}/index.html"}
        if code is None and name == "clean":
            assert codes == set(), name
        elif code is not None:
            assert code in codes, (name, codes)


def test_findings_name_the_line_and_column(corpus_site):
    by_page = {}
    for d in _checked(corpus_site, True):
        by_page.setdefault(d.path, []).append(d)
    names = [c[0] for c in CORPUS]
    # the body starts on line 5 of the page (after the head and <body>)
    def found(name: str) -> list[tuple]:
        return [(d.code, d.line, d.col, d.field)
                for d in by_page[f"site/p{names.index(name)}/index.html"]]

    assert found("phone in text") == [("P102", 5, 1, "页面文字")]
    assert found("carriage returns") == [("P102", 6, 1, "页面文字")]
    assert found("foreign import") == [("C005", 6, 1, "https://evil.example.cn/a.css")]
    assert found("template") == [("C005", 5, 11, "https://evil.example.cn/a.png")]
    assert found("missing anchor") == [("C002", 5, 4, "#nowhere")]
    assert found("svg animation") == [("P104", 5, 20, "<animate to>")]
    assert found("unquoted slash") == [("C001", 5, 1, "/nope/")]
    # what html.parser never gives (the rest of the page) is a finding, not a silent pass
    assert found("style never closed") == [("P107", 5, 1, "<style>")]
    assert found("script never closed") == [("P107", 5, 1, "<script>")]


# Pieces a pull request could write into a record's raw HTML, planted at random places.
_DAMAGE = ["<", ">", "&", "&#", "&amp", "&#x31;", '"', "'", "=", "/", "</", "<!--", "-->",
           "--!>", "<!", "<?", "]]>", "<![CDATA[", "\r", "\n", "\t", "\x0c", "\xa0", " ",
           "<b>", "</b>", "<p>", "<script>", "</script>", "<style>", "</style >", "<title>",
           "</title>", "<textarea>", '<a href="x"', " onclick=x", ' href="y"', "<img src=x/>",
           "<br/>", "13800138000", "138 0013 8000", "<xmp>", "<!doctype html>", "\x00"]


def _damaged(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(_DAMAGE) + text[at:]
    return text


def test_random_damage_reads_as_html_parser(demo_site):
    pages = sorted(demo_site.rglob("index.html"))[:12]
    texts = [p.read_text(encoding="utf-8") for p in pages]
    rng = random.Random(31)
    fast = 0
    for round_ in range(400):
        text = _damaged(rng.choice(texts), rng)
        plain = verify_html._recorded(text, True)
        if plain is not None:
            fast += 1
            assert plain == verify_html._recorded(text, False), (round_, text)
        if round_ % 8 == 0:  # the checks themselves, now and then (slower)
            assert _reading(text, True) == _reading(text, False), round_
    # both readings are exercised: the damage often keeps the markup plain, often not
    assert 80 < fast < 360, fast


def test_demo_site_read_fast_with_identical_results(demo_site):
    pages = sorted(demo_site.rglob("*.html"))
    assert pages and all(verify_html._plain_events(p.read_text(encoding="utf-8")) is not None
                         for p in pages)
    assert _checked(demo_site, True) == _checked(demo_site, False)


def test_this_python_reads_the_probes_alike():
    # feed_plain compares itself with this Python's html.parser before its first page; were
    # they to differ, every page would be read by html.parser
    for probe in verify_html._PROBES:
        assert verify_html._plain_events(probe) is not None
        assert verify_html._recorded(probe, True) == verify_html._recorded(probe, False)


def test_a_disagreeing_html_parser_turns_the_fast_reading_off(monkeypatch):
    monkeypatch.setattr(verify_html, "_agrees", None)
    monkeypatch.setattr(verify_html, "_PROBES", ("<title><b></b></title>",))
    # an html.parser that reads <title> as text, as newer Pythons do
    real = verify_html._recorded
    monkeypatch.setattr(verify_html, "_recorded",
                        lambda text, plain: real(text, plain) if plain else [])
    recorder = verify_html._Recorder()
    assert not verify_html.feed_plain(_page("<p>x</p>"), recorder)
    assert recorder.events == []
