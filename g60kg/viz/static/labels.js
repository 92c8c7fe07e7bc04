/* g60kg page labels: drawn by the page rather than by vis-network, so that they make way
   for each other. Every frame the labels of the nodes in view are placed in order: the
   selected node, its neighbours, then the larger labels first; a label that would
   overlap one already placed, or be under `hide` px high on screen, is left out until
   the reader zooms in (then all find room). A faded node's label is left out.
   Defines window.G60Labels.attach(network, face, hide) -> { placed: [[id, left, top, right, bottom], ...] of the last frame }. */
(function () {
  "use strict";
  var CELL = 64;  /* px: the grid in which a label looks for the labels it could overlap */
  var GAP = 2;  /* px between a node and its label, and around each label */

  function attach(network, face, hide) {
    var widths = {};  /* width of a text at 1 px */
    var measure = document.createElement("canvas").getContext("2d");
    measure.font = "100px " + face;
    function width(text) {
      if (!(text in widths)) { widths[text] = measure.measureText(text).width / 100; }
      return widths[text];
    }
    var out = { placed: [] };
    network.on("afterDrawing", function (ctx) {
      var body = network.body, scale = body.view.scale, shift = body.view.translation;
      var ratio = network.canvas.pixelRatio || 1;
      var right = ctx.canvas.width / ratio, bottom = ctx.canvas.height / ratio;
      var selected = network.getSelectedNodes();
      var near = new Set(selected.length ? network.getConnectedNodes(selected[0]) : []);
      var rank = function (node) { return selected.indexOf(node.id) >= 0 ? 0 : near.has(node.id) ? 1 : 2; };
      var candidates = [];
      body.nodeIndices.forEach(function (id) {
        var node = body.nodes[id], o = node.options, px = o.font.size * scale;
        if (o.label === undefined || o.label === "" || px < hide || (o.opacity !== undefined && o.opacity < 1)) { return; }
        var x = node.x * scale + shift.x, y = node.y * scale + shift.y;
        if (x < -200 || x > right + 200 || y < -100 || y > bottom + 100) { return; }
        candidates.push([rank(node), -px, String(id), node, x, y, px]);
      });
      candidates.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
      var grid = new Map(), placed = [];
      function cells(box, each) {
        for (var i = Math.floor(box[0] / CELL); i <= Math.floor(box[2] / CELL); i++) {
          for (var j = Math.floor(box[1] / CELL); j <= Math.floor(box[3] / CELL); j++) { each(i + "," + j); }
        }
      }
      ctx.save();
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.lineJoin = "round";
      candidates.forEach(function (c) {
        var node = c[3], px = c[6], lines = String(node.options.label).split("\n");
        var wide = Math.max.apply(null, lines.map(width)) * px;
        var top = c[5] + (node.shape.radius || node.options.size || 0) * scale + GAP;
        var box = [c[4] - wide / 2 - GAP, top - GAP, c[4] + wide / 2 + GAP, top + lines.length * px * 1.15 + GAP];
        var free = true;
        cells(box, function (key) {
          (grid.get(key) || []).forEach(function (other) {
            if (box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3]) { free = false; }
          });
        });
        if (!free) { return; }
        cells(box, function (key) { if (!grid.has(key)) { grid.set(key, []); } grid.get(key).push(box); });
        placed.push([c[2]].concat(box));
        ctx.font = (c[0] === 0 ? "bold " : "") + px + "px " + face;
        ctx.lineWidth = Math.max(2, px / 5);
        ctx.strokeStyle = "#ffffff";
        ctx.fillStyle = "#343434";
        lines.forEach(function (line, k) {
          ctx.strokeText(line, c[4], top + k * px * 1.15);
          ctx.fillText(line, c[4], top + k * px * 1.15);
        });
      });
      ctx.restore();
      out.placed = placed;
    });
    return out;
  }
  window.G60Labels = { attach: attach };
})();
