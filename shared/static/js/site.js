// Logout asks "ยืนยัน" in a dialog; without JavaScript the link opens the same question as a page.
document.addEventListener("click", function (event) {
  var logout = event.target.closest("[data-logout]");
  var dialog = document.getElementById("logout-dialog");
  if (logout && dialog && dialog.showModal) {
    event.preventDefault();
    dialog.showModal();
    return;
  }
  var opener = event.target.closest("[data-open-dialog]");
  if (opener) {
    document.getElementById(opener.dataset.openDialog).showModal();
    return;
  }
  var close = event.target.closest("[data-close-dialog]");
  if (close) {
    close.closest("dialog").close();
  }
});

// Logging out erases the unsaved work this browser kept, for every user of a shared computer.
document.addEventListener("submit", function (event) {
  if (event.target.getAttribute("action") === "/sso/logout") {
    Object.keys(localStorage).filter(function (key) { return key.indexOf("dcc-draft:") === 0; })
      .forEach(function (key) { localStorage.removeItem(key); });
  }
});

// On a phone the main menu (and a record's side menu) folds behind its button (CSS shows the button only on
// narrow screens); without JavaScript the button stays hidden and the menu open.
document.querySelectorAll(".menu-toggle").forEach(function (toggle) {
  var menu = document.getElementById(toggle.getAttribute("aria-controls"));
  if (!menu) { return; }
  function show(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("menu-open", open);
  }
  toggle.hidden = false;
  show(false);
  toggle.addEventListener("click", function () { show(toggle.getAttribute("aria-expanded") !== "true"); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true" && menu.contains(document.activeElement)) {
      show(false);
      toggle.focus();
    }
  });
});
