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
