// A CSV of orders chosen or dropped: read as UTF-8, counted, refused above the page's limit, else computed.
import { el, fill, phrase } from "./dom.mjs";
import { showErrors } from "./errors.mjs";

const MAX_WIDGET_ORDERS = 200000; // more orders than the page computes: the command line takes them

export async function loadCsv(widget, file) {
  const picker = widget.form.querySelector('input[type="file"]');
  widget.markStale();
  const buffer = await file.arrayBuffer();
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    // nothing of the previous file stays: its table, its result, its name and the file chosen go
    clearCsv(widget);
    widget.withdraw();
    showErrors(widget, [{ field: "csv", row: null, message: widget.words.csv_not_utf8, detail: widget.words.csv_not_utf8 }],
      true, null);
    widget.setState("error", "");
    return;
  }
  const count = csvRecords(text) - 1;
  if (count > MAX_WIDGET_ORDERS) { // refused up front, with the command that takes any number
    clearCsv(widget);
    widget.withdraw();
    picker.setAttribute("aria-invalid", "true");
    widget.unavailable(fill(widget.words.too_many_rows, { count: count.toLocaleString(),
      maximum: MAX_WIDGET_ORDERS.toLocaleString() }));
    return;
  }
  widget.csv = { name: file.name, text, count: Math.max(count, 0) };
  showCsv(widget);
  widget.run(true);
}

function showCsv(widget) {
  const hint = document.getElementById("fees-csv-hint");
  const remove = el("button", { type: "button", className: "md-button", text: widget.words.csv_remove });
  remove.addEventListener("click", () => {
    clearCsv(widget);
    widget.withdraw();
    widget.schedule(0);
  });
  hint.replaceChildren(phrase(widget.words, "csv_loaded", { name: widget.csv.name, count: widget.csv.count }) + " ", remove);
}

// No CSV: none kept, none chosen in the picker, and its hint without a file's name.
export function clearCsv(widget) {
  widget.csv = null;
  const picker = widget.form.querySelector('input[type="file"]');
  if (picker) picker.value = "";
  const hint = document.getElementById("fees-csv-hint");
  if (hint) hint.textContent = widget.words.csv_field;
}

// The records of a CSV text: line ends inside a quoted cell do not count, blank lines neither.
function csvRecords(csv) {
  let records = 0;
  let quoted = false;
  let content = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv.charCodeAt(i);
    if (c === 34) quoted = !quoted; // "
    else if ((c === 10 || c === 13) && !quoted) {
      if (content) records++;
      content = false;
      if (c === 13 && csv.charCodeAt(i + 1) === 10) i++;
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 44) content = true;
  }
  return records + (content ? 1 : 0);
}
