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

  // Bulk selection (components/bulk-*): the header checkbox ticks every row
  // of the page, and the bar counts what is selected and enables its
  // buttons. Rows join the bulk form through their form attribute, so the
  // form's id finds them; the header checkbox is hidden until this runs.
  function bulkSync(form) {
    // getAttribute: the rows are named "id", which shadows form.id.
    var id = form.getAttribute("id");
    var rows = document.querySelectorAll('input.bulk__row[form="' + id + '"]');
    var all = form.querySelector("[data-bulk-all]");
    var toggle = document.querySelector('[data-bulk-toggle="' + id + '"]');
    var checked = 0;
    rows.forEach(function (row) { if (row.checked) { checked++; } });
    if (toggle) {
      toggle.hidden = false;
      toggle.checked = rows.length > 0 && checked === rows.length;
      toggle.indeterminate = checked > 0 && checked < rows.length;
    }
    var selected = all && all.checked ? Number(all.getAttribute("data-bulk-total")) : checked;
    var count = form.querySelector("[data-bulk-count]");
    if (count) {
      count.textContent = selected > 0 ? selected + " selected" : "";
    }
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = selected === 0; });
  }
  function bulkSyncAll() {
    document.querySelectorAll("form[data-bulk]").forEach(bulkSync);
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    var formID = input.getAttribute("data-bulk-toggle");
    if (formID) {
      document.querySelectorAll('input.bulk__row[form="' + formID + '"]').forEach(function (row) { row.checked = input.checked; });
    }
    var form = formID ? document.getElementById(formID) : input.form;
    if (form && form.hasAttribute("data-bulk")) {
      bulkSync(form);
    }
  });
  document.addEventListener("DOMContentLoaded", bulkSyncAll);
  document.addEventListener("htmx:after:swap", bulkSyncAll);

  // Inline edits (components/inline-edit): Escape cancels through the
  // edit state's Cancel button, which fetches the display state again.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) {
      return;
    }
    var editing = event.target.closest("form.inline-edit--editing");
    var cancel = editing && editing.querySelector("[data-inline-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });
})();
