// Report form keyboard: a column of figures is typed on the keypad, Enter after each one.
// Enter goes to the next VALUE field (v_…), skipping the "xác nhận" boxes and the reasons: a figure
// typed after Enter must never land in a reason box (issue 17.6). Enter never submits the form;
// Shift+Enter saves the draft, as the "Lưu nháp" button does. Textareas keep Enter for new lines.
// No library; served by the app (CSP: self only).
(function () {
  function isValueField(el) {
    return /^v_/.test(el.name || "") && !el.disabled && el.offsetParent !== null;
  }

  document.addEventListener("keydown", function (event) {
    var form = document.getElementById("report-form");
    if (!form || event.key !== "Enter" || !form.contains(event.target)) return;
    var target = event.target;
    if (target.tagName === "TEXTAREA" || target.tagName === "BUTTON") return;
    event.preventDefault();
    if (event.shiftKey) {
      var save = form.querySelector("button[name=action][value=save]");
      if (save) form.requestSubmit(save);
      return;
    }
    var fields = form.querySelectorAll("input, select, textarea, button[name=action]");
    var seen = false;
    for (var i = 0; i < fields.length; i++) {
      if (fields[i] === target) { seen = true; continue; }
      if (!seen) continue;
      if (isValueField(fields[i])) {
        fields[i].focus();
        if (fields[i].select) fields[i].select();
        return;
      }
      if (fields[i].tagName === "BUTTON") {
        // Past the last figure: the save button, so the next Enter is a deliberate save.
        fields[i].focus();
        return;
      }
    }
  });
})();
