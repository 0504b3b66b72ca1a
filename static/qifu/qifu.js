/* Qifu (企服) page behaviour.  Every feature looks for its element first, so this one
   file is loaded on every page; data comes from json_script blocks and data-* attributes,
   never from inline scripts. */
(function () {
  "use strict";

  var BLUE = "#0d4c8b";
  var ORANGE = "#e08a1e";
  var charts = [];

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) {
      return null;
    }
    try {
      return JSON.parse(node.textContent);
    } catch (error) {
      return null;
    }
  }

  function makeChart(element, option) {
    if (!element || !window.echarts) {
      return null;
    }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }

  /* Supervisor home: enterprises per town, biggest first, as horizontal bars so that
     long Chinese town names stay readable on a phone. */
  function initByTownChart() {
    var rows = readJson("by-town");
    var element = document.getElementById("by-town-chart");
    if (!rows || !element) {
      return;
    }
    var towns = rows.map(function (row) { return row.town__name_zh; });
    var counts = rows.map(function (row) { return row.n; });
    makeChart(element, {
      color: [BLUE],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: towns, inverse: true, axisTick: { show: false } },
      series: [{
        name: element.dataset.seriesName || "",
        type: "bar",
        data: counts,
        barMaxWidth: 18,
        label: { show: true, position: "right" }
      }]
    });
  }

  /* Enterprise page: revenue and tax paid per year, in 万元. */
  function initFiguresChart() {
    var data = readJson("figures-chart-data");
    var element = document.getElementById("figures-chart");
    if (!data || !element || !data.years || !data.years.length) {
      return;
    }
    var labels = data.labels || {};
    makeChart(element, {
      color: [BLUE, ORANGE],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value" },
      series: [
        { name: labels.revenue || "", type: "bar", data: data.revenue, barMaxWidth: 28 },
        { name: labels.tax || "", type: "bar", data: data.tax, barMaxWidth: 28 }
      ]
    });
  }

  function resizeCharts() {
    charts.forEach(function (chart) { chart.resize(); });
  }

  /* Progress bars carry their value in aria-valuenow; set the width from it so the
     page does not depend on inline styles (a strict CSP may block them). */
  function syncProgressBars() {
    document.querySelectorAll(".qifu-progress[aria-valuenow]").forEach(function (progress) {
      var bar = progress.querySelector(".progress-bar");
      var percent = Math.max(0, Math.min(100, Number(progress.getAttribute("aria-valuenow")) || 0));
      if (bar) {
        bar.style.width = percent + "%";
      }
    });
  }

  /* Import job page: poll the status URL every second and reload when finished, so
     the counts and the error table come from the server. */
  function initImportProgress() {
    var box = document.getElementById("import-job");
    if (!box || !box.dataset.statusUrl || box.dataset.finished === "true") {
      return;
    }
    var progress = document.getElementById("job-progress");
    var bar = progress ? progress.querySelector(".progress-bar") : null;
    var status = document.getElementById("job-status");
    var failures = 0;

    function show(data) {
      var percent = Math.max(0, Math.min(100, Number(data.progress) || 0));
      if (progress) {
        progress.setAttribute("aria-valuenow", String(percent));
      }
      if (bar) {
        bar.style.width = percent + "%";
        bar.textContent = percent + "%";
      }
      var badge = status ? status.querySelector(".badge") : null;
      if (badge && data.status_label) {
        badge.textContent = data.status_label;
      }
    }

    function poll() {
      fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          show(data);
          if (data.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () {
          // A dropped connection should not stop the page; back off and try again.
          failures += 1;
          window.setTimeout(poll, Math.min(30000, 1000 * Math.pow(2, failures)));
        });
    }

    window.setTimeout(poll, 1000);
  }

  function start() {
    syncProgressBars();
    initByTownChart();
    initFiguresChart();
    initImportProgress();
    if (charts.length) {
      window.addEventListener("resize", resizeCharts);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
