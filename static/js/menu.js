// The narrow header (phones, small tablets): brand and a "Menu" button that shows or hides the
// navigation and the user links (a disclosure). Without this script the button stays hidden and
// the menu stays open; at desktop widths the stylesheet hides the button and always shows the menu.
(function () {
  const button = document.querySelector(".menu-button[aria-controls]");
  if (!button) return;
  const menu = document.getElementById(button.getAttribute("aria-controls"));
  const header = button.closest(".topbar");
  if (!menu || !header) return;

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function isOpen() {
    return button.getAttribute("aria-expanded") === "true";
  }

  header.classList.add("topbar--js");
  button.hidden = false;
  setOpen(false);

  button.addEventListener("click", function () {
    setOpen(!isOpen());
  });

  // Escape closes the menu from the button or from anywhere inside it, and puts focus back on
  // the button, so that keyboard users are not left on a link that just disappeared.
  header.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !isOpen()) return;
    const fromMenu = menu.contains(document.activeElement);
    setOpen(false);
    if (fromMenu || document.activeElement === button) button.focus();
  });

  // Tabbing or clicking past the open menu folds it away, as the page below moved on.
  document.addEventListener("focusin", function (event) {
    if (isOpen() && !header.contains(event.target)) setOpen(false);
  });
  document.addEventListener("click", function (event) {
    if (isOpen() && !header.contains(event.target)) setOpen(false);
  });
})();
