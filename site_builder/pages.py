"""Rendering: turn a validated project into Markdown pages and asset files for any static engine."""

from __future__ import annotations

import html
import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import jinja2
from markupsafe import Markup

from .project import Project
from .records import BRANDS_DIR, Brand

TEMPLATES_DIR = "templates/pages"

# Python-Markdown's escapable characters, plus `|` which the tables extension adds.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")


def md_escape(text: str) -> str:
    """Escape text for an inline Markdown context so it renders exactly as written."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


def head_text(text: str) -> str:
    """A value for page meta (title, description): MkDocs and Material print these unescaped."""
    return html.escape(" ".join(str(text).split()), quote=True)


def fmt_number(value) -> str:
    if isinstance(value, Decimal):
        s = format(value, "f")
        return s.rstrip("0").rstrip(".") if "." in s else s
    return str(value)


@dataclass
class Rendered:
    """What a build writes: Markdown pages and static assets, keyed by their site path."""

    pages: dict[str, str]
    assets: dict[str, Path]


def brand_url(brand: Brand) -> str:
    return f"{BRANDS_DIR}/{brand.slug}/"


def page_source(meta: dict[str, str], body: str) -> str:
    """A Markdown page with front matter; meta values are JSON strings, valid YAML that MkDocs reads."""
    head = "".join(f"{k}: {json.dumps(v, ensure_ascii=True)}\n" for k, v in meta.items())
    return f"---\n{head}---\n\n{body}"


def make_env(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root / TEMPLATES_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.ChainableUndefined,
    )
    env.filters["md"] = lambda s: Markup(md_escape(s))
    env.filters["num"] = fmt_number
    env.filters["head"] = head_text
    return env


def render_site(project: Project) -> Rendered:
    """Render every page of the public site from the published records."""
    env = make_env(project.root)
    settings = project.settings
    brands = sorted(project.published, key=lambda b: b.slug)
    by_category: OrderedDict[str, list[Brand]] = OrderedDict(
        (c, [b for b in brands if b.data["category"] == c]) for c in settings.vocab["categories"])
    common = {"settings": settings, "brands": brands, "by_category": by_category,
              "brand_url": brand_url}
    pages: dict[str, str] = {}
    assets: dict[str, Path] = {}

    def page(uri: str, template: str, meta: dict[str, str], **extra) -> None:
        depth = uri.count("/")
        ctx = common | extra | {"base": "../" * depth}
        pages[uri] = page_source(meta, env.get_template(template).render(**ctx))

    site = settings["site"]
    page("index.md", "home.md.j2", {"title": head_text(site["title"]),
                                    "description": head_text(site["description"])})
    page(f"{BRANDS_DIR}/index.md", "brands.md.j2", {"title": "品牌名录",
         "description": head_text(f"{settings['region']['name']}劳务品牌名录")})
    for b in brands:
        page(f"{BRANDS_DIR}/{b.slug}/index.md", "brand.md.j2",
             {"title": head_text(b.name), "description": head_text(b.data["summary"])}, brand=b)
        for img in brand_images(b):
            assets[f"{BRANDS_DIR}/{b.slug}/{img}"] = project.root / BRANDS_DIR / b.slug / img
    return Rendered(pages, assets)


def brand_images(brand: Brand) -> list[str]:
    """Every image path a brand's record refers to (relative to its folder)."""
    out: list[str] = []
    media = brand.get("media", {})
    for key in ("logo", "cover"):
        if key in media:
            out.append(media[key]["path"])
    out.extend(g["path"] for g in media.get("gallery", []))
    out.extend(p["photo"]["path"] for p in brand.get("people", []) if "photo" in p)
    return sorted(set(out))
