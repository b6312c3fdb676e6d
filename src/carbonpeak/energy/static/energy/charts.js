// Energy and emissions charts, drawn from the JSON the page embeds (ECharts served from our static files).
(function () {
  var gettext = window.gettext || function (text) { return text; };  // the language catalogue (/jsi18n/)
  var interpolate = window.interpolate || function (fmt, obj) { return fmt.replace(/%\(\w+\)s/g, function (m) { return obj[m.slice(2, -2)]; }); };
  "use strict";
  var node = document.getElementById("energy-chart-data");
  if (!node || typeof echarts === "undefined") { return; }
  var d = JSON.parse(node.textContent);
  var font = { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" };
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    option.textStyle = font;
    option.animation = false;
    chart.setOption(option);
    charts.push(chart);
  }

  // every legend entry shown at once, in as many rows as it needs, with room kept for them below the plot
  // (a paging legend hid the last sectors behind “1/2”)
  function legendRoom(count) { return 40 + 22 * Math.ceil(count / 3); }
  var LEGEND = { bottom: 0, type: "plain", left: "center", width: "94%" };

  function stacked(series) {
    return Object.keys(series).map(function (name) {
      return { name: name, type: "bar", stack: "co2", data: series[name], emphasis: { focus: "series" } };
    });
  }

  draw("chart-fuel", {
    title: { text: gettext("二氧化碳排放：分品种（万吨）"), left: "center", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    legend: LEGEND,
    grid: { left: 60, right: 20, top: 40, bottom: legendRoom(Object.keys(d.by_fuel).length) },
    xAxis: { type: "category", data: d.years },
    yAxis: { type: "value" },
    series: stacked(d.by_fuel)
  });

  draw("chart-sector", {
    title: { text: gettext("二氧化碳排放：分行业（万吨）"), left: "center", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    legend: LEGEND,
    grid: { left: 60, right: 20, top: 40, bottom: legendRoom(Object.keys(d.by_group).length) },
    xAxis: { type: "category", data: d.years },
    yAxis: { type: "value" },
    series: stacked(d.by_group)
  });

  var intensity = [];
  if (d.intensity_index.carbon) {
    if (!d.intensity_index.energy_missing) {
      intensity.push({ name: gettext("能耗强度（等价值，2020=100）"), type: "line", data: d.intensity_index.energy, symbolSize: 6 });
    }
    intensity.push({ name: gettext("碳强度（2020=100）"), type: "line", data: d.intensity_index.carbon, symbolSize: 6 });
  }
  if (d.path) {
    intensity.push({ name: d.path.label, type: "line", data: d.path.points, lineStyle: { type: "dashed" }, symbol: "none", color: "#c0392b" });
  }
  draw("chart-intensity", {
    title: {
      text: gettext("强度走势与目标路径"), left: "center", textStyle: { fontSize: 14 },
      subtext: d.intensity_index.energy_missing ? gettext("能耗强度（等价值）缺失：平均发电标准煤耗未录入") : "",
      subtextStyle: { color: "#8a4b00" }
    },
    tooltip: { trigger: "axis" },
    legend: LEGEND,
    grid: { left: 50, right: 20, top: 60, bottom: legendRoom(intensity.length) },
    xAxis: { type: "category", data: d.years.concat(d.path ? [d.path.points[1][0]] : []).filter(function (v, i, a) { return a.indexOf(v) === i; }).sort() },
    yAxis: { type: "value", scale: true },
    series: intensity
  });

  draw("chart-quarter", {
    title: { text: gettext("季度能源消费与排放"), left: "center", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 60, right: 60, top: 40, bottom: 60 },
    xAxis: { type: "category", data: d.quarters },
    yAxis: [{ type: "value", name: gettext("万吨CO₂") }, { type: "value", name: gettext("万吨标煤") }],
    series: [
      { name: gettext("二氧化碳（万吨）"), type: "bar", data: d.quarter_co2 },
      { name: gettext("能源消费量（万吨标煤，当量值）"), type: "line", yAxisIndex: 1, data: d.quarter_energy }
    ]
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
