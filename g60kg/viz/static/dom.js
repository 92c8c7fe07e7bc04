/* g60kg page: one helper to make an element. Defines window.G60Dom.el(tag, attrs, text). */
(function () {
  "use strict";
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  window.G60Dom = { el: el };
})();
