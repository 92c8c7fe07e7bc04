/* g60kg page top bar: links to the other pages (the query page only when served over
   HTTP), the current one marked, and on a phone a button that opens the panel as a drawer.
   Defines window.G60Nav.attach(data, container): `container` (the network) closes the drawer. */
(function () {
  "use strict";
  var el = G60Dom.el;
  function attach(data, container) {
    var bar = document.getElementById("g60-nav");
    var menu = document.getElementById("g60-menu");
    data.nav.forEach(function (item) {
      if (item[0] === "query" && !/^https?:$/.test(location.protocol)) { return; }
      var link = el("a", { href: item[2], "data-nav": item[0] }, item[1]);
      if (item[0] === data.view) { link.setAttribute("aria-current", "page"); }
      bar.insertBefore(link, menu);
    });
    menu.textContent = data.ui.menu;
    menu.addEventListener("click", function () { document.body.classList.toggle("g60-drawer"); });
    container.addEventListener("pointerdown", function () { document.body.classList.remove("g60-drawer"); });
  }
  window.G60Nav = { attach: attach };
})();
