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
    STATUS_LABEL,
    VIDEO_FILE_HINTS,
    admin_files,
    api_origins,
    cms_config,
    config_json,
    configured_origins,
    content_security_policy,
    field_required,
    form_words,
    write_admin,
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
    SourceRef,
    Text,
    label_words,
)
from site_builder.schema.news import NEWS, NEWS_VOCAB
from site_builder.schema.video import Video
from site_builder.verify.links import check_site

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def settings():
    s, diags = load_settings(REPO / "demo")
    assert s is not None, diags
    return s


def check_field(spec, f: dict, vocab: dict, parents_required: bool, where: str) -> None:
    """One schema field against its form field: label, hint, required, pattern, limits, choices."""
    # the record's status has the form's own label: "发布" is Decap's word for a merge
    assert f["label"] == (STATUS_LABEL if where == "status" else label_words(spec.label, vocab)), where
    assert f["required"] is field_required(spec, parents_required), where
    if spec.doc:
        assert label_words(form_words(spec.doc), vocab) in f.get("hint", ""), where  # {area}: the area word
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
                    if isinstance(item, Video) and k in VIDEO_FILE_HINTS:  # uploaded files
                        assert (x["label"], x["widget"], x["choose_url"]) == (s.label, "file", False)
                        assert x["required"] is field_required(s, True) and "pattern" not in x
                        assert x["hint"] == VIDEO_FILE_HINTS[k], where
                        continue
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
        assert f["widget"] == "string" and form_words(spec.kind_hint(where)) in f.get("hint", ""), where
    elif isinstance(spec, Date):
        if spec.precision == "day":
            assert (f["widget"], f["format"], f["time_format"]) == ("datetime", "YYYY-MM-DD", False)
        else:
            assert f["widget"] == "string"
            rx = re.compile(f["pattern"][0])
            assert rx.match("2024") and not rx.match("24年")
            assert bool(rx.match("2024-12-31")) == (spec.precision == "partial"), where
    elif isinstance(spec, SourceRef):  # chosen from the record's own sources (admin/form.js)
        assert f["widget"] == "source" and "pattern" not in f, where
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
                assert "应写成" + form_words(spec.pattern_hint) in message, where
                assert "例如" in message, (where, message)  # what is expected, with an example
        else:
            assert "pattern" not in f, where
    else:
        raise TypeError(f"{where}: a schema field kind the test does not know")


def test_every_brand_field_is_in_the_form_as_the_schema_declares(settings):
    config = cms_config(settings)
    brands = config["collections"][0]
    fields = brands["fields"]
    assert [f["name"] for f in fields] == [*BRAND.fields, "body"]
    for (name, spec), f in zip(BRAND.fields.items(), fields):
        check_field(spec, f, settings.vocab, True, name)
    body = fields[-1]
    assert (body["label"], body["widget"]) == (BODY_LABEL, "markdown")
    status = next(f for f in fields if f["name"] == "status")
    assert status["default"] == DRAFT == "草稿"


# Words of the file, not of the form: YAML's block marker, field names, settings keys, "YYYY".
_FILE_WORDS = re.compile(r"\| 开头|sources|districts|settings\.yml|YYYY|\bid\b|`|不满足模式|No options")


def test_the_form_speaks_plain_chinese(settings):
    """No label, hint or pattern message of the form names YAML, a field's key or a settings
    key; every pattern message says what is expected, with an example."""
    found, messages = [], []

    def walk(fields, where):
        for f in fields:
            here = f"{where}.{f['name']}"
            texts = [f["label"], f.get("hint", "")]
            if "pattern" in f:
                texts.append(f["pattern"][1])
                messages.append((here, f["pattern"][1]))
            found.extend((here, t) for t in texts if _FILE_WORDS.search(t))
            walk(f.get("fields", []), here)
            if "field" in f:
                walk([f["field"]], here)

    for collection in cms_config(settings)["collections"]:  # brand records and news
        walk(collection["fields"], collection["name"])
    assert not found, found
    for here, message in messages:  # a limit alone ("最多 40 字；只写一行") needs no example
        if "应写成" in message:
            assert "例如" in message, (here, message)
    form_js = (REPO / "site_builder/editor/admin/form.js").read_text(encoding="utf-8")
    assert 'regexPattern: "“%{fieldLabel}”的写法不对：%{pattern}"' in form_js
    assert '"No options") node.nodeValue = "没有可选的项"' in form_js


def test_the_form_cannot_merge_into_main(settings):
    """The shipped configuration saves into a pull request (editorial workflow: a branch per
    record) and has no publish action: the merge happens on the repository host, where the
    required checks must pass. Decap's words for the pull request's states are not the record's."""
    for editor in (settings["editor"], {**settings["editor"], "base_url": OAUTH},
                   {k: v for k, v in settings["editor"].items() if k != "base_url"}):
        config = cms_config(with_editor(settings, **editor))
        assert config["publish_mode"] == "editorial_workflow"
        for collection in config["collections"]:  # brand records, news: none can publish
            assert collection["publish"] is False and collection["delete"] is False, collection
            body = next(f for f in collection["fields"] if f["name"] == "body")
            assert body["modes"] == ["raw"], collection["name"]
        brands = next(c for c in config["collections"] if c["name"] == "brands")
    status = next(f for f in brands["fields"] if f["name"] == "status")
    assert status["label"] == STATUS_LABEL and "发布" not in STATUS_LABEL
    form_js = (REPO / "site_builder/editor/admin/form.js").read_text(encoding="utf-8")
    for words in ('draft: "编辑中"', 'ready: "审核通过"', 'published: "已合并到网站"'):
        assert words in form_js
def _field(fields: list[dict], name: str) -> dict:
    return next(f for f in fields if f["name"] == name)


def test_videos_of_brands_people_and_venues_are_uploads_with_plain_chinese_labels(settings):
    fields = cms_config(settings)["collections"][0]["fields"]
    lists = [_field(fields, "videos"), _field(_field(fields, "people")["fields"], "videos"),
             _field(_field(fields, "venues")["fields"], "videos")]
    for videos in lists:
        assert (videos["label"], videos["label_singular"], videos["widget"]) == ("视频", "视频", "list")
        assert videos["summary"] == "{{fields.title}}"  # the list shows each video's title
        inner = {f["name"]: f for f in videos["fields"]}
        assert inner["path"]["widget"] == inner["captions"]["widget"] == "file"
        assert [inner[k]["label"] for k in ("path", "title", "captions", "poster")] == [
            "视频文件", "视频标题", "中文字幕", "封面画面"]
        for f in videos["fields"]:  # plain words: no file-system notation in what the editor reads
            assert re.search(r"[\u4e00-\u9fff]", f["label"]) and "<slug>" not in f.get("hint", "")


def test_the_news_collection_is_in_the_form_as_its_schema_declares(settings):
    news = cms_config(settings)["collections"][1]
    assert (news["name"], news["label"], news["folder"]) == ("news", "动态", "news")
    fields = news["fields"]
    assert [f["name"] for f in fields] == [*NEWS.fields, "body"]
    vocab = settings.vocab | NEWS_VOCAB
    for (name, spec), f in zip(NEWS.fields.items(), fields):
        check_field(spec, f, vocab, True, name)
        assert re.search(r"[\u4e00-\u9fff]", f["label"]), name  # a Chinese label
    assert _field(fields, "kind")["options"] == NEWS_VOCAB["news_kinds"]
    assert _field(fields, "status")["default"] == DRAFT


def test_a_schema_change_is_caught_by_the_walk(settings):
    """The walk compares both ways: a label changed in the schema alone fails it."""
    fields = cms_config(settings)["collections"][0]["fields"]
    spec = BRAND.fields["people"].item.fields["role"]
    form = next(f for f in fields if f["name"] == "people")["fields"][1]
    with pytest.raises(AssertionError):
        check_field(Choice("别的名称", vocab=spec.vocab, required=True), form, settings.vocab,
                    True, "people[].role")


OAUTH = "https://oauth.shili-laowu.example.cn"  # the organisation's own sign-in service (fictional)


def with_editor(settings, **editor):
    """The same settings with another `editor` section (None: without one)."""
    data = dict(settings.data)
    if editor:
        data["editor"] = editor
    else:
        data.pop("editor", None)
    return type(settings)(data)


def test_the_configuration_saves_through_pull_requests_into_the_brand_folder(settings):
    s = with_editor(settings, **settings["editor"], base_url=OAUTH)
    config = cms_config(s)
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


def test_github_signs_in_through_the_organisations_own_service_named_in_full(settings):
    s = with_editor(settings, backend="github", repo="example-org/shili-laowu", base_url=OAUTH)
    backend = cms_config(s)["backend"]
    # both written out: nothing is left to Decap's default, Netlify's sign-in service
    assert (backend["base_url"], backend["auth_endpoint"]) == (OAUTH, "auth")
    assert api_origins(s) == ["https://api.github.com"]
    s = with_editor(settings, backend="github", repo="example-org/shili-laowu", base_url=OAUTH,
                    auth_endpoint="oauth/start")
    assert cms_config(s)["backend"]["auth_endpoint"] == "oauth/start"


@pytest.mark.parametrize("editor", [
    {"backend": "github", "repo": "example-org/shili-laowu"},  # no sign-in service
    {"backend": "gitlab", "repo": "laowu/site", "api_root": "https://git.example.gov.cn/api/v4"},
    {"backend": "forgejo", "repo": "laowu/site", "app_id": "abc123"},  # no API address
], ids=["github-without-base_url", "gitlab-without-app_id", "forgejo-without-api_root"])
def test_without_an_online_sign_in_the_editor_is_local_only(settings, editor):
    """A backend whose settings name no sign-in of the organisation's own is written as Decap's
    local backend (decap-server on this computer): never Decap's default, Netlify."""
    s = with_editor(settings, **editor, local_port=8099)
    config = cms_config(s)
    assert config["backend"] == {
        "name": "proxy", "proxy_url": "http://127.0.0.1:8099/api/v1", "branch": "main",
        "commit_messages": config["backend"]["commit_messages"]}
    assert config["local_backend"]["url"] == "http://127.0.0.1:8099/api/v1"
    text = config_json(s)
    assert "netlify" not in text.lower() and "git-gateway" not in text
    assert api_origins(s) == []
    connect = next(p for p in content_security_policy(s).split("; ")
                   if p.startswith("connect-src")).split()[1:]
    assert connect == ["'self'", "blob:", "data:", "http://127.0.0.1:8099", "http://localhost:8099"]


def test_the_local_only_editor_says_so_on_its_page(settings, tmp_path):
    local = with_editor(settings, backend="github", repo="example-org/shili-laowu")
    generated, _copied = admin_files(local)
    page = generated["admin/index.html"].decode("utf-8")
    assert "本站没有配置在线编辑" in page and "make editor" in page
    online = with_editor(settings, backend="github", repo="example-org/shili-laowu", base_url=OAUTH)
    generated, _copied = admin_files(online)
    assert "本站没有配置在线编辑" not in generated["admin/index.html"].decode("utf-8")
    assert admin_files(with_editor(settings)) == ({}, {})  # no editor section: no /admin/


def test_a_third_party_sign_in_only_when_the_settings_name_it(settings):
    """Netlify's service (or any other) is used only when `base_url` names it, in plain sight."""
    s = with_editor(settings, backend="github", repo="example-org/shili-laowu",
                    base_url="https://api.netlify.com")
    assert cms_config(s)["backend"]["base_url"] == "https://api.netlify.com"


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
    text = (root / "settings.yml").read_text(encoding="utf-8")
    assert "  local_port: 8081\n" in text
    (root / "settings.yml").write_text(text.replace(
        "  local_port: 8081\n", f"  base_url: {OAUTH}\n  local_port: 8081\n"), encoding="utf-8")
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


def test_a_local_only_admin_passes_the_checks_and_names_no_outside_host(built, tmp_path):
    root, site = built
    site = _copy(site, tmp_path / "s")
    settings = load_settings(root)[0]
    local = with_editor(settings, **{k: v for k, v in settings["editor"].items()
                                     if k != "base_url"})
    write_admin(site, local, root)
    assert configured_origins(site) == []
    assert check_site(site, None, "") == []
    assert "本站没有配置在线编辑" in (site / ADMIN_DIR / "index.html").read_text(encoding="utf-8")


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
    # (a public script that no page loads is refused as such too: P114)
    (site / "assets" / "x.js").write_text('fetch("https://api.github.com/user");')
    found = check_site(site, None, "", admin_origins=["https://api.github.com"])
    assert _codes(found) == [("admin/index.html", "C005"), ("admin/index.html", "C008"),
                             ("admin/strict-frontmatter.js", "C005"), ("assets/x.js", "C005"),
                             ("assets/x.js", "P114")]
    no_policy = page.replace('<meta name="robots" content="noindex, nofollow">', "")
    no_policy = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", no_policy)
    admin.write_text(no_policy, encoding="utf-8")
    (site / ADMIN_DIR / "strict-frontmatter.js").write_text("")
    (site / "assets" / "x.js").unlink()
    found = check_site(site, None, "", admin_origins=["https://api.github.com"])
    assert _codes(found) == [("admin/index.html", "C008"), ("admin/index.html", "C008")]


# -- /admin/ in Chromium: nothing requested from another host on load ----------------------------

THIRD_PARTIES = ("netlify", "unpkg", "jsdelivr", "cdnjs", "identity")


def _write_editor(dest: Path, settings, port: int, csp: bool) -> Path:
    """/admin/ alone, as the build writes it (its policy stripped when not `csp`, so that any
    request the bundle tries reaches the browser's router instead of being refused silently)."""
    from cms_support import REPO as ROOT

    s = with_editor(settings, **settings["editor"], local_port=port)
    dest.mkdir()
    write_admin(dest, s, ROOT)
    if not csp:
        page = dest / ADMIN_DIR / "index.html"
        page.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "",
                               page.read_text(encoding="utf-8")), encoding="utf-8")
    return dest


@pytest.mark.browser
@pytest.mark.parametrize("csp", [True, False], ids=["with-policy", "policy-stripped"])
def test_the_editor_asks_no_third_party_on_load_and_signs_in_at_the_organisations_service(
        settings, tmp_path, csp):
    from cms_support import editor_page, free_port

    port = free_port()  # nothing listens there: the local backend is absent, as on a public site
    local = _write_editor(tmp_path / "local", with_editor(
        settings, backend="github", repo="example-org/shili-laowu"), port, csp)
    online = _write_editor(tmp_path / "online", with_editor(
        settings, backend="github", repo="example-org/shili-laowu", base_url=OAUTH), port, csp)
    loopback = f"http://127.0.0.1:{port}"
    with editor_page(local, loopback) as (base, page, guard):
        page.goto(base + "admin/")
        page.get_by_role("button", name="登录").wait_for()
        assert page.get_by_role("note").inner_text().startswith("本站没有配置在线编辑")
        page.wait_for_timeout(3000)  # the identity widget's 2.5 s fallback, had it been loaded
        assert not guard.foreign, guard.foreign
        assert not [m for m in guard.console if any(t in m.lower() for t in THIRD_PARTIES)], \
            guard.console
    with editor_page(online, loopback) as (base, page, guard):
        page.goto(base + "admin/")
        page.get_by_role("button", name="使用 GitHub 登录").wait_for()
        page.wait_for_timeout(3000)
        assert not guard.foreign, guard.foreign
        assert not [m for m in guard.console if any(t in m.lower() for t in THIRD_PARTIES)], \
            guard.console
        assert page.get_by_role("note").count() == 0
        with page.expect_popup():
            page.get_by_role("button", name="使用 GitHub 登录").click()
        # the sign-in window opens at the organisation's own service (aborted here: the one
        # request to another host), never at Netlify's
        assert guard.foreign, "no sign-in window"
        assert all(u.startswith(OAUTH + "/auth?provider=github") for u in guard.foreign), \
            guard.foreign
