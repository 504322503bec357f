"""`--format gitlab`: GitLab's code-quality report, checked against the format GitLab documents
(docs/ci/testing/code_quality.md, "Implement a custom tool"): a JSON array of objects with
`description`, `check_name`, `fingerprint`, `severity` (info, minor, major, critical, blocker),
`location.path` (relative to the repository) and `location.lines.begin`; no byte order mark."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema

from site_builder.diagnostics import Diagnostic, Severity
from site_builder.diagnostics.output import format_diagnostics

REPO = Path(__file__).resolve().parent.parent

# GitLab's documented fields as a JSON Schema (other Code Climate properties are ignored there).
GITLAB_CODE_QUALITY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": r"^(?!\./|/)\S"},
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}


def diag(line: int, code="B004", severity=Severity.ERROR, field="districts[0]",
         message="“增城”不是可选值") -> Diagnostic:
    return Diagnostic("brands/x.md", line, 3, severity, code, field, message)


def report(diags) -> list[dict]:
    text = format_diagnostics(diags, "gitlab")
    assert not text.startswith("\ufeff")
    data = json.loads(text)
    jsonschema.validate(data, GITLAB_CODE_QUALITY)
    return data


def test_errors_are_major_warnings_minor_and_fingerprints_stable():
    items = report([diag(7), diag(9, "B014", Severity.WARNING, "media.logo", "缺少替代文字")])
    assert [i["severity"] for i in items] == ["major", "minor"]
    assert items[0]["check_name"] == "B004" and items[0]["location"] == {
        "path": "brands/x.md", "lines": {"begin": 7}}
    assert "“增城”不是可选值" in items[0]["description"]
    # the same problem two lines further down (an edit above it) keeps its fingerprint
    assert report([diag(9)])[0]["fingerprint"] == items[0]["fingerprint"]
    # the same message twice in one file: two findings, two fingerprints
    twice = report([diag(7), diag(12)])
    assert len({i["fingerprint"] for i in twice}) == 2
    assert report([]) == []


def test_validate_writes_the_report_on_stdout(tmp_path):
    # the tests' own fictional settings and one fictional record with an area that is not listed
    shutil.copy(REPO / "tests" / "fixtures" / "settings.yml", tmp_path / "settings.yml")
    (tmp_path / "brands").mkdir()
    text = (REPO / "tests" / "golden" / "records" / "valid.md").read_text(encoding="utf-8")
    assert "districts: [海珠区, 天河区]" in text
    record = tmp_path / "brands" / "zengcheng-mama.md"
    record.write_text(text.replace("slug: valid", "slug: zengcheng-mama", 1)
                      .replace("districts: [海珠区, 天河区]", "districts: [增城]", 1), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(tmp_path),
                           "validate", "--format", "gitlab"], capture_output=True, text=True,
                          cwd=REPO, timeout=300, check=False)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)  # nothing else on stdout
    jsonschema.validate(data, GITLAB_CODE_QUALITY)
    assert any(i["check_name"] == "B004" and i["location"]["path"] == "brands/zengcheng-mama.md"
               and i["severity"] == "major" for i in data), data
    clean = subprocess.run([sys.executable, "-m", "site_builder", "validate", "--format", "gitlab"],
                           capture_output=True, text=True, cwd=REPO, timeout=300, check=False)
    assert clean.returncode == 0 and json.loads(clean.stdout) == []
