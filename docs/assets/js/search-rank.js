// Search results that contain the whole query (a phrase such as "service fee", or 服务费 as one word)
// come before results that match only its parts. The theme ranks by its index; this reorders the
// results it shows, keeping its order within each group.
(function () {
  "use strict";
  var input = document.querySelector(".md-search__input");
  var list = document.querySelector(".md-search-result__list");
  if (!input || !list || !window.MutationObserver) return;

  function normal(text) {
    return text.toLowerCase().replace(/\s+/g, " ").trim();
  }

  function reorder() {
    var phrase = normal(input.value);
    if (!phrase) return;
    var items = Array.prototype.slice.call(list.children);
    var whole = items.filter(function (item) { return normal(item.textContent).indexOf(phrase) >= 0; });
    var parts = items.filter(function (item) { return whole.indexOf(item) < 0; });
    var ordered = whole.concat(parts);
    if (ordered.every(function (item, index) { return items[index] === item; })) return;
    observer.disconnect();
    ordered.forEach(function (item) { list.appendChild(item); });
    observer.observe(list, { childList: true });
  }

  var observer = new MutationObserver(reorder);
  observer.observe(list, { childList: true });
})();
