"""The one declaration of the settings file (settings.yml)."""

from __future__ import annotations

from ..diagnostics import Code
from .brand import (
    _ASSET,
    _ASSET_HINT,
    _EMAIL,
    _ICP,
    _PHONE,
    _PHONE_HINT,
    _PLAIN,
    _PLAIN_HINT,
    _POLICE,
    _SITE_CODE,
    _TERM,
    _TERM_HINT,
    _URL,
)
from .fields import Choice, Date, ListOf, Number, Obj, Text

# A GeoJSON file inside the project (the map's outline).
_GEOJSON = r"(?!/)(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_./-]*\.(geojson|json)"
_GEOJSON_HINT = "项目中的 GeoJSON 文件的相对路径，例如 `geo/outline.geojson`"

# Who confers a level: this site's own selection rounds, or a body outside the site.
BY_ROUNDS = "本站评选"
BY_OUTSIDE = "外部认定"
CONFERRERS = (BY_ROUNDS, BY_OUTSIDE)
# What the policy's `date` is: the day it was issued, published, or the day of the report that
# names it (a report date is never printed as an issue date).
ISSUED, PUBLISHED_ON, REPORTED = "印发日期", "发布日期", "报道日期"
POLICY_DATES = (ISSUED, PUBLISHED_ON, REPORTED)
# Whether the site runs a section whose fixed text speaks of this region's own work.
RUNS, RUNS_NOT = "是", "否"
AREA_WORDS = ("区", "县", "市", "省", "地区")  # the usual words for `districts` (others allowed)
# The settings file's own fixed choices (its other vocabularies are lists it declares).
SETTINGS_VOCAB = {"conferrers": list(CONFERRERS), "policy_dates": list(POLICY_DATES),
                  "runs": [RUNS, RUNS_NOT]}

# Each regional choice settings.yml must make (never a Guangzhou default): its path, the code a
# missing one is refused with, and the choices the message lists. A path is checked when the
# table holding it is there (a missing `region:` or `policy:` is the schema's S002).
REGIONAL_CHOICES = (
    ("region.area_label", Code.S041, "、".join(AREA_WORDS)),
    ("conferral", Code.S042, "每个层级写 `by: 本站评选` 或 `by: 外部认定`"),
    ("contact", Code.S043, "organization、phone、email、address，没有的写空字符串"),
    ("sections", Code.S044, "rounds 和 brand_policy，各写是或否"),
    ("sections.rounds", Code.S044, f"{RUNS}、{RUNS_NOT}"),
    ("sections.brand_policy", Code.S044, f"{RUNS}、{RUNS_NOT}"),
    ("policy.kind", Code.S045, "实施方案、行动计划、指导意见、通知等"),
    ("policy.date_kind", Code.S046, "、".join(POLICY_DATES)),
)

SETTINGS = Obj("站点设置", "settings.yml", fields={
    "region": Obj("地区", required=True, fields={
        "name": Text("地区全称", required=True, max_len=20, example="示例市"),
        "short_name": Text("地区简称", required=True, max_len=10, example="示例"),
        "area_label": Text("地区单位", "`districts` 中每一项叫什么：区、县、市、省或地区；页面写作“所在…”“按所在…”，例如填“市”就写“所在市”。必须写明，不会默认为“区”",
                           required=True, max_len=4, pattern=_TERM, pattern_hint=_TERM_HINT, example="区"),
    }),
    "site": Obj("站点", required=True, fields={
        "title": Text("站点标题", required=True, max_len=30, pattern=_PLAIN,
                      pattern_hint=_PLAIN_HINT),
        "description": Text("站点简介", required=True, max_len=200, pattern=_PLAIN,
                            pattern_hint=_PLAIN_HINT),
        "url": Text("站点地址", pattern=_URL, pattern_hint="以 https:// 开头的网址"),
        "logo": Text("主办单位标志", "页眉左上角的标志图片，相对于项目根目录的路径；不填时显示自动生成的圆形徽标",
                     pattern=_ASSET, pattern_hint=_ASSET_HINT, example="assets/logo.png"),
        "favicon": Text("网站图标", "浏览器标签上的小图标，相对于项目根目录的路径；不填时用标志",
                        pattern=_ASSET, pattern_hint=_ASSET_HINT, example="assets/favicon.png"),
        "production": Text("正式发布", "写 `true` 表示这是正式对外的网站：缺少站点地址（site.url）、"
                           "主办单位（contact.organization）或公开电话、电子邮箱（contact.phone、contact.email）"
                           "时拒绝生成（错误 S020）；不写或写 `false` 是预览，构建只提示还缺什么",
                           pattern="true|false", pattern_hint="`true` 或 `false`", example="true"),
    }),
    "districts": ListOf("所在{area}", item=Text("{area}", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1, unique=True),
    "categories": ListOf("品牌类型", item=Text("品牌类型", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1,
                         unique=True),
    "levels": ListOf("品牌层级", item=Text("层级", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1, unique=True),
    "conferral": ListOf("层级的认定方式", "每个层级由谁认定：“本站评选”的层级须有本站已公布的评选授予"
                        "（否则警告 B016）；“外部认定”的层级（如国家级、省级名单）须在档案的 honours 中写明"
                        "（否则警告 B017）；没有列出的层级（如“培育中”）不核对。必须写明：不会默认由本站评选授予",
                        required=True, min_items=1,
                        item=Obj("认定方式", fields={
                            "level": Text("层级", required=True, max_len=20),
                            "by": Choice("认定方", required=True, vocab="conferrers", example="本站评选"),
                        })),
    "stages": ListOf("发展阶段", "可以为空列表 `[]`：网站不显示发展阶段", item=Text("阶段", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), unique=True),
    "programs": ListOf("所属工程", "可以为空列表 `[]`：网站不显示“所属工程”的栏目和筛选", item=Text("工程", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), unique=True),
    "cooperation_regions": ListOf("协作地区", item=Text("地区", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), unique=True),
    "person_roles": ListOf("人物角色", item=Text("角色", max_len=20), required=True, min_items=1,
                           unique=True),
    "person_roles_text": Text("人物角色的说明", "典型人物页的一句介绍；不写时列出 person_roles",
                              max_len=120),
    "venue_types": ListOf("场所类型", item=Text("类型", max_len=20), required=True, min_items=1,
                          unique=True),
    "venue_types_text": Text("场所类型的说明", "文化体验页的一句介绍；不写时列出 venue_types",
                             max_len=120),
    "enterprise_kinds": ListOf("企业类别", item=Text("类别", max_len=20), unique=True),
    "figure_labels": ListOf("常用数据名称", item=Text("名称", max_len=30), unique=True),
    "figure_units": ListOf("常用单位", item=Text("单位", max_len=10), unique=True),
    "statistics": Obj("统计规则", "数据统计页怎样汇总关键数据（只声明一次，所有品牌一样）", fields={
        "additive_units": ListOf("可相加的单位", "只有这些单位的精确数字才会跨品牌相加；%、人均、比率等不要列入；不写时为 figure_units 中除 % 以外的单位",
                                 item=Text("单位", max_len=10), unique=True),
        "non_additive_words": ListOf("不相加的名称用词", "名称含有这些词的数字从不相加；不写时为 人均、平均、率、占比、比例、增长、增幅",
                                     item=Text("用词", max_len=10), unique=True),
    }),
    "targets": ListOf("规划目标", item=Obj("目标", fields={
        "level": Text("层级", required=True, max_len=20),
        "count": Number("数量", required=True, integer=True),
        "deadline": Date("截止日期", required=True),
    })),
    "sections": Obj("本站开展的工作", "页面上讲述本地区工作的固定文字只在这里写“是”时显示，必须逐项写明", required=True,
                    fields={
        "rounds": Choice("征集评选", "本站是否组织劳务品牌征集评选：写“是”时征集评选页介绍评选的流程和规则；"
                         "写“否”时不显示这段介绍，层级也不能由“本站评选”认定", required=True,
                         vocab="runs", example=RUNS),
        "brand_policy": Choice("一品一策", "是否为每个品牌制定“一品一策”（发展规划、建设思路、工作重点）："
                               "写“是”时政策解读页介绍品牌页面的一品一策栏目", required=True,
                               vocab="runs", example=RUNS),
    }),
    "policy": Obj("政策依据", required=True, fields={
        "title": Text("文件名称", required=True, max_len=80),
        "kind": Text("文件类别", "页面称呼这份文件的词，例如 实施方案、行动计划、指导意见、通知",
                     required=True, max_len=10, example="实施方案"),
        "selection_quote": Text("评选要求原文", "征集评选页引用的原文短句（须是该文件的原话），不写则不引用",
                                max_len=60),
        "issuer": Text("发文单位", required=True, max_len=80),
        "number": Text("文号", max_len=40),
        "date": Date("日期", "这份文件的一个日期，是哪种日期见 `date_kind`", required=True),
        "date_kind": Choice("日期的含义", "`date` 是文件的印发日期、发布日期，还是只知道报道它的日期；"
                            "写“报道日期”时页面不会说文件在这一天印发", required=True,
                            vocab="policy_dates", example=ISSUED),
        "url": Text("官方网址", required=True, pattern=_URL, pattern_hint="以 https:// 开头的网址"),
        "points": ListOf("政策要点", "政策解读页逐条显示的要点（用自己的话概括）",
                         item=Text("要点", max_len=300)),
    }),
    "contact": Obj("联系方式", "本站主办单位的公开联系方式，显示在每页页脚和关于页；必须写出本项，"
                   "没有确定的信息写空字符串 \"\"：空的不显示，不会用发文单位代替", required=True, fields={
        "undertaker": Text("承办单位", "负责网站日常运行的单位", max_len=80),
        "organization": Text("主办单位", max_len=80),
        "phone": Text("公开电话", pattern=_PHONE, pattern_hint=_PHONE_HINT),
        "email": Text("电子邮箱", pattern=_EMAIL, pattern_hint="电子邮箱地址"),
        "address": Text("地址", max_len=120),
    }),
    "filing": Obj("备案信息", "网站的备案编号，填写后显示在每页页脚；没有的留空", fields={
        "site_code": Text("政府网站标识码", "政府网站的 10 位标识码（由字母和数字组成）",
                          pattern=_SITE_CODE, pattern_hint="10 位字母或数字，例如 `4401000001`",
                          example="4401000001"),
        "icp": Text("ICP 备案号", "工业和信息化部的网站备案号，页脚链接到 beian.miit.gov.cn",
                    pattern=_ICP, pattern_hint="例如 `粤ICP备12345678号` 或 `粤ICP备12345678号-1`",
                    example="粤ICP备12345678号-1"),
        "police": Text("公安机关备案号", "公安机关互联网站备案号，页脚链接到 beian.mps.gov.cn",
                       pattern=_POLICE, pattern_hint="例如 `粤公网安备 44010602000001号`（14 位数字）",
                       example="粤公网安备 44010602000001号"),
        "dzjg_logo": Text("党政机关网站标识", "开办单位取得的“党政机关网站”标识图片，放进项目后写相对路径；"
                          "显示在每页页脚，不从其他网站加载", pattern=_ASSET, pattern_hint=_ASSET_HINT,
                          example="assets/dzjg.png"),
        "dzjg_url": Text("党政机关网站标识的链接", "点击标识打开的核验网址（开办单位取得标识时给出的地址）",
                         pattern=_URL, pattern_hint="以 https:// 开头的网址"),
    }),
    "map_link": Text("地图链接模板", "含 {lat} {lng} {name} 的地图应用链接", pattern=_URL,
                     pattern_hint="以 https:// 开头、含 {lat} 和 {lng} 的网址"),
    "venue_map": Obj("场所地图", "文化体验页的场所地图（本站自己画的示意图，不加载其他网站的地图）", fields={
        "outline": Text("地区轮廓", "项目中的 GeoJSON 文件（区界多边形，properties.name 为区名）；"
                        "不填时地图只按坐标画出场所", pattern=_GEOJSON, pattern_hint=_GEOJSON_HINT,
                        example="geo/outline.geojson"),
    }),
    "editor": Obj("在线编辑", "表单编辑器 /admin/ 保存到的代码仓库；不填则不生成 /admin/", fields={
        "backend": Text("代码托管平台", "github、gitlab 或 forgejo（Gitea 后端不能发起拉取请求）",
                        required=True, pattern="github|gitlab|forgejo",
                        pattern_hint="github、gitlab 或 forgejo", example="github"),
        "repo": Text("仓库", "“所有者/仓库名”，GitLab 可含子组", required=True,
                     pattern=r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+",
                     pattern_hint="所有者/仓库名，例如 `example-org/laowu-site`",
                     example="example-org/laowu-site"),
        "branch": Text("发布分支", "拉取请求合并到的分支，默认 main", pattern=r"[A-Za-z0-9_./-]+",
                       pattern_hint="分支名，例如 `main`"),
        "api_root": Text("接口地址", "自建 GitLab 或 Forgejo 的 API 地址，例如 https://git.example.cn/api/v4",
                         pattern=_URL, pattern_hint="以 https:// 开头的网址"),
        "base_url": Text("登录服务地址", "GitHub：自建 OAuth 授权服务的地址；GitLab、Forgejo：平台地址",
                         pattern=_URL, pattern_hint="以 https:// 开头的网址"),
        "auth_endpoint": Text("登录路径", "登录服务上的授权路径，一般不填", max_len=120),
        "app_id": Text("OAuth 应用 ID", "GitLab、Forgejo 上建立的 OAuth 应用的 ID（Client ID）",
                       max_len=120),
        "local_port": Number("本地编辑端口", "在本机用 decap-server 编辑时的端口，默认 8081",
                             integer=True, minimum=1024),
    }),
})
