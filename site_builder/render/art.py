"""Category artwork: a plain picture per brand category, drawn here as SVG, for a brand card that
has neither a cover nor a logo (instead of a lone character in a circle).

The category names are the settings' own words (any region's), so the motif is chosen by what the
name says (skills, services, culture and tourism, livelihoods, rural trades), and the colour by
the category's place in the settings' list. Decorative: cards show it with an empty alt text.
"""

from __future__ import annotations

ART_DIR = "assets/art"
WIDTH, HEIGHT = 320, 180

# (background, darker band) pairs; white motifs on each keep 4.5:1 (decorative all the same).
PALETTE = [("#0b4a8b", "#083a6e"), ("#1f6f5c", "#165245"), ("#8a3b12", "#6b2d0d"),
           ("#5b3f8c", "#45306b"), ("#2d6a1f", "#214f17"), ("#7a4f00", "#5c3b00")]

_GEAR = ('<g transform="translate(236 92)"><circle r="34" fill="none" stroke="#fff" stroke-width="14" '
         'stroke-dasharray="13 8.4"/><circle r="22" fill="none" stroke="#fff" stroke-width="8"/>'
         '<circle r="7" fill="#fff"/></g>'
         '<path d="M150 150 l40 -40 m-8 -14 a16 16 0 1 0 22 22" fill="none" stroke="#fff" '
         'stroke-width="9" stroke-linecap="round" opacity=".85"/>')
_HOUSE = ('<path d="M178 96 L236 48 L294 96" fill="none" stroke="#fff" stroke-width="9" '
          'stroke-linejoin="round" stroke-linecap="round"/>'
          '<path d="M192 92 V146 H280 V92" fill="none" stroke="#fff" stroke-width="9" stroke-linejoin="round"/>'
          '<path d="M236 136 c-22 -14 -26 -24 -20 -32 c6 -7 16 -5 20 3 c4 -8 14 -10 20 -3 c6 8 2 18 -20 32z" fill="#fff"/>')
_PAVILION = ('<path d="M166 70 Q236 40 306 70 Q290 74 282 84 H190 Q182 74 166 70z" fill="#fff"/>'
             '<rect x="196" y="84" width="80" height="8" fill="#fff" opacity=".85"/>'
             '<path d="M204 92 V146 M268 92 V146" stroke="#fff" stroke-width="8"/>'
             '<rect x="180" y="146" width="112" height="9" rx="2" fill="#fff"/>'
             '<circle cx="236" cy="60" r="5" fill="#fff"/>')
_HANDS = ('<circle cx="206" cy="66" r="16" fill="#fff"/><circle cx="266" cy="66" r="16" fill="#fff"/>'
          '<path d="M178 140 q0 -44 28 -44 q28 0 28 44z M238 140 q0 -44 28 -44 q28 0 28 44z" fill="#fff"/>'
          '<path d="M172 150 H300" stroke="#fff" stroke-width="8" stroke-linecap="round" opacity=".85"/>')
_SPROUT = ('<path d="M236 150 V92" stroke="#fff" stroke-width="8" stroke-linecap="round"/>'
           '<path d="M236 100 C236 70 214 56 184 58 C184 88 206 102 236 100z" fill="#fff"/>'
           '<path d="M236 88 C236 58 262 40 294 44 C294 76 268 92 236 88z" fill="#fff" opacity=".85"/>'
           '<path d="M196 150 H276" stroke="#fff" stroke-width="8" stroke-linecap="round"/>')
_STAR = ('<path d="M236 42 l15 31 34 5 -25 24 6 34 -30 -16 -30 16 6 -34 -25 -24 34 -5z" fill="#fff"/>')

# What a category's name says → its motif (the first that matches; a star otherwise).
MOTIFS = [
    (("技能", "技工", "制造", "工匠", "技术"), _GEAR),
    (("服务", "家政", "护理", "月嫂", "养老"), _HOUSE),
    (("文化", "旅游", "非遗", "餐", "食", "茶"), _PAVILION),
    (("民生", "保障", "就业", "帮扶", "协作"), _HANDS),
    (("农", "乡村", "电商", "种", "养殖"), _SPROUT),
]


def motif(name: str) -> str:
    return next((m for words, m in MOTIFS if any(w in name for w in words)), _STAR)


def category_art(index: int, name: str) -> bytes:
    """The artwork of the category at `index` in the settings' list, named `name`."""
    bg, band = PALETTE[index % len(PALETTE)]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{bg}"/>'
        f'<path d="M0 132 C80 112 150 160 320 120 V180 H0z" fill="{band}"/>'
        '<g fill="none" stroke="#fff" stroke-opacity=".14" stroke-width="2">'
        '<circle cx="40" cy="40" r="26"/><circle cx="40" cy="40" r="46"/><circle cx="40" cy="40" r="66"/>'
        '</g>'
        f"{motif(name)}</svg>").encode()


def art_files(categories: list[str]) -> dict[str, bytes]:
    """Every category's artwork, by site path."""
    return {art_path(i): category_art(i, c) for i, c in enumerate(categories)}


def art_path(index: int) -> str:
    return f"{ART_DIR}/category-{index + 1}.svg"
