// Small DOM helpers: elements from tag, attributes and children; templates filled with text or nodes.
// Text from the URL, a CSV file or the calculators is always set as text, never as HTML.

export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") setText(node, value);
    else if (key === "className") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child != null) node.append(child);
  }
  return node;
}

const DATE = /\d{4}-\d{2}-\d{2}/g;

// Text as text; each date in running text (2026-10-02) in a span that keeps it on one line (a table
// cell keeps its text whole by its own style).
function setText(node, value) {
  const text = String(value ?? "");
  if (node.tagName === "TD" || node.tagName === "TH" || !text.match(DATE)) {
    node.textContent = text;
    return;
  }
  let at = 0;
  for (const match of text.matchAll(DATE)) {
    if (match.index > at) node.append(text.slice(at, match.index));
    const span = document.createElement("span");
    span.className = "calc-nowrap";
    span.textContent = match[0];
    node.append(span);
    at = match.index + match[0].length;
  }
  if (at < text.length) node.append(text.slice(at));
}

// "{name}" in a template replaced by values[name] (missing: empty).
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (values[key] != null ? String(values[key]) : ""));
}

// The page's word `key` filled in, in its singular form (`<key>_one`) where the page gives one and
// `values.count` is 1.
export function phrase(words, key, values) {
  return fill((values.count === 1 && words[`${key}_one`]) || words[key], values);
}

// The same as fill, as a list of strings and nodes: a value may be an element (a link, say).
export function fillParts(template, values) {
  return template.split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const key = /^\{(\w+)\}$/.exec(part);
    return key ? values[key[1]] ?? "" : part;
  });
}

// Performance marks for profiling and `make bench`: calc:first-result, calc:input, calc:result, calc:idle.
export function mark(name) {
  if (window.performance && performance.mark) performance.mark(name);
}

// The page's marks of answers, one object shared by its widgets: the first answer on the page is
// calc:first-result, every later one calc:result.
export class AnswerMarks {
  constructor() {
    this.first = true;
  }

  answered() {
    mark(this.first ? "calc:first-result" : "calc:result");
    this.first = false;
  }
}

// A button that saves a CSV file; `content` gives its text, or a promise of it (null: nothing to save).
export function downloadButton(label, content, filename) {
  const button = el("button", { type: "button", className: "md-button", text: label });
  button.addEventListener("click", async () => {
    const body = await content();
    if (body == null) return;
    const link = el("a", { href: URL.createObjectURL(new Blob(["\ufeff" + body], { type: "text/csv" })), download: filename });
    document.body.append(link);
    link.click();
    link.remove();
  });
  return button;
}

// The element attributes that name other elements by id (a space-separated list), and links to an id.
const ID_REFERENCES = ["for", "aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage"];

// Make the ids inside `root` its own: an id that an earlier element of the page already has (the
// same calculator's form twice on a page) gets a suffix, and the labels, ARIA references and
// in-page links inside `root` follow it. The page's first of each id keeps it.
export function ownIds(root) {
  const renamed = new Map();
  for (const node of root.querySelectorAll("[id]")) {
    if (document.getElementById(node.id) === node) continue;
    let n = 2;
    while (document.getElementById(`${node.id}-${n}`)) n += 1;
    renamed.set(node.id, `${node.id}-${n}`);
    node.id = `${node.id}-${n}`;
  }
  if (!renamed.size) return;
  for (const name of ID_REFERENCES) {
    for (const node of root.querySelectorAll(`[${name}]`)) {
      node.setAttribute(name, node.getAttribute(name).split(/\s+/).map((id) => renamed.get(id) || id).join(" "));
    }
  }
  for (const link of root.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (renamed.has(id)) link.setAttribute("href", `#${renamed.get(id)}`);
  }
}
