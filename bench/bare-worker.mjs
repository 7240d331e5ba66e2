// Loads the runtime from the URL it is sent and runs one line of Python.
self.onmessage = async ({ data: indexURL }) => {
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const pyodide = await loadPyodide({ indexURL });
  postMessage(String(pyodide.runPython("1 + 1")));
};
