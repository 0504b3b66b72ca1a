/* Qifu demand pages: the enterprise picker of the intake form, bulk routing, one-time
   submit buttons, confirmations and the figures charts.  Every feature looks for its
   element first; data comes from data-* attributes and json_script blocks. */
(function () {
  "use strict";

  /* --- Enterprise picker: type a name, credit code or pinyin initials, pick from the list.
     Without JavaScript the server takes the only enterprise the typed text finds. */
  function initEnterprisePicker(box) {
    var input = box.querySelector("[data-picker-input]");
    var list = box.querySelector("[data-picker-list]");
    var hidden = box.querySelector("input[type=hidden]");
    var chosen = box.querySelector("[data-picker-chosen]");
    var form = box.closest("form");
    var timer = null;
    var active = -1;
    var results = [];
    var lastQuery = "";
    if (!input || !list || !hidden) {
      return;
    }

    function close() {
      list.classList.add("d-none");
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) {
        item.classList.toggle("active", i === index);
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function fill(name, value) {
      var field = form ? form.querySelector("[name=" + name + "]") : null;
      if (field && !field.value && value) {
        field.value = value;
      }
    }

    function choose(index) {
      var item = results[index];
      if (!item) {
        return;
      }
      hidden.value = String(item.id);
      input.value = item.name;
      lastQuery = item.name;
      fill("contact_name", item.contact_name);
      fill("contact_phone", item.contact_phone);
      if (chosen) {
        chosen.classList.remove("d-none");
        chosen.querySelector("span").textContent = item.credit_code + " · " + item.town;
      }
      input.classList.remove("is-invalid");
      close();
    }

    function render(items) {
      results = items;
      list.textContent = "";
      if (!items.length) {
        var none = document.createElement("li");
        none.className = "list-group-item small text-body-secondary";
        none.textContent = box.dataset.noneText || "";
        list.appendChild(none);
      }
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.className = "list-group-item list-group-item-action";
        option.id = "enterprise-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("div");
        name.className = "fw-semibold";
        name.textContent = item.name;
        var meta = document.createElement("div");
        meta.className = "small text-body-secondary font-monospace";
        meta.textContent = item.credit_code + " · " + item.town;
        option.appendChild(name);
        option.appendChild(meta);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          choose(index);
        });
        list.appendChild(option);
      });
      list.classList.remove("d-none");
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      var query = input.value.trim();
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (!query) {
        close();
        return;
      }
      var url = box.dataset.searchUrl + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (input.value.trim() === query) {
            render(data.results || []);
          }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      // A changed text no longer names the picked enterprise.
      hidden.value = "";
      if (chosen) {
        chosen.classList.add("d-none");
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.classList.contains("d-none");
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  /* --- Bulk routing: a "select all" box and a button that counts the selection. */
  function initBulk(form) {
    var all = document.querySelector("[data-bulk-all]");
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-bulk-item]"));
    var button = form.querySelector("[data-bulk-submit]");
    var count = form.querySelector("[data-bulk-count]");

    function update() {
      var selected = items.filter(function (item) { return item.checked; }).length;
      if (count) {
        count.textContent = String(selected);
      }
      if (button) {
        button.disabled = selected === 0;
      }
      if (all) {
        all.checked = selected > 0 && selected === items.length;
        all.indeterminate = selected > 0 && selected < items.length;
      }
    }

    items.forEach(function (item) { item.addEventListener("change", update); });
    if (all) {
      all.addEventListener("change", function () {
        items.forEach(function (item) { item.checked = all.checked; });
        update();
      });
    }
    update();
  }

  /* --- A form is sent once: a double click must not post twice (the server is idempotent
     for new demands anyway, and refuses a second workflow step with a conflict). */
  function initOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent === "true") {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "true";
      // Disabled after the browser has read the clicked button's name and value.
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
      }, 0);
    });
  }

  function initConfirm(button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    });
  }

  /* --- Figures: the three rates per unit, town or category; a click opens the demands. */
  var charts = [];
  var STATE_OF_SERIES = ["answered", "on_time", "satisfied"];

  function initFiguresCharts() {
    var node = document.getElementById("demand-figures-data");
    if (!node || !window.echarts) {
      return;
    }
    var data = JSON.parse(node.textContent);
    var labels = data.labels || {};
    document.querySelectorAll("[data-figures-chart]").forEach(function (element) {
      var part = data[element.dataset.figuresChart];
      if (!part || !part.names.length) {
        return;
      }
      // Room for three thin bars per row, so a long list of units stays readable.
      element.style.height = Math.max(180, 70 + part.names.length * 42) + "px";
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      var series = ["completion_rate", "on_time_rate", "satisfaction_rate"].map(function (key) {
        return { name: labels[key] || key, type: "bar", data: part[key], barMaxWidth: 12,
                 label: { show: false } };
      });
      chart.setOption({
        color: ["#0d4c8b", "#e08a1e", "#2e8b57"],
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) {
          return v === null || v === undefined ? "—" : v + "%";
        } },
        legend: { top: 0 },
        grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", data: part.names, inverse: true, axisTick: { show: false } },
        series: series
      });
      chart.on("click", function (params) {
        var query = part.queries[params.dataIndex];
        if (query !== undefined) {
          window.location.href = data.list_url + "?" + query + "&state=" + STATE_OF_SERIES[params.seriesIndex];
        }
      });
      charts.push(chart);
    });
    if (charts.length) {
      window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    }
  }

  function start() {
    document.querySelectorAll("[data-enterprise-picker]").forEach(initEnterprisePicker);
    document.querySelectorAll("form[data-bulk]").forEach(initBulk);
    document.querySelectorAll("form[data-once]").forEach(initOnce);
    document.querySelectorAll("[data-confirm]").forEach(initConfirm);
    initFiguresCharts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
