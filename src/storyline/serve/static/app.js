// Progressive enhancement only: every page works without this file.
// "b" toggles a document's removed-boilerplate panel, "/" goes to the search box. Opening a
// link to a claim (#c123) marks every piece of the claim's words, not only the first, and
// opens the boilerplate panel when the claim is not in the main text.
(function () {
  "use strict";
  function typing(ev) { return ev.target.closest("input, textarea, select"); }
  document.addEventListener("keydown", function (ev) {
    if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var p = document.getElementById("boilerplate");
    if (ev.key === "b" && p) { p.open = !p.open; }
    if (ev.key === "/") {
      var s = document.getElementById("site-search");
      if (s) { ev.preventDefault(); s.focus(); }
    }
  });
  function mark() {
    var old = document.querySelectorAll(".text .target, .headline .target");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("target"); }
    var m = /^#(c\d+)$/.exec(window.location.hash);
    if (!m) { return; }
    var parts = document.querySelectorAll(".text .in-" + m[1] + ", .headline .in-" + m[1]);
    for (var j = 0; j < parts.length; j++) { parts[j].classList.add("target"); }
    if (!parts.length && document.getElementById("boilerplate")) {
      document.getElementById("boilerplate").open = true;
    }
  }
  window.addEventListener("hashchange", mark);
  mark();
  var chart = document.getElementById("status-chart");
  if (chart) { chart.setAttribute("data-ready", "1"); }
})();
