// A CSV of orders chosen or dropped: read as UTF-8, counted, refused above the page's limit, else computed.
import { el, fill, phrase } from "./dom.mjs";
import { csvRecords } from "./csvrows.mjs";
import { showErrors } from "./errors.mjs";

const MAX_WIDGET_ORDERS = 200000; // more orders than the page computes: the command line takes them
// More bytes than the page reads: 200,000 orders as exported take about 8 MB. A larger file is
// refused before it is read, whatever its cells hold, so that the tab keeps its memory.
const MAX_WIDGET_BYTES = 16 * 1024 * 1024;

export async function loadCsv(widget, file) {
  const picker = widget.form.querySelector('input[type="file"]');
  widget.markStale();
  if (file.size > MAX_WIDGET_BYTES) {
    refuse(widget, picker, fill(widget.words.too_large_file, { size: megabytes(file.size),
      maximum: megabytes(MAX_WIDGET_BYTES) }));
    return;
  }
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
    refuse(widget, picker, fill(widget.words.too_many_rows, { count: count.toLocaleString(),
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

// A file the page cannot take: nothing of it kept, and the command line that can, named.
function refuse(widget, picker, message) {
  clearCsv(widget);
  widget.withdraw();
  picker.setAttribute("aria-invalid", "true");
  widget.unavailable(message);
}

function megabytes(bytes) {
  return (bytes / (1024 * 1024)).toLocaleString(undefined, { maximumFractionDigits: 1 });
}
