// The calculators' module worker: loads Pyodide and the calculators' wheels, then answers requests.
// Messages in:  {type: "init", indexURL, stdLibURL, wheels}  |  {type: "compute", id, name, input, lang, csv}
//               {type: "page", id, of, start, count} | {type: "file", id, of, which: "csv" | "errors_csv"}
//               (of: the id of the computation whose answer they belong to)
//               {type: "idle"}  (the page is idle after an answer: keep a snapshot for later pages)
// Messages out: {type: "progress", stage} | {type: "failed", message}
//               {type: "ready", start, site}   (start: "snapshot" | "fresh" | "fallback", see startFromSnapshot;
//                 site: the address the calculators' clause links are made from, SITE_URL of the build)
//               {type: "rows", id, phase, done, total}   (progress over a large batch of orders)
//               {type: "result", id, ok, payload, later}   (payload: the JSON text of calculators.api.compute_paged:
//                 for a large batch the totals and the first page of orders only; later: its JSON follows)
//               {type: "json", id, json}   (a large batch's result as JSON, for data-result)
//               {type: "page", id, rows} | {type: "file", id, text}   (rows: the fee table's, as the display model words them;
//                 rows and text null when `of` is not the newest computation: its batch is no longer kept)
//               {type: "idle-done", snapshot}   (snapshot: whether one was made and kept)
import { installWheels } from "./install-wheels.mjs";
let api = null;
let restoring = false; // errors while trying a snapshot are the snapshot's, not the runtime's
let setup = null; // what init was given, for making the snapshot later

// While loading, a failure inside the runtime (a missing or broken wasm file, say) can surface only
// as an unhandled rejection or error in this scope; report it so the page can offer the CLI.
function fail(error) {
  if (!api && !restoring) postMessage({ type: "failed", message: String((error && (error.message || error.reason)) || error) });
}
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  fail(event.reason);
});
self.addEventListener("error", (event) => {
  event.preventDefault();
  fail(event.error || event.message);
});

// The host must serve the runtime as browsers require: Pyodide waits forever on a missing or
// mistyped wasm file, and a module with a non-JavaScript type fails without saying why. The checks
// cost no request of their own when all is well, so nothing is downloaded twice and no cached entry
// is ever partial: the runtime's own requests for the wasm file and the standard library are
// watched as they arrive (status, type, and the wasm file's magic number read from a copy of its
// first bytes), and a module that fails to load is asked about afterwards (a HEAD request, not
// cached). `watched` rejects naming the file and what is wrong; it never settles otherwise.
const JS_TYPES = ["text/javascript", "application/javascript", "application/x-javascript", "module"];
const WASM = "pyodide.asm.wasm";
const MODULES = ["pyodide.mjs", "pyodide.asm.mjs"];
let reportProblem = () => {};
const watched = new Promise((resolve, reject) => { reportProblem = reject; });
watched.catch(() => {}); // raced against the load below, where it is reported

function typeOf(response) {
  return (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
}

function problemOf(name, response, types) {
  if (!response.ok) return `server: ${name}: HTTP ${response.status}`;
  const type = typeOf(response);
  if (types && !types.includes(type)) return `server: ${name} is served as "${type || "no type"}"; it must be ${types[0]}`;
  return null;
}

// The first four bytes of the wasm file, from a copy of the response the runtime reads (a tee: the
// bytes come once over the network; the copy is dropped after its first bytes).
async function checkWasmMagic(response) {
  const reader = response.clone().body.getReader();
  let bytes = new Uint8Array(0);
  while (bytes.length < 4) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes = new Uint8Array([...bytes, ...value.subarray(0, 4 - bytes.length)]);
  }
  reader.cancel().catch(() => {});
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error(`server: ${WASM} is not a WebAssembly file (its first bytes are not \\0asm)`);
  }
}

// Every fetch of the runtime (Pyodide calls the global fetch) passes here: the wasm file and the
// standard library are checked on their way in.
function watchRuntimeFetches(stdLibURL) {
  const realFetch = self.fetch.bind(self);
  self.fetch = async (resource, options) => {
    const response = await realFetch(resource, options);
    const url = String(resource instanceof Request ? resource.url : resource);
    const name = url.split("?")[0].split("/").pop();
    if (name === WASM || url === stdLibURL) {
      const problem = problemOf(name, response, name === WASM ? ["application/wasm"] : null);
      if (problem) reportProblem(new Error(problem));
      else if (name === WASM) checkWasmMagic(response).catch(reportProblem);
    }
    return response;
  };
}

// After a failure to load: what the host says about each module of the runtime, or null.
async function diagnoseModules(indexURL) {
  for (const name of MODULES) {
    try {
      const response = await fetch(new URL(name, indexURL), { method: "HEAD", cache: "no-store" });
      const problem = problemOf(name, response, JS_TYPES);
      if (problem) return problem;
    } catch (error) {
      return `server: ${name}: ${String((error && error.message) || error)}`;
    }
  }
  return null;
}

// A load that failed: the host's problem with the runtime when there is one (seen on the way in, or
// found by asking about its modules), else the error itself.
async function explained(error, indexURL) {
  const seen = await Promise.race([watched.then(() => null, (problem) => problem),
                                   new Promise((resolve) => setTimeout(() => resolve(null), 2000))]);
  if (seen) return seen;
  const problem = await diagnoseModules(indexURL);
  return problem ? new Error(problem) : error;
}

// --- memory snapshot: a later page starts from the runtime as it was after an answer ------------
// Made in a second runtime when the page is idle after its first answer (Pyodide's _makeSnapshot),
// with the calculators wheel (the first of `wheels`) installed and imported. Kept in Cache Storage
// under a key naming the runtime, the standard library and that wheel (all versioned or content-
// hashed URLs, so a new release never meets an old snapshot), with its SHA-256; read back only if
// the digest matches, and any failure to restore falls back to a normal start.
const SNAPSHOT_CACHE = "calc-runtime-snapshot-v1";

function snapshotKey({ indexURL, stdLibURL, wheels }) {
  const id = encodeURIComponent(JSON.stringify([indexURL, stdLibURL || "", wheels[0] || ""]));
  return new URL(`__calc-snapshot__?${id}`, indexURL).href;
}

async function sha256(bytes) {
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

// The stored snapshot's response (its body not yet read), or null.
async function findSnapshot(key) {
  try {
    if (!self.caches || !crypto.subtle) return null;
    return (await (await caches.open(SNAPSHOT_CACHE)).match(key)) || null;
  } catch {
    return null;
  }
}

// Its bytes, once their digest is checked: a damaged snapshot is refused, never restored.
async function verified(response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if ((await sha256(bytes)) !== response.headers.get("x-sha256")) throw new Error("damaged snapshot");
  return bytes;
}

async function dropSnapshot(key) {
  try {
    await (await caches.open(SNAPSHOT_CACHE)).delete(key);
  } catch {
    // nothing to drop
  }
}

async function makeSnapshot(loadPyodide, options, key, wheel) {
  const cache = await caches.open(SNAPSHOT_CACHE);
  if (await cache.match(key)) return false;
  const pyodide = await loadPyodide({ ...options, _makeSnapshot: true });
  installWheels(pyodide, [await download(wheel)]); // from the HTTP cache
  pyodide.runPython(`
import calculators.api
calculators.api.compute_json("eligibility", "{}", "zh", None)  # the policy, read and kept in memory
`);
  const snapshot = pyodide.makeMemorySnapshot();
  const headers = { "content-type": "application/octet-stream", "x-sha256": await sha256(snapshot) };
  await cache.put(key, new Response(snapshot, { headers }));
  return true;
}

async function startFromSnapshot(loadPyodide, options, key) {
  const stored = await findSnapshot(key);
  if (!stored) return { pyodide: null, start: "fresh" };
  restoring = true;
  try {
    // the snapshot is read and checked while the runtime compiles and fetches its standard library
    const pyodide = await loadPyodide({ ...options, _loadSnapshot: verified(stored) });
    pyodide.runPython("import calculators.api"); // present in the restored memory
    return { pyodide, start: "snapshot" };
  } catch {
    await dropSnapshot(key);
    return { pyodide: null, start: "fallback" };
  } finally {
    restoring = false;
  }
}

// --- the wheels: unpacked into site-packages as pip would, without loadPackage ---------------------
// (loadPackage brings in tarfile, email and importlib.metadata, and leaves JavaScript references a
// snapshot cannot hold; a wheel is a zip of the files to place, which Python's zipfile unpacks)

async function download(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.split("/").pop()}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}


// --- start -------------------------------------------------------------------------------------

async function init({ indexURL, stdLibURL, wheels }) {
  let pyodide;
  let start;
  postMessage({ type: "progress", stage: "loading_runtime" });
  // download the wheels while the runtime loads (their URLs are content-hashed, served as immutable)
  const downloads = Promise.all(wheels.map(download));
  downloads.catch(() => {}); // reported below, when they are needed
  const stdlib = stdLibURL || new URL("python_stdlib.zip", indexURL).href;
  watchRuntimeFetches(stdlib);
  try {
    const { loadPyodide } = await Promise.race([import(new URL("pyodide.mjs", indexURL).href), watched]);
    const options = { indexURL, stdLibURL: stdlib, stdout: () => {}, stderr: () => {} };
    const key = snapshotKey({ indexURL, stdLibURL: stdlib, wheels });
    setup = { loadPyodide, options, key, wheel: wheels[0] };
    const restored = await Promise.race([startFromSnapshot(loadPyodide, options, key), watched]);
    start = restored.start;
    pyodide = restored.pyodide || await Promise.race([loadPyodide(options), watched]);
  } catch (error) {
    throw await explained(error, indexURL);
  }
  postMessage({ type: "progress", stage: "loading_wheels" });
  installWheels(pyodide, await downloads);
  api = pyodide.pyimport("calculators.api");
  const site = pyodide.runPython("import calculators.links\ncalculators.links.site_url()");
  postMessage({ type: "ready", start, site });
}

// A large answer (a CSV of many orders) stays in the runtime (calculators.api.compute_paged): the
// page gets the totals and the first page of orders at once, then the result's JSON for data-result
// (a string it never parses, sent as soon as it is written), and asks for further pages and for the
// CSV files when it needs them. Writing and parsing a hundred thousand orders before showing
// anything, or on the page's thread, would keep the answer back or freeze the page for seconds.
const PAGE = 100; // orders a page
const LARGE = 1000; // orders of an answer above which it is kept and paged
const JSON_DELAY_MS = 100; // from a large batch's totals to writing its JSON
let batches = 0; // computations begun: a newer one replaces the kept batch
let current = null; // the id of the newest computation, whose batch is kept
self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      await init(data);
    } catch (error) {
      postMessage({ type: "failed", message: String((error && error.message) || error) });
    }
  } else if (data.type === "compute") {
    try {
      // progress over large batches: orders checked and computed, every ten thousand
      const progress = (phase, done, total) => postMessage({ type: "rows", id: data.id, phase, done, total });
      // JS null would arrive as pyodide.ffi.jsnull; undefined arrives as None
      const batch = ++batches;
      current = data.id;
      const payload = api.compute_paged(data.name, data.input, data.lang, data.csv ?? undefined, progress, PAGE, LARGE);
      const later = api.batch_json_due(); // the totals now, the JSON next (a "json" message)
      postMessage({ type: "result", id: data.id, ok: true, payload, later });
      if (later) {
        // first let the page draw the totals (a core of its own for that), then write the JSON,
        // unless a newer computation has replaced this batch meanwhile
        await new Promise((resolve) => setTimeout(resolve, JSON_DELAY_MS));
        let json = null;
        try {
          if (batch === batches) json = api.batch_json();
        } catch {
          // null: the page says the calculator failed
        }
        postMessage({ type: "json", id: data.id, json });
      }
    } catch (error) {
      // a bug in the calculators: the page says so without showing the traceback
      postMessage({ type: "result", id: data.id, ok: false });
    }
  } else if (data.type === "page") {
    const rows = data.of !== current ? null : api ? JSON.parse(api.batch_page(data.start, data.count)) : [];
    postMessage({ type: "page", id: data.id, rows });
  } else if (data.type === "file") {
    const text = data.of !== current ? null : api ? api.batch_file(data.which) : "";
    postMessage({ type: "file", id: data.id, text });
  } else if (data.type === "idle") {
    let made = false;
    try {
      if (setup && api && self.caches && crypto.subtle) {
        made = await makeSnapshot(setup.loadPyodide, setup.options, setup.key, setup.wheel);
      }
    } catch {
      // no snapshot: the next page starts normally
    }
    postMessage({ type: "idle-done", snapshot: made });
  }
};
