"""The one declaration of a selection round (征集评选) file: validation, JSON Schema, field reference."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, ScalarNode

from ..diagnostics.codes import Code
from ..text import clip
from .brand import _EMAIL, _PHONE, _PHONE_HINT, _URL, SLUG_PATTERN
from .fields import (
    INVALID,
    Choice,
    Ctx,
    Date,
    ListOf,
    Number,
    Obj,
    Spec,
    Text,
    kind_of,
    schedule_fields,
)

MIN_TRIMMED_SCORERS = 5  # trimming one highest and one lowest score needs at least five scores


METHODS = {
    "mean": "算术平均：每个评分项取全部评分专家（回避的专家除外）分数的平均值。",
    "trimmed_mean": "去掉一个最高分和一个最低分后取平均：每个评分项先去掉评分专家（回避的专家除外）"
                    "所给的一个最高分和一个最低分，再取其余分数的平均值。",
}


METHOD_NAMES = {"mean": "算术平均", "trimmed_mean": "去掉最高分和最低分后平均"}

YES, NO = "是", "否"

# Vocabularies of a round file that are not site settings: added to the settings' vocabularies.
ROUND_VOCAB = {
    "scoring_methods": list(METHODS),
    "yes_no": [YES, NO],
}

_KEY_HINT = "小写字母、数字和连字符，例如 `employment`"
_ID_HINT = "小写字母、数字和连字符，例如 `e1`"


@dataclass
class Fixed(Choice):
    """A choice among values fixed by this schema (ROUND_VOCAB), not by settings.yml."""

    def describe(self, vocab):
        return "可选：" + "、".join(vocab.get(self.vocab, []))


@dataclass
class ScoreSheet(Spec):
    """Scores of one entry: for each expert id, a mapping of criterion key to score."""

    kind = "字段表"
    score = Number("分数", "0 到该评分项满分之间的数字", maximum=1000, decimals=2)

    def kind_hint(self, where: str) -> str:
        return "每位专家一行，写成 `e1: {employment: 36, skills: 27}`。"

    def check(self, node, ctx: Ctx, where: str) -> Any:
        if not isinstance(node, MappingNode):
            return self._wrong_kind(node, ctx, where)
        out: dict[str, dict[str, Any]] = {}
        ok = True
        for k, sheet in node.value:
            if not isinstance(k, ScalarNode) or not k.value:
                ctx.rep.at_node(k, Code.B003, where, "专家编号必须是文字；提示：检查缩进和冒号。")
                ok = False
                continue
            here = f"{where}.{k.value}"
            if not isinstance(sheet, MappingNode):
                ctx.rep.at_node(sheet, Code.B003, here, f"专家“{clip(k.value)}”的评分应为字段表，"
                                f"实际是{kind_of(sheet)}；提示：{self.kind_hint(where)}")
                ok = False
                continue
            scores: dict[str, Any] = {}
            for ck, cv in sheet.value:
                if not isinstance(ck, ScalarNode) or not ck.value:
                    ctx.rep.at_node(ck, Code.B003, here, "评分项必须是文字；提示：检查缩进和冒号。")
                    ok = False
                    continue
                v = ctx.check(self.score, cv, f"{here}.{ck.value}")
                if v is INVALID:
                    ok = False
                else:
                    scores[ck.value] = v
            out[k.value] = scores
        return out if ok else INVALID

    def json_schema(self, vocab):
        return self._base_schema() | {
            "type": "object",
            "propertyNames": {"pattern": f"^(?:{SLUG_PATTERN})$"},
            "additionalProperties": {
                "type": "object",
                "title": "一位专家的评分",
                "propertyNames": {"pattern": f"^(?:{SLUG_PATTERN})$"},
                "additionalProperties": self.score.json_schema(vocab),
            },
        }

    def describe(self, vocab):
        return "每位专家一行：`专家编号: {评分项: 分数, …}`；回避的专家不写"


CRITERION = Obj("评分项", "一个评分因素：编号、名称、权重和满分", fields={
    "key": Text("编号", "评分表中使用的英文编号，本评选内唯一", required=True, pattern=SLUG_PATTERN,
                pattern_hint=_KEY_HINT, example="employment"),
    "name": Text("名称", required=True, max_len=30, example="带动就业规模"),
    "weight": Number("权重", "各评分项权重之和必须为 100", required=True, example="40",
                     maximum=100, decimals=2),
    "max": Number("满分", "专家打分的上限，例如 100 或 10", required=True, example="100",
                  maximum=1000, decimals=2),
    "description": Text("评分要点", "评什么、怎样评", max_len=300, multiline=True),
})

EXPERT = Obj("评审专家", "评审专家：编号、姓名和工作单位", fields={
    "id": Text("编号", "评分表中使用的编号，本评选内唯一；不公开姓名时只显示编号", required=True,
               pattern=SLUG_PATTERN, pattern_hint=_ID_HINT, example="e1"),
    "name": Text("姓名", required=True, max_len=30, example="专家甲"),
    "affiliation": Text("工作单位", max_len=80),
})

TIER = Obj("档次", "一个评定档次：名称、名额和最低总分", fields={
    "name": Choice("档次名称", "授予的品牌层级", required=True, vocab="levels", example="市级劳务品牌"),
    "count": Number("名额", "本档最多入选几个品牌，至少 1 个", required=True, integer=True,
                    example="10", maximum=10_000),
    "min_total": Number("最低总分", "入选本档至少要达到的总分（满分 100）", example="80"),
})

ENTRY = Obj("参评品牌", "一个参评品牌及其评分表", fields={
    "brand": Text("品牌网址名", "brands/ 中品牌档案的 slug", required=True, pattern=SLUG_PATTERN,
                  pattern_hint="品牌档案的 slug，例如 `shili-jiazheng`", example="shili-jiazheng"),
    "recused": ListOf("回避专家", item=Text("专家编号", pattern=SLUG_PATTERN, pattern_hint=_ID_HINT),
                      doc="申报了利益冲突、不为本品牌打分的专家编号", unique=True),
    "scores": ScoreSheet("评分表", "每位评分专家对每个评分项的分数"),
    "withdrawn": Text("撤回原因", "申报单位撤回申报时填写原因；撤回的品牌不参与排名", max_len=200),
    "disqualified": Text("取消资格原因", "被取消参评资格时填写原因；不参与排名", max_len=200),
})

ROUND = Obj("评选档案", "一轮劳务品牌征集评选", fields={
    "title": Text("评选名称", required=True, max_len=60, example="2025年度市级劳务品牌征集评选"),
    "year": Number("年度", required=True, integer=True, example="2025", minimum=1900,
                   maximum=2200),
    "organiser": Text("组织单位", required=True, max_len=80, example="某某市人力资源和社会保障局"),
    "level": Choice("评定层级", "本次评选授予的最高层级，须与第一个档次相同", required=True,
                    vocab="levels", example="市级劳务品牌"),
    "status": Choice("发布状态", "只有“已发布”的评选会出现在网站上", required=True,
                     vocab="statuses", example="已发布"),
    **schedule_fields("本评选"),
    "timeline": Obj("时间安排", "各日期须按先后顺序", required=True, fields={
        "applications_open": Date("征集开始", required=True, example="2025-03-01"),
        "applications_close": Date("征集截止", required=True, example="2025-04-30"),
        "review": Date("评审日期", required=True, example="2025-05-20"),
        "notice_start": Date("公示开始", "公示期第一天", required=True, example="2025-06-02"),
        "notice_end": Date("公示结束", "公示期最后一天", required=True, example="2025-06-08"),
        "published": Date("正式公布", "公示无异议后公布结果的日期", required=True,
                          example="2025-06-16"),
    }),
    "criteria": ListOf("评分项", item=CRITERION, required=True, min_items=1),
    "method": Fixed("计分方法", "mean：算术平均；trimmed_mean：去掉一个最高分和一个最低分后平均"
                     "（至少 5 位专家）", required=True, vocab="scoring_methods", example="mean"),
    "experts": ListOf("评审专家", item=EXPERT, required=True, min_items=1),
    "publish_expert_names": Fixed("公开专家姓名", "是：页面列出专家姓名和单位；否：只显示编号",
                                   required=True, vocab="yes_no", example=NO),
    "tiers": ListOf("档次", item=TIER, required=True, min_items=1),
    "tie_break": ListOf("决胜规则", item=Text("评分项编号", pattern=SLUG_PATTERN,
                                              pattern_hint=_KEY_HINT),
                        doc="总分相同时依次比较的评分项编号，平均分高者在前；都相同则名次并列",
                        unique=True),
    "objection": Obj("异议受理", "公示期内如何提出异议", required=True, fields={
        "contact": Text("受理单位", required=True, max_len=80, example="某某市人力资源和社会保障局"),
        "phone": Text("电话", pattern=_PHONE, pattern_hint=_PHONE_HINT),
        "email": Text("电子邮箱", pattern=_EMAIL, pattern_hint="电子邮箱地址"),
        "address": Text("地址", max_len=120),
        "note": Text("要求", "例如“以实名书面形式提出，并附相关证明材料”", max_len=300),
    }),
    "application": Obj("申报方式", "征集期间怎样申报：征集中的评选页面写明申报截止日和这里的方式", fields={
        "contact": Text("受理单位", "接收申报材料的单位", max_len=80, example="某某市就业服务中心"),
        "phone": Text("电话", pattern=_PHONE, pattern_hint=_PHONE_HINT),
        "email": Text("电子邮箱", pattern=_EMAIL, pattern_hint="电子邮箱地址"),
        "address": Text("地址", max_len=120),
        "url": Text("申报通知网址", "申报通知原文所在的网址", pattern=_URL,
                    pattern_hint="以 http:// 或 https:// 开头的网址"),
        "note": Text("要求", "例如“由所在地人力资源和社会保障部门推荐，填写申报表并附证明材料”",
                     max_len=300),
    }),
    "entries": ListOf("参评品牌", item=ENTRY),
})



TIMELINE = [
    ("applications_open", "征集开始"),
    ("applications_close", "征集截止"),
    ("review", "评审"),
    ("notice_start", "公示开始"),
    ("notice_end", "公示结束"),
    ("published", "正式公布"),
]
