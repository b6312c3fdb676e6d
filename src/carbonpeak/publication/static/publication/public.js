// The public release page's chart: how many targets stand at each grade (data from the page itself).
(function () {
  var gettext = window.gettext || function (text) { return text; };  // the language catalogue (/jsi18n/)
  var interpolate = window.interpolate || function (fmt, obj) { return fmt.replace(/%\(\w+\)s/g, function (m) { return obj[m.slice(2, -2)]; }); };
  var holder = document.getElementById("grades-chart");
  var data = document.getElementById("public-chart-data");
  if (!holder || !data || typeof echarts === "undefined") { return; }
  var grades = JSON.parse(data.textContent).grades || {};
  var colours = { "基本顺利": "#2f8f5f", "比较严峻": "#e0a800", "十分严峻": "#c0392b" };  // the release keeps the grades' own names
  var names = Object.keys(grades);
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    title: { text: gettext("目标评估等级"), left: "center", textStyle: { fontSize: 13 } },
    tooltip: { trigger: "item" },
    series: [{
      type: "pie", radius: ["35%", "65%"], top: 20,
      label: { formatter: gettext("{b}\n{c}个") },
      data: names.map(function (n) { return { name: n, value: grades[n], itemStyle: { color: colours[n] || "#adb5bd" } }; })
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
