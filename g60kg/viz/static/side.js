/* g60kg page side panel: what a node or an edge is, and every quote behind it, page by
   page, each with its source as a link; a quote that is a row of a published table is
   drawn as that row, the text as published one click away.
   Defines window.G60Side.attach(side, data, onResize) -> { show(title, rows, found), hide(),
   actions (the element for the buttons of a node) }; `rows` are [term, value] pairs (an
   empty value is left out), `found` is { rows: [[quote, fact], ...], more } or null. */
(function () {
  "use strict";
  var QUOTES_PER_PAGE = 10;
  var el = G60Dom.el;

  function attach(side, data, onResize) {
    var ui = data.ui;
    function sourceLine(sourceId, fact) {
      var source = data.sources[sourceId] || [sourceId, "", "", ""];
      var cite = el("cite");
      if (fact) { cite.append(el("span", { "class": "g60-fact" }, fact), " · "); }
      var title = source[0] || sourceId;
      if (/^https?:\/\//.test(source[3] || "")) {
        cite.append(el("a", { href: source[3], target: "_blank", rel: "noopener noreferrer" }, title));
      } else { cite.append(el("span", {}, title)); }
      [source[1], source[2]].filter(Boolean).forEach(function (x) { cite.append(" · " + x); });
      return cite;
    }
    function quoteItem(row) {
      var quote = data.quotes[row[0]];
      var item = el("li", { "class": "g60-quote" });
      if (quote[2]) {
        var table = el("table", { "class": "g60-row" });
        var tr = el("tr");
        quote[2].forEach(function (cell) { tr.append(el("td", /^[\d,.%]+$/.test(cell) ? { "class": "g60-num" } : {}, cell)); });
        table.append(el("caption", {}, ui.table_row), tr);
        var raw = el("details");
        raw.append(el("summary", {}, ui.as_published), el("blockquote", {}, quote[0]));
        item.append(table, raw);
      } else {
        item.append(el("blockquote", {}, quote[0]));
      }
      item.append(sourceLine(quote[1], row[1]));
      return item;
    }
    function quotePage(found, page) {
      var box = side.querySelector(".g60-quotes");
      var pages = Math.max(1, Math.ceil(found.rows.length / QUOTES_PER_PAGE));
      page = Math.min(Math.max(page, 0), pages - 1);
      box.textContent = "";
      var list = el("ol", { start: String(page * QUOTES_PER_PAGE + 1) });
      found.rows.slice(page * QUOTES_PER_PAGE, (page + 1) * QUOTES_PER_PAGE).forEach(function (r) { list.append(quoteItem(r)); });
      box.append(list);
      if (pages > 1) {
        var pager = el("nav", { "class": "g60-pager" });
        var prev = el("button", { type: "button", "data-page": "prev" }, ui.prev);
        var next = el("button", { type: "button", "data-page": "next" }, ui.next);
        prev.disabled = page === 0;
        next.disabled = page === pages - 1;
        prev.addEventListener("click", function () { quotePage(found, page - 1); });
        next.addEventListener("click", function () { quotePage(found, page + 1); });
        pager.append(prev, el("span", {}, ui.page.replace("{page}", page + 1).replace("{pages}", pages)), next);
        box.append(pager);
      }
      if (found.more) { box.append(el("p", {}, ui.more.replace("{n}", found.more))); }
      side.scrollTop = 0;
    }
    function show(title, rows, found) {
      side.querySelector("h2").textContent = title;
      var list = side.querySelector("dl");
      list.textContent = "";
      rows.forEach(function (r) { if (r[1] !== "" && r[1] !== null) { list.append(el("dt", {}, r[0]), el("dd", {}, String(r[1]))); } });
      var count = found ? found.rows.length + found.more : 0;
      side.querySelector("h3").textContent = ui.quotes.replace("{n}", count);
      if (found && found.rows.length) { quotePage(found, 0); }
      else { side.querySelector(".g60-quotes").replaceChildren(el("p", {}, ui.no_quotes)); }
      if (side.hidden) { side.hidden = false; onResize(); }
    }
    function hide() { if (!side.hidden) { side.hidden = true; onResize(); } }
    side.querySelector(".g60-close").addEventListener("click", hide);
    side.querySelector(".g60-close").setAttribute("aria-label", ui.close);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hide(); } });
    return { show: show, hide: hide, actions: side.querySelector(".g60-actions") };
  }
  window.G60Side = { attach: attach };
})();
