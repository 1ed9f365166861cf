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
