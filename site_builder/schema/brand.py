"""The one declaration of the brand record and of the settings file."""

from __future__ import annotations

from .fields import (
    Amount,
    Choice,
    Date,
    Image,
    ListOf,
    Number,
    Obj,
    SourceRef,
    Suggested,
    Text,
    schedule_fields,
)
from .video import Video

SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
_PLAIN = r'[^<>&"]*'
_PLAIN_HINT = '不含 < > & " 的文字（中文引号“”可以用）'
_TERM = r"[^\s/\\?#%]+"
_TERM_HINT = "不含空格和 / \\ ? # % 的词语"
_PHONE = r"(0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?|[48]00-?[0-9]{3}-?[0-9]{4}|12345|1[0-9]{4})"
_PHONE_HINT = "公开的座机或服务热线，例如 020-12345678、400-123-4567、12345"
# Written without `\"`: the same pattern text must hold in Python and in the JSON Schemas, whose
# ECMAScript patterns (Unicode mode, as Ajv compiles them) refuse needless escapes.
_URL = "https?://[^\\s<>\"']+"
_EMAIL = "[^@\\s<>\"']+@[^@\\s<>\"']+\\.[A-Za-z]{2,}"
# A file inside the project for the site's own logo and icon (no SVG: it may carry script).
_ASSET = r"(?!/)(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_./-]*\.(png|jpg|jpeg|webp|PNG|JPG|JPEG|WEBP)"
# Where a cropped cover keeps its subject: a word an editor says, or "x% y%" from the top left.
FOCUS_WORDS = {"中": "50% 50%", "上": "50% 0%", "下": "50% 100%", "左": "0% 50%", "右": "100% 50%",
               "左上": "0% 0%", "右上": "100% 0%", "左下": "0% 100%", "右下": "100% 100%"}
_PERCENT = r"(100|[1-9]?[0-9])%"
_FOCUS = "|".join(FOCUS_WORDS) + rf"|{_PERCENT} {_PERCENT}"
_FOCUS_HINT = "上、下、左、右、左上、右上、左下、右下、中，或“横向% 纵向%”（0% 到 100%，例如 `50% 30%`）"


def focus_position(focus: str | None) -> str:
    """The CSS object-position of a cover's `focus` ("" when centred or not given)."""
    position = FOCUS_WORDS.get(focus or "中", focus or "")
    return "" if position == "50% 50%" else position


def focus_centering(focus: str | None) -> tuple[float, float]:
    """A cover's `focus` as Pillow's crop centring (0 to 1 from the left and the top), for the
    pictures drawn at build time (share image, poster) that crop it as the page does."""
    x, y = FOCUS_WORDS.get(focus or "中", focus or "50% 50%").split()
    return float(x.rstrip("%")) / 100, float(y.rstrip("%")) / 100


_ASSET_HINT = "项目中的 PNG、JPEG 或 WebP 图片的相对路径，例如 `assets/logo.png`"
# Filing numbers as the authorities print them: the province's one-character abbreviation first.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_ICP = rf"[{_PROVINCES}]ICP[备证]\d{{6,10}}号(-\d{{1,3}})?"
_POLICE = rf"[{_PROVINCES}]公网安备 ?\d{{14}}号"
_SITE_CODE = r"[0-9A-Za-z]{10}"

STATUSES = ["草稿", "已发布", "已撤下"]
CONSENT_FORMS = ["书面授权", "电子授权", "录音录像授权"]
# What editors write when there is no consent: never accepted as evidence (B019).
CONSENT_PLACEHOLDERS = ("无", "没有", "未", "暂无", "待", "否", "不同意", "不详", "空", "tbd", "todo",
                        "n/a", "na", "none", "null", "-", "—", "？", "?", "xxx", "略")
PUBLISHED = "已发布"
# What kind of publisher a source is. A person may be shown without a consent record only when
# an official publisher names them in that role (PERSON's `source`); everyone else needs consent.
SOURCE_KINDS = ["政府部门", "官方媒体", "其他媒体", "企业或机构", "其他"]
OFFICIAL_SOURCE_KINDS = ("政府部门", "官方媒体")
# Whether a source's address is the publisher's own page or a copy found elsewhere.
URL_KINDS = ["原文", "转载"]
REPRINT = "转载"

SOURCE = Obj("资料来源", "一条公开资料：媒体或机构、标题、日期和网址", fields={
    "id": Text("编号", "本档案内唯一，供关键数据引用", required=True, pattern=SLUG_PATTERN,
               pattern_hint="小写字母、数字和连字符，例如 `ribao-2019`", example="ribao-2019"),
    "outlet": Text("媒体或机构", "发布资料的媒体或机构", required=True, max_len=60,
                   example="某某日报"),
    "title": Text("标题", "报道或文件的标题", max_len=120),
    "date": Date("发布日期", "资料的发布日期", precision="partial", example="2019-09-17"),
    "url": Text("网址", "资料所在的网址", pattern=_URL, pattern_hint="以 http:// 或 https:// 开头的网址",
                example="https://www.example.gov.cn/news/1.html"),
    "url_kind": Choice("网址类型", "“原文”：网址是发布媒体或机构自己网站上的页面；“转载”：网址是其他网站的"
                       "转载或镜像，这条资料算作未核实，档案发布前要换成原文网址或删去网址",
                       vocab="url_kinds", example="原文"),
    "kind": Choice("来源类别", "“政府部门”指政府及其部门的文件和网站；“官方媒体”指新华社、人民日报、中央广播电视总台、"
                   "中国新闻社等中央媒体和各级党报、广播电视台；典型人物引用这两类资料时可以不附本人授权",
                   vocab="source_kinds", example="官方媒体"),
})

FIGURE = Obj("关键数据", "一个有来源的数字", fields={
    "label": Suggested("名称", "这个数字说的是什么", required=True, max_len=30, vocab="figure_labels",
                       example="从业人数"),
    "value": Amount("数值", "精确的数写阿拉伯数字；报道只给约数、范围时照报道写（约、近、超过、以上、余、万+、1–2万），"
                    "网站照原样显示，统计时不相加", required=True, example="1200"),
    "unit": Suggested("单位", "数值的单位", required=True, max_len=10, vocab="figure_units",
                      example="人"),
    "as_of": Date("统计时间", "这个数字对应的时间；报道没有写明时写 `日期不详`（网站显示“统计时间未注明”，"
                  "统计时不相加）；不填时以所引资料的发布日期代替",
                  precision="partial", unknown="日期不详", example="2023-12"),
    "source": SourceRef("来源编号", "对应 sources 中某条资料的 id", required=True,
                        pattern=SLUG_PATTERN, pattern_hint="sources 中的 id", example="ribao-2019"),
    "scope": Text("统计范围", "数字覆盖的范围，例如“全省”“全国27个省份”“某某工坊”；显示在数字旁，统计时范围不同的不相加",
                  max_len=40),
    "note": Text("说明", "口径说明", max_len=120),
})

CONSENT = Obj("公开授权", "本人同意公开其信息的凭据；只用于核对，不会出现在网站和开放数据中。"
              "政府部门或官方媒体以这一身份公开点名的人物（source 引用 kind 为“政府部门”“官方媒体”的资料）可以不写",
              form_hint="写成 `consent: {form: 书面授权, date: 2024-03-01, reference: 授权材料的档案编号}`；"
                        "没有本人授权的人物，只有政府部门或官方媒体以这一身份公开点名时才能写进档案。", fields={
    "form": Choice("授权方式", required=True, vocab="consent_forms", example="书面授权"),
    "date": Date("授权日期", required=True, example="2024-03-01"),
    "reference": Text("档案编号", "主办单位保存授权材料的编号", required=True, max_len=40,
                      example="SQ-2024-001"),
}, example="{form: 书面授权, date: 2024-03-01, reference: SQ-2024-001}")

HONOUR = Obj("荣誉", "本站以外授予的荣誉或认定，例如国家级、省级劳务品牌名单", fields={
    "title": Text("荣誉名称", required=True, max_len=80, example="全国劳务品牌"),
    "conferred_by": Text("授予单位", required=True, max_len=80, example="人力资源社会保障部"),
    "year": Date("年份", "授予的年份；报道没有写明时写 `不详`，不要推断", required=True, precision="month",
                 unknown="不详", example="2022"),
    "level": Choice("对应层级", "这项荣誉证明的品牌层级（settings.yml 中“外部认定”的层级）",
                    vocab="levels"),
    "source": SourceRef("来源编号", "对应 sources 中某条资料的 id", required=True,
                        pattern=SLUG_PATTERN, pattern_hint="sources 中的 id", example="ribao-2019"),
})

PERSON_ID = r"[a-z][a-z0-9]*(-[a-z0-9]+)*"
VIDEOS = ListOf("视频", "本站自己播放的视频（MP4，带中文字幕），不引用其他网站的播放器",
                item=Video("视频", "一个视频：文件、标题、中文字幕和封面画面"))

PERSON = Obj("典型人物", "品牌的典型人物，角色见 settings.yml 的 person_roles", fields={
    "name": Text("姓名", required=True, max_len=30, example="李某某"),
    "id": Text("人物编号", "本档案内唯一；人物页面的网址 people/品牌网址名/人物编号/，动态用“品牌网址名/人物编号”"
               "链接到这位人物；不填时网址用人物在列表中的序号", pattern=PERSON_ID,
               pattern_hint="小写字母开头，只用小写字母、数字和连字符，例如 `li-shifu`", example="li-shifu"),
    "role": Choice("角色", "人物在品牌中的角色", required=True, vocab="person_roles",
                   example="传承人"),
    "title": Text("头衔", "职务或荣誉，例如“高级技师”", max_len=60),
    "bio": Text("简介", "人物简介", max_len=500, multiline=True),
    "photo": Image("照片", "人物照片"),
    "videos": VIDEOS,
    "source": SourceRef("来源编号", "人物信息所依据的资料，对应 sources 中某条资料的 id；没有本人授权时，"
                        "必须是政府部门或官方媒体以这一身份点名此人的资料",
                        pattern=SLUG_PATTERN, pattern_hint="sources 中的 id"),
    "consent": CONSENT,
})

VENUE = Obj("文化体验场所", "品牌的场所，类型见 settings.yml 的 venue_types", fields={
    "name": Text("名称", required=True, max_len=60, example="某某非遗工坊"),
    "type": Choice("类型", required=True, vocab="venue_types", example="非遗工坊"),
    "district": Choice("所在{area}", required=True, vocab="districts"),
    "address": Text("地址", "对外公开的地址", max_len=120),
    "lat": Number("纬度", "坐标纬度（GCJ-02）", minimum=-90, maximum=90, decimals=7),
    "lng": Number("经度", "坐标经度（GCJ-02）", minimum=-180, maximum=180, decimals=7),
    "hours": Text("开放时间", "例如“周二至周日 09:00–17:00”", max_len=80),
    "phone": Text("公开电话", "场所对外公开的电话", pattern=_PHONE, pattern_hint=_PHONE_HINT),
    "description": Text("介绍", max_len=500, multiline=True),
    "source": SourceRef("来源编号", "对应 sources 中某条资料的 id", pattern=SLUG_PATTERN,
                        pattern_hint="sources 中的 id"),
    "photo": Image("照片", "场所的照片"),
    "videos": VIDEOS,
})

ENTERPRISE = Obj("企业", "品牌的企业，类别见 settings.yml 的 enterprise_kinds", fields={
    "name": Text("企业名称", required=True, max_len=80),
    "kind": Choice("类别", vocab="enterprise_kinds"),
    "note": Text("说明", max_len=200),
    "source": SourceRef("来源编号", "对应 sources 中某条资料的 id", pattern=SLUG_PATTERN,
                        pattern_hint="sources 中的 id"),
})

TRADEMARK = Obj("商标", "注册商标", fields={
    "name": Text("商标名称", required=True, max_len=60),
    "number": Text("注册号", pattern=r"[0-9A-Za-z]{4,20}", pattern_hint="4 到 20 位字母或数字"),
    "class": Text("类别", "尼斯分类，例如“第 45 类”", max_len=30),
})

BRAND = Obj("品牌档案", "一个劳务品牌的档案", fields={
    "slug": Text("网址名", "档案文件名（不含 .md），也是网址的一部分", required=True,
                 pattern=SLUG_PATTERN, pattern_hint="小写字母、数字和连字符（通常是拼音），例如 `shili-jiazheng`",
                 example="shili-jiazheng"),
    "name": Text("品牌名称", required=True, max_len=40, example="示例家政"),
    "name_en": Text("英文名称", max_len=80),
    "aliases": ListOf("别名", "报道中的其他叫法，例如“化隆牛肉面”之于“青海拉面”；显示在品牌页，可搜索",
                      item=Text("别名", max_len=40), unique=True),
    "summary": Text("一句话简介", "显示在名录卡片和搜索结果中", required=True, max_len=120,
                    example="基层家政服务站点网络"),
    "status": Choice("发布状态", "只有“已发布”的档案会出现在网站上", required=True,
                     vocab="statuses", example="已发布"),
    **schedule_fields("本品牌"),
    "category": Choice("品牌类型", required=True, vocab="categories", example="高品质服务型"),
    "secondary_category": Choice("第二品牌类型", "品牌同时属于另一类时填写；品牌也会出现在这一类中",
                                 vocab="categories"),
    "level": Choice("品牌层级", vocab="levels"),
    "stage": Choice("发展阶段", vocab="stages"),
    "industry": Text("行业领域", max_len=30),
    "programs": ListOf("所属工程", item=Choice("所属工程", vocab="programs"), unique=True),
    "districts": ListOf("所在{area}", item=Choice("所在{area}", vocab="districts"), required=True,
                        min_items=1, unique=True),
    "place": Text("具体地点", "所在{area}以下的市、县、区、镇，照报道写，例如“示例市示例县”“石碁镇”；"
                  "显示在品牌页、名录和开放数据中", max_len=40, pattern=_PLAIN, pattern_hint=_PLAIN_HINT,
                  example="示例市示例县"),
    "areas_note": Text("分布说明", "品牌还分布在 districts 列表以外的地方时，用一句话说明，例如“全国27个省份”；"
                       "显示在所在地旁边，不是可筛选的地区", max_len=60),
    "cooperation_regions": ListOf("协作地区", item=Choice("协作地区", vocab="cooperation_regions"),
                                  unique=True),
    "established": Date("创立时间", precision="month"),
    "figures": ListOf("关键数据", item=FIGURE),
    "policy": Obj("一品一策", "本品牌的发展规划、建设思路和工作重点", fields={
        "plan": Text("发展规划", max_len=1000, multiline=True),
        "approach": Text("建设思路", max_len=1000, multiline=True),
        "priorities": ListOf("工作重点", item=Text("工作重点", max_len=200)),
    }),
    "people": ListOf("典型人物", item=PERSON),
    "venues": ListOf("文化体验场所", item=VENUE),
    "enterprises": ListOf("龙头企业和诚信企业", item=ENTERPRISE),
    "trademarks": ListOf("商标", item=TRADEMARK),
    "honours": ListOf("荣誉", "本站以外授予的荣誉；本站评选的结果由评选档案自动显示", item=HONOUR),
    "contact": Obj("联系方式", "对外公开的联系方式", fields={
        "organization": Text("联系单位", max_len=80),
        "phone": Text("公开电话", pattern=_PHONE, pattern_hint=_PHONE_HINT),
        "email": Text("电子邮箱", pattern=_EMAIL, pattern_hint="电子邮箱地址"),
        "url": Text("网址", pattern=_URL, pattern_hint="以 http:// 或 https:// 开头的网址"),
    }),
    "media": Obj("图片", "标志、封面和图集", fields={
        "logo": Image("标志"),
        "cover": Image("封面", extra={"focus": Text(
            "封面焦点", "封面在卡片和品牌页顶部被裁成横幅时保留哪一部分：上、下、左、右、左上、右上、"
            "左下、右下或中（默认），也可以写“横向% 纵向%”，例如 `50% 30%`（从左、从上量起）",
            pattern=_FOCUS, pattern_hint=_FOCUS_HINT, example="上")}),
        "gallery": ListOf("图集", item=Image("图集图片")),
    }),
    "videos": VIDEOS,
    "sources": ListOf("资料来源", item=SOURCE),
    "updated": Date("最近审核", "最近一次核对本档案的日期", required=True, example="2026-11-27"),
    "editor_note": Text("编辑备注", "只给编辑看的说明（待核实的事项、下一步计划等），不会出现在网站、"
                        "搜索和开放数据的任何地方", max_len=1000, multiline=True),
})


def is_official_source(source: dict | None) -> bool:
    """Whether a source (a `sources` entry) is a government body's or an official outlet's."""
    return bool(source) and source.get("kind") in OFFICIAL_SOURCE_KINDS


def person_is_public(person: dict, sources: list[dict]) -> bool:
    """Whether a validated person may be shown: with a consent record, or named in that role
    by a government body or an official outlet (the source they cite)."""
    if person.get("consent"):
        return True
    ref = person.get("source")
    return ref is not None and is_official_source(next((s for s in sources if s["id"] == ref), None))
