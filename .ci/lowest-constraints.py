#!/usr/bin/env python3
"""Print pip constraints pinning every dependency in pyproject.toml (runtime and the test extra)
to its lowest allowed version: `name==floor`. The lowest-versions CI job installs with them, so a
floor that does not really work fails a test instead of an editor's install. A dependency without
a `>=` floor is an error: every range must be pinned at both ends."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)(;.*)?$")


def floors(pyproject: Path, extras: tuple[str, ...] = ("test",)) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    reqs = list(project.get("dependencies", []))
    for extra in extras:
        reqs += project.get("optional-dependencies", {}).get(extra, [])
    out, problems = [], []
    for req in reqs:
        m = REQUIREMENT.match(req)
        if not m:
            problems.append(f"cannot read requirement {req!r}")
            continue
        name, spec = m.group(1), m.group(3)
        low = [s.strip()[2:].strip() for s in spec.split(",") if s.strip().startswith(">=")]
        high = [s for s in spec.split(",") if s.strip().startswith(("<", "~=", "=="))]
        if len(low) != 1 or not high:
            problems.append(f"{req!r}: needs one >= floor and an upper bound")
            continue
        out.append(f"{name}=={low[0]}")
    if problems:
        raise SystemExit("\n".join(problems))
    return out


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    print("\n".join(floors(root / "pyproject.toml")))
