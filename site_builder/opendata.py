"""Open data: every published brand as JSON and CSV, and an Atom feed of added or updated brands."""

from __future__ import annotations

import csv
import io
import json
import uuid
from decimal import Decimal
from xml.sax.saxutils import escape as xml_escape

from .records import Brand

CSV_COLUMNS = [
    ("slug", "网址名"), ("name", "品牌名称"), ("name_en", "英文名称"), ("summary", "一句话简介"),
    ("category", "品牌类型"), ("level", "品牌层级"), ("stage", "发展阶段"), ("industry", "行业领域"),
    ("programs", "所属工程"), ("districts", "所在区"), ("cooperation_regions", "协作地区"),
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


def brand_record(brand: Brand, url: str) -> dict:
    """A brand's published data: every field of the record, the story left out, plus its address."""
    data = plain_json(brand.data)
    data.pop("status", None)
    data.pop("editor_note", None)  # for editors only: never published
    return {"slug": brand.slug, "url": url, **{k: v for k, v in data.items() if k != "slug"}}


def brands_json(brands: list[Brand], url_of) -> bytes:
    payload = {"count": len(brands), "brands": [brand_record(b, url_of(b)) for b in brands]}
    return (json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode()


def brands_csv(brands: list[Brand], url_of) -> bytes:
    """CSV with a UTF-8 byte-order mark so Excel opens the Chinese text correctly."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([label for _, label in CSV_COLUMNS])
    for b in brands:
        row = []
        for key, _ in CSV_COLUMNS:
            v = url_of(b) if key == "url" else b.get(key, "")
            row.append(csv_cell("、".join(v) if isinstance(v, list) else v))
        w.writerow(row)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def csv_cell(value) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def atom_feed(brands: list[Brand], title: str, site_url: str, url_of, feed_uri: str) -> bytes:
    """An Atom feed of brands, newest review date first; `updated` is the latest review date."""
    items = sorted(brands, key=lambda b: (b.data["updated"], b.slug), reverse=True)
    latest = items[0].data["updated"] if items else "2000-01-01"
    base = site_url.rstrip("/") + "/" if site_url else ""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN"'
             + (f' xml:base="{xml_escape(base)}"' if base else "") + ">",
             f"<title>{xml_escape(title)}</title>",
             f"<id>urn:uuid:{uuid.uuid5(_NS, 'feed:' + title)}</id>",
             f"<updated>{latest}T00:00:00Z</updated>",
             f'<link rel="self" href="{xml_escape(feed_uri)}"/>',
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
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode()
