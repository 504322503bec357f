"""Property tests: whatever an editor's file holds, loading it gives diagnostics, never a traceback.

Random bytes, random YAML-like text, and random mutations of a valid record all go through
`load_brand`; the result is either a valid Brand with no errors, or no Brand and at least one
diagnostic, each with a known code, a position inside the file and the documented line form.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.diagnostics import CODES, Severity
from site_builder.load.settings import load_settings
from site_builder.project import check_brand as load_brand

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"  # the fictional test settings
VALID = (Path(__file__).resolve().parent / "golden" / "records" / "valid.md").read_bytes()
REL = "brands/valid.md"
# One line each; a field may hold spaces when the editor typed them into a key.
LINE = re.compile(r"^brands/valid\.md:\d+:\d+: (error|warning)\[[A-Z]\d{3}\]: [^\n]+?: [^\n]+$")

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("props")
    (root / "brands").mkdir()
    settings_, diags = load_settings(FIXTURES)
    assert settings_ is not None, diags
    return root, settings_.vocab


def check_outcome(project, data: bytes) -> None:
    root, vocab = project
    brand, diags = load_brand(root, REL, vocab, data=data)  # must not raise
    errors = [d for d in diags if d.severity is Severity.ERROR]
    if brand is None:
        assert diags, "an invalid record must say why"
    else:
        assert not errors
    n_lines = data.count(b"\n") + 1
    for d in diags:
        assert d.code in CODES
        assert d.path == REL
        assert 1 <= d.line <= n_lines + 1, (d.line, n_lines)
        assert d.col >= 1
        assert LINE.match(d.format()), d.format()


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(project, data):
    check_outcome(project, data)


@SETTINGS
@given(st.binary(max_size=600))
def test_random_bytes_after_an_opening_line(project, data):
    check_outcome(project, b"---\n" + data + b"\n---\n")


YAMLISH = st.text(alphabet=st.sampled_from(list(":-[]{}#&*!|>'\"%@?,\t\n  \r\\`~") +
                                           list("abcyesno0123456789.") + list("品牌名称区")),
                  max_size=300)


@SETTINGS
@given(YAMLISH)
def test_random_yaml_like_front_matter(project, text):
    check_outcome(project, ("---\n" + text + "\n---\n正文\n").encode("utf-8"))


INSERTS = st.sampled_from([":", ": ", '"a\\nb": x\n', "x" * 300 + ": y\n", "- ", "\t", "  ", "\n", "---\n", "&a ", "*a", "!!int ", "[",
                           "]", "{", "}", "\"", "'", "#", "|", ">", "%", "@", "`", "\\", "\x07",
                           "\ufeff", "\r", "品", "\u3000", "0", "1.10", "NO", "2024-02-30",
                           "catagory: x\n", "name: dup\n"])


@st.composite
def mutated(draw) -> bytes:
    lines = VALID.decode("utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["insert", "delete-line", "duplicate-line", "swap", "truncate",
                                   "indent", "dedent"]))
        line = lines[i]
        if op == "insert":
            pos = draw(st.integers(0, len(line)))
            lines[i] = line[:pos] + draw(INSERTS) + line[pos:]
        elif op == "delete-line" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate-line":
            lines.insert(i, line)
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "truncate":
            lines[i] = line[: draw(st.integers(0, len(line)))]
        elif op == "indent":
            lines[i] = "  " + line
        elif op == "dedent":
            lines[i] = line.removeprefix("  ")
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


@settings(max_examples=800, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutated())
def test_mutated_valid_record(project, data):
    check_outcome(project, data)


def test_the_unmutated_record_is_valid(project):
    root, vocab = project
    brand, diags = load_brand(root, REL, vocab, data=VALID)
    assert brand is not None and diags == []
