// The rich-text editor's three buttons (news, portal) wrap the selected text in the few tags the server keeps
// (shared/richtext.py); without JavaScript editors type plain text and the server makes paragraphs.
(function () {
  var tools = document.querySelector("[data-editor]");
  if (!tools) { return; }
  var area = document.getElementById(tools.dataset.editor);
  tools.hidden = false;
  tools.addEventListener("click", function (event) {
    var button = event.target.closest("[data-wrap]");
    if (!button) { return; }
    var start = area.selectionStart, end = area.selectionEnd, text = area.value.slice(start, end);
    var kind = button.dataset.wrap, html;
    if (kind === "strong") {
      html = "<strong>" + (text || "ข้อความ") + "</strong>";
    } else if (kind === "ul") {
      var lines = (text || "รายการ").split(/\n/).filter(function (line) { return line.trim(); });
      html = "<ul>" + lines.map(function (line) { return "<li>" + line.trim() + "</li>"; }).join("") + "</ul>";
    } else {
      var href = window.prompt("ที่อยู่ลิงก์ (https://…)", "https://");
      if (!href) { return; }
      html = '<a href="' + href.replace(/"/g, "&quot;") + '">' + (text || href) + "</a>";
    }
    area.setRangeText(html, start, end, "end");
    area.focus();
  });
})();
