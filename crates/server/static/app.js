// Framewright web interface: small progressive enhancements. Every page works without this.
(function () {
  "use strict";

  // Ask before leaving a form with unsaved changes (forms marked data-warn-unsaved).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
      var dirty = false;
      form.addEventListener("input", function () { dirty = true; });
      form.addEventListener("submit", function () { dirty = false; });
      window.addEventListener("beforeunload", function (event) {
        if (dirty) { event.preventDefault(); event.returnValue = ""; }
      });
    });

    // Draft lists: dim a competency whose "keep" box is cleared.
    document.querySelectorAll("[data-keep-toggle]").forEach(function (box) {
      var item = box.closest(".draft-item");
      var update = function () { if (item) { item.classList.toggle("removed", !box.checked); } };
      box.addEventListener("change", update);
      update();
    });

    // A search box that narrows a select's options (data-filter-select="<select id>").
    document.querySelectorAll("[data-filter-select]").forEach(function (input) {
      var select = document.getElementById(input.getAttribute("data-filter-select"));
      if (!select) { return; }
      input.addEventListener("input", function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var first = null;
        Array.prototype.forEach.call(select.options, function (option) {
          if (!option.value) { return; }
          var text = option.text.toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          option.hidden = !match;
          option.disabled = !match;
          if (match && first === null) { first = option; }
        });
        if (first && (select.selectedOptions.length === 0 || select.selectedOptions[0].hidden || !select.value)) {
          select.value = first.value;
        }
      });
      // Enter in the search box picks the first match instead of sending the form.
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); select.focus(); }
      });
    });

    // Move focus to the first error on a page that reports one, so screen readers hear it.
    var alert = document.querySelector("main [role=alert]");
    if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus(); }
  });
})();
