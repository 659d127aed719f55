// Probe for scripts/check-html-in-chromium.sh (PROBE=1): appended after a report's own script in a
// copy of the report, it drives the page like a reader and records timings and counts as
// data-probe-* attributes on <body>, which --dump-dom shows. Times are milliseconds of real time
// (performance.now(); forced layout included where it says so). "Visible" means rendered: not
// display:none and not inside a closed <details> (Element.checkVisibility()).
//
// Steps: the page opened as REPORT.html#<FRAGMENT> (the report applies filter=, severity=, waived=
// from it); then the filter is cleared, set again, everything collapsed, everything expanded,
// collapsed again, the filter typed as a reader would (input event, then Enter), and finally the
// filter cleared and every group expanded (the heaviest thing a reader can ask for).
(function () {
  "use strict";
  var body = document.body;
  var api = window.driftwatchReport;
  var input = document.getElementById("filter");

  function set(key, value) {
    body.setAttribute("data-probe-" + key, String(value));
  }
  function since(t) {
    return (performance.now() - t).toFixed(1);
  }
  function layout() {
    return body.getBoundingClientRect().height + body.offsetHeight;
  }
  // checkVisibility() inside a content-visibility:auto subtree that is skipped costs milliseconds
  // per call (it lays that subtree out), so counting switches it off, counts, and switches it back.
  var unskip = document.createElement("style");
  unskip.textContent = "details.obj { content-visibility: visible !important; }";
  function visible() {
    var items = document.querySelectorAll("article.finding");
    var n = 0;
    document.head.appendChild(unskip);
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      if (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0) {
        n++;
      }
    }
    unskip.remove();
    layout();
    return n;
  }
  function step(name, fn) {
    var t = performance.now();
    fn();
    layout();
    set(name + "-ms", since(t));
  }
  function fail(e) {
    console.error("probe failed: " + (e && e.stack ? e.stack : e));
  }

  function typed(text) {
    // a reader typing, then pressing Enter (which skips the report's debounce)
    input.value = text;
    input.dispatchEvent(new Event("input", {bubbles: true}));
    input.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true}));
  }

  function run() {
    if (!api || !input) {
      console.error("probe: the page has no filter (window.driftwatchReport or #filter missing)");
      return;
    }
    var nav = performance.getEntriesByType("navigation")[0];
    if (nav) {
      set("dom-interactive-ms", nav.domInteractive.toFixed(0));
      set("dom-content-loaded-ms", nav.domContentLoadedEventEnd.toFixed(0));
      set("load-event-ms", performance.now().toFixed(0));
    }
    var fcp = performance.getEntriesByName("first-contentful-paint")[0];
    set("first-paint-ms", fcp ? fcp.startTime.toFixed(0) : "n/a");
    var text = input.value;
    set("findings", api.findings());
    set("filter", text);
    set("matches-at-load", api.matches());
    set("visible-at-load", visible());
    step("clear", function () {
      input.value = "";
      api.apply();
    });
    set("visible-unfiltered", visible());
    step("filter", function () {
      input.value = text;
      api.apply();
    });
    set("matches", api.matches());
    set("visible-filtered", visible());
    set("shown-text", document.getElementById("shown").textContent);
    step("collapse", function () {
      api.setAll(false);
    });
    set("visible-collapsed", visible());
    step("expand", function () {
      api.setAll(true);
    });
    set("visible-expanded", visible());
    api.setAll(false);
    step("typed", function () {
      typed(text);
    });
    set("typed-matches", api.matches());
    set("typed-visible", visible());
    // the worst a reader can ask for: no filter, every group open
    input.value = "";
    api.apply();
    step("expand-unfiltered", function () {
      api.setAll(true);
    });
    set("visible-all-expanded", visible());
    set("done", "1");
  }

  // Synchronously in the load event: --dump-dom serializes right after it, and without
  // --virtual-time-budget (which would freeze performance.now()) no timer would run first.
  window.addEventListener("load", function () {
    try {
      run();
    } catch (e) {
      fail(e);
    }
  });
})();
