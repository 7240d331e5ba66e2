// The in-page calculators, loaded by calc-loader.js only on pages with a calculator ([data-calculator]):
// one runtime (a module worker) shared by the widgets, started at once for a shared link, else when idle.
import { AnswerMarks, ownIds } from "./dom.mjs";
import { Runtime } from "./runtime.mjs";
import { SITE_ROOT, WORKER_URL } from "./early.mjs";
import { serverProblem } from "./errors.mjs";
import { prefill } from "./state.mjs";
import { carriedCsv, carryCsv } from "./upload.mjs";
import { Widget } from "./widget.mjs";

// The page's widgets (`roots`) on one runtime; the site's root is `siteRoot`, the worker at `workerUrl`.
function startCalculators(roots, siteRoot, workerUrl) {
  const runtime = new Runtime(roots, siteRoot, workerUrl);
  const marks = new AnswerMarks();
  roots.forEach(ownIds); // a calculator twice on a page: the later one's ids made its own
  const widgets = roots.map((root) => new Widget(root, runtime, marks));
  const params = new URLSearchParams(location.search);
  const linked = widgets.map((w) => prefill(w.root, w.form, params)).some(Boolean);

  // The language switch carries a loaded CSV along (the address carries the rest); the page in the
  // other language takes it back, or says it must be uploaded again.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[hreflang]");
    if (link) for (const w of widgets) carryCsv(w.csv, new URL(link.href, location.href).pathname);
  }, true);
  const carried = carriedCsv();
  let restored = false;
  for (const w of widgets) {
    if (!carried || w.name !== "fees") continue;
    if (carried.dropped) {
      w.sayCsvDropped(carried.name);
    } else {
      w.useCsv(carried);
      restored = true;
    }
  }

  runtime.listeners.push((stage) => {
    for (const w of widgets) if (w.root.dataset.state === "loading") w.status.textContent = w.words[stage];
  });

  const start = () => {
    runtime.start().then(() => {
      for (const w of widgets) if (w.root.dataset.state === "loading") w.setState("ready", w.words.ready);
    }, (error) => {
      for (const w of widgets) w.unavailable(w.failure(error), serverProblem(error));
    });
  };

  if (linked || restored) {
    // a shared link: start at once, answer as soon as the runtime is up, and show the answer
    start();
    for (const w of widgets) w.answerLink();
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
}

startCalculators([...document.querySelectorAll("[data-calculator]")], SITE_ROOT, WORKER_URL);
