// The brand files' own format for Decap CMS: YAML front matter read the way our strict loader
// reads it (YAML failsafe schema: every scalar stays the exact text written, so 0201234567,
// 2024-12 or 1.5 are never turned into numbers or dates), and written back by changing only the
// values the form changed in the original document, so comments, quoting, flow lists and the
// order of fields survive an edit. Fields the form does not know are kept as they were.
import { parseDocument, Document, isMap, isSeq, isScalar } from "./yaml/index.js";

const OPTS = { schema: "failsafe", version: "1.2" };
const STRINGIFY = { lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false };
const CLOSING = /^---[ \t]*$/m;
const originals = new Map(); // slug → front matter text last read, the base of the next save
let ORDER = null; // field order from the generated config.yml: {keys: [...], sub: {key: ORDER}}

function orderOf(fields) {
  const tree = { keys: [], sub: {} };
  for (const f of fields || []) {
    tree.keys.push(f.name);
    if (f.fields) tree.sub[f.name] = orderOf(f.fields);
  }
  return tree;
}

export function setOrder(config) {
  const brands = (config.collections || []).find((c) => c.name === "brands");
  ORDER = brands ? orderOf(brands.fields) : null;
}

function rank(tree, key) {
  const i = tree ? tree.keys.indexOf(key) : -1;
  return i < 0 ? Infinity : i;
}

function sorted(value, tree) {
  // a new value with its fields in the form's (the schema's) order, at every level
  if (Array.isArray(value)) return value.map((v) => sorted(v, tree));
  if (value && typeof value === "object") {
    const out = {};
    const keys = Object.keys(value).sort((a, b) => rank(tree, a) - rank(tree, b));
    for (const k of keys) out[k] = sorted(value[k], tree && tree.sub[k]);
    return out;
  }
  return value;
}

function place(node, pair, tree) {
  // a field added to an existing table goes where the schema puts it, not at the end
  const r = rank(tree, String(pair.key));
  const at = node.items.findIndex((p) => rank(tree, String(isScalar(p.key) ? p.key.value : p.key)) > r);
  if (at < 0) node.items.push(pair);
  else node.items.splice(at, 0, pair);
}

export function splitFile(text) {
  text = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const nl = text.indexOf("\n");
  if (!text.startsWith("---") || text.slice(0, nl).trimEnd() !== "---") return null;
  const rest = text.slice(nl + 1);
  const m = CLOSING.exec(rest);
  if (!m) return null;
  return { fm: rest.slice(0, m.index), body: rest.slice(m.index + m[0].length + 1) };
}

export function fromFile(text) {
  const parts = splitFile(text);
  if (parts === null) return { body: text };
  const doc = parseDocument(parts.fm, OPTS);
  const data = doc.toJS() || {};
  if (typeof data.slug === "string") originals.set(data.slug, parts.fm);
  data.body = parts.body;
  return data;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function plain(value) {
  // what the form holds, as our loader would read it back: text, lists and field tables
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(plain).filter((v) => v !== undefined);
  if (typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const p = plain(v);
      if (p !== undefined) out[k] = p;
    }
    return out;
  }
  return String(value);
}

function empty(v) {
  return v === undefined || v === "" || (Array.isArray(v) && v.length === 0) ||
    (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
}

function update(doc, node, path, before, after, tree) {
  // change `node` (at `path`) from `before` to `after`, touching nothing that did not change
  if (same(before, after)) return;
  if (isMap(node) && after && typeof after === "object" && !Array.isArray(after)) {
    for (const key of Object.keys(before || {})) {
      if (!(key in after) || empty(after[key])) {
        if (!empty(before[key])) node.delete(key);
      }
    }
    for (const [key, value] of Object.entries(after)) {
      if (empty(value) && !(before && key in before)) continue;
      if (empty(value) && empty(before && before[key])) continue;
      const child = node.get(key, true);
      const sub = tree && tree.sub[key];
      if (child !== undefined && before && key in before && !empty(value)) {
        update(doc, child, [...path, key], before[key], value, sub);
      } else if (!empty(value)) {
        place(node, doc.createPair(key, sorted(value, sub)), tree);
      }
    }
    return;
  }
  if (isSeq(node) && Array.isArray(after) && Array.isArray(before) && after.length === before.length) {
    after.forEach((value, i) => update(doc, node.items[i], [...path, i], before[i], value, tree));
    return;
  }
  if (isScalar(node) && typeof after === "string") {
    node.value = after;
    return;
  }
  const fresh = doc.createNode(sorted(after, tree));
  if (isSeq(node) && isSeq(fresh)) fresh.flow = node.flow && after.every((v) => typeof v === "string");
  doc.setIn(path, fresh);
}

export function toFile(data) {
  const { body = "", ...fields } = plain(data) || {};
  const base = originals.get(fields.slug);
  let doc;
  if (base !== undefined) {
    doc = parseDocument(base, OPTS);
    update(doc, doc.contents, [], plain(doc.toJS() || {}), fields, ORDER);
  } else {
    doc = new Document(sorted(prune(fields), ORDER), OPTS);
  }
  let fm = doc.contents && doc.contents.items && doc.contents.items.length
    ? doc.toString(STRINGIFY) : "";
  if (base !== undefined) fm = keepSpacing(base, fm);
  return `---\n${fm}---\n${body}`;
}

function prune(value) {
  // a new record: fields left empty in the form are not written at all
  if (Array.isArray(value)) return value.map(prune);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (!empty(p)) out[k] = p;
    }
    return out;
  }
  return value;
}

function keepSpacing(before, after) {
  // the library writes one space before a trailing comment; keep the line as the editor wrote it
  const norm = (line) => line.replace(/\s+#/, " #");
  // a field's line with its comment, whatever its value: "name:" + "# 注释"
  const slot = (line) => line.slice(0, line.indexOf(":") + 1) + line.slice(line.search(/\s+#/)).trim();
  const lines = new Map();
  const gaps = new Map();
  for (const line of before.split("\n")) {
    if (!/\s#/.test(line)) continue;
    lines.set(norm(line), line);
    gaps.set(slot(line), line.match(/(\s+)#/)[1]);
  }
  return after.split("\n").map((line) => {
    if (!/\s#/.test(line)) return line;
    const same = lines.get(norm(line));
    if (same !== undefined) return same;
    const gap = gaps.get(slot(line));
    return gap === undefined ? line : line.replace(/\s+#/, gap + "#");
  }).join("\n");
}

if (typeof window !== "undefined" && window.CMS) {
  window.CMS.registerCustomFormat("strict-frontmatter", "md", { fromFile, toFile });
  fetch("config.yml").then((r) => r.text()).then((t) => {
    const config = parseDocument(t).toJS();
    setOrder(config);
    window.siteBuilderConfig = config; // the fields' labels, for form.js's messages
  });
}
