// Injected by `gloss serve` into served pages only: reloads the page when the
// site is rebuilt (keeping the scroll position) and shows the diagnostics
// while the site does not build.
(function () {
  // The build this page is from (set as the page is served): a page that
  // missed a rebuild is told at once.
  var built = 0;
  var key = "gloss-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, +saved); });
  }
  var overlay = null;
  function show(report) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "gloss-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0f0f;color:#ffe9e9;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;padding:1rem 1.25rem;" +
        "box-shadow:0 4px 24px rgba(0,0,0,.4);white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "gloss: the site does not build; showing the last good version.\n\n" + report;
  }
  var events = new EventSource("/__gloss/events?since=" + built);
  events.addEventListener("reload", function () {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  events.addEventListener("failed", function (e) { show(e.data); });
})();
