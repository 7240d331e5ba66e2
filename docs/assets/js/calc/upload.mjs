// A CSV of orders chosen or dropped: its encoding told from its bytes (UTF-8 with or without a BOM, UTF-16,
// GB18030/GBK as Excel saves it in a Chinese locale) and named, counted, refused above the page's limit.
// Nothing here holds a widget: what a file gives is returned, and the hint it is named in is passed in.
import { el, fill, phrase } from "./dom.mjs";
import { csvRecords } from "./csvrows.mjs";

const MAX_WIDGET_ORDERS = 200000; // more orders than the page computes: the command line takes them
// More bytes than the page reads: 200,000 orders as exported take about 8 MB. A larger file is
// refused before it is read, whatever its cells hold, so that the tab keeps its memory.
const MAX_WIDGET_BYTES = 16 * 1024 * 1024;

// What `file` gives, worded with the page's `words`: {csv: {name, text, encoding, count}}; {refused:
// message}, a file the page cannot take (too large, too many orders: the command line can); or
// {unreadable: message}, a file in none of the encodings.
export async function readCsv(file, words) {
  if (file.size > MAX_WIDGET_BYTES) {
    return { refused: fill(words.too_large_file, { size: megabytes(file.size), maximum: megabytes(MAX_WIDGET_BYTES) }) };
  }
  const decoded = decodeCsv(new Uint8Array(await file.arrayBuffer()));
  if (!decoded) return { unreadable: words.csv_not_read };
  const { text, encoding } = decoded;
  const count = csvRecords(text) - 1;
  if (count > MAX_WIDGET_ORDERS) { // refused up front, with the command that takes any number
    return { refused: fill(words.too_many_rows, { count: count.toLocaleString(), maximum: MAX_WIDGET_ORDERS.toLocaleString() }) };
  }
  return { csv: { name: file.name, text, encoding, count: Math.max(count, 0) } };
}

// A CSV as carried to another page: its name, text, encoding and count, nothing else.
export function keptCsv(csv) {
  return { name: csv.name, text: csv.text, encoding: csv.encoding, count: csv.count };
}

const CARRY = "calc-csv-carried";

// On the language switch: keep the loaded `csv` for the page in the other language (`path`), or, when it
// is too large for the tab's storage, its name, for that page to say it must be uploaded again.
export function carryCsv(csv, path) {
  if (!csv) return;
  const { name, text, encoding, count } = csv;
  try {
    sessionStorage.setItem(CARRY, JSON.stringify({ path, name, text, encoding, count }));
  } catch {
    try {
      sessionStorage.setItem(CARRY, JSON.stringify({ path, name, dropped: true }));
    } catch { /* no storage at all: nothing can be said on the other page */ }
  }
}

// What the language switch carried to this page (taken once), or null.
export function carriedCsv() {
  let carried;
  try {
    carried = JSON.parse(sessionStorage.getItem(CARRY) || "null");
    sessionStorage.removeItem(CARRY);
  } catch {
    return null;
  }
  return carried && carried.path === location.pathname ? carried : null;
}

// The hint beside a CSV picker: the one in the picker's own field.
export function hintOf(picker) {
  return picker?.closest(".calc-field")?.querySelector(".calc-hint") || null;
}

// The hint names the loaded `csv`, with a button that removes it (`onRemove`).
export function showCsv(hint, words, csv, onRemove) {
  const remove = el("button", { type: "button", className: "md-button", text: words.csv_remove });
  remove.addEventListener("click", onRemove);
  hint.replaceChildren(csvLoaded(words, csv) + " ", remove);
}

// The hint without a file's name, and nothing chosen in the picker.
export function clearCsv(picker, hint, words) {
  if (picker) picker.value = "";
  if (hint) hint.textContent = words.csv_field;
}

// "Loaded a.csv (3 orders, read as GB18030/GBK)".
export function csvLoaded(words, csv) {
  return phrase(words, "csv_loaded_as", { name: csv.name, count: csv.count, encoding: csv.encoding });
}

// The encodings' own names, as calculators/encodings.py gives them.
const UTF8 = "UTF-8";
const UTF8_BOM = "UTF-8 (BOM)";
const UTF16 = "UTF-16";
const GB18030 = "GB18030/GBK";

function decodeWith(label, bytes) {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

// UTF-16 without a BOM: ASCII text has a zero byte beside each character ("le", "be" or null).
function utf16Order(bytes) {
  const sample = bytes.subarray(0, 4096);
  if (sample.length < 4 || sample.length % 2) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 ? odd++ : even++);
  const half = sample.length / 2;
  if (odd > half * 0.4 && even === 0) return "le";
  if (even > half * 0.4 && odd === 0) return "be";
  return null;
}

// {text, encoding} of a file's bytes, told apart as calculators/encodings.py does; null: none of them.
export function decodeCsv(bytes) {
  const attempt = (label, encoding) => {
    const text = decodeWith(label, bytes);
    return text == null ? null : { text, encoding };
  };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return attempt("utf-8", UTF8_BOM);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return attempt("utf-16le", UTF16);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return attempt("utf-16be", UTF16);
  const order = utf16Order(bytes);
  if (order) return attempt(`utf-16${order}`, UTF16);
  return attempt("utf-8", UTF8) || attempt("gb18030", GB18030);
}

function megabytes(bytes) {
  return (bytes / (1024 * 1024)).toLocaleString(undefined, { maximumFractionDigits: 1 });
}
