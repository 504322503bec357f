"""Loading selection rounds: each file in `evaluations/` read strictly and checked against the round schema."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Reporter
from ..model import EVALUATIONS_DIR
from ..schema.round import ROUND, ROUND_VOCAB
from .brands import LoadedRecord, load_record

_NOT_ROUNDS = {"readme.md"}  # documentation kept beside the rounds, never a round


def round_files(root: Path) -> list[str]:
    """The round files in `evaluations/`, as repository-relative paths, sorted."""
    folder = root / EVALUATIONS_DIR
    names = sorted(p.name for p in folder.glob("*.md")
                   if p.name.lower() not in _NOT_ROUNDS) if folder.is_dir() else []
    return [f"{EVALUATIONS_DIR}/{n}" for n in names]


def round_vocab(vocab: dict[str, list[str]]) -> dict[str, list[str]]:
    """The settings' vocabularies plus the round format's own choices."""
    return vocab | ROUND_VOCAB


def load_round(relpath: str, data: bytes, vocab: dict[str, list[str]]
               ) -> tuple[LoadedRecord | None, Reporter]:
    """Read one round file and check it against the round schema; None when unreadable."""
    return load_record(relpath, data, ROUND, round_vocab(vocab), keep_values=True)
