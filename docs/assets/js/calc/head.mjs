// Loaded from the head of a calculator page: when a link brought answers, starts the calculators' worker at once (early.mjs).

// The page's <script data-calc-runtime> (overrides/main.html, filled by the build from the page's
// widgets) names the runtime files; the widgets take the started worker over when they load.
import { beginEarly, runtimeFiles } from "./early.mjs";

const script = document.querySelector("script[data-calc-runtime]");
// only for a link that carries answers (the widgets start a plain visit's runtime when the page is
// idle), and not for a page opened as a file (a worker cannot load from there)
if (script && location.search && location.protocol !== "file:") {
  const { calcRuntime: runtime, calcStdlib: stdlib, calcWheels: wheels } = script.dataset;
  beginEarly(runtimeFiles([{ runtime, stdlib, wheels }]));
}
