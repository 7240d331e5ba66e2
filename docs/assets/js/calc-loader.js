// Loaded on every page: fetches the calculators' script only where a calculator is on the page; keeps
// the answers (the query) and the place (the anchor) when the reader switches language; and, when
// the site is opened as files rather than through a web server, says how to serve it and makes the
// links between pages work there.
(function () {
  "use strict";
  var here = document.currentScript.src;

  // The language switch leads to the same page in the other language: carry the query and the
  // anchor over, as the URL API encodes them (nothing from the address is written as markup).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[hreflang]");
    if (!link || (!location.search && !location.hash)) return;
    var target = new URL(link.href, location.href);
    target.search = location.search;
    target.hash = location.hash;
    link.href = target.href;
  }, true);

  if (location.protocol === "file:") {
    var words = document.querySelector('meta[name="guide-file-banner"]');
    var banner = document.createElement("div");
    banner.className = "file-banner";
    banner.setAttribute("role", "note");
    banner.textContent = words ? words.content : "";
    var main = document.querySelector(".md-content") || document.body;
    main.insertBefore(banner, main.firstChild);
    // Page links end in a folder ("conditions/"); a browser shows a folder as a listing, so point
    // them at the folder's index.html.
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (link) {
      var href = link.getAttribute("href");
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.charAt(0) === "#") return;
      var cut = href.search(/[?#]/);
      var path = cut < 0 ? href : href.slice(0, cut);
      if (path === "" || path.slice(-1) === "/") link.setAttribute("href", path + "index.html" + (cut < 0 ? "" : href.slice(cut)));
      else if (path === "." || path === "..") link.setAttribute("href", path + "/index.html" + (cut < 0 ? "" : href.slice(cut)));
    });
  }

  if (!document.querySelector("[data-calculator]")) return;
  var script = document.createElement("script");
  script.type = "module"; // the calculators' scripts are modules (calc/*.mjs), as is their worker
  script.src = new URL("calc/main.mjs", here).href;
  document.body.appendChild(script);
})();
