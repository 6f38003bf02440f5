// The printable summary's "พิมพ์" button opens the browser's print dialog (A4: see print.css).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
