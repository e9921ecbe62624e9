/* The grouped menu, the phone menu button and the unit picker's suggestions (#17.4). Every page
   works without this file: the groups are <details>, the unit inputs plain text fields. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function groups() { return document.querySelectorAll("details.menu-group"); }

  function closeGroups(except) {
    groups().forEach(function (g) { if (g !== except) g.open = false; });
  }

  function clearPicks(list) { if (list) list.innerHTML = ""; }

  document.addEventListener("DOMContentLoaded", function () {
    // One panel open at a time.
    groups().forEach(function (g) {
      g.addEventListener("toggle", function () { if (g.open) closeGroups(g); });
    });
    collapseFiltersOnPhones();
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("menu");
    if (toggle && menu) {
      toggle.addEventListener("click", function () {
        var open = menu.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });

  // On a phone a list's filter form (often eight fields) would fill the screen before the first row:
  // it folds behind its own submit label ("Lọc ▾") until opened, unless a filter is already set.
  function collapseFiltersOnPhones() {
    if (!window.matchMedia("(max-width: 600px)").matches) return;
    document.querySelectorAll("form.filters").forEach(function (form) {
      if ((form.getAttribute("method") || "get").toLowerCase() !== "get") return;
      if (form.querySelectorAll("label").length < 3) return;
      var set = Array.prototype.some.call(form.elements, function (el) {
        if (el.type === "checkbox") return el.checked;
        return el.name && el.type !== "hidden" && el.tagName !== "BUTTON" && el.value && el.selectedIndex !== 0;
      });
      var submit = form.querySelector("button[type=submit]");
      if (set || !submit) return;
      var opener = document.createElement("button");
      opener.type = "button";
      opener.className = "filters-open";
      opener.textContent = submit.textContent + " \u25BE";
      opener.setAttribute("aria-expanded", "false");
      opener.addEventListener("click", function () {
        form.classList.remove("folded");
        opener.remove();
      });
      form.classList.add("folded");
      form.parentNode.insertBefore(opener, form);
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest("details.menu-group")) closeGroups(null);
    var pick = target.closest(".unit-picks button[data-code]");
    if (pick) {
      var box = pick.closest(".unit-picker");
      var input = box.querySelector("input");
      input.value = pick.getAttribute("data-code");
      clearPicks(pick.closest(".unit-picks"));
      input.focus();
    } else if (!target.closest(".unit-picker")) {
      document.querySelectorAll(".unit-picks").forEach(clearPicks);
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Escape") {
      var open = target.closest && target.closest("details.menu-group[open]");
      if (open) { open.open = false; open.querySelector("summary").focus(); return; }
      var box = target.closest && target.closest(".unit-picker");
      if (box) { clearPicks(box.querySelector(".unit-picks")); box.querySelector("input").focus(); }
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var picker = target.closest && target.closest(".unit-picker");
    if (picker) {
      var buttons = Array.prototype.slice.call(picker.querySelectorAll(".unit-picks button"));
      if (!buttons.length) return;
      var at = buttons.indexOf(target);
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) { picker.querySelector("input").focus(); } else { buttons[Math.min(next, buttons.length - 1)].focus(); }
      event.preventDefault();
      return;
    }
    var group = target.closest && target.closest("details.menu-group[open]");
    if (group) {
      var links = Array.prototype.slice.call(group.querySelectorAll("ul a"));
      var i = links.indexOf(target);
      var n = event.key === "ArrowDown" ? i + 1 : i - 1;
      if (n >= 0 && n < links.length) { links[n].focus(); event.preventDefault(); }
      else if (n < 0) { group.querySelector("summary").focus(); event.preventDefault(); }
    }
  });
}());
