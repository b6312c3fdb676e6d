// Projection charts: fan chart, peak-year histogram, tornado, sector split, scenario comparison (ECharts, local).
(function () {
  var gettext = window.gettext || function (text) { return text; };  // the language catalogue (/jsi18n/)
  var interpolate = window.interpolate || function (fmt, obj) { return fmt.replace(/%\(\w+\)s/g, function (m) { return obj[m.slice(2, -2)]; }); };
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var font = { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" };
  var palette = ["#0b5d3b", "#3d6fb6", "#d9822b", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#b7950b"];

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
  function fixed(v, digits) { return v === null || v === undefined ? "—" : Number(v).toFixed(digits); }
  var deadline = { silent: true, symbol: "none", lineStyle: { color: "#c0392b", type: "dotted" },
                   label: { formatter: "2030", color: "#c0392b" }, data: [{ xAxis: "2030" }] };

  var p = data("projection-chart-data");
  if (p) {
    // unconfirmed events: each case's median, never one median drawn through the gap between them
    var branched = p.branches && p.branches.length > 1;
    var lower = p.p10.map(function (v) { return v; });
    var width = p.p90.map(function (v, i) { return v === null || p.p10[i] === null ? null : v - p.p10[i]; });
    // more than two cases: their long names take a legend row each, below a chart grown to hold them
    var rows = branched && p.branches.length > 2 ? p.branches.length : 0;
    var fan = document.getElementById("chart-fan");
    if (fan && rows) { fan.style.height = (fan.clientHeight + 24 * rows) + "px"; }
    draw("chart-fan", {
      title: { text: gettext("二氧化碳排放：历史与预测（万吨）"), left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", formatter: function (items) {
        var i = items[0].dataIndex, lines = [interpolate(gettext("%(year)s年"), { year: p.years[i] }, true)];
        if (p.history[i] !== null) { lines.push(gettext("核算值") + " " + fixed(p.history[i], 1)); }
        if (p.p50[i] !== null && p.history[i] === null) {
          if (branched) {
            p.branches.forEach(function (b) { lines.push(b.label + " " + fixed(b.p50[i], 1)); });
            lines.push(gettext("合并 P10–P90") + " " + fixed(p.p10[i], 1) + "–" + fixed(p.p90[i], 1));
          } else {
            lines.push("P10 " + fixed(p.p10[i], 1), "P50 " + fixed(p.p50[i], 1), "P90 " + fixed(p.p90[i], 1));
          }
        }
        return lines.join("<br>");
      } },
      legend: { bottom: 0, data: branched ? [gettext("核算值"), gettext("P10–P90（各情形合并）")].concat(p.branches.map(function (b) { return b.label; }))
                                         : [gettext("核算值"), "P10–P90", gettext("中位数 P50")] },
      grid: { left: 60, right: 20, top: 40, bottom: 50 + 24 * rows },
      xAxis: { type: "category", data: p.years, boundaryGap: false },
      yAxis: { type: "value", scale: true },
      series: [
        { name: gettext("下界"), type: "line", data: lower, stack: "band", symbol: "none", lineStyle: { opacity: 0 }, tooltip: { show: false } },
        { name: branched ? gettext("P10–P90（各情形合并）") : "P10–P90", type: "line", data: width, stack: "band", symbol: "none", lineStyle: { opacity: 0 },
          areaStyle: { color: "rgba(61,111,182,0.25)" }, color: "rgba(61,111,182,0.5)" },
        { name: gettext("核算值"), type: "line", data: p.history, symbolSize: 7, color: "#0b5d3b", lineStyle: { width: 2 },
          markLine: deadline }
      ].concat(branched
        ? p.branches.map(function (b, k) {
            return { name: b.label, type: "line", data: b.p50, symbol: "none", lineStyle: { type: "dashed", width: 2 },
                     color: ["#c0392b", "#3d6fb6", "#8e44ad", "#b9770e"][k % 4] };
          })
        : [{ name: gettext("中位数 P50"), type: "line", data: p.p50, symbol: "none", lineStyle: { type: "dashed", width: 2 }, color: "#3d6fb6" }])
    });

    var labels = Object.keys(p.histogram);
    draw("chart-histogram", {
      title: { text: gettext("达峰年份分布（抽样次数）"), left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: 55, right: 15, top: 40, bottom: 40 },
      xAxis: { type: "category", data: labels },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: labels.map(function (k) {
        var late = k === "未达峰" || Number(k) > 2030;  // the key the projection writes
        return { value: p.histogram[k], itemStyle: { color: late ? "#c0392b" : "#2f8f5f" } };
      }), label: { show: true, position: "top" } }]
    });

    var levers = p.levers.slice().reverse();
    draw("chart-tornado", {
      title: { text: gettext("措施贡献：2030年减排（万吨）"), left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (items) {
        var e = levers[items[0].dataIndex];
        return interpolate(gettext("%(label)s<br>2030年减排 %(reduction)s 万吨<br>达峰概率 %(points)s 个百分点"),
          { label: e.label, reduction: fixed(e.reduction, 1), points: (e.delta_p * 100).toFixed(1) }, true);
      } },
      grid: { left: 170, right: 40, top: 40, bottom: 30 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: levers.map(function (e) { return e.label; }), axisLabel: { width: 160, overflow: "truncate" } },
      series: [{ type: "bar", data: levers.map(function (e) {
        return { value: Number(fixed(e.reduction, 1)), itemStyle: { color: e.reduction >= 0 ? "#2f8f5f" : "#c0392b" } };
      }), label: { show: true, position: "right" } }]
    });

    var names = Object.keys(p.sectors);
    var series = names.map(function (name, i) {
      return { name: name, type: "bar", stack: "direct", data: p.sectors[name].map(function (v) { return Number(fixed(v, 1)); }), color: palette[i % palette.length] };
    });
    series.push({ name: gettext("电力调入调出"), type: "line", data: p.electricity.map(function (v) { return Number(fixed(v, 1)); }), color: "#34495e", symbolSize: 6 });
    draw("chart-sectors", {
      title: { text: gettext("排放构成（中位数，万吨）"), left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "plain", left: "center", width: "94%" },  // every entry shown, none paged
      grid: { left: 55, right: 15, top: 40, bottom: 40 + 22 * Math.ceil(series.length / 3) },
      xAxis: { type: "category", data: p.projected_years },
      yAxis: { type: "value" },
      series: series
    });
  }

  var c = data("compare-chart-data");
  if (c) {
    var lines = [{ name: gettext("核算值"), type: "line", data: c.history, color: "#0b5d3b", symbolSize: 7, lineStyle: { width: 2 } }];
    c.scenarios.forEach(function (s, i) {
      lines.push({ name: s.name, type: "line", data: s.p50, symbol: "none", lineStyle: { type: "dashed", width: 2 },
                   color: palette[(i + 1) % palette.length], markLine: i === 0 ? deadline : undefined });
    });
    draw("chart-compare", {
      title: { text: gettext("各情景二氧化碳排放中位数（万吨）"), left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 50 },
      xAxis: { type: "category", data: c.years, boundaryGap: false },
      yAxis: { type: "value", scale: true },
      series: lines
    });
  }
})();
