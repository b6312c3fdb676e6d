// Dashboard and target charts (ECharts from the platform's own static files).
(function () {
  var gettext = window.gettext || function (text) { return text; };  // the language catalogue (/jsi18n/)
  var interpolate = window.interpolate || function (fmt, obj) { return fmt.replace(/%\(\w+\)s/g, function (m) { return obj[m.slice(2, -2)]; }); };
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var font = { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" };
  var colours = { green: "#2f8f5f", yellow: "#d9a21b", red: "#c0392b", ungraded: "#adb5bd" };

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    option.textStyle = font;
    option.animation = false;
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var dash = data("dashboard-chart-data");
  if (dash) {
    draw("chart-grades", {
      title: { text: gettext("评估等级分布"), left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{
        type: "pie", radius: ["38%", "62%"], center: ["50%", "45%"], label: { formatter: "{c}" },
        data: dash.grades.map(function (g) { return { name: g.name, value: g.value, itemStyle: { color: colours[g.grade] } }; })
      }]
    });
  }

  var t = data("target-chart-data");
  if (t) {
    draw("chart-target", {
      title: { text: t.name + (t.unit ? "（" + t.unit + "）" : ""), left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 50 },
      xAxis: { type: "category", data: t.years },
      yAxis: { type: "value", scale: true },
      series: [
        { name: gettext("实际值"), type: "line", data: t.actual, symbolSize: 7, connectNulls: false },
        { name: gettext("进度要求"), type: "line", data: t.expected, lineStyle: { type: "dashed" }, symbol: "none", color: "#c0392b" }
      ]
    });
  }
})();
