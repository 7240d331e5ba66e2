// The calculators' worker started from the head of a page (head.mjs), and taken over by the widgets' Runtime.

// A page opened by a link that carries answers starts its runtime before the page itself has loaded:
// the worker downloads and starts Pyodide while the theme and the widgets load. The Runtime
// (runtime.mjs) takes that worker over when it starts, with every message it has sent meanwhile.
// This module is one instance per document (the module map's), so the head's start and the
// Runtime meet here: `kept` is the document's one early start.
import { TO_WORKER, message } from "./protocol.mjs";
import { canShare, connect } from "./connection.mjs";

export const SITE_ROOT = new URL("../../../", import.meta.url); // this file lives at <site>/assets/js/calc/
export const WORKER_URL = new URL("../calc-worker.mjs", import.meta.url);

const kept = { early: null, claimed: false };

// The runtime files a page's widgets name, as the worker's init message takes them: the runtime
// and the standard library of the first, and every wheel any of them needs, once. `named`: objects
// with the widgets' data-runtime, data-stdlib and data-wheels values (runtime, stdlib, wheels).
export function runtimeFiles(named, siteRoot = SITE_ROOT) {
  const first = named[0];
  return {
    indexURL: new URL(first.runtime, siteRoot).href,
    // the trimmed, compiled standard library the site build made (empty: the runtime's own)
    stdLibURL: first.stdlib ? new URL(first.stdlib, siteRoot).href : null,
    wheels: [...new Set(named.flatMap((n) => (n.wheels || "").split(/\s+/).filter(Boolean)
      .map((w) => new URL(w, siteRoot).href)))],
  };
}

// Start the worker with `files` (runtimeFiles), keeping what it says until the Runtime takes it over;
// nothing if the Runtime has already started its own, or the browser cannot run it. On the site's
// shared worker (connection.mjs) this joins the runtime another page is running, if one is.
export function beginEarly(files, shared = canShare()) {
  if (kept.claimed || kept.early || typeof WebAssembly !== "object" || typeof Worker !== "function") return;
  let worker;
  try {
    worker = connect(WORKER_URL, files, shared);
  } catch {
    return; // the Runtime starts its own and reports what fails
  }
  const said = [];
  worker.onmessage = (event) => said.push(["message", event]);
  worker.onerror = (event) => {
    event.preventDefault?.();
    said.push(["error", event]);
  };
  worker.postMessage(message(TO_WORKER, "init", files));
  kept.early = { worker, files, said };
}

// The early worker, if one was started with exactly `files` (and shared or not as `shared` says):
// {worker, handOver(onmessage, onerror)}, where handOver gives the handlers first what the worker
// said meanwhile, then all it says. Null otherwise (a worker started with other files is let go):
// the Runtime starts its own.
export function takeEarly(files, shared = canShare()) {
  kept.claimed = true;
  const early = kept.early;
  kept.early = null;
  if (!early) return null;
  if (JSON.stringify(early.files) !== JSON.stringify(files) || early.worker.shared !== shared) {
    early.worker.close();
    return null;
  }
  const { worker, said } = early;
  return {
    worker,
    handOver(onmessage, onerror) {
      for (const [kind, event] of said) (kind === "message" ? onmessage : onerror)(event);
      worker.onmessage = onmessage;
      worker.onerror = onerror;
    },
  };
}
