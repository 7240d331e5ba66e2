// The in-page calculators, loaded by calc-loader.js only on pages with a calculator ([data-calculator]):
// one runtime (a module worker) shared by the widgets, started at once for a shared link, else when idle.
import { fill } from "./dom.mjs";
import { Runtime } from "./runtime.mjs";
import { SITE_ROOT, WORKER_URL } from "./early.mjs";
import { serverProblem } from "./errors.mjs";
import { prefill } from "./state.mjs";
import { carriedCsv, carryCsv, restoreCsv } from "./upload.mjs";
import { Widget } from "./widget.mjs";

const roots = [...document.querySelectorAll("[data-calculator]")];
const runtime = new Runtime(roots, SITE_ROOT, WORKER_URL);
const widgets = roots.map((root) => new Widget(root, runtime));
const params = new URLSearchParams(location.search);
let shared = widgets.map((w) => prefill(w.root, w.form, params)).some(Boolean);

// The language switch carries a loaded CSV along (the address carries the rest); the page in the
// other language takes it back, or says it must be uploaded again.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[hreflang]");
  if (link) for (const w of widgets) carryCsv(w, new URL(link.href, location.href).pathname);
}, true);
const carried = carriedCsv();
for (const w of widgets) {
  if (!carried || w.name !== "fees") continue;
  if (carried.dropped) {
    w.actionStatus.textContent = fill(w.words.csv_dropped, { name: carried.name });
  } else {
    restoreCsv(w, carried);
    shared = true;
  }
}

runtime.listeners.push((stage) => {
  for (const w of widgets) if (w.root.dataset.state === "loading") w.status.textContent = w.words[stage];
});

function start() {
  runtime.start().then(() => {
    for (const w of widgets) if (w.root.dataset.state === "loading") w.setState("ready", w.words.ready);
  }, (error) => {
    for (const w of widgets) w.unavailable(w.failure(error), serverProblem(error));
  });
}

if (shared) {
  // a shared link: start at once, answer as soon as the runtime is up, and show the answer
  start();
  for (const w of widgets) w.revealNext = w.hasRequired();
  for (const w of widgets) if (w.hasRequired()) w.run(true);
} else {
  const once = () => {
    for (const root of roots) {
      root.removeEventListener("focusin", once);
      root.removeEventListener("input", once);
    }
    start();
  };
  for (const root of roots) {
    root.addEventListener("focusin", once);
    root.addEventListener("input", once);
  }
  if ("requestIdleCallback" in window) requestIdleCallback(once, { timeout: 3000 });
  else setTimeout(once, 500);
}
