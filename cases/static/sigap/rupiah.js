// Rupiah boxes (data-rupiah) take what people type or paste: "2500000", "2.500.000", "Rp 2.500.000",
// "Rp2.500.000,00". On leaving the box the value is shown grouped by dots; anything unreadable is left as typed
// for the server to explain. The same rules as gratifikasi.forms.parse_rupiah.
(function () {
  "use strict";
  var RUPIAH = /^(?:rp\.?)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/i;
  function parse(text) {
    var compact = String(text).replace(/\s+/g, "");
    var match = RUPIAH.exec(compact);
    if (!match || (match[2] && parseInt(match[2], 10) !== 0)) { return null; }
    var digits = match[1].replace(/\./g, "");
    if (digits.length > 15) { return null; }  // above the server's limit: let it say so
    return parseInt(digits, 10);
  }
  function format(value) {
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  window.sigapRupiah = { parse: parse, format: format };
  document.addEventListener("focusout", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("input[data-rupiah]")) { return; }
    var value = parse(field.value);
    if (value !== null) { field.value = format(value); }
  });
})();
