// The classroom page's own script (the page allows no inline script).
(function () {
  // The join token has been exchanged for this page's cookie: keep it out of the address
  // bar, the history and any bookmark.
  const url = new URL(window.location.href);
  if (url.searchParams.has("join")) {
    url.searchParams.delete("join");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  function restart() {
    window.location.href = window.location.pathname + window.location.search;
  }

  document.addEventListener("DOMContentLoaded", function () {
    for (const button of document.querySelectorAll("[data-restart]")) {
      button.addEventListener("click", restart);
    }
  });
})();
