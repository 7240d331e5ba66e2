// Loaded on every page: fetches the calculators' script only where a calculator is on the page.
(function () {
  "use strict";
  if (!document.querySelector("[data-calculator]")) return;
  var script = document.createElement("script");
  script.src = new URL("calc.js", document.currentScript.src).href;
  document.body.appendChild(script);
})();
