/* g60kg page year slider, over the ties that carry a year: at its right end every year is
   shown; hidden when no tie has a year.
   Defines window.G60Year.attach(box, years, ui, slide) -> show(year): slide(year, first)
   is called while the slider moves (year null: every year; first: the first move of a
   drag); show(year) sets the slider and its words. */
(function () {
  "use strict";
  function attach(box, years, ui, slide) {
    var slider = box.querySelector("input");
    function show(year) {
      if (!years.length) { return; }
      slider.value = year === null ? slider.max : year;
      box.querySelector("span").textContent = year === null ? ui.year_all : ui.year.replace("{year}", year);
    }
    if (years.length) {
      /* a loop, not Math.min.apply: a page may have more years than a call takes arguments */
      slider.min = years.reduce(function (a, b) { return Math.min(a, b); });
      slider.max = years.reduce(function (a, b) { return Math.max(a, b); });
      box.hidden = false;
      var sliding = false;
      slider.addEventListener("change", function () { sliding = false; });
      slider.addEventListener("input", function () {
        var first = !sliding;
        sliding = true;
        slide(Number(slider.value) >= Number(slider.max) ? null : Number(slider.value), first);
      });
    }
    return show;
  }
  window.G60Year = { attach: attach };
})();
