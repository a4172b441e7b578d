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

  // In-page actions say what happened (careerladder/feedback.py sends an "announce" event) in one
  // live region that stays in view, and move keyboard focus to what changed: the swapped-in
  // element marked data-focus-here, so that the next Tab continues from there, not the page top.
  let hideTimer = null;
  document.addEventListener("announce", function (event) {
    const region = document.getElementById("announcer");
    const message = event.detail && (event.detail.message || event.detail.value);
    if (!region || !message) return;
    region.textContent = "";
    // A fresh text node, so that the same words twice in a row are still read out.
    window.setTimeout(function () {
      region.textContent = message;
    }, 50);
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(function () {
      region.textContent = "";
    }, 8000);
  });
  document.addEventListener("htmx:afterSettle", function () {
    const target = document.querySelector("[data-focus-here]");
    if (!target) return;
    target.removeAttribute("data-focus-here");
    if (!target.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: false });
    if (target.scrollIntoView) target.scrollIntoView({ block: "nearest" });
  });
})();
