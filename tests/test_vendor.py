"""The form editor's built files inside the package (site_builder/editor/vendor/, make vendor):
the versions package-lock.json pins, the same bytes as the installed npm packages, and what the
build copies into /admin/ when no node_modules is anywhere (an installed site-builder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import missing_tool
from sitecopy import FIXTURE_SETTINGS

from site_builder.editor import cms
from site_builder.load.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
LOCK = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))


def pinned(name: str) -> str:
    return LOCK["packages"][f"node_modules/{name}"]["version"]


def test_the_vendored_files_are_the_pinned_versions():
    versions = json.loads((cms.VENDORED / "VERSIONS.json").read_text(encoding="utf-8"))
    assert versions == {"decap-cms": pinned("decap-cms"), "yaml": pinned("yaml")}
    for name in versions:  # each package's own package.json, copied beside its files
        meta = json.loads((cms.VENDORED / name / "package.json").read_text(encoding="utf-8"))
        assert meta["version"] == versions[name] and meta["license"]
    assert (cms.VENDORED / "yaml" / "LICENSE").is_file()
    assert (cms.VENDORED / cms.DECAP_DIST / "decap-cms.js.LICENSE.txt").is_file()


def test_the_vendored_files_match_node_modules_byte_for_byte():
    nm = REPO / "node_modules"
    if not (nm / cms.DECAP_DIST / "decap-cms.js").is_file():
        missing_tool("node_modules (npm ci)")
    wanted = cms.vendored_files(nm)
    have = cms.vendored_files(cms.VENDORED)
    assert sorted(have) == sorted(wanted), "make vendor: the copy lacks or has extra files"
    changed = [rel for rel, src in wanted.items() if src.read_bytes() != have[rel].read_bytes()]
    assert changed == [], f"make vendor: {changed[:3]} differ from node_modules"


def test_admin_is_built_from_the_package_without_node_modules(tmp_path, monkeypatch):
    """No node_modules in the project nor a checkout: /admin/ still gets Decap and yaml, from
    the package; a removed copy is refused with the message saying how to get it."""
    monkeypatch.setattr(cms, "CHECKOUT_ROOT", tmp_path / "nowhere")
    settings, diags = load_settings(FIXTURE_SETTINGS.parent)
    assert settings is not None, diags
    assert cms.editor_settings(settings)
    generated, copied = cms.admin_files(settings, tmp_path)
    assert f"{cms.ADMIN_DIR}/config.yml" in generated
    assert f"{cms.ADMIN_DIR}/{cms.VENDOR_DIR}/decap-cms.js" in copied
    assert f"{cms.ADMIN_DIR}/yaml/index.js" in copied
    assert all(p.is_relative_to(cms.VENDORED) for rel, p in copied.items()
               if not p.is_relative_to(cms.OWN_FILES))  # our own scripts beside Decap's
    assert not any(rel.endswith((".map", ".txt")) for rel in copied)
    monkeypatch.setattr(cms, "VENDORED", tmp_path / "removed")
    with pytest.raises(cms.EditorUnavailable, match="请重新安装 site-builder"):
        cms.admin_files(settings, tmp_path)
