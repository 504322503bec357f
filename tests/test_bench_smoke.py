"""The site benchmark at a smoke size: it runs end to end and reports every figure."""

from __future__ import annotations

import json
import math
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
    for key in KEYS[1:]:
        value = results[key]
        assert isinstance(value, (int, float)) and math.isfinite(value) and value > 0, (key, value)
    # Sane magnitudes for 12 brands on any machine: seconds, not hours; ratios of comparable work.
    assert results["full_build_s"] < 600 and results["baseline_s"] < 600
    ratio = results["full_build_s"] / results["baseline_s"]
    assert abs(results["full_build_ratio"] - ratio) < 0.01 + 0.01 * ratio, results
    assert 0.01 < results["full_build_ratio"] < 100 and 0 < results["rebuild_ratio"] < 100
    assert 1000 < results["html_bytes_per_brand_page"] < 1_000_000
    assert results["site_bytes"] > 12 * results["html_bytes_per_brand_page"]
    assert 1000 < results["search_first_query_bytes"] < 5_000_000
    assert 20 < results["peak_rss_mb"] < 4096
    assert "full build" in proc.stdout and "baseline" in proc.stdout
