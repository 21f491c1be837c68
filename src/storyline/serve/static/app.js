// Progressive enhancement only: every page works without this file.
// Opening a link to a claim (#c123) also opens the removed-boilerplate panel when the
// anchor is not in the main text, and "b" toggles that panel from the keyboard.
(function () {
  "use strict";
  function panel() { return document.getElementById("boilerplate"); }
  document.addEventListener("keydown", function (ev) {
    var p = panel();
    if (!p || ev.key !== "b" || ev.target.closest("input, textarea, select")) { return; }
    p.open = !p.open;
  });
  var chart = document.getElementById("status-chart");
  if (chart) { chart.setAttribute("data-ready", "1"); }
})();
