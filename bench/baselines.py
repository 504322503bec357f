"""The baselines a user would pick instead of site-builder, over the same published content.

(a) plain MkDocs + Material with Chinese search (jieba): every brand page written as Markdown
    (facts, story, figures table, policy, people, venues, enterprises, trademarks, contact,
    images, sources), plus hand-written people and venues listing pages;
(b) Hugo (Debian's package) with a minimal site: one page bundle per brand (JSON front matter
    holding the record, the story as the Markdown body, the images beside it), a small layout
    rendering the same fields, taxonomies for category, district, program and cooperation
    region, people and venues listing pages; then Pagefind over Hugo's output.
(c) the same Hugo site making the same image variants as site-builder with Hugo's own image
    processing (`make_hugo_baseline(..., variants=True)`): every image at the widths of
    320/640/1280 px below its own and its own width up to 1,280, WebP at quality 80, and the
    original format at the middle width (quality 82) as the <img>'s fallback, Lanczos resampling;
    then Pagefind. The fair baseline for a clean build's image work.

(a) and (b) do not resize images.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

from site_builder.model import BRANDS_DIR


def _plain(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _images(b) -> list[str]:
    d = b.data
    media = d.get("media", {})
    out = [media[k]["path"] for k in ("logo", "cover") if k in media]
    out += [g["path"] for g in media.get("gallery", [])]
    out += [p["photo"]["path"] for p in d.get("people", []) if "photo" in p]
    return out


# ---------------------------------------------------------------------------------------------
# (a) MkDocs + Material + jieba
# ---------------------------------------------------------------------------------------------


def brand_markdown(b) -> str:
    """A brand page written directly as Markdown: what an editor would write by hand for plain
    MkDocs (the same facts, story, people, venues and sources as the generated page)."""
    d = b.data
    img = lambda i, stem=b.slug: f"![{i['alt']}]({stem}/{i['path']})"
    out = [f"# {b.name}", "", d["summary"], ""]
    media = d.get("media", {})
    for key in ("cover", "logo"):
        if key in media:
            out += [img(media[key]), ""]
    out += [f"- 品牌类型：{d['category']}", f"- 所在区：{'、'.join(d['districts'])}"]
    for key, label in (("name_en", "英文名称"), ("level", "品牌层级"), ("stage", "发展阶段"),
                       ("industry", "行业领域"), ("established", "创立时间")):
        if d.get(key):
            out.append(f"- {label}：{d[key]}")
    for key, label in (("programs", "所属工程"), ("cooperation_regions", "协作地区")):
        if d.get(key):
            out.append(f"- {label}：{'、'.join(d[key])}")
    out += ["", "## 品牌故事", "", b.body.strip(), ""]
    if d.get("figures"):
        out += ["## 关键数据", "", "| 指标 | 数值 | 统计时间 | 来源 |", "|---|---|---|---|"]
        out += [f"| {f['label']}{'（' + f['note'] + '）' if f.get('note') else ''} | "
                f"{_plain(f['value'])} {f['unit']} | {f['as_of']} | {f['source']} |"
                for f in d["figures"]]
        out.append("")
    if d.get("policy"):
        pol = d["policy"]
        out += ["## 一品一策", "", "### 发展规划", "", pol.get("plan", ""), "", "### 建设思路", "",
                pol.get("approach", ""), "", "### 工作重点", ""]
        out += [f"1. {x}" for x in pol.get("priorities", [])] + [""]
    if d.get("people"):
        out += ["## 典型人物", ""]
        for p in d["people"]:
            out += [f"### {p['name']}（{p['role']}）", ""]
            if "photo" in p:
                out += [img(p["photo"]), ""]
            out += [p.get("title", ""), "", p.get("bio", ""), ""]
    if d.get("venues"):
        out += ["## 文化体验场所", ""]
        for v in d["venues"]:
            out += [f"### {v['name']}", "", f"- 类型：{v['type']}", f"- 所在区：{v['district']}",
                    f"- 地址：{v.get('address', '')}", f"- 开放时间：{v.get('hours', '')}",
                    f"- 电话：{v.get('phone', '')}",
                    f"- 地图：<https://uri.amap.com/marker?position={_plain(v.get('lng'))},{_plain(v.get('lat'))}>",
                    "", v.get("description", ""), ""]
    if d.get("enterprises"):
        out += ["## 龙头企业和诚信企业", ""]
        out += [f"- {e['name']}（{e.get('kind', '')}）：{e.get('note', '')}" for e in d["enterprises"]]
        out.append("")
    if d.get("trademarks"):
        out += ["## 商标", ""]
        out += [f"- {t['name']}，注册号 {t.get('number', '')}，{t.get('class', '')}"
                for t in d["trademarks"]]
        out.append("")
    if d.get("contact"):
        c = d["contact"]
        out += ["## 联系方式", "", f"- 联系单位：{c.get('organization', '')}",
                f"- 电话：{c.get('phone', '')}", f"- 电子邮箱：<{c['email']}>" if c.get("email") else "",
                f"- 网址：<{c['url']}>" if c.get("url") else "", ""]
    if media.get("gallery"):
        out += ["## 图集", ""] + [img(g) + "\n" for g in media["gallery"]]
    if d.get("sources"):
        out += ["## 资料来源", ""]
        out += [f"1. {s['outlet']}，{s.get('title', '')}，{s.get('date', '')}，<{s['url']}>"
                if s.get("url") else f"1. {s['outlet']}" for s in d["sources"]]
    out += ["", f"最近审核：{d['updated']}", ""]
    return "\n".join(out)


def make_mkdocs_baseline(project, dest: Path) -> int:
    """The same brand pages as plain Markdown for plain MkDocs + Material with Chinese search.
    `project` is a loaded site_builder Project. Returns the number of brand pages."""
    docs = dest / "docs"
    (docs / "brands").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n品牌名录的基线站点。\n", encoding="utf-8")
    people = ["# 典型人物", "", "| 姓名 | 角色 | 头衔 | 品牌 |", "|---|---|---|---|"]
    venues = ["# 文化体验", "", "| 名称 | 类型 | 所在区 | 地址 | 品牌 |", "|---|---|---|---|---|"]
    count = 0
    src_root = project.root / BRANDS_DIR
    for b in sorted(project.published, key=lambda b: b.slug):
        (docs / "brands" / f"{b.slug}.md").write_text(brand_markdown(b), encoding="utf-8")
        imgs = _images(b)
        if imgs:
            (docs / "brands" / b.slug).mkdir()
            for i in imgs:
                shutil.copy2(src_root / b.slug / i, docs / "brands" / b.slug / i)
        for p in b.get("people", []):
            people.append(f"| {p['name']} | {p['role']} | {p.get('title', '')} | [{b.name}](brands/{b.slug}.md) |")
        for v in b.get("venues", []):
            venues.append(f"| {v['name']} | {v['type']} | {v['district']} | {v.get('address', '')} | "
                          f"[{b.name}](brands/{b.slug}.md) |")
        count += 1
    (docs / "people.md").write_text("\n".join(people) + "\n", encoding="utf-8")
    (docs / "venues.md").write_text("\n".join(venues) + "\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        "site_name: 基线\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      lang: zh\n"
        "nav:\n  - 首页: index.md\n  - 典型人物: people.md\n  - 文化体验: venues.md\n"
        "validation:\n  nav:\n    omitted_files: ignore\n"
        "markdown_extensions:\n  - tables\n  - toc\n", encoding="utf-8")
    return count


# ---------------------------------------------------------------------------------------------
# (b) Hugo + Pagefind
# ---------------------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "/"
languageCode = "zh-cn"
defaultContentLanguage = "zh"
hasCJKLanguage = true
title = "基线（Hugo）"
relativeURLs = true
[taxonomies]
  category = "categories"
  district = "districts"
  program = "programs"
  region = "regions"
[markup.goldmark.renderer]
  unsafe = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} - {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="stylesheet" href="/pagefind/pagefind-ui.css"></head>
<body>
<nav><a href="/">首页</a> <a href="/brands/">品牌名录</a> <a href="/people/">典型人物</a>
<a href="/venues/">文化体验</a> <a href="/categories/">品牌类型</a> <a href="/districts/">所在区</a>
<a href="/search/">搜索</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
""",
    "_default/single.html": """\
{{ define "main" }}{{ $p := .Params }}{{ $page := . }}
<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p>{{ $p.summary }}</p>
{{ with $p.media }}{{ with .cover }}{{ with $page.Resources.GetMatch .path }}<img src="{{ .RelPermalink }}" alt="{{ $p.media.cover.alt }}">{{ end }}{{ end }}{{ with .logo }}{{ with $page.Resources.GetMatch .path }}<img src="{{ .RelPermalink }}" alt="{{ $p.media.logo.alt }}">{{ end }}{{ end }}{{ end }}
<dl>
{{ with $p.name_en }}<dt>英文名称</dt><dd lang="en">{{ . }}</dd>{{ end }}
<dt>品牌类型</dt><dd>{{ range $p.categories }}<a href="{{ printf "/categories/%s/" (urlize .) }}">{{ . }}</a>{{ end }}</dd>
{{ with $p.level }}<dt>品牌层级</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.stage }}<dt>发展阶段</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.industry }}<dt>行业领域</dt><dd>{{ . }}</dd>{{ end }}
<dt>所在区</dt><dd>{{ range $i, $v := $p.districts }}{{ if $i }}、{{ end }}<a href="{{ printf "/districts/%s/" (urlize $v) }}">{{ $v }}</a>{{ end }}</dd>
{{ with $p.programs }}<dt>所属工程</dt><dd>{{ delimit . "、" }}</dd>{{ end }}
{{ with $p.regions }}<dt>协作地区</dt><dd>{{ delimit . "、" }}</dd>{{ end }}
{{ with $p.established }}<dt>创立时间</dt><dd>{{ . }}</dd>{{ end }}
</dl>
<h2>品牌故事</h2>
{{ .Content }}
{{ with $p.figures }}<h2>关键数据</h2>
<table><thead><tr><th>指标</th><th>数值</th><th>统计时间</th><th>来源</th></tr></thead><tbody>
{{ range . }}<tr><td>{{ .label }}{{ with .note }}（{{ . }}）{{ end }}</td><td>{{ .value }} {{ .unit }}</td><td>{{ .as_of }}</td><td><a href="#src-{{ .source }}">{{ .source }}</a></td></tr>
{{ end }}</tbody></table>{{ end }}
{{ with $p.policy }}<h2>一品一策</h2>
{{ with .plan }}<h3>发展规划</h3><p>{{ . }}</p>{{ end }}
{{ with .approach }}<h3>建设思路</h3><p>{{ . }}</p>{{ end }}
{{ with .priorities }}<h3>工作重点</h3><ol>{{ range . }}<li>{{ . }}</li>{{ end }}</ol>{{ end }}{{ end }}
{{ with $p.people }}<h2>典型人物</h2>
{{ range . }}<section><h3>{{ .name }} <span>{{ .role }}</span></h3>
{{ with .photo }}{{ $alt := .alt }}{{ with $page.Resources.GetMatch .path }}<img src="{{ .RelPermalink }}" alt="{{ $alt }}">{{ end }}{{ end }}
{{ with .title }}<p>{{ . }}</p>{{ end }}{{ with .bio }}<p>{{ . }}</p>{{ end }}</section>
{{ end }}{{ end }}
{{ with $p.venues }}<h2>文化体验场所</h2>
{{ range . }}<section><h3>{{ .name }}</h3><dl><dt>类型</dt><dd>{{ .type }}</dd><dt>所在区</dt><dd>{{ .district }}</dd>
{{ with .address }}<dt>地址</dt><dd>{{ . }}</dd>{{ end }}{{ with .hours }}<dt>开放时间</dt><dd>{{ . }}</dd>{{ end }}
{{ with .phone }}<dt>电话</dt><dd>{{ . }}</dd>{{ end }}
{{ if and .lat .lng }}<dt>地图</dt><dd><a href="https://uri.amap.com/marker?position={{ .lng }},{{ .lat }}&name={{ .name }}" rel="noopener">在地图应用中打开</a></dd>{{ end }}</dl>
{{ with .description }}<p>{{ . }}</p>{{ end }}</section>
{{ end }}{{ end }}
{{ with $p.enterprises }}<h2>龙头企业和诚信企业</h2><ul>{{ range . }}<li>{{ .name }}{{ with .kind }}（{{ . }}）{{ end }}{{ with .note }}：{{ . }}{{ end }}</li>{{ end }}</ul>{{ end }}
{{ with $p.trademarks }}<h2>商标</h2><ul>{{ range . }}<li>{{ .name }}{{ with .number }}，注册号 {{ . }}{{ end }}{{ with .class }}，{{ . }}{{ end }}</li>{{ end }}</ul>{{ end }}
{{ with $p.contact }}<h2>联系方式</h2><dl>{{ with .organization }}<dt>联系单位</dt><dd>{{ . }}</dd>{{ end }}{{ with .phone }}<dt>电话</dt><dd>{{ . }}</dd>{{ end }}{{ with .email }}<dt>电子邮箱</dt><dd><a href="mailto:{{ . }}">{{ . }}</a></dd>{{ end }}{{ with .url }}<dt>网址</dt><dd><a href="{{ . }}" rel="noopener">{{ . }}</a></dd>{{ end }}</dl>{{ end }}
{{ with $p.media }}{{ with .gallery }}<h2>图集</h2>{{ range . }}{{ $alt := .alt }}{{ with $page.Resources.GetMatch .path }}<img src="{{ .RelPermalink }}" alt="{{ $alt }}" loading="lazy">{{ end }}{{ end }}{{ end }}{{ end }}
{{ with $p.sources }}<h2>资料来源</h2><ol>{{ range . }}<li id="src-{{ .id }}">{{ .outlet }}{{ with .title }}，{{ . }}{{ end }}{{ with .date }}，{{ . }}{{ end }}{{ with .url }}，<a href="{{ . }}" rel="noopener">{{ . }}</a>{{ end }}</li>{{ end }}</ol>{{ end }}
<p>最近审核：{{ $p.updated }}</p>
</article>
{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1><p>共 {{ len .Pages }} 个。</p>
<ul>{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>：{{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/terms.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}）</li>{{ end }}</ul>{{ end }}
""",
    "index.html": """\
{{ define "main" }}<h1>{{ site.Title }}</h1>{{ $b := where site.RegularPages "Section" "brands" }}
<p>已收录 {{ len $b }} 个劳务品牌。</p>
<ul>{{ range first 6 ($b.ByParam "updated").Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>：{{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
""",
    "people/list.html": """\
{{ define "main" }}<h1>典型人物</h1>
{{ range where site.RegularPages "Section" "brands" }}{{ $b := . }}{{ range .Params.people }}
<section><h3>{{ .name }}</h3><p>{{ .role }}{{ with .title }}，{{ . }}{{ end }}</p><p>所属品牌：<a href="{{ $b.RelPermalink }}">{{ $b.Title }}</a></p>{{ with .bio }}<p>{{ . }}</p>{{ end }}</section>
{{ end }}{{ end }}{{ end }}
""",
    "venues/list.html": """\
{{ define "main" }}<h1>文化体验</h1>
{{ range where site.RegularPages "Section" "brands" }}{{ $b := . }}{{ range .Params.venues }}
<section><h3>{{ .name }}</h3><dl><dt>所属品牌</dt><dd><a href="{{ $b.RelPermalink }}">{{ $b.Title }}</a></dd><dt>类型</dt><dd>{{ .type }}</dd><dt>所在区</dt><dd>{{ .district }}</dd>{{ with .address }}<dt>地址</dt><dd>{{ . }}</dd>{{ end }}{{ with .hours }}<dt>开放时间</dt><dd>{{ . }}</dd>{{ end }}{{ with .phone }}<dt>电话</dt><dd>{{ . }}</dd>{{ end }}</dl>{{ with .description }}<p>{{ . }}</p>{{ end }}</section>
{{ end }}{{ end }}{{ end }}
""",
    "search/list.html": """\
{{ define "main" }}<h1>搜索</h1><div id="search"></div>
<script src="/pagefind/pagefind-ui.js"></script>
<script>window.addEventListener('DOMContentLoaded', () => new PagefindUI({ element: "#search" }));</script>{{ end }}
""",
}


# (c): site-builder's variants (render/images.py `make_variants`) made by Hugo.
HUGO_PICTURE = """\
{{ $img := .img }}{{ $w := $img.Width }}{{ $ws := slice }}\
{{ range slice 320 640 1280 }}{{ if lt . $w }}{{ $ws = $ws | append . }}{{ end }}{{ end }}\
{{ $ws = $ws | append (cond (lt $w 1280) $w 1280) | uniq }}\
{{ $fb := index $ws 0 }}{{ range $ws }}{{ if le . 640 }}{{ $fb = . }}{{ end }}{{ end }}\
{{ $f := $img.Resize (printf "%dx q82 Lanczos" $fb) }}\
<picture><source type="image/webp" srcset="{{ range $i, $x := $ws }}{{ if $i }}, {{ end }}\
{{ ($img.Resize (printf "%dx webp q80 Lanczos" $x)).RelPermalink }} {{ $x }}w{{ end }}">\
<img src="{{ $f.RelPermalink }}" width="{{ $f.Width }}" height="{{ $f.Height }}" alt="{{ .alt }}" \
loading="lazy"></picture>"""
_HUGO_IMG = re.compile(r'<img src="\{\{ \.RelPermalink \}\}" alt="\{\{ ([^}]+?) \}\}"(?: loading="lazy")?>')


def _with_variants(layout: str) -> str:
    return _HUGO_IMG.sub(lambda m: '{{ partial "picture.html" (dict "img" . "alt" '
                         + m.group(1) + ") }}", layout)


def make_hugo_baseline(project, dest: Path, variants: bool = False) -> int:
    """A minimal Hugo site over the same published records; with `variants`, every image
    resized as site-builder does (c). Returns the number of brand pages."""
    (dest / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = dict(HUGO_LAYOUTS)
    if variants:
        layouts = {rel: _with_variants(text) for rel, text in layouts.items()}
        assert layouts != HUGO_LAYOUTS
        layouts["partials/picture.html"] = HUGO_PICTURE
    for rel, text in layouts.items():
        f = dest / "layouts" / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    content = dest / "content"
    for section, title in (("brands", "品牌名录"), ("people", "典型人物"), ("venues", "文化体验"),
                           ("search", "搜索")):
        (content / section).mkdir(parents=True)
        (content / section / "_index.md").write_text(
            json.dumps({"title": title}, ensure_ascii=False) + "\n", encoding="utf-8")
    src_root = project.root / BRANDS_DIR
    count = 0
    for b in project.published:
        d = _plain(b.data)
        fm = {k: v for k, v in d.items() if k not in ("category", "cooperation_regions", "slug")}
        fm |= {"title": b.name, "categories": [d["category"]],
               "regions": d.get("cooperation_regions", []), "url": f"/brands/{b.slug}/"}
        bundle = content / "brands" / b.slug
        bundle.mkdir()
        (bundle / "index.md").write_text(json.dumps(fm, ensure_ascii=False, indent=1) + "\n\n"
                                         + b.body, encoding="utf-8")
        for i in _images(b):
            shutil.copy2(src_root / b.slug / i, bundle / i)
        count += 1
    return count
