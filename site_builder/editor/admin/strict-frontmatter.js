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

function update(doc, node, path, before, after) {
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
      if (child !== undefined && before && key in before && !empty(value)) {
        update(doc, child, [...path, key], before[key], value);
      } else if (!empty(value)) {
        node.set(doc.createNode(key), doc.createNode(value));
      }
    }
    return;
  }
  if (isSeq(node) && Array.isArray(after) && Array.isArray(before) && after.length === before.length) {
    after.forEach((value, i) => update(doc, node.items[i], [...path, i], before[i], value));
    return;
  }
  if (isScalar(node) && typeof after === "string") {
    node.value = after;
    return;
  }
  const fresh = doc.createNode(after);
  if (isSeq(node) && isSeq(fresh)) fresh.flow = node.flow && after.every((v) => typeof v === "string");
  doc.setIn(path, fresh);
}

export function toFile(data) {
  const { body = "", ...fields } = plain(data) || {};
  const base = originals.get(fields.slug);
  let doc;
  if (base !== undefined) {
    doc = parseDocument(base, OPTS);
    update(doc, doc.contents, [], plain(doc.toJS() || {}), fields);
  } else {
    for (const [k, v] of Object.entries(fields)) if (empty(v)) delete fields[k];
    doc = new Document(fields, OPTS);
  }
  const fm = doc.contents && doc.contents.items && doc.contents.items.length
    ? doc.toString(STRINGIFY) : "";
  return `---\n${fm}---\n${body}`;
}

if (typeof window !== "undefined" && window.CMS) {
  window.CMS.registerCustomFormat("strict-frontmatter", "md", { fromFile, toFile });
}
