"""The one declaration of the brand record and of the settings file."""

from __future__ import annotations

from .spec import (
    Choice,
    Date,
    Image,
    ListOf,
    Number,
    Obj,
    SourceRef,
    Suggested,
    Text,
)

SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
_PLAIN = r'[^<>&"]*'
_PLAIN_HINT = '不含 < > & " 的文字（中文引号“”可以用）'
_TERM = r"[^\s/\\?#%]+"
_TERM_HINT = "不含空格和 / \\ ? # % 的词语"
_PHONE = r"(0\d{2,3}-?\d{7,8}(-\d{1,6})?|[48]00-?\d{3}-?\d{4}|12345|1\d{4})"
_PHONE_HINT = "公开的座机或服务热线，例如 020-12345678、400-123-4567、12345"
_URL = r"https?://[^\s<>\"']+"
_EMAIL = r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}"
# A file inside the project for the site's own logo and icon (no SVG: it may carry script).
_ASSET = r"(?!/)(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_./-]*\.(png|jpg|jpeg|webp|PNG|JPG|JPEG|WEBP)"
_ASSET_HINT = "项目中的 PNG、JPEG 或 WebP 图片的相对路径，例如 `assets/logo.png`"
# Filing numbers as the authorities print them: the province's one-character abbreviation first.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_ICP = rf"[{_PROVINCES}]ICP[备证]\d{{6,10}}号(-\d{{1,3}})?"
_POLICE = rf"[{_PROVINCES}]公网安备 ?\d{{14}}号"
_SITE_CODE = r"[0-9A-Za-z]{10}"

STATUSES = ["草稿", "已发布", "已撤下"]
PUBLISHED = "已发布"

SOURCE = Obj("资料来源", "一条公开资料：媒体或机构、标题、日期和网址", fields={
    "id": Text("编号", "本档案内唯一，供关键数据引用", required=True, pattern=SLUG_PATTERN,
               pattern_hint="小写字母、数字和连字符，例如 `gzrb-2019`", example="gzrb-2019"),
    "outlet": Text("媒体或机构", "发布资料的媒体或机构", required=True, max_len=60,
                   example="广州日报"),
    "title": Text("标题", "报道或文件的标题", max_len=120),
    "date": Date("发布日期", "资料的发布日期", precision="partial", example="2019-09-17"),
    "url": Text("网址", "资料所在的网址", pattern=_URL, pattern_hint="以 http:// 或 https:// 开头的网址",
                example="https://www.example.gov.cn/news/1.html"),
})

FIGURE = Obj("关键数据", "一个有来源的数字", fields={
    "label": Suggested("名称", "这个数字说的是什么", required=True, max_len=30, vocab="figure_labels",
                       example="从业人数"),
    "value": Number("数值", "只写阿拉伯数字", required=True, example="1200"),
    "unit": Suggested("单位", "数值的单位", required=True, max_len=10, vocab="figure_units",
                      example="人"),
    "as_of": Date("统计时间", "这个数字对应的时间", required=True, precision="partial",
                  example="2023-12"),
    "source": SourceRef("来源编号", "对应 sources 中某条资料的 id", required=True,
                        pattern=SLUG_PATTERN, pattern_hint="sources 中的 id", example="gzrb-2019"),
    "note": Text("说明", "口径说明，例如统计范围", max_len=120),
})

PERSON = Obj("典型人物", "品牌的创立人、传承人、领军人、代言人或技能带头人", fields={
    "name": Text("姓名", required=True, max_len=30, example="李某某"),
    "role": Choice("角色", "人物在品牌中的角色", required=True, vocab="person_roles",
                   example="传承人"),
    "title": Text("头衔", "职务或荣誉，例如“高级技师”", max_len=60),
    "bio": Text("简介", "人物简介", max_len=500, multiline=True),
    "photo": Image("照片", "人物照片"),
    "consent": Text("公开授权", "本人同意公开其信息的凭据（如授权书编号和日期），没有则不能发布",
                    required=True, max_len=120, example="2024-03-01 书面授权，档案号 SQ-001"),
})

VENUE = Obj("文化体验场所", "非遗工坊、文化体验馆（街、商圈）、服务站或培训基地", fields={
    "name": Text("名称", required=True, max_len=60, example="某某非遗工坊"),
    "type": Choice("类型", required=True, vocab="venue_types", example="非遗工坊"),
    "district": Choice("所在区", required=True, vocab="districts", example="从化区"),
    "address": Text("地址", "对外公开的地址", max_len=120),
    "lat": Number("纬度", "坐标纬度（GCJ-02）", minimum=-90),
    "lng": Number("经度", "坐标经度（GCJ-02）", minimum=-180),
    "hours": Text("开放时间", "例如“周二至周日 09:00–17:00”", max_len=80),
    "phone": Text("公开电话", "场所对外公开的电话", pattern=_PHONE, pattern_hint=_PHONE_HINT),
    "description": Text("介绍", max_len=500, multiline=True),
    "source": SourceRef("来源编号", "对应 sources 中某条资料的 id", pattern=SLUG_PATTERN,
                        pattern_hint="sources 中的 id"),
    "photo": Image("照片", "场所的照片"),
})

ENTERPRISE = Obj("企业", "品牌的龙头企业或诚信企业", fields={
    "name": Text("企业名称", required=True, max_len=80),
    "kind": Choice("类别", "龙头企业或诚信企业", vocab="enterprise_kinds", example="龙头企业"),
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
                 pattern=SLUG_PATTERN, pattern_hint="小写字母、数字和连字符（通常是拼音），例如 `yangcheng-jiazheng`",
                 example="yangcheng-jiazheng"),
    "name": Text("品牌名称", required=True, max_len=40, example="羊城家政"),
    "name_en": Text("英文名称", max_len=80),
    "summary": Text("一句话简介", "显示在名录卡片和搜索结果中", required=True, max_len=120,
                    example="海珠区基层家政服务站点网络"),
    "status": Choice("发布状态", "只有“已发布”的档案会出现在网站上", required=True,
                     vocab="statuses", example="已发布"),
    "category": Choice("品牌类型", required=True, vocab="categories", example="高品质服务型"),
    "level": Choice("品牌层级", vocab="levels"),
    "stage": Choice("发展阶段", vocab="stages"),
    "industry": Text("行业领域", max_len=30),
    "programs": ListOf("所属工程", item=Choice("所属工程", vocab="programs"), unique=True),
    "districts": ListOf("所在区", item=Choice("所在区", vocab="districts"), required=True,
                        min_items=1, unique=True, example="[海珠区]"),
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
    "contact": Obj("联系方式", "对外公开的联系方式", fields={
        "organization": Text("联系单位", max_len=80),
        "phone": Text("公开电话", pattern=_PHONE, pattern_hint=_PHONE_HINT),
        "email": Text("电子邮箱", pattern=_EMAIL, pattern_hint="电子邮箱地址"),
        "url": Text("网址", pattern=_URL, pattern_hint="以 http:// 或 https:// 开头的网址"),
    }),
    "media": Obj("图片", "标志、封面和图集", fields={
        "logo": Image("标志"),
        "cover": Image("封面"),
        "gallery": ListOf("图集", item=Image("图集图片")),
    }),
    "sources": ListOf("资料来源", item=SOURCE),
    "updated": Date("最近审核", "最近一次核对本档案的日期", required=True, example="2026-11-27"),
    "editor_note": Text("编辑备注", "只给编辑看的说明（待核实的事项、下一步计划等），不会出现在网站、"
                        "搜索和开放数据的任何地方", max_len=1000, multiline=True),
})

SETTINGS = Obj("站点设置", "settings.yml", fields={
    "region": Obj("地区", required=True, fields={
        "name": Text("地区全称", required=True, max_len=20, example="广州市"),
        "short_name": Text("地区简称", required=True, max_len=10, example="广州"),
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
    }),
    "districts": ListOf("所在区", item=Text("区", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1, unique=True),
    "categories": ListOf("品牌类型", item=Text("品牌类型", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1,
                         unique=True),
    "levels": ListOf("品牌层级", item=Text("层级", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1, unique=True),
    "stages": ListOf("发展阶段", item=Text("阶段", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1, unique=True),
    "programs": ListOf("所属工程", item=Text("工程", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, unique=True),
    "cooperation_regions": ListOf("协作地区", item=Text("地区", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), unique=True),
    "person_roles": ListOf("人物角色", item=Text("角色", max_len=20), required=True, min_items=1,
                           unique=True),
    "venue_types": ListOf("场所类型", item=Text("类型", max_len=20), required=True, min_items=1,
                          unique=True),
    "enterprise_kinds": ListOf("企业类别", item=Text("类别", max_len=20), unique=True),
    "figure_labels": ListOf("常用数据名称", item=Text("名称", max_len=30), unique=True),
    "figure_units": ListOf("常用单位", item=Text("单位", max_len=10), unique=True),
    "targets": ListOf("规划目标", item=Obj("目标", fields={
        "level": Text("层级", required=True, max_len=20),
        "count": Number("数量", required=True, integer=True),
        "deadline": Date("截止日期", required=True),
    })),
    "policy": Obj("政策依据", required=True, fields={
        "title": Text("文件名称", required=True, max_len=80),
        "issuer": Text("发文单位", required=True, max_len=80),
        "number": Text("文号", max_len=40),
        "date": Date("印发日期", required=True),
        "url": Text("官方网址", required=True, pattern=_URL, pattern_hint="以 https:// 开头的网址"),
        "points": ListOf("政策要点", "政策解读页逐条显示的要点（用自己的话概括）",
                         item=Text("要点", max_len=300)),
    }),
    "contact": Obj("联系方式", "本站主办单位的公开联系方式，显示在每页页脚和关于页", fields={
        "organization": Text("主办单位", max_len=80),
        "undertaker": Text("承办单位", "负责网站日常运行的单位", max_len=80),
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
    }),
    "map_link": Text("地图链接模板", "含 {lat} {lng} {name} 的地图应用链接", pattern=_URL,
                     pattern_hint="以 https:// 开头、含 {lat} 和 {lng} 的网址"),
})
