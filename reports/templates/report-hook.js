(function () {
  var body = document.body;
  var errors = [];
  function record(text) {
    errors.push(String(text));
    body.setAttribute("data-errors", errors.join(" | "));
  }
  window.addEventListener("error", function (e) {
    record("error: " + (e.message || (e.target && e.target.tagName) || "unknown"));
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    record("unhandled rejection: " + e.reason);
  });
  var original = console.error;
  console.error = function () {
    record("console.error: " + Array.prototype.join.call(arguments, " "));
    return original.apply(console, arguments);
  };
})();
