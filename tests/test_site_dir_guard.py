"""A build replaces its site folder whole: it refuses a folder that is the project, holds it,
is a file, lies in the project's own folders, or holds files that are not a site built before
(exit 2, a Chinese message, nothing touched); a new folder or an earlier site is fine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_DATE
from sitecopy import copy_demo

from site_builder.publish.swap import site_dir_problem


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_demo(tmp_path_factory.mktemp("guard") / "项目")


def _build(root: Path, site_dir: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "build",
                           "--site-dir", site_dir, "--date", DEMO_DATE.isoformat()],
                          cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


def _tree(folder: Path) -> list[tuple[str, bytes]]:
    return sorted((p.relative_to(folder).as_posix(), p.read_bytes())
                  for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize(("site_dir", "said"), [
    (".", "是项目文件夹本身"),
    ("..", "或包含项目的文件夹"),
    ("brands", "已有其他文件"),
    ("brands/out", "在项目的 brands/ 文件夹中"),
    ("evaluations", "已有其他文件"),
    ("settings.yml", "是一个文件，不是文件夹"),
])
def test_a_build_never_replaces_the_project_or_its_folders(project, site_dir, said):
    before = _tree(project)
    done = _build(project, site_dir, project)
    assert done.returncode == 2, done.stderr
    assert said in done.stderr and "请用 --site-dir 指定" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "内部错误" not in done.stderr
    assert _tree(project) == before


def test_a_folder_of_other_files_is_refused_and_kept(tmp_path, project):
    other = tmp_path / "文件夹"
    other.mkdir()
    (other / "重要.txt").write_text("示例内容", encoding="utf-8")
    done = _build(project, str(other), tmp_path)
    assert done.returncode == 2 and "重要.txt" in done.stderr, done.stderr
    assert (other / "重要.txt").read_text(encoding="utf-8") == "示例内容"


def test_a_new_folder_and_a_site_built_before_are_replaced(tmp_path, project):
    out = tmp_path / "out" / "site"
    first = _build(project, str(out), tmp_path)
    assert first.returncode == 0, first.stderr
    assert (out / "index.html").is_file()
    again = _build(project, str(out), tmp_path)  # an earlier site: replaced
    assert again.returncode == 0, again.stderr


def test_the_rule_itself(tmp_path):
    root = tmp_path / "p"
    (root / "docs").mkdir(parents=True)
    assert site_dir_problem(root, root / "site") is None
    assert site_dir_problem(root, root / "public" / "site") is None
    assert site_dir_problem(root, tmp_path / "elsewhere") is None
    assert "docs/" in site_dir_problem(root, root / "docs" / "site")
    (tmp_path / "empty").mkdir()
    assert site_dir_problem(root, tmp_path / "empty") is None
    # inside the folders another site's builds work in, beside that site: taken, emptied,
    # deleted by its builds
    for site in ("site", "Site", "public", "网站", "多行\n名称"):
        (root / site).mkdir(exist_ok=True)  # (one folder where case is not told apart)
    for inside in (".site.spare/站点", ".site.spare", ".public.tmp-k3j_x9/out", ".网站.old-1234/a",
                   ".Site.SPARE/a", ".多行\n名称.spare"):
        said = site_dir_problem(root, root / inside)
        assert said is not None and "工作文件夹" in said and inside.split("/")[0] in said, inside
    for fine in (".spare", "site.spare", ".site.spares/out", "a.tmp-1", ".site.tmp-",
                 ".blog.old-2023/site", ".config.spare/x"):  # no site beside: a name like any
        assert site_dir_problem(root, root / fine) is None, fine


def test_a_site_inside_another_sites_spare_is_refused_and_the_spare_kept(tmp_path, project):
    spare = tmp_path / "out" / ".site.spare"  # what a build of out/site keeps for the next
    (tmp_path / "out" / "site").mkdir(parents=True)
    (tmp_path / "out" / "site" / "index.html").write_text("<p>站点</p>", encoding="utf-8")
    (spare / "brands").mkdir(parents=True)
    (spare / "index.html").write_text("<p>上一版站点</p>", encoding="utf-8")
    before = _tree(spare)
    done = _build(project, str(spare / "另一个"), tmp_path)
    assert done.returncode == 2 and "工作文件夹" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and _tree(spare) == before
