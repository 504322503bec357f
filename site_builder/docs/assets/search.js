/* Site search over the Pagefind index, which is served from this site and loaded in fragments.
   The query lives in the address (?q=), so a search can be shared and the home page's plain form
   leads here. Brand pages rank above other pages that mention the brand; when no page holds every
   word (a typo), pages holding most of the query's characters are offered instead. */
(function () {
  "use strict";
  var MAX = 12;
  function setup() {
    var list = document.querySelector("[data-lb-results]");
    var form = document.querySelector("[data-lb-search-form]");
    if (!list || !form || list.getAttribute("data-lb-ready")) return;
    list.setAttribute("data-lb-ready", "1");
    var input = form.querySelector("input[name=q]");
    var status = document.querySelector("[data-lb-search-status]");
    var bundle = list.getAttribute("data-bundle");
    var engine = null;
    var latest = 0;

    function load() {
      if (!engine) {
        engine = import(bundle + "pagefind.js").then(function (pf) {
          return pf.options({ excerptLength: 24 }).then(function () { pf.init(); return pf; });
        });
      }
      return engine;
    }
    /* Each page says what it is (data-pagefind-meta="type:…", templates/pages/_macros.j2:
       result_meta); a page that says nothing is an ordinary page. */
    function typeOf(data) { return (data.meta && data.meta.type) || "页面"; }
    function isBrand(data) { return typeOf(data) === "品牌"; }
    var HAN = "\\u3400-\\u9fff";
    var STOP = "。！？；";
    /* Pagefind joins the page's blocks with ". " and its inline parts with a space: in Chinese
       text these become a full stop and a comma (or nothing after punctuation), and an excerpt
       cut out of a sentence is marked with "……". The excerpt is Pagefind's HTML (text escaped,
       matches in <mark>): only punctuation is put in or taken out, never markup. */
    function tidy(excerpt, content) {
      var html = excerpt
        /* the per-character index terms of a brand's names: never for readers */
        .replace(/(?:(?:<mark>)?[\u3400-\u9fff](?:<\/mark>)? ){4,}(?:<mark>)?[\u3400-\u9fff]?(?:<\/mark>)?/g, "")
        .replace(new RegExp("([" + STOP + "，、：）》」』”])((?:<\\/mark>)?)\\.(?=\\s|$)", "g"), "$1$2")
        .replace(new RegExp("([" + HAN + "0-9A-Za-z）》」』”]|<\\/mark>)\\.(?:\\s+|$)", "g"), "$1。")
        .replace(new RegExp("([" + STOP + "，、：（《「『“])\\s+", "g"), "$1")
        .replace(new RegExp("([" + HAN + "）》」』”]|<\\/mark>)\\s+(?=<mark>|[" + HAN + "（《「『“])", "g"), "$1，")
        .replace(/\s+/g, " ").trim();
      var plain = html.replace(/<[^>]*>/g, "");
      var bare = function (t) { return t.replace(/[\s.。，、：；！？…]/g, ""); };
      var whole = bare(content || "");
      if (plain && whole && whole.indexOf(bare(plain).slice(0, 8)) !== 0) {
        /* begin at the sentence the match is in when one starts early in the excerpt */
        var cut = -1;
        for (var i = 0; i < Math.min(plain.length / 2, 30); i++) {
          if (STOP.indexOf(plain.charAt(i)) >= 0) { cut = i; break; }
        }
        if (cut >= 0) html = cutAfter(html, cut);
        else html = "……" + html;
      }
      var tail = bare(plain).slice(-8);
      if (plain && whole.slice(-tail.length) !== tail && STOP.indexOf(plain.charAt(plain.length - 1)) < 0) {
        html += "……";
      }
      return html.replace(/^[，、：]+/, "");
    }
    /* The HTML after its n-th visible character (marks kept whole). */
    function cutAfter(html, n) {
      var seen = 0;
      for (var i = 0; i < html.length; i++) {
        if (html.charAt(i) === "<") { i = html.indexOf(">", i); continue; }
        if (seen === n) {
          var rest = html.slice(i + 1);
          return /^<\/mark>/.test(rest) ? rest.replace(/^<\/mark>/, "") : rest;
        }
        seen += 1;
      }
      return html;
    }
    function chars(q) {
      var seen = {};
      return q.replace(/\s+/g, "").split("").filter(function (c) {
        if (seen[c] || !/[\u3400-\u9fff]/.test(c)) return false;
        seen[c] = true;
        return true;
      });
    }
    /* When no page holds every word: rank pages by how many of the query's characters they hold. */
    function near(pf, q) {
      var cs = chars(q).slice(0, 10);
      return Promise.all(cs.map(function (c) { return pf.search(c); })).then(function (all) {
        var hits = {};
        all.forEach(function (s) {
          (s && s.results || []).forEach(function (r) {
            var h = hits[r.id] || (hits[r.id] = { r: r, n: 0, score: 0 });
            h.n += 1;
            h.score += r.score;
          });
        });
        var need = Math.max(2, Math.ceil(cs.length * 0.6));
        return Object.keys(hits).map(function (k) { return hits[k]; })
          .filter(function (h) { return h.n >= need; })
          .sort(function (a, b) { return b.n - a.n || b.score - a.score; })
          .map(function (h) { return h.r; });
      });
    }
    function show(items, q, approximate) {
      list.innerHTML = "";
      items.forEach(function (d) {
        var li = document.createElement("li");
        var kind = document.createElement("span");
        kind.className = "lb-result__type";
        kind.textContent = typeOf(d);
        li.appendChild(kind);
        var a = document.createElement("a");
        a.href = d.url;
        a.textContent = (d.meta && d.meta.title) || d.url;
        li.appendChild(a);
        var p = document.createElement("p");
        /* A brand, a person, a news item is introduced by its own summary (the excerpt of a
           brand page may come from its index terms); other pages by a tidied excerpt. */
        var summary = d.meta && d.meta.summary;
        if (summary) p.textContent = summary;
        else p.innerHTML = tidy(d.excerpt || "", d.content);
        li.appendChild(p);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      if (!items.length) {
        status.textContent = "没有找到与“" + q + "”有关的内容。请换个说法，或从下面的名录和分类中查找。";
      } else {
        status.textContent = (approximate ? "没有完全符合“" + q + "”的结果，下面是相近的 " : "找到与“" + q + "”有关的 ")
          + items.length + " 项" + (items.length >= MAX ? "（只显示前 " + MAX + " 项）" : "") + "。";
      }
    }
    function run(q, push) {
      q = q.trim();
      var ticket = ++latest;
      var params = new URLSearchParams(window.location.search);
      if (q) params.set("q", q); else params.delete("q");
      var query = params.toString();
      if (push !== false) {
        window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      }
      if (!q) {
        list.innerHTML = "";
        list.hidden = true;
        status.textContent = "";
        return;
      }
      status.textContent = "正在搜索……";
      load().then(function (pf) {
        /* The browser cuts a query into words its own way (明湖 / 厨师) and the index may hold the
           same name cut finer (明 / 湖 / 厨师); brand pages also hold every character of their
           names as a word. So the query is searched as typed and character by character. */
        var split = q.replace(/[\u3400-\u9fff]/g, " $& ").replace(/[·・]/g, " ").trim();
        return Promise.all([pf.search(q), split !== q ? pf.search(split) : null]).then(function (both) {
          var seen = {};
          var results = [];
          both.forEach(function (s) {
            ((s && s.results) || []).forEach(function (r) {
              if (!seen[r.id]) { seen[r.id] = true; results.push(r); }
            });
          });
          if (results.length) return [results, false];
          return near(pf, q).then(function (r) { return [r, true]; });
        }).then(function (pair) {
          return Promise.all(pair[0].slice(0, 30).map(function (r) { return r.data(); }))
            .then(function (data) { return [data, pair[1]]; });
        });
      }).then(function (pair) {
        if (ticket !== latest) return;
        var data = pair[0].map(function (d, i) { return { d: d, i: i }; });
        data.sort(function (a, b) { return (isBrand(b.d) - isBrand(a.d)) || (a.i - b.i); });
        show(data.slice(0, MAX).map(function (x) { return x.d; }), q, pair[1]);
      }).catch(function () {
        if (ticket === latest) status.textContent = "搜索暂时无法使用，请从下面的名录和分类中查找。";
      });
    }
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { run(input.value); }, 250);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      window.clearTimeout(timer);
      run(input.value);
    });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) {
      input.value = initial;
      run(initial, false);
    } else {
      input.addEventListener("focus", function () { load(); }, { once: true });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
