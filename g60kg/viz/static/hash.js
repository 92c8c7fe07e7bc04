/* g60kg page state in the URL: filters, year, selected node, the view and the groups, as
   "key=a|b&key=..." after the "#", so a link reopens what was shown.
   Defines window.G60Hash.encode(snap) -> text and window.G60Hash.decode(hash, base) -> a
   snapshot: `base` with the keys the hash gives. */
(function () {
  "use strict";
  var KEYS = ["classes", "layers", "city", "extra", "year", "focus", "at", "closed", "loose"];
  function encode(snap) {
    return KEYS.filter(function (k) { return snap[k] !== null && snap[k] !== ""; }).map(function (k) {
      var v = snap[k];
      if (k === "at") { v = v.map(function (x) { return Math.round(x * 1000) / 1000; }); }
      return k + "=" + encodeURIComponent(Array.isArray(v) ? v.join("|") : String(v));
    }).join("&");
  }
  function decode(hash, base) {
    var snap = base;
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
  window.G60Hash = { encode: encode, decode: decode };
})();
