/* 长者模式 (larger text, higher contrast), remembered in this browser; loaded in the page head so
   the remembered choice applies before the page is drawn. No other script is needed to read the
   site: without JavaScript the switch stays hidden and the page keeps its normal size. */
(function () {
  "use strict";
  var KEY = "lb-elder";
  var root = document.documentElement;
  root.className = root.className.replace(/\bno-js\b/, "js");
  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function apply(on) {
    if (on) root.setAttribute("data-lb-elder", ""); else root.removeAttribute("data-lb-elder");
    var button = document.querySelector("[data-lb-elder]:not(html)");
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "退出长者模式" : "长者模式";
    }
  }
  apply(stored());
  function setup() {
    var button = document.querySelector("button[data-lb-elder]");
    if (!button) return;
    button.hidden = false;
    apply(stored());
    button.addEventListener("click", function () {
      var on = !root.hasAttribute("data-lb-elder");
      try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
      apply(on);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
