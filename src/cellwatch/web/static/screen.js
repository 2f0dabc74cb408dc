/* A screen's page (/screen/{id}) while the job waits or runs: asks for the page again every
   few seconds and shows its status and progress in place (a polite live region), then
   loads the finished page once. Plain script; without it the page has a refresh link. */
(function () {
  "use strict";
  var live = document.getElementById("job-live");
  if (!live) { return; }
  var every = Number(live.getAttribute("data-refresh")) * 1000 || 2000;

  function waiting(root) {
    var status = root.querySelector("#job-status");
    var value = status ? status.getAttribute("data-status") : "";
    return value === "queued" || value === "running";
  }

  function poll() {
    fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (response.status === 404) { window.location.reload(); return null; }  // deleted
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (text) {
        if (text === null) { return; }
        var page = new DOMParser().parseFromString(text, "text/html");
        var fresh = page.getElementById("job-live");
        if (!fresh || !waiting(page)) { window.location.reload(); return; }
        live.replaceChildren.apply(live, Array.prototype.slice.call(
          document.importNode(fresh, true).childNodes));
        window.setTimeout(poll, every);
      })
      .catch(function () { window.setTimeout(poll, every * 3); });
  }

  if (waiting(document)) { window.setTimeout(poll, every); }
})();
