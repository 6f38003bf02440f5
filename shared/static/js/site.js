// Logout asks "ยืนยัน" in a dialog; without JavaScript the link opens the same question as a page.
document.addEventListener("click", function (event) {
  var logout = event.target.closest("[data-logout]");
  var dialog = document.getElementById("logout-dialog");
  if (logout && dialog && dialog.showModal) {
    event.preventDefault();
    dialog.showModal();
    return;
  }
  var close = event.target.closest("[data-close-dialog]");
  if (close) {
    close.closest("dialog").close();
  }
});
