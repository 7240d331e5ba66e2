// The worker's checks that the host serves the runtime as browsers require, made on the runtime's own requests.

// Pyodide waits forever on a missing or mistyped wasm file, and a module with a non-JavaScript type
// fails without saying why. The checks cost no request of their own when all is well, so nothing is
// downloaded twice and no cached entry is ever partial: the runtime's own requests for the wasm file
// and the standard library are watched as they arrive (status, type, and the wasm file's magic
// number read from a copy of its first bytes), and a module that fails to load is asked about
// afterwards (a HEAD request, not cached).
const JS_TYPES = ["text/javascript", "application/javascript", "application/x-javascript", "module"];
const WASM = "pyodide.asm.wasm";
const MODULES = ["pyodide.mjs", "pyodide.asm.mjs"];
const SEEN_WAIT_MS = 2000; // after a failed load, how long a problem seen on the way in may take to show

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

// After a failure to load: what the host says about each module of the runtime, or null.
async function diagnoseModules(fetch, indexURL) {
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

// Watch every fetch of the runtime from here on (Pyodide calls the global fetch of `scope`, the
// worker's global object) for the runtime at `indexURL` and the standard library at `stdLibURL`.
// Returns `watched`, a promise that rejects with an Error naming the file and what is wrong and never
// settles otherwise (race it against each step of the load), and `explained(error)`, which turns a
// failed load into the host's problem with the runtime when there is one (seen on the way in, or
// found by asking about its modules), else the error itself.
export function watchHost(scope, { indexURL, stdLibURL }) {
  const realFetch = scope.fetch.bind(scope);
  let reportProblem = () => {};
  const watched = new Promise((resolve, reject) => { reportProblem = reject; });
  watched.catch(() => {}); // raced against the load, where it is reported

  scope.fetch = async (resource, options) => {
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

  async function explained(error) {
    const seen = await Promise.race([watched.then(() => null, (problem) => problem),
                                     new Promise((resolve) => setTimeout(() => resolve(null), SEEN_WAIT_MS))]);
    if (seen) return seen;
    const problem = await diagnoseModules(realFetch, indexURL);
    return problem ? new Error(problem) : error;
  }

  return { watched, explained };
}
