"""The `site-builder` command line, run as editors and CI run it: `python -m site_builder …`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sitecopy import copy_demo

from site_builder import cli
from site_builder.diagnostics import Diagnostic, Severity

REPO = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)"
                  r"\[(?P<code>[A-Z]\d{3})\]: (?P<field>\S+): (?P<msg>.+)$")


def run(root: Path | None, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "site_builder"]
    if root is not None:
        cmd += ["--root", str(root)]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, cwd=REPO, timeout=300,
                          check=False)


DEMO = REPO / "demo"


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr


# --- editing records the way an editor would, keeping track of where each mistake lands ---------

class Record:
    """A record's lines, with edits to its front matter by top-level key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = path.read_text(encoding="utf-8").split("\n")
        assert self.lines[0] == "---"
        self.close = self.lines.index("---", 1)

    def drop(self, key: str) -> None:
        """Remove a top-level key with its indented block, if the record has it."""
        for i in range(1, self.close):
            if self.lines[i].startswith(f"{key}:"):
                j = i + 1
                while j < self.close and self.lines[j][:1] in (" ", "-"):
                    j += 1
                del self.lines[i:j]
                self.close -= j - i
                return

    def add(self, *new: str) -> None:
        """Append lines at the end of the front matter."""
        self.lines[self.close:self.close] = list(new)
        self.close += len(new)

    def line_of(self, text: str) -> int:
        hits = [i + 1 for i, s in enumerate(self.lines[: self.close]) if text in s]
        assert len(hits) == 1, (text, hits)
        return hits[0]

    def first_key_line(self) -> int:
        return next(i + 1 for i in range(1, self.close) if not self.lines[i].startswith("#"))

    def save(self) -> None:
        self.path.write_text("\n".join(self.lines), encoding="utf-8")


def twelve_mistakes(root: Path) -> set[tuple[str, int, str]]:
    """Put twelve different mistakes into three records; return (path, line, code) each."""
    district = yaml.safe_load((root / "settings.yml").read_text(encoding="utf-8"))["districts"][0]
    files = sorted((root / "brands").glob("*.md"))
    assert len(files) >= 3
    a, b, c = (Record(p) for p in files[:3])
    rel = {r: f"brands/{r.path.name}" for r in (a, b, c)}
    expected = set()

    # File A: a misspelt key, a district not in the list, an impossible date, a key written twice.
    for key in ("category", "districts", "established", "name_en"):
        a.drop(key)
    a.add("catagory: 高品质服务型", "districts: [示例外区]", "established: 2019-02-30",
          "name_en: Example", "name_en: Example again")
    expected |= {(rel[a], a.line_of("catagory:"), "B002"),
                 (rel[a], a.line_of("districts: [示例外区]"), "B004"),
                 (rel[a], a.line_of("established:"), "B007"),
                 (rel[a], a.line_of("name_en: Example again"), "Y008")}

    # File B: the summary left out, a list written as text, a name too long, a YAML tag.
    for key in ("summary", "cooperation_regions", "name", "industry"):
        b.drop(key)
    b.add("cooperation_regions: 示例协作州", "name: " + "示例很长的品牌名称" * 5, "industry: !!str 家政服务")
    expected |= {(rel[b], b.first_key_line(), "B001"),
                 (rel[b], b.line_of("cooperation_regions: 示例协作州"), "B003"),
                 (rel[b], b.line_of("示例很长的品牌名称"), "B005"),
                 (rel[b], b.line_of("industry: !!str"), "Y010")}

    # File C: a number with a unit, a source that does not exist, an image without alt text,
    # and the same district twice.
    for key in ("figures", "districts", "media"):
        c.drop(key)
    c.add("figures:", "  - label: 从业人数", "    value: 1,200", "    unit: 人", "    as_of: 2024",
          "    source: nowhere-2024", f"districts: [{district}, {district}]", "media:",
          "  cover: {path: cover.png}")
    expected |= {(rel[c], c.line_of("value: 1,200"), "B006"),
                 (rel[c], c.line_of("source: nowhere-2024"), "B012"),
                 (rel[c], c.line_of("cover: {path: cover.png}"), "B014"),
                 (rel[c], c.line_of(f"districts: [{district}, {district}]"), "B015")}
    for r in (a, b, c):
        r.save()
    assert len(expected) == 12 and len({code for *_, code in expected}) == 12
    return expected


def test_a_dozen_mistakes_in_three_files_each_reported_once(tmp_path):
    root = copy_demo(tmp_path, full=False)
    expected = twelve_mistakes(root)
    proc = run(root, "validate")
    no_traceback(proc)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    parsed = [LINE.match(s) for s in lines]
    assert all(parsed), lines
    got = [(m["path"], int(m["line"]), m["code"]) for m in parsed]
    assert sorted(got) == sorted(expected), "\n".join(lines)
    assert "12 个错误" in proc.stderr


PLAIN = REPO / "tests" / "fixtures" / "plain"  # a clean fictional project (the root's: make validate)


def test_a_clean_project_validates_quietly():
    proc = run(PLAIN, "validate")
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout == ""
    assert "0 个错误，0 个警告" in proc.stderr


def test_strict_passes_on_a_clean_project():
    assert run(PLAIN, "validate", "--strict").returncode == 0


@pytest.mark.parametrize("args", [
    [],                                  # no command
    ["publish"],                         # unknown command
    ["validate", "--format", "xml"],     # unknown format
    ["new"],                             # missing slug
    ["new", "Bad_Slug"],                 # a slug the schema would reject
])
def test_wrong_usage_exits_2(args, tmp_path):
    proc = run(copy_demo(tmp_path, full=False), *args)
    no_traceback(proc)
    assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
    assert proc.stderr.strip()


def test_a_folder_without_settings_is_wrong_usage(tmp_path):
    proc = run(tmp_path, "validate")
    no_traceback(proc)
    assert proc.returncode == 2
    assert "settings.yml" in proc.stderr


@pytest.fixture
def broken(tmp_path) -> Path:
    root = copy_demo(tmp_path, full=False)
    twelve_mistakes(root)
    return root


def test_json_format_has_every_part(broken):
    proc = run(broken, "validate", "--format", "json")
    assert proc.returncode == 1
    items = json.loads(proc.stdout)
    assert len(items) == 12
    for d in items:
        assert set(d) == {"path", "line", "col", "severity", "code", "field", "message"}
        assert d["path"].startswith("brands/") and d["severity"] == "error"
        assert isinstance(d["line"], int) and isinstance(d["col"], int) and d["line"] >= 1
        assert "提示：" in d["message"]
    # The same diagnostics as the text format, part for part.
    text = run(broken, "validate").stdout.splitlines()
    assert [f"{d['path']}:{d['line']}:{d['col']}: {d['severity']}[{d['code']}]: {d['field']}: "
            f"{d['message']}" for d in items] == text


def test_github_format_annotates_file_line_and_column(broken):
    proc = run(broken, "validate", "--format", "github")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == 12
    gh = re.compile(r"^::error file=brands/[a-z0-9-]+\.md,line=\d+,col=\d+,title=[A-Z]\d{3} [^:]+::.+$")
    for s in lines:
        assert gh.match(s), s
    # commas and colons inside properties are escaped, so a title cannot break the command
    assert all("%2C" not in s.split("title=")[0] for s in lines)


def test_strict_turns_warnings_into_failure(capsys):
    warning = Diagnostic("brands/x.md", 3, 1, Severity.WARNING, "B005", "summary", "示例警告；提示：无。")
    error = Diagnostic("brands/x.md", 4, 1, Severity.ERROR, "B004", "category", "示例错误；提示：无。")
    assert cli._report([warning], "text", False, "已校验") == cli.EXIT_OK
    assert cli._report([warning], "text", True, "已校验") == cli.EXIT_PROBLEMS
    assert cli._report([error], "text", False, "已校验") == cli.EXIT_PROBLEMS
    assert cli._report([], "text", True, "已校验") == cli.EXIT_OK
    out = capsys.readouterr()
    assert "brands/x.md:3:1: warning[B005]: summary: 示例警告" in out.out
    assert "0 个错误，1 个警告" in out.err


def test_new_writes_a_skeleton_that_validates_and_never_overwrites(tmp_path):
    root = copy_demo(tmp_path, full=False)
    proc = run(root, "new", "shili-xinpinpai")
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    path = root / "brands" / "shili-xinpinpai.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "slug: shili-xinpinpai" in text and "status: 草稿" in text
    assert re.search(r"^# .*[\u4e00-\u9fff]", text, re.MULTILINE), "骨架应带中文注释"
    check = run(root, "validate")
    assert check.returncode == 0, check.stdout
    assert check.stdout == ""

    path.write_text(text + "\n编辑过的内容。\n", encoding="utf-8")
    again = run(root, "new", "shili-xinpinpai")
    no_traceback(again)
    assert again.returncode == 2
    assert "已存在" in again.stderr
    assert path.read_text(encoding="utf-8").endswith("编辑过的内容。\n")


class Yaml12Loader(yaml.SafeLoader):
    """YAML as editor tooling (the YAML language server) reads it: the YAML 1.2 core schema,
    where dates stay strings and only true/false are booleans."""


Yaml12Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers
         if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"),
                                   list("tf"))


def front_matter_data(path: Path):
    text = path.read_text(encoding="utf-8-sig")
    return yaml.load(text.split("\n---\n", 1)[0][4:], Loader=Yaml12Loader)


def test_schema_is_valid_json_schema_and_accepts_the_projects_records(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    out = tmp_path / "brand.schema.json"
    root = copy_demo(tmp_path / "demo", full=False)  # a fictional project, not the root's
    proc = run(root, "schema", "-o", str(out))
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    records = sorted((root / "brands").glob("*.md"))
    assert records
    for p in records:
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}"
                  for e in validator.iter_errors(front_matter_data(p))]
        assert errors == [], (p.name, errors)
    # and it does catch what editors get wrong
    good = front_matter_data(records[0])
    bad = good | {"catagory": good["category"], "districts": ["示例外区"]}
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "catagory" in messages and "示例外区" in messages


def test_build_writes_site_and_a_failing_build_leaves_it_untouched(tmp_path):
    root = copy_demo(tmp_path)
    proc = run(root, "build")
    no_traceback(proc)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = root / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<html" in index
    assert (site / "brands" / "index.html").is_file()

    (site / "marker.txt").write_text("上一次成功构建的站点", encoding="utf-8")
    twelve_mistakes(root)
    failed = run(root, "build")
    no_traceback(failed)
    assert failed.returncode == 1
    assert "保持原样" in failed.stderr
    assert len(failed.stdout.splitlines()) == 12
    assert (site / "marker.txt").read_text(encoding="utf-8") == "上一次成功构建的站点"
    assert (site / "index.html").read_text(encoding="utf-8") == index
    assert not [p.name for p in root.iterdir() if p.name.startswith(".site")], "临时目录未清理"


def test_a_bug_in_rendering_is_one_chinese_line_and_its_traceback_with_debug(
        built_copy, capsys):
    """An unexpected failure (here a broken page template) reaches the editor as one Chinese line;
    with --debug the exception propagates with its traceback, for whoever fixes it."""
    template = next(p for p in sorted((built_copy / "templates" / "pages").glob("*.j2"))
                    if not p.name.startswith("_"))
    template.write_text(template.read_text(encoding="utf-8") + "\n{{ 1 // 0 }}\n",
                        encoding="utf-8")
    before = sorted(p.relative_to(built_copy).as_posix() for p in (built_copy / "site").rglob("*"))
    assert cli.main(["--root", str(built_copy), "build"]) == 1
    err = capsys.readouterr().err
    assert "生成站点失败：ZeroDivisionError" in err and "--debug" in err and "Traceback" not in err
    with pytest.raises(Exception) as info:
        cli.main(["--root", str(built_copy), "--debug", "build"])
    assert isinstance(info.value, ZeroDivisionError)
    assert any("render" in f.filename for f in
               __import__("traceback").extract_tb(info.value.__traceback__))
    after = sorted(p.relative_to(built_copy).as_posix() for p in (built_copy / "site").rglob("*"))
    assert after == before  # neither run touched the published site


def test_an_expected_engine_failure_is_a_message_not_a_bug(built_copy, capsys):
    """A hand-written page named like a generated one is the editor's to fix: a message, exit 1,
    also with --debug."""
    (built_copy / "docs" / "about").mkdir(exist_ok=True)
    (built_copy / "docs" / "about" / "index.md").write_text("# 关于\n", encoding="utf-8")
    assert cli.main(["--root", str(built_copy), "--debug", "build"]) == 1
    err = capsys.readouterr().err
    assert "docs/about/index.md 与自动生成的页面 about/index.md 同名" in err and "构建失败" in err
