/* g60kg page data: the columns written by g60kg.viz.columns turned into vis-network's
   node and edge objects, and the groups (a city and a class) a page too large for its
   screen draws as one node each until the reader opens them.
   Defines window.G60Columns.read(data) -> a model of the page's graph. */
(function () {
  "use strict";
  var CELL = 20;  /* px: the smallest node (16 px across at zoom 1) and a gap; a screen holds w * h / CELL² of them side by side */

  function thousands(x) { return String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }  /* toLocaleString is slow by the thousand */

  function read(data) {
    var ui = data.ui, cols = data.nodes, ecols = data.edges;
    var n = cols.id.length, m = ecols.from.length;
    /* a Map, not an object: 100,000 ids as an object's keys cost twice the time */
    var all = new Array(n), byId = new Map(), cityIds = data.cities.map(function (c) { return c[0]; });
    for (var i = 0; i < n; i++) {
      var cls = data.classes[cols.cls[i]], inCities = cols.cities[i], cities = new Array(inCities.length);
      for (var c = 0; c < inCities.length; c++) { cities[c] = cityIds[inCities[c]]; }
      var node = { id: cols.id[i], label: cols.label[i], cls: cls[0], clsName: cls[1],
                   names: cols.names[i].length ? [cols.label[i]].concat(cols.names[i]) : [cols.label[i]], cities: cities,
                   color: cls[2], shape: cls[4],
                   size: cols.size[i], font: { size: cols.font[i] }, measure: cols.measure[i] === null ? "" : String(cols.measure[i]),
                   words: cols.words[i], title: cols.label[i] + "\n" + cls[1], group: cols.group[i] };
      if (cols.x) { node.x = cols.x[i]; node.y = cols.y[i]; }
      if (node.id === data.focus) {
        node.borderWidth = 4;
        node.color = { background: cls[2], border: "#000000" };
        node.size += 6;
      }
      all[i] = node;
      byId.set(node.id, node);
    }
    var top = 0, varied = false;
    for (var j = 0; j < m; j++) {
      top = Math.max(top, ecols.weight[j]);
      varied = varied || ecols.weight[j] !== ecols.weight[0];
    }
    top = top || 1;
    /* each edge as little as filters need; what only drawing needs (colour, width, title,
       the curve of a parallel edge) is added when it is first drawn (dressed) */
    var edges = new Array(m);
    for (j = 0; j < m; j++) {
      var edge = { id: j, from: all[ecols.from[j]].id, to: all[ecols.to[j]].id, layer: data.layers[ecols.layer[j]][0],
                   weight: ecols.weight[j] };
      if (ecols.year[j] !== null) { edge.year = ecols.year[j]; }
      edges[j] = edge;
    }
    /* the edges of a node, gathered for every node the first time one is asked for */
    var around = null;
    function incident(id) {
      if (!around) {
        around = new Map();
        all.forEach(function (x) { around.set(x.id, []); });
        edges.forEach(function (e) { around.get(e.from).push(e); if (e.to !== e.from) { around.get(e.to).push(e); } });
      }
      return around.get(id);
    }
    /* k: how many edges between the same two nodes come before it (its curve, for k > 0) */
    function dress(e, k) {
      if (e.color) { return e; }
      if (k) { e.smooth = { enabled: true, type: k % 2 ? "curvedCW" : "curvedCCW", roundness: 0.18 * Math.floor((k + 1) / 2) }; }
      var u = byId.get(e.from), v = byId.get(e.to), layer = data.layers[ecols.layer[e.id]], relation = data.relations[ecols.relation[e.id]];
      e.width = varied ? 1 + 5 * Math.sqrt(e.weight / top) : 1.5;
      e.color = { color: layer[2], opacity: 0.75 };
      e.title = u.label + " → " + v.label + (relation ? ": " + relation : "");
      if (m <= data.labelsUpTo && relation) { e.label = relation; }
      if (ecols.arrow && ecols.arrow[e.id]) { e.arrows = { to: { enabled: true, scaleFactor: 0.7 } }; }
      return e;
    }

    /* a group's node: at the centre of its members (their disc, in a layout by groups) */
    var prefix = "group:";
    while (all.some(function (x) { return x.id.indexOf(prefix) === 0; })) { prefix = "_" + prefix; }
    var largest = Math.max.apply(null, data.groups.map(function (g) { return g[2]; }).concat([1]));
    var sums = data.groups.map(function () { return [0, 0]; });
    if (cols.x) { all.forEach(function (x) { sums[x.group][0] += x.x; sums[x.group][1] += x.y; }); }
    var groups = data.groups.map(function (g, gi) {
      var cls = data.classes[g[1]], city = g[0] >= 0 ? data.cities[g[0]] : null, share = Math.sqrt(g[2] / largest);
      var name = (city ? city[1] + " · " : "") + cls[1];
      var node = { id: prefix + gi, label: name + "\n" + g[2].toLocaleString(), cls: cls[0], clsName: cls[1], names: [name],
                   cities: city ? [city[0]] : [], color: cls[2], shape: cls[4], size: 14 + 26 * share,
                   font: { size: Math.round(14 + 12 * share) }, measure: "", borderWidth: 3, shapeProperties: { borderDashes: [5, 3] },
                   words: ui.group_words.replace("{n}", g[2].toLocaleString()), title: name + "\n" + ui.group_words.replace("{n}", g[2].toLocaleString()),
                   members: g[2], groupIndex: gi };
      if (cols.x) { node.x = sums[gi][0] / g[2]; node.y = sums[gi][1] / g[2]; }
      byId.set(node.id, node);
      return node;
    });

    /* which groups a screen of this size shows closed: the largest first, until what is
       drawn fits the screen (never on a page whose layout is left to the browser) */
    function toClose(width, height) {
      var budget = Math.max(1, Math.floor(width * height / (CELL * CELL)));
      var drawn = n, closed = [];
      if (!cols.x) { return closed; }
      var order = data.groups.map(function (g, gi) { return gi; })
        .sort(function (a, b) { return data.groups[b][2] - data.groups[a][2] || a - b; });
      for (var o = 0; o < order.length && drawn > budget && data.groups[order[o]][2] > 1; o++) {
        closed.push(order[o]);
        drawn -= data.groups[order[o]][2] - 1;
      }
      return closed;
    }

    /* what the network holds: each node of an open group or taken out of its group
       (loose), one node per closed group, the edges between what is drawn, and the
       edges into a closed group summed per layer */
    var summedEdges = {};  /* id of a summed edge -> the numbers of the edges it stands for */
    function drawn(closed, loose) {
      var unit = all.map(function (x, i) { return closed.has(x.group) && !loose.has(x.id) ? n + x.group : i; });
      var units = n + groups.length;
      /* the edges of a pair are drawn all at once (when both ends are), so counting the
         edges of each pair among those drawn now numbers them in the graph's order */
      var outNodes = [], outEdges = [], summed = new Map(), parallel = new Map();
      closed.forEach(function (gi) { outNodes.push(groups[gi]); });
      all.forEach(function (x, i) { if (unit[i] === i) { outNodes.push(x); } });
      for (var j = 0; j < m; j++) {
        var a = unit[ecols.from[j]], b = unit[ecols.to[j]];
        if (a === ecols.from[j] && b === ecols.to[j]) {
          var pair = a <= b ? a * n + b : b * n + a, k = parallel.get(pair) || 0;
          parallel.set(pair, k + 1);
          outEdges.push(dress(edges[j], k));
          continue;
        }
        if (a === b) { continue; }  /* inside one closed group: counted in its node */
        if (!data.directed && b < a) { var t = a; a = b; b = t; }
        var key = (a * units + b) * data.layers.length + ecols.layer[j];
        var list = summed.get(key);
        if (list) { list.push(j); } else { summed.set(key, [j]); }
      }
      var most = 1;
      summed.forEach(function (list) { most = Math.max(most, list.length); });
      summed.forEach(function (list, key) {
        var layer = data.layers[key % data.layers.length], pair = Math.floor(key / data.layers.length);
        var a = Math.floor(pair / units), b = pair % units;
        var from = a < n ? all[a] : groups[a - n], to = b < n ? all[b] : groups[b - n];
        var id = "sum:" + from.id + "\u0000" + to.id + "\u0000" + layer[0];
        summedEdges[id] = list;
        outEdges.push({ id: id, from: from.id, to: to.id, layer: layer[0], weight: list.length,
                        width: 1 + 5 * Math.sqrt(list.length / most), color: { color: layer[2], opacity: 0.75 },
                        title: from.names[0] + " → " + to.names[0] + ": " +
                          ui.summed.replace("{n}", thousands(list.length)).replace("{layer}", layer[1]) });
      });
      return { nodes: outNodes, edges: outEdges };
    }

    return { all: all, byId: byId, edges: edges, incident: incident, groups: groups, toClose: toClose, drawn: drawn,
             summed: summedEdges };
  }
  window.G60Columns = { read: read };
})();
