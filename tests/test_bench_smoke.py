"""The site benchmark at a smoke size: it runs end to end and reports every figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

KEYS = ["brands", "full_build_s", "baseline_s", "full_build_ratio", "rebuild_s", "rebuild_ratio",
        "html_bytes_per_brand_page", "site_bytes", "search_first_query_bytes", "peak_rss_mb"]


def test_site_benchmark_smoke(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "bench_site.py"), "--brands", "12",
                           "--output", str(out)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(out.read_text())
    for key in KEYS:
        assert key in results, key
    assert results["brands"] == 12
    assert results["full_build_s"] > 0 and results["baseline_s"] > 0
    assert results["html_bytes_per_brand_page"] > 1000
    assert "full build" in proc.stdout and "baseline" in proc.stdout
