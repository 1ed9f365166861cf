// hyperdesk's few lines of browser glue, loaded as a file so the
// Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";

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
})();
