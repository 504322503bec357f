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
      labelInput(el, 40);
      var q = new URLSearchParams(window.location.search).get("q");
      if (q) ui.triggerSearch(q);
    };
    document.head.appendChild(script);
  }
  /* Pagefind's input has only a hidden label: tie the page's visible label to it. */
  function labelInput(el, tries) {
    var input = el.querySelector("input[type=text], input[type=search]");
    if (input) {
      input.id = "lb-search-input";
      return;
    }
    if (tries > 0) window.setTimeout(function () { labelInput(el, tries - 1); }, 50);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
