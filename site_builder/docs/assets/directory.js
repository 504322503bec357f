/* Brand directory filters: combine filters, keep their state in the address, count matches.
   Without JavaScript the directory stays a complete list grouped by category. */
(function () {
  "use strict";
  function setup() {
    var root = document.querySelector("[data-lb-directory]");
    if (!root || root.getAttribute("data-lb-ready")) return;
    root.setAttribute("data-lb-ready", "1");
    var form = root.querySelector(".lb-filters");
    var selects = Array.prototype.slice.call(root.querySelectorAll("[data-lb-filter]"));
    var cards = Array.prototype.slice.call(root.querySelectorAll(".lb-card"));
    var groups = Array.prototype.slice.call(root.querySelectorAll("[data-lb-group]"));
    var count = root.querySelector("[data-lb-count]");
    var empty = root.querySelector("[data-lb-empty]");
    // A brand of two categories has a card in each group: counted once, by its data-brand.
    function distinct(list) {
      var seen = {};
      list.forEach(function (card) { seen[card.getAttribute("data-brand") || card.textContent] = 1; });
      return Object.keys(seen).length;
    }
    var total = distinct(cards);

    function values(card, key) {
      var raw = card.getAttribute("data-" + key) || "";
      return raw ? raw.split("|") : [];
    }

    function apply(updateAddress) {
      var active = {};
      var params = new URLSearchParams();
      selects.forEach(function (s) {
        if (s.value) {
          active[s.name] = s.value;
          params.set(s.name, s.value);
        }
      });
      var matching = [];
      cards.forEach(function (card) {
        var ok = Object.keys(active).every(function (key) {
          return values(card, key).indexOf(active[key]) !== -1;
        });
        card.hidden = !ok;
        if (ok) matching.push(card);
      });
      var shown = distinct(matching);
      groups.forEach(function (g) {
        var visible = g.querySelectorAll(".lb-card:not([hidden])").length;
        var n = g.querySelector("[data-lb-group-count]");
        if (n) n.textContent = String(visible);
        g.hidden = Object.keys(active).length > 0 && visible === 0;
      });
      var filtered = Object.keys(active).length > 0;
      count.textContent = filtered
        ? "符合条件的品牌：" + shown + " 个（共 " + total + " 个）"
        : "共 " + total + " 个已发布的劳务品牌，按品牌类型分组。";
      empty.hidden = shown !== 0;
      if (updateAddress) {
        var query = params.toString();
        var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
        window.history.replaceState(null, "", url);
      }
    }

    var initial = new URLSearchParams(window.location.search);
    selects.forEach(function (s) {
      var v = initial.get(s.name);
      if (v && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) {
        s.value = v;
      }
      s.addEventListener("change", function () { apply(true); });
    });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { apply(true); }, 0);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply(false);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
