"""Draw the demo project's fictional images: logos, covers, galleries, people, venues, a story image.

Every image is drawn here with Pillow (gradients, shapes and one Chinese character), so nothing
is copied from anywhere and every picture is obviously an illustration ("示意图"). The files are
committed; run again after changing this script:

    .venv/bin/python demo/make_images.py

Needs a font with Chinese characters (Debian: fonts-noto-cjk), found as the build finds it.
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from site_builder.render.share_image import find_cjk_font  # noqa: E402

# slug → (glyph, main colour, light colour, motif)
BRANDS = {
    "shili-yunling-chayi": ("茶", (34, 110, 64), (196, 228, 180), "hills"),
    "shili-minghu-chushi": ("厨", (178, 74, 28), (250, 214, 170), "steam"),
    "shili-qingxi-jiazheng": ("家", (22, 92, 150), (190, 220, 245), "home"),
    "shili-shigang-yuesao": ("月", (170, 60, 100), (248, 206, 222), "moon"),
    "shili-songtao-jigong": ("技", (52, 70, 92), (196, 208, 222), "gears"),
    "shili-xiezuo-zhijia": ("协", (96, 60, 150), (220, 206, 245), "bridge"),
    "shili-yunling-zhubian": ("竹", (70, 120, 30), (220, 236, 178), "bamboo"),
    "shili-bailu-dianshang": ("商", (0, 118, 122), (180, 232, 230), "parcels"),
}
PEOPLE = {  # slug → file names of its people's photos, in record order
    "shili-yunling-chayi": ["lin.jpg"], "shili-minghu-chushi": ["wu.jpg"],
    "shili-shigang-yuesao": ["zheng.jpg"], "shili-songtao-jigong": ["zhou.jpg"],
    "shili-yunling-zhubian": ["feng.jpg"],
}
VENUES = {"shili-yunling-chayi", "shili-qingxi-jiazheng", "shili-songtao-jigong",
          "shili-xiezuo-zhijia", "shili-yunling-zhubian"}
GALLERY = {"shili-yunling-chayi", "shili-yunling-zhubian", "shili-minghu-chushi"}
STORY = {"shili-yunling-chayi"}


def font(size: int) -> ImageFont.FreeTypeFont:
    found = find_cjk_font()
    if found is None:
        raise SystemExit("找不到中文字体：请安装 fonts-noto-cjk")
    return ImageFont.truetype(found[0], size, index=found[1])


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def gradient(size, top, bottom) -> Image.Image:
    w, h = size
    im = Image.new("RGB", size)
    d = ImageDraw.Draw(im)
    for y in range(h):
        d.line([(0, y), (w, y)], fill=mix(top, bottom, y / max(1, h - 1)))
    return im


def label(im: Image.Image, text: str = "示意图") -> None:
    d = ImageDraw.Draw(im, "RGBA")
    f = font(max(14, im.width // 40))
    tw = d.textlength(text, font=f)
    pad = f.size // 2
    x, y = im.width - tw - 3 * pad, im.height - f.size - 3 * pad
    d.rounded_rectangle((x, y, x + tw + 2 * pad, y + f.size + 2 * pad), radius=pad,
                        fill=(0, 0, 0, 110))
    d.text((x + pad, y + pad * 0.7), text, font=f, fill=(255, 255, 255, 235))


def motif(d: ImageDraw.ImageDraw, kind: str, w: int, h: int, main, light, rnd) -> None:
    """Simple shapes that hint at the trade; drawn over the landscape."""
    dark = mix(main, (0, 0, 0), .25)
    if kind == "hills":
        for row in range(5):
            y = h * .62 + row * h * .075
            for i in range(14):
                x = (i + (row % 2) * .5) * w / 12
                d.ellipse((x - w * .045, y - h * .03, x + w * .045, y + h * .03), fill=mix(main, light, .1 * row))
    elif kind == "steam":
        d.ellipse((w * .3, h * .55, w * .7, h * .8), fill=dark)
        d.rectangle((w * .28, h * .6, w * .72, h * .66), fill=mix(dark, (0, 0, 0), .3))
        for i in range(3):
            x = w * (.4 + .1 * i)
            pts = [(x + math.sin(t / 3) * w * .02, h * .5 - t * h * .02) for t in range(14)]
            d.line(pts, fill=(255, 255, 255), width=max(3, w // 160))
    elif kind == "home":
        for i in range(4):
            x = w * (.12 + .22 * i)
            bh = h * (.22 + .06 * (i % 2))
            d.rectangle((x, h * .8 - bh, x + w * .16, h * .8), fill=mix(main, light, .15 * i))
            d.polygon([(x - w * .02, h * .8 - bh), (x + w * .08, h * .8 - bh - h * .1),
                       (x + w * .18, h * .8 - bh)], fill=dark)
            d.rectangle((x + w * .06, h * .8 - h * .08, x + w * .1, h * .8), fill=light)
    elif kind == "moon":
        d.ellipse((w * .62, h * .12, w * .8, h * .12 + w * .18), fill=(255, 246, 220))
        d.ellipse((w * .66, h * .1, w * .84, h * .1 + w * .18), fill=mix(main, light, .55))
        for i in range(40):
            x, y = rnd.random() * w, rnd.random() * h * .5
            d.ellipse((x, y, x + 3, y + 3), fill=(255, 255, 255))
    elif kind == "gears":
        for cx, cy, r in ((.3, .62, .13), (.52, .7, .09), (.7, .6, .12)):
            cx, cy, r = cx * w, cy * h, r * w
            for k in range(12):
                a = k * math.pi / 6
                d.rectangle((cx + math.cos(a) * r - r * .12, cy + math.sin(a) * r - r * .12,
                             cx + math.cos(a) * r + r * .12, cy + math.sin(a) * r + r * .12), fill=dark)
            d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=dark)
            d.ellipse((cx - r * .4, cy - r * .4, cx + r * .4, cy + r * .4), fill=light)
    elif kind == "bridge":
        d.arc((w * .1, h * .45, w * .9, h * 1.1), 180, 360, fill=dark, width=max(6, w // 60))
        for i in range(9):
            x = w * (.15 + .0875 * i)
            d.line([(x, h * .62), (x, h * .82)], fill=dark, width=max(3, w // 200))
        d.rectangle((0, h * .8, w, h * .84), fill=dark)
    elif kind == "bamboo":
        for i in range(9):
            x = w * (.08 + .11 * i) + rnd.random() * w * .02
            d.rectangle((x, h * .15, x + w * .025, h), fill=mix(main, light, .1 * (i % 3)))
            for y in range(3, 10):
                d.line([(x - 2, h * y / 10), (x + w * .025 + 2, h * y / 10)], fill=dark, width=3)
            d.polygon([(x + w * .02, h * .3), (x + w * .09, h * .26), (x + w * .03, h * .34)], fill=dark)
    elif kind == "parcels":
        for i in range(6):
            x = w * (.15 + .12 * i)
            y = h * (.62 - .08 * (i % 2))
            s = w * .1
            d.rectangle((x, y, x + s, y + s * .8), fill=mix((196, 150, 96), light, .2 * (i % 2)))
            d.line([(x + s / 2, y), (x + s / 2, y + s * .8)], fill=(140, 100, 60), width=4)


def landscape(size, main, light, kind, seed: int) -> Image.Image:
    rnd = random.Random(seed)
    w, h = size
    im = gradient(size, mix(light, (255, 255, 255), .4), mix(main, light, .35))
    d = ImageDraw.Draw(im)
    for layer in range(3):
        base = h * (.55 + .1 * layer)
        amp, phase = h * (.08 - .02 * layer), rnd.random() * 6
        pts = [(x, base - amp * math.sin(x / w * math.pi * (1.5 + layer) + phase)) for x in range(0, w + 20, 20)]
        d.polygon([(0, h), *pts, (w, h)], fill=mix(main, light, .55 - .2 * layer))
    motif(d, kind, w, h, main, light, rnd)
    return im


def glyph_disc(d: ImageDraw.ImageDraw, cx, cy, r, glyph, fill, ring, ink) -> None:
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
    d.ellipse((cx - r * .86, cy - r * .86, cx + r * .86, cy + r * .86), outline=ring, width=max(2, int(r * .05)))
    f = font(int(r * 1.05))
    d.text((cx, cy), glyph, font=f, fill=ink, anchor="mm")


def logo(glyph, main, light) -> Image.Image:
    im = Image.new("RGBA", (320, 320), (0, 0, 0, 0))
    glyph_disc(ImageDraw.Draw(im), 160, 160, 154, glyph, main, light, (255, 255, 255))
    return im


def cover(slug, glyph, main, light, kind) -> Image.Image:
    im = landscape((1280, 720), main, light, kind, sum(map(ord, slug)))
    d = ImageDraw.Draw(im, "RGBA")
    glyph_disc(d, 1040, 200, 110, glyph, (*main, 230), (255, 255, 255, 200), (255, 255, 255))
    label(im, "示意图（虚构）")
    return im


def person(main, light, seed) -> Image.Image:
    rnd = random.Random(seed)
    im = gradient((480, 600), mix(light, (255, 255, 255), .3), mix(main, light, .5))
    d = ImageDraw.Draw(im)
    skin = mix((236, 200, 170), (180, 130, 100), rnd.random() * .5)
    coat = mix(main, (0, 0, 0), .2)
    d.ellipse((60, 390, 420, 760), fill=coat)                       # shoulders
    d.rectangle((205, 330, 275, 420), fill=skin)                    # neck
    d.ellipse((150, 140, 330, 350), fill=skin)                      # face
    d.chord((140, 110, 340, 300), 180, 360, fill=mix((40, 30, 24), main, .2))  # hair
    d.polygon([(200, 410), (240, 470), (280, 410)], fill=(255, 255, 255))       # collar
    label(im, "示意图")
    return im


def venue(glyph, main, light, kind, seed) -> Image.Image:
    rnd = random.Random(seed)
    w, h = 1200, 675
    im = gradient((w, h), (200, 226, 248), (236, 244, 252))
    d = ImageDraw.Draw(im)
    d.rectangle((0, h * .78, w, h), fill=mix((150, 160, 150), main, .2))
    x0, x1, top = w * .2, w * .8, h * .36
    d.polygon([(x0 - 40, top), (w / 2, h * .14), (x1 + 40, top)], fill=mix(main, (0, 0, 0), .3))
    d.rectangle((x0, top, x1, h * .8), fill=mix(light, (255, 255, 255), .3))
    for row in range(2):
        for col in range(5):
            x = x0 + 40 + col * (x1 - x0 - 80) / 5
            y = top + 40 + row * 110
            d.rectangle((x, y, x + 70, y + 70), fill=mix(main, light, .3 + .1 * rnd.random()))
    d.rectangle((w / 2 - 55, h * .8 - 150, w / 2 + 55, h * .8), fill=mix(main, (0, 0, 0), .2))
    glyph_disc(d, w / 2, top + 8, 38, glyph, main, (255, 255, 255), (255, 255, 255))
    for i in range(6):  # trees
        x = w * (.04 + .17 * i) if i < 3 else w * (.66 + .1 * (i - 3))
        if x0 - 60 < x < x1 + 20:
            continue
        d.rectangle((x + 18, h * .7, x + 30, h * .8), fill=(110, 80, 50))
        d.ellipse((x - 10, h * .56, x + 58, h * .74), fill=mix((60, 140, 70), main, .2))
    label(im, "示意图（虚构场所）")
    return im


def gallery(main, light, kind, seed) -> Image.Image:
    im = landscape((960, 720), mix(main, (0, 0, 0), .1 * (seed % 2)), light, kind, seed)
    label(im, "示意图")
    return im


def save(im: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".png":  # a small palette keeps logos to a few KB
        im.quantize(colors=48, method=Image.Quantize.FASTOCTREE).save(path, "PNG", optimize=True)
    else:
        im.convert("RGB").save(path, "JPEG", quality=72, optimize=True, progressive=True)
    print(f"{path.relative_to(HERE)}: {path.stat().st_size // 1024} KB")


def organiser_logo() -> Image.Image:
    """The fictional organiser's emblem for the header (settings.yml `site.logo`)."""
    im = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.polygon([(128, 8), (240, 52), (226, 170), (128, 248), (30, 170), (16, 52)], fill=(179, 38, 30))
    d.polygon([(128, 28), (220, 64), (208, 162), (128, 226), (48, 162), (36, 64)], fill=(255, 211, 77))
    d.polygon([(128, 40), (208, 72), (197, 156), (128, 212), (59, 156), (48, 72)], fill=(179, 38, 30))
    d.text((128, 126), "示", font=font(110), fill=(255, 255, 255), anchor="mm")
    return im


def main() -> None:
    emblem = organiser_logo()
    save(emblem.resize((128, 128), Image.Resampling.LANCZOS), HERE / "assets" / "logo.png")
    save(emblem.resize((48, 48), Image.Resampling.LANCZOS), HERE / "assets" / "favicon.png")
    for slug, (glyph, main_c, light_c, kind) in BRANDS.items():
        folder = HERE / "brands" / slug
        save(logo(glyph, main_c, light_c), folder / "logo.png")
        save(cover(slug, glyph, main_c, light_c, kind), folder / "cover.jpg")
        for i, name in enumerate(PEOPLE.get(slug, [])):
            save(person(main_c, light_c, i + len(slug)), folder / "people" / name)
        if slug in VENUES:
            save(venue(glyph, main_c, light_c, kind, len(slug)), folder / "venue.jpg")
        if slug in GALLERY:
            for i in (1, 2):
                save(gallery(main_c, light_c, kind, i * 7 + len(slug)), folder / f"gallery-{i}.jpg")
        if slug in STORY:
            save(gallery(main_c, light_c, kind, 99), folder / "story.jpg")


if __name__ == "__main__":
    main()
