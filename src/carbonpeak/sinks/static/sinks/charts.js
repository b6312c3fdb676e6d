// Stocks and sinks over time by land type, from the JSON the page embeds (ECharts served from our static files).
(function () {
  var gettext = window.gettext || function (text) { return text; };  // the language catalogue (/jsi18n/)
  var interpolate = window.interpolate || function (fmt, obj) { return fmt.replace(/%\(\w+\)s/g, function (m) { return obj[m.slice(2, -2)]; }); };
  "use strict";
  function draw() {
    var node = document.getElementById("sinks-chart-data");
    var el = document.getElementById("chart-sinks");
    if (!node || !el || typeof echarts === "undefined") { return; }
    var d = JSON.parse(node.textContent);
    var series = [];
    Object.keys(d.sink).forEach(function (name) {
      series.push({ name: interpolate(gettext("%(name)s 年碳汇"), { name: name }, true), type: "bar", yAxisIndex: 0, data: d.sink[name] });
    });
    Object.keys(d.stock).forEach(function (name) {
      series.push({ name: interpolate(gettext("%(name)s 碳储量"), { name: name }, true), type: "line", yAxisIndex: 1, connectNulls: false, data: d.stock[name] });
    });
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" },
      title: { text: gettext("碳储量与年碳汇（已计算部分）"), left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "plain", left: "center", width: "94%" },  // every entry shown, none paged
      grid: { left: 70, right: 80, top: 40, bottom: 40 + 22 * Math.ceil(series.length / 3) },
      xAxis: { type: "category", data: d.years },
      yAxis: [{ type: "value", name: gettext("吨二氧化碳/年") }, { type: "value", name: gettext("吨碳") }],
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
