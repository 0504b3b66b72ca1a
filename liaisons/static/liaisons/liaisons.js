// Liaison pages: add a problem form on the visit log; the coverage charts.
(function () {
  "use strict";

  function addProblem(button) {
    var prefix = button.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.querySelector('[data-formset-template="' + prefix + '"]');
    var target = document.querySelector('[data-formset-forms="' + prefix + '"]');
    if (!total || !template || !target) {
      return;
    }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    target.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = target.lastElementChild && target.lastElementChild.querySelector("textarea");
    if (first) {
      first.focus();
    }
  }

  // Enterprise pickers: type a name, pick a result; it becomes a ticked checkbox (visit form)
  // or fills the field with the credit code (condition form).
  function enterprisePicker(box) {
    var input = box.querySelector("[data-search-input]");
    var list = box.querySelector("[data-search-results]");
    var timer = null;
    if (!input || !list) {
      return;
    }
    function choose(item) {
      if (box.getAttribute("data-mode") === "fill") {
        input.value = item.credit_code;
      } else {
        var target = document.getElementById(box.getAttribute("data-target"));
        var name = box.getAttribute("data-name");
        var existing = target.querySelector('input[value="' + item.id + '"]');
        if (existing) {
          existing.checked = true;
        } else {
          var wrap = document.createElement("div");
          wrap.className = "form-check";
          var check = document.createElement("input");
          check.type = "checkbox";
          check.className = "form-check-input";
          check.name = name;
          check.value = String(item.id);
          check.id = "picked-" + item.id;
          check.checked = true;
          var label = document.createElement("label");
          label.className = "form-check-label";
          label.htmlFor = check.id;
          label.textContent = item.name;
          wrap.appendChild(check);
          wrap.appendChild(label);
          target.appendChild(wrap);
          // The problems may be about the new enterprise too.
          var form = box.closest("form");
          form.querySelectorAll('select[name$="-enterprise"]').forEach(function (select) {
            select.appendChild(new Option(item.name, String(item.id)));
          });
          var template = form.querySelector("template[data-formset-template]");
          var blank = template && template.content.querySelector('select[name$="-enterprise"]');
          if (blank) {
            blank.appendChild(new Option(item.name, String(item.id)));
          }
        }
        input.value = "";
      }
      list.classList.add("d-none");
      list.textContent = "";
    }
    function show(results) {
      list.textContent = "";
      results.forEach(function (item) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action";
        button.setAttribute("data-pick", String(item.id));
        button.textContent = item.name + " · " + item.town;
        button.addEventListener("click", function () { choose(item); });
        list.appendChild(button);
      });
      list.classList.toggle("d-none", results.length === 0);
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) {
        show([]);
        return;
      }
      timer = window.setTimeout(function () {
        var url = box.getAttribute("data-url") + "?q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { show(data.results || []); })
          .catch(function () { show([]); });
      }, 200);
    });
  }

  function drawCharts() {
    var node = document.getElementById("coverage-data");
    if (!node || !window.echarts) {
      return;
    }
    var data = JSON.parse(node.textContent);
    var labels = data.labels;
    document.querySelectorAll("[data-coverage-chart]").forEach(function (element) {
      var table = data[element.getAttribute("data-coverage-chart")];
      if (!table || !table.names.length) {
        return;
      }
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      var measures = ["visits", "person_trips", "problems", "resolved"];
      chart.setOption({
        color: ["#0d4c8b", "#5b8fc9", "#e67e22", "#27ae60"],
        tooltip: { trigger: "axis" },
        legend: { top: 0, left: "center", data: measures.map(function (m) { return labels[m]; }) },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: table.names, axisLabel: { interval: 0, rotate: table.names.length > 6 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: measures.map(function (m) { return { name: labels[m], type: "bar", data: table[m], barMaxWidth: 28 }; })
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset-add]").forEach(function (button) {
      button.addEventListener("click", function () { addProblem(button); });
    });
    document.querySelectorAll("[data-enterprise-search]").forEach(enterprisePicker);
    drawCharts();
  });
})();
