// Search that matches what it shows: text that arrives by paste or an input method (without a key
// release, on which the theme searches) is searched too; the results that hold the whole query come
// first, the page whose title holds it before them all; and a result is never said to lack a term
// it shows. The theme ranks by its index; this reorders the results it shows, keeping its order
// within each group.
(function () {
  "use strict";
  var input = document.querySelector(".md-search__input");
  var list = document.querySelector(".md-search-result__list");
  if (!input || !list || !window.MutationObserver) return;

  // the theme searches on "keyup": text pasted, dropped or committed by an input method is searched
  // as if a key had been released
  function search() {
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
  input.addEventListener("input", function (event) {
    if (!event.isComposing) search();
  });
  input.addEventListener("compositionend", search);

  function normal(text) {
    return text.toLowerCase().replace(/\u200b/g, "").replace(/\s+/g, " ").trim(); // \u200b: the index's word breaks
  }

  // 0: a heading of the result is the query itself (the page of the term); 1: a heading holds it;
  // 2: its text does; 3: only parts of it
  function rank(item, phrase) {
    var headings = Array.prototype.map.call(item.querySelectorAll("article h1, article h2"), function (h) {
      return normal(h.textContent);
    });
    if (headings.indexOf(phrase) >= 0) return 0;
    if (headings.some(function (h) { return h.indexOf(phrase) >= 0; })) return 1;
    var text = Array.prototype.map.call(item.querySelectorAll("article"), function (article) {
      var copy = article.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll(".md-search-result__terms"), function (terms) { terms.remove(); });
      return copy.textContent;
    }).join(" ");
    return normal(text).indexOf(phrase) >= 0 ? 2 : 3;
  }

  // "Missing: 平台" under a result that shows 平台: the term is not missing; a line left empty goes
  function honestTerms(item) {
    Array.prototype.forEach.call(item.querySelectorAll(".md-search-result__terms"), function (terms) {
      var article = terms.closest("article");
      var copy = article.cloneNode(true);
      copy.querySelector(".md-search-result__terms").remove();
      var shown = normal(copy.textContent);
      Array.prototype.forEach.call(terms.querySelectorAll("del"), function (term) {
        var word = normal(term.textContent).replace(/\*$/, "");
        if (word && shown.indexOf(word) >= 0) term.remove();
      });
      if (!terms.querySelector("del")) terms.remove();
    });
  }

  function reorder() {
    var phrase = normal(input.value);
    if (!phrase) return;
    observer.disconnect();
    var items = Array.prototype.slice.call(list.children);
    items.forEach(honestTerms);
    var ranks = items.map(function (item) { return rank(item, phrase); });
    var ordered = items.map(function (item, index) { return index; }).sort(function (a, b) {
      return ranks[a] - ranks[b] || a - b;
    }).map(function (index) { return items[index]; });
    if (!ordered.every(function (item, index) { return items[index] === item; })) {
      ordered.forEach(function (item) { list.appendChild(item); });
    }
    observer.observe(list, { childList: true, subtree: true });
  }

  var observer = new MutationObserver(reorder);
  observer.observe(list, { childList: true, subtree: true });
})();
