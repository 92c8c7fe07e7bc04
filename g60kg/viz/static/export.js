/* g60kg page exports of what is shown: the drawing as PNG (on white), the nodes and the
   ties as CSV (UTF-8 with a byte-order mark, so a spreadsheet reads the Chinese).
   Defines window.G60Export.attach(box, ui, stem, container, nodesView, edgesView): one
   button per export in `box`, files named after `stem`. */
(function () {
  "use strict";
  var el = G60Dom.el;
  function download(name, blob) {
    var a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }
  function csv(rows) {
    return "\ufeff" + rows.map(function (r) {
      return r.map(function (c) { c = c === undefined || c === null ? "" : String(c); return /[",\n]/.test(c) ? '"' + c.replace(/"/g, '""') + '"' : c; }).join(",");
    }).join("\r\n") + "\r\n";
  }
  function attach(box, ui, stem, container, nodesView, edgesView) {
    function png() {
      var canvas = container.querySelector("canvas");
      var out = document.createElement("canvas");
      out.width = canvas.width;
      out.height = canvas.height;
      var ctx = out.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, out.width, out.height);
      ctx.drawImage(canvas, 0, 0);
      out.toBlob(function (blob) { download(stem + ".png", blob); }, "image/png");
    }
    function nodes() {
      var rows = [["id", "label", "class", "cities", "ties", "measure"]];
      nodesView.get().forEach(function (n) { rows.push([n.id, n.label, n.clsName, n.cities.join(" "), n.words, n.measure]); });
      download(stem + "-nodes.csv", new Blob([csv(rows)], { type: "text/csv" }));
    }
    function ties() {
      var rows = [["from", "to", "layer", "relation", "weight", "year"]];
      edgesView.get().forEach(function (e) { rows.push([e.from, e.to, e.layer, e.title, e.weight, e.year]); });
      download(stem + "-ties.csv", new Blob([csv(rows)], { type: "text/csv" }));
    }
    box.querySelector("legend").textContent = ui.export;
    [["png", png], ["csv_nodes", nodes], ["csv_edges", ties]].forEach(function (x) {
      var button = el("button", { type: "button", "data-export": x[0] }, ui[x[0]]);
      button.addEventListener("click", x[1]);
      box.append(button);
    });
  }
  window.G60Export = { attach: attach };
})();
