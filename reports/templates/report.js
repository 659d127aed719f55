(function () {
  var input = document.getElementById("filter");
  var shown = document.getElementById("shown");
  var items = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("details.obj"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("details.sev"));
  var texts = null;
  var timer = 0;

  function indexTexts() {
    texts = items.map(function (item) {
      var group = item.closest("details.obj");
      var head = group ? group.querySelector("summary").textContent : "";
      return (head + " " + item.textContent).toLowerCase();
    });
  }

  function apply() {
    var q = input.value.trim().toLowerCase();
    if (texts === null) {
      indexTexts();
    }
    var n = 0;
    for (var i = 0; i < items.length; i++) {
      var match = q === "" || texts[i].indexOf(q) >= 0;
      items[i].hidden = !match;
      if (match) {
        n++;
      }
    }
    groups.forEach(function (g) {
      var any = g.querySelector("article.finding:not([hidden])") !== null;
      g.hidden = !any;
      if (q !== "" && any) {
        g.open = true;
      }
    });
    sections.forEach(function (s) {
      s.hidden = s.querySelector("details.obj:not([hidden])") === null;
    });
    var noun = shown.getAttribute("data-noun") || "findings";
    shown.textContent = q === "" ? items.length + " " + noun : n + " of " + items.length + " " + noun + " match";
  }

  function setAll(open) {
    document.querySelectorAll("details").forEach(function (d) {
      d.open = open;
    });
  }

  if (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        input.value = "";
        apply();
      }
    });
    document.getElementById("expand").addEventListener("click", function () { setAll(true); });
    document.getElementById("collapse").addEventListener("click", function () { setAll(false); });
    var m = /^#filter=(.*)$/.exec(window.location.hash);
    if (m) {
      input.value = decodeURIComponent(m[1]);
      apply();
    }
  }
  document.body.setAttribute("data-ready", "1");
})();
