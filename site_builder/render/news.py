"""News and events: the list (upcoming and past by the build date), a page per item, the
events' iCalendar file (RFC 5545), and the people pages that list them."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from ..model import NEWS_DIR, Brand, NewsItem
from ..schema.brand import person_is_public
from ..validate.story import story_html, story_images
from .images import Encoder, Picture, clean_copy, make_variants

NEWS_URL = f"{NEWS_DIR}/"
ICS_FILE = "events.ics"
TZID = "Asia/Shanghai"  # the build's time zone (China Standard Time, UTC+8, no daylight saving)


def news_url(item: NewsItem) -> str:
    return f"{NEWS_DIR}/{item.slug}/"


def public_news(items: list[NewsItem]) -> list[NewsItem]:
    """The items public on the build date, newest first."""
    return sorted((n for n in items if n.published), key=lambda n: (n.data["date"], n.slug),
                  reverse=True)


def split_news(items: list[NewsItem], today: dt.date) -> tuple[list[NewsItem], list[NewsItem]]:
    """(upcoming, past) on `today`: an event whose last day is today or later is upcoming,
    soonest first; plain news and events that are over are past, newest first."""
    day = today.isoformat()
    upcoming = [n for n in items if n.is_event and n.last_day >= day]
    past = [n for n in items if n not in upcoming]
    upcoming.sort(key=lambda n: (n.data["date"], n.data.get("time", ""), n.slug))
    past.sort(key=lambda n: (n.data["date"], n.slug), reverse=True)
    return upcoming, past


def when_text(item: NewsItem) -> str:
    """The item's date (and time) as a reader reads it: 2026年12月10日 09:30–17:00."""
    d = item.data
    text = _cn_date(d["date"])
    if d.get("time"):
        text += f" {d['time']}"
    end = d.get("end_date")
    if end and end != d["date"]:
        text += f" 至 {_cn_date(end)}"
        if d.get("end_time"):
            text += f" {d['end_time']}"
    elif d.get("end_time"):
        text += f"–{d['end_time']}"
    return text


def _cn_date(iso: str) -> str:
    y, m, day = iso.split("-")
    return f"{y}年{int(m)}月{int(day)}日"


# -- people ------------------------------------------------------------------------------------

def person_key(person: dict, index: int) -> str:
    """A person's part of their page's address: their `id`, else their position in the record
    (ids begin with a letter, so the two never meet)."""
    return person.get("id") or str(index + 1)


def person_url(brand: Brand, key: str) -> str:
    return f"people/{brand.slug}/{key}/"


def public_people(brands: list[Brand]) -> list[tuple[dict, Brand, str]]:
    """Every person shown on the site (consent given and in effect, or named in that role by an
    official source; brand published), with their brand and the address of their page."""
    return [(p, b, person_url(b, person_key(p, i))) for b in brands
            for i, p in enumerate(b.get("people", [])) if person_is_public(p, b.get("sources", []))]


def items_by_link(items: list[NewsItem]) -> tuple[dict[str, list[NewsItem]], dict[str, list[NewsItem]]]:
    """The public items naming each brand (by slug) and each person ("slug/id")."""
    by_brand: dict[str, list[NewsItem]] = OrderedDict()
    by_person: dict[str, list[NewsItem]] = OrderedDict()
    for n in items:
        for slug in n.data.get("brands", []):
            by_brand.setdefault(slug, []).append(n)
        for ref in n.data.get("people", []):
            by_person.setdefault(ref, []).append(n)
    return by_brand, by_person


# -- images --------------------------------------------------------------------------------------

def news_pictures(root: Path, items: list[NewsItem], cache: Path, encoder: Encoder,
                  assets) -> dict[tuple[str, str], Picture]:
    """Each item's images planned in their variants (written into `assets`), by (slug, path);
    the story's own images copied without their metadata."""
    out: dict[tuple[str, str], Picture] = {}
    for n in items:
        folder = root / NEWS_DIR / n.slug
        for img in sorted({i["path"] for i in n.data.get("images", [])}):
            pic, files = make_variants(folder / img, f"{NEWS_DIR}/{n.slug}/{img.rsplit('.', 1)[0]}",
                                       cache, encoder)
            out[(n.slug, img)] = pic
            assets.update(files)
        for img in story_images(n.body):
            assets[f"{NEWS_DIR}/{n.slug}/{img}"] = clean_copy(folder / img, cache, encoder)
    return out


def news_story(item: NewsItem) -> Markup:
    return Markup(story_html(item.body))  # sanitised like a brand's story


# -- iCalendar (RFC 5545) ------------------------------------------------------------------------

def ics_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character;
    each continuation begins with one space, counted in its 75."""
    out: list[str] = []
    current, size, limit = [], 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, 75
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n".join(out)


def _compact(iso: str) -> str:
    return iso.replace("-", "")


def events_ics(items: list[NewsItem], calendar_name: str, site_url: str, today: dt.date) -> bytes:
    """The public events as one calendar: timed events in Asia/Shanghai, all-day events as
    floating dates (DTEND the day after the last, as the format counts). DTSTAMP is the build
    date, so the same inputs give the same file."""
    host = urlsplit(site_url).hostname or "site-builder.invalid"
    stamp = _compact(today.isoformat()) + "T000000Z"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//site-builder//news and events//ZH",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{ics_text(calendar_name)}",
             f"X-WR-TIMEZONE:{TZID}",
             # the zone a TZID names must be in the calendar; China keeps UTC+8 all year
             "BEGIN:VTIMEZONE", f"TZID:{TZID}", "BEGIN:STANDARD", "DTSTART:19700101T000000",
             "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD",
             "END:VTIMEZONE"]
    base = site_url.rstrip("/") + "/" if site_url else ""
    for n in sorted((n for n in items if n.is_event), key=lambda n: (n.data["date"], n.slug)):
        d = n.data
        lines += ["BEGIN:VEVENT", f"UID:news-{n.slug}@{host}", f"DTSTAMP:{stamp}"]
        if d.get("time"):
            lines.append(f"DTSTART;TZID={TZID}:{_compact(d['date'])}T{d['time'].replace(':', '')}00")
            if d.get("end_time"):
                lines.append(f"DTEND;TZID={TZID}:{_compact(n.last_day)}T"
                             f"{d['end_time'].replace(':', '')}00")
        else:
            after = dt.date.fromisoformat(n.last_day) + dt.timedelta(days=1)
            lines += [f"DTSTART;VALUE=DATE:{_compact(d['date'])}",
                      f"DTEND;VALUE=DATE:{_compact(after.isoformat())}"]
        lines.append(f"SUMMARY:{ics_text(d['title'])}")
        desc = d["summary"] + (f"\n主办单位：{d['organiser']}" if d.get("organiser") else "")
        lines.append(f"DESCRIPTION:{ics_text(desc)}")
        if d.get("place"):
            lines.append(f"LOCATION:{ics_text(d['place'])}")
        lines.append(f"CATEGORIES:{ics_text(d['kind'])}")
        if base:
            lines.append(f"URL:{base}{news_url(n)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")
