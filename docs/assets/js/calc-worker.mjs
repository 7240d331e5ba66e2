// The calculators' module worker: loads Pyodide and the calculators' wheels, then answers the pages' messages (calc/protocol.mjs).

// Run as a shared worker where the browser has them (calc/connection.mjs): one runtime for every page
// of the site in every tab, kept a short while after the last page goes (extendedLifetime), so that
// the next calculator page of a visit answers without starting a runtime at all. Else a dedicated
// worker, one runtime per page. Both start from the kept snapshot (calc/worker/snapshot.mjs) when
// there is one.
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

// The wheels are unpacked into site-packages as pip would, without loadPackage (install-wheels.mjs).
async function download(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.split("/").pop()}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

// The one runtime of this worker, shared by every page connected to it: how it was started (the
// promise of its start), its calculators API, the wheels installed, and how to start another runtime
// (for the snapshot). `tell(type, fields)` sends a message to every page waiting for the start.
function sharedRuntime() {
  const kept = {
    starting: null, // the promise of the start: {how, site}
    api: null,
    pyodide: null,
    installed: new Set(), // wheel URLs installed
    snapshot: null, // the RuntimeSnapshot of this runtime
    runtime: null, // {loadPyodide, options}: how this runtime was started, for making the snapshot later
    waiting: new Set(), // the posts of the pages waiting for the start (its progress goes to each)
  };
  const tell = (type, fields) => kept.waiting.forEach((post) => post(type, fields));

  async function load({ indexURL, stdLibURL, wheels }) {
    let pyodide;
    let how;
    tell("progress", { stage: "loading_runtime" });
    // download the wheels while the runtime loads (their URLs are content-hashed, served as immutable)
    const downloads = Promise.all(wheels.map(download));
    downloads.catch(() => {}); // reported below, when they are needed
    const stdlib = stdLibURL || new URL("python_stdlib.zip", indexURL).href;
    const host = watchHost(self, { indexURL, stdLibURL: stdlib });
    kept.snapshot = new RuntimeSnapshot({ indexURL, stdLibURL: stdlib, wheels });
    const stored = kept.snapshot.find(); // looked up while the runtime's module loads
    try {
      const { loadPyodide } = await Promise.race([import(new URL("pyodide.mjs", indexURL).href), host.watched]);
      const options = { indexURL, stdLibURL: stdlib, stdout: () => {}, stderr: () => {} };
      kept.runtime = { loadPyodide, options };
      const restored = await Promise.race([kept.snapshot.restore(loadPyodide, options, stored), host.watched]);
      how = restored.start;
      pyodide = restored.pyodide || await Promise.race([loadPyodide(options), host.watched]);
    } catch (error) {
      throw await host.explained(error);
    }
    tell("progress", { stage: "loading_wheels" });
    installWheels(pyodide, await downloads);
    wheels.forEach((url) => kept.installed.add(url));
    kept.pyodide = pyodide;
    kept.api = pyodide.pyimport("calculators.api");
    const site = pyodide.runPython("import calculators.links\ncalculators.links.site_url()");
    return { how, site };
  }

  return {
    kept,
    // Start the runtime with `files` for a page (`post` its messages), or join the runtime started
    // for another page ("running"), installing the wheels this page needs that it lacks.
    async start(files, post) {
      const joining = Boolean(kept.starting);
      kept.waiting.add(post);
      try {
        kept.starting ??= load(files);
        const { how, site } = await kept.starting;
        const missing = files.wheels.filter((url) => !kept.installed.has(url));
        if (missing.length) {
          post("progress", { stage: "loading_wheels" });
          installWheels(kept.pyodide, await Promise.all(missing.map(download)));
          missing.forEach((url) => kept.installed.add(url));
        }
        return { how: joining ? "running" : how, site };
      } finally {
        kept.waiting.delete(post);
      }
    },
    failed(message) {
      tell("failed", { message });
    },
  };
}

// One page's conversation with the runtime: its answers to each message of the page (`post` sends
// to it), and the page's own kept large batch (calculators.api.new_batches), so that pages sharing
// the runtime never replace each other's.
function pageClient(shared, post) {
  const kept = {
    batches: null,
    count: 0, // computations begun: a newer one replaces the kept batch
    current: null, // the id of the newest computation, whose batch is kept
  };
  const { kept: runtime } = shared;

  async function compute(data) {
    try {
      kept.batches ??= runtime.api.new_batches();
      const { batches } = kept;
      // progress over large batches: orders checked and computed, every ten thousand
      const progress = (phase, done, total) => post("rows", { id: data.id, phase, done, total });
      const batch = ++kept.count;
      kept.current = data.id;
      // JS null would arrive as pyodide.ffi.jsnull; undefined arrives as None
      const payload = batches.compute_paged(data.name, data.input, data.lang, data.csv ?? undefined, progress);
      const later = batches.batch_json_due(); // the totals now, the JSON next (a "json" message)
      post("result", { id: data.id, ok: true, payload, later });
      if (later) {
        // first let the page draw the totals (a core of its own for that), then write the JSON,
        // unless a newer computation has replaced this batch meanwhile
        await new Promise((resolve) => setTimeout(resolve, JSON_DELAY_MS));
        let json = null;
        try {
          if (batch === kept.count) json = batches.batch_json();
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
        const { how, site } = await shared.start(data, post);
        post("ready", { start: how, site });
      } catch (error) {
        post("failed", { message: String((error && error.message) || error) });
        if (!runtime.api) stopAfterFailure(); // the runtime itself failed, not only this page's wheels
      }
    },
    compute,
    page({ id, of, start, count }) {
      const rows = of !== kept.current ? null : kept.batches ? JSON.parse(kept.batches.batch_page(start, count)) : [];
      post("page", { id, rows });
    },
    file({ id, of, which }) {
      const text = of !== kept.current ? null : kept.batches ? kept.batches.batch_file(which) : "";
      post("file", { id, text });
    },
    async idle() {
      let made = false;
      try {
        if (runtime.runtime && runtime.api && canKeepSnapshots()) {
          made = await runtime.snapshot.make(runtime.runtime.loadPyodide, runtime.runtime.options, download);
        }
      } catch {
        // no snapshot: the next page starts normally
      }
      post("idle-done", { snapshot: made });
    },
    leave() {
      forget();
    },
  };

  // The page has gone: its kept batch is let go.
  function forget() {
    kept.batches?.destroy?.();
    kept.batches = null;
    kept.current = null;
  }

  return { receive: dispatcher(TO_WORKER, handlers), forget };
}

const shared = sharedRuntime();

// A runtime that failed to start stays failed in this worker (the failed module imports are kept):
// a shared worker closes itself once it has said so, so that the next page starts a new one.
function stopAfterFailure() {
  if (typeof self.onconnect !== "undefined") setTimeout(() => self.close(), 0);
}

// While loading, and not while a snapshot is being tried (its errors are its own)
const loading = () => !shared.kept.api && !shared.kept.snapshot?.restoring;

// While loading, a failure inside the runtime (a missing or broken wasm file, say) can surface only
// as an unhandled rejection or error in this scope; report it so the page can offer the CLI.
function fail(error) {
  if (!loading()) return;
  shared.failed(String((error && (error.message || error.reason)) || error));
  stopAfterFailure();
}
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  fail(event.reason);
});
self.addEventListener("error", (event) => {
  event.preventDefault();
  fail(event.error || event.message);
});

// Messages to one page, each a declared one (protocol.mjs).
const poster = (target) => (type, fields) => target.postMessage(message(FROM_WORKER, type, fields));

if ("onconnect" in self) {
  // a shared worker (calc/connection.mjs): every page of the site, in every tab, on this one runtime
  self.onconnect = ({ ports: [port] }) => {
    const client = pageClient(shared, poster(port));
    port.onmessage = ({ data }) => client.receive(data);
    port.addEventListener("close", () => client.forget()); // the page is gone (where browsers say so)
  };
} else {
  // a dedicated worker: one page's own
  const client = pageClient(shared, poster(self));
  self.onmessage = ({ data }) => client.receive(data);
}
