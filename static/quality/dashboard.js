// Charts of the quality dashboard (Chart.js 4, served from our static files). Every chart has the
// same figures in a table right below it; colours come from the Okabe–Ito colour-blind-safe palette.
(function () {
  "use strict";
  var source = document.getElementById("quality-chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var blue = "#0072B2", orange = "#E69F00", green = "#009E73", vermilion = "#D55E00", grey = "#999999";

  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new window.Chart(canvas, config); }
  }

  chart("chart-groups", {
    type: "bar",
    data: {
      labels: data.groups.map(function (g) { return g.label; }),
      datasets: [
        { label: "Kỳ này", data: data.groups.map(function (g) { return g.score; }), backgroundColor: blue },
        { label: "Kỳ trước", data: data.groups.map(function (g) { return g.previous; }), backgroundColor: orange },
        { label: "Điểm tối đa", data: data.groups.map(function (g) { return g.points; }), backgroundColor: grey }
      ]
    },
    options: { animation: false, scales: { y: { beginAtZero: true } } }
  });
  chart("chart-channels", {
    type: "bar",
    data: {
      labels: data.channels.map(function (c) { return c.label; }),
      datasets: [{ label: "Hồ sơ", data: data.channels.map(function (c) { return c.value; }),
                   backgroundColor: [blue, orange, green] }]
    },
    options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
  });
  chart("chart-timeliness", {
    type: "bar",
    data: {
      labels: data.timeliness.map(function (c) { return c.label; }),
      datasets: [{ label: "Hồ sơ", data: data.timeliness.map(function (c) { return c.value; }),
                   backgroundColor: [green, vermilion] }]
    },
    options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
  });
})();
