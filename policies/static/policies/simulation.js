// Budget simulation: one bar per version, the budget as a line.
(function () {
  "use strict";
  function start() {
    var node = document.getElementById("simulation-data");
    var element = document.getElementById("simulation-chart");
    if (!node || !element || !window.echarts) {
      return;
    }
    var data = JSON.parse(node.textContent);
    // Fen to 万元 with two decimals (the bars are labelled with these values).
    var toWan = function (fen) { return fen === null ? null : Math.round(fen / 10000) / 100; };
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    var series = { type: "bar", data: data.totals.map(toWan), barMaxWidth: 48, label: { show: true, position: "top" } };
    if (data.budget) {
      series.markLine = { symbol: "none", data: [{ yAxis: toWan(data.budget) }], lineStyle: { color: "#c0392b" },
                          label: { formatter: "{c}" } };
    }
    chart.setOption({
      color: ["#0d4c8b"],
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 40, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.names },
      yAxis: { type: "value", name: "万元" },
      series: [series]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
