// Refresh the deadlines and exemption advice as the employee types. Without JavaScript the same panel is
// rendered by the server whenever the draft is saved.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var panel = document.getElementById("advice");
  if (!form || !panel || !window.fetch) { return; }
  var timer = null;
  function refresh() {
    var data = new FormData(form);
    fetch(form.dataset.adviceUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { panel.innerHTML = html; } })
      .catch(function () { /* keep the last advice; the server shows it again on save */ });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 100); });
})();
