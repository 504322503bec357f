// The live preview's reload (site-builder serve --engine native): added by the preview's server
// to every page it sends, never written into a site. It asks the server for the site's version,
// a request the server answers when the site has changed (or after a while), and reloads the
// page when the version is no longer the one the page was sent with.
(function () {
  "use strict";
  var script = document.currentScript;
  var sent = new URL(script.src).searchParams.get("v");
  var base = new URL("version", script.src);
  function ask() {
    base.search = "?since=" + encodeURIComponent(sent);
    fetch(base.href, { cache: "no-store" })
      .then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.text();
      })
      .then(function (now) {
        if (now.trim() !== sent) { window.location.reload(); } else { ask(); }
      })
      .catch(function () { window.setTimeout(ask, 1000); });  // the preview restarting
  }
  ask();
})();
