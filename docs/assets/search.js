/* Site search with Pagefind: the index is served from this site and loads in fragments. */
(function () {
  "use strict";
  function setup() {
    var el = document.querySelector("[data-lb-search]");
    if (!el || el.getAttribute("data-lb-ready")) return;
    el.setAttribute("data-lb-ready", "1");
    var bundle = el.getAttribute("data-bundle");
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = bundle + "pagefind-ui.css";
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = bundle + "pagefind-ui.js";
    script.onload = function () {
      /* global PagefindUI */
      var ui = new PagefindUI({
        element: "#lb-search",
        bundlePath: bundle,
        showSubResults: true,
        showImages: false,
        resetStyles: false,
        autofocus: true
      });
      var q = new URLSearchParams(window.location.search).get("q");
      if (q) ui.triggerSearch(q);
    };
    document.head.appendChild(script);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
