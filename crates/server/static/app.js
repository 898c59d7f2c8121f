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

    // Move focus to the first error on a page that reports one, so screen readers hear it.
    var alert = document.querySelector("main [role=alert]");
    if (alert) { alert.setAttribute("tabindex", "-1"); alert.focus(); }
  });
})();
