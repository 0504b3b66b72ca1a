// Enterprises per class, stacked per town (the data comes from a json_script element).
(function () {
  "use strict";
  function start() {
    var node = document.getElementById("summary-data");
    var element = document.getElementById("summary-chart");
    if (!node || !element || !window.echarts) {
      return;
    }
    var data = JSON.parse(node.textContent);
    var colours = ["#198754", "#0d6efd", "#ffc107", "#dc3545"];
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: colours,
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: data.classes },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: 40 } },
      yAxis: { type: "value" },
      series: data.classes.map(function (name, i) {
        return { name: name, type: "bar", stack: "classes", data: data.series[i], barMaxWidth: 36 };
      })
    });
    element.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
