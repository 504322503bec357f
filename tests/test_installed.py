"""The tool as a package (issue 30): installed non-editable into a fresh virtual environment
outside the repository, `site-builder init` starts a project, its placeholders are refused until
filled in, and `site-builder build` makes a complete site from the package's own templates,
theme and form-editor files (no node_modules, no checkout). The demo and the province are built
from the installed package too. Slow but needed (about a minute): CI runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from sitecopy import DEMO

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent
DATE = "2026-12-01"
PROVINCE = REPO / "examples" / "province"
# what a maintainer writes in place of each placeholder (fictional region)
FILLED = {
    "地区全称，如 示例市": "虚构市", "地区简称，如 示例": "虚构", "地区单位，区、县、市、省或地区": "县",
    "站点标题，如 示例市劳务品牌": "虚构市劳务品牌", "一句话介绍本站": "展示虚构市的劳务品牌（测试用）。",
    "第一个地区": "甲县", "第一个品牌类型": "技能型", "第一个品牌层级": "市级劳务品牌",
    "认定方，本站评选或外部认定": "外部认定", "文件名称": "虚构市劳务品牌建设方案",
    "文件类别，如 实施方案、行动计划": "工作方案", "发文单位": "虚构市人力资源和社会保障局",
    "文件的日期，格式 YYYY-MM-DD": "2025-01-02", "官方网址，以 https:// 开头": "https://www.example.org/",
    "日期的含义，印发日期、发布日期或报道日期": "报道日期",
    "本站是否组织征集评选，是或否": "否", "是否为品牌制定一品一策，是或否": "否",
    "主办单位": "虚构市人力资源和社会保障局",
}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with site-builder installed from a copy of the package's
    sources (pip install <path>, not editable); its dependencies come from the test's own
    environment (a .pth line), so only the build backend comes from the package index (or the
    machine's wheel mirror), and the install is quick."""
    work = tmp_path_factory.mktemp("installed")
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    shutil.copytree(REPO / "site_builder", src / "site_builder",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q",
                           "--no-deps", str(src)],
                          check=False, capture_output=True, text=True, timeout=300, cwd=work)
    assert proc.returncode == 0, proc.stderr
    return venv


# What a new user on a new machine has: a home folder with nothing of ours in it (no
# ~/.cache, no ~/.local/state) and none of the variables that move the cache.
NEW_USER_UNSET = ("PYTHONPATH", "VIRTUAL_ENV", "SITE_BUILDER_CACHE", "XDG_CACHE_HOME",
                  "XDG_STATE_HOME")


def run(venv: Path, *args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    """`site-builder` as a new user runs it: `home` is their (new, empty) home folder."""
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in NEW_USER_UNSET}
    env["SOURCE_DATE_EPOCH"] = "1764547200"
    env["HOME"] = str(home)
    return subprocess.run([str(venv / "bin" / "site-builder"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_the_installed_package_is_not_the_checkout(installed, tmp_path):
    proc = subprocess.run([str(installed / "bin" / "python"), "-c",
                           "import site_builder; print(site_builder.__file__)"],
                          cwd=tmp_path, capture_output=True, text=True, check=True)
    where = Path(proc.stdout.strip()).resolve()
    assert where.is_relative_to(installed.resolve()) and not where.is_relative_to(REPO)
    package = where.parent
    for rel in ("templates/pages/home.md.j2", "templates/native/base.html",
                "templates/theme/main.html", "docs/assets/site.css", "mkdocs.yml",
                "starter/settings.yml", "editor/vendor/decap-cms/dist/decap-cms.js",
                "editor/admin/strict-frontmatter.js"):
        assert (package / rel).is_file(), rel


def test_init_fill_in_and_build_outside_the_repository(installed, tmp_path):
    home = tmp_path / "home"
    assert run(installed, "init", "newsite", cwd=tmp_path, home=home).returncode == 0
    root = tmp_path / "newsite"
    again = run(installed, "init", "newsite", cwd=tmp_path, home=home)  # a non-empty folder is refused
    assert again.returncode == 2 and "不是空文件夹" in again.stderr
    # every regional choice is asked, at its line, in Chinese; nothing is a silent default
    refused = run(installed, "validate", cwd=root, home=home)
    assert refused.returncode != 0
    text = (root / "settings.yml").read_text(encoding="utf-8")
    asked = sum("【请填写" in line.split("#")[0] for line in text.splitlines())  # not the comments
    assert refused.stdout.count("[S040]") == asked >= 10
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "area_label:" in t)
    assert f"settings.yml:{line}:" in refused.stdout and "地区单位" in refused.stdout
    requirements = (root / "requirements.txt").read_text(encoding="utf-8")
    version = subprocess.run([str(installed / "bin" / "python"), "-c",
                              "from importlib.metadata import version; print(version('site-builder'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert f"\nsite-builder=={version}\n" in requirements
    assert "requirements.txt" in (root / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8")
    for path in (root / "settings.yml", root / "brands" / "shili-xugou-pinpai.md"):
        body = path.read_text(encoding="utf-8")
        for ask, value in FILLED.items():
            body = body.replace(f"【请填写：{ask}】", value)
        assert "【请填写：" not in body, path
        path.write_text(body, encoding="utf-8")
    built = run(installed, "build", "--date", DATE, cwd=root, home=home)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "S013" not in built.stdout + built.stderr  # the user's own cache, made for them
    assert (home / ".cache" / "site-builder" / "images").is_dir()
    site = root / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "虚构市劳务品牌" in home and "assets/site.css" in home
    for rel in ("assets/site.css", "assets/search.js", "brands/index.html", "about/index.html",
                "policy/index.html", "404.html"):
        assert (site / rel).is_file(), rel
    assert "虚构市人力资源和社会保障局" in (site / "about" / "index.html").read_text(encoding="utf-8")
    # the choices as filled in: the county word, a report date never told as an issue date
    policy = (site / "policy" / "index.html").read_text(encoding="utf-8")
    assert "2025-01-02</span>的公开报道" in policy and "印发《虚构市劳务品牌建设方案》" in policy
    assert "于<span class=\"lb-nw\">2025-01-02</span>印发" not in policy and "一品一策" not in policy
    assert "所在县" in (site / "about" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("example", ["demo", "province"])
def test_the_demo_and_the_province_build_from_the_installed_package(installed, tmp_path, example):
    root = tmp_path / example
    shutil.copytree(DEMO if example == "demo" else PROVINCE, root)
    home = tmp_path / "home"
    built = run(installed, "build", "--date", DATE, cwd=root, home=home)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "S013" not in built.stdout + built.stderr
    kept = home / ".cache" / "site-builder" / "images"
    assert kept.is_dir() and any(kept.iterdir())  # the image variants, kept for the next build
    assert (root / "site" / "index.html").is_file() and (root / "site" / "assets" / "site.css").is_file()
    if example == "demo":  # its editor: Decap's bundle from the package, no node_modules anywhere
        assert not (root / "node_modules").exists()
        assert (root / "site" / "admin" / "vendor" / "decap" / "decap-cms.js").is_file()
        assert (root / "site" / "admin" / "yaml" / "index.js").is_file()
