/* g60kg page search: any name or alias, Chinese or English, ignoring case, width, spaces
   and punctuation; exact names first, then names that start with the text, then names
   that contain it, shorter labels first. The hits are listed under the box; a click or
   Enter picks one.
   Defines window.G60Search.attach(model, input, list, ui, pick) -> search(text) -> [id, ...] (at most 30). */
(function () {
  "use strict";
  var el = G60Dom.el;
  function norm(s) { return String(s).normalize("NFKC").toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, ""); }

  function attach(model, input, list, ui, pick) {
    var byId = model.byId;
    var keys = null;  /* every node's names, normalized on the first search (a second at 100,000 nodes) */
    function search(text) {
      var q = norm(text);
      if (!q) { return []; }
      var hits = [];
      keys = keys || model.all.map(function (n) { return [n.id, n.names.map(norm)]; });
      keys.forEach(function (k) {
        var best = 3;
        k[1].forEach(function (name) {
          if (name === q) { best = 0; } else if (best > 1 && name.indexOf(q) === 0) { best = 1; }
          else if (best > 2 && name.indexOf(q) > 0) { best = 2; }
        });
        if (best < 3) { hits.push([best, byId.get(k[0]).label.length, k[0]]); }
      });
      hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1); });
      return hits.slice(0, 30).map(function (h) { return h[2]; });
    }
    input.placeholder = ui.search;
    function render() {
      list.textContent = "";
      search(input.value).forEach(function (id, i) {
        var item = el("li", { "data-id": id }, byId.get(id).label);
        if (i === 0) { item.className = "g60-current"; }
        item.append(el("small", {}, byId.get(id).clsName));
        item.addEventListener("click", function () { pick(id); });
        list.append(item);
      });
      if (input.value && !list.children.length) { list.append(el("li", {}, ui.no_match)); }
    }
    input.addEventListener("input", function (e) { if (!e.isComposing) { render(); } });
    input.addEventListener("compositionend", render);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.isComposing) {
        var first = list.querySelector("li[data-id]");
        if (first) { pick(first.getAttribute("data-id")); }
      }
    });
    return search;
  }
  window.G60Search = { attach: attach };
})();
