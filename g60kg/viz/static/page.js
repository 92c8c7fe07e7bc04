/* g60kg page: the network and what ties the parts together — the filters applied to the
   drawing, the selection, the actions on a node (centre, expand, back), groups opened and
   closed, and the history behind "back" and the URL. The parts are in their own files:
   columns.js (the data), labels.js, map.js, filters.js, layout.js, side.js, search.js,
   controls.js, year.js, hash.js, export.js, nav.js.
   Reads the JSON in #g60-data once the "loading" note has been painted; sets
   window.g60ready once the network is drawn with its physics settled (vis-network's
   physics.ready), and window.g60 for scripts and tests. */
(function () {
  "use strict";
  requestAnimationFrame(function () { setTimeout(start, 0); });  /* let the note paint first */
  function start() {
  var DIM = 0.12;  /* opacity of what a selection leaves out */
  var data = JSON.parse(document.getElementById("g60-data").textContent);
  var ui = data.ui;
  performance.mark("g60:parsed");
  var model = G60Columns.read(data);
  var byId = model.byId;
  var incident = model.incident;
  var container = document.getElementById("g60-network");
  var loading = document.getElementById("g60-loading");
  /* groups drawn as one node (closed), and nodes drawn on their own although their group is closed (loose) */
  var closed = new Set(model.toClose(container.clientWidth, container.clientHeight));
  var loose = new Set(data.focus ? [data.focus] : []);
  var first = model.drawn(closed, loose);
  performance.mark("g60:drawn");
  loading.textContent = ui.drawing.replace("{drawn}", first.nodes.length.toLocaleString())
    .replace("{nodes}", model.all.length.toLocaleString());
  requestAnimationFrame(function () { setTimeout(draw, 0); });  /* paint the progress, then draw */
  function draw() {
  var nodes = new vis.DataSet(first.nodes);
  var edges = new vis.DataSet(first.edges);
  performance.mark("g60:datasets");

  function chosen(list, all) { return new Set(list === null ? all.map(function (x) { return x[0]; }) : list); }
  var state = {
    classes: chosen(data.initial.classes, data.classes),
    layers: chosen(data.initial.layers, data.layers),
    city: data.initial.city || "",
    extra: new Set(),  /* nodes brought in by "expand one hop", whatever the filters */
    year: null  /* ties first reported after it are hidden; null: every year */
  };
  var shown = new Set();  /* every node the filters let through, drawn or inside a closed group */
  var edgeOn = [];  /* per edge of the graph: let through by the filters */

  function recompute() {
    var through = G60Filters.apply(model, state);
    shown = through.shown;
    edgeOn = through.edgeOn;
  }
  /* a summed edge is shown while one of its edges is; a group's node while one of its members is */
  function edgeShown(e) {
    var members = model.summed[e.id];
    return members ? members.some(function (j) { return edgeOn[j]; }) : edgeOn[e.id];
  }
  var groupOn = new Set();
  function groupsShown() {
    groupOn = new Set();
    shown.forEach(function (id) { var g = byId.get(id).group; if (closed.has(g) && !loose.has(id)) { groupOn.add(model.groups[g].id); } });
  }
  recompute();
  groupsShown();
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return groupOn.has(n.id) || shown.has(n.id); } });
  var edgesView = new vis.DataView(edges, { filter: edgeShown });
  /* the network holds what is drawn from the start; a filter only flips their "hidden"
     flags and has the network recount what it draws, so nothing is created or destroyed
     (re-adding 18,000 nodes through a data view took 5.6 s; the flags, a few
     milliseconds) and every node keeps its place. The views say what is shown. Opening
     or closing a group adds or removes only its members and their edges. */
  performance.mark("g60:model");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  performance.mark("g60:network");
  var labels = G60Labels.attach(network, data.options.nodes.font.face, data.labelHide);
  function showShown() {
    var body = network.body;
    var nodeOn = new Set(nodesView.getIds().map(String));
    var edgeOn2 = new Set(edgesView.getIds().map(String));
    Object.keys(body.nodes).forEach(function (id) { body.nodes[id].options.hidden = !nodeOn.has(id); });
    Object.keys(body.edges).forEach(function (id) { body.edges[id].options.hidden = !edgeOn2.has(id); });
    /* only the recount of what is drawn: "_dataChanged" would also rebuild every edge and
       the physics data (1.5 s at 20,000 nodes) */
    network._updateVisibleIndices();
    body.emitter.emit("_requestRedraw");
  }
  showShown();
  var layout = G60Layout.attach(network, nodes, nodesView, byId, data.physics);

  /* what is drawn after a group opens or closes, or a node leaves its group: only the
     difference enters or leaves the network. Past SLICE new edges, the rest are created a
     slice a frame (vis-network spends about 0.05 ms on each) and drawn together once the
     last is in, so the nodes and the first ties show at once and the page answers while
     the others come, its note counting them */
  var SLICE = 20000;
  var pending = [];  /* edges still to create */
  var unshown = [];  /* edges created, not yet drawn */
  function sync() {
    var want = model.drawn(closed, loose);
    var hadNodes = new Set(nodes.getIds()), hadEdges = new Set(edges.getIds());
    var wantNodes = new Set(want.nodes.map(function (n) { return n.id; }));
    var wantEdges = new Set(want.edges.map(function (e) { return e.id; }));
    var goneNodes = Array.from(hadNodes).filter(function (id) { return !wantNodes.has(id); });
    var added = want.edges.filter(function (e) { return !hadEdges.has(e.id); });
    layout.keep(goneNodes);
    quietly(function () {
      edges.remove(Array.from(hadEdges).filter(function (id) { return !wantEdges.has(id); }));
      nodes.remove(goneNodes);
      nodes.add(want.nodes.filter(function (n) { return !hadNodes.has(n.id); }));
      edges.add(added.slice(0, SLICE));
    }, true);
    var idle = !pending.length;
    pending = added.slice(SLICE);
    unshown = [];  /* the refresh that follows every sync shows what the filters let through */
    progress();
    if (pending.length && idle) { requestAnimationFrame(function () { setTimeout(addSlice, 0); }); }
  }
  function addSlice() {
    var slice = pending.slice(0, SLICE);
    pending = pending.slice(SLICE);
    quietly(function () {
      edges.add(slice);
      var body = network.body.edges;
      slice.forEach(function (e) { body[e.id].options.hidden = true; unshown.push(e); });
      if (!pending.length) {
        unshown.forEach(function (e) { if (body[e.id]) { body[e.id].options.hidden = !edgeShown(e); } });
        unshown = [];
      }
    }, !pending.length);
    progress();
    if (pending.length) { requestAnimationFrame(function () { setTimeout(addSlice, 0); }); }
  }
  function progress() {
    loading.textContent = ui.adding_ties.replace("{drawn}", (edges.length - unshown.length).toLocaleString())
      .replace("{ties}", (edges.length + pending.length).toLocaleString());
    loading.hidden = !pending.length;
  }
  /* with its physics off, vis-network redraws everything at once after every change to
     its data sets and on unselecting, and recounts all it holds after each (opening a
     group of 24,000 nodes drew the whole network five times, 7 of its 10 s): a batch of
     changes, however nested, is recounted once and, unless `draw` is false, drawn once at
     the next frame */
  var batches = 0, changed = false;
  var emit = network.body.emitter.emit;
  function quietly(work, draw) {
    var emitter = network.body.emitter;
    if (batches++ === 0) {
      emitter.emit("_blockRedraw");
      emitter.emit = function (name) { if (name === "_dataChanged") { changed = true; return undefined; } return emit.apply(this, arguments); };
    }
    try { work(); } finally {
      if (--batches === 0) {
        emitter.emit = emit;
        if (changed) { changed = false; emit("_dataChanged"); }
        emit("_allowRedraw");
        if (draw !== false) { emit("_requestRedraw"); }
      }
    }
  }
  function refresh() {
    recompute();
    groupsShown();
    nodesView.refresh();
    edgesView.refresh();
    showShown();
    summary();
    relayoutButton.disabled = !layout.allowed();
    saveHash();
  }
  function summary() {
    var ties = edgeOn.filter(Boolean).length;
    document.getElementById("g60-summary").textContent = ui.summary
      .replace("{nodes}", shown.size.toLocaleString()).replace("{edges}", ties.toLocaleString())
      .replace("{all_nodes}", model.all.length.toLocaleString()).replace("{all_edges}", model.edges.length.toLocaleString()) +
      (closed.size ? ui.summary_groups.replace("{groups}", closed.size.toLocaleString()) : "");
  }
  network.on("afterDrawing", function () {
    if (!window.g60ready && network.physics.ready) {
      window.g60readyMs = performance.now();
      document.getElementById("g60-loading").hidden = true;
      window.g60ready = true;
      document.body.setAttribute("data-ready", "1");
      if (location.hash.length > 1) { restore(G60Hash.decode(location.hash, snapshot())); }
      else {
        layout.legible(data.focus && shown.has(data.focus) ? data.focus : null);
        if (data.focus) { network.selectNodes([data.focus]); highlight(data.focus); }
      }
    }
  });

  /* the controls: classes, layers, city */
  function toggled(set) {
    return function (id, on) {
      remember();
      if (on) { state[set].add(id); } else { state[set].delete(id); }
      refresh();
    };
  }
  G60Controls.toggles(document.getElementById("g60-classes"), data.classes, state.classes, "g60-swatch", ui.classes, toggled("classes"));
  G60Controls.toggles(document.getElementById("g60-layers"), data.layers, state.layers, "g60-line", ui.layers, toggled("layers"));
  var select = document.getElementById("g60-city");
  G60Controls.cities(select, document.getElementById("g60-city-label"), data, function (city) {
    remember();
    state.city = city;
    refresh();
    network.fit({ animation: false });
  });
  select.value = state.city;
  document.getElementById("g60-note").textContent = data.note;
  summary();

  /* selection: the node, its neighbours and their ties stay; the rest fades */
  var layerColour = {};
  data.layers.forEach(function (l) { layerColour[l[0]] = l[2]; });
  var dimmed = false;
  function highlight(id) {
    if (id === null && !dimmed) { return; }
    var near = new Set(id === null ? [] : network.getConnectedNodes(id).concat([id]));
    var legible = 11 / network.getScale();
    quietly(function () {
      nodes.update(nodesView.getIds().map(function (n) {
        var on = id === null || near.has(n);
        return { id: n, opacity: on ? 1 : DIM, font: { size: on && id !== null ? Math.max(byId.get(n).font.size, legible) : byId.get(n).font.size } };
      }));
      edges.update(edgesView.getIds().map(function (e) {
        var item = edges.get(e);
        var on = id === null || item.from === id || item.to === id;
        return { id: e, color: { color: layerColour[item.layer], opacity: on ? 0.75 : DIM / 2 } };
      }));
    });
    dimmed = id !== null;
  }
  network.on("selectNode", function (p) { highlight(p.nodes[0]); });
  network.on("deselectNode", function (p) { if (!p.nodes.length) { highlight(null); } });

  /* tools: zoom, fit, re-layout what is shown */
  var tools = document.getElementById("g60-tools");
  G60Controls.tool(tools, "zoom_in", ui, function () { network.moveTo({ scale: network.getScale() * 1.4 }); });
  G60Controls.tool(tools, "zoom_out", ui, function () { network.moveTo({ scale: network.getScale() / 1.4 }); });
  G60Controls.tool(tools, "fit", ui, function () { network.fit({ animation: false }); });
  var relayoutButton = G60Controls.tool(tools, "relayout", ui, layout.relayout);
  relayoutButton.disabled = !layout.allowed();

  /* the side panel: a node's or an edge's facts and quotes, and the actions on a node */
  var side = document.getElementById("g60-side");
  /* the panel takes or gives back room: tell the network now, not at its next resize check,
     so a view set right after (a link's, "back") is not rescaled to the new width later */
  var panel = G60Side.attach(side, data, function () { network.setSize("100%", "100%"); network.redraw(); });
  function names(list) { return list.map(function (c) { return (byId.get(c) || { label: c }).label; }).join("、"); }
  function showNode(id) {
    var n = byId.get(id);
    panel.actions.replaceChildren();
    var verbs = n.members ? [["open_group", function () { later(ui.opening.replace("{n}", n.members.toLocaleString()), function () { openGroup(n.groupIndex); }); }]]
      : [["centre", function () { remember(); centre(id); }], ["expand", function () { expand(id); }]];
    if (!n.members && grouping && model.groups[n.group].members > 1) {
      verbs.push(["close_group", function () { closeGroup(n.group); }]);
    }
    verbs.concat([["back", back]]).forEach(function (a) {
      var button = G60Dom.el("button", { type: "button", "data-action": a[0] }, ui[a[0]]);
      button.addEventListener("click", a[1]);
      if (a[0] === "back") { button.disabled = !past.length; }
      panel.actions.append(button);
    });
    if (n.members) {
      panel.show(n.names[0], [[ui.cls, n.clsName], [ui.city, names(n.cities)], [ui.members, n.words]], null);
      return;
    }
    panel.show(n.label, [[ui.cls, n.clsName], [ui.other_names, n.names.filter(function (x) { return x !== n.label; }).join(" / ")],
                         [ui.city, names(n.cities)], [ui.ties, n.words], [ui.measure, n.measure], [ui.id, n.id]], data.facts[id]);
  }
  function showEdge(id) {
    var e = edges.get(id);
    panel.actions.replaceChildren();
    panel.show(e.title, [[ui.layer, (data.layers.filter(function (l) { return l[0] === e.layer; })[0] || [0, e.layer])[1]],
                         [ui.weight, e.weight]], data.edgeFacts[id]);
  }
  network.on("doubleClick", function (p) { if (p.nodes.length && byId.get(p.nodes[0]).members) { openGroup(byId.get(p.nodes[0]).groupIndex); } });
  network.on("click", function (p) {
    if (p.nodes.length) { remember(); showNode(p.nodes[0]); }
    else if (p.edges.length) { showEdge(p.edges[0]); }
    else { panel.hide(); highlight(null); }
  });

  /* search: a hit is taken out of its closed group and let through the filters */
  function pick(id) {
    var n = byId.get(id);
    remember();
    if (nodes.get(id) === null) { loose.add(id); sync(); refresh(); }  /* out of its closed group */
    if (!shown.has(id)) {
      state.classes.add(n.cls);
      state.city = "";
      select.value = "";
      document.querySelectorAll("#g60-classes input").forEach(function (b) { b.checked = state.classes.has(b.value); });
      refresh();
    }
    select1(id);
    centre(id);
  }
  var search = G60Search.attach(model, document.getElementById("g60-search"), document.getElementById("g60-hits"), ui, pick);

  /* under the network: the basemap and the ties every member shares */
  G60Map.attach(network, data, function () { return nodesView.getIds(); },
                function (layer) { return state.layers.has(layer); }, model.all.length);

  /* actions on a node, and a way back */
  function select1(id) {
    if (id && (groupOn.has(id) || shown.has(id)) && nodes.get(id) !== null) { network.selectNodes([id]); highlight(id); showNode(id); }
    else { network.unselectAll(); highlight(null); panel.hide(); }
    saveHash();
  }
  function centre(id) {
    /* on a phone the panel is a sheet over the lower part: centre in the part left visible */
    var sheet = !side.hidden && side.getBoundingClientRect().left <= 0 ? side.offsetHeight : 0;
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), offset: { x: 0, y: -sheet / 2 }, animation: false });
  }
  function expand(id) {
    quietly(function () {
      remember();
      state.extra.add(id);
      incident(id).forEach(function (e) { if (state.layers.has(e.layer)) { state.extra.add(e.from === id ? e.to : e.from); } });
      var out = Array.from(state.extra).filter(function (x) { return nodes.get(x) === null; });
      if (out.length) { out.forEach(function (x) { loose.add(x); }); sync(); }
      refresh();
      select1(id);
    });
  }
  /* a group opened in place (its members where the layout put them) or closed again */
  var grouping = closed.size > 0;
  function openGroup(g) {
    quietly(function () {
      remember();
      closed.delete(g);
      sync();
      refresh();
      select1(null);
    });
  }
  function closeGroup(g) {
    quietly(function () {
      remember();
      closed.add(g);
      model.all.forEach(function (x) { if (x.group === g) { loose.delete(x.id); } });
      sync();
      refresh();
      select1(null);
    });
  }
  /* work that takes a while: say so first, do it once the note is painted */
  function later(note, work) {
    loading.textContent = note;
    loading.hidden = false;
    requestAnimationFrame(function () { setTimeout(function () { work(); loading.hidden = !pending.length; }, 0); });
  }
  var past = [];
  function snapshot() {
    var view = network.getViewPosition();
    return { classes: Array.from(state.classes), layers: Array.from(state.layers), city: state.city,
             extra: Array.from(state.extra), year: state.year, focus: network.getSelectedNodes()[0] || null,
             at: [view.x, view.y, network.getScale()], closed: grouping ? Array.from(closed) : null,
             loose: grouping ? Array.from(loose) : null };
  }
  function remember() { past.push(snapshot()); if (past.length > 100) { past.shift(); } }
  function restore(snap) {
    quietly(function () {
      state.classes = new Set(snap.classes);
      state.layers = new Set(snap.layers);
      state.city = snap.city;
      state.extra = new Set(snap.extra);
      state.year = snap.year;
      if (snap.closed) {
        closed = new Set(snap.closed);
        loose = new Set(snap.loose);
        sync();
      }
      document.querySelectorAll("#g60-classes input").forEach(function (b) { b.checked = state.classes.has(b.value); });
      document.querySelectorAll("#g60-layers input").forEach(function (b) { b.checked = state.layers.has(b.value); });
      select.value = state.city;
      showYear(state.year);
      refresh();
      select1(snap.focus);
      if (snap.at) { network.moveTo({ position: { x: snap.at[0], y: snap.at[1] }, scale: snap.at[2], animation: false }); }
      saveHash();
    });
  }
  function back() { if (past.length) { restore(past.pop()); } }

  var years = model.edges.map(function (e) { return e.year; }).filter(function (y) { return y !== undefined; });
  var showYear = G60Year.attach(document.getElementById("g60-year"), years, ui, function (year, firstMove) {
    if (firstMove) { remember(); }
    state.year = year;
    showYear(year);
    refresh();
  });
  showYear(state.year);

  /* state in the URL, so a link reopens the view */
  var hashTimer = null;
  function saveHash() {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(function () { history.replaceState(null, "", "#" + G60Hash.encode(snapshot())); }, 150);
  }
  ["zoom", "dragEnd", "select", "deselectNode"].forEach(function (ev) { network.on(ev, saveHash); });

  G60Export.attach(document.getElementById("g60-export"), ui, data.view || "g60kg", container, nodesView, edgesView);
  G60Nav.attach(data, container);

  window.g60 = { network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
                 search: search, pick: pick, state: state, refresh: refresh, relayout: layout.relayout,
                 relayouts: layout.relayouts, expand: expand, back: back, restore: restore, snapshot: snapshot,
                 encodeState: G60Hash.encode, decodeState: function (hash) { return G60Hash.decode(hash, snapshot()); },
                 openGroup: openGroup, closeGroup: closeGroup,
                 closed: function () { return Array.from(closed).sort(function (a, b) { return a - b; }); },
                 model: model, labels: function () { return labels.placed; },
                 pending: function () { return pending.length; } };
  }
  }
})();
