/* g60kg page filters: which nodes and ties the classes, layers, city and year let through.
   A city keeps its own nodes and their neighbours by a tie of a layer shown; nodes brought
   in by "expand one hop" (state.extra) stay whatever the filters; a tie first reported
   after the year is left out.
   Defines window.G60Filters.apply(model, state) -> { shown: Set of node ids, edgeOn: per
   edge of model.edges, true when let through }. */
(function () {
  "use strict";
  function apply(model, state) {
    var byId = model.byId;
    var shown = new Set();
    model.all.forEach(function (n) { if (state.classes.has(n.cls)) { shown.add(n.id); } });
    var inCity = null;
    if (state.city) {
      inCity = new Set();
      shown.forEach(function (id) { if (byId.get(id).cities.indexOf(state.city) >= 0) { inCity.add(id); } });
      var keep = new Set(inCity);
      inCity.forEach(function (id) {
        model.incident(id).forEach(function (e) {
          var other = e.from === id ? e.to : e.from;
          if (state.layers.has(e.layer) && shown.has(other)) { keep.add(other); }
        });
      });
      shown = keep;
    }
    state.extra.forEach(function (id) { shown.add(id); });
    var edgeOn = model.edges.map(function (e) {
      return state.layers.has(e.layer) && shown.has(e.from) && shown.has(e.to) &&
        (state.year === null || e.year === undefined || e.year <= state.year) &&
        (inCity === null || inCity.has(e.from) || inCity.has(e.to) || state.extra.has(e.from) || state.extra.has(e.to));
    });
    return { shown: shown, edgeOn: edgeOn };
  }
  window.G60Filters = { apply: apply };
})();
