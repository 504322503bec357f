"""Loading news and event records: each file in `news/` read strictly and checked against the news schema."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Reporter
from ..model import NEWS_DIR
from ..schema.news import NEWS, NEWS_VOCAB
from .brands import LoadedRecord, load_record

_NOT_NEWS = {"readme.md"}  # documentation kept beside the records, never a record


def news_files(root: Path) -> list[str]:
    """The records in `news/`, as repository-relative paths, sorted."""
    folder = root / NEWS_DIR
    names = sorted(p.name for p in folder.glob("*.md")
                   if p.name.lower() not in _NOT_NEWS) if folder.is_dir() else []
    return [f"{NEWS_DIR}/{n}" for n in names]


def news_vocab(vocab: dict[str, list[str]]) -> dict[str, list[str]]:
    """The settings' vocabularies plus the news format's own kinds."""
    return vocab | NEWS_VOCAB


def load_news(relpath: str, data: bytes, vocab: dict[str, list[str]]
              ) -> tuple[LoadedRecord | None, Reporter]:
    """Read one news record and check it against the news schema; None when unreadable."""
    return load_record(relpath, data, NEWS, news_vocab(vocab))
