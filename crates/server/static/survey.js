// SME survey: saves the answers as the SME goes, through PUT /api/v1/survey/{token}. Without
// this script the form still works with its "Save my answers" button.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("survey-form");
    if (!form || !window.fetch) { return; }
    var token = form.getAttribute("data-survey-token");
    var status = document.getElementById("save-status");
    var timer = null;
    var say = function (text) { if (status) { status.textContent = text; } };

    function answers() {
      var tasks = {}, competencies = {}, order = { tasks: [], competencies: [] }, linkage = [];
      form.querySelectorAll("input[data-kind]").forEach(function (input) {
        var kind = input.getAttribute("data-kind");
        if (kind === "link") {
          linkage.push({
            task: input.getAttribute("data-task"),
            competency: input.getAttribute("data-competency"),
            linked: input.checked
          });
          return;
        }
        if (!input.checked || input.value === "") { return; }
        var id = input.getAttribute("data-id");
        var field = input.getAttribute("data-field");
        var map = kind === "task" ? tasks : competencies;
        var list = kind === "task" ? order.tasks : order.competencies;
        if (!map[id]) {
          map[id] = kind === "task" ? { task: id } : { competency: id };
          list.push(id);
        }
        var value = input.value;
        if (field === "needed_at_entry") { map[id][field] = value === "yes"; }
        else { map[id][field] = parseInt(value, 10); }
      });
      return {
        tasks: order.tasks.map(function (id) { return tasks[id]; }),
        competencies: order.competencies.map(function (id) { return competencies[id]; }),
        linkage: linkage
      };
    }

    function save() {
      say("Saving…");
      fetch("/api/v1/survey/" + encodeURIComponent(token), {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(answers())
      }).then(function (response) {
        if (response.status === 204) {
          say("All answers saved at " + new Date().toLocaleTimeString() + ".");
        } else if (response.status === 409) {
          say("The survey has closed: your last change could not be saved.");
        } else {
          response.json().then(function (p) { say("Not saved: " + (p.detail || response.status)); },
            function () { say("Not saved (error " + response.status + ")."); });
        }
      }, function () { say("Not saved: the server could not be reached. Your answers stay on this page; try again."); });
    }

    form.addEventListener("change", function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, 400);
    });
  });
})();
