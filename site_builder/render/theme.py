"""The showcase theme's own files and values: emblem, logo, favicon, footer; the engine's unused files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from markupsafe import escape

LOGO_URI = "assets/site-logo"
FAVICON_URI = "assets/favicon"
EMBLEM_COLOUR = "#0b4a8b"

# Files of Material for MkDocs that no page of ours loads: its search (we use Pagefind), its
# script bundle (the header, menu and search are our own), source maps, its default logo and
# the palette stylesheet (no palette is configured). Globs relative to the site's root.
UNUSED_THEME_FILES = (
    "assets/javascripts/lunr", "assets/javascripts/workers", "assets/javascripts/bundle.*.js",
    "assets/javascripts/*.map", "assets/stylesheets/*.map", "assets/stylesheets/palette.*.css",
    "assets/images/favicon.png",
)
# Pagefind writes three user interfaces; the search page uses its plain API (pagefind.js) only.
UNUSED_SEARCH_FILES = ("pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js",
                       "pagefind-ui.*")
_SOURCE_MAP = re.compile(r"\n?/\*# sourceMappingURL=[^*]*\*/\s*$|\n?//# sourceMappingURL=\S*\s*$")


def emblem_svg(text: str, colour: str = EMBLEM_COLOUR) -> bytes:
    """A neutral round emblem with the region's first character, for sites without a logo."""
    ch = escape(text[:1] or "品")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<circle cx="32" cy="32" r="31" fill="{colour}"/>'
        '<circle cx="32" cy="32" r="26" fill="none" stroke="#fff" stroke-width="2"/>'
        '<text x="32" y="42" text-anchor="middle" font-size="28" font-weight="700" fill="#fff" '
        'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif">'
        f"{ch}</text></svg>").encode()


def theme_files(root: Path, settings) -> tuple[dict[str, bytes], dict[str, Path], dict]:
    """The logo and favicon files to publish and the values the theme templates read.

    `site.logo` and `site.favicon` are paths inside the project; without them a neutral emblem
    is generated (never the engine's own logo)."""
    site = settings["site"]
    files: dict[str, bytes] = {}
    assets: dict[str, Path] = {}
    emblem = None

    def publish(key: str, stem: str) -> str:
        nonlocal emblem
        path = site.get(key)
        if path:
            uri = f"{stem}.{path.rsplit('.', 1)[-1].lower()}"
            assets[uri] = root / path
            return uri
        if emblem is None:
            emblem = "assets/emblem.svg"
            files[emblem] = emblem_svg(settings["region"]["short_name"])
        return emblem

    contact = settings.get("contact") or {}
    filing = settings.get("filing") or {}
    dzjg = ""
    if filing.get("dzjg_logo") and filing.get("dzjg_url"):  # the project's own image (S021)
        dzjg = f"assets/dzjg.{filing['dzjg_logo'].rsplit('.', 1)[-1].lower()}"
        assets[dzjg] = root / filing["dzjg_logo"]
    context = {
        "logo": publish("logo", LOGO_URI),
        "favicon": publish("favicon", FAVICON_URI) if site.get("favicon") or not site.get("logo")
        else publish("logo", LOGO_URI),
        "organiser": contact.get("organization", ""),
        "undertaker": contact.get("undertaker", ""),
        "address": contact.get("address", ""),
        "phone": contact.get("phone", ""),
        "email": contact.get("email", ""),
        "site_code": filing.get("site_code", ""),
        "icp": filing.get("icp", ""),
        "police": filing.get("police", ""),
        "police_code": "".join(ch for ch in filing.get("police", "") if ch.isdigit()),
        "dzjg_logo": dzjg,
        "dzjg_url": filing.get("dzjg_url", "") if dzjg else "",
        "policy_title": settings["policy"]["title"],
        "policy_url": settings["policy"]["url"],
    }
    return files, assets, context


def prune_theme_files(site_dir: Path) -> None:
    """Remove the engine's files that no page uses, and source-map comments from the rest."""
    for pattern in UNUSED_THEME_FILES:
        for p in site_dir.glob(pattern):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    for folder in ("assets/javascripts", "assets/images"):  # left empty by the removals
        d = site_dir / folder
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    for p in site_dir.glob("assets/stylesheets/*.css"):
        text = p.read_text(encoding="utf-8")
        stripped = _SOURCE_MAP.sub("", text)
        if stripped != text:
            p.write_text(stripped, encoding="utf-8")


def prune_search_files(bundle_dir: Path) -> None:
    """Remove the search user interfaces Pagefind writes but the search page does not load."""
    for pattern in UNUSED_SEARCH_FILES:
        for p in bundle_dir.glob(pattern):
            p.unlink()
