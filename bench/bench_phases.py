"""Where one build's time and memory go: the pipeline's stages called one after the other.

    .venv/bin/python bench/bench_phases.py ROOT SITE_DIR [--profile FILE] [--top 40]

Calls the stages' own functions in one process, each timed on its own (nothing overlaps, unlike
`site-builder build`, which checks pages in two processes, then runs Pagefind):

1. load + validate + evaluate: `site_builder.project.load_project`;
2. render: `site_builder.build.render` (every page's final HTML, the navigation and files as
   values; the images encoded meanwhile, waited for at its end);
3. engine: the default engine's `build` (the native layout writing every file; the MkDocs
   engine is measured as a baseline by bench_site.py);
4. Pagefind over the written site (the child process the build starts, waited for alone);
5. verify: `site_builder.verify.check_and_scan` over every file, in this process.

Memory: this process's RSS after each stage and the peak of this process and of its children
(Pagefind) sampled every 20 ms with psutil. Story conversions are counted by wrapping
`validate.story.story_markdown`. With --profile the whole sequence runs under cProfile and the
top functions are written to FILE (the timings are then inflated by the profiler).
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Sampler:
    """Peak RSS of this process and, separately, of its children, sampled."""

    def __init__(self, interval: float = 0.02) -> None:
        self.me = psutil.Process()
        self.interval = interval
        self.peak_self = self.peak_children = self.peak_total = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                own = self.me.memory_info().rss
                kids = 0
                for c in self.me.children(recursive=True):
                    try:
                        kids += c.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                continue
            self.peak_self = max(self.peak_self, own)
            self.peak_children = max(self.peak_children, kids)
            self.peak_total = max(self.peak_total, own + kids)
            self.stop.wait(self.interval)

    def reset(self) -> None:
        self.peak_self = self.peak_children = self.peak_total = 0

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


MB = 1024 * 1024


def _children_cpu() -> float:
    """CPU seconds of the children waited for so far (Pagefind)."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(root: Path, site: Path) -> dict:
    import site_builder.validate.story as story_mod
    from site_builder.build import DEFAULT_ENGINE, _engine, render
    from site_builder.engines.pagefind import BUNDLE_DIR
    from site_builder.project import load_project
    from site_builder.verify import check_and_scan

    counts = {"story_markdown": 0}
    timers = {"image_wait": 0.0}
    orig_md = story_mod.story_markdown

    def counted_md(body):
        counts["story_markdown"] += 1
        return orig_md(body)

    story_mod.story_markdown = counted_md

    def render_and_encode():
        """The site's values, then the wait for the image threads still encoding."""
        values = render(project)
        t = time.perf_counter()
        values.finish()
        timers["image_wait"] = time.perf_counter() - t
        return values

    me = psutil.Process()
    sampler = Sampler()
    out: dict = {"phases": {}}

    def phase(name: str, fn):
        sampler.reset()
        before = counts["story_markdown"]
        c0 = time.process_time() + _children_cpu()
        t = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - t
        cpu = time.process_time() + _children_cpu() - c0
        rss = me.memory_info().rss
        sampler.peak_self = max(sampler.peak_self, rss)
        out["phases"][name] = {
            "seconds": round(seconds, 3),
            "cpu_s": round(cpu, 3),
            "rss_after_mb": round(rss / MB, 1),
            "peak_self_mb": round(sampler.peak_self / MB, 1),
            "peak_children_mb": round(sampler.peak_children / MB, 1),
            "story_conversions": counts["story_markdown"] - before,
        }
        return value

    try:
        project = phase("load_validate", lambda: load_project(root))
        assert project.ok, [d.format() for d in project.diagnostics][:5]
        values = phase("render", render_and_encode)
        out["phases"]["render"]["image_wait_s"] = round(timers["image_wait"], 3)
        out["rendered_html_mb"] = round(sum(len(p.body_html.encode()) for p in values.pages) / MB, 1)
        out["rendered_pages"] = len(values.pages)
        big = sorted(values.pages, key=lambda p: -len(p.body_html))[:3]
        out["largest_rendered"] = {p.uri: len(p.body_html.encode()) for p in big}
        if site.exists():
            shutil.rmtree(site)
        site.mkdir(parents=True)
        build = _engine(DEFAULT_ENGINE)
        job = phase("engine", lambda: build(project, values, site, defer_search=True))
        out["phases"]["engine"]["engine"] = DEFAULT_ENGINE

        def wait():
            err = job.wait()
            assert err is None, err
        phase("pagefind", wait)
        label = str(site)
        findings = phase("verify", lambda: check_and_scan(site, project.settings.site_url, label))
        out["verify_findings"] = len(findings)
        del BUNDLE_DIR
    finally:
        sampler.close()
        story_mod.story_markdown = orig_md
    out["total_s"] = round(sum(p["seconds"] for p in out["phases"].values()), 3)
    out["total_cpu_s"] = round(sum(p["cpu_s"] for p in out["phases"].values()), 3)
    out["published"] = len(project.published)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("site", type=Path)
    ap.add_argument("--profile", type=Path, default=None, help="write cProfile's top functions here")
    ap.add_argument("--top", type=int, default=45)
    args = ap.parse_args(argv)
    if args.profile is None:
        result = run(args.root, args.site)
    else:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        result = prof.runcall(run, args.root, args.site)
        buf = io.StringIO()
        st = pstats.Stats(prof, stream=buf).strip_dirs()
        buf.write("=== by own time (tottime) ===\n")
        st.sort_stats("tottime").print_stats(args.top)
        buf.write("=== by cumulative time ===\n")
        st.sort_stats("cumulative").print_stats(args.top)
        args.profile.write_text(buf.getvalue(), encoding="utf-8")
        result["profiled"] = True
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
