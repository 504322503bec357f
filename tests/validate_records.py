"""Generated records for the validation speed tests (issue 31): the realistic records of
bench/realistic.py (fictional, every field kind) and the same records' front matter with
problems planted, line by line, so that the old and the new code meet bad input of every kind."""

from __future__ import annotations

import random
import re
import sys

from sitecopy import FIXTURES, REPO

from site_builder.load.settings import load_settings


def fixture_vocab() -> dict[str, list[str]]:
    settings, diags = load_settings(FIXTURES)
    assert settings is not None, diags
    return settings.vocab


def realistic_texts(n: int, vocab: dict[str, list[str]], seed: int) -> list[str]:
    """`n` whole record files (front matter and story), as the benchmark makes them."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import realistic
    finally:
        sys.path.remove(str(REPO / "bench"))
    rng = random.Random(seed)
    return [realistic.make_record(i, rng, vocab, published=rng.random() < 0.85,
                                  image=lambda *a: b"")[1] for i in range(n)]


def realistic_records(n: int, vocab: dict[str, list[str]], seed: int) -> list[str]:
    """The front matter (between the `---` lines) of `n` realistic records."""
    return [text.split("\n---\n", 1)[0][len("---\n"):] for text in realistic_texts(n, vocab, seed)]


# What is planted: YAML slips (aliases, tags, flow and block punctuation, keys that are lists),
# misspelt and unknown keys, empty values and items, wrong kinds, bad numbers, dates and
# choices, personal numbers, hidden characters.
PLANTS = ["：", "&a ", "*a", "!!int ", "[甲, 乙]: 示例", "? [a]\n: b", "{", "[", "]", "\"", "'", "#",
          ": ", "- ", "  - ", "- \n", "[]", "{}", "\n  extra: 1", "\n  - ", "nmae", "sumary", "0123",
          "1.50", "-1", "1,200", "约3万", "3–1万", "2024-02-30", "2024-13", "不明", "不详", "待补充",
          "13812345678", "110101199003077777", "020-81234567", "\u200b", "\\x01", "|", ">",
          "{path: logo.gif, alt: 图片}", "../x.png", "x", "", "  ",
          # lengths at the fields' limits (30, 40, 60, 80, 120), blanks around, line breaks
          *("示" * n for n in (30, 31, 40, 41, 60, 61, 80, 81, 120, 121)), "'  " + "示" * 80 + "  '",
          '"示例\\n虚构"', '"示例\\n"', '"\\n示例"', "|\n    示例\n    虚构", ">-\n    示例\n\n    虚构"]


_VALUE_LINE = re.compile(r"(\s*(?:- )?[A-Za-z_]+:) \S")


def mutated_front_matter(text: str, rng: random.Random) -> str:
    """`text` with one to four lines deleted, repeated, swapped, renamed or given a plant."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        op = rng.random()
        if op < 0.15:
            del lines[i]
            if not lines:
                lines = [""]
        elif op < 0.20:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op < 0.25:  # an empty list item beside an item
            items = [k for k, line in enumerate(lines) if line.lstrip().startswith("- ")]
            if items:
                k = rng.choice(items)
                lines.insert(k, lines[k][: len(lines[k]) - len(lines[k].lstrip())] + "-")
        elif op < 0.32:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op < 0.45 and _VALUE_LINE.match(lines[i]):  # a value replaced by a plant
            lines[i] = _VALUE_LINE.match(lines[i]).group(1) + " " + rng.choice(PLANTS)
        elif op < 0.52 and ":" in lines[i]:  # an anchored value used again elsewhere
            key, _, value = lines[i].partition(":")
            lines[i] = f"{key}: &a{value}" if value.strip() else lines[i]
            j = rng.randrange(len(lines))
            k2, sep, v2 = lines[j].partition(":")
            if sep and v2.strip() and j != i:
                lines[j] = f"{k2}: *a"
        else:
            s = lines[i]
            p = rng.randint(0, len(s))
            q = p + (rng.randint(0, 4) if rng.random() < 0.5 else 0)
            lines[i] = s[:p] + rng.choice(PLANTS) + s[q:]
    return "\n".join(lines)


# Values at and around every length limit of the schemas, with blanks around them (within the
# limit once stripped), with line breaks inside or only at an end, and empty.
LIMITS = (10, 20, 30, 40, 60, 80, 120)
VALUES = [*("示" * (n + d) for n in LIMITS for d in (-1, 0, 1)),
          *(f"'  {'示' * n}  '" for n in LIMITS), *(f"'{'示' * n} '" for n in LIMITS),
          '"示例\\n虚构"', '"示例\\n"', '"\\n示例"', "|\n    示例\n    虚构", ">-\n    示例\n\n    虚构",
          '""', "''", "示例", "2024-03-15", "1200", "https://www.example.org/shili/"]


def planted_values(text: str, rng: random.Random) -> str:
    """`text` with the values of one to three `key: value` lines replaced by `VALUES`."""
    lines = text.split("\n")
    at = [i for i, line in enumerate(lines) if _VALUE_LINE.match(line)]
    for i in rng.sample(at, min(len(at), rng.randint(1, 3))):
        lines[i] = _VALUE_LINE.match(lines[i]).group(1) + " " + rng.choice(VALUES)
    return "\n".join(lines)
