// The calculators' module worker: loads Pyodide and the calculators wheel, then answers requests.
// Messages in:  {type: "init", indexURL, wheels}  |  {type: "compute", id, name, input, lang, csv}
// Messages out: {type: "progress", stage} | {type: "ready"} | {type: "failed", message}
//               {type: "result", id, ok, payload}   (payload: the JSON text of calculators.api.compute_json)
let api = null;

// While loading, a failure inside the runtime (a missing or broken wasm file, say) can surface only
// as an unhandled rejection or error in this scope; report it so the page can offer the CLI.
function fail(error) {
  if (!api) postMessage({ type: "failed", message: String((error && (error.message || error.reason)) || error) });
}
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  fail(event.reason);
});
self.addEventListener("error", (event) => {
  event.preventDefault();
  fail(event.error || event.message);
});

async function init({ indexURL, wheels }) {
  postMessage({ type: "progress", stage: "loading_runtime" });
  // download the wheels while the runtime loads; loadPackage then finds them in the HTTP cache
  // (their URLs are content-hashed and served as immutable)
  for (const wheel of wheels) fetch(wheel).then((r) => r.arrayBuffer()).catch(() => {});
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  // Pyodide logs a missing or unreadable wasm or stdlib file but never settles; a HEAD request for
  // each, in parallel with the load (no added wait when they are fine), turns that into a failure.
  const probes = ["pyodide.asm.wasm", "python_stdlib.zip"].map((name) =>
    fetch(new URL(name, indexURL), { method: "HEAD" }).then((response) => {
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      return new Promise(() => {});
    }));
  const pyodide = await Promise.race([loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} }), ...probes]);
  postMessage({ type: "progress", stage: "loading_wheels" });
  const problems = [];
  await pyodide.loadPackage(wheels, { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
  try {
    api = pyodide.pyimport("calculators.api");
  } catch (error) {
    throw new Error(problems.join("; ") || String(error));
  }
  postMessage({ type: "ready" });
}

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      await init(data);
    } catch (error) {
      postMessage({ type: "failed", message: String((error && error.message) || error) });
    }
  } else if (data.type === "compute") {
    try {
      // JS null would arrive as pyodide.ffi.jsnull; undefined arrives as None
      const payload = api.compute_json(data.name, data.input, data.lang, data.csv ?? undefined);
      postMessage({ type: "result", id: data.id, ok: true, payload });
    } catch (error) {
      // a bug in the calculators: the page says so without showing the traceback
      postMessage({ type: "result", id: data.id, ok: false });
    }
  }
};
