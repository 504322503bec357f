"""The benchmarks at a smoke size: they run end to end and every figure is a sane number.

Sane means: finite and positive, of a plausible magnitude for 12 brands on any machine, and
consistent with the other figures (a ratio equals the quotient of the times it is made of, a
median lies among its runs, a tree's peak memory is at least its largest process)."""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from browser import missing_tool

REPO = Path(__file__).resolve().parent.parent
N = 12


def _num(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _close(a: float, b: float, rel: float = 0.01) -> bool:
    return abs(a - b) <= 0.002 + rel * abs(b)


@pytest.fixture(scope="module")
def site_results(tmp_path_factory):
    if shutil.which("hugo") is None:  # the baseline Hugo + Pagefind (Debian's hugo)
        missing_tool("找不到 hugo：基准测试的对照需要它（apt-get install hugo；.ci/run 会安装）")
    out = tmp_path_factory.mktemp("bench") / "results.json"
    cmd = [sys.executable, str(REPO / "bench" / "bench_site.py"), "--brands", str(N), "--repeat", "1",
           "--phases", "--output", str(out)]
    if not os.environ.get("CI"):
        cmd.append("--no-browser")  # the first-search download needs Chromium: CI has it
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text()), proc.stdout


def test_times_are_sane_and_ratios_match_them(site_results):
    r, stdout = site_results
    assert r["brands"] == N and 0 < r["published"] <= N
    for key in ("full_build_s", "mkdocs_s", "hugo_pagefind_s", "validate_s", "validate_kept_s",
                "rebuild_page_s",
                "rebuild_search_s", "rebuild_first_build_s"):
        assert _num(r[key]) and 0.01 < r[key] < 600, (key, r[key])
    # the full build does more than validation; search is ready after the page is written
    assert r["validate_s"] < r["full_build_s"]
    assert r["rebuild_page_s"] <= r["rebuild_search_s"]
    # the edit rewrote its brand's page at least; the search service indexed it again one way
    assert isinstance(r["rebuild_pages_written"], int) and 1 <= r["rebuild_pages_written"] <= N * 3
    assert isinstance(r["rebuild_search_whole_site"], bool)
    assert _close(r["full_vs_mkdocs"], r["full_build_s"] / r["mkdocs_s"])
    assert _close(r["full_vs_hugo"], r["full_build_s"] / r["hugo_pagefind_s"])
    assert 0.05 < r["full_vs_mkdocs"] < 50 and 0.05 < r["full_vs_hugo"] < 200
    for name, key in (("ours", "full_build_s"), ("mkdocs", "mkdocs_s"), ("hugo", "hugo_pagefind_s")):
        runs = [x["seconds"] for x in r["runs"][name]]
        assert len(runs) == r["repeat"] and _close(statistics.median(runs), r[key]), (name, runs)
    hugo = r["runs"]["hugo"][0]
    assert len(hugo["parts_s"]) == 2 and _close(sum(hugo["parts_s"]), hugo["seconds"])
    for a, b, ratio in zip(r["runs"]["ours"], r["runs"]["mkdocs"], r["ratio_per_round_vs_mkdocs"]):
        assert _close(ratio, a["seconds"] / b["seconds"])
    assert "site-builder build" in stdout and "MkDocs + Material" in stdout and "Hugo + Pagefind" in stdout
    # the build again with the caches the last one filled
    assert _num(r["full_build_warm_s"]) and 0.01 < r["full_build_warm_s"] < 600
    assert _close(r["warm_vs_mkdocs"], r["full_build_warm_s"] / r["mkdocs_s"])
    warm = r["runs"]["warm"]
    assert len(warm) == r["repeat"] and _close(statistics.median(
        x["seconds"] for x in warm), r["full_build_warm_s"])
    for a, b, ratio in zip(warm, r["runs"]["mkdocs"], r["ratio_per_round_warm_vs_mkdocs"]):
        assert _close(ratio, a["seconds"] / b["seconds"])
    assert _close(r["warm_cpu_vs_mkdocs"], r["full_build_warm_cpu_s"] / r["mkdocs_cpu_s"])
    assert "caches kept" in stdout
    # and before that, with the caches but no earlier site to be made in (a new CI runner)
    fresh = r["runs"]["warm_fresh"]
    assert len(fresh) == r["repeat"] and _close(statistics.median(
        x["seconds"] for x in fresh), r["full_build_warm_fresh_s"])
    assert _close(r["warm_fresh_vs_mkdocs"], r["full_build_warm_fresh_s"] / r["mkdocs_s"])
    assert _close(r["warm_fresh_vs_hugo"], r["full_build_warm_fresh_s"] / r["hugo_pagefind_s"])
    for a, b, ratio in zip(fresh, r["runs"]["mkdocs"], r["ratio_per_round_warm_fresh_vs_mkdocs"]):
        assert _close(ratio, a["seconds"] / b["seconds"])
    assert _num(r["full_build_warm_fresh_cpu_s"]) and _num(r["full_build_warm_fresh_peak_mb"])
    assert "no earlier site" in stdout
    # and after one record is edited, with the same caches (what a publish after an edit costs)
    edited = r["runs"]["edited"]
    assert len(edited) == r["repeat"] and _close(statistics.median(
        x["seconds"] for x in edited), r["full_build_edited_s"])
    assert _close(r["edited_vs_mkdocs"], r["full_build_edited_s"] / r["mkdocs_s"])
    for a, b, ratio in zip(edited, r["runs"]["mkdocs"], r["ratio_per_round_edited_vs_mkdocs"]):
        assert _close(ratio, a["seconds"] / b["seconds"])
    assert _num(r["full_build_edited_cpu_s"]) and _num(r["full_build_edited_peak_mb"])
    assert "one record edited" in stdout
    # (b) again, against the build with the caches kept
    assert _close(r["warm_vs_hugo"], r["full_build_warm_s"] / r["hugo_pagefind_s"])
    for a, b, ratio in zip(warm, r["runs"]["hugo"], r["ratio_per_round_warm_vs_hugo"]):
        assert _close(ratio, a["seconds"] / b["seconds"])


def test_the_hugo_image_baseline_makes_variants_and_its_ratio_matches(site_results):
    """(c): Hugo making the same image variants, timed in the same alternating rounds."""
    r, stdout = site_results
    runs = r["runs"]["hugo_img"]
    assert len(runs) == r["repeat"] and _close(statistics.median(x["seconds"] for x in runs),
                                               r["hugo_images_s"])
    assert _num(r["hugo_images_s"]) and 0.01 < r["hugo_images_s"] < 600
    assert _num(r["hugo_images_cpu_s"]) and r["hugo_images_cpu_s"] > 0
    assert _close(r["full_vs_hugo_images"], r["full_build_s"] / r["hugo_images_s"])
    assert _close(r["cpu_vs_hugo_images"], r["full_build_cpu_s"] / r["hugo_images_cpu_s"])
    for a, b, ratio in zip(r["runs"]["ours"], runs, r["ratio_per_round_vs_hugo_images"]):
        assert _close(ratio, a["seconds"] / b["seconds"])
    # the same images resized to the same widths: as many WebP files as ours (give or take the
    # pictures the two use differently), and more than one per image
    assert r["site_webp_files"] > 0 and r["hugo_images_files"] > 0
    assert 0.5 < r["hugo_images_files"] / r["site_webp_files"] < 2
    assert r["hugo_images_files"] >= r["generated"]["images"] // 2
    assert "(c) Hugo making the same image variants" in stdout


def test_memory_against_pagefind_alone_and_the_machine_are_printed(site_results):
    r, stdout = site_results
    assert _num(r["pagefind_alone_peak_mb"]) and 5 < r["pagefind_alone_peak_mb"] < 8192
    assert _num(r["pagefind_alone_s"]) and 0 < r["pagefind_alone_s"] < 600
    assert _close(r["peak_vs_pagefind"], r["peak_mb"] / r["pagefind_alone_peak_mb"])
    assert _close(r["warm_peak_vs_pagefind"], r["full_build_warm_peak_mb"] / r["pagefind_alone_peak_mb"])
    # the build runs Pagefind over the same pages, and Python beside it
    assert r["peak_vs_pagefind"] > 1
    for needle in ("Pagefind alone", "machine:", f"{r['machine']['cores']} cores", "≤ 1.15x",
                   "≤ 0.75x", "≤ 0.4x", "≤ 1.5x", "≤ 2.0x", "≤ 0.5 s", "≤ 2.0 s"):
        assert needle in stdout, needle


def test_memory_and_sizes_are_sane(site_results):
    r, _ = site_results
    for key in ("peak_mb", "mkdocs_peak_mb", "hugo_pagefind_peak_mb", "validate_peak_mb",
                "rebuild_peak_mb", "peak_single_process_mb"):
        assert _num(r[key]) and 5 < r[key] < 8192, (key, r[key])
    assert r["peak_single_process_mb"] <= r["peak_mb"] + 0.1
    for runs in r["runs"].values():
        for x in runs:
            assert x["peak_single_mb"] <= x["peak_mb"] + 0.1 and x["procs"] >= 1
    # a site-builder build is Python + a Pagefind child at least; Python alone is over 20 MB
    assert r["peak_mb"] > 20 and r["runs"]["ours"][0]["procs"] >= 2
    lb = r["listing_bytes"]
    assert set(lb) == {"people", "venues", "brands"}
    for v in lb.values():
        assert _num(v) and 1000 < v < 50_000_000
    assert 1000 < r["html_bytes_per_brand_page"] < 1_000_000
    assert 1000 < r["brand_page_compressed_bytes"] < 2_000_000
    for key in ("site_bytes", "mkdocs_site_bytes", "hugo_site_bytes"):
        assert r[key] > r["published"] * 1000, key
    assert r["site_bytes"] > r["published"] * r["html_bytes_per_brand_page"]
    if r["search_first_query_bytes"] is not None or os.environ.get("CI"):
        assert 1000 < r["search_first_query_bytes"] < 5_000_000
    g = r["generated"]
    assert g["records"] == N and g["rounds"] >= 1 and g["images"] > 0


def test_stages_add_up(site_results):
    r, _ = site_results
    ph = r["phases"]
    stages = ph["phases"]
    assert list(stages) == ["load_validate", "render", "engine", "pagefind", "verify"]
    for name, p in stages.items():
        assert _num(p["seconds"]) and 0 < p["seconds"] < 600, name
        assert 10 < p["rss_after_mb"] < 8192 and p["peak_self_mb"] >= 10, name
    assert _close(ph["total_s"], sum(p["seconds"] for p in stages.values()))
    assert stages["pagefind"]["peak_children_mb"] > 5  # Pagefind runs as a child process
    assert stages["engine"]["engine"] == "native"  # the default engine's share of a build
    assert ph["rendered_pages"] > N and ph["rendered_html_mb"] >= 0
    # every published story is converted once: when validating (a story with HTML, images or
    # unusual links) or when its page is rendered; a round's announcement may add one each
    conversions = sum(p["story_conversions"] for p in stages.values())
    assert r["published"] <= conversions <= r["published"] + 10
    assert ph["verify_findings"] == 0 and ph["published"] == r["published"]


def test_validation_benchmark_smoke(tmp_path):
    out = tmp_path / "validate.json"
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "bench_validate.py"), "--records", "40",
                           "--repeat", "1", "--output", str(out)], check=False, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    v = json.loads(out.read_text())
    assert v["records"] == 40
    for key in ("bare_seconds", "validate_seconds", "plain_story_seconds"):
        assert _num(v[key]) and 0 < v[key] < 120, key
    assert _close(v["ratio"], v["validate_seconds"] / v["bare_seconds"], 0.02)
    assert _close(v["plain_story_ratio"], v["plain_story_seconds"] / v["bare_seconds"], 0.02)
    # strict validation does more than a bare libyaml load; realistic front matter is kilobytes
    assert 1 < v["ratio"] < 100
    assert 40 * 1000 < v["front_matter_mb"] * 1e6 < 40 * 50_000
    assert "ratio (b)/(a)" in proc.stdout


def test_the_photo_benchmark_prints_sane_figures(tmp_path):
    """bench_images.py: a phone's photo with the reduced decode against a full one."""
    out = tmp_path / "images.json"
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "bench_images.py"), "--repeat", "1",
                           "--output", str(out)], check=False, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    r = json.loads(out.read_text())
    assert _num(r["reduced_s"]) and _num(r["full_s"]) and 0.001 < r["reduced_s"] < 60
    assert _close(r["reduced_vs_full"], r["reduced_s"] / r["full_s"])
    assert all(isinstance(v, int) and v > 1000 for v in r["variant_bytes"].values())
    assert "reduced decode" in proc.stdout and "full decode" in proc.stdout
