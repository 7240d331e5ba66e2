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

export function values(form) {
  return Object.fromEntries(controls(form).filter((c) => text(c) !== "").map((c) => [c.name, typed(c.dataset.type, text(c))]));
}

// The JSON input for calculator `name`, as the CLI would read it; fees: the form's one order, or
// none when a CSV gives the orders.
export function input(name, form, hasCsv) {
  const v = values(form);
  if (name !== "fees") return v;
  const data = {};
  if (v.onboarded_on !== undefined) data.onboarded_on = v.onboarded_on;
  if (v.deposit !== undefined) data.deposit = v.deposit;
  if (!hasCsv) {
    const order = { id: "1" };
    for (const key of ["date", "amount", "refunded"]) if (v[key] !== undefined) order[key] = v[key];
    data.orders = [order];
  }
  return data;
}

export function hasRequired(name, form, hasCsv) {
  return missing(name, form, hasCsv).length === 0;
}

// The required controls left empty (fees: the one order's date and amount, unless a CSV gives the orders).
export function missing(name, form, hasCsv) {
  if (name === "fees") {
    if (hasCsv) return [];
    return ["date", "amount"].map((key) => form.querySelector(`[name="${key}"]`)).filter((c) => c && text(c) === "");
  }
  return controls(form).filter((c) => c.getAttribute("aria-required") === "true" && text(c) === "");
}

// The one order's controls (fees): a CSV's orders rest on the same readings.
export function orderControls(form) {
  return ["date", "amount", "refunded"].map((key) => form.querySelector(`[name="${key}"]`)).filter(Boolean);
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
