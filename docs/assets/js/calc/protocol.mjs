// The messages between the page's worker client (runtime.mjs) and the worker (calc-worker.mjs): each type and its fields, declared once.

// Each type with its field names, none of them to be changed at run time.
const declare = (types) => Object.freeze(Object.fromEntries(Object.entries(types).map(([type, fields]) => [type, Object.freeze(fields)])));

// From the page to the worker. `of`: the id of the computation whose answer a page or file belongs to.
export const TO_WORKER = declare({
  init: ["indexURL", "stdLibURL", "wheels"], // start the runtime with these files
  compute: ["id", "name", "input", "lang", "csv"], // one calculator's answer
  page: ["id", "of", "start", "count"], // orders [start, start + count) of a large batch's fee table
  file: ["id", "of", "which"], // a large batch's CSV file: which is "csv" or "errors_csv"
  idle: [], // the page is idle after an answer: keep a snapshot of the runtime for later pages
  leave: [], // the page is going: its kept batch is let go (the runtime stays for other pages)
});

// From the worker to the page.
export const FROM_WORKER = declare({
  progress: ["stage"], // loading: "loading_runtime", then "loading_wheels"
  failed: ["message"], // the runtime could not start (the host's problem with it, when it has one)
  // started: how ("snapshot" | "fresh" | "fallback"; "running": another page of the site had started
  // it, and this page joined it), and the address the calculators' clause links
  // are made from (SITE_URL of the build)
  ready: ["start", "site"],
  rows: ["id", "phase", "done", "total"], // progress over a large batch of orders
  // payload: the JSON text of calculators.api.compute_paged (for a large batch the totals and the
  // first page of orders only); later: the batch's JSON follows in a "json" message. ok false: the
  // calculators failed
  result: ["id", "ok", "payload", "later"],
  json: ["id", "json"], // a large batch's result as JSON, for data-result (null if it failed or was replaced)
  // rows (the fee table's, as the display model words them) and text are null when `of` is not the
  // newest computation: its batch is no longer kept
  page: ["id", "rows"],
  file: ["id", "text"],
  "idle-done": ["snapshot"], // whether a snapshot was made and kept
});

const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

// A message of `type` from `protocol` (TO_WORKER or FROM_WORKER), with `fields`, each a declared one.
export function message(protocol, type, fields = {}) {
  const declared = has(protocol, type) ? protocol[type] : null;
  if (!declared) throw new Error(`undeclared message type: ${type}`);
  const extra = Object.keys(fields).filter((field) => !declared.includes(field));
  if (extra.length) throw new Error(`undeclared fields of a "${type}" message: ${extra.join(", ")}`);
  return { type, ...fields };
}

// The receiver of `protocol`'s messages: `handlers` holds one function for each of its types and
// for nothing else (checked here, once); a message of any other type is ignored.
export function dispatcher(protocol, handlers) {
  const missing = Object.keys(protocol).filter((type) => typeof handlers[type] !== "function");
  const unknown = Object.keys(handlers).filter((type) => !has(protocol, type));
  if (missing.length || unknown.length) {
    throw new Error(`message handlers: missing ${missing.join(", ") || "none"}; undeclared ${unknown.join(", ") || "none"}`);
  }
  return (data) => (has(handlers, data.type) ? handlers[data.type](data) : undefined);
}
