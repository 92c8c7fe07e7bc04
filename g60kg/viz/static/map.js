/* g60kg page map: drawn under the network, the basemap (provinces, the sea where none is)
   and, as one shaded area around the nodes shown, each layer of ties every member shares
   (rather than a tie per pair); in the panel, the basemap's checkbox and a line per
   shared layer naming the ties.
   Defines window.G60Map.attach(network, data, shownIds, layerOn, total) with `total` the
   number of nodes of the graph. */
(function () {
  "use strict";
  function attach(network, data, shownIds, layerOn, total) {
    var mapOn = Boolean(data.basemap && data.basemap.rings.length);
    function hull(points) {
      points.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      function cross(o, a, b) { return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]); }
      var lower = [], upper = [];
      points.forEach(function (p) {
        while (lower.length > 1 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) { lower.pop(); }
        lower.push(p);
      });
      points.slice().reverse().forEach(function (p) {
        while (upper.length > 1 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) { upper.pop(); }
        upper.push(p);
      });
      return lower.slice(0, -1).concat(upper.slice(0, -1));
    }
    function polygon(ctx, flat) {
      ctx.beginPath();
      ctx.moveTo(flat[0], flat[1]);
      for (var i = 2; i < flat.length; i += 2) { ctx.lineTo(flat[i], flat[i + 1]); }
      ctx.closePath();
    }
    network.on("beforeDrawing", function (ctx) {
      var scale = network.getScale();
      ctx.save();
      if (mapOn) {
        var t = ctx.getTransform();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.fillStyle = "#e4eef6";  /* the sea: where no province is */
        ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
        ctx.setTransform(t);
        ctx.fillStyle = "#f7f4ec";
        ctx.strokeStyle = "#b5ab98";
        ctx.lineWidth = 1 / scale;
        data.basemap.rings.forEach(function (r) { polygon(ctx, r[1]); ctx.fill(); ctx.stroke(); });
        ctx.fillStyle = "#a39a88";
        ctx.font = (13 / scale) + "px " + data.options.nodes.font.face;
        ctx.textAlign = "center";
        data.basemap.labels.forEach(function (l) { ctx.fillText(l[0], l[1], l[2]); });
      }
      var at = data.shared.length ? network.getPositions(shownIds()) : {};
      var points = Object.keys(at).map(function (id) { return [at[id].x, at[id].y]; });
      data.shared.forEach(function (item, i) {
        if (!layerOn(item.layer) || points.length < 3) { return; }
        var ring = hull(points.slice());
        var cx = 0, cy = 0;
        ring.forEach(function (p) { cx += p[0] / ring.length; cy += p[1] / ring.length; });
        var pad = 45 + 25 * i;
        var flat = [];
        ring.forEach(function (p) {
          var d = Math.hypot(p[0] - cx, p[1] - cy) || 1;
          flat.push(p[0] + (p[0] - cx) / d * pad, p[1] + (p[1] - cy) / d * pad);
        });
        var layer = data.layers.filter(function (l) { return l[0] === item.layer; })[0];
        ctx.fillStyle = layer ? layer[2] : "#888";
        ctx.globalAlpha = 0.12;
        polygon(ctx, flat);
        ctx.fill();
        ctx.globalAlpha = 0.6;
        ctx.strokeStyle = ctx.fillStyle;
        ctx.lineWidth = 2 / scale;
        ctx.setLineDash([6 / scale, 4 / scale]);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.globalAlpha = 1;
      });
      ctx.restore();
    });
    var box = document.getElementById("g60-basemap");
    if (mapOn) {
      box.hidden = false;
      box.querySelector("span").textContent = data.ui.basemap;
      box.querySelector("input").addEventListener("change", function (e) { mapOn = e.target.checked; network.redraw(); });
    }
    var sharedBox = document.getElementById("g60-shared");
    data.shared.forEach(function (item) {
      var layer = data.layers.filter(function (l) { return l[0] === item.layer; })[0] || [item.layer, item.layer, "#888"];
      var line = G60Dom.el("p", { "data-layer": item.layer });
      var swatch = G60Dom.el("span", { "class": "g60-area" });
      swatch.style.background = layer[2];
      line.append(swatch, data.ui.shared.replace("{n}", total).replace("{layer}", layer[1])
        .replace("{count}", item.ties.length) + item.ties.join("、"));
      sharedBox.append(line);
    });
  }
  window.G60Map = { attach: attach };
})();
