/* g60kg page layout: positions written back into the data set once the physics settles
   and after every drag, so a node hidden by a filter comes back where it was; only
   "re-layout" moves nodes, and only those shown; on a small screen the opening view is
   the largest node (or the focus) at a zoom where its label is legible.
   Defines window.G60Layout.attach(network, nodes, nodesView, byId, physics) -> { keep(ids),
   relayout(), allowed() (true when re-layout may run on what is shown), legible(focus),
   relayouts() (how many ran) }. */
(function () {
  "use strict";
  var RELAYOUT_MAX = 2000;  /* nodes shown: above it "re-layout" is refused (the physics would freeze the tab) */
  var RELAYOUT_ITERATIONS = 400;
  var LEGIBLE = 11;  /* px: the opening view keeps the largest labels at least this high */

  function attach(network, nodes, nodesView, byId, physics) {
    var relayouts = 0;
    function keep(ids) {
      var body = network.body.nodes;
      var at = (ids || Object.keys(body)).filter(function (id) { return body[id] && byId.get(id); })
        .map(function (id) { byId.get(id).x = body[id].x; byId.get(id).y = body[id].y; return { id: id, x: body[id].x, y: body[id].y }; });
      nodes.update(at);
    }
    /* hidden nodes and edges take no part in a re-layout: they keep their places */
    function physicsOfHidden(on) {
      var body = network.body;
      [body.nodes, body.edges].forEach(function (items) {
        Object.keys(items).forEach(function (id) { items[id].options.physics = on || !items[id].options.hidden; });
      });
      body.emitter.emit("_dataChanged");
    }
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
      network.setOptions({ physics: physics });
      network.stabilize(RELAYOUT_ITERATIONS);
    }
    function allowed() { return nodesView.length <= RELAYOUT_MAX && nodesView.length >= 2; }
    function legible(focus) {
      var ids = nodesView.getIds();
      if (!ids.length) { return; }
      var plain = ids.filter(function (id) { return !byId.get(id).members; });  /* a node, not a group, if any */
      var top = (plain.length ? plain : ids).reduce(function (a, b) { return byId.get(b).font.size > byId.get(a).font.size ? b : a; });
      if (byId.get(top).font.size * network.getScale() >= LEGIBLE) { return; }
      var at = network.getPositions([focus || top]);
      var p = at[Object.keys(at)[0]];
      network.moveTo({ position: p, scale: LEGIBLE / byId.get(top).font.size, animation: false });
    }
    network.on("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      physicsOfHidden(true);
      keep();
      network.fit({ animation: false });
    });
    network.on("dragEnd", function (p) { if (p.nodes.length) { keep(p.nodes); } });
    return { keep: keep, relayout: relayout, allowed: allowed, legible: legible,
             relayouts: function () { return relayouts; } };
  }
  window.G60Layout = { attach: attach };
})();
