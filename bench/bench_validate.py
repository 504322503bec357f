"""Benchmark: strict load + validate of 10,000 generated brand records against bare libyaml.

Both sides see the same front matter in the same run:
  (a) yaml.load(front_matter, Loader=yaml.CSafeLoader) for each record;
  (b) site_builder.records.load_brand for each record, given the file's bytes from memory
      (decode, split, compose, duplicate/anchor/tag checks, schema validation, source references
      and image checks).
Prints both times and their ratio (target: at most 2x) and one JSON line with the figures.

    .venv/bin/python bench/bench_validate.py [--records N] [--repeat R] [--profile]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The fictional test settings: benchmarks measure the same project whatever settings.yml says.
SETTINGS_DIR = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))

from site_builder.load.settings import load_settings
from site_builder.model import BRANDS_DIR
from site_builder.project import check_brand as load_brand

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
WORDS = ["家政", "月嫂", "厨师", "技工", "工匠", "绣娘", "茶艺", "点心", "护理", "电商", "农技", "木作"]
OUTLETS = ["示例日报", "示例晚报", "示例电视台", "示例人社局", "示例新闻网"]
FIGURE_LABELS = ["从业人数", "带动就业", "培训人次", "技能等级认定", "服务家庭"]
UNITS = ["人", "人次", "万人次", "家", "万元"]


def _png() -> bytes:
    """A valid 1×1 PNG: validation reads image headers."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


PNG = _png()


def _story(rng: random.Random) -> str:
    para = "这是一个虚构的示例品牌，用于测试校验的速度。它的故事由若干段落组成。"
    return "\n\n".join(para * rng.randint(1, 4) for _ in range(rng.randint(2, 5))) + "\n"


def make_record(i: int, rng: random.Random, vocab: dict[str, list[str]]) -> tuple[str, str, bool]:
    """One realistic, valid, fictional record: (slug, file text, needs a logo file)."""
    slug = f"shili-pinpai-{i:05d}"
    word = rng.choice(WORDS)
    n_sources = rng.randint(1, 4)
    source_ids = [f"src-{i}-{k}" for k in range(n_sources)]
    lines = [
        "---",
        f"slug: {slug}",
        f"name: 示例·{word}品牌{i:05d}",
        f"name_en: Example Brand {i}",
        f"summary: 虚构的示例品牌{i}，由{rng.choice(vocab['districts'])}的从业人员组成，用于校验速度测试。",
        f"status: {rng.choice(['草稿', '已发布', '已发布'])}",
        f"category: {rng.choice(vocab['categories'])}",
        f"level: {rng.choice(vocab['levels'])}",
        f"stage: {rng.choice(vocab['stages'])}",
        f"industry: {word}服务",
        f"programs: [{', '.join(rng.sample(vocab['programs'], rng.randint(1, 2)))}]",
        f"districts: [{', '.join(rng.sample(vocab['districts'], rng.randint(1, 3)))}]",
        f"cooperation_regions: [{rng.choice(vocab['cooperation_regions'])}]",
        f"established: {rng.randint(1990, 2023)}-{rng.randint(1, 12):02d}",
        "figures:",
    ]
    for _ in range(rng.randint(1, 5)):
        lines += [
            f"  - label: {rng.choice(FIGURE_LABELS)}",
            f"    value: {rng.choice([str(rng.randint(1, 50000)), f'{rng.randint(1, 500)}.{rng.randint(1, 9)}'])}",
            f"    unit: {rng.choice(UNITS)}",
            f"    as_of: {rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}",
            f"    source: {rng.choice(source_ids)}",
        ]
    lines += [
        "policy:",
        "  plan: |",
        "    到 2027 年建成覆盖全区的服务站点网络。",
        "    每年开展职业技能培训。",
        f"  approach: 以{word}龙头企业为依托，校企合作培养人才。",
        "  priorities:",
        "    - 职业技能培训",
        "    - 诚信评价体系",
        "    - 品牌宣传推广",
        "people:",
    ]
    for k in range(rng.randint(1, 3)):
        name = rng.choice(SURNAMES) + "某" + "甲乙丙丁"[k]
        lines += [
            f"  - name: {name}",
            f"    role: {rng.choice(vocab['person_roles'])}",
            "    title: 高级技师",
            f"    bio: 虚构人物，从事{word}工作多年，带出学徒数十人。",
            f"    consent: {{form: 书面授权, date: 2024-0{k + 1}-15, reference: SQ-{i}-{k}}}",
        ]
    lines += ["venues:"]
    for k in range(rng.randint(0, 2)):
        lines += [
            f"  - name: 示例{word}工坊{k}",
            f"    type: {rng.choice(vocab['venue_types'])}",
            f"    district: {rng.choice(vocab['districts'])}",
            f"    address: 虚构路 {rng.randint(1, 999)} 号",
            f"    lat: 23.{rng.randint(100, 999)}{rng.randint(1, 9)}",
            f"    lng: 113.{rng.randint(100, 999)}{rng.randint(1, 9)}",
            "    hours: \"周二至周日 09:00–17:00\"",
            f"    phone: 020-{rng.randint(10000000, 99999999)}",
            f"    source: {source_ids[0]}",
        ]
    if lines[-1] == "venues:":
        lines.pop()
    lines += [
        "enterprises:",
        f"  - name: 示例{word}有限公司{i}",
        "    kind: 龙头企业",
        "contact:",
        "  organization: 示例行业协会",
        f"  phone: 020-{rng.randint(10000000, 99999999)}",
        "  email: info@example.com",
        "  url: https://www.example.com/",
    ]
    with_logo = rng.random() < 0.3
    if with_logo:
        lines += ["media:", f"  logo: {{path: logo.png, alt: 示例·{word}品牌{i:05d}标志}}"]
    lines += ["sources:"]
    for sid in source_ids:
        lines += [
            f"  - id: {sid}",
            f"    outlet: {rng.choice(OUTLETS)}",
            f"    title: 虚构报道第 {rng.randint(1, 999)} 期",
            f"    date: {rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"    url: https://www.example.com/news/{rng.randint(1, 99999)}.html",
        ]
    lines += [f"updated: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}", "---"]
    return slug, "\n".join(lines) + "\n" + _story(rng), with_logo


def front_matter(text: str) -> str:
    return text.split("\n---\n", 1)[0][len("---\n"):]


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="best of R runs of each side")
    ap.add_argument("--profile", action="store_true", help="cProfile the validating side")
    ap.add_argument("--output", type=Path, default=None,
                    help="also write the figures as JSON (bench_site.py reads bench/validate-results.json)")
    args = ap.parse_args(argv)

    settings, diags = load_settings(SETTINGS_DIR)
    if settings is None:
        print("settings.yml 有错误：", *[d.format() for d in diags], sep="\n", file=sys.stderr)
        return 1
    rng = random.Random(20261127)
    tmp = Path(tempfile.mkdtemp(prefix="bench-validate-"))
    try:
        shutil.copy(SETTINGS_DIR / "settings.yml", tmp / "settings.yml")
        (tmp / BRANDS_DIR).mkdir()
        items: list[tuple[str, bytes]] = []
        for i in range(args.records):
            slug, text, with_logo = make_record(i, rng, settings.vocab)
            rel = f"{BRANDS_DIR}/{slug}.md"
            data = text.encode("utf-8")
            (tmp / rel).write_bytes(data)
            if with_logo:
                (tmp / BRANDS_DIR / slug).mkdir()
                (tmp / BRANDS_DIR / slug / "logo.png").write_bytes(PNG)
            items.append((rel, data))
        fms = [front_matter(data.decode("utf-8")) for _, data in items]

        def bare() -> None:
            for fm in fms:
                yaml.load(fm, Loader=yaml.CSafeLoader)

        def ours() -> None:
            vocab = settings.vocab
            for rel, data in items:
                load_brand(tmp, rel, vocab, data=data)

        for rel, data in items:  # every generated record must be valid (also warms caches)
            brand, d = load_brand(tmp, rel, settings.vocab, data=data)
            if brand is None:
                print("生成的记录没有通过校验：", *[x.format() for x in d], sep="\n", file=sys.stderr)
                return 1

        if args.profile:
            import cProfile
            import pstats

            cProfile.runctx("ours()", globals(), {"ours": ours}, str(tmp / "prof"))
            pstats.Stats(str(tmp / "prof")).sort_stats("cumulative").print_stats(30)
        t_bare = best_of(args.repeat, bare)
        t_ours = best_of(args.repeat, ours)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    ratio = t_ours / t_bare
    fm_bytes = sum(len(fm.encode("utf-8")) for fm in fms)
    print(f"records: {args.records}, front matter: {fm_bytes / 1e6:.1f} MB, best of {args.repeat}")
    print(f"(a) yaml.load(CSafeLoader):     {t_bare:7.3f} s  ({t_bare / args.records * 1e6:6.0f} µs/record)")
    print(f"(b) load_brand (load+validate): {t_ours:7.3f} s  ({t_ours / args.records * 1e6:6.0f} µs/record)")
    print(f"ratio (b)/(a): {ratio:.2f}x (target ≤ 2x): {'OK' if ratio <= 2 else 'OVER TARGET'}")
    result = {"records": args.records, "bare_seconds": round(t_bare, 4),
              "validate_seconds": round(t_ours, 4), "ratio": round(ratio, 3)}
    print(json.dumps(result))
    if args.output:
        args.output.write_text(json.dumps(result) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
