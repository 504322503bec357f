"""settings.yml is untrusted text: every value it prints reaches the pages as text, escaped once.

A copy of the fictional demo project gets hostile values (script, a <meta> redirect, attribute
break-outs, `javascript:` links written as HTML and as Markdown) in every settings field that a
page prints, and realistic ones (`&`, quotes, 《》) that must display exactly as written. The
post-build check is shown each hostile file a careless docs/ folder or a broken step could
publish (a redirect, <base>, an XML style sheet, script-bearing file types, stray pages and
scripts), and passes the demo as built.
"""

from __future__ import annotations

import gzip
import html.parser
from pathlib import Path

import pytest
import yaml
from conftest import DEMO_DATE, assert_built
from sitecopy import copy_demo

from site_builder.build import build_site
from site_builder.cli import main
from site_builder.load.settings import load_settings
from site_builder.render.pages import web_address
from site_builder.verify import check_and_scan
from site_builder.verify.leaks import is_known_script

EVIL = "https://evil.example/"
REDIRECT = f'<meta http-equiv=refresh content="0;url={EVIL}">'
# Every settings field a page prints (free text: no pattern refuses < > & " in it).
HOSTILE = {
    ("region", "name"): '示例<i>市</i>&"\'',
    ("contact", "organization"): "示例主办单位" + REDIRECT,
    ("contact", "undertaker"): '示例承办<script>alert("undertaker")</script>',
    ("contact", "address"): '示例路"><img src=x onerror=alert(1)><a href="javascript:alert(2)">1号</a>',
    ("policy", "title"): '示例《方案》<script>alert("policy")</script>&amp;',
    ("policy", "issuer"): '[点此](javascript:alert(3))"><svg onload=alert(4)>',
    ("policy", "number"): "示〔2024〕<b>1</b>号 & \"x\"",
    ("policy", "kind"): "<i>方案</i>",
    ("policy", "selection_quote"): '<script>alert("quote")</script>每年评选',
    ("person_roles_text",): f'<iframe src="{EVIL}"></iframe>人物',
    ("venue_types_text",): f'<base href="{EVIL}">场所',
}
HOSTILE_POINTS = ['<META HTTP-EQUIV="Refresh" CONTENT="0; URL=https://evil.example/">要点一',
                  "[链接](javascript:alert(5)) 和 <a href=\"javascript:alert(6)\">链接</a>"]
# Realistic values: ampersands, straight and curly quotes, book-title marks, a written "&amp;".
REALISTIC = {
    ("site", "title"): "示例市《劳务品牌》展示（“演示”）",
    ("contact", "organization"): '示例市人力资源和社会保障局 & 就业服务中心（"虚构"）',
    ("contact", "address"): "示例市“幸福”路 1 号 & 2 号，R&amp;D 楼",
    ("policy", "title"): "示例市关于加强“劳务品牌”建设的《实施方案》（虚构）& 附件",
}


def _with_settings(root: Path, values: dict, drop: tuple = (), **extra) -> Path:
    path = root / "settings.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for keys, value in values.items():
        node = data
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value
    for section, key in drop:
        data[section].pop(key, None)
    data.update(extra)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


class _Page(html.parser.HTMLParser):
    """A page as a browser builds it: its elements (tag, attributes) and its text, by class."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []  # inline scripts' code
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag == "script" and "src" not in a and a.get("type") != "application/ld+json":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def joined(self) -> str:
        return "".join(self.text)

    def attrs(self, tag: str, **match) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in match.items())]


def _pages(site: Path) -> dict[str, _Page]:
    return {p.relative_to(site).as_posix(): _Page(p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.html")) if not p.relative_to(site).as_posix().startswith("admin/")}


# The scripts the theme loads; anything else that runs is an injection.
THEME_SCRIPTS = {"site.js", "directory.js", "search.js"}


def _injected(page: _Page) -> list:
    """Every element on a page that runs script, embeds, redirects or re-bases it."""
    bad = []
    for tag, a in page.elements:
        if tag == "script" and "src" in a and a["src"].rsplit("/", 1)[-1] not in THEME_SCRIPTS:
            bad.append((tag, a))
        if tag in ("iframe", "base", "object", "embed") or (tag == "meta" and "http-equiv" in a):
            bad.append((tag, a))
        if any(k.startswith("on") for k in a):
            bad.append((tag, a))
        for k in ("href", "src", "action", "formaction"):
            if a.get(k, "").strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                bad.append((tag, a))
    # Material's own inline scripts, character for character (the check's list)
    bad += [("script", code) for code in page.scripts if not is_known_script(code)]
    return bad


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("hostile-settings") / "project")
    _with_settings(root, HOSTILE)
    _with_settings(root, {("policy", "points"): HOSTILE_POINTS})
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    return root / "site"


@pytest.fixture(scope="module")
def realistic(tmp_path_factory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("realistic-settings") / "project")
    _with_settings(root, REALISTIC)
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    return root / "site"


def test_no_settings_value_becomes_an_element_on_any_page(hostile):
    pages = _pages(hostile)
    assert len(pages) > 20
    found = {rel: _injected(page) for rel, page in pages.items()}
    assert {rel: bad for rel, bad in found.items() if bad} == {}
    for rel, page in pages.items():  # the head's own values: one title, no second one
        head = [t for t, _ in page.elements[:next(i for i, (t, _) in enumerate(page.elements) if t == "body")]]
        assert head.count("title") == 1, rel


def test_header_and_footer_show_the_values_as_text_on_every_page(hostile):
    org, undertaker, address = (HOSTILE[("contact", k)] for k in ("organization", "undertaker", "address"))
    for rel, page in _pages(hostile).items():
        text = page.joined()
        assert f"主办单位：{org}" in text, rel  # the header's utility bar
        for value in (org, undertaker, address):  # the footer
            assert value in text, (rel, value)
        raw = (hostile / rel).read_text(encoding="utf-8")
        assert "&lt;meta http-equiv=refresh" in raw and "<meta http-equiv=refresh" not in raw


def test_policy_about_and_listing_pages_show_the_values_as_text(hostile):
    policy = _Page((hostile / "policy/index.html").read_text(encoding="utf-8")).joined()
    for keys in (("policy", "title"), ("policy", "issuer"), ("policy", "number"),
                 ("person_roles_text",), ("venue_types_text",)):
        assert HOSTILE[keys] in policy, keys
    for point in HOSTILE_POINTS:  # a Markdown link in a value stays text, not a link
        assert point in policy
    about = _Page((hostile / "about/index.html").read_text(encoding="utf-8")).joined()
    for keys in (("region", "name"), ("contact", "organization"), ("contact", "address")):
        assert HOSTILE[keys] in about, keys
    home = _Page((hostile / "index.html").read_text(encoding="utf-8")).joined()
    assert HOSTILE[("region", "name")] + " · 劳务品牌展示" in home
    people = _Page((hostile / "people/index.html").read_text(encoding="utf-8"))
    assert HOSTILE[("person_roles_text",)] in people.joined()
    # A description made from a settings value is text in the head too.
    (meta,) = people.attrs("meta", name="description")
    assert HOSTILE[("region", "name")] in meta["content"] and HOSTILE[("person_roles_text",)] in meta["content"]


def test_realistic_values_display_exactly_as_written(realistic):
    title = REALISTIC[("site", "title")]
    org, address = REALISTIC[("contact", "organization")], REALISTIC[("contact", "address")]
    page = _Page((realistic / "brands/shili-yunling-chayi/index.html").read_text(encoding="utf-8"))
    text = page.joined()
    assert f"主办单位：{org}" in text and address in text and f"© {title}" in text
    assert "".join(t for t in page.text if title in t).count(title) >= 1
    (og_site,) = page.attrs("meta", property="og:site_name")
    assert og_site["content"] == title  # escaped once: no "&amp;amp;" shown to a reader
    (og_title,) = page.attrs("meta", property="og:title")
    assert og_title["content"] == "示例·云岭茶艺师"
    (feed,) = page.attrs("link", rel="alternate", type="application/atom+xml")
    assert feed["title"] == f"{title}：品牌更新"
    raw = (realistic / "brands/shili-yunling-chayi/index.html").read_text(encoding="utf-8")
    assert f"<title>示例·云岭茶艺师 - {title}</title>" in raw
    assert "R&amp;amp;D" in raw and "&amp;amp;amp;" not in raw  # the written "&amp;" as text
    policy = _Page((realistic / "policy/index.html").read_text(encoding="utf-8")).joined()
    assert f"《{REALISTIC[('policy', 'title')]}》" in policy


def test_the_footer_names_the_policy_when_no_organiser_is_set(tmp_path):
    root = copy_demo(tmp_path / "project")
    value = '示例市“劳务品牌”《方案》<script>alert("basis")</script> & 附件'
    _with_settings(root, {("policy", "title"): value},
                   drop=(("contact", "organization"), ("contact", "undertaker")))
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    page = _Page((root / "site/index.html").read_text(encoding="utf-8"))
    assert f"本站依据《{value}》建设" in page.joined()
    assert _injected(page) == []


@pytest.mark.parametrize("keys, value", [
    (("site", "title"), "示例<script>alert(1)</script>"),
    (("site", "description"), '示例"><img src=x onerror=alert(1)>'),
    (("policy", "url"), "javascript:alert(1)"),
    (("policy", "url"), " JaVaScRiPt:alert(1)"),
    (("map_link",), "javascript:alert('{lat},{lng}')"),
    (("contact", "phone"), "javascript:alert(1)"),
])
def test_fields_that_must_be_an_address_or_plain_text_are_refused(tmp_path, keys, value):
    root = _with_settings(copy_demo(tmp_path / "project", full=False), {keys: value})
    settings, diags = load_settings(root)
    assert settings is None or any(d.severity == "error" for d in diags)
    assert any(d.path == "settings.yml" and keys[-1] in d.field for d in diags), \
        [d.format() for d in diags]


def test_an_address_reaches_an_href_only_as_http(tmp_path):
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)",
                "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
                "vbscript:msgbox(1)", "//evil.example/", "", None):
        assert web_address(bad) == "", bad
    for good in ("https://example.org/policy?a=1&b=2", "http://example.org/"):
        assert web_address(good) == good
    # An e-mail address that begins like a script address is only ever a mailto: link.
    root = _with_settings(copy_demo(tmp_path / "project"),
                          {("contact", "email"): "javascript:alert(1)@example.org"})
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    page = _Page((root / "site/about/index.html").read_text(encoding="utf-8"))
    hrefs = [a["href"] for a in page.attrs("a") if "alert" in a.get("href", "")]
    assert hrefs and all(h.startswith("mailto:") for h in hrefs)


# -- the post-build check -----------------------------------------------------------------------

def _codes(site: Path) -> set[tuple[str, str]]:
    return {(d.path.removeprefix("site/"), d.code) for d in check_and_scan(site, None, "site")}


def test_the_demo_as_built_passes_the_check(built_copy):
    assert [d.format() for d in check_and_scan(built_copy / "site", None, "site")] == []


def _into_head(site: Path, rel: str, tag: str) -> None:
    page = site / rel
    page.write_text(page.read_text(encoding="utf-8").replace("<head>", "<head>" + tag, 1),
                    encoding="utf-8")


@pytest.mark.parametrize("tag", [
    REDIRECT,
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<META HTTP-EQUIV="REFRESH" CONTENT="0; URL=https://evil.example/">',
    '<meta content="0;url=https://evil.example/" http-equiv = " Refresh ">',
    '<meta http-equiv="&#114;efresh" content="0;url=https://evil.example/">',
    '<meta http-equiv="re\tfresh" content="5">',
    '<meta http-equiv="set-cookie" content="a=1">',
])
def test_a_meta_redirect_in_any_spelling_is_flagged(built_copy, tag):
    site = built_copy / "site"
    _into_head(site, "about/index.html", tag)
    assert ("about/index.html", "P112") in _codes(site)


def test_base_href_is_flagged(built_copy):
    site = built_copy / "site"
    _into_head(site, "index.html", f'<base href="{EVIL}">')
    assert ("index.html", "P108") in _codes(site)


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 8 8">{}</svg>'


@pytest.mark.parametrize("rel, content, code", [
    ("feed-style.xml", ('<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="s.xsl"?>\n'
                       '<feed xmlns="http://www.w3.org/2005/Atom"><title>示例</title></feed>'), "P113"),
    ("assets/a.svg", '<?xml-stylesheet href="a.css"?>' + SVG.format("<rect/>"), "P113"),
    ("assets/b.svg", SVG.format("<script>alert(1)</script>"), "P110"),
    ("assets/c.svg", SVG.format('<rect onload="alert(1)"/>'), "P103"),
    ("assets/d.svg", SVG.format('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
                                "</foreignObject>"), "P108"),
    ("assets/e.svg", SVG.format('<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>'),
     "P104"),
    ("assets/f.svg", SVG.format('<a xlink:href="javascript:alert(1)"><text>x</text></a>'), "P104"),
    ("data/x.xml", '<root xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></root>',
     "P110"),
    ("data/y.xml", ('<root xmlns="http://www.w3.org/1999/xhtml"><meta http-equiv="Refresh" '
                   'content="0;url=https://evil.example/"/></root>'), "P112"),
    ("a.xhtml", '<html xmlns="http://www.w3.org/1999/xhtml"><body>示例</body></html>', "P114"),
    ("a.xht", "<html/>", "P114"),
    ("style.xsl", '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>',
     "P114"),
    ("style.xslt", "<x/>", "P114"),
    ("assets/a.svgz", gzip.compress(SVG.format("<rect/>").encode()), "P114"),
    ("movie.swf", b"FWS\x0a", "P114"),
    ("old.htm", "<!doctype html><title>x</title>", "P114"),
    ("assets/extra.html", "<!doctype html><title>x</title>", "P114"),
    ("landing/index.html", "<!doctype html><html><head><title>另一页</title></head><body></body></html>",
     "P114"),
    ("assets/evil.js", "document.title = 1;", "P114"),
    (".htaccess", f"Redirect 301 / {EVIL}", "P114"),
    ("_redirects", f"/* {EVIL} 301", "P114"),
])
def test_each_hostile_file_is_flagged(built_copy, rel, content, code):
    site = built_copy / "site"
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    assert (rel, code) in _codes(site)


def test_the_check_command_fails_on_a_redirect(built_copy, capsys):
    site = built_copy / "site"
    assert main(["--root", str(built_copy), "check", str(site)]) == 0
    _into_head(site, "policy/index.html", REDIRECT)
    assert main(["--root", str(built_copy), "check", str(site)]) == 1
    assert "P112" in capsys.readouterr().out
