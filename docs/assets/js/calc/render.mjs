// Renders a result's display model (calculators/display.py) as it comes: no wording or layout of its own.
import { el, fill, phrase } from "./dom.mjs";

const STYLE = { "rate-change": "calc-note calc-rate-change", totals: "calc-totals", "free-period": "calc-free-period",
  "csv-read": "calc-note calc-csv-read", warning: "calc-unavailable",
  makeup: "calc-makeup" };

// A clause link as the calculators make it (from the address the site was built for, SITE_URL), made
// to lead to the same page of the site the reader is on (any host, port or sub-path); `here` is that
// site's root, `builtFor` the build's address (the worker's "ready" message names it).
export function localLink(href, { builtFor, here } = {}) {
  if (!builtFor || !here || !href.startsWith(builtFor)) return href;
  return new URL(href.slice(builtFor.length), here).href;
}

function section(block, options) {
  const node = el("section", { className: "calc-market" }, [
    el("h3", {}, [block.title + " ", el("span", { className: `calc-verdict calc-verdict--${block.badge.kind}`,
      text: block.badge.text })]),
    block.status ? el("p", { className: "calc-note", text: block.status }) : null,
    block.criteria.length ? el("ul", { className: "calc-criteria" }, block.criteria.map((c) =>
      el("li", { className: c.met ? "calc-met" : "calc-unmet" }, [
        el("span", { className: "calc-mark", "aria-hidden": "true", text: c.mark }), " ",
        el("strong", { text: c.text }), ` — ${c.reason} `, el("a", { href: localLink(c.link.href, options.site), text: c.link.text }),
      ]))) : null,
    ...block.notes.map((note) => el("p", { className: "calc-note", text: note })),
  ]);
  if (block.market) node.dataset.market = block.key;
  return node;
}

// The first line that decides: what the provider can do on the day evaluated, then what stands in the
// way of every market and of each market of interest (`chosen`; the others are in their sections).
function decision(block, chosen) {
  const lines = block.markets.filter((line) => line.key === "markets_common" || chosen.includes(line.key));
  return el("div", { className: `calc-decision calc-decision--${block.today.kind}` }, [
    el("p", {}, [el("strong", { text: block.today.text })]),
    lines.length ? el("ul", {}, lines.map((line) => el("li", { "data-market": line.key, text: line.text }))) : null,
  ]);
}

function text(block) {
  return el("p", block.style ? { className: STYLE[block.style] } : {},
    block.parts.map((part) => el(part.strong ? "strong" : "span", { text: part.text })));
}

// A fee table; a long one a page at a time, its further pages asked of `pageRows(start, count)` (null:
// none to show), its pager off while `stale()`.
function table(block, { words, pageRows, stale }) {
  const row = (cells) => el("tr", {}, cells.map((cell, i) =>
    el("td", { text: cell, "data-label": block.headings[i] }))); // the label shows where rows stack (phones)
  const body = el("tbody", {}, block.rows.map(row));
  const totals = block.totals.map((cell, i) => (i === 0 ? el("th", { scope: "row", text: cell })
    : el("td", cell ? { text: cell, "data-label": block.headings[i] } : { className: "calc-empty" })));
  const wrap = el("div", { className: "md-typeset__scrollwrap", tabindex: "0", role: "region", "aria-label": block.label },
    [el("div", { className: "md-typeset__table" }, [el("table", { className: "calc-fees-table" }, [
      el("thead", {}, [el("tr", {}, block.headings.map((h) => el("th", { scope: "col", text: h })))]),
      body,
      el("tfoot", {}, [el("tr", {}, totals)]),
    ])])]);
  const paged = block.paged;
  if (!paged) return [wrap];
  let at = 0;
  const where = el("span", { className: "calc-page-where" });
  const previous = el("button", { type: "button", className: "md-button", text: words.page_previous });
  const next = el("button", { type: "button", className: "md-button", text: words.page_next });
  const show = () => {
    where.textContent = fill(words.page_where, { first: (at + 1).toLocaleString(),
      last: Math.min(at + paged.size, paged.total).toLocaleString(), total: paged.total.toLocaleString() });
    previous.disabled = stale() || at === 0;
    next.disabled = stale() || at + paged.size >= paged.total;
  };
  const go = async (to) => {
    const rows = await pageRows(to, paged.size);
    if (!rows || stale()) return;
    at = to;
    body.replaceChildren(...rows.map(row));
    show();
  };
  previous.addEventListener("click", () => go(Math.max(0, at - paged.size)));
  next.addEventListener("click", () => go(at + paged.size));
  show();
  return [wrap, el("p", { className: "calc-actions calc-pager" }, [previous, where, next])];
}

// `options`: {words, chosen (market keys to list first), stale, pageRows, download(block) -> button}
export function renderModel(model, options) {
  const box = el("div", {}, [el("p", { className: "calc-note", text: model.title })]);
  const others = [];
  for (const block of model.blocks) {
    if (block.kind === "section") {
      // the markets of interest first; the others folded together after them
      if (block.market && !options.chosen.includes(block.key)) others.push(block);
      continue;
    }
    if (block.kind === "decision") box.append(decision(block, options.chosen));
    else if (block.kind === "text") box.append(text(block));
    else if (block.kind === "table") box.append(...table(block, options));
    else if (block.kind === "download") box.append(el("p", { className: "calc-actions" }, [options.download(block)]));
  }
  box.append(...model.blocks.filter((b) => b.kind === "section" && !others.includes(b)).map((b) => section(b, options)));
  if (others.length) {
    box.append(el("details", { className: "calc-other-markets" }, [
      el("summary", { text: phrase(options.words, "other_markets", { count: others.length }) }), ...others.map((b) => section(b, options)),
    ]));
  }
  return box;
}

// The markets to list first: ticked in the form, or else those the model says are open.
export function chosenMarkets(model, ticked) {
  if (ticked.length) return ticked;
  return model.blocks.filter((b) => b.kind === "section" && b.market && b.open).map((b) => b.key);
}
