// Framewright framework editor: live lint. The page works without this script (the findings
// are rendered by the server when the page loads); with it, they follow the text as you type.
//
// Every editor field is named by its JSON pointer into the framework document and says what
// it holds in data-kind (text, opt, lines, int, num) — the same rules the server applies when
// the form is saved. The script applies the fields to the document embedded in the form
// (data-doc), sends it to POST /api/v1/lint with the session cookie and the form's CSRF token
// in X-CSRF-Token, and shows the findings beside the fields and in the panel.
(function () {
  "use strict";

  var form = document.getElementById("editor");
  if (!form || !form.dataset.doc || !window.fetch) { return; }
  var list = document.getElementById("lint-list");
  var summary = document.getElementById("lint-summary");
  var stateLine = document.getElementById("lint-state");
  var base;
  try { base = JSON.parse(form.dataset.doc); } catch (e) { return; }

  function fieldId(pointer) { return "f" + pointer.split("/").join("-"); }

  function decode(segment) { return segment.replace(/~1/g, "/").replace(/~0/g, "~"); }

  // The document with the form's current values, as the server builds it on save.
  function documentFromForm() {
    var doc = JSON.parse(JSON.stringify(base));
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.charAt(0) !== "/" || !el.dataset.kind) { return; }
      var parts = el.name.split("/").slice(1).map(decode);
      var key = parts.pop();
      var parent = doc;
      for (var i = 0; i < parts.length && parent !== undefined && parent !== null; i++) {
        parent = parent[parts[i]];
      }
      if (!parent || typeof parent !== "object") { return; }
      var raw = el.value;
      var text = raw.trim();
      switch (el.dataset.kind) {
        case "text": parent[key] = text; break;
        case "opt": if (text) { parent[key] = text; } else { delete parent[key]; } break;
        case "lines":
          parent[key] = raw.split(/\r?\n/).map(function (l) { return l.trim(); })
            .filter(function (l) { return l.length > 0; });
          break;
        case "int": parent[key] = /^\d+$/.test(text) ? parseInt(text, 10) : text; break;
        case "num":
          if (!text) { delete parent[key]; break; }
          var n = Number(text.replace(",", "."));
          parent[key] = isFinite(n) ? n : text;
          break;
      }
    });
    // Competencies marked for removal go, with the targets and relations that name them.
    var removed = Array.prototype.filter.call(form.querySelectorAll("input[name=remove_competency]"),
      function (box) { return box.checked; }).map(function (box) { return box.value; });
    moved = { competencies: null, targets: {} };
    if (removed.length) {
      var gone = function (id) { return removed.indexOf(id) >= 0; };
      // Remember where each remaining item was, to place findings on the form's fields.
      var keep = function (list, test) {
        var at = [];
        var kept = (list || []).filter(function (item, i) {
          if (test(item)) { at.push(i); return true; }
          return false;
        });
        return { kept: kept, at: at };
      };
      var cs = keep(doc.competencies, function (c) { return !gone(c.id); });
      doc.competencies = cs.kept;
      moved.competencies = cs.at;
      (doc.role_profiles || []).forEach(function (p, i) {
        var ts = keep(p.targets, function (t) { return !gone(t.competency); });
        p.targets = ts.kept;
        moved.targets[i] = ts.at;
      });
      if (doc.relations) {
        doc.relations = doc.relations.filter(function (r) { return !gone(r.from) && !gone(r.to); });
      }
    }
    if (doc.status === "published") { doc.status = "draft"; }
    return doc;
  }

  // Where the items of the checked document were in the form (after removals).
  var moved = { competencies: null, targets: {} };

  function formPointer(pointer) {
    var m = /^\/competencies\/(\d+)(\/.*)?$/.exec(pointer);
    if (m && moved.competencies) {
      var was = moved.competencies[Number(m[1])];
      return was === undefined ? pointer : "/competencies/" + was + (m[2] || "");
    }
    m = /^\/role_profiles\/(\d+)\/targets\/(\d+)(\/.*)?$/.exec(pointer);
    if (m && moved.targets[m[1]]) {
      var at = moved.targets[m[1]][Number(m[2])];
      return at === undefined ? pointer : "/role_profiles/" + m[1] + "/targets/" + at + (m[3] || "");
    }
    return pointer;
  }

  // Editor fields by pointer, longest first, to place a finding on the nearest one.
  var fields = Array.prototype.filter.call(form.elements, function (el) {
    return el.name && el.name.charAt(0) === "/" && el.dataset.kind;
  }).map(function (el) { return el.name; }).sort(function (a, b) { return b.length - a.length; });

  function fieldFor(pointer) {
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (pointer === f || pointer.indexOf(f + "/") === 0) { return f; }
    }
    return null;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function show(findings) {
    document.querySelectorAll("ul.field-findings").forEach(function (ul) { ul.textContent = ""; });
    list.textContent = "";
    var errors = 0, warnings = 0;
    findings.forEach(function (f) {
      if (f.severity === "error") { errors++; }
      if (f.severity === "warning") { warnings++; }
      var target = fieldFor(formPointer(f.pointer || ""));
      var id = target ? fieldId(target) : null;
      var input = id ? document.getElementById(id) : null;
      var item = el("li", "finding sev-" + f.severity);
      item.dataset.code = f.code;
      item.appendChild(el("span", "sev", f.severity));
      item.appendChild(document.createTextNode(" "));
      if (input) {
        item.dataset.target = id;
        var link = el("a", null, input.dataset.label || f.field);
        link.href = "#" + id;
        item.appendChild(link);
      } else {
        item.appendChild(el("span", "where", f.pointer ? f.field : "The whole framework"));
      }
      item.appendChild(document.createTextNode(": " + f.message));
      if (f.suggestion) {
        item.appendChild(document.createTextNode(" — "));
        item.appendChild(el("em", null, f.suggestion));
      }
      list.appendChild(item);
      var beside = id ? document.getElementById("findings-" + id) : null;
      if (beside) {
        var inline = el("li", "finding sev-" + f.severity);
        inline.dataset.code = f.code;
        inline.appendChild(el("span", "sev", f.severity));
        inline.appendChild(document.createTextNode(" " + f.message));
        if (f.suggestion) {
          inline.appendChild(document.createTextNode(" — "));
          inline.appendChild(el("em", null, f.suggestion));
        }
        beside.appendChild(inline);
      }
    });
    summary.textContent = plural(errors, "error") + ", " + plural(warnings, "warning") + ", " +
      plural(findings.length, "finding") + " in all.";
  }

  var csrf = form.querySelector("input[name=csrf_token]");
  var timer = null;
  var sequence = 0;

  function check() {
    var mine = ++sequence;
    stateLine.textContent = "Checking…";
    fetch(form.dataset.lintUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRF-Token": csrf ? csrf.value : ""
      },
      body: JSON.stringify(documentFromForm())
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (mine !== sequence) { return; }
      if (answer.ok) {
        show(answer.body.findings || []);
      } else {
        // A problem (a weight that is not a number, …): show its wrong fields as errors.
        var problems = (answer.body.errors || []).map(function (e) {
          return { code: e.code || "invalid", severity: "error", pointer: e.pointer, field: e.pointer, message: e.detail };
        });
        if (!problems.length) {
          problems = [{ code: "invalid", severity: "error", pointer: "", field: "", message: answer.body.detail || "the framework cannot be checked" }];
        }
        show(problems);
      }
      stateLine.textContent = "Checked as you typed.";
      form.dispatchEvent(new CustomEvent("lint-updated", { bubbles: true }));
    }).catch(function () {
      if (mine === sequence) { stateLine.textContent = "Could not check just now; the findings shown may be out of date."; }
    });
  }

  form.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(check, 350);
  });
  form.addEventListener("change", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(check, 50);
  });
})();

// The interview guide's print button.
(function () {
  "use strict";
  var button = document.getElementById("print-guide");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
