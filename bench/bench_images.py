"""The responsive variants of one large photograph, as a phone takes them (4000 × 3000 JPEG),
with the reduced JPEG decode the build uses against a full decode, in the same run.

    .venv/bin/python bench/bench_images.py [--repeat 7] [--output bench/images-results.json]

The record generator's pictures are small (at most 800 px wide), so the site benchmark does not
show what a phone's photo costs; this does. Prints both medians and their ratio."""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageFilter, JpegImagePlugin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.render import images


def photo(width: int = 4000, height: int = 3000) -> bytes:
    """A made-up photograph: noise over a gradient, softened, saved as a camera would (q 90)."""
    noise = Image.effect_noise((width // 4, height // 4), 60).convert("RGB")
    grad = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    im = Image.blend(noise.resize((width, height), Image.Resampling.BICUBIC), grad, 0.5)
    buf = io.BytesIO()
    im.filter(ImageFilter.GaussianBlur(1)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def variants_seconds(data: bytes, work: Path, full_decode: bool) -> tuple[float, int]:
    """Seconds to plan and encode every variant into an empty cache, and their bytes."""
    work.mkdir(parents=True)
    src = work / "photo.jpg"
    src.write_bytes(data)
    real = JpegImagePlugin.JpegImageFile.draft
    if full_decode:
        JpegImagePlugin.JpegImageFile.draft = lambda self, mode, size: None
    try:
        encoder = images.Encoder(workers=1)
        t = time.perf_counter()
        _, files = images.make_variants(src, "photo", work / "cache", encoder)
        encoder.finish()
        seconds = time.perf_counter() - t
    finally:
        JpegImagePlugin.JpegImageFile.draft = real
    return seconds, sum(p.stat().st_size for p in files.values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--output", type=Path, default=None)
    args = ap.parse_args()
    data = photo()
    runs: dict[str, list[float]] = {"reduced": [], "full": []}
    sizes = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.repeat):
            for kind in (("reduced", "full") if n % 2 == 0 else ("full", "reduced")):
                seconds, size = variants_seconds(data, Path(tmp) / f"{kind}-{n}", kind == "full")
                runs[kind].append(seconds)
                sizes[kind] = size
    med = {k: statistics.median(v) for k, v in runs.items()}
    out = {"photo": "4000x3000 JPEG", "photo_bytes": len(data), "repeat": args.repeat,
           "reduced_s": round(med["reduced"], 4), "full_s": round(med["full"], 4),
           "reduced_vs_full": round(med["reduced"] / med["full"], 3),
           "variant_bytes": sizes}
    print(f"variants of a {len(data) // 1024} KB 4000×3000 photo (median of {args.repeat}): "
          f"reduced decode {med['reduced']:.3f} s, full decode {med['full']:.3f} s "
          f"= {out['reduced_vs_full']:.2f}x; variant bytes {sizes['reduced']:,} vs "
          f"{sizes['full']:,}")
    if args.output:
        args.output.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
