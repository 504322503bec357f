"""The form editor at /admin/ in a real browser, saving through Decap's own local backend.

decap-server (from npm) runs in Git mode, the mode with the editorial workflow: every save goes
to a branch `cms/brands/<slug>`, the local equivalent of the pull request the GitHub backend opens.
The test then checks that branch out, as merging the pull request would, and validates it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from cms_support import decap_server, editor_page, free_port, git, make_repo
from PIL import Image

from site_builder.build import build_site

pytestmark = pytest.mark.browser

DATE = dt.date(2026, 12, 1)
SLUG = "shili-xinpinpai"


def run_validate(root) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "validate"],
                          capture_output=True, text=True, check=False)


@pytest.fixture()
def project(tmp_path):
    port = free_port()
    root = make_repo(tmp_path / "repo", port)
    result = build_site(root, tmp_path / "site", build_date=DATE)
    assert result.ok, [d.format() for d in result.diagnostics] + result.problems
    return root, tmp_path / "site", port


def field_id(page, label: str, nth: int = -1) -> str:
    """The input of the field labelled `label` (the last such field: the one just added)."""
    labels = page.locator("label").filter(has_text=label)
    labels.first.wait_for()
    exact = [i for i in range(labels.count())
             if labels.nth(i).inner_text().split("(")[0].strip() == label]
    assert exact, f"no field labelled {label}"
    return "#" + labels.nth(exact[nth]).get_attribute("for")


def fill(page, label: str, value: str, nth: int = -1) -> None:
    page.locator(field_id(page, label, nth)).fill(value)


def choose(page, label: str, option: str, nth: int = -1) -> None:
    """A react-select field: open it, type the option, take it."""
    box = page.locator(field_id(page, label, nth))
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def upload_photo(page, png, tmp_path) -> None:
    """The person's photo (the first image field): choose an image, upload the PNG, use it,
    describe it."""
    page.get_by_role("button", name="选择图片").first.click()
    with page.expect_file_chooser() as chooser:
        page.get_by_text("上传", exact=True).first.click()
    chooser.value.set_files(str(png))
    page.screenshot(path=str(tmp_path / "media.png"), full_page=True)
    page.get_by_role("button", name="选用已选中项目").click()
    fill(page, "替代文字", "李示例在服务站（虚构示例）", nth=0)


def sign_in(page, base: str) -> None:
    page.goto(base + "admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("品牌档案").first.wait_for()


def save(page) -> None:
    page.get_by_role("button", name="保存").first.click()
    page.get_by_text("已保存").first.wait_for(timeout=20000)


def test_create_a_brand_through_the_form(project, tmp_path):
    root, site, port = project
    png = tmp_path / "photo.png"
    Image.new("RGB", (64, 64), (30, 120, 90)).save(png)
    with decap_server(root, port) as backend, editor_page(site, backend) as (base, page, guard):
        try:
            sign_in(page, base)
            page.get_by_text("＋ 品牌档案").click()
            fill(page, "网址名", SLUG)
            fill(page, "品牌名称", "示例·新建品牌")
            fill(page, "一句话简介", "虚构的示例品牌，由表单新建，用于测试。")
            status = page.locator("label").filter(has_text="网站显示状态").first.locator(
                "xpath=ancestor::div[.//input][1]")
            assert "草稿" in status.inner_text()  # a record made in the form starts as a draft
            choose(page, "网站显示状态", "已发布")  # published here, so that its page is built below
            choose(page, "品牌类型", "高品质服务型")
            choose(page, "所在区", "青溪区")
            page.get_by_role("button", name="新增关键数据").click()
            fill(page, "名称", "从业人数")
            fill(page, "数值", "1500")
            fill(page, "单位", "人")
            fill(page, "统计时间", "2025-06")
            page.get_by_role("button", name="新增典型人物").click()
            fill(page, "姓名", "李示例")
            choose(page, "角色", "领军人")
            choose(page, "授权方式", "书面授权")  # consent: a structured record
            page.locator(field_id(page, "授权日期")).fill("2025-01-02")
            fill(page, "档案编号", "SL-009")
            page.get_by_role("button", name="新增文化体验场所").click()
            fill(page, "名称", "示例家政服务站")
            choose(page, "类型", "服务站")
            choose(page, "所在区", "青溪区")
            fill(page, "公开电话", "0201234567", nth=0)
            upload_photo(page, png, tmp_path)
            page.get_by_role("button", name="新增资料来源").click()
            fill(page, "编号", "shili-2025")
            fill(page, "媒体或机构", "示例日报（虚构）")
            fill(page, "发布日期", "2025-06-30")
            # the figure's source: chosen from the record's own sources, not typed
            source = page.locator(field_id(page, "来源编号", 0))
            assert source.locator("option").all_inner_texts() == [
                "请选择", "shili-2025（示例日报（虚构））"]
            source.select_option("shili-2025")
            page.locator(field_id(page, "最近审核")).fill("2026-11-30")
            save(page)
        finally:
            page.screenshot(path=str(tmp_path / "after.png"), full_page=True)
        assert not guard.foreign, guard.foreign
        # the form has no action that merges into main: no 发布 button, no 立即发布
        assert page.get_by_role("button", name="发布").count() == 0
        assert page.get_by_text("立即发布").count() == 0
        # the one expected refusal: before the first save Decap asks the backend for an
        # unpublished entry of this slug, and decap-server answers 404 when there is none yet
        assert all(f.startswith("404 POST") and '"action":"unpublishedEntry"' in f
                   for f in guard.failed), guard.failed
        assert not guard.errors, guard.errors
    branch = f"cms/brands/{SLUG}"
    assert branch in git(root, "branch", "--list", "cms/*")
    assert git(root, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert not (root / "brands" / f"{SLUG}.md").exists()  # nothing on main before the merge
    git(root, "checkout", "-q", branch)
    text = (root / "brands" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "phone: 0201234567\n" in text  # a number-like phone number stays the text written
    assert (root / "brands" / SLUG / "photo.png").is_file()  # in the brand's own folder
    assert "    photo:\n      path: photo.png\n" in text  # the record keeps the file name only
    done = run_validate(root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 个错误，0 个警告" in done.stderr
    rebuilt = build_site(root, tmp_path / "site2", build_date=DATE)
    assert rebuilt.ok, [d.format() for d in rebuilt.diagnostics] + rebuilt.problems
    page_html = (tmp_path / "site2" / "brands" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "示例·新建品牌" in page_html and "李示例" in page_html and "示例家政服务站" in page_html


EDITED = "shili-qingxi-jiazheng"


def test_edit_changes_only_the_edited_lines_and_keeps_what_the_form_does_not_know(tmp_path):
    port = free_port()
    root = make_repo(tmp_path / "repo", port)
    path = root / "brands" / f"{EDITED}.md"
    original = path.read_text(encoding="utf-8")
    # a comment and a field the form does not know (the check reports the field, before and after)
    original = original.replace("programs: [家政服务]\n",
                                "programs: [家政服务]  # 内部备注：示例注释\nx_internal: '0201'\n")
    path.write_text(original, encoding="utf-8")
    git(root, "commit", "-qam", "A comment and an unknown field")
    before = run_validate(root)
    result = build_site(root, tmp_path / "site", build_date=DATE)
    assert not result.ok  # the unknown field is an error: this test is about what the form keeps
    from site_builder.editor.cms import write_admin
    from site_builder.load.settings import load_settings

    # the editor alone, as the build writes it: the record is not valid, so no site is built
    (tmp_path / "site").mkdir()
    write_admin(tmp_path / "site", load_settings(root)[0], root)
    with decap_server(root, port) as backend, editor_page(tmp_path / "site", backend) as (
            base, page, guard):
        try:
            sign_in(page, base)
            page.get_by_text("示例·青溪家政（已发布）").click()
            fill(page, "一句话简介", "虚构的演示品牌：青溪区社区家政服务站网络（表单修改）。")
            item = page.get_by_text("带动就业", exact=True).first
            item.locator("xpath=ancestor::div[.//button][1]").locator("button").first.click()
            fill(page, "数值", "3200")
            save(page)
        finally:
            page.screenshot(path=str(tmp_path / "after.png"), full_page=True)
        assert not guard.foreign, guard.foreign
        assert not guard.errors, guard.errors
    branch = f"cms/brands/{EDITED}"
    diff = git(root, "diff", "--unified=0", "main", branch, "--", f"brands/{EDITED}.md")
    changed = [ln for ln in diff.splitlines()
               if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    assert changed == [
        "-summary: 虚构的演示品牌：青溪区社区家政服务站网络，提供育儿、养老和保洁服务。",
        "-    value: 3100",
        "+summary: 虚构的演示品牌：青溪区社区家政服务站网络（表单修改）。",
        "+    value: 3200",
    ] or sorted(changed) == sorted([
        "-summary: 虚构的演示品牌：青溪区社区家政服务站网络，提供育儿、养老和保洁服务。",
        "+summary: 虚构的演示品牌：青溪区社区家政服务站网络（表单修改）。",
        "-    value: 3100",
        "+    value: 3200",
    ]), diff
    git(root, "checkout", "-q", branch)
    after = run_validate(root)
    assert after.stdout == before.stdout  # the same one problem (the unknown field), nothing new
    text = path.read_text(encoding="utf-8")
    assert "programs: [家政服务]  # 内部备注：示例注释\nx_internal: '0201'\n" in text


STORY_SLUG = "shili-gushi"


def test_the_story_is_typed_as_markdown_and_the_page_shows_it_as_typed(project, tmp_path):
    """A new brand's story typed into the form's story field (a heading, a list, a link) and a
    cover with its alt text: the saved file holds the Markdown as typed (no \\## or \\-) and the
    built page shows a heading, a list, a link and the cover with its description."""
    root, site, port = project
    png = tmp_path / "cover.png"
    Image.new("RGB", (320, 180), (160, 60, 40)).save(png)
    story = ["虚构品牌的开头一段。", "", "## 发展历程", "", "- 第一步：试点", "- 第二步：推广", "",
             "详见[示例市人社局](https://www.example.org/shili)。"]
    with decap_server(root, port) as backend, editor_page(site, backend) as (base, page, guard):
        try:
            sign_in(page, base)
            page.get_by_text("＋ 品牌档案").click()
            fill(page, "网址名", STORY_SLUG)
            fill(page, "品牌名称", "示例·故事品牌")
            fill(page, "一句话简介", "虚构的示例品牌，故事由表单输入。")
            choose(page, "网站显示状态", "已发布")
            choose(page, "品牌类型", "高品质服务型")
            choose(page, "所在区", "青溪区")
            page.locator(field_id(page, "最近审核")).fill("2026-11-30")
            # the story: Markdown source, no rich-text toolbar to switch to
            editor = page.locator(".cms-editor-raw [contenteditable=true]").first
            assert page.locator(".cms-editor-visual").count() == 0
            editor.click()
            for i, line in enumerate(story):
                if i:
                    page.keyboard.press("Enter")
                if line:
                    page.keyboard.type(line)
            # the cover: open 图片, choose and upload the file, describe it
            page.get_by_role("button", name="选择图片").nth(1).click()  # 标志, then 封面
            with page.expect_file_chooser() as chooser:
                page.get_by_text("上传", exact=True).first.click()
            chooser.value.set_files(str(png))
            page.get_by_role("button", name="选用已选中项目").click()
            fill(page, "替代文字", "示例品牌的封面：一幅虚构的红色图块", nth=1)
            save(page)
        finally:
            page.screenshot(path=str(tmp_path / "after.png"), full_page=True)
        assert not guard.foreign, guard.foreign
        assert not guard.errors, guard.errors
    git(root, "checkout", "-q", f"cms/brands/{STORY_SLUG}")
    text = (root / "brands" / f"{STORY_SLUG}.md").read_text(encoding="utf-8")
    assert "\n".join(story) in text, text  # the Markdown as typed, nothing escaped
    assert "\\#" not in text and "\\-" not in text
    assert "  cover:\n    path: cover.png\n    alt: 示例品牌的封面：一幅虚构的红色图块\n" in text, text
    done = run_validate(root)
    assert done.returncode == 0 and "0 个错误，0 个警告" in done.stderr, done.stdout + done.stderr
    rebuilt = build_site(root, tmp_path / "site2", build_date=DATE)
    assert rebuilt.ok, [d.format() for d in rebuilt.diagnostics] + rebuilt.problems
    html = (tmp_path / "site2" / "brands" / STORY_SLUG / "index.html").read_text(encoding="utf-8")
    assert ">发展历程</h3>" in html
    assert "<li>第一步：试点</li>" in html and "<li>第二步：推广</li>" in html
    assert 'href="https://www.example.org/shili"' in html and ">示例市人社局</a>" in html
    assert 'alt="示例品牌的封面：一幅虚构的红色图块"' in html


PHONE = (390, 844)
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"

# Everything the page draws that reaches past the screen's right edge (a box clipped by a pane's
# overflow: hidden cannot be panned to either), and the document's own width.
_WIDER_THAN_SCREEN = """() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && r.right > vw + 1)
      out.push(el.tagName + "." + String(el.className).slice(0, 60) + " → " + Math.round(r.right));
  }
  return {scroll: document.documentElement.scrollWidth, viewport: vw, wider: out.slice(0, 10)};
}"""


def assert_fits(page, where: str) -> None:
    fit = page.evaluate(_WIDER_THAN_SCREEN)
    assert fit["viewport"] == PHONE[0], fit
    assert fit["scroll"] <= fit["viewport"], (where, fit)
    assert not fit["wider"], (where, fit)


def test_the_form_fits_a_390_px_phone_without_panning(project, tmp_path):
    """The collection list and the entry editor (toolbar, fields, an opened list item, the story)
    at 390 px: the document is no wider than the screen and nothing reaches past its edge."""
    root, site, port = project
    SHOTS.mkdir(parents=True, exist_ok=True)
    with decap_server(root, port) as backend, editor_page(site, backend, PHONE) as (
            base, page, guard):
        sign_in(page, base)
        page.get_by_text("示例·青溪家政（已发布）").wait_for()
        assert_fits(page, "collection list")
        page.screenshot(path=str(SHOTS / "admin-list-390.png"), full_page=True)
        page.get_by_role("link", name="审核进度").first.click()  # the pull requests' board
        page.get_by_text("审核通过").first.wait_for()
        assert page.get_by_text("新建帖子").count() == 0  # Decap's "new post" …
        assert page.get_by_text("新建档案").count() == 1  # … in the form's words
        assert_fits(page, "审核进度")
        page.get_by_role("link", name="内容").first.click()
        page.get_by_text("示例·青溪家政（已发布）").click()
        page.locator(field_id(page, "一句话简介")).wait_for()
        # the toolbar's actions are on the screen, in reach of a thumb
        save_button = page.get_by_role("button", name="保存").first.bounding_box()
        assert save_button and save_button["x"] + save_button["width"] <= PHONE[0]
        assert_fits(page, "entry editor, top")
        page.screenshot(path=str(SHOTS / "admin-editor-390.png"))
        item = page.get_by_text("带动就业", exact=True).first
        item.locator("xpath=ancestor::div[.//button][1]").locator("button").first.click()
        page.locator(field_id(page, "数值")).scroll_into_view_if_needed()
        assert_fits(page, "entry editor, a key figure opened")
        page.screenshot(path=str(SHOTS / "admin-editor-item-390.png"))
        page.locator(".cms-editor-raw [contenteditable=true]").first.scroll_into_view_if_needed()
        assert_fits(page, "entry editor, the story")
        # a new entry in a freshly loaded editor: a hash change alone is refused by the editor
        # while it takes the opened entry to have unsaved changes (its dialog, dismissed)
        page.goto("about:blank")
        page.goto(base + "admin/#/collections/brands/new")
        page.locator(field_id(page, "网址名")).wait_for(timeout=60_000)
        assert_fits(page, "new entry")
        assert not guard.foreign, guard.foreign
        assert not guard.errors, guard.errors
