// When an HTMX request fails (the server refused it, or the network is down), say so on the
// page instead of leaving it looking saved. A script file: the CSP allows no inline scripts.
(function () {
  function announce(message) {
    let region = document.getElementById("htmx-problem");
    if (!region) return;
    region.textContent = message;
    region.hidden = false;
  }
  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    announce(
      status === 404 || status === 403
        ? "That is not available any more. Reload the page to see where things stand."
        : "Something went wrong and your last change was not saved. Reload the page and try again."
    );
  });
  document.addEventListener("htmx:sendError", function () {
    announce("The server could not be reached: your last change was not saved.");
  });
})();
