// Refresh the deadlines and exemption advice as the employee types. Without JavaScript the same panel is
// rendered by the server whenever the draft is saved. The server decides: it reads Rupiah as typed
// ("Rp 2.500.000") and answers "cannot advise yet" until the giver and valued objects are there.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var panel = document.getElementById("advice");
  var pending = document.getElementById("advice-pending");
  if (!form || !panel) { return; }

  // Per object row: "nilai perkiraan" does not apply to cash; the reason box only when the value is unknown.
  function syncRow(row) {
    var kind = row.querySelector("select[name$='-kind']");
    var estimate = row.querySelector("input[name$='-value_is_estimate']");
    var unknown = row.querySelector("input[name$='-value_unknown']");
    var reason = row.querySelector("[name$='-value_unknown_reason']");
    var cash = kind && kind.value === "uang";
    if (estimate) {
      if (cash) { estimate.checked = false; }
      estimate.closest(".field").hidden = cash;
    }
    if (unknown) {
      if (cash) { unknown.checked = false; }
      unknown.closest(".field").hidden = cash;
    }
    if (reason && unknown) {
      var field = reason.closest(".field");
      field.hidden = !unknown.checked && !reason.value && !field.classList.contains("has-error");
    }
  }
  function syncRows() { Array.prototype.forEach.call(form.querySelectorAll(".object"), syncRow); }

  // A refusal kept nothing: no compensation question, no "Disimpan pelapor" (the server refuses it too).
  function syncReportType() {
    var checked = form.querySelector("input[name='report_type']:checked");
    var refusal = !!checked && checked.value === "penolakan";
    Array.prototype.forEach.call(form.querySelectorAll("[data-receipt-only]"), function (element) {
      element.hidden = refusal;
      if (element.tagName === "OPTION") {
        element.disabled = refusal;
        if (refusal && element.selected) { element.parentNode.value = "dikembalikan"; }
      }
    });
  }

  function showPending() {
    if (pending) { panel.innerHTML = pending.innerHTML; }
  }
  var timer = null;
  var sequence = 0;
  function refresh() {
    if (!window.fetch) { return; }
    var mine = ++sequence;
    fetch(form.dataset.adviceUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (mine !== sequence) { return; }  // an older answer arriving late must not replace a newer one
        if (html === null) { showPending(); } else { panel.innerHTML = html; }
      })
      // Never leave an earlier "exempt" standing for values that have since changed.
      .catch(function () { if (mine === sequence) { showPending(); } });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
  form.addEventListener("change", function (event) {
    if (event.target.closest(".object")) { syncRow(event.target.closest(".object")); }
    if (event.target.name === "report_type") { syncReportType(); }
    clearTimeout(timer);
    timer = setTimeout(refresh, 100);
  });
  syncRows();
  syncReportType();
  // Back restores what was typed after this script ran: make the rows and the advice match it again.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { syncRows(); syncReportType(); refresh(); } });
})();
