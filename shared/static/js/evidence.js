// Draws the evidence pages' charts with the shipped Chart.js. Each chart's numbers come from a JSON
// block beside its canvas and are also in the table that follows it, for screen readers and print.
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var BRAND = "#1d3f72", ACCENT = "#b8860b", MUTED = "#8a94a3";
  Chart.defaults.font.family = "Sarabun, 'Noto Sans Thai', sans-serif";
  Chart.defaults.font.size = 13;
  var number = new Intl.NumberFormat("th-TH", { maximumFractionDigits: 0 });

  function axis(title) {
    return { beginAtZero: true, ticks: { callback: function (v) { return number.format(v); } },
             title: { display: true, text: title } };
  }

  var builders = {
    bar: function (data) {
      return { type: "bar", data: { labels: data.labels, datasets: [{ label: "ชั่วโมงต่อปี", data: data.values,
        backgroundColor: data.values.map(function (_, i) { return i === data.values.length - 1 ? ACCENT : BRAND; }) }] },
        options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: axis("ชั่วโมงต่อปี") } } };
    },
    districts: function (data) {
      var median = data.labels.map(function () { return data.median; });
      return { type: "bar", data: { labels: data.labels, datasets: [
        { type: "line", label: "มัธยฐาน", data: median, borderColor: ACCENT, borderDash: [6, 4], pointRadius: 0 },
        { label: "ชั่วโมงต่อปี", data: data.values, backgroundColor: BRAND }] },
        options: { plugins: { legend: { position: "bottom" } }, scales: { y: axis("ชั่วโมงต่อปี") } } };
    },
    histogram: function (data) {
      return { type: "bar", data: { labels: data.labels, datasets: [{ label: "จำนวนอำเภอ", data: data.values,
        backgroundColor: BRAND, barPercentage: 1, categoryPercentage: 0.95 }] },
        options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: "จำนวนอำเภอ" } },
          x: { title: { display: true, text: "ชั่วโมงต่อปีต่ออำเภอ" } } } } };
    },
    compare: function (data) {
      var colours = [MUTED, BRAND];
      return { type: "bar", data: { labels: data.labels, datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.values, backgroundColor: colours[i % 2] }; }) },
        options: { plugins: { legend: { position: "bottom" } }, scales: { y: axis("ชั่วโมงต่อปี") } } };
    }
  };

  document.querySelectorAll("script[data-chart]").forEach(function (block) {
    var canvas = document.getElementById(block.dataset.canvas);
    var build = builders[block.dataset.chart];
    if (!canvas || !build) { return; }
    var config = build(JSON.parse(block.textContent));
    config.options.maintainAspectRatio = false;
    config.options.animation = false;
    new Chart(canvas, config);
  });
})();
