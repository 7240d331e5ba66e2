// What the calculators said was wrong: under each field, in a summary that links to the fields, and
// for a CSV its bad rows grouped by problem with a downloadable report; also "the calculator cannot run".
// Each function is given the parts of one widget it writes into (`view`: {root, form, summary, words}) and
// finds everything else inside that widget's root, never by an id of the page.
import { downloadButton, el, fill, fillParts, phrase } from "./dom.mjs";

// The note under a field (its .calc-field-error), in the field's own box.
function noteOf(control) {
  return control.closest(".calc-field")?.querySelector(".calc-field-error") || null;
}

export function clearErrors(root, summary) {
  summary.hidden = true;
  summary.textContent = "";
  for (const c of root.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  for (const p of root.querySelectorAll(".calc-field-error")) {
    p.hidden = true;
    p.textContent = "";
  }
}

function fieldFor(form, problem) {
  if (problem.row != null || problem.field === "csv") return form.querySelector('input[type="file"]');
  const name = String(problem.field || "").replace(/^orders\[\d+\]\./, "");
  return name ? form.querySelector(`[name="${CSS.escape(name)}"]`) : null;
}

// The rows that `problems` name, each once (a row may have several problems).
function rowsOf(problems) {
  return [...new Set(problems.map((p) => p.row))];
}

// What a group of rows with one kind of problem holds: the problem as its rows give it, quoting the
// values they hold (the first few, and how many more), never one row's value for all.
function groupProblem(group, words) {
  if (!group[0].template) return group[0].detail;
  const values = [...new Set(group.map((p) => p.value))];
  if (values.length === 1) return group[0].detail;
  const listed = values.slice(0, 3).join(words.enum_sep);
  const text = values.length > 3 ? fill(words.values_more, { values: listed, more: values.length - 3 }) : listed;
  return fill(group[0].template, { value: text });
}

// Bad rows of a CSV, usable however many: one line per kind of problem with its count and first
// rows, and the full report to download (row, id, field, problem). `counts`: the rows counted by
// the calculators ({rows, groups: {"code|field": rows}}), which send the first rows of each kind only.
function rowSummary(problems, words, errorsCsv, counts) {
  const groups = new Map();
  for (const p of problems) {
    const key = `${p.code || ""}|${String(p.field || "").replace(/^orders\[\d+\]\./, "")}|${p.template || p.detail}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  // the calculators count rows by kind (code and field); a kind whose rows say it in one way takes that count
  const kinds = new Map();
  for (const key of groups.keys()) {
    const kind = key.split("|").slice(0, 2).join("|");
    kinds.set(kind, (kinds.get(kind) || 0) + 1);
  }
  const list = el("ul", { className: "calc-row-groups" }, [...groups].map(([key, group]) => {
    const rows = rowsOf(group);
    const kind = key.split("|").slice(0, 2).join("|");
    const count = kinds.get(kind) === 1 ? counts?.groups?.[kind] ?? rows.length : rows.length;
    const shown = rows.slice(0, 5).join(words.enum_sep);
    return el("li", { text: phrase(words, "csv_group", { count, problem: groupProblem(group, words),
      rows: count > 5 ? fill(words.rows_more, { rows: shown }) : phrase(words, "rows_list", { rows: shown, count }) }) });
  }));
  const total = counts?.rows ?? rowsOf(problems).length;
  const box = el("div", {}, [el("p", { text: phrase(words, "csv_bad_rows", { count: total }) }), list]);
  if (errorsCsv) box.append(downloadButton(words.download_errors, errorsCsv, "fees-errors.csv"));
  return box;
}

// `moveFocus`: the summary takes the focus; `errorsCsv`: null, or a function giving (a promise of) the error
// report of a CSV's bad rows; `counts`: for a CSV, its bad rows as the calculators counted them (they send
// only the first of each kind).
export function showErrors(view, problems, { moveFocus = false, errorsCsv = null, counts = null } = {}) {
  const { root, form, summary, words } = view;
  clearErrors(root, summary);
  const list = el("ul");
  const rows = problems.filter((p) => p.row != null);
  if (rows.length) {
    const picker = form.querySelector('input[type="file"]');
    picker.setAttribute("aria-invalid", "true");
    const note = noteOf(picker);
    note.textContent = phrase(words, "csv_bad_rows_field", { count: counts?.rows ?? rowsOf(rows).length }); // a sentence
    note.hidden = false;
    list.append(el("li", {}, [rowSummary(rows, words, errorsCsv, counts)]));
  }
  for (const problem of problems.filter((p) => p.row == null)) {
    const control = fieldFor(form, problem);
    const item = el("li");
    if (control) {
      control.setAttribute("aria-invalid", "true");
      const note = noteOf(control);
      if (note) {
        note.textContent = (note.textContent ? note.textContent + " " : "") + problem.detail;
        note.hidden = false;
      }
      const label = root.querySelector(`label[for="${CSS.escape(control.id)}"]`);
      const link = el("a", { href: `#${control.id}`, text: label ? label.textContent : problem.field });
      link.addEventListener("click", (event) => {
        event.preventDefault();
        control.focus();
      });
      item.append(...fillParts(words.label_value, { label: link, value: problem.detail }));
    } else {
      item.textContent = problem.message;
    }
    list.append(item);
  }
  summary.append(el("p", { text: words.errors_title }), list);
  summary.hidden = false;
  if (moveFocus) summary.focus();
}

// The calculator cannot answer: say so at the top of the widget (not below a long form), with the
// command line that runs the same calculator. `detail`: what the worker's probe found wrong with the host.
export function showUnavailable(view, message, detail) {
  const { root, form, words } = view;
  root.querySelector(".calc-unavailable-top")?.remove();
  const parts = [el("p", { text: message }), el("pre", {}, [el("code", { text: words.cli })])];
  if (detail) parts.push(el("p", { className: "calc-detail", text: detail }));
  form.before(el("div", { className: "calc-unavailable calc-unavailable-top", role: "alert" }, parts));
}

// What the worker's runtime probe found wrong with the host, or "".
export function serverProblem(error) {
  const message = (error && error.message) || "";
  return message.startsWith("server: ") ? message.slice(8) : "";
}

// Beside each field typed as people type ("２０", "1,280.00"): what it was read as.
export function showRead(root, notes) {
  for (const p of root.querySelectorAll(".calc-read")) p.remove();
  for (const [name, note] of Object.entries(notes || {})) {
    const control = root.querySelector(`form [name="${CSS.escape(name)}"]`);
    if (control) control.parentNode.append(el("p", { className: "calc-read", id: `${control.id}-read`, text: note }));
  }
}
