// The page's connection to the calculators' worker: the site's shared worker where the browser has one, else a worker of the page's own.

// One shared worker (calc-worker.mjs) runs one runtime for every page of the site, in every tab:
// the second calculator page of a visit, a reload, or a page opened in another tab answers at once
// from the runtime already running, without starting one. `extendedLifetime` keeps the worker a
// short while (30 seconds in Chrome) after the last page has gone, so that it outlives a navigation
// from one page to the next; a browser without the option ends it with the last page, and the next
// page starts from the kept snapshot. A browser without shared workers gives each page its own.
import { FROM_WORKER, TO_WORKER, message } from "./protocol.mjs";

// Whether this browser can share a worker between pages.
export function canShare() {
  return typeof SharedWorker === "function";
}

// A short digest of `text` (FNV-1a, 32 bits, as 8 hex digits): names, not security.
function digest(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

// The shared worker's name, which with its URL says which pages share it: those naming the same
// runtime, standard library and calculators wheel (content-hashed: a new release starts a new worker),
// on the same messages. Pages needing more wheels join it and have them installed.
export function sharedName(files) {
  const key = JSON.stringify([files.indexURL, files.stdLibURL, files.wheels[0] || "", TO_WORKER, FROM_WORKER]);
  return `calculators ${digest(key)}`;
}

// A connection to a worker at `url` for a page starting `files` (early.runtimeFiles): the shared one
// when `shared`, else a new worker of the page's own. {shared, postMessage(data), onmessage, onerror,
// close()}: the handlers are set as a Worker's are; close() ends the page's part (a worker of its own
// is stopped; the shared one keeps running for other pages).
export function connect(url, files, shared = canShare()) {
  if (!shared) {
    const worker = new Worker(url, { type: "module" });
    return {
      shared: false,
      postMessage: (data) => worker.postMessage(data),
      set onmessage(handler) { worker.onmessage = handler; },
      set onerror(handler) { worker.onerror = handler; },
      close: () => worker.terminate(),
    };
  }
  const worker = new SharedWorker(url, { type: "module", name: sharedName(files), extendedLifetime: true });
  const { port } = worker;
  let onerror = () => {};
  const leave = () => port.postMessage(message(TO_WORKER, "leave")); // its kept batch is let go
  addEventListener("pagehide", leave);
  // the worker failed to load (reported on the SharedWorker), or ended (its port closes, where browsers say so)
  worker.onerror = (event) => onerror(event);
  port.addEventListener("close", () => onerror(new ErrorEvent("error", { message: "worker ended" })));
  return {
    shared: true,
    postMessage: (data) => port.postMessage(data),
    set onmessage(handler) { port.onmessage = handler; }, // this starts the port: what came meanwhile follows
    set onerror(handler) { onerror = handler; },
    close() {
      onerror = () => {};
      removeEventListener("pagehide", leave);
      leave();
      port.close();
    },
  };
}
