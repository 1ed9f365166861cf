// hyperdesk's few lines of browser glue, loaded as a file so the
// Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";

  // Send the CSRF token with every htmx request. The layout keeps it in
  // #hd-csrf inside <body>, so a boosted navigation (which replaces the body)
  // always brings the current one.
  document.addEventListener("htmx:config:request", function (event) {
    var token = document.getElementById("hd-csrf");
    if (token && event.detail && event.detail.ctx) {
      event.detail.ctx.request.headers["X-CSRF-Token"] = token.value;
    }
  });

  // After htmx swaps in a form that failed validation, move focus to the
  // first field with an error so keyboard and screen reader users land on it.
  document.addEventListener("htmx:after:swap", function () {
    var invalid = document.querySelector("main [aria-invalid=true]");
    if (invalid) {
      invalid.focus();
    }
  });

  // On a full page load (no JavaScript path or reload) do the same.
  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector("main [aria-invalid=true]");
    if (invalid) {
      invalid.focus();
    }
  });
  // Pickers (components/picker): a click on a match chooses it. Without
  // JavaScript the Find button does the same through the server.
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-pick-value]");
    var picker = option && option.closest("[data-picker]");
    if (!picker) {
      return;
    }
    var name = picker.getAttribute("data-picker");
    var value = picker.querySelector("[data-picker-value]");
    var select = picker.querySelector("select[name='" + name + "']");
    if (!value) {
      value = document.createElement("input");
      value.type = "hidden";
      value.name = name;
      value.setAttribute("data-picker-value", "");
      picker.insertBefore(value, picker.firstChild);
    }
    if (select) {
      select.remove();
    }
    value.value = option.getAttribute("data-pick-value");
    var chosen = picker.querySelector("[data-picker-chosen]");
    if (chosen) {
      chosen.textContent = option.getAttribute("data-pick-label");
    }
    var search = picker.querySelector("input[type=search]");
    option.parentElement.parentElement.innerHTML = "";
    if (search) {
      search.value = "";
      search.focus();
    }
  });
})();
