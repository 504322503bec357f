"""Reviews a non-programmer can read: what each changed record changes on the public site."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Reporter
from ..load.frontmatter import read_document
from ..load.settings import load_settings
from ..schema.brand import BRAND, PUBLISHED
from ..schema.fields import Amount, ListOf, Number, Obj, Spec, label_words
from ..schema.round import ROUND
from ..text import clip

BODY = {"brands": "品牌故事", "evaluations": "评选公告"}
KINDS = {"brands": ("品牌档案", BRAND), "evaluations": ("评选档案", ROUND)}
# Listing pages that show a brand's field, by field (besides the brand's own page).
_TAXONOMY = {"category": "categories", "districts": "districts", "programs": "programs",
             "cooperation_regions": "regions"}
_LISTED = {"people": ["people/"], "venues": ["venues/"], "figures": ["stats/"]}


@dataclass
class RecordChange:
    path: str  # repository-relative
    name: str
    lines: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    note: str = ""


def plain(node: Node | None):
    """A node tree as plain text, lists and tables, without validation (any record can be read)."""
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SequenceNode):
        return [plain(n) for n in node.value]
    if isinstance(node, MappingNode):
        return {k.value: plain(v) for k, v in node.value if isinstance(k, ScalarNode)}
    return None


def read_record(relpath: str, data: bytes | None) -> tuple[dict, str] | None:
    """(fields, body) of a record file as written, or None when absent or unreadable."""
    if data is None:
        return None
    doc = read_document(relpath, data, Reporter(relpath))
    if doc is None or doc.root is None:
        return None
    return plain(doc.root) or {}, doc.body


def _q(value) -> str:
    return f"“{clip(str(value), 60)}”"


def _empty(v) -> bool:
    return v is None or v == "" or v == [] or v == {}


def _item_name(item) -> str:
    if isinstance(item, dict):
        for key in ("name", "label", "id", "title", "brand", "key", "path"):
            if isinstance(item.get(key), str) and item[key]:
                return item[key]
        return "（未命名）"
    return str(item)


def _item_key(item, spec: Obj) -> str:
    return _item_name(item) if isinstance(item, dict) else str(item)


def describe(spec: Spec, old, new, label: str) -> list[str]:
    """Chinese phrases for what changed between two values of one field."""
    if old == new or (_empty(old) and _empty(new)):
        return []
    if _empty(old):
        if isinstance(spec, ListOf):
            return [f"新增{label} {_item_name(v) if isinstance(v, dict) else _q(v)}"
                    for v in new if not _empty(v)] if isinstance(new, list) else [f"新增{label}"]
        if isinstance(spec, Obj):
            return [f"新增{label}"] if not isinstance(new, dict) else [
                p for k, s in spec.fields.items()
                for p in describe(s, None, new.get(k), f"{label}·{s.label}")]
        return [f"新增{label} {_q(new)}"]
    if _empty(new):
        if isinstance(spec, ListOf) and isinstance(old, list):
            return [f"删去{label} {_item_name(v) if isinstance(v, dict) else _q(v)}" for v in old]
        return [f"删去{label}（原为 {_q(old) if not isinstance(old, (dict, list)) else '…'}）"]
    if isinstance(spec, ListOf) and isinstance(old, list) and isinstance(new, list):
        return _describe_list(spec, old, new, label)
    if isinstance(spec, Obj) and isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k, s in spec.fields.items():
            out += describe(s, old.get(k), new.get(k), f"{label}·{s.label}")
        return out
    if isinstance(spec, (Number, Amount)):
        return [f"{label} {old} → {new}"]
    if isinstance(old, dict) and isinstance(new, dict):  # a table keyed by ids (score sheets)
        return [f"{label} {p}" for p in _describe_table(old, new)]
    return [f"{label}：由 {_q(old)} 改为 {_q(new)}"]


def _describe_table(old: dict, new: dict, prefix: str = "") -> list[str]:
    out = []
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key), new.get(key)
        where = f"{prefix}{key}"
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            out += _describe_table(a, b, where + "·")
        elif a is None:
            out.append(f"新增 {where} {_q(b) if not isinstance(b, dict) else ''}".rstrip())
        elif b is None:
            out.append(f"删去 {where}")
        else:
            out.append(f"{where} {a} → {b}")
    return out


def _describe_list(spec: ListOf, old: list, new: list, label: str) -> list[str]:
    item = spec.item
    if not isinstance(item, Obj):
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        parts = [f"新增 {_q(v)}" for v in added] + [f"删去 {_q(v)}" for v in removed]
        if not parts:  # the same values, another order
            return [f"{label}：顺序改为 {'、'.join(map(str, new))}"]
        return [f"{label}：" + "，".join(parts)]
    olds = {_item_key(v, item): v for v in old}
    news = {_item_key(v, item): v for v in new}
    out = []
    for key, v in news.items():
        if key not in olds:
            out.append(f"新增{item.label} {key}")
    for key, v in olds.items():
        if key not in news:
            out.append(f"删去{item.label} {key}")
    for key, v in news.items():
        if key in olds and olds[key] != v:
            changes = []
            for k, s in item.fields.items():
                a = olds[key].get(k) if isinstance(olds[key], dict) else None
                b = v.get(k) if isinstance(v, dict) else None
                if a != b and isinstance(s, (Number, Amount)) and not _empty(a) and not _empty(b):
                    changes.append((s, f"{a} → {b}"))
                else:
                    changes += [(s, p) for p in describe(s, a, b, s.label)]
            if len(changes) == 1 and isinstance(changes[0][0], (Number, Amount)):
                out.append(f"{label} {key} {changes[0][1]}")
            else:
                out.append(f"{label} {key}：" + "，".join(
                    (f"{s.label} {p}" if isinstance(s, (Number, Amount)) else p) for s, p in changes))
    return out


def record_change(relpath: str, old: tuple[dict, str] | None, new: tuple[dict, str] | None
                  ) -> RecordChange:
    """What changed in one record file, field by field in the schema's order, and which pages."""
    folder = PurePosixPath(relpath).parts[0]
    kind, spec = KINDS[folder]
    of, ob = old if old else ({}, "")
    nf, nb = new if new else ({}, "")
    name = str(nf.get("name") or nf.get("title") or of.get("name") or of.get("title")
               or PurePosixPath(relpath).stem)
    ch = RecordChange(relpath, name)
    was, now = of.get("status") == PUBLISHED, nf.get("status") == PUBLISHED
    if old is None:
        ch.note = f"新建{kind}" + ("" if now else f"（{nf.get('status') or '未写发布状态'}：不出现在网站上）")
    elif new is None:
        ch.note = f"删除{kind}" + ("：网站上的页面随之删除" if was else "")
    for key, s in spec.fields.items():
        if old is None and key in ("slug", "status"):
            continue
        ch.lines += describe(s, of.get(key), nf.get(key), s.label)
    unknown = [k for k in {**of, **nf} if k not in spec.fields and of.get(k) != nf.get(k)]
    ch.lines += [f"未知字段 {k}：由 {_q(of.get(k, ''))} 改为 {_q(nf.get(k, ''))}" for k in unknown]
    if ob.strip() != nb.strip() and not (old is None and not nb.strip()):
        ch.lines.append(f"{BODY[folder]}：已修改（{len(ob.strip())} 字 → {len(nb.strip())} 字）")
    if was or now:
        ch.pages = pages_of(folder, PurePosixPath(relpath).stem, of if was else {},
                            nf if now else {})
    return ch


def pages_of(folder: str, stem: str, old: dict, new: dict) -> list[str]:
    """The site paths whose content changes: the record's page and the lists showing it."""
    pages = [""]  # the home page shows progress and featured brands
    if folder == "brands":
        pages += [f"brands/{stem}/", "brands/"]
        for key, tax in _TAXONOMY.items():
            values = set()
            for rec in (old, new):
                v = rec.get(key)
                values.update(v if isinstance(v, list) else [v] if v else [])
            pages += [f"{tax}/{quote(str(v), safe='')}/" for v in sorted(values, key=str)]
        for key, listed in _LISTED.items():
            if old.get(key) != new.get(key):
                pages += listed
    else:
        pages += [f"evaluations/{stem}/", "evaluations/"]
    return list(dict.fromkeys(pages))


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout


def changed_records(root: Path, base: str) -> list[str]:
    """Record files changed since `base` (committed, staged, unstaged or new)."""
    out = _git(root, "diff", "--name-only", "--no-renames", base, "--", "brands", "evaluations")
    out += _git(root, "ls-files", "--others", "--exclude-standard", "--", "brands", "evaluations")
    paths = []
    for p in out.splitlines():
        pp = PurePosixPath(p)
        if len(pp.parts) == 2 and pp.suffix == ".md" and pp.name != "README.md":
            paths.append(p)
    return sorted(dict.fromkeys(paths))


def _at_base(root: Path, base: str, relpath: str) -> bytes | None:
    done = subprocess.run(["git", "show", f"{base}:{relpath}"], cwd=root, capture_output=True,
                          check=False)
    return done.stdout if done.returncode == 0 else None


def summarize_changes(root: Path, base: str) -> list[RecordChange]:
    out = []
    for rel in changed_records(root, base):
        path = root / rel
        new = read_record(rel, path.read_bytes() if path.is_file() else None)
        old = read_record(rel, _at_base(root, base, rel))
        out.append(record_change(rel, old, new))
    settings, _ = load_settings(root)
    vocab = settings.vocab if settings is not None else {}
    for ch in out:  # labels name the region's word for its areas ({area}: 区, 市, 省…)
        ch.lines = [label_words(line, vocab) for line in ch.lines]
    return out


def format_changes(changes: list[RecordChange], base: str, site_url: str = "") -> str:
    """The Chinese Markdown review: one entry per record, then the pages that change (their
    addresses on the site at `site_url`, else from the site's root)."""
    root = site_url.rstrip("/") + "/" if site_url else "/"
    lines = ["## 档案改动说明", ""]
    if not changes:
        return "\n".join(lines + [f"与 `{base}` 相比，没有修改品牌档案或评选档案。", ""])
    lines += [f"与 `{base}` 相比，修改了 {len(changes)} 个档案。以下按字段说明网站上会看到的变化。", ""]
    for c in changes:
        head = f"- **{c.name}**（`{c.path}`）"
        if c.note:
            head += f"：{c.note}"
        lines.append(head)
        if c.lines:
            lines.append("  - " + "；".join(c.lines))
        elif not c.note:
            lines.append("  - 只改了写法（格式、注释或顺序），网站上的内容不变")
        if c.pages:
            lines.append("  - 会变化的页面：" + "、".join(f"`{root}{unquote(p)}`" for p in c.pages))
        else:
            lines.append("  - 不是已发布的档案：公开网站不变")
    pages = sorted({p for c in changes for p in c.pages})
    if pages:
        lines += ["", f"共 {len(pages)} 个页面会变化，预览构件中附有它们的手机宽度截图。"]
    return "\n".join(lines) + "\n"
