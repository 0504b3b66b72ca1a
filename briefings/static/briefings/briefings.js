// Briefings: the issue's charts, the progress of an issue being generated, the dashboard.
(function () {
  "use strict";

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function dark() {
    return !!document.querySelector('[data-theme="dark"]');
  }

  function draw(element, option) {
    if (!element || !window.echarts) {
      return;
    }
    var chart = window.echarts.init(element, dark() ? "dark" : null, { renderer: "canvas" });
    if (dark()) {
      option.backgroundColor = "transparent";
    }
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
  }

  function seriesOption(chart) {
    var percent = chart.type === "bar";
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: chart.categories, axisLabel: { interval: 0, rotate: chart.categories.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", max: percent ? 100 : null },
      series: chart.series.map(function (s) {
        return { name: s.name, type: chart.type, data: s.data, barMaxWidth: 24 };
      })
    };
  }

  function issueCharts() {
    (data("briefing-charts") || []).forEach(function (chart) {
      draw(document.getElementById(chart.id), seriesOption(chart));
    });
  }

  // An issue being generated: ask for its status every few seconds, reload once it is done.
  function progress() {
    var box = document.getElementById("issue-progress");
    var url = box && box.getAttribute("data-status-url");
    if (!url) {
      return;
    }
    var poll = function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (status) {
          box.querySelector("[data-status-label]").textContent = status.label;
          if (status.status === "ready" || status.status === "failed") {
            window.location.reload();
          } else {
            window.setTimeout(poll, 3000);
          }
        })
        .catch(function () { window.setTimeout(poll, 10000); });
    };
    window.setTimeout(poll, 1500);
  }

  function dashboard() {
    var root = document.getElementById("leader-dashboard");
    var charts = data("dashboard-charts");
    if (!root || !charts) {
      return;
    }
    var labels = charts.labels;
    var rates = ["completion_rate", "on_time_rate", "satisfaction_rate"];
    draw(root.querySelector('[data-dashboard-chart="trend"]'), seriesOption({
      type: "line", categories: charts.trend.months,
      series: [{ name: labels.new, data: charts.trend.new }, { name: labels.closed, data: charts.trend.closed }]
    }));
    draw(root.querySelector('[data-dashboard-chart="units"]'), seriesOption({
      type: "bar", categories: charts.units.names,
      series: rates.map(function (r) { return { name: labels[r], data: charts.units[r] }; })
    }));
    var towns = seriesOption({ type: "bar", categories: charts.towns.names,
                               series: [{ name: labels.total, data: charts.towns.total }] });
    towns.yAxis.max = null;
    draw(root.querySelector('[data-dashboard-chart="towns"]'), towns);
    var seconds = parseInt(root.getAttribute("data-refresh"), 10);
    if (seconds > 0) {
      window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
    }
    var clock = root.querySelector("[data-clock]");
    if (clock) {
      var tick = function () { clock.textContent = new Date().toLocaleString(document.documentElement.lang || undefined); };
      tick();
      window.setInterval(tick, 1000);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    issueCharts();
    progress();
    dashboard();
  });
})();
