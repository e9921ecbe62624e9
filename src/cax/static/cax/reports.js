// Report form: Enter moves to the next field (numbers are typed with the keypad), Shift+Enter back.
// Textareas keep Enter for new lines. No library; served by the app (CSP: self only).
document.addEventListener("keydown", function (event) {
  var form = document.getElementById("report-form");
  if (!form || event.key !== "Enter" || !form.contains(event.target)) return;
  var target = event.target;
  if (target.tagName === "TEXTAREA" || target.tagName === "BUTTON") return;
  event.preventDefault();
  var fields = Array.prototype.filter.call(
    form.querySelectorAll("input:not([type=hidden]), select, textarea"),
    function (el) { return !el.disabled && el.offsetParent !== null; }
  );
  var index = fields.indexOf(target) + (event.shiftKey ? -1 : 1);
  if (index >= 0 && index < fields.length) {
    fields[index].focus();
    if (fields[index].select) fields[index].select();
  }
});
