"""Open data: every published brand as JSON and CSV (with its videos' titles and lengths), the
public news and events as JSON, and an Atom feed of added or updated brands and of news."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from xml.sax.saxutils import escape as xml_escape

from ..model import Brand
from ..schema.brand import person_is_public
from ..text import csv_bytes
from .videos import brand_videos

# The areas' column (None) is headed with the region's own word for its areas (settings'
# `area_label`), passed in by the renderer.
CSV_COLUMNS = [
    ("slug", "网址名"), ("name", "品牌名称"), ("name_en", "英文名称"), ("summary", "一句话简介"),
    ("category", "品牌类型"), ("level", "品牌层级"), ("stage", "发展阶段"), ("industry", "行业领域"),
    ("programs", "所属工程"), ("districts", None), ("place", "具体地点"), ("cooperation_regions", "协作地区"),
    ("established", "创立时间"), ("updated", "最近审核"), ("url", "页面地址"),
]
_NS = uuid.UUID("6f1c7a52-3f0e-4d4c-9a55-8d4f2f0b7c11")  # fixed namespace for stable feed ids


def plain_json(value):
    """Record values as JSON-ready values: exact decimals become int or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_json(v) for v in value]
    return value


# The fields open data publishes, and within lists and groups the parts it publishes: an
# allowlist, so that a field added to the schema later (or evidence such as a person's consent,
# a photo's path or the publishing status) stays out until it is named here.
_PUBLIC_SOURCE = ("id", "outlet", "title", "date", "url", "url_kind", "kind")
PUBLIC_FIELDS: dict[str, tuple[str, ...] | None] = {
    "name": None, "name_en": None, "aliases": None, "summary": None, "category": None,
    "secondary_category": None, "level": None, "stage": None, "industry": None,
    "programs": None, "districts": None, "place": None, "areas_note": None, "cooperation_regions": None,
    "established": None,
    "figures": ("label", "value", "unit", "as_of", "source", "scope", "note"),
    "policy": ("plan", "approach", "priorities"),
    "people": ("name", "role", "title", "bio", "source"),
    "venues": ("name", "type", "district", "address", "lat", "lng", "hours", "phone",
               "description", "source"),
    "enterprises": ("name", "kind", "note", "source"),
    "trademarks": ("name", "number", "class"),
    "honours": ("title", "conferred_by", "year", "level", "source"),
    "contact": ("organization", "phone", "email", "url"),
    "sources": _PUBLIC_SOURCE,
    "updated": None,
}


def _public(value, keys: tuple[str, ...] | None):
    if keys is None:
        return value
    if isinstance(value, list):
        return [_public(v, keys) for v in value]
    return {k: value[k] for k in keys if k in value}


# A video's public part (beside what the build reads from its file: its length and addresses);
# never its file paths as the record writes them.
PUBLIC_VIDEO = ("title", "description", "credit", "source")


def brand_record(brand: Brand, url: str, video_of=None) -> dict:
    """A brand's published data: the allowlisted fields of the record, plus its address. People
    appear only when the site shows them (with their consent on record), the consent never.
    `video_of(brand, video)` gives what the build read from each video's file (its length and
    published addresses, `video_data`); the brand's, its people's and its venues' videos are
    listed with it."""
    data = plain_json(brand.data)
    if "people" in data:
        data["people"] = [p for p in data["people"] if person_is_public(p, data.get("sources", []))]
        if not data["people"]:
            del data["people"]
    out = {"slug": brand.slug, "url": url}
    for key, keys in PUBLIC_FIELDS.items():
        if key in data:
            out[key] = _public(data[key], keys)
    if video_of is not None:
        def videos(items: list[dict]) -> list[dict]:
            return [{k: v[k] for k in PUBLIC_VIDEO if k in v} | video_of(brand, v) for v in items]

        if data.get("videos"):
            out["videos"] = videos(data["videos"])
        for group in ("people", "venues"):
            for shown, given in zip(out.get(group, []), data.get(group, []), strict=True):
                if given.get("videos"):
                    shown["videos"] = videos(given["videos"])
    return out


def video_data(view, address: str) -> dict:
    """The part of a video's open data the build reads from its file: its length (seconds and
    ISO 8601) and the published addresses of the MP4, its poster frame and captions; `address`
    is the site's address with a final slash, or "" (then site-relative)."""
    out = {"duration": view.iso_duration, "seconds": round(view.seconds, 1),
           "file": address + view.src, "poster": address + view.poster}
    if view.captions:
        out["captions"] = address + view.captions
    return out


def brands_json(brands: list[Brand], url_of, cache: dict | None = None, video_of=None) -> bytes:
    """`{"count": n, "brands": [...]}` as `json.dumps(indent=1)` writes it, each brand's part
    written on its own (a live preview's `cache` keeps the parts of unchanged records; a video's
    file can change without its record, so its read values are part of the key)."""
    parts = []
    for b in brands:
        url = url_of(b)
        seen = tuple(repr(video_of(b, v)) for v in brand_videos(b)) if video_of else ()
        key = (b.fingerprint, url, seen)
        part = cache.get(key) if cache is not None else None
        if part is None:  # the record two levels down: every line indented by two more spaces
            part = "  " + json.dumps(brand_record(b, url, video_of), ensure_ascii=False,
                                     indent=1).replace("\n", "\n  ")
            if cache is not None:
                cache[key] = part
        parts.append(part)
    listed = "[\n" + ",\n".join(parts) + "\n ]" if parts else "[]"
    return f'{{\n "count": {len(brands)},\n "brands": {listed}\n}}\n'.encode()


def brands_csv(brands: list[Brand], url_of, area_field: str) -> bytes:
    """The directory as CSV (opens in Excel); `area_field` heads the areas' column."""
    def cell(b: Brand, key: str):
        v = url_of(b) if key == "url" else b.get(key, "")
        return "、".join(v) if isinstance(v, list) else v

    return csv_bytes([label or area_field for _, label in CSV_COLUMNS],
                     ([cell(b, key) for key, _ in CSV_COLUMNS] for b in brands))


# A news item's public fields: everything but its publishing status, schedule, the editor's
# note and image paths; linked people only as the addresses of their pages (shown people).
PUBLIC_NEWS = ("title", "kind", "summary", "date", "end_date", "time", "end_time", "place",
               "organiser")


def news_json(items: list, url_of, brand_url_of, person_url_of) -> bytes:
    """The public news and events (`items`, newest first) as `{"count": n, "news": [...]}`:
    each item's public fields, its page's address, the addresses of its linked brands and of
    the linked people who have a page (`person_url_of(ref)` is None for one who has not)."""
    out = []
    for n in items:
        d = plain_json(n.data)
        record = {"slug": n.slug, "url": url_of(n)} | {k: d[k] for k in PUBLIC_NEWS if k in d}
        record["event"] = n.is_event
        brands = [brand_url_of(slug) for slug in d.get("brands", [])]
        people = [u for u in (person_url_of(ref) for ref in d.get("people", [])) if u]
        if [u for u in brands if u]:
            record["brands"] = [u for u in brands if u]
        if people:
            record["people"] = people
        out.append(record)
    return (json.dumps({"count": len(out), "news": out}, ensure_ascii=False, indent=1)
            + "\n").encode()


def atom_feed(brands: list[Brand], title: str, site_url: str, url_of, feed_uri: str,
              news: tuple = ()) -> bytes:
    """An Atom feed of brands, newest review date first, then `news` (each a mapping of id,
    title, updated, url and summary, newest first); `updated` is the latest date of either."""
    items = sorted(brands, key=lambda b: (b.data["updated"], b.slug), reverse=True)
    latest = max(([items[0].data["updated"]] if items else ["2000-01-01"])
                 + [n["updated"] for n in news])
    base = site_url.rstrip("/") + "/" if site_url else ""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN"'
             + (f' xml:base="{xml_escape(base)}"' if base else "") + ">",
             f"<title>{xml_escape(title)}</title>",
             f"<id>urn:uuid:{uuid.uuid5(_NS, 'feed:' + title)}</id>",
             f"<updated>{latest}T00:00:00Z</updated>",
             f'<link rel="self" href="{xml_escape(base + feed_uri)}"/>',
             f'<link rel="alternate" type="text/html" href="{xml_escape(base or "./")}"/>',
             f"<author><name>{xml_escape(title)}</name></author>"]
    for b in items:
        lines += ["<entry>",
                  f"<title>{xml_escape(b.name)}</title>",
                  f"<id>urn:uuid:{uuid.uuid5(_NS, 'brand:' + b.slug)}</id>",
                  f"<updated>{b.data['updated']}T00:00:00Z</updated>",
                  f'<link rel="alternate" type="text/html" href="{xml_escape(url_of(b))}"/>',
                  f"<summary>{xml_escape(b.data['summary'])}</summary>",
                  "</entry>"]
    for n in sorted(news, key=lambda n: (n["updated"], n["id"]), reverse=True):
        lines += ["<entry>",
                  f"<title>{xml_escape(n['title'])}</title>",
                  f"<id>urn:uuid:{uuid.uuid5(_NS, 'news:' + n['id'])}</id>",
                  f"<updated>{n['updated']}T00:00:00Z</updated>",
                  f'<link rel="alternate" type="text/html" href="{xml_escape(n["url"])}"/>',
                  f"<summary>{xml_escape(n['summary'])}</summary>",
                  "</entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode()
