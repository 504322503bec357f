"""The site's official identity (issue 27): organiser, contact, filing numbers, the 党政机关网站标识
slot and the policy's own document in the footer and on the about page; `site.production: true`
refuses to publish without the site's address, its organiser and a public contact (S020, at the
setting's line), a preview build says in one notice what is still missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DEMO_DATE
from PIL import Image
from sitecopy import copy_demo

from site_builder.build import build_site
from site_builder.load.settings import load_settings


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _demo(dest: Path) -> Path:
    """The demo without its site address: each test states the address it needs."""
    root = copy_demo(dest, full=False)
    text = (root / "settings.yml").read_text(encoding="utf-8")
    url = re.search(r"^  url: .*$", text, re.MULTILINE)[0]
    (root / "settings.yml").write_text(text.replace(url, '  url: ""', 1), encoding="utf-8")
    return root


def _line(path: Path, needle: str) -> int:
    return next(i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in s)


@pytest.fixture(scope="module")
def official(tmp_path_factory) -> Path:
    """The fictional demo as a production site: an address, a 党政机关网站标识 of our own drawing."""
    root = _demo(tmp_path_factory.mktemp("official") / "p")
    Image.new("RGB", (96, 116), (200, 30, 30)).save(root / "assets" / "dzjg-shili.png")
    settings = root / "settings.yml"
    _edit(settings, '  url: ""', "  url: https://shili.example.org/\n  production: true")
    _edit(settings, "filing:\n", "filing:\n  dzjg_logo: assets/dzjg-shili.png\n"
          "  dzjg_url: https://check.example.net/dzjg?id=0001\n")
    result = build_site(root, root / "site", build_date=DEMO_DATE)
    assert result.ok, [d.message for d in result.diagnostics] + result.problems
    assert not [n for n in result.notices if "预览" in n]  # nothing missing: no preview notice
    return root


def test_production_refuses_each_missing_identity_at_its_line(tmp_path):
    root = _demo(tmp_path / "p")
    settings = root / "settings.yml"
    _edit(settings, '  url: ""', '  url: ""\n  production: true')
    _edit(settings, "  organization: 示例市人力资源和社会保障局（虚构）\n", '  organization: ""\n')
    _edit(settings, "  phone: 000-00000000\n", "")
    _edit(settings, "  email: demo@example.org\n", "")
    value, diags = load_settings(root)
    assert value is None
    got = [(d.code, d.field, d.line, d.severity.value) for d in diags]
    assert got == [
        ("S020", "site.url", _line(settings, '  url: ""'), "error"),
        ("S020", "contact.organization", _line(settings, '  organization: ""'), "error"),
        ("S020", "contact.phone", _line(settings, "contact:"), "error")]
    assert all(d.path == "settings.yml" for d in diags)
    assert "站点地址" in diags[0].message and "主办单位" in diags[1].message
    assert "contact.phone 或 contact.email" in diags[2].message and "提示" in diags[2].message
    assert not build_site(root, tmp_path / "site", build_date=DEMO_DATE).ok
    assert not (tmp_path / "site").exists()


def test_an_email_alone_is_a_real_contact(tmp_path):
    root = _demo(tmp_path / "p")
    settings = root / "settings.yml"
    _edit(settings, '  url: ""', "  url: https://shili.example.org/\n  production: true")
    _edit(settings, "  phone: 000-00000000\n", "")
    value, diags = load_settings(root)
    assert value is not None and diags == []


@pytest.mark.parametrize("bad", ["yes", "是"])
def test_production_switch_is_true_or_false(tmp_path, bad):
    root = _demo(tmp_path / "p")
    settings = root / "settings.yml"
    _edit(settings, '  url: ""', f'  url: ""\n  production: {bad}')
    value, diags = load_settings(root)
    assert value is None and [(d.code, d.line) for d in diags] == [
        ("S005", _line(settings, "production:"))]


def test_preview_build_names_what_is_missing_in_one_notice(tmp_path):
    root = _demo(tmp_path / "p")
    _edit(root / "settings.yml", "  organization: 示例市人力资源和社会保障局（虚构）\n", "")
    result = build_site(root, tmp_path / "site", build_date=DEMO_DATE)
    assert result.ok and not [d for d in result.diagnostics if d.code == "S020"]
    preview = [n for n in result.notices if "预览" in n]
    assert len(preview) == 1
    assert "站点地址（site.url）" in preview[0] and "主办单位（contact.organization）" in preview[0]
    assert "电话" not in preview[0]  # the demo has a phone and an e-mail address


def test_dzjg_logo_must_be_in_the_project_and_linked(tmp_path):
    root = _demo(tmp_path / "p")
    settings = root / "settings.yml"
    _edit(settings, "filing:\n", "filing:\n  dzjg_logo: assets/missing.png\n")
    _, diags = load_settings(root)
    assert [(d.code, d.field, d.line) for d in diags] == [
        ("S021", "filing.dzjg_logo", _line(settings, "dzjg_logo:"))]
    _edit(settings, "assets/missing.png", "assets/logo.png")
    _, diags = load_settings(root)
    assert [(d.code, d.field) for d in diags] == [("S021", "filing.dzjg_url")]
    _edit(settings, "  dzjg_logo: assets/logo.png\n",
          "  dzjg_logo: https://other.example.org/dzjg.png\n")
    _, diags = load_settings(root)
    assert [d.code for d in diags] == ["S005"]  # never an image from another host


def test_footer_carries_the_identity_on_every_page(official):
    site = official / "site"
    pages = [site / "index.html", site / "brands" / "index.html", site / "about" / "index.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        footer = html[html.index('<footer class="lb-footer"'):]
        for text in ("主办单位", "示例市人力资源和社会保障局（虚构）", "承办单位", "000-00000000",
                     "demo@example.org", "政府网站标识码：0000000000", "粤ICP备00000000号-1",
                     "粤公网安备 00000000000000号"):
            assert text in footer, (page, text)
        dzjg = re.search(r'<a class="lb-footer__dzjg" href="([^"]+)"[^>]*><img src="([^"]+)" '
                         r'alt="党政机关网站标识"', footer)
        assert dzjg and dzjg.group(1) == "https://check.example.net/dzjg?id=0001"
        assert (page.parent / dzjg.group(2)).resolve() == (site / "assets" / "dzjg.png").resolve()
        assert re.search(r'本站依据<a href="https://[^"]+" rel="noopener">《[^》]+》</a>建设', footer)
    assert (site / "assets" / "dzjg.png").read_bytes() == \
        (official / "assets" / "dzjg-shili.png").read_bytes()


def test_about_page_states_organiser_contact_basis_and_filing(official):
    html = (official / "site" / "about" / "index.html").read_text(encoding="utf-8")
    main = html[:html.index('<footer class="lb-footer"')]
    for text in ("联系我们", "<dt>主办单位</dt>", "<dt>承办单位</dt>", 'href="tel:00000000000"',
                 'href="mailto:demo@example.org"', "建设依据", "<dt>政府网站标识码</dt><dd>0000000000</dd>",
                 "<dt>ICP 备案号</dt>", "<dt>公安机关备案号</dt>"):
        assert text in main, text
    assert re.search(r'印发的<a href="https://[^"]+" rel="noopener">《[^》]+》</a>', main)
