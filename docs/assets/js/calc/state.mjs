// A widget's state: its form's values as the calculator's JSON input, and the page address that shares them.

// The form's named controls (not the CSV picker, not buttons).
export function controls(form) {
  return [...form.elements].filter((c) => c.name && c.type !== "file" && c.tagName !== "BUTTON");
}

// What a control holds: its text, or the value a shared link gave that the control could not take.
export function text(control) {
  return control.value.trim() || control.dataset.raw || "";
}

// Each field type's JSON type, as calculators/kinds.py (FIELD_TYPES, json_type) declares it; the form
// names a control's field type in its data-type. tests/test_widget_typing.py holds the two together.
export const JSON_TYPES = Object.freeze({ bool: "boolean", date: "string", integer: "integer", number: "number",
  money: "string" });

// A control's text as the JSON value the command line reads for a field of `type`: true or false, an
// integer, a number; text that does not parse, and text fields, stay text, for the calculator to name
// (and, typed as people type figures, "２０" or "1,280", to read: calculators.api.read_as_typed). The
// calculators read the JSON input strictly, as the contract says, so the plain figure is typed here.
export function typed(type, value) {
  const json = Object.prototype.hasOwnProperty.call(JSON_TYPES, type) ? JSON_TYPES[type] : null;
  if (json === "boolean") return value === "true" ? true : value === "false" ? false : value;
  if (json === "integer" && /^[+-]?\d{1,15}$/.test(value)) return Number(value);
  if (json === "number" && /^[+-]?(\d{1,15}(\.\d{0,15})?|\.\d{1,15})$/.test(value)) return Number(value);
  return value;
}

// The named controls' values that are not empty, as [name, value] pairs of the JSON input.
function filled(named) {
  return named.filter((c) => text(c) !== "").map((c) => [c.name, typed(c.dataset.type, text(c))]);
}

export function values(form) {
  return Object.fromEntries(filled(controls(form)));
}

// The fieldset of the form's one list item (fees: the one order), as the generated form declares
// it: data-list names the input's list field, data-item-id the item's id; null when there is none.
function listItem(form) {
  return form.querySelector("fieldset[data-list]");
}

// The JSON input for the calculator, as the CLI would read it: the form's fields, and its one list
// item (fees: the one order) as the list, unless a file (CSV) gives the list's items.
export function input(name, form, hasCsv) {
  const item = listItem(form);
  const data = Object.fromEntries(filled(controls(form).filter((c) => !item || !item.contains(c))));
  if (item && !hasCsv) data[item.dataset.list] = [{ id: item.dataset.itemId, ...Object.fromEntries(filled(controls(item))) }];
  return data;
}

// Whether `control` is a date field holding a date typed in part (it then has no value at all).
export function partialDate(control) {
  return control.type === "date" && Boolean(control.validity?.badInput);
}

// The date fields holding a date typed in part; not the one list item's while a file gives the items
// (its fields are not read then).
export function partialDates(form, hasCsv) {
  const item = listItem(form);
  return controls(form).filter((c) => partialDate(c) && !(hasCsv && item !== null && item.contains(c)));
}

export function hasRequired(name, form, hasCsv) {
  return missing(name, form, hasCsv).length === 0;
}

// The required controls left empty: those the form marks aria-required, and those the one list item
// requires (data-required; fees: the order's date and amount) unless a file gives the items.
export function missing(name, form, hasCsv) {
  const item = listItem(form);
  const inItem = (c) => !hasCsv && item !== null && item.contains(c) && c.dataset.required === "true";
  return controls(form).filter((c) => (c.getAttribute("aria-required") === "true" || inItem(c)) && text(c) === "");
}

// The one list item's controls (fees: the one order): a file's items rest on the same readings.
export function orderControls(form) {
  const item = listItem(form);
  return item ? controls(item) : [];
}

// The markets ticked as of interest (a display choice, kept in the address as markets=…).
export function tickedMarkets(root) {
  return [...root.querySelectorAll("input[data-market]")].filter((b) => b.checked).map((b) => b.dataset.market);
}

// Fill the form from the page address; returns whether it named any field.
export function prefill(root, form, params) {
  const wanted = (params.get("markets") || "").split(",");
  for (const box of root.querySelectorAll("input[data-market]")) box.checked = wanted.includes(box.dataset.market);
  let any = false;
  for (const control of controls(form)) {
    if (!params.has(control.name)) continue;
    const value = params.get(control.name);
    if (control.tagName === "SELECT" && ![...control.options].some((o) => o.value === value)) {
      control.append(new Option(value, value)); // keep what the link said; the calculator will name the fault
    }
    control.value = value;
    // a date input drops a value it cannot show (2024-02-30): show it as text, so that the field
    // does not look empty beside the message that names it
    if (control.value !== value && control.type === "date") {
      control.type = "text";
      control.value = value;
    }
    if (control.value !== value) control.dataset.raw = value;
    any = true;
  }
  return any;
}

// Write the form's values (and the markets of interest) into the page address.
export function updateUrl(root, form) {
  const params = new URLSearchParams();
  for (const c of controls(form)) if (text(c) !== "") params.set(c.name, text(c));
  const ticked = tickedMarkets(root);
  if (ticked.length) params.set("markets", ticked.join(","));
  const query = params.toString();
  history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
}
