"""Benchmark: the whole site at scale against plain MkDocs + Material, measured in one run.

Generates N realistic fictional brands (stories of a few thousand Chinese characters, people,
venues, figures, sources) into a temporary project, then measures, each step in a fresh process:

1. validation alone (`site-builder validate`);
2. a full build (`site-builder build`);
3. the rebuild after editing one brand, in a warm process, as `serve` does;
4. the baseline: the same brand pages written directly as Markdown and built by plain MkDocs +
   Material with Chinese search on (jieba) and the brand pages kept out of the navigation.

Prints a table with times, ratios to the baseline, peak memory and output size, and writes
bench/results.json.

    .venv/bin/python bench/bench_site.py [--brands 1000] [--keep]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The fictional test settings: benchmarks measure the same project whatever settings.yml says.
SETTINGS_DIR = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_validate import make_record  # noqa: E402

# Sentences to build stories from: plain, varied Chinese, so word segmentation does real work.
SENTENCES = [
    "品牌起步于城乡结合部的一间小作坊，几位师傅带着徒弟走街串巷，靠手艺赢得了口碑。",
    "为了让更多农村转移劳动力掌握一技之长，当地人社部门联合职业院校开设了专项培训班。",
    "学员结业后由合作企业直接吸纳就业，月收入比培训前提高了三成以上。",
    "品牌坚持标准化培训、规范化服务和品牌化推广，逐步形成了完整的人才培养链条。",
    "每年春节前后，服务站都会组织返乡人员开展技能提升和岗位对接活动。",
    "非遗传承人走进课堂，把传统技艺和现代市场需求结合起来，开发出多款文创产品。",
    "通过与协作地区建立稳定的劳务输出渠道，越来越多的务工人员实现了家门口就业。",
    "龙头企业牵头制定团体标准，推动行业诚信评价，树立了良好的品牌形象。",
    "线上直播带货拓宽了销售渠道，农村电商带头人带动周边村民增收致富。",
    "品牌代言人经常深入社区，讲述从业人员的奋斗故事，吸引年轻人投身这一行业。",
    "技能等级认定让从业人员有了看得见的职业发展通道，队伍结构持续优化。",
    "文化体验馆定期举办开放日活动，市民可以亲手体验传统工艺的制作过程。",
]


def story(rng: random.Random, chars: int = 3000) -> str:
    paras, total = [], 0
    while total < chars:
        para = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(4, 8)))
        paras.append(para)
        total += len(para)
    heads = ["## 发展历程", "## 技能培训", "## 就业带动"]
    out = []
    for i, p in enumerate(paras):
        if i % 3 == 0 and i // 3 < len(heads):
            out.append(heads[i // 3])
        out.append(p)
    return "\n\n".join(out) + "\n"


def make_project(dest: Path, n: int, seed: int = 7) -> None:
    from site_builder.load.settings import load_settings

    shutil.copy2(SETTINGS_DIR / "settings.yml", dest / "settings.yml")
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("templates", "docs"):
        shutil.copytree(ROOT / name, dest / name)
    settings, _ = load_settings(SETTINGS_DIR)
    rng = random.Random(seed)
    brands = dest / "brands"
    brands.mkdir()
    from PIL import Image

    logo = brands / ".logo.png"
    Image.new("RGB", (480, 480), (30, 110, 160)).save(logo)
    for i in range(n):
        slug, text, with_logo = make_record(i, rng, settings.vocab)
        text = text.replace("status: 草稿", "status: 已发布")
        head, _, _ = text.partition("\n---\n")
        (brands / f"{slug}.md").write_text(head + "\n---\n" + story(rng), encoding="utf-8")
        if with_logo:
            (brands / slug).mkdir()
            shutil.copy2(logo, brands / slug / "logo.png")
    logo.unlink()
    evaluations = ROOT / "bench" / "evaluations"
    if evaluations.is_dir():
        shutil.copytree(evaluations, dest / "evaluations")


def brand_markdown(b) -> str:
    """A brand page written directly as Markdown: what an editor would write by hand for plain
    MkDocs (the same facts, story, people, venues and sources as the generated page)."""
    d = b.data
    out = [f"# {b.name}", "", d["summary"], "",
           f"- 品牌类型：{d['category']}", f"- 所在区：{'、'.join(d['districts'])}"]
    for key, label in (("level", "品牌层级"), ("stage", "发展阶段"), ("industry", "行业领域")):
        if d.get(key):
            out.append(f"- {label}：{d[key]}")
    if d.get("programs"):
        out.append(f"- 所属工程：{'、'.join(d['programs'])}")
    out += ["", "## 品牌故事", "", b.body.strip(), ""]
    if d.get("figures"):
        out += ["## 关键数据", "", "| 指标 | 数值 | 统计时间 | 来源 |", "|---|---|---|---|"]
        out += [f"| {f['label']} | {f['value']} {f['unit']} | {f['as_of']} | {f['source']} |"
                for f in d["figures"]]
        out.append("")
    if d.get("policy"):
        pol = d["policy"]
        out += ["## 一品一策", "", pol.get("plan", ""), "", pol.get("approach", ""), ""]
        out += [f"1. {x}" for x in pol.get("priorities", [])] + [""]
    if d.get("people"):
        out += ["## 典型人物", ""]
        for p in d["people"]:
            out += [f"### {p['name']}（{p['role']}）", "", p.get("title", ""), "", p.get("bio", ""), ""]
    if d.get("venues"):
        out += ["## 文化体验场所", ""]
        for v in d["venues"]:
            out += [f"### {v['name']}", "", f"- 类型：{v['type']}", f"- 所在区：{v['district']}",
                    f"- 地址：{v.get('address', '')}", f"- 开放时间：{v.get('hours', '')}", ""]
    if d.get("sources"):
        out += ["## 资料来源", ""]
        out += [f"1. {s['outlet']}，{s.get('title', '')}，{s.get('date', '')}，<{s['url']}>"
                if s.get("url") else f"1. {s['outlet']}" for s in d["sources"]]
    out += ["", f"最近审核：{d['updated']}", ""]
    return "\n".join(out)


def make_baseline(project: Path, dest: Path) -> int:
    """The same brand pages as plain Markdown for plain MkDocs + Material with Chinese search."""
    from site_builder.project import load_project

    docs = dest / "docs"
    (docs / "brands").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n品牌名录的基线站点。\n", encoding="utf-8")
    count = 0
    for b in load_project(project).published:
        (docs / "brands" / f"{b.slug}.md").write_text(brand_markdown(b), encoding="utf-8")
        count += 1
    (dest / "mkdocs.yml").write_text(
        "site_name: 基线\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      lang: zh\nnav:\n  - 首页: index.md\n"
        "markdown_extensions:\n  - tables\n  - toc\n", encoding="utf-8")
    return count


STEP = r"""
import json, resource, sys, time
from pathlib import Path
step, root, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
t0 = time.perf_counter()
if step == "validate":
    from site_builder.project import load_project
    p = load_project(root)
    assert p.ok, [d.format() for d in p.diagnostics][:5]
    extra = {"records": len(p.brands)}
elif step == "build":
    from site_builder.build import build_site
    r = build_site(root, out)
    assert r.ok, r.problems
    extra = {}
elif step == "rebuild":
    # what `site-builder serve` does after an edit: an incremental build in a warm process
    from site_builder.engines.mkdocs import Preview
    pv = Preview(root, out)
    pv.build()
    pv.wait_for_search()
    first = sorted((root / "brands").glob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n编辑后追加的一段文字。\n", encoding="utf-8")
    t0 = time.perf_counter()
    pv.build()
    pages_ready = time.perf_counter() - t0
    pv.wait_for_search()
    extra = {"search_ready_s": time.perf_counter() - t0}
    t0 = time.perf_counter() - pages_ready
elif step == "baseline":
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(out)))
    extra = {}
seconds = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_rss_mb": rss, **extra}))
"""


def run_step(step: str, root: Path, out: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1764201600")
    proc = subprocess.run([sys.executable, "-c", STEP, step, str(root), str(out)],
                          capture_output=True, text=True, env=env, cwd=root)
    if proc.returncode != 0:
        raise SystemExit(f"step {step} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def page_weight(site: Path, page: Path) -> int:
    """Gzip-compressed bytes of a page with its own CSS and JavaScript (images excluded)."""
    html = page.read_text(encoding="utf-8")
    total = len(gzip.compress(html.encode(), 6))
    for ref in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html):
        target = (page.parent / ref).resolve()
        if target.is_file():
            total += len(gzip.compress(target.read_bytes(), 6))
    return total


def first_search_bytes(site: Path, query: str) -> int | None:
    """Bytes a reader downloads for a first search (Pagefind bundle, index chunks, fragments),
    measured in Chromium; None when no browser is installed."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from browser import CHROMIUM_FLAGS, chromium_path, serve_dir
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    exe = chromium_path()
    if exe is None:
        return None
    sizes: dict[str, int] = {}
    with serve_dir(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(base + "search/")
        page.wait_for_load_state("networkidle")
        before = set()

        def on_response(resp):
            if "/pagefind/" in resp.url:
                body = resp.body()
                sizes[resp.url] = len(body)

        page.on("response", on_response)
        page.fill("#lb-search-input", query)
        page.locator(".lb-results li a").first.wait_for(timeout=30000)
        page.wait_for_load_state("networkidle")
        del before
        browser.close()
    # the search page's own script, loaded with the page, is part of the first search too
    scripts = (site / "assets" / "search.js").stat().st_size
    return sum(sizes.values()) + scripts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--brands", type=int, default=1000)
    ap.add_argument("--keep", action="store_true", help="keep the temporary projects")
    ap.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="lb-bench-"))
    try:
        project, base_proj = work / "project", work / "baseline"
        project.mkdir()
        base_proj.mkdir()
        t = time.perf_counter()
        make_project(project, args.brands)
        pages = make_baseline(project, base_proj)
        print(f"generated {args.brands} brands ({pages} baseline pages) in "
              f"{time.perf_counter() - t:.1f}s under {work}", file=sys.stderr)

        base = run_step("baseline", base_proj, work / "baseline-site")
        val = run_step("validate", project, work / "unused")
        full = run_step("build", project, work / "site")
        site = work / "site"
        brand_pages = list((site / "brands").glob("*/index.html"))
        html_per_page = sum(p.stat().st_size for p in brand_pages) / max(1, len(brand_pages))
        weight = max(page_weight(site, p) for p in brand_pages[:50])
        search = first_search_bytes(site, "家政")
        reb = run_step("rebuild", project, work / "site-rebuild")

        baseline_index = base_proj / ".." / "baseline-site" / "search" / "search_index.json"
        results = {
            "brands": args.brands,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "validate_s": round(val["seconds"], 3),
            "full_build_s": round(full["seconds"], 3),
            "baseline_s": round(base["seconds"], 3),
            "full_build_ratio": round(full["seconds"] / base["seconds"], 3),
            "rebuild_s": round(reb["seconds"], 3),
            "rebuild_ratio": round(reb["seconds"] / base["seconds"], 3),
            "rebuild_search_ready_s": round(reb["search_ready_s"], 3),
            "html_bytes_per_brand_page": round(html_per_page),
            "brand_page_compressed_bytes": weight,
            "site_bytes": tree_bytes(site),
            "baseline_site_bytes": tree_bytes(work / "baseline-site"),
            "search_first_query_bytes": search,
            "baseline_search_index_bytes": (baseline_index.stat().st_size
                                            if baseline_index.is_file() else None),
            "peak_rss_mb": round(max(full["peak_rss_mb"], reb["peak_rss_mb"]), 1),
            "baseline_peak_rss_mb": round(base["peak_rss_mb"], 1),
        }
        validate_json = ROOT / "bench" / "validate-results.json"
        if validate_json.is_file():
            results["validate_10k_ratio"] = json.loads(validate_json.read_text()).get("ratio")
        print_table(results)
        args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        print(f"wrote {args.output}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def print_table(r: dict) -> None:
    rows = [
        ("baseline: plain MkDocs + Material, Chinese search", f"{r['baseline_s']:.2f} s", "1.00x",
         f"{r['baseline_peak_rss_mb']:.0f} MB", f"{r['baseline_site_bytes'] / 1e6:.1f} MB"),
        ("validation alone", f"{r['validate_s']:.2f} s", f"{r['validate_s'] / r['baseline_s']:.2f}x",
         "", ""),
        ("full build", f"{r['full_build_s']:.2f} s", f"{r['full_build_ratio']:.2f}x",
         f"{r['peak_rss_mb']:.0f} MB", f"{r['site_bytes'] / 1e6:.1f} MB"),
        ("rebuild after one edit (pages ready)", f"{r['rebuild_s']:.2f} s", f"{r['rebuild_ratio']:.2f}x", "", ""),
        ("  … and its search index ready", f"{r['rebuild_search_ready_s']:.2f} s",
         f"{r['rebuild_search_ready_s'] / r['baseline_s']:.2f}x", "", ""),
    ]
    print(f"\n{r['brands']} brands on {r['machine']}")
    print(f"{'step':<52} {'time':>9} {'ratio':>7} {'peak RSS':>9} {'output':>9}")
    for row in rows:
        print(f"{row[0]:<52} {row[1]:>9} {row[2]:>7} {row[3]:>9} {row[4]:>9}")
    print(f"HTML per brand page: {r['html_bytes_per_brand_page'] / 1024:.1f} KB; "
          f"brand page + CSS + JS compressed: {r['brand_page_compressed_bytes'] / 1024:.1f} KB")
    if r["search_first_query_bytes"] is not None:
        print(f"first search downloads: {r['search_first_query_bytes'] / 1024:.0f} KB "
              f"(Material's index for the baseline: "
              f"{(r['baseline_search_index_bytes'] or 0) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
