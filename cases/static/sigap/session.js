/* The idle session, on signed-in pages (templates/base.html, cases.middleware.SessionTimeoutMiddleware).
 *
 * 1. A few minutes before the session ends (SIGAP_SESSION_IDLE_MINUTES) a banner says so, with a
 *    "Tetap masuk" button that pings the keep-alive URL; once it has ended, the banner says that posting
 *    now keeps the form's contents for after signing in again.
 * 2. Back on a form after signing in again, the fields kept by the server are put back into the form
 *    they came from (the JSON in #sigap-restore); without scripts the page shows the texts instead.
 * No inline script and nothing from other sites: the Content-Security-Policy allows only this origin.
 */
(function () {
  "use strict";

  var SKIP = { hidden: true, file: true, password: true, submit: true, button: true, reset: true, image: true };

  function elementsOf(form, name) {
    var found = form.elements.namedItem(name);
    if (!found) return [];
    if (typeof RadioNodeList !== "undefined" && found instanceof RadioNodeList) return Array.prototype.slice.call(found);
    return [found];
  }

  function fill(form, fields) {
    Object.keys(fields).forEach(function (name) {
      var values = fields[name];
      elementsOf(form, name).forEach(function (el, i) {
        var type = (el.type || "").toLowerCase();
        if (SKIP[type]) return;
        if (type === "checkbox" || type === "radio") {
          el.checked = values.indexOf(el.value) !== -1;
        } else if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.options, function (option) {
            option.selected = values.indexOf(option.value) !== -1;
          });
        } else if (values.length) {
          el.value = values[Math.min(i, values.length - 1)];
        }
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    // An unticked box is not posted at all: untick what the page ticks by default.
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
      if (box.name && !(box.name in fields)) box.checked = false;
    });
  }

  function restore(saved) {
    var target = null;
    var best = -1;
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      if ((form.getAttribute("method") || "").toLowerCase() !== "post") return;
      var action = new URL(form.getAttribute("action") || window.location.href, window.location.href).pathname;
      if (action !== saved.action) return;
      var score = Object.keys(saved.fields).filter(function (name) { return form.elements.namedItem(name); }).length;
      if (score > best) {
        best = score;
        target = form;
      }
    });
    if (!target) return;
    fill(target, saved.fields);
    target.classList.add("restored");
    var first = target.querySelector("textarea") || target.querySelector("input:not([type=hidden])");
    if (first) first.focus();
    target.scrollIntoView({ block: "center" });
  }

  function warnings(body) {
    var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
    var url = body.getAttribute("data-keepalive-url");
    var banner = document.getElementById("sigap-session-warning");
    if (!idle || !url || !banner) return;
    // Five minutes ahead, or a third of a very short idle time.
    var ahead = Math.min(300, Math.floor(idle / 3));
    var warning = banner.querySelector("[data-state=warning]");
    var ended = banner.querySelector("[data-state=ended]");
    var remaining = banner.querySelector("[data-remaining]");
    var button = banner.querySelector("[data-keepalive]");
    var template = banner.querySelector("template[data-minutes-text]");
    var text = template ? template.innerHTML : "";
    var close = banner.querySelector("[data-close]");
    var deadline = 0;
    var timer = null;

    // The banner is fixed to the bottom of the screen: the page gets room below its last button, so on a
    // phone the banner never sits on top of "Simpan" or "Ajukan" (CSSOM, which the CSP allows).
    function show() {
      banner.hidden = false;
      document.body.style.paddingBottom = banner.offsetHeight + 16 + "px";
    }

    function hide() {
      banner.hidden = true;
      document.body.style.paddingBottom = "";
    }

    function schedule() {
      deadline = Date.now() + idle * 1000;
      hide();
      warning.hidden = false;
      ended.hidden = true;
      button.hidden = false;
      window.clearTimeout(timer);
      timer = window.setTimeout(tick, (idle - ahead) * 1000);
    }

    function end() {
      warning.hidden = true;
      ended.hidden = false;
      button.hidden = true;
      show();
    }

    function tick() {
      var left = deadline - Date.now();
      if (left <= 0) {
        end();
        return;
      }
      show();
      remaining.textContent = text.replace("{n}", String(Math.ceil(left / 60000)));
      timer = window.setTimeout(tick, 1000);
    }

    if (close) close.addEventListener("click", hide);
    button.addEventListener("click", function () {
      window.fetch(url, { credentials: "same-origin", cache: "no-store" }).then(
        function (response) { if (response.status === 204) { schedule(); } else { end(); } },
        function () { /* offline: keep the warning up, the user may try again */ }
      );
    });
    schedule();
  }

  function start() {
    var data = document.getElementById("sigap-restore");
    if (data) {
      try {
        restore(JSON.parse(data.textContent));
      } catch (e) {
        /* the texts stay visible in the notice */
      }
    }
    warnings(document.body);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
