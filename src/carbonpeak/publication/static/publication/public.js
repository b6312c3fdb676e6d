// The public release page's chart: how many targets stand at each grade (data from the page itself).
(function () {
  var gettext = window.gettext || function (text) { return text; };  // the language catalogue (/jsi18n/)
  var interpolate = window.interpolate || function (fmt, obj) { return fmt.replace(/%\(\w+\)s/g, function (m) { return obj[m.slice(2, -2)]; }); };
  var holder = document.getElementById("grades-chart");
  var data = document.getElementById("public-chart-data");
  if (!holder || !data || typeof echarts === "undefined") { return; }
  var grades = JSON.parse(data.textContent).grades || [];  // each grade's name (in the release's language), colour and count
  var colours = { green: "#2f8f5f", yellow: "#e0a800", red: "#c0392b" };
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    title: { text: gettext("目标评估等级"), left: "center", textStyle: { fontSize: 13 } },
    tooltip: { trigger: "item" },
    series: [{
      type: "pie", radius: ["35%", "65%"], top: 20,
      label: { formatter: gettext("{b}\n{c}个") },
      data: grades.map(function (g) { return { name: g.name, value: g.count, itemStyle: { color: colours[g.level] || "#adb5bd" } }; })
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
