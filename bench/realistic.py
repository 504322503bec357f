"""Realistic, obviously fictional brand records and selection rounds for the benchmarks.

Every field kind of the record schema (site_builder/schema/brand.py) is used: 2–6 people with
roles, consent and (for some) photos, 1–4 venues with coordinates, phones and descriptions,
2–5 figures with sources and notes, programs, districts, cooperation regions, a policy,
enterprises, trademarks, contact, media (logo, cover, gallery) for a share of the brands, and
stories of 300–1,500 Chinese characters with headings, bulleted and numbered lists, a table,
links, emphasis, colons and the `<` and `&` characters real text has. About 85 % are published.
Selection rounds name published brands; brands placed in a final round's top tier carry that
level, as the rules want.

Everything is named 示例·…; images are generated with Pillow (small JPEG and PNG files).
"""

from __future__ import annotations

import io
import json
import random
from decimal import Decimal
from pathlib import Path

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "甲乙丙丁戊己庚辛壬癸"
WORDS = ["家政", "月嫂", "厨师", "技工", "工匠", "绣娘", "茶艺", "点心", "护理", "电商", "农技",
         "木作", "陶艺", "制衣", "汽修", "焊工", "花艺", "烘焙", "导游", "保安"]
PLACES = ["青溪", "白鹭", "明湖", "松涛", "云岭", "石岗", "桂林", "荔湾", "沙湾", "莲塘", "竹园", "梅岭"]
OUTLETS = ["示例日报", "示例晚报", "示例电视台", "示例人社局", "示例新闻网", "示例商报", "示例广播电台"]
UNITS = ["人", "人次", "万人次", "家", "个", "万元", "亿元"]
TITLES = ["高级技师", "技师", "非遗代表性传承人", "首席技能专家", "高级工", "行业协会副会长", "培训学校校长"]
HONOUR_WORDS = ["技能大赛金奖", "五一劳动奖章", "技术能手", "优秀传承人", "巾帼建功标兵"]

# Story material: varied Chinese prose, so the segmenters (jieba, Pagefind) do real work.
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
    "师傅们常说：手艺是练出来的，口碑是做出来的。",
    "培训课程分为理论、实操和跟岗三个阶段，每个阶段都有考核。",
    "企业与学校签订订单式培养协议，学生毕业即上岗。",
    "服务站把招聘信息、培训报名和政策咨询集中在一个窗口办理。",
    "从业人员中女性占六成以上，不少人从家庭主妇成长为技术骨干。",
    "行业协会每季度发布一次服务价格参考，减少了供需双方的纠纷。",
]
LIST_ITEMS = [
    "免费参加初级工培训，合格后领取证书", "推荐到合作企业上岗，试用期工资不低于当地标准",
    "每年组织一次技能比武", "为返乡人员提供创业指导和小额贷款对接", "建立从业人员信用档案",
    "开设夜校班，方便在职人员学习", "统一服装、统一标识、统一服务流程", "定期回访用户，收集改进意见",
]
ASIDES = [  # real text: colons, `<`, `&`, times, percentages
    "注意：报名截止时间为每月 25 日 17:00，逾期顺延到下月。",
    "据统计，学员平均培训周期 < 30 天，结业考核通过率超过 90%。",
    "项目采用“学校 & 企业 & 服务站”三方共建模式，简称“校企站”。",
    "合作方包括示例职业技术学院 & 示例家庭服务业协会（均为虚构）。",
    "服务时间：周一至周五 08:30–17:30；节假日另行通知。",
    "收费标准：基础服务 < 50 元/小时，专业服务按项目报价。",
]
HEADINGS = ["## 发展历程", "## 技能培训", "## 就业带动", "## 品牌建设", "## 社会评价", "### 下一步计划"]

PUBLISHED_SHARE = 0.85
MEDIA_SHARE = 0.3  # brands with a logo, cover and gallery
PHOTO_SHARE = 0.3  # people with a photo


def _num(value: Decimal | float) -> str:
    """A number as the schema wants it: no trailing zeros, no leading zeros."""
    s = format(Decimal(str(value)).normalize(), "f")
    return s


def _q(text: str) -> str:
    """A YAML scalar in double quotes (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def story(rng: random.Random, slug: str, word: str, place: str) -> str:
    """300–1,500 characters of Markdown with headings, lists, a table, links, colons, < and &."""
    target = rng.randint(300, 1500)
    heads = rng.sample(HEADINGS[:5], 3) + [HEADINGS[5]]
    blocks: list[str] = [f"{place}{word}是一个虚构的示例品牌。" + rng.choice(SENTENCES)]
    total = len(blocks[0])
    section = 0
    extras = ["ul", "table", "ol", "aside", "link"]
    rng.shuffle(extras)
    while total < target:
        if section < len(heads) and (len(blocks) - 1) % 3 == 0:
            blocks.append(heads[section])
            section += 1
        kind = extras.pop() if extras and rng.random() < 0.5 else "para"
        if kind == "ul":
            items = rng.sample(LIST_ITEMS, rng.randint(3, 5))
            text = "\n".join(f"- {x}" for x in items)
        elif kind == "ol":
            items = rng.sample(LIST_ITEMS, rng.randint(2, 4))
            text = "\n".join(f"{k + 1}. {x}" for k, x in enumerate(items))
        elif kind == "table":
            rows = [f"| {y} | {rng.randint(50, 3000)} | {rng.randint(20, 2000)} |"
                    for y in range(2021, 2021 + rng.randint(2, 4))]
            text = "| 年份 | 培训人次 | 带动就业（人） |\n|---|---:|---:|\n" + "\n".join(rows)
        elif kind == "aside":
            text = rng.choice(ASIDES)
        elif kind == "link":
            n = rng.randint(1, 99999)
            text = (f"更多情况见[示例日报的报道](https://www.example.com/news/{n}.html)和"
                    f"**{place}{word}服务中心**的[公开介绍](https://www.example.org/{slug}/about)。")
        else:
            text = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 5)))
            if rng.random() < 0.3:
                text += rng.choice(ASIDES)
        blocks.append(text)
        total += len(text)
    for kind in extras:  # every story has each kind at least once
        if kind == "ul":
            blocks.append("\n".join(f"- {x}" for x in rng.sample(LIST_ITEMS, 3)))
        elif kind == "ol":
            blocks.append("\n".join(f"{k + 1}. {x}" for k, x in enumerate(rng.sample(LIST_ITEMS, 2))))
        elif kind == "table":
            blocks.append("| 年份 | 培训人次 |\n|---|---:|\n| 2024 | 320 |\n| 2025 | 410 |")
        elif kind == "aside":
            blocks.append(rng.choice(ASIDES))
        else:
            blocks.append(f"详见[示例新闻网](https://www.example.com/s/{slug}.html)。")
    return "\n\n".join(blocks) + "\n"


def _picture(rng: random.Random, size: tuple[int, int], fmt: str) -> bytes:
    """A small generated picture (a gradient with a few shapes) as JPEG or PNG bytes."""
    from PIL import Image, ImageDraw

    w, h = size
    c1 = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
    c2 = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
    grad = Image.linear_gradient("L").resize((w, h))
    im = Image.composite(Image.new("RGB", (w, h), c1), Image.new("RGB", (w, h), c2), grad)
    d = ImageDraw.Draw(im)
    for _ in range(4):
        x0, y0 = rng.randint(0, w - 2), rng.randint(0, h - 2)
        x1, y1 = rng.randint(x0 + 1, w), rng.randint(y0 + 1, h)
        d.ellipse((x0, y0, x1, y1), fill=(rng.randint(0, 255), rng.randint(0, 255), 128))
    buf = io.BytesIO()
    if fmt == "PNG":
        im.save(buf, "PNG", optimize=False)
    else:
        im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def plan_rounds(n: int, seed: int = 7) -> tuple[set[int], list[dict]]:
    """Which brands are published, and the selection rounds naming them (by brand index).

    Three rounds: a final 2023 round conferring the top level, a final 2024 round, and a 2025
    round in public notice on the benchmark's build date (2025-11-27)."""
    rng = random.Random(seed * 1000 + 1)
    published = {i for i in range(n) if rng.random() < PUBLISHED_SHARE} or {0}
    pool = sorted(published)
    rounds = []
    specs = [("2023-shiji", 2023, "final"), ("2024-shiji", 2024, "final"), ("2025-shiji", 2025, "notice")]
    for rid, year, phase in specs:
        k = min(len(pool), max(3, min(60, n // 20)))
        entries = rng.sample(pool, k)
        rounds.append({"id": rid, "year": year, "phase": phase, "entries": entries,
                       "top": max(1, min(10, k // 3)), "second": max(1, min(20, k // 3))})
    return published, rounds


def top_awarded(rounds: list[dict]) -> set[int]:
    """Brands a final round placed in the top tier (the entries are ranked in order)."""
    out: set[int] = set()
    for r in rounds:
        if r["phase"] == "final":
            out.update(r["entries"][: r["top"]])
    return out


def make_record(i: int, rng: random.Random, vocab: dict[str, list[str]], published: bool = True,
                top: bool = False, media: bool | None = None, image=None
                ) -> tuple[str, str, dict[str, bytes]]:
    """One realistic, valid, fictional record: (slug, file text, images by path in its folder).

    `image(rng, (w, h), "JPEG" | "PNG")` makes the image bytes (default: a generated picture of
    that size); the validation benchmark passes a cheaper one, since it reads headers only."""
    _image = image or _picture
    slug = f"shili-pinpai-{i:05d}"
    word, place = rng.choice(WORDS), rng.choice(PLACES)
    name = f"示例·{place}{word}{i:05d}"
    n_sources = rng.randint(1, 4)
    sids = [f"src-{i}-{k}" for k in range(n_sources)]
    images: dict[str, bytes] = {}
    if media is None:
        media = rng.random() < MEDIA_SHARE
    levels = vocab["levels"]
    if top:
        level = levels[0]
    else:
        level = rng.choice([*levels[1:], None])
    status = "已发布" if published else rng.choice(["草稿", "草稿", "已撤下"])
    L = [
        "---",
        "# 虚构的示例档案（基准测试生成）",
        f"slug: {slug}",
        f"name: {name}",
        f"name_en: Example {word} Brand {i}",
        f"summary: 虚构的示例品牌：{rng.choice(vocab['districts'])}的{word}从业人员队伍，提供培训、就业和上门服务。",
        f"status: {status}",
        f"category: {rng.choice(vocab['categories'])}",
    ]
    if level:
        L.append(f"level: {level}")
    L += [
        f"stage: {rng.choice(vocab['stages'])}",
        f"industry: {word}服务",
        f"programs: [{', '.join(rng.sample(vocab['programs'], rng.randint(1, 2)))}]",
        f"districts: [{', '.join(rng.sample(vocab['districts'], rng.randint(1, 3)))}]",
        f"cooperation_regions: [{', '.join(rng.sample(vocab['cooperation_regions'], rng.randint(1, 2)))}]",
        f"established: {rng.randint(1990, 2023)}-{rng.randint(1, 12):02d}",
        "figures:",
    ]
    for k in range(rng.randint(2, 5)):
        value = rng.choice([rng.randint(1, 50000), Decimal(rng.randint(11, 5009)) / 10])
        L += [
            f"  - label: {rng.choice(vocab.get('figure_labels') or ['从业人数'])}",
            f"    value: {_num(value)}",
            f"    unit: {rng.choice(UNITS)}",
            f"    as_of: {rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}",
            f"    source: {rng.choice(sids)}",
        ]
        if k == 0:
            L.append(f"    note: 统计口径：{place}{word}服务站登记在册人员")
    L += [
        "policy:",
        "  plan: |",
        f"    到 2027 年建成覆盖全区的{word}服务站点网络，",
        "    每年开展职业技能培训不少于 500 人次。",
        f"  approach: 以{word}龙头企业为依托，校企合作培养人才；政府搭台、企业唱戏。",
        "  priorities:",
        *[f"    - {p}" for p in rng.sample(["职业技能培训", "诚信评价体系", "品牌宣传推广",
                                           "标准制定", "劳务协作", "创业扶持"], 3)],
        "people:",
    ]
    for k in range(rng.randint(2, 6)):
        pname = rng.choice(SURNAMES) + "某" + GIVEN[k]
        L += [
            f"  - name: {pname}",
            f"    role: {rng.choice(vocab['person_roles'])}",
            f"    title: {rng.choice(TITLES)}",
            "    bio: |",
            f"      虚构人物。从事{word}工作{rng.randint(5, 30)}年，带出学徒{rng.randint(10, 200)}人，",
            f"      曾获{rng.choice(HONOUR_WORDS)}（虚构）。",
        ]
        if rng.random() < PHOTO_SHARE:
            f = f"person-{k}.jpg"
            images[f] = _image(rng, (240, 320), "JPEG")
            L.append(f"    photo: {{path: {f}, alt: {pname}的工作照}}")
        L.append(f"    consent: {{form: 书面授权, date: 2024-0{k % 9 + 1}-15, reference: SQ-{i}-{k}}}")
    L.append("venues:")
    for k in range(rng.randint(1, 4)):
        L += [
            f"  - name: 示例{place}{word}{['工坊', '体验馆', '服务站', '培训基地'][k]}{i}",
            f"    type: {rng.choice(vocab['venue_types'])}",
            f"    district: {rng.choice(vocab['districts'])}",
            f"    address: 虚构路 {rng.randint(1, 999)} 号{rng.randint(1, 9)}楼",
            f"    lat: 23.{rng.randint(100, 999)}{rng.randint(1, 9)}",
            f"    lng: 113.{rng.randint(100, 999)}{rng.randint(1, 9)}",
            "    hours: \"周二至周日 09:00–17:00\"",
            f"    phone: 020-{rng.randint(20000000, 89999999)}",
            f"    description: 虚构场所，提供{word}体验课程和技能培训，可预约参观。",
            f"    source: {sids[0]}",
        ]
    L.append("enterprises:")
    for k in range(rng.randint(1, 3)):
        L += [f"  - name: 示例{place}{word}有限公司{i}-{k}",
              f"    kind: {rng.choice(vocab['enterprise_kinds'])}",
              f"    note: 虚构企业，吸纳从业人员 {rng.randint(20, 900)} 人",
              f"    source: {rng.choice(sids)}"]
    if rng.random() < 0.5:
        L += ["trademarks:", f"  - name: {place}{word}", f"    number: {rng.randint(10000000, 99999999)}",
              f"    class: 第 {rng.randint(1, 45)} 类"]
    L += [
        "contact:",
        f"  organization: 示例{place}{word}行业协会",
        f"  phone: 020-{rng.randint(20000000, 89999999)}",
        "  email: info@example.com",
        f"  url: https://www.example.org/{slug}/",
    ]
    if media:
        images["logo.png"] = _image(rng, (200, 200), "PNG")
        images["cover.jpg"] = _image(rng, (800, 450), "JPEG")
        gallery = [f"gallery-{k}.jpg" for k in range(rng.randint(1, 3))]
        for g in gallery:
            images[g] = _image(rng, (480, 360), "JPEG")
        L += ["media:", f"  logo: {{path: logo.png, alt: {name}标志}}",
              f"  cover: {{path: cover.jpg, alt: {name}服务站外景}}", "  gallery:"]
        L += [f"    - {{path: {g}, alt: {name}培训现场{k + 1}}}" for k, g in enumerate(gallery)]
    L.append("sources:")
    for sid in sids:
        L += [
            f"  - id: {sid}",
            f"    outlet: {rng.choice(OUTLETS)}",
            f"    title: {_q(f'虚构报道：{place}{word}带动就业第 {rng.randint(1, 999)} 期')}",
            f"    date: {rng.randint(2018, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"    url: https://www.example.com/news/{rng.randint(1, 99999)}.html",
        ]
    L += [f"updated: 2025-{rng.randint(1, 11):02d}-{rng.randint(1, 26):02d}", "---"]
    return slug, "\n".join(L) + "\n" + story(rng, slug, word, place), images


def round_text(r: dict, slugs: list[str], levels: list[str]) -> str:
    """A selection round file: the entries are given falling scores, so they rank in order."""
    year = r["year"]
    if r["phase"] == "final":
        tl = (f"{year}-03-01", f"{year}-04-30", f"{year}-05-20", f"{year}-06-02", f"{year}-06-08",
              f"{year}-06-16")
    else:  # in public notice on 2025-11-27
        tl = (f"{year}-07-01", f"{year}-09-30", f"{year}-11-10", "2025-11-20", "2025-11-30",
              "2025-12-08")
    L = ["---", f"title: {year}年度示例市市级劳务品牌征集评选（虚构）", f"year: {year}",
         "organiser: 示例市人力资源和社会保障局（虚构）", f"level: {levels[0]}", "status: 已发布",
         "timeline:"]
    L += [f"  {k}: {v}" for k, v in zip(("applications_open", "applications_close", "review",
                                           "notice_start", "notice_end", "published"), tl)]
    L += ["criteria:",
          "  - {key: employment, name: 带动就业规模, weight: 40, max: 10, description: 从业人数和带动就业人数。}",
          "  - {key: skills, name: 技能产品特色, weight: 35, max: 10}",
          "  - {key: reputation, name: 市场知名度, weight: 25, max: 10}",
          "method: trimmed_mean", "experts:"]
    L += [f"  - {{id: e{k}, name: 专家{GIVEN[k]}, affiliation: 示例大学（虚构）}}" for k in range(1, 6)]
    L += ["publish_expert_names: 否", "tiers:",
          f"  - {{name: {levels[0]}, count: {r['top']}, min_total: 60}}",
          f"  - {{name: {levels[1]}, count: {r['second']}, min_total: 50}}",
          "tie_break: [employment, skills]",
          "objection:", "  contact: 示例市人力资源和社会保障局（虚构）", "  email: objection@example.org",
          "entries:"]
    offsets = [-20, 20, 0, -10, 10]  # hundredths: the trimmed mean of each criterion is its base
    for k, idx in enumerate(r["entries"]):
        base = 960 - 4 * k  # 9.60, 9.56, …: strictly falling totals
        L += [f"  - brand: {slugs[idx]}", "    scores:"]
        for e, off in enumerate(offsets, 1):
            v = _num(Decimal(base + off) / 100)
            L.append(f"      e{e}: {{employment: {v}, skills: {v}, reputation: {v}}}")
    L += ["---", "虚构的示例评选，用于基准测试。", ""]
    return "\n".join(L)


def write_project(dest: Path, n: int, vocab: dict[str, list[str]], seed: int = 7) -> dict:
    """Write `n` records (and their images) into dest/brands and the rounds into
    dest/evaluations. Returns counts."""
    published, rounds = plan_rounds(n, seed)
    top = top_awarded(rounds)
    rng = random.Random(seed)
    brands = dest / "brands"
    brands.mkdir(parents=True, exist_ok=True)
    slugs = []
    n_images = image_bytes = 0
    for i in range(n):
        slug, text, images = make_record(i, rng, vocab, published=i in published, top=i in top)
        slugs.append(slug)
        (brands / f"{slug}.md").write_text(text, encoding="utf-8")
        if images:
            (brands / slug).mkdir(exist_ok=True)
            for name, data in images.items():
                (brands / slug / name).write_bytes(data)
                n_images += 1
                image_bytes += len(data)
    ev = dest / "evaluations"
    ev.mkdir(exist_ok=True)
    for r in rounds:
        (ev / f"{r['id']}.md").write_text(round_text(r, slugs, vocab["levels"]), encoding="utf-8")
    return {"records": n, "published": len(published), "rounds": len(rounds),
            "images": n_images, "image_bytes": image_bytes}
