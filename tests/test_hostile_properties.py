"""Property-based tests (Hypothesis): random and mutated records never produce a traceback.

Whatever bytes arrive in a pull request, the loader and validator return either a Brand and no
error, or no Brand and at least one diagnostic with a known code at a real line. Stories made of
hostile fragments are either reported or come out of the sanitiser unchanged, and the HTML a brand
page embeds never carries script, handlers, styles or foreign ids. Examples are bounded so the
whole module runs in well under a minute.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.diagnostics import CODES, Reporter, Severity
from site_builder.load.frontmatter import MAX_FILE_BYTES
from site_builder.load.settings import load_settings
from site_builder.model import Brand
from site_builder.project import check_brand as load_brand
from site_builder.validate.story import (
    ALLOWED_ATTRS,
    ALLOWED_TAGS,
    ID_PREFIX,
    LINK_SCHEMES,
    _canonical,
    _collect,
    check_story,
    sanitise,
    story_html,
    story_markdown,
    url_scheme,
)

REPO = Path(__file__).resolve().parent.parent
# Seeds: the fictional golden records, read with the tests' own fictional settings.
RECORDS = {p.name: p.read_bytes() for p in sorted((REPO / "tests" / "golden" / "records").glob("*.md"))}
SETTINGS, _ = load_settings(REPO / "tests" / "fixtures")
VOCAB = SETTINGS.vocab

# HOSTILE_EXAMPLES=5000 runs a long random exploration instead of the bounded, repeatable one.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "0"))
COMMON = settings(max_examples=EXAMPLES or 60, deadline=None, derandomize=not EXAMPLES,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_outcome(name: str, data: bytes) -> None:
    """The one property every input must have."""
    brand, diags = load_brand(REPO, f"brands/{name}", VOCAB, data)
    assert isinstance(diags, list)
    if brand is not None:
        assert isinstance(brand, Brand)
        assert not any(d.severity is Severity.ERROR for d in diags)
    else:
        assert diags, "a refused record must say why"
    lines = data.count(b"\n") + 2
    for d in diags:
        assert d.code in CODES, d
        assert d.path == f"brands/{name}"
        assert 1 <= d.line <= lines, d.format()
        assert d.col >= 1, d.format()
        assert "\n" not in d.format(), d.format()


# -- byte-level mutations of the shipped records -----------------------------------------------

SPECIAL = [b"\x00", b"\x07", b"\x1b", b"\t", b"\r", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3", b"---\n",
           b": ", b"- ", b"? ", b"&a ", b"*a", b"!!python/object:os.system ", b"!custom ", b"|\n",
           b">-\n", b"'", b'"', b"{", b"}", b"[", b"]", b"#", b"%YAML 1.1\n", b"\\", b"\xe2\x80\x8b",
           "１３８００００１２３４".encode(), b"<script>alert(1)</script>", b"javascript:",
           b"{: onclick=alert(1)}", b"\n  " * 3, b"[" * 40, b"{a: " * 30, b"- " * 50]


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(RECORDS)))
    data = bytearray(RECORDS[name])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "special", "dup", "swap"]))
        pos = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            i = min(pos, len(data) - 1)
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=20))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 40))]
        elif op == "special":
            data[pos:pos] = draw(st.sampled_from(SPECIAL))
        elif op in ("dup", "swap"):
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "dup":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return name, bytes(data)


@COMMON
@given(mutated())
def test_mutated_records_give_a_brand_or_diagnostics(case):
    name, data = case
    check_outcome(name, data)


# -- text-level: random unicode and control characters in values ----------------------------

HOSTILE_TEXT = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(
        list("\u200b\u200d\u2028\u2029\ufeff\x00\x0b\x0c\x85\u3000１２３ＸX<>&\"'`{}[]:#|*!-\n\t"))),
    max_size=80)


@COMMON
@given(field=st.sampled_from(["name", "summary", "industry", "name_en", "status", "category",
                              "established", "updated", "districts"]),
       value=HOSTILE_TEXT, body=HOSTILE_TEXT)
def test_random_unicode_in_values_and_body(field, value, body):
    head = {"slug": "random-unicode", "name": "示例·随机", "summary": "虚构示例。", "status": "已发布",
            "category": "高品质服务型", "districts": ["海珠区"], "updated": "2026-11-27"}
    head[field] = value
    text = "---\n" + yaml.safe_dump(head, allow_unicode=True) + "---\n" + body
    check_outcome("random-unicode.md", text.encode("utf-8", "surrogatepass"))


# -- structure: random nesting and huge values ------------------------------------------------

YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=30)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=30)
FIELDS = ["slug", "name", "summary", "status", "category", "level", "districts", "programs",
          "figures", "people", "venues", "media", "sources", "contact", "policy", "updated",
          "catagory", "unknown"]


@COMMON
@given(st.dictionaries(st.sampled_from(FIELDS), YAML_VALUES, max_size=10))
def test_random_structures_give_diagnostics(head):
    text = "---\n" + yaml.safe_dump(head, allow_unicode=True, default_flow_style=None) + "---\n正文。\n"
    check_outcome("random-structure.md", text.encode("utf-8", "surrogatepass"))


@settings(max_examples=12, deadline=None, derandomize=True)
@given(depth=st.integers(15, 400), kind=st.sampled_from(["flow-list", "flow-map", "block"]))
def test_deep_nesting_is_refused_with_a_message(depth, kind):
    if kind == "flow-list":
        value = "[" * depth + "x" + "]" * depth
    elif kind == "flow-map":
        value = "{a: " * depth + "x" + "}" * depth
    else:
        value = "".join("\n" + "  " * (i + 1) + "a:" for i in range(depth)) + " x"
    text = f"---\nslug: deep\nname: 示例\npolicy: {value}\n---\n正文\n"
    check_outcome("deep.md", text.encode())


@settings(max_examples=6, deadline=None, derandomize=True)
@given(size=st.sampled_from([MAX_FILE_BYTES - 200, MAX_FILE_BYTES + 1, 3 * MAX_FILE_BYTES]),
       where=st.sampled_from(["summary", "body", "key"]))
def test_huge_values_are_refused_with_a_message(size, where):
    filler = "长" * (size // 3)
    head = "---\nslug: huge\nname: 示例\n"
    if where == "summary":
        text = head + f"summary: {filler}\n---\n正文\n"
    elif where == "key":
        text = head + f"{filler}: 1\n---\n正文\n"
    else:
        text = head + "---\n" + filler
    check_outcome("huge.md", text.encode())


# -- the story: reported, or unchanged by the sanitiser ---------------------------------------

FRAGMENTS = [
    "正文", "\n\n", "\n", "# ", "## search", "### __config", "- ", "1. ", "> ", "    ", "`", "*", "_",
    "[链接](", "https://example.com/", "../", "javascript:alert(1)", "JaVaScRiPt:", "&#106;",
    "&colon;", "data:text/html,x", ")", "](", "![图](", "a.png", "<", ">", "<b>", "</b>",
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:x'>", "</a>",
    "<div>", "</div>", "<iframe>", "<style>", "<svg onload=x>", "<!--", "-->", "{: #id }",
    "{onclick=x}", "<h2 id=search>", "<sup>", "</sup>", "<br>", "&lt;", "&amp;", "&",
    "<img/src=x/onerror=alert(1)>", "<a href=java&#x09;script:alert(1)>", "<math><mtext>",
    "<table><mglyph><style>", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<textarea>", "<title>", "<a href=\"", "\" onmouseover=\"x", "<img src=", " alt=", "/>",
    "| a | b |\n|---|---|\n", "<abbr title=x>", "\u200b", "<![CDATA[", "]]>", "<?x ?>", '"', "'",
]


def unsafe_parts(html: str) -> list[str]:
    """Anything in sanitised HTML outside the allowlist, as a browser would read it."""
    found = _collect(html)
    bad = [f"<{t.tag}>" for t in found.tags if t.tag not in ALLOWED_TAGS]
    for t in found.tags:
        for name, value in t.attrs:
            if name not in ALLOWED_ATTRS.get(t.tag, ()) and (t.tag, name) != ("img", "loading"):
                bad.append(f"<{t.tag} {name}>")
            elif name in ("href", "src") and url_scheme(value) not in (None, *LINK_SCHEMES):
                bad.append(f"<{t.tag} {name}={value}>")
            elif name == "id" and not value.startswith(ID_PREFIX):
                bad.append(f"<{t.tag} id={value}>")
    return bad + found.other


@settings(max_examples=EXAMPLES or 150, deadline=None, derandomize=not EXAMPLES)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join))
def test_story_is_reported_or_left_unchanged_and_never_unsafe(body):
    rep = Reporter("brands/story.md")
    check_story(body, 10, rep, None)
    html = story_html(body)
    assert unsafe_parts(html) == [], html
    assert "<script" not in html.lower() and "<style" not in html.lower()
    if not rep.items:
        # Nothing reported: the sanitiser must not have removed or changed anything either.
        rendered = story_markdown(body)
        assert _canonical(rendered) == _canonical(sanitise(rendered)), (body, rendered, html)
    for d in rep.items:
        assert d.code in CODES and 10 <= d.line <= 10 + body.count("\n"), d.format()


# What real stories write, weighted heavily, among the hostile fragments above.
PLAIN_FRAGMENTS = FRAGMENTS + 8 * [
    "[链接](https://example.com/a?b=1#c)", "[站内](../about/)", "[空]()", "(", "!", "\\", "]",
    ":", "09:00", "：", "< 30 天", "学校 & 企业", "**", "|", "---\n", "mailto:", "[", "](https://x.org)",
    "正文", "\n\n", "- ", "## ", "`", "*", "_", "    ", "1. ", "> ", "| a | b |\n|---|---|\n",
]


@settings(max_examples=EXAMPLES or 300, deadline=None, derandomize=not EXAMPLES)
@given(st.lists(st.sampled_from(PLAIN_FRAGMENTS), max_size=20).map("".join))
def test_a_story_let_through_unconverted_has_nothing_to_report(body):
    """Validation skips the Markdown conversion of a story it judges plainly safe; the full
    check of such a story must find nothing either, and its sanitised page HTML is Markdown's."""
    from site_builder.validate import story

    if not story.plainly_safe(body):
        return
    rep = Reporter("brands/story.md")
    real = story.plainly_safe
    story.plainly_safe = lambda _body: False
    try:
        check_story(body, 10, rep, None)
    finally:
        story.plainly_safe = real
    assert [d.format() for d in rep.items if d.code.startswith("P")] == [], body
    rendered = story_markdown(body)
    assert _canonical(rendered) == _canonical(sanitise(rendered)), (body, rendered)
