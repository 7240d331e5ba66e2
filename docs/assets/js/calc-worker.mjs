// The calculators' module worker: loads Pyodide and the calculators wheel, then answers requests.
// Messages in:  {type: "init", indexURL, wheels}  |  {type: "compute", id, name, input, lang, csv}
// Messages out: {type: "progress", stage} | {type: "ready"} | {type: "failed", message}
//               {type: "result", id, ok, payload}   (payload: the JSON text of calculators.api.compute_json)
let api = null;

async function init({ indexURL, wheels }) {
  postMessage({ type: "progress", stage: "loading_runtime" });
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
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
