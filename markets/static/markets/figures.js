// Financing figures: per financing day, the amount needed and the amount granted (万元).
(function () {
  "use strict";
  function start() {
    var node = document.getElementById("finance-chart-data");
    var element = document.getElementById("finance-chart");
    if (!node || !element || !window.echarts) {
      return;
    }
    var data = JSON.parse(node.textContent);
    var toWan = function (fen) { return Math.round(fen / 10000) / 100; };
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#0d4c8b", "#2e8b57"],
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [element.dataset.neededLabel, element.dataset.grantedLabel] },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.days },
      yAxis: { type: "value" },
      series: [
        { name: element.dataset.neededLabel, type: "bar", data: data.needed.map(toWan), barMaxWidth: 32 },
        { name: element.dataset.grantedLabel, type: "bar", data: data.granted.map(toWan), barMaxWidth: 32 }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
