"""Field specifications: one declaration drives validation, the JSON Schema and the field reference."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics.codes import Code
from ..diagnostics.report import Reporter
from ..text import clip, is_calendar_date
from .quantity import EXAMPLES, MAX_FIGURE, parse_quantity, quantity_mistake, quantity_over_cap

STR_TAG = "tag:yaml.org,2002:str"

INVALID = object()  # a value that failed validation (already reported)


@dataclass
class Ctx:
    """What a validation pass needs besides the node: where to report and the vocabularies."""

    rep: Reporter
    vocab: dict[str, list[str]]
    images: list[tuple[str, str, Node]] = field(default_factory=list)  # (field, path, node)
    refs: list[tuple[str, str, Node]] = field(default_factory=list)  # (field, source id, node)
    videos: list[tuple[str, dict, Node]] = field(default_factory=list)  # (field, value, node)
    # With `keep_values`, every checked node's value (or INVALID) by node, for the rules across
    # fields that run after the schema pass (a round's weights, score sheets, dates).
    values: dict[int, Any] | None = None
    codes: dict[Code, Code] = field(default_factory=dict)  # settings.yml reports its own S codes

    def check(self, spec: Spec, node: Node, where: str) -> Any:
        """Check a child node against its spec, remembering its value when asked to."""
        value = spec.check(node, self, where)
        if self.values is not None:
            self.values[id(node)] = value
        return value

    def code(self, code: Code) -> Code:
        """The code to report: a field-kind code of the record, or the settings' own."""
        return self.codes.get(code, code)

    @property
    def settings(self) -> bool:
        return bool(self.codes)

    def words(self, text: str) -> str:
        """A label with the region's word for its areas (`{area}`: 区, 市, 省…) filled in."""
        return label_words(text, self.vocab)


def label_words(text: str, vocab: dict[str, list[str]]) -> str:
    """`{area}` in a field's label becomes the settings' area word (区 by default)."""
    return text.replace("{area}", (vocab.get("area_label") or ["区"])[0])


@dataclass
class Spec:
    label: str
    doc: str = ""
    required: bool = False
    example: Any = None

    kind = "值"

    def check(self, node: Node, ctx: Ctx, where: str) -> Any:
        raise NotImplementedError

    def json_schema(self, vocab: dict[str, list[str]]) -> dict:
        raise NotImplementedError

    def describe(self, vocab: dict[str, list[str]]) -> str:
        return ""

    def _base_schema(self) -> dict:
        d = {"title": self.label}
        if self.doc:
            d["description"] = self.doc
        return d

    def _wrong_kind(self, node: Node, ctx: Ctx, where: str) -> Any:
        ctx.rep.at_node(node, ctx.code(Code.B003), where, f"{ctx.words(self.label)}应为{self.kind}，实际是{kind_of(node)}；"
                        f"提示：{self.kind_hint(where)}")
        return INVALID

    def kind_hint(self, where: str) -> str:
        return "请参照编辑指南中的字段参考改写。"


_PATTERNS: dict[str, re.Pattern] = {}


def _compiled(pattern: str) -> re.Pattern:
    """Field patterns compiled once (re's own cache lookup costs more than the match)."""
    rx = _PATTERNS.get(pattern)
    if rx is None:
        rx = _PATTERNS[pattern] = re.compile(pattern)
    return rx


def is_empty(node: Node) -> bool:
    """A field written with nothing after the colon (or only `[]`/`{}`) counts as not given."""
    if isinstance(node, ScalarNode):
        return node.value == ""
    return not node.value


@dataclass
class Text(Spec):
    max_len: int | None = None
    pattern: str | None = None
    pattern_hint: str = ""
    multiline: bool = False

    kind = "文字"

    def kind_hint(self, where: str) -> str:
        return f"写成 `{where.rsplit('.', 1)[-1].split('[')[0]}: 文字`，文字里有冒号时整段加引号。"

    def check(self, node: Node, ctx: Ctx, where: str) -> Any:
        if not isinstance(node, ScalarNode):
            return self._wrong_kind(node, ctx, where)
        value = node.value
        # (a text no longer than the limit is within it stripped too: no strip needed)
        if self.max_len is not None and len(value) > self.max_len and len(value.strip()) > self.max_len:
            ctx.rep.at_node(node, ctx.code(Code.B005), where, f"{ctx.words(self.label)}最多 {self.max_len} 个字，"
                            f"实际 {len(value.strip())} 个字；提示：删减到 {self.max_len} 字以内。")
            return INVALID
        if self.pattern and not _compiled(self.pattern).fullmatch(value):
            ctx.rep.at_node(node, ctx.code(Code.B005), where, f"{ctx.words(self.label)}格式不对：应为{self.pattern_hint}，"
                            f"实际为“{clip(value)}”；提示：按要求改写。")
            return INVALID
        if not self.multiline and "\n" in value and "\n" in value.strip():
            ctx.rep.at_node(node, ctx.code(Code.B005), where, f"{ctx.words(self.label)}应为一行文字，实际有多行；"
                            "提示：合并为一行。")
            return INVALID
        return value

    def json_schema(self, vocab):
        d = self._base_schema() | {"type": "string"}
        if self.max_len:
            d["maxLength"] = self.max_len
        if self.pattern:
            d["pattern"] = f"^(?:{self.pattern})$"
        return d

    def describe(self, vocab):
        parts = []
        if self.max_len:
            parts.append(f"最多 {self.max_len} 字")
        if self.pattern_hint:
            parts.append(self.pattern_hint)
        if self.multiline:
            parts.append("可多行（用 `|` 开头）")
        return "；".join(parts)


@dataclass
class Choice(Text):
    """Text that must be one of a vocabulary from the settings file."""

    vocab: str = ""

    def check(self, node, ctx, where):
        value = super().check(node, ctx, where)
        if value is INVALID:
            return value
        allowed = ctx.vocab.get(self.vocab, [])
        if value not in allowed:
            hint = suggest(value, allowed)
            ctx.rep.at_node(node, ctx.code(Code.B004), where, f"“{clip(value)}”不是可选的{ctx.words(self.label)}"
                            f"（{choices_text(value, allowed, self.vocab)}）；提示："
                            + (f"是否要写“{hint}”？" if hint else "改为可选值之一。"))
            return INVALID
        return value

    def json_schema(self, vocab):
        allowed = list(vocab.get(self.vocab, []))
        if not allowed:  # an empty vocabulary (a region without programs): no value is valid
            return self._base_schema() | {"type": "string", "maxLength": 0}
        return self._base_schema() | {"type": "string", "enum": allowed}

    def describe(self, vocab):
        # statuses are fixed by the program (publishing depends on them), not a settings list
        where = "" if self.vocab in FIXED_VOCABULARIES else f"（见 settings.yml 的 `{self.vocab}`）"
        return "可选：" + "、".join(vocab.get(self.vocab, [])) + where


@dataclass
class Suggested(Text):
    """Free text with common values offered for autocompletion."""

    vocab: str = ""

    def json_schema(self, vocab):
        d = super().json_schema(vocab)
        d["examples"] = list(vocab.get(self.vocab, []))
        return d

    def describe(self, vocab):
        return "常用：" + "、".join(vocab.get(self.vocab, [])) + "，也可填写其他"


_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")


@dataclass
class Number(Spec):
    integer: bool = False
    minimum: int | None = 0
    # Bounds keep every value published as written: no exponent form in the open data's JSON
    # (which writes decimals as floating-point numbers) and no digits enough for a phone number.
    maximum: int | None = None
    decimals: int | None = None

    kind = "数字"

    def kind_hint(self, where):
        return "只写阿拉伯数字，例如 `1200`。"

    def check(self, node, ctx, where):
        if not isinstance(node, ScalarNode):
            return self._wrong_kind(node, ctx, where)
        text = node.value
        ok = _NUMBER.fullmatch(text) is not None and not (self.integer and "." in text)
        if not ok:
            want = "整数" if self.integer else "数字"
            why = ""
            if re.fullmatch(r"-?0[0-9]+(\.[0-9]+)?", text):
                why = "开头多了 0，"
            elif re.fullmatch(r"-?[0-9]+\.[0-9]*0", text):
                why = "小数末尾多了 0，"
            elif re.search(r"[,，]", text):
                why = "不要写千位分隔符，"
            elif re.search(r"[^\d.\-]", text):
                why = "不要写单位或文字，"
            ctx.rep.at_node(node, ctx.code(Code.B006), where, f"{ctx.words(self.label)}应为{want}，实际为“{clip(text)}”；"
                            f"提示：{why}只写阿拉伯数字，例如 "
                            + ("`10`。" if self.integer else "`1200` 或 `227.7`。"))
            return INVALID
        value = Decimal(text)
        if text.startswith("-") and value == 0:
            ctx.rep.at_node(node, Code.B006, where, f"{self.label}写成了“{text}”；提示：0 前面不要写负号。")
            return INVALID
        places = len(text.partition(".")[2])
        if self.decimals is not None and places > self.decimals:
            ctx.rep.at_node(node, Code.B006, where, f"{self.label}最多 {self.decimals} 位小数，实际为"
                            f" {places} 位（{clip(text)}）；提示：四舍五入到 {self.decimals} 位小数。")
            return INVALID
        if self.maximum is not None and value > self.maximum:
            ctx.rep.at_node(node, Code.B006, where, f"{self.label}不能大于 {self.maximum}，实际为 "
                            f"{clip(text)}；提示：核对数值是否多写了位数；很大的数目请换用更大的单位（如“万人”“亿元”）。")
            return INVALID
        if self.minimum is not None and value < self.minimum:
            ctx.rep.at_node(node, ctx.code(Code.B006), where, f"{ctx.words(self.label)}不能小于 {self.minimum}，实际为 {text}；"
                            "提示：检查是否多写了负号。")
            return INVALID
        return int(value) if self.integer else value

    def json_schema(self, vocab):
        """A number, or its digits quoted: every scalar is text to the loader, so `"10"` is 10."""
        number = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            number["minimum"] = self.minimum
        if self.maximum is not None:
            number["maximum"] = self.maximum
        digits = r"-?(0|[1-9][0-9]*)" if self.integer else _NUMBER.pattern
        return self._base_schema() | {"anyOf": [number, {"type": "string",
                                                          "pattern": f"^(?:{digits})$"}]}

    def describe(self, vocab):
        text = "整数" if self.integer else "数字，可带小数"
        if self.decimals is not None and not self.integer:
            text += f"（最多 {self.decimals} 位）"
        if self.maximum is not None:
            low = "" if self.minimum is None else f"{self.minimum} 到 "
            text += f"；{low}{self.maximum}"
        return text


@dataclass
class Amount(Spec):
    """A figure as the report states it: a plain number (kept as a Decimal), or text such as
    约3万, 3万+, 1–2万, 超过16亿, +40 (kept as written; schema/quantity.py reads it)."""

    kind = "数字或报道中的写法"

    def kind_hint(self, where):
        return f"写成 {EXAMPLES}。"

    def check(self, node, ctx, where):
        if not isinstance(node, ScalarNode):
            return self._wrong_kind(node, ctx, where)
        text = node.value
        if _NUMBER.fullmatch(text):  # an exact number: the bounds of any published number
            return Number(self.label, minimum=0, maximum=MAX_FIGURE, decimals=4).check(
                node, ctx, where)
        q = parse_quantity(text)
        big = quantity_over_cap(text) if q is None else None
        if big is not None:  # the cap holds after 万/亿, as for a plain number
            ctx.rep.at_node(node, Code.B006, where, f"{self.label}“{clip(text)}”换算后是 {big:f}，"
                            f"不能大于 {MAX_FIGURE}；提示：核对数值是否多写了位数；很大的数目请换用更大的单位"
                            "（如数值写 `1.5`、单位写“亿元”）。")
            return INVALID
        if q is None:
            why = ""
            if re.fullmatch(r"-?0[0-9]+(\.[0-9]+)?", text):
                why = "开头多了 0，"
            elif re.fullmatch(r"-?[0-9]+\.[0-9]*0", text):
                why = "小数末尾多了 0，"
            elif re.search(r"[,，]", text):
                why = "不要写千位分隔符，"
            else:
                why = quantity_mistake(text)
            ctx.rep.at_node(node, ctx.code(Code.B006), where, f"{ctx.words(self.label)}的写法认不出，"
                            f"实际为“{clip(text)}”；提示：{why}写成 {EXAMPLES}。")
            return INVALID
        if q.negative:  # the sign rule of a plain number: `-3千` is refused as `-5` is
            if q.low is not None and q.low == 0:
                ctx.rep.at_node(node, Code.B006, where, f"{self.label}写成了“{clip(text)}”；提示：0 前面不要写负号。")
            else:
                ctx.rep.at_node(node, ctx.code(Code.B006), where, f"{ctx.words(self.label)}不能小于 0，"
                                f"实际为 {clip(text)}；提示：检查是否多写了负号。")
            return INVALID
        if q.low is not None and q.high is not None and q.low > q.high:
            ctx.rep.at_node(node, Code.B020, where, f"范围“{clip(text)}”的下限大于上限；"
                            "提示：把小的数写在前面，例如 `1–2万`。")
            return INVALID
        return text.strip()

    def json_schema(self, vocab):
        return self._base_schema() | {"anyOf": [{"type": "number"}, {"type": "string"}]}

    def describe(self, vocab):
        return f"数字，或照报道写的约数、范围：{EXAMPLES}"


_DATE_FORMS = {
    # ASCII digits only: `\d` would take full-width digits (２０２４), which no date parser reads.
    "day": (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "YYYY-MM-DD"),
    "partial": (re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"), "YYYY、YYYY-MM 或 YYYY-MM-DD"),
    "month": (re.compile(r"[0-9]{4}(-[0-9]{2})?"), "YYYY 或 YYYY-MM"),
}


# What a record says when its report gives no date (a figure's `as_of`, an honour's `year`):
# any of these words, kept as UNKNOWN_DATE. Never a date guessed from elsewhere.
UNKNOWN_DATE = "不详"
UNKNOWN_DATE_WORDS = ("不详", "日期不详", "年份不详", "时间不详")
# Other ways of saying "not known" that editors write; refused with the accepted word as the fix.
_UNKNOWN_LOOKALIKE = re.compile(r"不明|未知|未注明|未写|没写|无|空|待定|待查|待核实|[?？]|unknown|n/?a|tbd",
                                re.IGNORECASE)


@dataclass
class Date(Spec):
    """A calendar date kept as the ISO text written; `precision` says which forms are allowed.
    With `unknown`, the field may instead say the report gives no date (`不详`, UNKNOWN_DATE)."""

    precision: str = "day"
    unknown: str = ""  # when set, the word shown in hints for "the report gives no date"

    kind = "日期"

    def kind_hint(self, where):
        extra = f"；报道没有写明时写 `{self.unknown}`" if self.unknown else ""
        return f"写成 {_DATE_FORMS[self.precision][1]}{extra}。"

    def check(self, node, ctx, where):
        if not isinstance(node, ScalarNode):
            return self._wrong_kind(node, ctx, where)
        text = node.value
        if self.unknown and text.strip() in UNKNOWN_DATE_WORDS:
            return UNKNOWN_DATE
        rx, form = _DATE_FORMS[self.precision]
        if not rx.fullmatch(text) or not valid_date(text):
            what = "不存在的日期" if rx.fullmatch(text) else "格式不对"
            key = where.rsplit(".", 1)[-1]
            if self.unknown and _UNKNOWN_LOOKALIKE.search(text):
                hint = f"报道没有写明时间时，照写 `{key}: {self.unknown}`，不要自行推断。"
            elif self.unknown:
                hint = f"例如 `2024-03-15`；报道没有写明时间时写 `{key}: {self.unknown}`。"
            else:
                hint = "例如 `2024-03-15`。"
            ctx.rep.at_node(node, ctx.code(Code.B007), where, f"{ctx.words(self.label)}应为 {form} 形式的真实日期，"
                            f"实际为“{clip(text)}”（{what}）；提示：{hint}")
            return INVALID
        return text

    def json_schema(self, vocab):
        text = {"type": "string", "pattern": "^" + _DATE_FORMS[self.precision][0].pattern + "$"}
        if self.precision == "day" and not self.unknown:
            return self._base_schema() | text
        forms = [text]
        if self.precision != "day":
            # editors' YAML 1.2 tooling reads a bare year as a number (anyOf, not a union type:
            # Ajv's strict mode refuses those)
            forms.append({"type": "integer", "minimum": 1800, "maximum": 2200})
        if self.unknown:
            forms.append({"enum": list(UNKNOWN_DATE_WORDS)})
        return self._base_schema() | {"anyOf": forms}

    def describe(self, vocab):
        form = _DATE_FORMS[self.precision][1]
        return f"{form}；报道没有写明时写 `{self.unknown}`" if self.unknown else form


def valid_date(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    y, m, d = (parts + [1, 1])[:3]
    return 1800 <= y <= 2200 and is_calendar_date(y, m, d)


@dataclass
class ListOf(Spec):
    item: Spec = None  # type: ignore[assignment]
    min_items: int = 0
    unique: bool = False

    kind = "列表"

    def kind_hint(self, where):
        key = where.rsplit(".", 1)[-1].split("[")[0]
        return f"写成 `{key}: [甲, 乙]`，或每项一行、以 `- ` 开头。"

    def check(self, node, ctx, where):
        if not isinstance(node, SequenceNode):
            return self._wrong_kind(node, ctx, where)
        out, ok, seen = [], True, {}
        spec, values = self.item, ctx.values
        for i, item in enumerate(node.value):
            if isinstance(item, Rejected):  # an alias, already reported
                ok = False
                continue
            if item.value == "" if isinstance(item, ScalarNode) else not item.value:  # is_empty
                ctx.rep.at_node(item, ctx.code(Code.B015), f"{where}[{i}]", f"{ctx.words(self.label)}的第 {i + 1} 项是空的；"
                                "提示：删去这一项或填上内容。")
                ok = False
                continue
            v = spec.check(item, ctx, f"{where}[{i}]")  # ctx.check, inline
            if values is not None:
                values[id(item)] = v
            if v is INVALID:
                ok = False
                continue
            if self.unique and isinstance(v, str):
                if v in seen:
                    ctx.rep.at_node(item, ctx.code(Code.B015), f"{where}[{i}]", f"{ctx.words(self.label)}中“{clip(v)}”重复"
                                    f"（第 {seen[v] + 1} 项已有）；提示：删去重复项。")
                    ok = False
                    continue
                seen[v] = i
            out.append(v)
        if ok and len(out) < self.min_items:
            ctx.rep.at_node(node, ctx.code(Code.B015), where, f"{ctx.words(self.label)}至少要有 {self.min_items} 项，"
                            f"实际 {len(out)} 项；提示：补上内容。")
            ok = False
        return out if ok else INVALID

    def json_schema(self, vocab):
        d = self._base_schema() | {"type": "array", "items": self.item.json_schema(vocab)}
        if self.min_items:
            d["minItems"] = self.min_items
        if self.unique:
            d["uniqueItems"] = True
        return d

    def describe(self, vocab):
        inner = self.item.describe(vocab)
        s = f"至少 {self.min_items} 项" if self.min_items else ""
        return "；".join(p for p in (s, inner) if p)


@dataclass
class Obj(Spec):
    fields: dict[str, Spec] = field(default_factory=dict)
    form_hint: str = ""  # how to write this table, when the generic advice would not do

    kind = "字段表"

    def kind_hint(self, where):
        return self.form_hint or "每个子字段写一行，例如 `name: …`，并比上一级多缩进两个空格。"

    def check(self, node, ctx, where):
        if not isinstance(node, MappingNode):
            return self._wrong_kind(node, ctx, where)
        out: dict[str, Any] = {}
        ok = True
        rejected: set[str] = set()
        prefix = f"{where}." if where else ""
        fields = self.fields
        required, plain_texts = self._worked_out()
        for k, v in node.value:
            # a key that is plain text (exactly a ScalarNode: not a Rejected alias) and a value
            # that is no alias need neither test below: nearly every pair of every record
            if k.__class__ is not ScalarNode or isinstance(v, Rejected):
                if isinstance(k, Rejected) or isinstance(v, Rejected):  # an alias, already reported
                    ok = False
                    if isinstance(k, ScalarNode):
                        rejected.add(k.value)
                    continue
                if not isinstance(k, ScalarNode):
                    ctx.rep.at_node(k, ctx.code(Code.B002), where or "-", "字段名必须是文字；提示：检查缩进和冒号。")
                    ok = False
                    continue
            key = k.value
            spec = fields.get(key)
            plain = plain_texts.get(key)
            if plain is not None and v.__class__ is ScalarNode:
                # a plain text field within its limit: what `Text.check` gives, without a call
                text = v.value
                if text and len(text) <= plain[0] and (plain[1] or "\n" not in text):
                    if ctx.values is not None:
                        ctx.values[id(v)] = text
                    out[key] = text
                    continue
            if spec is None:
                hint = suggest(key, list(self.fields), labels={n: s.label for n, s in self.fields.items()})
                known = "、".join(self.fields)
                ctx.rep.at_node(k, ctx.code(Code.B002), prefix + key, f"未知字段“{clip(key)}”；提示："
                                + (f"是否要写“{hint}”（{ctx.words(self.fields[hint].label)}）？" if hint
                                   else f"可用字段：{known}。"))
                ok = False
                if hint and not any(isinstance(k2, ScalarNode) and k2.value == hint
                                    for k2, _ in node.value):
                    rejected.add(hint)  # the misspelt key is the missing field: one report
                continue
            if v.value == "" if isinstance(v, ScalarNode) else not v.value:  # is_empty(v), inline
                continue
            val = spec.check(v, ctx, prefix + key)  # ctx.check, inline: every field passes here
            if ctx.values is not None:
                ctx.values[id(v)] = val
            if val is INVALID:
                ok = False
            else:
                out[key] = val
        for key, spec in required:
            if key not in out and key not in rejected and not _reported_under(ctx, prefix + key):
                self.report_missing(node, ctx, prefix + key, spec, where)
                ok = False
        return out if ok else INVALID

    def _worked_out(self) -> tuple[tuple[tuple[str, Spec], ...], dict[str, tuple[float, bool]]]:
        """The required fields, in declaration order, and the fields checked as `Text` checks
        them with no pattern: key -> (their length limit, whether they may hold line breaks);
        a value of one of these within the limit and on one line (when it must be) is valid as
        written. Worked out once for this `fields` (again if it is replaced)."""
        kept = self.__dict__.get("_worked_out_fields")
        if kept is None or kept[0] is not self.fields or kept[1] != len(self.fields):
            required = tuple((k, s) for k, s in self.fields.items() if s.required)
            plain = {k: (float("inf") if s.max_len is None else s.max_len, s.multiline)
                     for k, s in self.fields.items()
                     if isinstance(s, Text) and type(s).check is Text.check and not s.pattern}
            kept = (self.fields, len(self.fields), (required, plain))
            self.__dict__["_worked_out_fields"] = kept
        return kept[2]

    def report_missing(self, node, ctx, where_key, spec, where):
        key = where_key.rsplit(".", 1)[-1]
        key_node = next((k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == key),
                        None)
        present = key_node is not None
        owner = f"{ctx.words(self.label)}中" if where else ""
        state = "是空的" if present else "缺少"
        example = f"，例如 `{key}: {_example(spec, ctx.vocab)}`" if _example(spec, ctx.vocab) else ""
        if isinstance(spec, Date) and spec.unknown:  # a report without a date says so, never guesses
            example += f"；报道没有写明时写 `{key}: {spec.unknown}`，不要推断"
        code = ctx.code(Code.B014 if key == "alt" else Code.B001)
        ctx.rep.at_node(key_node or node, code, where_key,
                        f"{ctx.words(owner)}必填字段“{key}”（{ctx.words(spec.label)}）{state}；"
                        f"提示：补上{ctx.words(spec.label)}{example}。")

    def json_schema(self, vocab):
        return self._base_schema() | {
            "type": "object",
            "properties": {k: s.json_schema(vocab) if s.required else _or_empty(s.json_schema(vocab))
                           for k, s in self.fields.items()},
            "required": [k for k, s in self.fields.items() if s.required],
            "additionalProperties": False,
        }


def _or_empty(schema: dict) -> dict:
    """An optional field may also be written with nothing after the colon (`url:`, `url: ""`,
    `[]`, `{}`): the loader takes that as not given (`is_empty`)."""
    head = {k: schema[k] for k in ("title", "description") if k in schema}
    return head | {"anyOf": [schema, {"enum": [None, "", [], {}]}]}


def _example(spec: Spec, vocab: dict[str, list[str]]):
    """A field's example in the words of this project's settings when it is a choice."""
    inner = spec.item if isinstance(spec, ListOf) else spec
    if isinstance(inner, Choice) and vocab.get(inner.vocab):
        first = vocab[inner.vocab][0]
        return f"[{first}]" if isinstance(spec, ListOf) else first
    return spec.example


def _reported_under(ctx: Ctx, where: str) -> bool:
    return any(d.field == where or d.field.startswith(where + ".") or d.field.startswith(where + "[")
               for d in ctx.rep.items)


@dataclass
class Image(Obj):
    """An image inside the brand's own folder, with alt text; existence is checked per record.
    `extra` declares fields of this image only (the cover's focal point)."""

    extra: dict[str, Spec] = field(default_factory=dict)

    def __post_init__(self):
        self.fields = {
            "path": Text("图片路径", "相对于品牌文件夹 `brands/<slug>/` 的路径", required=True,
                         example="logo.png"),
            "alt": Text("替代文字", "向看不到图片的读者描述图片内容", required=True, max_len=120,
                        example="家政服务站外景"),
        } | self.extra

    def check(self, node, ctx, where):
        value = super().check(node, ctx, where)
        if value is not INVALID:
            path_node = next(v for k, v in node.value if k.value == "path")
            alt_node = next(v for k, v in node.value if k.value == "alt")
            problem = alt_problem(value["alt"], value["path"])
            if problem:
                ctx.rep.at_node(alt_node, Code.B030, f"{where}.alt", f"替代文字“{clip(value['alt'])}”"
                                f"{problem}", hint="")
            ctx.images.append((f"{where}.path", value["path"], path_node))
        return value


# What alt text that describes nothing looks like: a file name, a camera's name for a photo,
# a word for "image".
_FILE_NAME_ALT = re.compile(r"[^\s/\\]*\.(jpe?g|png|webp|gif|svg|bmp|tiff?|heic)", re.IGNORECASE)
_CAMERA_ALT = re.compile(r"(img|dsc|dscn|dcim|pxl|mvimg|wechat|screenshot|image|photo|pic)"
                         r"[-_ ]?[0-9][0-9_-]*", re.IGNORECASE)
_WORD_ALT = {"图片", "图像", "照片", "图", "image", "img", "photo", "picture", "pic", "alt"}


def alt_problem(alt: str, path: str = "") -> str | None:
    """Why an image's alt text describes nothing (blank, a file name, "图片"), or None."""
    text = " ".join(alt.split())
    if not text:
        return "是空白"
    if _FILE_NAME_ALT.fullmatch(text) or _CAMERA_ALT.fullmatch(text) or (
            path and text.lower() in (path.lower(), path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower())):
        return "像是文件名，不是对图片内容的描述"
    if text.lower().strip("。.") in _WORD_ALT:
        return "只是“图片”之类的词，没有描述图片内容"
    return None


@dataclass
class SourceRef(Text):
    """The id of an entry of the record's `sources` list."""

    def check(self, node, ctx, where):
        value = super().check(node, ctx, where)
        if value is not INVALID:
            ctx.refs.append((where, value, node))
        return value


# Lists fixed by the program, not by settings.yml
FIXED_VOCABULARIES = ("statuses", "consent_forms", "conferrers", "page_hide", "source_kinds", "url_kinds")
LONG_VOCABULARY = 12  # a longer list is not spelt out in a message: the nearest few and the count


def choices_text(value: str, allowed: list[str], vocab: str = "") -> str:
    """The allowed values as a message names them: all of a short list; of a long one the
    nearest few, the count and where the list is."""
    if not allowed:
        where = f"settings.yml 的 `{vocab}` 是空的" if vocab else "没有可选值"
        return where
    if len(allowed) <= LONG_VOCABULARY:
        return "可选：" + "、".join(allowed)
    near = [o for o in allowed if value and (value in o or o in value)]
    near += [o for o in difflib.get_close_matches(value, allowed, n=3, cutoff=0.5) if o not in near]
    where = f"，见 settings.yml 的 `{vocab}`" if vocab and vocab not in FIXED_VOCABULARIES else ""
    if near:
        return f"共 {len(allowed)} 个可选值{where}；最接近的：{'、'.join(near[:3])}"
    return f"共 {len(allowed)} 个可选值{where}，例如：{'、'.join(allowed[:3])}"


def suggest(value: str, options: list[str], labels: dict[str, str] | None = None) -> str | None:
    """The closest option to a mistyped value, by spelling, containment or Chinese label."""
    if labels:
        for k, lab in labels.items():
            if value == lab:
                return k
    for o in options:
        if value and (value in o or o in value):
            return o
    close = difflib.get_close_matches(value.lower(), options, n=1, cutoff=0.65)
    return close[0] if close else None


def schedule_fields(what: str) -> dict[str, Date]:
    """When a published record goes live and comes down: the daily build honours both."""
    return {
        "publish_from": Date("上线日期", f"从这一天（北京时间）起{what}才出现在网站上；不填则发布即上线",
                             example="2027-01-01"),
        "publish_until": Date("下线日期", f"从这一天（北京时间）起{what}不再出现在网站上；不填则一直显示",
                              example="2027-12-31"),
    }


def walk_fields(spec: Spec, prefix: str = ""):
    """Yield (dotted path, spec, depth) for every field under an object spec, for the reference."""
    if isinstance(spec, Obj):
        for k, s in spec.fields.items():
            path = f"{prefix}.{k}" if prefix else k
            yield path, s
            inner = s.item if isinstance(s, ListOf) else s
            if isinstance(inner, Obj):
                yield from walk_fields(inner, path + ("[]" if isinstance(s, ListOf) else ""))


class Rejected(ScalarNode):
    """Stands where an alias was used: already reported (Y009), so the schema skips it."""

    def __init__(self, node: Node) -> None:
        super().__init__(STR_TAG, "", node.start_mark, node.end_mark)


def kind_of(node: Node) -> str:
    """What an editor wrote, in words: a list, a field table or a (clipped) text."""
    if isinstance(node, SequenceNode):
        return "列表"
    if isinstance(node, MappingNode):
        return "字段表"
    return f"文字“{clip(node.value)}”"

