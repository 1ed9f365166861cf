// hyperdesk's few lines of browser glue, loaded as a file so the
// Content-Security-Policy can forbid inline scripts. Each block below is
// self-contained; window.hyperdesk holds what other scripts may call.
(function () {
  "use strict";

  var hyperdesk = (window.hyperdesk = window.hyperdesk || {});

  // Send the CSRF token with every htmx request. The layout keeps it in
  // #hd-csrf inside <body>, so a boosted navigation (which replaces the body)
  // always brings the current one.
  document.addEventListener("htmx:config:request", function (event) {
    var token = document.getElementById("hd-csrf");
    if (token && event.detail && event.detail.ctx) {
      event.detail.ctx.request.headers["X-CSRF-Token"] = token.value;
    }
  });

  // swapTarget returns the element a request's answer is swapped into; an
  // HX-Retarget answer leaves a selector there, and an outerHTML swap
  // replaces the element with a new one of the same id.
  function swapTarget(ctx) {
    var target = ctx && ctx.target;
    if (typeof target === "string") {
      target = document.querySelector(target);
    }
    if (target && !target.isConnected && target.id) {
      target = document.getElementById(target.id);
    }
    return target && target.isConnected ? target : null;
  }

  // focus moves focus to el, making it focusable by script if it is not a
  // control (a heading, a table row). It reports whether el was there.
  function focus(el) {
    if (!el) {
      return false;
    }
    if (el.tabIndex < 0 && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
    return true;
  }

  // ---- Toasts (app.Notify) -----------------------------------------------
  // The hd:toast event ({"message", "level"}) shows a toast in the layout's
  // live regions (components/toasts): successes are polite and fade after a
  // few seconds unless pointed at or focused; errors are alerts and stay
  // until dismissed. Failed htmx requests (5xx, no network) toast too.
  (function () {
    var fadeAfter = 5000;

    function dismissLater(item) {
      setTimeout(function () {
        if (item.matches(":hover, :focus-within")) {
          dismissLater(item);
        } else {
          item.remove();
        }
      }, fadeAfter);
    }

    function toast(message, level) {
      var error = level === "error";
      var region = document.getElementById(error ? "hd-toasts-alert" : "hd-toasts-status");
      if (!region || !message) {
        return;
      }
      var item = document.createElement("div");
      item.className = "toast toast--" + (error ? "error" : "success");
      var text = document.createElement("p");
      text.className = "toast__text";
      text.textContent = message;
      var close = document.createElement("button");
      close.type = "button";
      close.className = "toast__close";
      close.setAttribute("aria-label", "Dismiss message");
      close.textContent = "×";
      close.addEventListener("click", function () {
        item.remove();
      });
      item.append(text, close);
      region.append(item);
      if (!error) {
        dismissLater(item);
      }
    }
    hyperdesk.toast = toast;

    document.addEventListener("hd:toast", function (event) {
      var detail = event.detail || {};
      toast(detail.message, detail.level);
    });

    document.addEventListener("htmx:response:error", function (event) {
      var response = event.detail.ctx.response;
      if (response.status < 500) {
        return; // the answer itself says what is wrong, next to the problem
      }
      var id = response.headers.get("X-Request-ID");
      if (response.status === 503) {
        toast("The service is briefly unavailable. Nothing was saved; try again in a moment.", "error");
        return;
      }
      toast("Something went wrong on our side (error " + response.status + "). Nothing was lost; try again" +
        (id ? ", and quote request id " + id + " if it keeps happening." : "."), "error");
    });

    document.addEventListener("htmx:error", function (event) {
      var ctx = event.detail.ctx;
      if (ctx && ctx.response) {
        return; // the server answered; this is a swap problem, logged by htmx
      }
      toast("The server could not be reached. Check your connection and try again.", "error");
    });
  })();

  // ---- Modal (app.Modal, components/modal) -------------------------------
  // A link with data-hd-modal loads its page into #hd-modal-body; the dialog
  // then opens modally (focus stays inside, Escape closes) labelled by the
  // page's heading, with focus on the first invalid or first field. Controls
  // with data-hd-modal-close close it. The hd:modal:close event closes it
  // after a successful save and asks for focus on a link to the saved
  // record (see the focus block); otherwise focus returns to the opener.
  (function () {
    var opener = null;

    function dialog() {
      return document.getElementById("hd-modal");
    }

    // current is el, or, when a refresh of its list replaced it while the
    // dialog was open, the link on the page now that opens the same page.
    function current(el) {
      if (!el || el.isConnected) {
        return el;
      }
      var href = el.getAttribute("href");
      return href ? document.querySelector('main a[href="' + CSS.escape(href) + '"]') : null;
    }

    function close() {
      var d = dialog();
      if (d && d.open) {
        d.close();
      }
    }
    hyperdesk.closeModal = close;

    document.addEventListener("htmx:before:request", function (event) {
      var source = event.detail.ctx.sourceElement;
      if (source && source.hasAttribute && source.hasAttribute("data-hd-modal")) {
        opener = source;
      }
    });

    document.addEventListener("htmx:after:swap", function (event) {
      var d = dialog();
      var target = swapTarget(event.detail.ctx);
      if (!d || !target || target.id !== "hd-modal-body") {
        return;
      }
      var heading = target.querySelector("h1, h2");
      if (heading) {
        heading.id = heading.id || "hd-modal-heading";
        d.setAttribute("aria-labelledby", heading.id);
      }
      if (!d.open) {
        hyperdesk.focusLater(""); // a new dialog: no record has been asked for
        d.showModal();
      }
      focus(target.querySelector("[aria-invalid=true]") ||
        target.querySelector("input:not([type=hidden]), select, textarea") || heading);
    });

    document.addEventListener("click", function (event) {
      var control = event.target.closest && event.target.closest("[data-hd-modal-close]");
      if (control && control.closest("dialog[open]")) {
        // Capture phase, before hx-boost sees a Cancel link: stay on the page.
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    }, true);

    document.addEventListener("close", function (event) {
      var d = event.target;
      if (d !== dialog()) {
        return;
      }
      document.getElementById("hd-modal-body").replaceChildren();
      d.removeAttribute("aria-labelledby");
      var back = current(opener) || document.querySelector("main h1");
      opener = null;
      if (!hyperdesk.focusRecord()) {
        focus(back);
      }
    }, true);

    document.addEventListener("hd:modal:close", function (event) {
      hyperdesk.focusLater((event.detail || {}).focus);
      close();
    });
  })();

  // ---- Focus after swaps -------------------------------------------------
  // After htmx swaps content in, focus goes, in this order, to: the first
  // field with an error; an element the server marked data-hd-focus; a link
  // to the record a modal just saved (once the list showing it refreshed);
  // the page's heading after a navigation (a boosted link or an answer
  // swapped into <main>), so screen readers announce the new page.
  (function () {
    var pending = ""; // URL of the record to focus once a link to it shows
    var focused = false; // the record asked for last has had its focus

    function focusRecord() {
      var link = pending && document.querySelector('main a[href="' + CSS.escape(pending) + '"]');
      if (link) {
        pending = "";
        focused = true;
        focus(link);
      }
      return focused;
    }

    // focusLater asks for focus on the first link to url once one shows;
    // focusRecord tries now and reports whether the record has had focus —
    // the list may refresh before or after the dialog closes, and whichever
    // comes second must not take the focus back.
    hyperdesk.focusLater = function (url) {
      pending = url || "";
      focused = false;
    };
    hyperdesk.focusRecord = focusRecord;

    document.addEventListener("htmx:after:swap", function (event) {
      var ctx = event.detail.ctx;
      var target = swapTarget(ctx);
      if (!target || target.id === "hd-modal-body" || ctx.swap === "none") {
        return;
      }
      if (focus(target.querySelector("[aria-invalid=true]")) || focus(target.querySelector("[data-hd-focus]"))) {
        return;
      }
      if (pending) {
        if (!focusRecord()) {
          pending = ""; // the record is not on this page of the list
        }
        return;
      }
      if (target === document.body || target.id === "main") {
        focus(document.querySelector("main h1") || document.getElementById("main"));
      }
    });

    // On a full page load (the no-JavaScript path or a reload) do the same
    // for errors and marks; the browser already starts at the top.
    document.addEventListener("DOMContentLoaded", function () {
      focus(document.querySelector("main [aria-invalid=true]") || document.querySelector("main [data-hd-focus]"));
    });
  })();

  // ---- Busy regions & announcements --------------------------------------
  // The region an htmx request will replace is aria-busy while it loads (the
  // whole <main> for a navigation). After a swap, the text of an element
  // marked data-hd-announce (a list's result count) is read out through the
  // layout's hidden live region when it changed, since a region that is
  // swapped whole is not announced by itself.
  (function () {
    var lastAnnounced = "";

    document.addEventListener("htmx:before:request", function (event) {
      var ctx = event.detail.ctx;
      var target = swapTarget(ctx);
      if (target === document.body) {
        target = document.getElementById("main");
      }
      if (target) {
        ctx.hdBusy = target;
        target.setAttribute("aria-busy", "true");
      }
    });

    document.addEventListener("htmx:finally:request", function (event) {
      var busy = event.detail.ctx.hdBusy;
      if (busy) {
        busy.removeAttribute("aria-busy");
        var now = busy.id && document.getElementById(busy.id);
        if (now && now !== busy) {
          now.removeAttribute("aria-busy");
        }
      }
    });

    document.addEventListener("htmx:after:swap", function (event) {
      var target = swapTarget(event.detail.ctx);
      var marked = target && target.querySelector("[data-hd-announce]");
      var region = document.getElementById("hd-announce");
      if (!marked || !region) {
        return;
      }
      var text = marked.textContent.replace(/\s+/g, " ").trim();
      if (text && text !== lastAnnounced) {
        lastAnnounced = text;
        region.textContent = text;
      }
    });
  })();
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
  // Enter saves a select as it saves a text input (browsers submit forms
  // on Enter only from inputs).
  document.addEventListener("keydown", function (event) {
    if ((event.key !== "Escape" && event.key !== "Enter") || !event.target.closest) {
      return;
    }
    var editing = event.target.closest("form.inline-edit--editing");
    if (!editing) {
      return;
    }
    if (event.key === "Enter") {
      if (event.target.tagName === "SELECT") {
        event.preventDefault();
        editing.requestSubmit();
      }
      return;
    }
    var cancel = editing.querySelector("[data-inline-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });

  // Live updates. While someone is signed in the layout renders #hd-live,
  // and the page keeps one EventSource open (across boosted navigations)
  // on which the server streams the revalidation tags of everyone's
  // changes (app/live). Each tag fires the same revalidate:<tag> event that
  // HX-Trigger fires for the acting page, so every fragment declared with
  // refreshOn refetches itself and morphs in. The acting page skips the
  // echo of its own change: every htmx request names this page in the
  // X-Hyperdesk-Page header, and the server sends that back as "origin".
  // <html data-live="open|connecting"> tells styles and tests the state.
  var pageID = (function () {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  })();
  var events = null;

  document.addEventListener("htmx:config:request", function (event) {
    if (event.detail && event.detail.ctx) {
      event.detail.ctx.request.headers["X-Hyperdesk-Page"] = pageID;
    }
  });

  function revalidate(tags) {
    tags.forEach(function (tag) {
      document.dispatchEvent(new CustomEvent("revalidate:" + tag));
    });
  }

  // everyTag lists the tags the fragments on the page listen for: after
  // messages may have been missed, all of them refresh.
  function everyTag() {
    var tags = {};
    document.querySelectorAll("[hx-trigger*='revalidate:']").forEach(function (el) {
      el.getAttribute("hx-trigger").replace(/revalidate:([a-z0-9_.:-]+)/g, function (_, tag) {
        tags[tag] = true;
      });
    });
    return Object.keys(tags);
  }

  function liveState(state) {
    if (state) {
      document.documentElement.setAttribute("data-live", state);
    } else {
      document.documentElement.removeAttribute("data-live");
    }
  }

  function connectLive() {
    var marker = document.getElementById("hd-live");
    if (!marker) {
      if (events) {
        events.close();
        events = null;
        liveState("");
      }
      return;
    }
    if (events) {
      return;
    }
    var source = new EventSource(marker.getAttribute("data-events"));
    var opened = false;
    events = source;
    source.addEventListener("open", function () {
      // The browser reconnected after losing the stream: changes made
      // meanwhile were not heard.
      if (opened) {
        revalidate(everyTag());
      }
      opened = true;
      liveState("open");
    });
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CONNECTING) {
        liveState("connecting");
        return;
      }
      // Refused for good (signed out, server trouble): the next swap
      // tries again.
      liveState("");
      if (events === source) {
        events = null;
      }
    });
    source.addEventListener("revalidate", function (event) {
      var message = JSON.parse(event.data);
      if (message.origin !== pageID) {
        revalidate(message.tags || []);
      }
    });
    source.addEventListener("resync", function () {
      revalidate(everyTag());
    });
    source.addEventListener("end", function () {
      // The session ended; reconnecting would only be refused.
      source.close();
      liveState("");
    });
  }

  document.addEventListener("DOMContentLoaded", connectLive);
  document.addEventListener("htmx:after:swap", connectLive);
})();
