"""The form editor's configuration agrees with the schema declaration, field by field; /admin/ is
built from the npm packages, kept off the public pages, and the post-build checks enforce that."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from showcase import make_project

from site_builder.build import build_site
from site_builder.editor.cms import (
    ADMIN_DIR,
    BODY_LABEL,
    DRAFT,
    api_origins,
    cms_config,
    content_security_policy,
    field_required,
)
from site_builder.load.settings import load_settings
from site_builder.schema.brand import BRAND
from site_builder.schema.fields import (
    Amount,
    Choice,
    Date,
    Image,
    ListOf,
    Number,
    Obj,
    Text,
    label_words,
)
from site_builder.verify.links import check_site

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def settings():
    s, diags = load_settings(REPO / "demo")
    assert s is not None, diags
    return s


def check_field(spec, f: dict, vocab: dict, parents_required: bool, where: str) -> None:
    """One schema field against its form field: label, hint, required, pattern, limits, choices."""
    assert f["label"] == label_words(spec.label, vocab), where
    assert f["required"] is field_required(spec, parents_required), where
    if spec.doc:
        assert spec.doc.replace("`", "") in f.get("hint", ""), where
    required = f["required"]
    if isinstance(spec, Image):
        assert f["widget"] == "object"
        path, alt = f["fields"]
        assert (path["name"], path["widget"], alt["name"]) == ("path", "image", "alt"), where
        check_field(spec.fields["alt"], alt, vocab, required, where + ".alt")
    elif isinstance(spec, Obj):
        assert f["widget"] == "object", where
        assert [x["name"] for x in f["fields"]] == list(spec.fields), where
        for (k, s), x in zip(spec.fields.items(), f["fields"]):
            check_field(s, x, vocab, required, f"{where}.{k}")
    elif isinstance(spec, ListOf):
        assert f.get("min", 0) == spec.min_items, where
        item = spec.item
        if isinstance(item, Choice):
            assert (f["widget"], f["multiple"]) == ("select", True), where
            assert f["options"] == vocab[item.vocab], where
        elif isinstance(item, Obj):
            assert f["widget"] == "list" and "fields" in f, where
            fields = f["fields"]
            if isinstance(item, Image):  # in a list the image is there: path and alt are due
                path, alt = fields
                assert (path["widget"], path["required"], alt["required"]) == ("image", True, True)
                check_field(item.fields["alt"], alt, vocab, True, where + "[].alt")
            else:
                assert [x["name"] for x in fields] == list(item.fields), where
                for (k, s), x in zip(item.fields.items(), fields):
                    check_field(s, x, vocab, True, f"{where}[].{k}")
        else:
            assert f["widget"] == "list", where
            assert f["field"]["required"] is True, where  # an empty list item is an error (B015)
            check_field(item, f["field"] | {"label": label_words(item.label, vocab),
                                            "required": field_required(item, True)},
                        vocab, True, where + "[]")
    elif isinstance(spec, Choice):
        assert f["widget"] == "select" and f["options"] == vocab[spec.vocab], where
    elif isinstance(spec, Number):
        assert f["widget"] == "number", where
        assert f["value_type"] == ("int" if spec.integer else "float"), where
        assert f.get("min") == spec.minimum, where
    elif isinstance(spec, Amount):
        assert f["widget"] == "string" and spec.kind_hint(where) in f.get("hint", ""), where
    elif isinstance(spec, Date):
        if spec.precision == "day":
            assert (f["widget"], f["format"], f["time_format"]) == ("datetime", "YYYY-MM-DD", False)
        else:
            assert f["widget"] == "string"
            rx = re.compile(f["pattern"][0])
            assert rx.match("2024") and not rx.match("24年")
            assert bool(rx.match("2024-12-31")) == (spec.precision == "partial"), where
    elif isinstance(spec, Text):
        assert f["widget"] == ("text" if spec.multiline else "string"), where
        if spec.pattern or spec.max_len:
            rx, message = f["pattern"]
            if spec.max_len:
                assert re.fullmatch(rx.strip("^$"), "字" * spec.max_len) or spec.pattern, where
                assert not re.match(rx, "字" * (spec.max_len + 1)), where
                assert f"最多 {spec.max_len} 字" in message, where
            if spec.pattern:
                assert f"(?:{spec.pattern})" in rx, where
                assert spec.pattern_hint in message, where
        else:
            assert "pattern" not in f, where
    else:
        raise TypeError(f"{where}: a schema field kind the test does not know")


def test_every_brand_field_is_in_the_form_as_the_schema_declares(settings):
    config = cms_config(settings)
    (brands,) = config["collections"]
    fields = brands["fields"]
    assert [f["name"] for f in fields] == [*BRAND.fields, "body"]
    for (name, spec), f in zip(BRAND.fields.items(), fields):
        check_field(spec, f, settings.vocab, True, name)
    body = fields[-1]
    assert (body["label"], body["widget"]) == (BODY_LABEL, "markdown")
    status = next(f for f in fields if f["name"] == "status")
    assert status["default"] == DRAFT == "草稿"


def test_a_schema_change_is_caught_by_the_walk(settings):
    """The walk compares both ways: a label changed in the schema alone fails it."""
    fields = cms_config(settings)["collections"][0]["fields"]
    spec = BRAND.fields["people"].item.fields["role"]
    form = next(f for f in fields if f["name"] == "people")["fields"][1]
    with pytest.raises(AssertionError):
        check_field(Choice("别的名称", vocab=spec.vocab, required=True), form, settings.vocab,
                    True, "people[].role")


def test_the_configuration_saves_through_pull_requests_into_the_brand_folder(settings):
    config = cms_config(settings)
    assert config["locale"] == "zh_Hans"
    assert config["publish_mode"] == "editorial_workflow"
    assert {k: config["backend"][k] for k in ("name", "repo", "branch")} == {
        "name": "github", "repo": "example-org/shili-laowu", "branch": "main"}
    brands = config["collections"][0]
    assert (brands["folder"], brands["format"], brands["slug"]) == (
        "brands", "strict-frontmatter", "{{fields.slug}}")
    # uploads go to brands/<slug>/ (the folder named like the record's file) and keep the name only
    assert (brands["media_folder"], brands["public_folder"]) == ("{{filename}}", "")
    assert config["local_backend"]["url"] == "http://127.0.0.1:8081/api/v1"


def test_self_hosted_gitlab_signs_in_with_pkce_and_talks_to_its_own_host_only(settings):
    data = dict(settings.data, editor={
        "backend": "gitlab", "repo": "laowu/site", "app_id": "abc123",
        "api_root": "https://git.example.gov.cn/api/v4", "base_url": "https://git.example.gov.cn"})
    s = type(settings)(data)
    backend = cms_config(s)["backend"]
    assert backend["auth_type"] == "pkce" and backend["app_id"] == "abc123"
    assert api_origins(s) == ["https://git.example.gov.cn"]
    csp = content_security_policy(s)
    connect = next(p for p in csp.split("; ") if p.startswith("connect-src")).split()[1:]
    assert connect == ["'self'", "blob:", "data:", "https://git.example.gov.cn",
                       "http://127.0.0.1:8081", "http://localhost:8081"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("cms-site"))
    result = build_site(root, root / "site")
    assert result.ok, [d.format() for d in result.diagnostics] + result.problems
    return root, root / "site"


def test_admin_is_built_from_the_installed_packages_and_kept_out_of_search(built):
    _root, site = built
    admin = site / ADMIN_DIR
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'src="vendor/decap/decap-cms.js"' in page
    assert (admin / "vendor" / "decap" / "decap-cms.js").stat().st_size > 1_000_000
    assert not list(admin.rglob("*.map"))  # source maps stay in node_modules
    assert yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))["locale"] == "zh_Hans"
    assert "admin" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    for p in site.rglob("*.html"):
        rel = p.relative_to(site).as_posix()
        if not rel.startswith("admin/"):
            assert "admin/" not in p.read_text(encoding="utf-8"), rel
    import gzip
    for frag in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        assert b"admin/" not in gzip.decompress(frag.read_bytes())


def _copy(site: Path, dest: Path) -> Path:
    import shutil

    shutil.copytree(site, dest)
    return dest


def _codes(findings):
    return sorted((d.path.lstrip("/"), d.code) for d in findings)


def test_the_built_admin_passes_the_checks_with_its_one_exception(built, tmp_path):
    root, site = built
    origins = api_origins(load_settings(root)[0])
    assert origins == ["https://api.github.com"]
    assert check_site(site, None, "", admin_origins=origins) == []


def test_a_public_page_loading_or_linking_the_admin_fails(built, tmp_path):
    _root, site = built
    site = _copy(site, tmp_path / "s")
    about = site / "about" / "index.html"
    html = about.read_text(encoding="utf-8")
    about.write_text(html.replace("</body>", '<script src="../admin/vendor/decap/decap-cms.js">'
                                  '</script><a href="../admin/">编辑</a></body>'), encoding="utf-8")
    found = check_site(site, None, "", admin_origins=["https://api.github.com"])
    assert _codes(found) == [("about/index.html", "C007"), ("about/index.html", "C007")]


def test_the_exception_is_narrow(built, tmp_path):
    _root, site = built
    site = _copy(site, tmp_path / "s")
    admin = site / ADMIN_DIR / "index.html"
    page = admin.read_text(encoding="utf-8")
    # another host in the admin's policy, a foreign script on the admin page
    admin.write_text(page.replace("https://api.github.com", "https://api.github.com "
                                  "https://api.netlify.com").replace(
        "</body>", '<script src="https://cdn.example.com/x.js"></script></body>'), encoding="utf-8")
    # our own admin script calling a foreign address, and a public script calling the API host
    (site / ADMIN_DIR / "strict-frontmatter.js").write_text(
        'fetch("https://api.github.com/user"); fetch("https://tracker.shili-tongji.cn/t");')
    (site / "assets" / "x.js").write_text('fetch("https://api.github.com/user");')
    found = check_site(site, None, "", admin_origins=["https://api.github.com"])
    assert _codes(found) == [("admin/index.html", "C005"), ("admin/index.html", "C008"),
                             ("admin/strict-frontmatter.js", "C005"), ("assets/x.js", "C005")]
    no_policy = page.replace('<meta name="robots" content="noindex, nofollow">', "")
    no_policy = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", no_policy)
    admin.write_text(no_policy, encoding="utf-8")
    (site / ADMIN_DIR / "strict-frontmatter.js").write_text("")
    (site / "assets" / "x.js").unlink()
    found = check_site(site, None, "", admin_origins=["https://api.github.com"])
    assert _codes(found) == [("admin/index.html", "C008"), ("admin/index.html", "C008")]
