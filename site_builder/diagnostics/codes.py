"""The one registry of diagnostic codes: each code's severity, title, explanation, example and fix.

Codes are never renumbered: retire a code instead. The guide's code list is generated from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class CodeInfo:
    """What the editors' guide says of one code, and the fix a message offers by default."""

    title: str
    explain: str
    example: str
    fix: str
    severity: Severity = Severity.ERROR


def _info(title: str, explain: str, example: str, fix: str,
          severity: Severity = Severity.ERROR) -> CodeInfo:
    return CodeInfo(title, explain, example, fix, severity)


class Code(Enum):
    """Every code the builder can emit; `Code.B001.info` holds its guide entry."""


    # Y: reading the file and its YAML front matter
    Y001 = _info("文件不是 UTF-8 编码", "档案必须以 UTF-8 编码保存。",
         "用 GBK 编码保存的 .md 文件", "在编辑器中选择“以 UTF-8 编码保存”。")
    Y002 = _info("文件过大", "单个档案文件超过大小上限，可能误放了图片或大段数据。",
         "2 MB 的 .md 文件", "删去多余内容；图片放在品牌自己的文件夹中并用路径引用。")
    Y003 = _info("缺少开头的 front matter", "档案第一行必须是 `---`，之后是 YAML 字段。",
         "第一行直接写“品牌故事……”", "在文件开头加一行 `---`，写字段，再用一行 `---` 结束。")
    Y004 = _info("front matter 没有结束", "front matter 必须以单独一行 `---` 结束。",
         "字段写完后直接开始正文", "在最后一个字段之后加一行 `---`。")
    Y005 = _info("YAML 语法错误",
         "YAML 无法解析，整个文件的字段都读不出来。常见原因：值里有“冒号+空格”却没加引号、"
         "上一行冒号后缺空格、引号或括号不成对、缩进不齐、值以 `*` `&` `@` 等符号开头、"
         "含有看不见的控制字符。提示指出的行是发现问题的地方，问题有时在它的上一行。",
         "`summary: 提示: 这句话里有冒号`；`name: \"示例品牌`（引号没闭合）；`summary: *重点*`",
         "按提示改正：给整段值加英文引号，补齐引号或括号，冒号后加一个空格，对齐缩进。")
    Y006 = _info("缩进中使用了制表符", "YAML 只允许用空格缩进。",
         "行首是 Tab 字符", "把行首的 Tab 换成两个空格。")
    Y007 = _info("front matter 不是字段表", "front matter 必须是“字段: 值”的形式。",
         "front matter 里只有一个列表 `- a`", "改写为 `name: …` 这样的字段。")
    Y008 = _info("字段重复", "同一层中同一字段写了两次，无法判断以哪个为准。",
         "两行 `name:`", "删去其中一行。")
    Y009 = _info("使用了锚点或别名", "`&锚点` 和 `*别名` 会让内容难以核对，不允许使用。",
         "`districts: *same`", "把内容直接写出来。")
    Y010 = _info("使用了标签", "`!` 或 `!!` 开头的标签会改变值的含义，不允许使用；"
         "值本身以 `!` 开头时请加引号。",
         "`value: !!int 5`、`outlet: !custom 某报`", "去掉 `!` 开头的标签，直接写值。")
    Y011 = _info("嵌套过深", "列表或字段表的嵌套层数超过上限（20 层），档案中不会用到这么深的结构。",
         "`[[[[[…]]]]]`", "按字段参考的结构填写，不要多层嵌套。")
    Y012 = _info("文字中有控制字符或方向控制符",
         "值里有看不见的控制字符（常以 `\\x01`、`\\u0007` 这样的转义写出）或改变文字方向、"
         "零宽的格式字符（如 U+202E、U+200B）。它们会让名称看起来和实际不同、拆开号码躲过检查，"
         "或让页面出错。", "`name: \"示例\\u202e品牌\"`、`summary: \"a\\x01b\"`",
         "删去这个字符：重新输入这段文字，不要从网页或聊天软件中复制。")
    Y013 = _info("正文开头又有一段字段", "front matter 结束后，正文开头又是一行 `---` 和“字段: 值”，"
         "这些行会被当作正文（标题）公开，而不是字段。", "两个 `---` 之后又写了 `---` 和 `level: …`",
         "把这些字段移到第一段 front matter 中，删去多余的 `---`。")
    # B: brand record fields
    B001 = _info("缺少必填字段", "该字段必须填写。", "没有 `name`", "按提示补上该字段。")
    B002 = _info("未知字段", "字段名不在字段参考中，可能拼写错误。",
         "`catagory: 高品质服务型`", "按提示改为正确的字段名，例如 `category`。")
    B003 = _info("类型不符", "该字段需要的是文字、列表或字段表，填写的类型不对。",
         "`districts: 甲区`（应为列表）", "按字段参考改写，例如 `districts: [甲区]`。")
    B004 = _info("取值不在可选范围", "该字段只能取 settings.yml 中列出的值。",
         "`districts: [甲]`（应为“甲区”）", "改为可选值之一，例如 `甲区`。")
    B005 = _info("文字过长或格式不符", "文字超过长度上限，或不符合要求的格式。",
         "120 字以上的 summary；`slug: Yang_Cheng`", "按提示缩短或改写。")
    B006 = _info("数字格式不对", "数字字段只能写阿拉伯数字，可带小数点，不要写单位或多余的 0。",
         "`value: 1,200人`、`value: 1.10`、`value: 007`", "写成 `value: 1200`，单位写在 `unit`。")
    B007 = _info("日期不对", "日期必须是真实存在的日期，格式为 YYYY-MM-DD（部分字段允许 YYYY 或 YYYY-MM）。",
         "`updated: 2024-02-30`", "改为真实日期，例如 `2024-02-29`。")
    B008 = _info("文件名与 slug 不一致", "档案文件名必须是 `<slug>.md`。",
         "文件 `shili.md` 中 `slug: shili-jiazheng`", "把文件改名，或改 slug，使二者一致。")
    B009 = _info("名称或 slug 重复", "两个档案使用了同一个品牌名称或 slug。",
         "两个档案都叫“示例家政”", "合并档案，或改用不同的名称。")
    B010 = _info("图片不存在", "引用的图片在品牌文件夹中找不到。",
         "`path: logo.png` 但 `brands/<slug>/logo.png` 不存在", "把图片放入 `brands/<slug>/`，并检查文件名大小写。")
    B011 = _info("图片路径越界", "图片只能放在品牌自己的文件夹 `brands/<slug>/` 中。",
         "`path: ../other/logo.png`", "把图片复制到本品牌的文件夹，写相对路径。")
    B012 = _info("来源编号找不到", "关键数据的 `source` 必须对应 `sources` 中某条资料的 `id`。",
         "`source: rb2023` 但 sources 中没有这个 id", "在 `sources` 中补上这条资料，或改正编号。")
    B013 = _info("编号重复", "同一档案中的资料来源 id 重复。", "两条 `id: xinhua`", "给每条资料一个不同的 id。")
    B014 = _info("缺少替代文字", "每张图片都要写 `alt`，为读屏用户描述图片内容。",
         "`logo: {path: logo.png}`", "补上 `alt: 示例家政标志`。")
    B015 = _info("列表项数不对", "列表至少要有规定的项数，或有重复项。",
         "`districts: []`", "至少填写一项，并删去重复项。")
    B016 = _info("层级与评选结果不符", "档案写的层级由本站的征集评选授予（settings.yml 的 "
         "`conferral` 中写为“本站评选”），但没有已公布的评选授予它。",
         "`level: 市级劳务品牌`", "核对评选结果；尚未评定的删去 level 或写其他层级。",
                 Severity.WARNING)
    B017 = _info("层级没有荣誉佐证", "档案写的层级由本站以外的部门认定（settings.yml 的 `conferral` "
         "中写为“外部认定”），档案的 `honours` 中却没有一项写明授予这个层级的荣誉。",
         "`level: 国家级劳务品牌`，但 honours 为空",
         "在 `honours` 中补上这项荣誉（名称、授予单位、年份、来源），并写 `level: 国家级劳务品牌`。",
                 Severity.WARNING)
    B018 = _info("关键数据没有时间", "关键数据要有统计时间 `as_of`；报道没有写明时间时，可以不写 "
         "as_of，以所引资料的发布日期代替，但这条资料必须写了 `date`。",
         "没有 as_of，所引资料也没有 date", "补上 `as_of`，或在对应的资料来源中补上发布日期 `date`。")
    B019 = _info("公开授权无效", "典型人物要有本人同意公开的凭据：授权方式、授权日期和主办单位的"
         "档案编号。“无”“未取得”“待补”这类占位文字，或只有空格，都不算授权，人物不能发布。",
         "`consent: {form: 书面授权, date: 2024-03-01, reference: 无}`",
         "取得本人授权后填写真实的档案编号；没有授权的人物请删去。")
    B020 = _info("字段之间互相矛盾", "两个字段的取值互相矛盾，例如第二品牌类型与品牌类型相同，"
         "或范围的下限大于上限。", "`category: 文化旅游类` 又写 `secondary_category: 文化旅游类`",
         "按提示删去或改正其中一个。")
    B021 = _info("上线和下线日期顺序不对", "`publish_until`（下线日期）必须晚于 `publish_from`（上线日期）；"
                 "否则档案一天也不会出现在网站上。",
                 "`publish_from: 2027-03-01`、`publish_until: 2027-02-01`",
                 "核对两个日期：下线日期应晚于上线日期；不需要下线的，删去 publish_until。")
    B030 = _info("替代文字不是描述", "图片的替代文字（alt）为空白、像文件名或只是“图片”，读屏用户无法知道图片内容。",
         "`alt: IMG_0001.jpg`、`![photo.png](photo.png)`", "用一句话描述图片内容，例如 `alt: 家政服务员在培训中练习`。")
    B031 = _info("标题层级跳级", "正文的标题层级应逐级递进（## 之后是 ###），跳级会让读屏用户迷失结构。",
         "`## 历史` 之后直接写 `#### 细节`", "改为相邻的下一级标题，例如 `###`。", Severity.WARNING)
    B032 = _info("图片文件名不合适", "图片文件名含有空格、#、%、? 等字符（网址中有特殊含义），"
         "或同一品牌的两张图片只差扩展名（生成的图片会重名）。", "`我的 照片#1.jpg`；`logo.png` 和 `logo.jpg`",
         "把文件改名为只含字母、数字、连字符和下划线的名称，例如 `team-photo-1.jpg`，并同步修改档案。")
    B033 = _info("名称与页面元素冲突", "名称经过转换后成为主题自用的元素 id（如 `__config`），"
         "会让页面脚本出错。", "`name: __config`", "换一个名称，不要以下划线开头。")
    B022 = _info("简介像占位文字", "一句话简介显示在名录卡片和搜索结果中；“待核实”“待补充”“暂无”"
                 "这样的词让读者以为页面没有写完（警告，用 --strict 时不通过）。",
                 "`summary: 某某品牌，详细资料待核实后补充。`",
                 "写一句已经核实的介绍；待办事项写在 `editor_note`（编辑备注，不会发布）。",
                 Severity.WARNING)
    B023 = _info("品牌故事中有写给编辑的话", "品牌故事会原样公开；“编辑部还没有找到……”“有待核实”"
                 "这样的段落是写给编辑的（警告，用 --strict 时不通过）。",
                 "正文中的“编辑部目前还没有找到可以核实的公开报道”",
                 "把这一段移到 `editor_note`（编辑备注，不会发布），品牌故事只写给读者看的内容。",
                 Severity.WARNING)
    # E: selection rounds (evaluations/<round-id>.md); field types reuse the B codes above
    E001 = _info("权重之和不是 100", "各评分项的权重（weight）相加必须正好等于 100。",
         "三项权重为 40、30、20，合计 90", "调整权重，使合计为 100，例如 40、30、30。")
    E002 = _info("分数超出范围", "每个分数必须在 0 到该评分项满分（max）之间。",
         "满分为 40 的 employment 打了 45 分", "核对评分表原件，改为正确的分数。")
    E003 = _info("缺少评分", "每位专家要为每个参评品牌的每个评分项打分，声明回避的专家除外。",
         "专家 e2 的评分里没有 reputation", "补上缺少的分数；该专家确已回避的，把编号写入 recused。")
    E004 = _info("回避的专家打了分", "在 recused 中声明回避的专家不能为该品牌打分。",
         "`recused: [e3]`，但 scores 里有 e3", "删去该专家的评分，或核实其是否确需回避。")
    E005 = _info("品牌重复参评", "同一轮评选中，一个品牌只能出现一次。",
         "entries 中两次出现 `brand: shili-chayi`", "删去重复的一项，把评分合并到同一项中。")
    E006 = _info("参评品牌不存在", "参评品牌必须是 brands/ 中已有的品牌档案（按 slug 对应）。",
         "`brand: shili-chaiyi`（拼写错误）", "改为品牌档案的 slug；新品牌请先建立档案。")
    E007 = _info("日期先后顺序不对", "时间安排须按 征集开始 ≤ 征集截止 ≤ 评审 ≤ 公示开始 ≤ 公示结束 ≤ "
         "正式公布 的顺序。", "公示开始早于评审日期", "核对各日期，按先后顺序改正。")
    E008 = _info("档次设置不一致", "档次名称不能重复，须按 settings.yml 中层级的顺序排列，第一档与"
         "评定层级（level）相同；名额至少 1 个；最低总分不超过 100，且下一档不高于上一档。",
         "第二档最低分 85 高于第一档的 80", "按提示调整档次的顺序、名额或最低总分。")
    E009 = _info("计分方法与评分人数不符", "trimmed_mean（去掉一个最高分和一个最低分）要求每个品牌"
         "至少有 5 位专家评分；任何方法都至少要有 1 位专家评分。",
         "3 位专家却写了 `method: trimmed_mean`", "改用 `method: mean`，或增加评审专家。")
    E010 = _info("编号找不到", "评分表、回避名单和决胜规则中的编号，必须是本评选 experts 中的专家编号"
         "或 criteria 中的评分项编号。", "scores 里写了 `e9`，但专家只有 e1 到 e5",
         "改正编号，或在 experts / criteria 中补上。")
    E011 = _info("编号重复", "评分项编号、专家编号在同一轮评选中都不能重复。",
         "两位专家都写了 `id: e1`", "给每一项一个不同的编号。")
    E012 = _info("撤回与取消资格同时填写", "一个参评品牌只能是撤回（withdrawn）或取消资格"
         "（disqualified）之一。", "同时写了 withdrawn 和 disqualified", "只保留符合实际的一项。")
    E013 = _info("评选文件名不符合要求", "评选文件名（不含 .md）就是评选编号，也是网址的一部分，"
         "只能用小写字母、数字和连字符。", "`evaluations/2025 市级评选.md`",
         "改名为例如 `evaluations/2025-shiji.md`。")
    E014 = _info("评分项设置不对", "每个评分项的权重和满分都必须大于 0。", "`max: 0`",
         "按评分细则填写权重和满分。")
    # P: safety and personal data in records (P0xx) and in the built site (P1xx)
    P001 = _info("公开内容中有身份证号", "档案的任何字段和品牌故事都会公开，不能出现居民身份证号。"
         "即使号码中间加了空格、连字符、全角数字或看不见的字符，也会被识别（按国家标准核对校验位）。",
         "`bio: 身份证号 4401 0619 9003 0712 31`", "删去身份证号。核对人物身份的材料留在档案室，不要写进档案。")
    P002 = _info("公开内容中有个人手机号", "个人手机号（1 开头的 11 位号码，含加空格、连字符、全角数字的写法）"
         "属于个人信息，不能出现在网站上。", "`bio: 联系电话 138 1234 5678`",
         "删去手机号；对外联系请在 `contact.phone` 或 `venues[].phone` 填写单位的公开电话。")
    P003 = _info("电话写在了别的字段", "单位的公开电话只能写在 `contact.phone`（联系方式）和 `venues[].phone`"
         "（场所电话）中，网站会在固定位置显示它们；正文和其他字段中不要写电话。",
         "品牌故事里写“咨询电话 020-12345678”", "把号码移到 `contact.phone` 或对应场所的 `phone`，正文中删去。")
    P004 = _info("品牌故事中有不允许的 HTML", "品牌故事只能用 Markdown 书写。<script>、<iframe>、<style>、"
         "<form>、<div> 等 HTML 标签可能运行脚本、遮盖页面或嵌入其他网站，不会发布。"
         "可以直接写的标签只有 br、sup、sub、b、i、strong、em、del、ins、mark、small、abbr 等少数几个。",
         "`<iframe src=\"https://…\"></iframe>`", "删去这些 HTML，改用 Markdown：标题用 `##`，链接用 `[文字](网址)`。")
    P005 = _info("HTML 中有不允许的属性", "事件属性（onclick、onerror 等）会运行脚本；style 可能遮盖页面；"
         "自定的 id 可能与页面自身的元素（如搜索框）冲突；这些属性都不会发布。",
         "`<img src=\"a.png\" onerror=\"…\">`、`<h2 id=\"search\">`", "删去该属性；标题会自动获得锚点，不需要 id。")
    P006 = _info("不安全的链接地址", "链接只能是 http、https、mailto 或站内的相对地址。`javascript:`、"
         "`vbscript:`、`data:` 等地址（不论大小写、是否用 &#…; 编码或前面加空格）会运行脚本，不会发布。",
         "`[点我](javascript:alert(1))`", "改为以 https:// 开头的网址，或删去链接。")
    P007 = _info("不支持属性列表写法", "正文中 `{: …}`、`{#id}`、`{.class}`、`{onclick=…}` 这样的属性列表不起作用，"
         "还可能被用来加入事件属性或冲突的 id。", "`## 发展历程 {#search}`", "删去花括号及其中的内容。")
    P008 = _info("正文引用了其他网站的图片", "网站不从其他网站加载任何资源，正文图片必须是品牌文件夹中的文件。",
         "`![照片](https://example.com/a.jpg)`", "把图片下载到 `brands/<slug>/`，写成 `![照片](a.jpg)`。")
    P009 = _info("有内容会在发布时被删除", "品牌故事中有安全清理时会删除的内容，但无法更具体地指出。"
         "网站宁可报错也不悄悄删改内容。", "不成对或写法特殊的 HTML 标签", "删去正文中的 HTML，只用 Markdown。")
    P010 = _info("图片文件过大", "单张图片文件超过大小上限（10 MB），处理和下载都会很慢。",
         "相机原图 25 MB", "缩小图片后再放入，长边 2000 像素左右足够。")
    P011 = _info("图片像素过大", "图片的宽、高或总像素超过上限（每边不超过 12000 像素，总像素不超过 4000 万）。",
         "20000×20000 像素的图片", "缩小图片，长边 2000 像素左右足够。")
    P012 = _info("无法识别的图片", "图片文件损坏，或不是 JPEG、PNG、WebP、GIF 格式（SVG 可能含有脚本，不接受）。",
         "`logo.svg`，或扩展名是 .png 的文字文件", "用图片软件另存为 PNG 或 JPEG。")
    P013 = _info("品牌故事过长或过于复杂", "品牌故事超过 3 万字符，或含有上千个方括号/尖括号，或列表、引用"
         "嵌套过深，无法在限定时间内安全处理。", "上千层嵌套的列表", "精简正文，减少嵌套和多余的符号。")
    P014 = _info("手写页面不符合要求", "docs/ 中的手写页面和品牌故事一样经过检查：front matter 必须"
         "是合法的字段表，只能用 Markdown 书写。", "`docs/about.md` 的 front matter 没有结束",
         "按提示改正；页面的字段只能是 title、description、status、hide。")
    P101 = _info("生成的站点中有身份证号", "发布前扫描在生成的页面、搜索索引、站点地图、订阅源或开放数据中"
         "发现了身份证号；站点不会更新。通常是档案校验之外的内容（如手写页面 docs/）带入的。",
         "docs/about.md 中写了身份证号", "按提示找到文件，删去号码后重新构建。")
    P102 = _info("生成的站点中有手机号", "发布前扫描在生成的站点中发现了个人手机号；站点不会更新。",
         "docs/ 下的页面写了手机号", "删去手机号，改用单位的公开电话。")
    P103 = _info("页面中有内联事件属性", "生成的 HTML（或搜索索引、订阅源中的 HTML）里有 onclick、onerror "
         "等内联事件属性，说明有内容绕过了转义；站点不会更新。", "`<img onerror=…>`",
         "找到带入该属性的档案或模板并改正；模板中的值必须经过转义。")
    P104 = _info("站点中有 javascript: 地址", "生成的站点中有 javascript:（或 vbscript:、data:）"
         "形式的链接或资源地址；站点不会更新。", "`<a href=\"javascript:…\">`", "找到来源并改为普通网址。")
    P105 = _info("从其他网站加载资源", "脚本、样式、图片、字体和框架只能来自本站（普通外部链接不受限）。",
         "`<img src=\"https://example.com/a.png\">`", "把文件放进站点，改用站内地址。")
    P106 = _info("JSON-LD 无法解析", "品牌页中的结构化数据（JSON-LD）不是合法的 JSON，"
         "可能有值提前结束了 <script>。", "名称中含有 `</script>`", "修正生成 JSON-LD 的代码，对值做转义。")
    P107 = _info("数据文件无法解析", "站点中的 JSON、XML（站点地图、订阅源）或 CSV 文件格式损坏，"
         "可能有值没有经过转义。", "订阅源标题中的 `<` 没有转义", "修正生成该文件的代码。")
    P108 = _info("页面中有嵌入元素", "生成的页面中出现了 <iframe>、<object>、<embed> 或 <base>，"
         "它们会嵌入其他网站或改变页面中所有链接的指向。", "`<iframe src=…>`", "找到来源并删去。")
    P109 = _info("CSV 单元格会被当作公式", "开放数据 CSV 中有以 =、+、-、@ 开头的单元格，"
         "用 Excel 打开时会被当作公式执行。", "品牌名称 `=HYPERLINK(…)`", "生成 CSV 时在这样的值前加一个单引号。")
    P110 = _info("页面中有不认识的内联脚本", "生成的页面中有主题本身之外的 <script> 代码，"
         "通常是某个值（例如手写页面 docs/ 的标题）没有转义，把脚本带进了页面。",
         "docs/about.md 的 `title: 关于</title><script>…`", "找到来源并改正；模板若有意加入脚本，"
         "请放进单独的 .js 文件（或把它的完整内容加入 verify/leaks.py 的 KNOWN_INLINE_SCRIPTS）。")
    P111 = _info("图片带有元数据", "发布的图片中仍有 EXIF（可能含拍摄地点）、描述或注释等元数据。"
         "所有图片都应在构建时重新编码、去掉元数据。", "带 GPS 坐标的手机照片被原样复制",
         "修正生成图片的代码：每张图片都重新编码，不带元数据。")
    # C: post-build checks of the generated site (site-builder check, and every build)
    C001 = _info("链接的页面不存在", "页面中的链接指向站点里没有的页面。",
         "`<a href=\"../brands/shili/\">`，但没有这个品牌页", "改正链接地址，或补上被链接的页面。")
    C002 = _info("链接的锚点不存在", "链接中 # 之后的锚点在目标页面上找不到。",
         "`#src-rb2023`，但页面上没有这个 id",
         "锚点（# 之后的部分）要与目标页面上某个标题或元素的 id 一致。")
    C003 = _info("引用的文件不存在", "页面引用的图片、样式、脚本或字体不在站点中。",
         "`<img src=\"logo-320.webp\">`，但文件不存在",
         "图片、样式、脚本或字体要放在站点中，并检查路径和大小写。")
    C004 = _info("页面没有标题", "每个页面都要有非空的 <title>，浏览器标签和搜索结果都用它。",
         "手写页面 docs/x.html 没有 <title>", "每个页面都要有非空的 <title>。")
    C005 = _info("从其他网站加载资源", "页面从其他网站加载脚本、样式、字体、图片或框架；在境内可能很慢或被拦截，"
         "也会泄露读者的访问。", "`@import url(https://fonts.googleapis.com/…)`",
         "脚本、样式、字体、图片和框架只能来自本站：把文件放进站点，"
         "不要引用其他网站的地址（普通的外部链接 <a href> 不受限制）。")
    C006 = _info("文件无法读取", "生成的页面或样式表不是 UTF-8 编码的文本。",
         "GBK 编码的手写页面", "页面或样式表必须是 UTF-8 编码的文本。")
    C007 = _info("公开页面引用了编辑器", "公开页面、站点地图或订阅链接到或加载了 /admin/ 中的文件；"
                 "编辑器只给编辑使用，不应出现在公开页面上，也不应被搜索引擎收录。",
                 "`docs/about.md` 中写了 `[编辑](../admin/)`", "删去指向 admin/ 的链接和引用。")
    C008 = _info("编辑器页面的安全设置不对", "/admin/ 的页面必须带 `<meta name=\"robots\" "
                 "content=\"noindex\">`，并用内容安全策略（CSP）只允许连接本站和 settings.yml 中"
                 "配置的代码仓库接口。", "CSP 的 connect-src 中多了 `https://api.netlify.com`",
                 "不要手工修改 admin/ 中的页面：改 settings.yml 的 editor 设置后重新生成。")
    # S: settings.yml
    S001 = _info("找不到站点设置", "项目根目录没有 settings.yml，或它无法读取。",
         "删除了 settings.yml", "从本项目（或 examples/ 中的示例项目）复制一份 settings.yml 再修改。")
    S002 = _info("缺少必填设置", "settings.yml 中缺少必须填写的设置。", "没有 `region:`",
         "按提示补上该设置，写法见 guide/settings-fields.md。")
    S003 = _info("未知设置", "settings.yml 中的设置名不在设置参考中，可能拼写错误。",
         "`distrcts:`", "按提示改为正确的设置名，全部设置见 guide/settings-fields.md。")
    S004 = _info("设置类型不符", "该设置需要的是文字、列表或字段表，填写的类型不对。",
         "`districts: 甲区`（应为列表）", "按设置参考改写，例如 `districts: [甲区, 乙区]`。")
    S005 = _info("设置文字过长或格式不符", "设置中的文字超过长度上限，或不符合要求的格式。",
         "`url: www.example.org`（缺少 https://）", "按提示缩短或改写。")
    S006 = _info("设置中的数字不对", "设置中的数字只能写阿拉伯数字。", "`count: 十个`",
         "写成阿拉伯数字，例如 `count: 10`。")
    S007 = _info("设置中的日期不对", "设置中的日期必须是真实存在的日期，格式为 YYYY-MM-DD。",
         "`deadline: 2025-13-01`", "改为真实日期，例如 `2025-12-31`。")
    S008 = _info("设置列表项不对", "设置中的列表有空项或重复项，或少于规定的项数。",
         "`districts: [甲区, 甲区]`", "删去空项和重复项；必填的列表至少写一项。")
    S009 = _info("设置取值不在可选范围", "该设置只能取规定的几个值之一。",
         "`by: 上级`", "改为提示中列出的可选值之一。")
    S010 = _info("规划目标的层级不存在", "规划目标 `targets` 中的层级必须是 `levels` 中的一项，"
         "否则首页会显示一个永远为 0% 的目标。", "`levels` 中没有“省级劳务品牌”，目标却写了它",
         "把目标的 level 改为 `levels` 中的层级，或在 `levels` 中补上它。")
    S011 = _info("层级的认定方式不对", "`conferral` 中的层级必须是 `levels` 中的一项，且每个层级只写一次。",
         "`conferral` 写了两次“市级劳务品牌”", "改正层级名称，删去重复的一项。")
    S012 = _info("站点图片找不到", "settings.yml 中的站点徽标或网站图标（site.logo、site.favicon）"
                 "不在项目中。", "`logo: assets/logo.png`，但文件不存在",
                 "把图片放进项目（路径相对于 settings.yml 所在的文件夹），或删去这一行使用自动生成的徽标。")

    @property
    def info(self) -> CodeInfo:
        return self.value

    @property
    def title(self) -> str:
        return self.value.title

    @property
    def fix(self) -> str:
        return self.value.fix

    @property
    def severity(self) -> Severity:
        return self.value.severity


CODES: dict[str, Code] = {c.name: c for c in Code}
