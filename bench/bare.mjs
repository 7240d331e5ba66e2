// Bare Pyodide for `make bench`: the site's own runtime in a module worker, one line of Python.
const worker = new Worker(new URL("bare-worker.mjs", import.meta.url), { type: "module" });
worker.onmessage = ({ data }) => {
  performance.mark("bare:done");
  document.getElementById("status").textContent = data;
  document.body.dataset.done = "true";
};
worker.postMessage(new URL(new URLSearchParams(location.search).get("runtime"), location.href).href);
