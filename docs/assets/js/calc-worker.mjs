// The calculators' module worker: loads Pyodide and the calculators' wheels, then answers the page's messages (calc/protocol.mjs).
import { installWheels } from "./install-wheels.mjs";
import { FROM_WORKER, TO_WORKER, dispatcher, message } from "./calc/protocol.mjs";
import { watchHost } from "./calc/worker/host-checks.mjs";
import { RuntimeSnapshot, canKeepSnapshots } from "./calc/worker/snapshot.mjs";

// A large answer (a CSV of many orders) stays in the runtime (calculators.batches, through
// calculators.api.compute_paged): the page gets the totals and the first page of orders at once, then
// the result's JSON for data-result (a string it never parses, sent as soon as it is written), and
// asks for further pages and for the CSV files when it needs them. Writing and parsing a hundred
// thousand orders before showing anything, or on the page's thread, would keep the answer back or
// freeze the page for seconds. The sizes of a page and of a large answer are the Python's own
// (calculators.display.PAGE_SIZE, WHOLE_TABLE: compute_paged's defaults); the page reads a table's
// page size from its display model.
const JSON_DELAY_MS = 100; // from a large batch's totals to writing its JSON

function post(type, fields) {
  postMessage(message(FROM_WORKER, type, fields));
}

// The wheels are unpacked into site-packages as pip would, without loadPackage (install-wheels.mjs).
async function download(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.split("/").pop()}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// The worker's answers to each message of the page, and what they keep: the runtime's calculators
// API once started, how to start another runtime (for the snapshot), and the batches begun.
function calculatorsWorker() {
  const kept = {
    api: null,
    snapshot: null, // the RuntimeSnapshot of this runtime
    runtime: null, // {loadPyodide, options}: how this runtime was started, for making the snapshot later
    batches: 0, // computations begun: a newer one replaces the kept batch
    current: null, // the id of the newest computation, whose batch is kept
  };

  async function start({ indexURL, stdLibURL, wheels }) {
    let pyodide;
    let how;
    post("progress", { stage: "loading_runtime" });
    // download the wheels while the runtime loads (their URLs are content-hashed, served as immutable)
    const downloads = Promise.all(wheels.map(download));
    downloads.catch(() => {}); // reported below, when they are needed
    const stdlib = stdLibURL || new URL("python_stdlib.zip", indexURL).href;
    const host = watchHost(self, { indexURL, stdLibURL: stdlib });
    try {
      const { loadPyodide } = await Promise.race([import(new URL("pyodide.mjs", indexURL).href), host.watched]);
      const options = { indexURL, stdLibURL: stdlib, stdout: () => {}, stderr: () => {} };
      kept.snapshot = new RuntimeSnapshot({ indexURL, stdLibURL: stdlib, wheels });
      kept.runtime = { loadPyodide, options };
      const restored = await Promise.race([kept.snapshot.restore(loadPyodide, options), host.watched]);
      how = restored.start;
      pyodide = restored.pyodide || await Promise.race([loadPyodide(options), host.watched]);
    } catch (error) {
      throw await host.explained(error);
    }
    post("progress", { stage: "loading_wheels" });
    installWheels(pyodide, await downloads);
    kept.api = pyodide.pyimport("calculators.api");
    const site = pyodide.runPython("import calculators.links\ncalculators.links.site_url()");
    post("ready", { start: how, site });
  }

  async function compute(data) {
    const { api } = kept;
    try {
      // progress over large batches: orders checked and computed, every ten thousand
      const progress = (phase, done, total) => post("rows", { id: data.id, phase, done, total });
      const batch = ++kept.batches;
      kept.current = data.id;
      // JS null would arrive as pyodide.ffi.jsnull; undefined arrives as None
      const payload = api.compute_paged(data.name, data.input, data.lang, data.csv ?? undefined, progress);
      const later = api.batch_json_due(); // the totals now, the JSON next (a "json" message)
      post("result", { id: data.id, ok: true, payload, later });
      if (later) {
        // first let the page draw the totals (a core of its own for that), then write the JSON,
        // unless a newer computation has replaced this batch meanwhile
        await new Promise((resolve) => setTimeout(resolve, JSON_DELAY_MS));
        let json = null;
        try {
          if (batch === kept.batches) json = api.batch_json();
        } catch {
          // null: the page says the calculator failed
        }
        post("json", { id: data.id, json });
      }
    } catch {
      // a bug in the calculators: the page says so without showing the traceback
      post("result", { id: data.id, ok: false });
    }
  }

  const handlers = {
    async init(data) {
      try {
        await start(data);
      } catch (error) {
        post("failed", { message: String((error && error.message) || error) });
      }
    },
    compute,
    page({ id, of, start, count }) {
      const rows = of !== kept.current ? null : kept.api ? JSON.parse(kept.api.batch_page(start, count)) : [];
      post("page", { id, rows });
    },
    file({ id, of, which }) {
      const text = of !== kept.current ? null : kept.api ? kept.api.batch_file(which) : "";
      post("file", { id, text });
    },
    async idle() {
      let made = false;
      try {
        if (kept.runtime && kept.api && canKeepSnapshots()) {
          made = await kept.snapshot.make(kept.runtime.loadPyodide, kept.runtime.options, download);
        }
      } catch {
        // no snapshot: the next page starts normally
      }
      post("idle-done", { snapshot: made });
    },
  };

  return {
    receive: dispatcher(TO_WORKER, handlers),
    // while loading, and not while a snapshot is being tried (its errors are its own)
    loading: () => !kept.api && !kept.snapshot?.restoring,
  };
}

const worker = calculatorsWorker();

// While loading, a failure inside the runtime (a missing or broken wasm file, say) can surface only
// as an unhandled rejection or error in this scope; report it so the page can offer the CLI.
function fail(error) {
  if (worker.loading()) post("failed", { message: String((error && (error.message || error.reason)) || error) });
}
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  fail(event.reason);
});
self.addEventListener("error", (event) => {
  event.preventDefault();
  fail(event.error || event.message);
});

self.onmessage = ({ data }) => worker.receive(data);
