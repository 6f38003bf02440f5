// Workload pages: "ไม่ได้ดำเนินการ", confirmations, the idle warning, and typed work kept in this browser.
(function () {
  var script = document.currentScript;
  var user = script.dataset.user;
  var idleSeconds = parseInt(script.dataset.idleSeconds, 10) || 1800;
  var draftPrefix = "dcc-draft:" + user + ":" + location.pathname + ":";

  document.addEventListener("click", function (event) {
    var notDone = event.target.closest("[data-not-done]");
    if (notDone) {
      notDone.closest("fieldset").querySelectorAll("input").forEach(function (input) {
        input.value = "0";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      return;
    }
    var confirmer = event.target.closest("[data-confirm]");
    if (confirmer && !window.confirm(confirmer.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Typed but unsaved answers survive a timeout: kept per user and page, offered back, erased on logout.
  function formValues(form) {
    var values = {};
    form.querySelectorAll("input[name]:not([type=hidden]):not([type=checkbox])").forEach(function (input) {
      values[input.name] = input.value;
    });
    form.querySelectorAll("input[type=checkbox][name]").forEach(function (input) {
      values[input.name + "=" + input.value] = input.checked;
    });
    return values;
  }
  function applyValues(form, values) {
    form.querySelectorAll("input[name]:not([type=hidden])").forEach(function (input) {
      var key = input.type === "checkbox" ? input.name + "=" + input.value : input.name;
      if (key in values && !input.matches(":disabled")) {
        if (input.type === "checkbox") { input.checked = values[key]; } else { input.value = values[key]; }
      }
    });
  }
  // Only the form that was submitted, and then saved, lets go of its draft.
  var saved = document.querySelector("[data-saved]");
  var submitted = sessionStorage.getItem("dcc-draft-submitted");
  sessionStorage.removeItem("dcc-draft-submitted");
  if (saved && submitted) { localStorage.removeItem(submitted); }
  document.querySelectorAll("form[data-draft]").forEach(function (form, index) {
    var key = draftPrefix + index;
    form.addEventListener("submit", function () { sessionStorage.setItem("dcc-draft-submitted", key); });
    var stored = localStorage.getItem(key);
    if (stored && JSON.stringify(formValues(form)) !== stored) {
      var offer = document.createElement("div");
      offer.className = "alert alert-info draft-offer";
      offer.setAttribute("role", "status");
      offer.innerHTML = '<span>พบข้อมูลที่พิมพ์ไว้ในหน้านี้แต่ยังไม่ได้บันทึก</span>' +
        '<button type="button" class="button" data-restore>นำข้อมูลกลับมา</button>' +
        '<button type="button" class="button button-quiet" data-discard>ไม่ใช้</button>';
      var folded = form.closest("details");  // e.g. the closed "เพิ่มข้อมูล" of ข้อมูลเฉพาะ สถอ.
      var anchor = folded || form;
      anchor.parentNode.insertBefore(offer, anchor);
      offer.querySelector("[data-restore]").addEventListener("click", function () {
        if (folded) { folded.open = true; }
        applyValues(form, JSON.parse(stored));
        offer.remove();
      });
      offer.querySelector("[data-discard]").addEventListener("click", function () {
        localStorage.removeItem(key);
        offer.remove();
      });
    }
    form.addEventListener("input", function () {
      localStorage.setItem(key, JSON.stringify(formValues(form)));
    });
  });

  // A warning a few minutes before the idle limit, with a way to stay signed in. While it shows, the sticky
  // "บันทึกข้อมูล" sits above it (--idle-warning-space), never under it. Once the limit has passed the page
  // asks again: a session the SSO ended sends the browser to "กรุณา login ใหม่", so that no page goes on
  // showing the user and "ออกจากระบบ" after the session is gone.
  var warning = document.querySelector("[data-idle-warning]");
  var lead = Math.min(300, Math.floor(idleSeconds / 6));
  var timer, deadline;
  function showWarning(shown) {
    if (!warning) { return; }
    warning.hidden = !shown;
    var space = shown ? warning.getBoundingClientRect().height + 24 : 0;
    document.documentElement.style.setProperty("--idle-warning-space", space + "px");
  }
  function stillSignedIn() {
    fetch("/api/workload/me", { credentials: "same-origin" }).then(function (response) {
      if (response.status === 401) { location.reload(); } else { arm(); }
    });
  }
  function arm() {
    clearTimeout(timer);
    clearTimeout(deadline);
    showWarning(false);
    timer = setTimeout(function () {
      if (!warning) { return; }
      warning.querySelector("[data-idle-minutes]").textContent = Math.max(1, Math.round(lead / 60));
      showWarning(true);
      warning.querySelector("[data-stay-signed-in]").focus();
    }, (idleSeconds - lead) * 1000);
    deadline = setTimeout(stillSignedIn, (idleSeconds + 5) * 1000);  // a little after the SSO's own limit
  }
  if (warning) {
    warning.querySelector("[data-stay-signed-in]").addEventListener("click", stillSignedIn);
  }
  arm();
})();
