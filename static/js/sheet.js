// The assessment sheet: the confirmation before submitting, and the filter of the evidence
// picker. A script file: the CSP allows no inline scripts. Without it the sheet still works:
// "Submit…" reloads the page with the confirmation open, and the picker lists every entry.
(function () {
  // "Submit…" opens the confirmation as a modal dialog; only its own button posts the submit.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const id = form.getAttribute && form.getAttribute("data-opens-dialog");
    if (!id) return;
    const dialog = document.getElementById(id);
    if (!dialog || typeof dialog.showModal !== "function") return;
    event.preventDefault();
    if (dialog.open) dialog.close();
    dialog.showModal();
    // The step that cannot be undone is never the one a stray Enter takes.
    const cancel = dialog.querySelector("[data-dialog-cancel]");
    if (cancel) cancel.focus();
  });

  function filterPicker(input) {
    const picker = input.closest(".picker");
    if (!picker) return;
    const query = input.value.trim().toLowerCase();
    const entries = picker.querySelectorAll(".picker__entry");
    let shown = 0;
    entries.forEach(function (entry) {
      const match = !query || (entry.getAttribute("data-search") || "").indexOf(query) !== -1;
      entry.hidden = !match;
      if (match) shown += 1;
    });
    // A heading stays only while some entry under it does.
    picker.querySelectorAll(".picker__heading").forEach(function (heading) {
      let next = heading.nextElementSibling;
      let any = false;
      while (next && !next.classList.contains("picker__heading")) {
        if (next.classList.contains("picker__entry") && !next.hidden) any = true;
        next = next.nextElementSibling;
      }
      heading.hidden = !any;
    });
    const count = picker.querySelector(".picker__count");
    if (count) {
      count.textContent = !query
        ? ""
        : shown === 0
          ? "No entries match “" + input.value.trim() + "”."
          : shown + " of " + entries.length + " entries match.";
    }
  }

  // The filter sits inside the rating form, whose every change autosaves: its own events stop
  // here (capture phase, before htmx sees them), and Enter in it does not post the form.
  ["input", "change", "search"].forEach(function (type) {
    document.addEventListener(
      type,
      function (event) {
        const input = event.target;
        if (!(input instanceof HTMLInputElement) || !input.classList.contains("picker__filter")) return;
        event.stopPropagation();
        filterPicker(input);
      },
      true
    );
  });
  document.addEventListener(
    "keydown",
    function (event) {
      const input = event.target;
      if (event.key === "Enter" && input instanceof HTMLInputElement && input.classList.contains("picker__filter")) {
        event.preventDefault();
      }
    },
    true
  );
})();
