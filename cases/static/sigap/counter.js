// A live "n / limit" counter under every text field that cases.textlimits marks with data-counter="<limit>"
// (or a maxlength, in templates that write one; cases.textlimits writes none, so a paste is never cut).
// Without JavaScript the limit is written in the field's help text.
(function () {
  "use strict";
  function attach(field) {
    var limit = parseInt(field.getAttribute("maxlength") || field.getAttribute("data-counter"), 10);
    if (!limit || field.dataset.counterReady) { return; }
    field.dataset.counterReady = "1";
    var counter = document.createElement("small");
    counter.className = "counter";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    function update() {
      var used = field.value.length;
      counter.textContent = used.toLocaleString(document.documentElement.lang || undefined) + " / " +
        limit.toLocaleString(document.documentElement.lang || undefined);
      counter.classList.toggle("near", used >= limit * 0.9);
    }
    field.addEventListener("input", update);
    update();
  }
  function init() {
    var fields = document.querySelectorAll("textarea[data-counter], input[data-counter]");
    Array.prototype.forEach.call(fields, attach);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  // The browser restores typed text on Back after the script ran: recount then.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-counter-ready]"), function (field) {
      field.dispatchEvent(new Event("input"));
    });
  });
})();
