/* The dashboard's charts (Chart.js, vendored): the series come from the page's JSON
   (json_script "dashboard-chart"), amounts in fen, drawn at once (no animation). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-chart");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);

  // ¥1,234.50 from an integer number of fen: integer arithmetic, as on the server.
  function yuan(fen) {
    var value = Math.round(fen);
    var sign = value < 0 ? "-" : "";
    value = Math.abs(value);
    var whole = Math.floor(value / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = (value % 100).toString().padStart(2, "0");
    return sign + "¥" + whole + "." + cents;
  }

  var styles = getComputedStyle(document.documentElement);
  var text = styles.getPropertyValue("--body-quiet-color").trim() || "#666";
  var grid = styles.getPropertyValue("--hairline-color").trim() || "#e8e8e8";
  Chart.defaults.font.family = styles.getPropertyValue("--font-family-primary");
  Chart.defaults.color = text;
  Chart.defaults.borderColor = grid;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  var gmv = new Chart(document.getElementById("chart-gmv"), {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: data.names.gmv,
          data: data.gmv_fen,
          backgroundColor: "rgb(22, 119, 255)",
          borderRadius: 3,
          maxBarThickness: 28
        }
      ]
    },
    options: {
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (item) { return item.dataset.label + " " + yuan(item.raw); } } }
      },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
        y: { beginAtZero: true, ticks: { callback: function (value) { return yuan(value); } } }
      }
    }
  });

  var series = [
    ["paid_orders", "rgb(250, 140, 22)"],
    ["participants", "rgb(19, 168, 168)"],
    ["new_stores", "rgb(114, 46, 209)"],
    ["refunds", "rgb(245, 34, 45)"]
  ];
  var activity = new Chart(document.getElementById("chart-activity"), {
    type: "line",
    data: {
      labels: data.labels,
      datasets: series.map(function (entry) {
        return {
          label: data.names[entry[0]],
          data: data[entry[0]],
          borderColor: entry[1],
          backgroundColor: entry[1],
          borderWidth: 2,
          pointRadius: 2,
          tension: 0.25
        };
      })
    },
    options: {
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12, boxHeight: 12 } } },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
        y: { beginAtZero: true, ticks: { precision: 0 } }
      }
    }
  });

  document.getElementById("dashboard").dataset.charts = [gmv, activity].length + " drawn";
})();
