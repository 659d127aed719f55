(function () {
  "use strict";
  // Filtering for the Driftwatch reports (audit and diff). The page is complete without this
  // script; it only adds the toolbar. Built for 10,000+ findings: the text of each finding is
  // indexed once, a filter pass is plain array work, and the DOM is only written where a finding's,
  // group's or section's state changes (the hidden attribute, or one class on #groups for waived).
  var doc = document;
  var input = doc.getElementById("filter");
  var shown = doc.getElementById("shown");
  var root = doc.getElementById("groups");
  var waivedBox = doc.getElementById("hide-waived");
  var sevBoxes = Array.prototype.slice.call(doc.querySelectorAll("input.sev-toggle"));
  var sections = Array.prototype.slice.call(doc.querySelectorAll("details.sev"));
  var groups = Array.prototype.slice.call(doc.querySelectorAll("details.obj"));
  var OPEN_MATCHING_UP_TO = 50; // a filter opens the groups it leaves when there are at most this many
  var items = [];
  var itemGroup = [];
  var waived = [];
  var groupSection = [];
  var groupStart = [];
  var matched = [];
  var groupCount = new Array(groups.length);
  var groupShown = [];
  var autoOpened = [];
  var sectionShown = [];
  var textShown = [];
  var texts = null;
  var timer = 0;
  var lastMatches = -1;

  groups.forEach(function (g, gi) {
    var arts = g.getElementsByTagName("article");
    groupStart.push(items.length);
    for (var i = 0; i < arts.length; i++) {
      items.push(arts[i]);
      itemGroup.push(gi);
      waived.push(arts[i].classList.contains("waived"));
      textShown.push(true);
    }
    groupSection.push(sections.indexOf(g.parentNode.closest("details.sev")));
    groupShown.push(true);
    autoOpened.push(false);
  });
  sections.forEach(function () {
    sectionShown.push(true);
  });
  groupStart.push(items.length);
  lastMatches = items.length;

  function indexTexts() {
    texts = new Array(items.length);
    var heads = groups.map(function (g) {
      var s = g.querySelector("summary");
      return s ? s.textContent : "";
    });
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var head = item.querySelector(".fhead");
      var waiver = item.querySelector(".waiver");
      texts[i] = (heads[itemGroup[i]] + " " + (head ? head.textContent : item.textContent) + " "
          + (waiver ? waiver.textContent : "")).toLowerCase();
    }
  }

  function apply() {
    var terms = input ? input.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
    if (terms.length > 0 && texts === null) {
      indexTexts();
    }
    var hideWaived = waivedBox ? waivedBox.checked : false;
    var off = {};
    sevBoxes.forEach(function (b) {
      off[b.value] = !b.checked;
    });
    var sectionOff = sections.map(function (s) {
      return off[s.getAttribute("data-sev")] === true;
    });
    if (root) {
      root.classList.toggle("hide-waived", hideWaived);
    }
    var i;
    var g;
    for (g = 0; g < groups.length; g++) {
      groupCount[g] = 0;
    }
    var n = 0;
    for (i = 0; i < items.length; i++) {
      var match = true;
      for (var t = 0; t < terms.length && match; t++) {
        match = texts[i].indexOf(terms[t]) >= 0;
      }
      matched[i] = match;
      if (match && !(hideWaived && waived[i]) && !sectionOff[groupSection[itemGroup[i]]]) {
        groupCount[itemGroup[i]]++;
        n++;
      }
    }
    var openGroups = 0;
    for (g = 0; g < groups.length; g++) {
      if (groupCount[g] > 0) {
        openGroups++;
      }
    }
    var autoOpen = terms.length > 0 && openGroups <= OPEN_MATCHING_UP_TO;
    var sectionAny = sections.map(function () {
      return false;
    });
    for (g = 0; g < groups.length; g++) {
      var visible = groupCount[g] > 0;
      var sec = groupSection[g];
      if (sec >= 0 && visible) {
        sectionAny[sec] = true;
      }
      if (sec >= 0 && sectionOff[sec]) {
        continue; // the whole section is hidden; leave its groups as they are
      }
      if (visible !== groupShown[g]) {
        groups[g].hidden = !visible;
        groupShown[g] = visible;
      }
      if (visible) {
        // Findings of hidden groups keep their old state: only shown groups are brought up to date.
        for (i = groupStart[g]; i < groupStart[g + 1]; i++) {
          if (matched[i] !== textShown[i]) {
            items[i].hidden = !matched[i];
            textShown[i] = matched[i];
          }
        }
      }
      if (visible && autoOpen && !groups[g].open) {
        groups[g].open = true;
        autoOpened[g] = true;
      } else if (autoOpened[g] && (!visible || terms.length === 0)) {
        groups[g].open = false;
        autoOpened[g] = false;
      }
    }
    sections.forEach(function (s, si) {
      var visible = !sectionOff[si] && (sectionAny[si] || groups.length === 0);
      if (visible !== sectionShown[si]) {
        s.hidden = !visible;
        sectionShown[si] = visible;
      }
      if (visible && terms.length > 0 && !s.open) {
        s.open = true;
      }
    });
    lastMatches = n;
    if (shown) {
      var noun = shown.getAttribute("data-noun") || "findings";
      var filtered = terms.length > 0 || hideWaived || sectionOff.indexOf(true) >= 0;
      shown.textContent = filtered ? n + " of " + items.length + " " + noun + " match" : items.length + " " + noun;
    }
    return n;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(apply, items.length > 2000 ? 200 : 120);
  }

  function setAll(open) {
    var all = doc.querySelectorAll("details");
    for (var i = 0; i < all.length; i++) {
      all[i].open = open;
    }
    autoOpened = autoOpened.map(function () {
      return false;
    });
  }

  function readHash() {
    var hash = window.location.hash.replace(/^#/, "");
    if (hash.indexOf("filter=") !== 0 && hash.indexOf("severity=") !== 0 && hash.indexOf("waived=") !== 0) {
      return false;
    }
    hash.split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      var key = eq < 0 ? part : part.slice(0, eq);
      var value = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " "));
      if (key === "filter" && input) {
        input.value = value;
      } else if (key === "severity") {
        var keep = value.split(",");
        sevBoxes.forEach(function (b) {
          b.checked = keep.indexOf(b.value) >= 0;
        });
      } else if (key === "waived" && waivedBox) {
        waivedBox.checked = value === "hide";
      }
    });
    return true;
  }

  Array.prototype.forEach.call(doc.querySelectorAll(".js[hidden], #toolbar[hidden]"), function (e) {
    e.hidden = false;
  });
  if (input) {
    input.addEventListener("input", schedule);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        input.value = "";
        apply();
      } else if (e.key === "Enter") {
        clearTimeout(timer);
        apply();
      }
    });
    sevBoxes.forEach(function (b) {
      b.addEventListener("change", apply);
    });
    if (waivedBox) {
      waivedBox.addEventListener("change", apply);
    }
    doc.getElementById("expand").addEventListener("click", function () { setAll(true); });
    doc.getElementById("collapse").addEventListener("click", function () { setAll(false); });
    Array.prototype.forEach.call(doc.querySelectorAll("button.only"), function (b) {
      b.addEventListener("click", function () {
        input.value = b.getAttribute("data-rule");
        sevBoxes.forEach(function (box) {
          box.checked = true;
        });
        apply();
        doc.getElementById("findings").scrollIntoView();
      });
    });
    if (readHash()) {
      apply();
    }
  }
  // For scripts/check-html-in-chromium.sh's probe and for the browser console.
  window.driftwatchReport = {
    apply: apply,
    setAll: setAll,
    matches: function () { return lastMatches; },
    findings: function () { return items.length; }
  };
  document.body.setAttribute("data-ready", "1");
})();
