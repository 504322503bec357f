"""Diagnostics: the stable error codes, the Diagnostic value and its three output formats."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """One stable diagnostic code, documented in the editors' guide."""

    code: str
    title: str
    explain: str
    example: str
    fix: str


# Every code the builder can emit. Codes are never renumbered: retire a code instead.
CODES: dict[str, Code] = {
    c.code: c
    for c in [
        # Y: reading the file and its YAML front matter
        Code("Y001", "文件不是 UTF-8 编码", "档案必须以 UTF-8 编码保存。",
             "用 GBK 编码保存的 .md 文件", "在编辑器中选择“以 UTF-8 编码保存”。"),
        Code("Y002", "文件过大", "单个档案文件超过大小上限，可能误放了图片或大段数据。",
             "2 MB 的 .md 文件", "删去多余内容；图片放在品牌自己的文件夹中并用路径引用。"),
        Code("Y003", "缺少开头的 front matter", "档案第一行必须是 `---`，之后是 YAML 字段。",
             "第一行直接写“品牌故事……”", "在文件开头加一行 `---`，写字段，再用一行 `---` 结束。"),
        Code("Y004", "front matter 没有结束", "front matter 必须以单独一行 `---` 结束。",
             "字段写完后直接开始正文", "在最后一个字段之后加一行 `---`。"),
        Code("Y005", "YAML 语法错误",
             "YAML 无法解析，整个文件的字段都读不出来。常见原因：值里有“冒号+空格”却没加引号、"
             "上一行冒号后缺空格、引号或括号不成对、缩进不齐、值以 `*` `&` `@` 等符号开头、"
             "含有看不见的控制字符。提示指出的行是发现问题的地方，问题有时在它的上一行。",
             "`summary: 提示: 这句话里有冒号`；`name: \"示例品牌`（引号没闭合）；`summary: *重点*`",
             "按提示改正：给整段值加英文引号，补齐引号或括号，冒号后加一个空格，对齐缩进。"),
        Code("Y006", "缩进中使用了制表符", "YAML 只允许用空格缩进。",
             "行首是 Tab 字符", "把行首的 Tab 换成两个空格。"),
        Code("Y007", "front matter 不是字段表", "front matter 必须是“字段: 值”的形式。",
             "front matter 里只有一个列表 `- a`", "改写为 `name: …` 这样的字段。"),
        Code("Y008", "字段重复", "同一层中同一字段写了两次，无法判断以哪个为准。",
             "两行 `name:`", "删去其中一行。"),
        Code("Y009", "使用了锚点或别名", "`&锚点` 和 `*别名` 会让内容难以核对，不允许使用。",
             "`districts: *same`", "把内容直接写出来。"),
        Code("Y010", "使用了标签", "`!` 或 `!!` 开头的标签会改变值的含义，不允许使用；"
             "值本身以 `!` 开头时请加引号。",
             "`value: !!int 5`、`outlet: !custom 某报`", "去掉 `!` 开头的标签，直接写值。"),
        Code("Y011", "嵌套过深", "列表或字段表的嵌套层数超过上限（20 层），档案中不会用到这么深的结构。",
             "`[[[[[…]]]]]`", "按字段参考的结构填写，不要多层嵌套。"),
        # B: brand record fields
        Code("B001", "缺少必填字段", "该字段必须填写。", "没有 `name`", "按提示补上该字段。"),
        Code("B002", "未知字段", "字段名不在字段参考中，可能拼写错误。",
             "`catagory: 高品质服务型`", "按提示改为正确的字段名，例如 `category`。"),
        Code("B003", "类型不符", "该字段需要的是文字、列表或字段表，填写的类型不对。",
             "`districts: 海珠区`（应为列表）", "按字段参考改写，例如 `districts: [海珠区]`。"),
        Code("B004", "取值不在可选范围", "该字段只能取 settings.yml 中列出的值。",
             "`districts: [增城]`", "改为可选值之一，例如 `增城区`。"),
        Code("B005", "文字过长或格式不符", "文字超过长度上限，或不符合要求的格式。",
             "120 字以上的 summary；`slug: Yang_Cheng`", "按提示缩短或改写。"),
        Code("B006", "数字格式不对", "数字字段只能写阿拉伯数字，可带小数点，不要写单位或多余的 0。",
             "`value: 1,200人`、`value: 1.10`、`value: 007`", "写成 `value: 1200`，单位写在 `unit`。"),
        Code("B007", "日期不对", "日期必须是真实存在的日期，格式为 YYYY-MM-DD（部分字段允许 YYYY 或 YYYY-MM）。",
             "`updated: 2024-02-30`", "改为真实日期，例如 `2024-02-29`。"),
        Code("B008", "文件名与 slug 不一致", "档案文件名必须是 `<slug>.md`。",
             "文件 `yangcheng.md` 中 `slug: yangcheng-jiazheng`", "把文件改名，或改 slug，使二者一致。"),
        Code("B009", "名称或 slug 重复", "两个档案使用了同一个品牌名称或 slug。",
             "两个档案都叫“羊城家政”", "合并档案，或改用不同的名称。"),
        Code("B010", "图片不存在", "引用的图片在品牌文件夹中找不到。",
             "`path: logo.png` 但 `brands/<slug>/logo.png` 不存在", "把图片放入 `brands/<slug>/`，并检查文件名大小写。"),
        Code("B011", "图片路径越界", "图片只能放在品牌自己的文件夹 `brands/<slug>/` 中。",
             "`path: ../other/logo.png`", "把图片复制到本品牌的文件夹，写相对路径。"),
        Code("B012", "来源编号找不到", "关键数据的 `source` 必须对应 `sources` 中某条资料的 `id`。",
             "`source: rb2023` 但 sources 中没有这个 id", "在 `sources` 中补上这条资料，或改正编号。"),
        Code("B013", "编号重复", "同一档案中的资料来源 id 重复。", "两条 `id: xinhua`", "给每条资料一个不同的 id。"),
        Code("B014", "缺少替代文字", "每张图片都要写 `alt`，为读屏用户描述图片内容。",
             "`logo: {path: logo.png}`", "补上 `alt: 羊城家政标志`。"),
        Code("B015", "列表项数不对", "列表至少要有规定的项数，或有重复项。",
             "`districts: []`", "至少填写一项，并删去重复项。"),
        Code("B016", "层级与评选结果不符", "档案写了市级劳务品牌，但没有已公布的评选授予它。",
             "`level: 市级劳务品牌`", "核对评选结果；尚未评定的写 `培育中`。"),
        Code("B017", "简介像占位文字", "一句话简介显示在名录卡片和搜索结果中；“待核实”“待补充”“暂无”"
             "这样的词让读者以为页面没有写完（警告，用 --strict 时不通过）。",
             "`summary: 某某品牌，详细资料待核实后补充。`",
             "写一句已经核实的介绍；待办事项写在 `editor_note`（编辑备注，不会发布）。"),
        Code("B018", "品牌故事中有写给编辑的话", "品牌故事会原样公开；“编辑部还没有找到……”“有待核实”"
             "这样的段落是写给编辑的（警告，用 --strict 时不通过）。",
             "正文中的“编辑部目前还没有找到可以核实的公开报道”",
             "把这一段移到 `editor_note`（编辑备注，不会发布），品牌故事只写给读者看的内容。"),
        # E: selection rounds (evaluations/<round-id>.md); field types reuse the B codes above
        Code("E001", "权重之和不是 100", "各评分项的权重（weight）相加必须正好等于 100。",
             "三项权重为 40、30、20，合计 90", "调整权重，使合计为 100，例如 40、30、30。"),
        Code("E002", "分数超出范围", "每个分数必须在 0 到该评分项满分（max）之间。",
             "满分为 40 的 employment 打了 45 分", "核对评分表原件，改为正确的分数。"),
        Code("E003", "缺少评分", "每位专家要为每个参评品牌的每个评分项打分，声明回避的专家除外。",
             "专家 e2 的评分里没有 reputation", "补上缺少的分数；该专家确已回避的，把编号写入 recused。"),
        Code("E004", "回避的专家打了分", "在 recused 中声明回避的专家不能为该品牌打分。",
             "`recused: [e3]`，但 scores 里有 e3", "删去该专家的评分，或核实其是否确需回避。"),
        Code("E005", "品牌重复参评", "同一轮评选中，一个品牌只能出现一次。",
             "entries 中两次出现 `brand: shili-chayi`", "删去重复的一项，把评分合并到同一项中。"),
        Code("E006", "参评品牌不存在", "参评品牌必须是 brands/ 中已有的品牌档案（按 slug 对应）。",
             "`brand: shili-chaiyi`（拼写错误）", "改为品牌档案的 slug；新品牌请先建立档案。"),
        Code("E007", "日期先后顺序不对", "时间安排须按 征集开始 ≤ 征集截止 ≤ 评审 ≤ 公示开始 ≤ 公示结束 ≤ "
             "正式公布 的顺序。", "公示开始早于评审日期", "核对各日期，按先后顺序改正。"),
        Code("E008", "档次设置不一致", "档次名称不能重复，须按 settings.yml 中层级的顺序排列，第一档与"
             "评定层级（level）相同；名额至少 1 个；最低总分不超过 100，且下一档不高于上一档。",
             "第二档最低分 85 高于第一档的 80", "按提示调整档次的顺序、名额或最低总分。"),
        Code("E009", "计分方法与评分人数不符", "trimmed_mean（去掉一个最高分和一个最低分）要求每个品牌"
             "至少有 5 位专家评分；任何方法都至少要有 1 位专家评分。",
             "3 位专家却写了 `method: trimmed_mean`", "改用 `method: mean`，或增加评审专家。"),
        Code("E010", "编号找不到", "评分表、回避名单和决胜规则中的编号，必须是本评选 experts 中的专家编号"
             "或 criteria 中的评分项编号。", "scores 里写了 `e9`，但专家只有 e1 到 e5",
             "改正编号，或在 experts / criteria 中补上。"),
        Code("E011", "编号重复", "评分项编号、专家编号在同一轮评选中都不能重复。",
             "两位专家都写了 `id: e1`", "给每一项一个不同的编号。"),
        Code("E012", "撤回与取消资格同时填写", "一个参评品牌只能是撤回（withdrawn）或取消资格"
             "（disqualified）之一。", "同时写了 withdrawn 和 disqualified", "只保留符合实际的一项。"),
        Code("E013", "评选文件名不符合要求", "评选文件名（不含 .md）就是评选编号，也是网址的一部分，"
             "只能用小写字母、数字和连字符。", "`evaluations/2025 市级评选.md`",
             "改名为例如 `evaluations/2025-shiji.md`。"),
        Code("E014", "评分项设置不对", "每个评分项的权重和满分都必须大于 0。", "`max: 0`",
             "按评分细则填写权重和满分。"),
        # P: safety and personal data in records (P0xx) and in the built site (P1xx)
        Code("P001", "公开内容中有身份证号", "档案的任何字段和品牌故事都会公开，不能出现居民身份证号。"
             "即使号码中间加了空格、连字符、全角数字或看不见的字符，也会被识别（按国家标准核对校验位）。",
             "`bio: 身份证号 4401 0619 9003 0712 31`", "删去身份证号。核对人物身份的材料留在档案室，不要写进档案。"),
        Code("P002", "公开内容中有个人手机号", "个人手机号（1 开头的 11 位号码，含加空格、连字符、全角数字的写法）"
             "属于个人信息，不能出现在网站上。", "`bio: 联系电话 138 1234 5678`",
             "删去手机号；对外联系请在 `contact.phone` 或 `venues[].phone` 填写单位的公开电话。"),
        Code("P003", "电话写在了别的字段", "单位的公开电话只能写在 `contact.phone`（联系方式）和 `venues[].phone`"
             "（场所电话）中，网站会在固定位置显示它们；正文和其他字段中不要写电话。",
             "品牌故事里写“咨询电话 020-12345678”", "把号码移到 `contact.phone` 或对应场所的 `phone`，正文中删去。"),
        Code("P004", "品牌故事中有不允许的 HTML", "品牌故事只能用 Markdown 书写。<script>、<iframe>、<style>、"
             "<form>、<div> 等 HTML 标签可能运行脚本、遮盖页面或嵌入其他网站，不会发布。"
             "可以直接写的标签只有 br、sup、sub、b、i、strong、em、del、ins、mark、small、abbr 等少数几个。",
             "`<iframe src=\"https://…\"></iframe>`", "删去这些 HTML，改用 Markdown：标题用 `##`，链接用 `[文字](网址)`。"),
        Code("P005", "HTML 中有不允许的属性", "事件属性（onclick、onerror 等）会运行脚本；style 可能遮盖页面；"
             "自定的 id 可能与页面自身的元素（如搜索框）冲突；这些属性都不会发布。",
             "`<img src=\"a.png\" onerror=\"…\">`、`<h2 id=\"search\">`", "删去该属性；标题会自动获得锚点，不需要 id。"),
        Code("P006", "不安全的链接地址", "链接只能是 http、https、mailto 或站内的相对地址。`javascript:`、"
             "`vbscript:`、`data:` 等地址（不论大小写、是否用 &#…; 编码或前面加空格）会运行脚本，不会发布。",
             "`[点我](javascript:alert(1))`", "改为以 https:// 开头的网址，或删去链接。"),
        Code("P007", "不支持属性列表写法", "正文中 `{: …}`、`{#id}`、`{.class}`、`{onclick=…}` 这样的属性列表不起作用，"
             "还可能被用来加入事件属性或冲突的 id。", "`## 发展历程 {#search}`", "删去花括号及其中的内容。"),
        Code("P008", "正文引用了其他网站的图片", "网站不从其他网站加载任何资源，正文图片必须是品牌文件夹中的文件。",
             "`![照片](https://example.com/a.jpg)`", "把图片下载到 `brands/<slug>/`，写成 `![照片](a.jpg)`。"),
        Code("P009", "有内容会在发布时被删除", "品牌故事中有安全清理时会删除的内容，但无法更具体地指出。"
             "网站宁可报错也不悄悄删改内容。", "不成对或写法特殊的 HTML 标签", "删去正文中的 HTML，只用 Markdown。"),
        Code("P010", "图片文件过大", "单张图片文件超过大小上限（10 MB），处理和下载都会很慢。",
             "相机原图 25 MB", "缩小图片后再放入，长边 2000 像素左右足够。"),
        Code("P011", "图片像素过大", "图片的宽、高或总像素超过上限（每边不超过 12000 像素，总像素不超过 4000 万）。",
             "20000×20000 像素的图片", "缩小图片，长边 2000 像素左右足够。"),
        Code("P012", "无法识别的图片", "图片文件损坏，或不是 JPEG、PNG、WebP、GIF 格式（SVG 可能含有脚本，不接受）。",
             "`logo.svg`，或扩展名是 .png 的文字文件", "用图片软件另存为 PNG 或 JPEG。"),
        Code("P013", "品牌故事过长或过于复杂", "品牌故事超过 3 万字符，或含有上千个方括号/尖括号，或列表、引用"
             "嵌套过深，无法在限定时间内安全处理。", "上千层嵌套的列表", "精简正文，减少嵌套和多余的符号。"),
        Code("P101", "生成的站点中有身份证号", "发布前扫描在生成的页面、搜索索引、站点地图、订阅源或开放数据中"
             "发现了身份证号；站点不会更新。通常是档案校验之外的内容（如手写页面 docs/）带入的。",
             "docs/about.md 中写了身份证号", "按提示找到文件，删去号码后重新构建。"),
        Code("P102", "生成的站点中有手机号", "发布前扫描在生成的站点中发现了个人手机号；站点不会更新。",
             "docs/ 下的页面写了手机号", "删去手机号，改用单位的公开电话。"),
        Code("P103", "页面中有内联事件属性", "生成的 HTML（或搜索索引、订阅源中的 HTML）里有 onclick、onerror "
             "等内联事件属性，说明有内容绕过了转义；站点不会更新。", "`<img onerror=…>`",
             "找到带入该属性的档案或模板并改正；模板中的值必须经过转义。"),
        Code("P104", "站点中有 javascript: 地址", "生成的站点中有 javascript:（或 vbscript:、data:）"
             "形式的链接或资源地址；站点不会更新。", "`<a href=\"javascript:…\">`", "找到来源并改为普通网址。"),
        Code("P105", "从其他网站加载资源", "脚本、样式、图片、字体和框架只能来自本站（普通外部链接不受限）。",
             "`<img src=\"https://example.com/a.png\">`", "把文件放进站点，改用站内地址。"),
        Code("P106", "JSON-LD 无法解析", "品牌页中的结构化数据（JSON-LD）不是合法的 JSON，"
             "可能有值提前结束了 <script>。", "名称中含有 `</script>`", "修正生成 JSON-LD 的代码，对值做转义。"),
        Code("P107", "数据文件无法解析", "站点中的 JSON、XML（站点地图、订阅源）或 CSV 文件格式损坏，"
             "可能有值没有经过转义。", "订阅源标题中的 `<` 没有转义", "修正生成该文件的代码。"),
        Code("P108", "页面中有嵌入元素", "生成的页面中出现了 <iframe>、<object>、<embed> 或 <base>，"
             "它们会嵌入其他网站或改变页面中所有链接的指向。", "`<iframe src=…>`", "找到来源并删去。"),
        Code("P109", "CSV 单元格会被当作公式", "开放数据 CSV 中有以 =、+、-、@ 开头的单元格，"
             "用 Excel 打开时会被当作公式执行。", "品牌名称 `=HYPERLINK(…)`", "生成 CSV 时在这样的值前加一个单引号。"),
        Code("P110", "页面中有不认识的内联脚本", "生成的页面中有主题本身之外的 <script> 代码，"
             "通常是某个值（例如手写页面 docs/ 的标题）没有转义，把脚本带进了页面。",
             "docs/about.md 的 `title: 关于</title><script>…`", "找到来源并改正；模板若有意加入脚本，"
             "请放进单独的 .js 文件（或把它的开头加入 outscan.KNOWN_INLINE_SCRIPTS）。"),
        # C: post-build checks of the generated site (site-builder check, and every build)
        Code("C001", "链接的页面不存在", "页面中的链接指向站点里没有的页面。",
             "`<a href=\"../brands/shili/\">`，但没有这个品牌页", "改正链接地址，或补上被链接的页面。"),
        Code("C002", "链接的锚点不存在", "链接中 # 之后的锚点在目标页面上找不到。",
             "`#src-rb2023`，但页面上没有这个 id",
             "锚点（# 之后的部分）要与目标页面上某个标题或元素的 id 一致。"),
        Code("C003", "引用的文件不存在", "页面引用的图片、样式、脚本或字体不在站点中。",
             "`<img src=\"logo-320.webp\">`，但文件不存在",
             "图片、样式、脚本或字体要放在站点中，并检查路径和大小写。"),
        Code("C004", "页面没有标题", "每个页面都要有非空的 <title>，浏览器标签和搜索结果都用它。",
             "手写页面 docs/x.html 没有 <title>", "每个页面都要有非空的 <title>。"),
        Code("C005", "从其他网站加载资源", "页面从其他网站加载脚本、样式、字体、图片或框架；在境内可能很慢或被拦截，"
             "也会泄露读者的访问。", "`@import url(https://fonts.googleapis.com/…)`",
             "脚本、样式、字体、图片和框架只能来自本站：把文件放进站点，"
             "不要引用其他网站的地址（普通的外部链接 <a href> 不受限制）。"),
        Code("C006", "文件无法读取", "生成的页面或样式表不是 UTF-8 编码的文本。",
             "GBK 编码的手写页面", "页面或样式表必须是 UTF-8 编码的文本。"),
        # S: settings.yml
        Code("S001", "站点设置有误", "settings.yml 的某个设置缺失或格式不对。",
             "`districts:` 为空", "按 settings.yml 中的注释改正。"),
    ]
}


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in one file, at one place, about one field."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    field: str
    message: str

    def format(self) -> str:
        return (
            f"{self.path}:{self.line}:{self.col}: {self.severity.value}[{self.code}]: "
            f"{self.field}: {self.message}"
        )

    def as_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    def format_github(self) -> str:
        kind = "error" if self.severity is Severity.ERROR else "warning"
        title = CODES[self.code].title if self.code in CODES else self.code
        msg = f"{self.field}: {self.message}"
        return (
            f"::{kind} file={_gh_prop(self.path)},line={self.line},col={self.col},"
            f"title={_gh_prop(f'{self.code} {title}')}::{_gh_data(msg)}"
        )


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def sort_key(d: Diagnostic) -> tuple:
    return (d.path, d.line, d.col, d.code, d.field)


def format_diagnostics(diags: list[Diagnostic], fmt: str = "text") -> str:
    """Render diagnostics as text lines, a JSON list or GitHub Actions commands."""
    diags = sorted(diags, key=sort_key)
    if fmt == "json":
        return json.dumps([d.as_dict() for d in diags], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.format_github() for d in diags)
    return "\n".join(d.format() for d in diags)


def has_errors(diags: list[Diagnostic], strict: bool = False) -> bool:
    return any(d.severity is Severity.ERROR or strict for d in diags)


def _one_line(text: str, limit: int | None = None) -> str:
    """Keep a diagnostic on one line, whatever odd key or value an editor's file holds."""
    if "\n" in text or "\r" in text:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


class Reporter:
    """Collects diagnostics for one file; stages add to it and never stop early."""

    def __init__(self, path: str, line_offset: int = 0) -> None:
        self.path = path
        self.line_offset = line_offset
        self.items: list[Diagnostic] = []

    def add(self, code: str, field: str, message: str, line: int, col: int = 1,
            severity: Severity = Severity.ERROR) -> None:
        assert code in CODES, code
        self.items.append(
            Diagnostic(self.path, line, col, severity, code, _one_line(field, 60) or "-",
                       _one_line(message))
        )

    def at_node(self, node, code: str, field: str, message: str,
                severity: Severity = Severity.ERROR) -> None:
        """Report at a YAML node's position (node marks count from the front matter's start)."""
        mark = node.start_mark
        self.add(code, field, message, mark.line + 1 + self.line_offset, mark.column + 1,
                 severity)
