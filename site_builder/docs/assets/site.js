/* 长者模式 (larger text, higher contrast), remembered in this browser; loaded in the page head so
   the remembered choice applies before the page is drawn. Read-aloud of the page with the
   browser's own speech synthesis (nothing is loaded; the button stays hidden where the browser
   has none). No other script is needed to read the site: without JavaScript both switches stay
   hidden and the page keeps its normal size. */
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

  /* The page's text in pieces of at most about 200 characters, cut after a sentence's end
     (browsers stop long utterances part-way). */
  function pieces(text) {
    var out = [];
    var parts = text.replace(/\s+/g, " ").split(/(?<=[。！？；!?])/);
    var current = "";
    parts.forEach(function (p) {
      if ((current + p).length > 200 && current) { out.push(current); current = ""; }
      current += p;
    });
    if (current.trim()) out.push(current);
    return out;
  }
  function readable() {
    var main = document.getElementById("lb-main");
    if (!main) return "";
    var copy = main.cloneNode(true);
    copy.querySelectorAll("[data-pagefind-ignore], .lb-lightbox, .lb-visually-hidden, script, style, [hidden]")
      .forEach(function (el) { el.remove(); });
    return copy.textContent;
  }
  function setupReader() {
    var button = document.querySelector("button[data-lb-read]");
    var synth = window.speechSynthesis;
    if (!button || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;
    button.hidden = false;
    function done() {
      button.setAttribute("aria-pressed", "false");
      button.textContent = "朗读本页";
    }
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-pressed") === "true") {
        synth.cancel();
        done();
        return;
      }
      synth.cancel();
      var list = pieces(readable());
      list.forEach(function (text, i) {
        var u = new window.SpeechSynthesisUtterance(text);
        u.lang = "zh-CN";
        if (i === list.length - 1) { u.onend = done; u.onerror = done; }
        synth.speak(u);
      });
      button.setAttribute("aria-pressed", "true");
      button.textContent = "停止朗读";
    });
    window.addEventListener("pagehide", function () { synth.cancel(); });
  }

  /* Escape closes an enlarged gallery picture (a :target overlay). */
  function setupGallery() {
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && /^#lb-photo-/.test(window.location.hash)) {
        window.location.hash = "gallery";
      }
    });
  }

  function setup() {
    setupReader();
    setupGallery();
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
