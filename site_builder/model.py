"""The values that pass between stages: settings, brands and their parts, selection rounds, honours.

Each value keeps the validated mapping it was built from (`data`) for the templates, which read
mappings; the core reads the named attributes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .schema.brand import CONSENT_FORMS, PUBLISHED, SOURCE_KINDS, STATUSES, URL_KINDS
from .schema.news import NEWS_PLAIN
from .schema.page import PAGE_HIDE
from .schema.round import YES
from .schema.settings import (  # noqa: F401 (values the stages share)
    BY_OUTSIDE,
    BY_ROUNDS,
    CONFERRERS,
    ISSUED,
    PUBLISHED_ON,
    REPORTED,
    RUNS,
)

if TYPE_CHECKING:  # the evaluate stage fills Round.result
    from .evaluate.scoring import RoundResult

BRANDS_DIR = "brands"
DOCS_DIR = "docs"
EVALUATIONS_DIR = "evaluations"
NEWS_DIR = "news"
SETTINGS_FILE = "settings.yml"

# The settings' vocabularies, which the schema's choices are checked against.
VOCABULARIES = ("districts", "categories", "levels", "stages", "programs", "cooperation_regions",
                "person_roles", "venue_types", "enterprise_kinds", "figure_labels", "figure_units")


# Words that make a figure a rate or an average, never added across brands, when settings.yml
# does not say (its `statistics.non_additive_words`).
NON_ADDITIVE_WORDS = ("人均", "平均", "率", "占比", "比例", "增长", "增幅")


@dataclass(frozen=True)
class Target:
    """A planned number of brands at one level by a deadline (ISO date)."""

    level: str
    count: int
    deadline: str


@dataclass
class Settings:
    """The validated settings file."""

    data: dict[str, Any]
    vocab: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.vocab = {k: list(self.data.get(k, [])) for k in VOCABULARIES}
        self.vocab["statuses"] = list(STATUSES)
        self.vocab["consent_forms"] = list(CONSENT_FORMS)
        self.vocab["source_kinds"] = list(SOURCE_KINDS)
        self.vocab["url_kinds"] = list(URL_KINDS)
        self.vocab["area_label"] = [self.area_label]
        self.vocab["page_hide"] = list(PAGE_HIDE)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def region(self) -> dict[str, str]:
        return self.data["region"]

    @property
    def title(self) -> str:
        return self.data["site"]["title"]

    @property
    def description(self) -> str:
        return self.data["site"]["description"]

    @property
    def site_url(self) -> str | None:
        """The site's public address, or None when not configured."""
        return self.data["site"].get("url") or None

    def default_site_url(self, url: str) -> None:
        """Use `url` (e.g. the address GitHub Pages reports) when the settings give none."""
        if not self.data["site"].get("url"):
            self.data["site"]["url"] = url if url.endswith("/") else url + "/"

    @property
    def levels(self) -> list[str]:
        return self.vocab["levels"]

    @property
    def area_label(self) -> str:
        """What one of `districts` is called: 区, 市, 省… (required: no region gets 区 by default)"""
        return self.data["region"]["area_label"]

    @property
    def conferral(self) -> dict[str, str]:
        """Each level that is conferred, and by whom (BY_ROUNDS or BY_OUTSIDE), as settings.yml
        states it (required: a level is never taken as conferred by this site's rounds unsaid)."""
        return {c["level"]: c["by"] for c in self.data["conferral"]}

    def runs(self, section: str) -> bool:
        """Whether the site runs `section` (settings `sections`: rounds, brand_policy), whose
        fixed text on public pages is shown only then."""
        return self.data["sections"][section] == RUNS

    def levels_by(self, by: str) -> list[str]:
        return [lv for lv in self.levels if self.conferral.get(lv) == by]

    @property
    def additive_units(self) -> list[str]:
        """Units whose exact figures may be added; by default the usual units but percentages."""
        stats = self.data.get("statistics", {})
        if "additive_units" in stats:
            return list(stats["additive_units"])
        return [u for u in self.vocab["figure_units"] if u not in ("%", "％")]

    @property
    def non_additive_words(self) -> list[str]:
        return list(self.data.get("statistics", {}).get("non_additive_words", NON_ADDITIVE_WORDS))

    @property
    def targets(self) -> list[Target]:
        return [Target(t["level"], t["count"], t["deadline"]) for t in self.data.get("targets", [])]

    @property
    def map_link(self) -> str:
        return self.data.get("map_link", "")


@dataclass(frozen=True)
class Source:
    id: str
    outlet: str
    title: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Figure:
    label: str
    value: dict  # schema.figures.FigureValue: the text as written, its kind and bounds
    unit: str
    source: str
    as_of: str | None = None  # None: the source's date stands in (see date_of in render)
    note: str | None = None
    scope: str | None = None


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    consent: dict | None = None  # form, date, reference: never published; None: an official source names them
    title: str | None = None
    bio: str | None = None
    photo: dict | None = None
    source: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Venue:
    name: str
    type: str
    district: str
    address: str | None = None
    lat: Decimal | None = None
    lng: Decimal | None = None
    hours: str | None = None
    phone: str | None = None
    description: str | None = None
    source: str | None = None


@dataclass
class Page:
    """A validated hand-written page of docs/: its front matter and its Markdown body."""

    path: str  # repository-relative, e.g. "docs/about-us.md"
    uri: str  # relative to docs/, e.g. "about-us.md"
    meta: dict[str, Any]
    body: str
    body_line: int

    @property
    def published(self) -> bool:
        return self.meta.get("status", PUBLISHED) == PUBLISHED

    @property
    def title(self) -> str | None:
        return self.meta.get("title")


def record_fingerprint(record) -> str:
    """A hash of every field of a record, taken once per record (its `fingerprint`): a live
    preview keeps the records whose files did not change, so after an edit only the edited
    one is hashed again. (`dataclasses.replace` makes a new record, hashed anew.)"""
    text = repr(tuple(getattr(record, f.name) for f in fields(record))).encode("utf-8")
    return hashlib.blake2b(text, digest_size=16).hexdigest()


@dataclass
class Brand:
    """A validated brand record."""

    slug: str
    path: str  # repository-relative, POSIX separators
    data: dict[str, Any]
    body: str
    body_line: int
    lines: dict[str, int]  # top-level key -> line in the file, for later diagnostics
    live: bool = True  # on the build date, by its publish_from / publish_until

    @cached_property
    def fingerprint(self) -> str:
        return record_fingerprint(self)

    def __repr__(self) -> str:  # short, and what a preview's page keys are made of
        return f"Brand({self.slug!r}, {self.fingerprint})"

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def summary(self) -> str:
        return self.data["summary"]

    @property
    def status(self) -> str:
        return self.data["status"]

    @property
    def published(self) -> bool:
        """Public on the site: marked 已发布 and live on the build date."""
        return self.data["status"] == PUBLISHED and self.live

    @property
    def category(self) -> str:
        return self.data["category"]

    @property
    def level(self) -> str | None:
        return self.data.get("level")

    @property
    def districts(self) -> list[str]:
        return self.data["districts"]

    @property
    def programs(self) -> list[str]:
        return self.data.get("programs", [])

    @property
    def updated(self) -> str:
        return self.data["updated"]

    @property
    def media(self) -> dict[str, Any]:
        return self.data.get("media", {})

    @property
    def figures(self) -> list[Figure]:
        return [Figure(**f) for f in self.data.get("figures", [])]

    @property
    def people(self) -> list[Person]:
        return [Person(**p) for p in self.data.get("people", [])]

    @property
    def venues(self) -> list[Venue]:
        return [Venue(**v) for v in self.data.get("venues", [])]

    @property
    def sources(self) -> list[Source]:
        return [Source(**s) for s in self.data.get("sources", [])]

    def get(self, key: str, default: Any = None) -> Any:
        """A field's validated value, for code that works on any field by its name."""
        return self.data.get(key, default)


@dataclass
class NewsItem:
    """A validated news or event record (news/<slug>.md)."""

    slug: str
    path: str
    data: dict[str, Any]
    body: str
    body_line: int
    lines: dict[str, int]
    live: bool = True  # on the build date, by its publish_from / publish_until

    @cached_property
    def fingerprint(self) -> str:
        return record_fingerprint(self)

    def __repr__(self) -> str:
        return f"NewsItem({self.slug!r}, {self.fingerprint})"

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def published(self) -> bool:
        """Public on the site: marked 已发布 and live on the build date."""
        return self.data["status"] == PUBLISHED and self.live

    @property
    def is_event(self) -> bool:
        return self.data["kind"] != NEWS_PLAIN

    @property
    def last_day(self) -> str:
        """The item's last day (ISO): its end date, else its date."""
        return self.data.get("end_date") or self.data["date"]


# A round's phase on the build date, in the order of its timeline.
PHASES = {
    "upcoming": "征集尚未开始",
    "applications": "征集中",
    "review": "评审中",
    "notice": "公示中",
    "pending": "公示结束，待公布",
    "final": "结果已公布",
}
RESULTS_VISIBLE = ("notice", "pending", "final")


@dataclass
class Round:
    """A validated selection round; the evaluate stage adds its result and its phase."""

    id: str
    path: str
    data: dict[str, Any]
    body: str
    body_line: int
    result: RoundResult | None = None
    phase: str = ""
    live: bool = True  # on the build date, by its publish_from / publish_until

    @cached_property
    def fingerprint(self) -> str:
        return record_fingerprint(self)

    def __repr__(self) -> str:
        return f"Round({self.id!r}, {self.fingerprint})"

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def year(self) -> int:
        return self.data["year"]

    @property
    def published(self) -> bool:
        """Public on the site: marked 已发布 and live on the build date."""
        return self.data["status"] == PUBLISHED and self.live

    @property
    def phase_name(self) -> str:
        return PHASES[self.phase]

    @property
    def results_visible(self) -> bool:
        return self.phase in RESULTS_VISIBLE

    @property
    def final(self) -> bool:
        return self.phase == "final"

    @property
    def names_public(self) -> bool:
        return self.data["publish_expert_names"] == YES

    def expert_label(self, expert_id: str) -> str:
        """How an expert is named on the public site: by name only if the round says so."""
        if self.names_public:
            for e in self.data["experts"]:
                if e["id"] == expert_id:
                    return e["name"]
        return f"专家 {expert_id}"


@dataclass(frozen=True)
class Honour:
    """A tier a brand was placed in by a published round (final, or still in public notice)."""

    round: Round
    tier: str
    rank: int

    @property
    def final(self) -> bool:
        return self.round.final
