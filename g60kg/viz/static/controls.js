/* g60kg page controls in the panel and over the network: a checkbox per class or layer
   (its symbol or line, its name and count; an empty one disabled), the city menu, and the
   tool buttons (zoom, fit, re-layout).
   Defines window.G60Controls.toggles(box, items, on, kind, legend, change) with items
   [id, name, colour, count, shape] and change(id, checked); .cities(select, label, data,
   change) with change(city); .tool(box, name, ui, action) -> the button. */
(function () {
  "use strict";
  var el = G60Dom.el;
  var SYMBOLS = { dot: "●", square: "■", triangle: "▲", diamond: "◆", star: "★", triangleDown: "▼", hexagon: "⬢" };
  function toggles(box, items, on, kind, legend, change) {
    box.querySelector("legend").textContent = legend;
    items.forEach(function (item) {
      var label = el("label", { "data-id": item[0] });
      var check = el("input", { type: "checkbox", value: item[0] });
      check.checked = on.has(item[0]);
      check.disabled = item[3] === 0;
      if (item[3] === 0) { label.className = "g60-empty"; }
      check.addEventListener("change", function () { change(item[0], check.checked); });
      var swatch = el("span", { "class": kind }, kind === "g60-swatch" ? SYMBOLS[item[4]] || "●" : undefined);
      swatch.style[kind === "g60-swatch" ? "color" : "background"] = item[2];
      label.append(check, swatch, el("span", {}, item[1]), el("span", { "class": "g60-count" }, String(item[3])));
      box.append(label);
    });
    if (!items.length) { box.hidden = true; }
  }
  function cities(select, label, data, change) {
    label.textContent = data.ui.city;
    select.append(el("option", { value: "" }, data.ui.all_cities));
    data.cities.forEach(function (c) { select.append(el("option", { value: c[0] }, c[1])); });
    select.addEventListener("change", function () { change(select.value); });
  }
  function tool(box, name, ui, action) {
    var button = el("button", { type: "button", "data-tool": name, title: ui["tool_" + name] }, ui["icon_" + name]);
    button.addEventListener("click", action);
    box.append(button);
    return button;
  }
  window.G60Controls = { toggles: toggles, cities: cities, tool: tool };
})();
