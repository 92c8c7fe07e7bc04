/* g60kg page: the network, its legend and filters, a search box, a side panel with the
   quotes, the top bar, exports and the state in the URL.
   Reads the JSON in #g60-data once the "loading" note has been painted; sets
   window.g60ready once the network is drawn with its physics settled (vis-network's
   physics.ready), and window.g60 for scripts and tests. */
(function () {
  "use strict";
  requestAnimationFrame(function () { setTimeout(start, 0); });  /* let the note paint first */
  function start() {
  var RELAYOUT_MAX = 2000;  /* nodes shown: above it "re-layout" is refused (the physics would freeze the tab) */
  var RELAYOUT_ITERATIONS = 400;
  var DIM = 0.12;  /* opacity of what a selection leaves out */
  var LEGIBLE = 11;  /* px: the opening view keeps the largest labels at least this high */
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
  var inCity = null;

  function recompute() {
    shown = new Set();
    model.all.forEach(function (n) { if (state.classes.has(n.cls)) { shown.add(n.id); } });
    inCity = null;
    if (state.city) {
      inCity = new Set();
      shown.forEach(function (id) { if (byId.get(id).cities.indexOf(state.city) >= 0) { inCity.add(id); } });
      var keep = new Set(inCity);
      inCity.forEach(function (id) {
        incident(id).forEach(function (e) {
          var other = e.from === id ? e.to : e.from;
          if (state.layers.has(e.layer) && shown.has(other)) { keep.add(other); }
        });
      });
      shown = keep;
    }
    state.extra.forEach(function (id) { shown.add(id); });
    edgeOn = model.edges.map(function (e) {
      return state.layers.has(e.layer) && shown.has(e.from) && shown.has(e.to) &&
        (state.year === null || e.year === undefined || e.year <= state.year) &&
        (inCity === null || inCity.has(e.from) || inCity.has(e.to) || state.extra.has(e.from) || state.extra.has(e.to));
    });
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

  /* what is drawn after a group opens or closes, or a node leaves its group: only the
     difference enters or leaves the network */
  function sync() {
    var want = model.drawn(closed, loose);
    var hadNodes = new Set(nodes.getIds()), hadEdges = new Set(edges.getIds());
    var wantNodes = new Set(want.nodes.map(function (n) { return n.id; }));
    var wantEdges = new Set(want.edges.map(function (e) { return e.id; }));
    var goneNodes = Array.from(hadNodes).filter(function (id) { return !wantNodes.has(id); });
    keepPositions(goneNodes);
    edges.remove(Array.from(hadEdges).filter(function (id) { return !wantEdges.has(id); }));
    nodes.remove(goneNodes);
    nodes.add(want.nodes.filter(function (n) { return !hadNodes.has(n.id); }));
    edges.add(want.edges.filter(function (e) { return !hadEdges.has(e.id); }));
  }
  function refresh() {
    recompute();
    groupsShown();
    nodesView.refresh();
    edgesView.refresh();
    showShown();
    summary();
    relayoutAllowed();
    saveHash();
  }
  function summary() {
    var ties = edgeOn.filter(Boolean).length;
    document.getElementById("g60-summary").textContent = ui.summary
      .replace("{nodes}", shown.size.toLocaleString()).replace("{edges}", ties.toLocaleString())
      .replace("{all_nodes}", model.all.length.toLocaleString()).replace("{all_edges}", model.edges.length.toLocaleString()) +
      (closed.size ? ui.summary_groups.replace("{groups}", closed.size.toLocaleString()) : "");
  }

  /* positions: written back into the data set once the physics settles and after every
     drag, so a node hidden by a filter comes back where it was; only "re-layout" moves
     nodes, and only those shown */
  function keepPositions(ids) {
    var body = network.body.nodes;
    var at = (ids || Object.keys(body)).filter(function (id) { return body[id] && byId.get(id); })
      .map(function (id) { byId.get(id).x = body[id].x; byId.get(id).y = body[id].y; return { id: id, x: body[id].x, y: body[id].y }; });
    nodes.update(at);
  }
  /* on a small screen the whole graph may be too small to read: then open on the largest
     node (or the focus) at the zoom where the largest labels are LEGIBLE px high */
  function legible() {
    var ids = nodesView.getIds();
    if (!ids.length) { return; }
    var plain = ids.filter(function (id) { return !byId.get(id).members; });  /* a node, not a group, if any */
    var top = (plain.length ? plain : ids).reduce(function (a, b) { return byId.get(b).font.size > byId.get(a).font.size ? b : a; });
    if (byId.get(top).font.size * network.getScale() >= LEGIBLE) { return; }
    var at = network.getPositions([data.focus && shown.has(data.focus) ? data.focus : top]);
    var p = at[Object.keys(at)[0]];
    network.moveTo({ position: p, scale: LEGIBLE / byId.get(top).font.size, animation: false });
  }
  var relayouts = 0;
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    physicsOfHidden(true);
    keepPositions();
    network.fit({ animation: false });
  });
  network.on("dragEnd", function (p) { if (p.nodes.length) { keepPositions(p.nodes); } });
  function relayout() {
    /* from scratch: the shown nodes on a circle around their centre, then the physics */
    relayouts += 1;
    var ids = nodesView.getIds();
    var at = network.getPositions(ids);
    var cx = 0, cy = 0;
    ids.forEach(function (id) { cx += at[id].x / ids.length; cy += at[id].y / ids.length; });
    var radius = 30 * Math.sqrt(ids.length);
    ids.forEach(function (id, i) {
      var angle = 2 * Math.PI * i / ids.length;
      network.moveNode(id, cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
    });
    physicsOfHidden(false);
    network.setOptions({ physics: data.physics });
    network.stabilize(RELAYOUT_ITERATIONS);
  }
  /* hidden nodes and edges take no part in a re-layout: they keep their places */
  function physicsOfHidden(on) {
    var body = network.body;
    [body.nodes, body.edges].forEach(function (items) {
      Object.keys(items).forEach(function (id) { items[id].options.physics = on || !items[id].options.hidden; });
    });
    body.emitter.emit("_dataChanged");
  }
  network.on("afterDrawing", function () {
    if (!window.g60ready && network.physics.ready) {
      window.g60readyMs = performance.now();
      document.getElementById("g60-loading").hidden = true;
      window.g60ready = true;
      document.body.setAttribute("data-ready", "1");
      if (location.hash.length > 1) { restore(decodeState(location.hash)); }
      else {
        legible();
        if (data.focus) { network.selectNodes([data.focus]); highlight(data.focus); }
      }
    }
  });

  /* filters */
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  var SYMBOLS = { dot: "●", square: "■", triangle: "▲", diamond: "◆", star: "★", triangleDown: "▼", hexagon: "⬢" };
  function toggles(id, items, set, swatchClass) {
    var box = document.getElementById(id);
    box.querySelector("legend").textContent = ui[id.replace("g60-", "")];
    items.forEach(function (item) {
      var label = el("label", { "data-id": item[0] });
      var box2 = el("input", { type: "checkbox", value: item[0] });
      box2.checked = set.has(item[0]);
      box2.disabled = item[3] === 0;
      if (item[3] === 0) { label.className = "g60-empty"; }
      box2.addEventListener("change", function () {
        remember();
        if (box2.checked) { set.add(item[0]); } else { set.delete(item[0]); }
        refresh();
      });
      var swatch = el("span", { "class": swatchClass }, swatchClass === "g60-swatch" ? SYMBOLS[item[4]] || "●" : undefined);
      swatch.style[swatchClass === "g60-swatch" ? "color" : "background"] = item[2];
      label.append(box2, swatch, el("span", {}, item[1]), el("span", { "class": "g60-count" }, String(item[3])));
      box.append(label);
    });
    if (!items.length) { box.hidden = true; }
  }
  toggles("g60-classes", data.classes, state.classes, "g60-swatch");
  toggles("g60-layers", data.layers, state.layers, "g60-line");
  var select = document.getElementById("g60-city");
  document.getElementById("g60-city-label").textContent = ui.city;
  select.append(el("option", { value: "" }, ui.all_cities));
  data.cities.forEach(function (c) { select.append(el("option", { value: c[0] }, c[1])); });
  select.value = state.city;
  select.addEventListener("change", function () {
    remember();
    state.city = select.value;
    refresh();
    network.fit({ animation: false });
  });
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
    nodes.update(nodesView.getIds().map(function (n) {
      var on = id === null || near.has(n);
      return { id: n, opacity: on ? 1 : DIM, font: { size: on && id !== null ? Math.max(byId.get(n).font.size, legible) : byId.get(n).font.size } };
    }));
    edges.update(edgesView.getIds().map(function (e) {
      var item = edges.get(e);
      var on = id === null || item.from === id || item.to === id;
      return { id: e, color: { color: layerColour[item.layer], opacity: on ? 0.75 : DIM / 2 } };
    }));
    dimmed = id !== null;
  }
  network.on("selectNode", function (p) { highlight(p.nodes[0]); });
  network.on("deselectNode", function (p) { if (!p.nodes.length) { highlight(null); } });

  /* tools: zoom, fit, re-layout what is shown */
  function tool(name, action) {
    var button = el("button", { type: "button", "data-tool": name, title: ui["tool_" + name] }, ui["icon_" + name]);
    button.addEventListener("click", action);
    document.getElementById("g60-tools").append(button);
    return button;
  }
  tool("zoom_in", function () { network.moveTo({ scale: network.getScale() * 1.4 }); });
  tool("zoom_out", function () { network.moveTo({ scale: network.getScale() / 1.4 }); });
  tool("fit", function () { network.fit({ animation: false }); });
  var relayoutButton = tool("relayout", relayout);
  function relayoutAllowed() {
    relayoutButton.disabled = nodesView.length > RELAYOUT_MAX || nodesView.length < 2;
  }
  relayoutAllowed();

  /* the side panel: what a node or an edge is, and every quote behind it, page by page */
  var side = document.getElementById("g60-side");
  var QUOTES_PER_PAGE = 10;
  function names(list) { return list.map(function (c) { return (byId.get(c) || { label: c }).label; }).join("、"); }
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
  function showSide(title, rows, found) {
    side.querySelector("h2").textContent = title;
    var list = side.querySelector("dl");
    list.textContent = "";
    rows.forEach(function (r) { if (r[1] !== "" && r[1] !== null) { list.append(el("dt", {}, r[0]), el("dd", {}, String(r[1]))); } });
    var count = found ? found.rows.length + found.more : 0;
    side.querySelector("h3").textContent = ui.quotes.replace("{n}", count);
    if (found && found.rows.length) { quotePage(found, 0); }
    else { side.querySelector(".g60-quotes").replaceChildren(el("p", {}, ui.no_quotes)); }
    if (side.hidden) { side.hidden = false; resized(); }
  }
  function hideSide() { if (!side.hidden) { side.hidden = true; resized(); } }
  /* the panel takes or gives back room: tell the network now, not at its next resize check,
     so a view set right after (a link's, "back") is not rescaled to the new width later */
  function resized() { network.setSize("100%", "100%"); network.redraw(); }
  side.querySelector(".g60-close").addEventListener("click", hideSide);
  side.querySelector(".g60-close").setAttribute("aria-label", ui.close);
  function showNode(id) {
    var n = byId.get(id);
    var actions = side.querySelector(".g60-actions");
    actions.replaceChildren();
    var verbs = n.members ? [["open_group", function () { later(ui.opening.replace("{n}", n.members.toLocaleString()), function () { openGroup(n.groupIndex); }); }]]
      : [["centre", function () { remember(); centre(id); }], ["expand", function () { expand(id); }]];
    if (!n.members && grouping && model.groups[n.group].members > 1) {
      verbs.push(["close_group", function () { closeGroup(n.group); }]);
    }
    verbs.concat([["back", back]]).forEach(function (a) {
      var button = el("button", { type: "button", "data-action": a[0] }, ui[a[0]]);
      button.addEventListener("click", a[1]);
      if (a[0] === "back") { button.disabled = !past.length; }
      actions.append(button);
    });
    if (n.members) {
      showSide(n.names[0], [[ui.cls, n.clsName], [ui.city, names(n.cities)], [ui.members, n.words]], null);
      return;
    }
    showSide(n.label, [[ui.cls, n.clsName], [ui.other_names, n.names.filter(function (x) { return x !== n.label; }).join(" / ")],
                       [ui.city, names(n.cities)], [ui.ties, n.words], [ui.measure, n.measure], [ui.id, n.id]], data.facts[id]);
  }
  function showEdge(id) {
    var e = edges.get(id);
    side.querySelector(".g60-actions").replaceChildren();
    showSide(e.title, [[ui.layer, (data.layers.filter(function (l) { return l[0] === e.layer; })[0] || [0, e.layer])[1]],
                       [ui.weight, e.weight]], data.edgeFacts[id]);
  }
  network.on("doubleClick", function (p) { if (p.nodes.length && byId.get(p.nodes[0]).members) { openGroup(byId.get(p.nodes[0]).groupIndex); } });
  network.on("click", function (p) {
    if (p.nodes.length) { remember(); showNode(p.nodes[0]); }
    else if (p.edges.length) { showEdge(p.edges[0]); }
    else { hideSide(); highlight(null); }
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hideSide(); } });

  /* search: any name or alias, Chinese or English, ignoring case, width, spaces and punctuation */
  function norm(s) { return String(s).normalize("NFKC").toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, ""); }
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
  var input = document.getElementById("g60-search");
  var list = document.getElementById("g60-hits");
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

  /* under the network: the basemap (cities at their coordinates) and, as one shaded area
     around the members, the ties every member shares (rather than a tie per pair) */
  var mapBox = document.getElementById("g60-basemap");
  if (data.basemap && data.basemap.rings.length) {
    mapBox.hidden = false;
    mapBox.querySelector("span").textContent = ui.basemap;
    mapBox.querySelector("input").addEventListener("change", function (e) { map.basemap(e.target.checked); network.redraw(); });
  }
  var sharedBox = document.getElementById("g60-shared");
  data.shared.forEach(function (item) {
    var layer = data.layers.filter(function (l) { return l[0] === item.layer; })[0] || [item.layer, item.layer, "#888"];
    var line = el("p", { "data-layer": item.layer });
    var swatch = el("span", { "class": "g60-area" });
    swatch.style.background = layer[2];
    line.append(swatch, ui.shared.replace("{n}", model.all.length).replace("{layer}", layer[1])
      .replace("{count}", item.ties.length) + item.ties.join("、"));
    sharedBox.append(line);
  });
  var map = G60Map.attach(network, data, function () { return nodesView.getIds(); },
                          function (layer) { return state.layers.has(layer); });

  /* actions on a node, and a way back */
  function select1(id) {
    if (id && (groupOn.has(id) || shown.has(id)) && nodes.get(id) !== null) { network.selectNodes([id]); highlight(id); showNode(id); }
    else { network.unselectAll(); highlight(null); hideSide(); }
    saveHash();
  }
  function centre(id) {
    /* on a phone the panel is a sheet over the lower part: centre in the part left visible */
    var sheet = !side.hidden && side.getBoundingClientRect().left <= 0 ? side.offsetHeight : 0;
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), offset: { x: 0, y: -sheet / 2 }, animation: false });
  }
  function expand(id) {
    remember();
    state.extra.add(id);
    incident(id).forEach(function (e) { if (state.layers.has(e.layer)) { state.extra.add(e.from === id ? e.to : e.from); } });
    var out = Array.from(state.extra).filter(function (x) { return nodes.get(x) === null; });
    if (out.length) { out.forEach(function (x) { loose.add(x); }); sync(); }
    refresh();
    select1(id);
  }
  /* a group opened in place (its members where the layout put them) or closed again */
  var grouping = closed.size > 0;
  function openGroup(g) {
    remember();
    closed.delete(g);
    sync();
    refresh();
    select1(null);
  }
  function closeGroup(g) {
    remember();
    closed.add(g);
    model.all.forEach(function (x) { if (x.group === g) { loose.delete(x.id); } });
    sync();
    refresh();
    select1(null);
  }
  /* work that takes a while: say so first, do it once the note is painted */
  function later(note, work) {
    loading.textContent = note;
    loading.hidden = false;
    requestAnimationFrame(function () { setTimeout(function () { work(); loading.hidden = true; }, 0); });
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
    showYear();
    refresh();
    select1(snap.focus);
    if (snap.at) { network.moveTo({ position: { x: snap.at[0], y: snap.at[1] }, scale: snap.at[2], animation: false }); }
    saveHash();
  }
  function back() { if (past.length) { restore(past.pop()); } }

  /* the year slider, over the ties that carry a year */
  var years = model.edges.map(function (e) { return e.year; }).filter(function (y) { return y !== undefined; });
  var yearBox = document.getElementById("g60-year");
  var slider = yearBox.querySelector("input");
  function showYear() {
    if (!years.length) { return; }
    slider.value = state.year === null ? slider.max : state.year;
    yearBox.querySelector("span").textContent = state.year === null ? ui.year_all : ui.year.replace("{year}", state.year);
  }
  if (years.length) {
    /* a loop, not Math.min.apply: a page may have more years than a call takes arguments */
    slider.min = years.reduce(function (a, b) { return Math.min(a, b); });
    slider.max = years.reduce(function (a, b) { return Math.max(a, b); });
    yearBox.hidden = false;
    var sliding = false;
    slider.addEventListener("change", function () { sliding = false; });
    slider.addEventListener("input", function () {
      if (!sliding) { remember(); sliding = true; }
      state.year = Number(slider.value) >= Number(slider.max) ? null : Number(slider.value);
      showYear();
      refresh();
    });
    showYear();
  }

  /* state in the URL: filters, year, selected node and the view, so a link reopens it */
  var HASH_KEYS = ["classes", "layers", "city", "extra", "year", "focus", "at", "closed", "loose"];
  function encodeState(snap) {
    return HASH_KEYS.filter(function (k) { return snap[k] !== null && snap[k] !== ""; }).map(function (k) {
      var v = snap[k];
      if (k === "at") { v = v.map(function (x) { return Math.round(x * 1000) / 1000; }); }
      return k + "=" + encodeURIComponent(Array.isArray(v) ? v.join("|") : String(v));
    }).join("&");
  }
  function decodeState(hash) {
    var snap = snapshot();
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i < 0) { return; }
      var k = part.slice(0, i), v = decodeURIComponent(part.slice(i + 1));
      if (["classes", "layers", "extra", "loose"].indexOf(k) >= 0) { snap[k] = v ? v.split("|") : []; }
      else if (k === "closed") { snap.closed = v ? v.split("|").map(Number) : []; }
      else if (k === "at") { snap.at = v.split("|").map(Number); }
      else if (k === "year") { snap.year = Number(v); }
      else if (k === "city" || k === "focus") { snap[k] = v; }
    });
    return snap;
  }
  var hashTimer = null;
  function saveHash() {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(function () { history.replaceState(null, "", "#" + encodeState(snapshot())); }, 150);
  }
  ["zoom", "dragEnd", "select", "deselectNode"].forEach(function (ev) { network.on(ev, saveHash); });

  /* exports of what is shown: the drawing as PNG, the nodes and the ties as CSV */
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
  var stem = (data.view || "g60kg");
  function exportPng() {
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
  function exportNodes() {
    var rows = [["id", "label", "class", "cities", "ties", "measure"]];
    nodesView.get().forEach(function (n) { rows.push([n.id, n.label, n.clsName, n.cities.join(" "), n.words, n.measure]); });
    download(stem + "-nodes.csv", new Blob([csv(rows)], { type: "text/csv" }));
  }
  function exportEdges() {
    var rows = [["from", "to", "layer", "relation", "weight", "year"]];
    edgesView.get().forEach(function (e) { rows.push([e.from, e.to, e.layer, e.title, e.weight, e.year]); });
    download(stem + "-ties.csv", new Blob([csv(rows)], { type: "text/csv" }));
  }
  var exportBox = document.getElementById("g60-export");
  exportBox.querySelector("legend").textContent = ui.export;
  [["png", exportPng], ["csv_nodes", exportNodes], ["csv_edges", exportEdges]].forEach(function (x) {
    var button = el("button", { type: "button", "data-export": x[0] }, ui[x[0]]);
    button.addEventListener("click", x[1]);
    exportBox.append(button);
  });

  /* the top bar: the other pages (the query page only when served over HTTP) */
  var bar = document.getElementById("g60-nav");
  var menu = document.getElementById("g60-menu");
  data.nav.forEach(function (item) {
    if (item[0] === "query" && !/^https?:$/.test(location.protocol)) { return; }
    var link = el("a", { href: item[2], "data-nav": item[0] }, item[1]);
    if (item[0] === data.view) { link.setAttribute("aria-current", "page"); }
    bar.insertBefore(link, menu);
  });
  menu.textContent = ui.menu;
  menu.addEventListener("click", function () { document.body.classList.toggle("g60-drawer"); });
  container.addEventListener("pointerdown", function () { document.body.classList.remove("g60-drawer"); });

  window.g60 = { network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
                 search: search, pick: pick, state: state, refresh: refresh, relayout: relayout,
                 relayouts: function () { return relayouts; }, expand: expand, back: back, restore: restore,
                 snapshot: snapshot, encodeState: encodeState, decodeState: decodeState, openGroup: openGroup,
                 closeGroup: closeGroup, closed: function () { return Array.from(closed).sort(function (a, b) { return a - b; }); },
                 model: model, labels: function () { return labels.placed; } };
  }
  }
})();
