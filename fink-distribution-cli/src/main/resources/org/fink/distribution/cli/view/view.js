/* bin/fink view: the live page (server-sent events, rate chart, pause) and the light curves (Chart.js). */
(function () {
  'use strict';
  var BAND_COLOURS = { u: '#7b3fbf', g: '#2ca02c', r: '#d62728', i: '#ff7f0e', z: '#8c564b', y: '#555555' };
  var MAX_ROWS = 500;

  /* Vertical error bars with caps, for datasets with errorBars: true and points {x, y, err}. */
  var errorBars = {
    id: 'errorBars',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var yScale = chart.scales.y;
      chart.data.datasets.forEach(function (dataset, i) {
        var meta = chart.getDatasetMeta(i);
        if (!dataset.errorBars || meta.hidden) { return; }
        ctx.save();
        ctx.strokeStyle = dataset.borderColor;
        ctx.lineWidth = 1;
        meta.data.forEach(function (element, j) {
          var point = dataset.data[j];
          if (point.err === null || point.err === undefined) { return; }
          var top = yScale.getPixelForValue(point.y + point.err);
          var bottom = yScale.getPixelForValue(point.y - point.err);
          ctx.beginPath();
          ctx.moveTo(element.x, top); ctx.lineTo(element.x, bottom);
          ctx.moveTo(element.x - 3, top); ctx.lineTo(element.x + 3, top);
          ctx.moveTo(element.x - 3, bottom); ctx.lineTo(element.x + 3, bottom);
          ctx.stroke();
        });
        ctx.restore();
      });
    }
  };

  function colour(band) { return BAND_COLOURS[band] || '#1f77b4'; }

  function drawLightCurve(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    if (!source) { return; }
    var curve = JSON.parse(source.textContent);
    var bands = [];
    curve.points.forEach(function (p) { if (bands.indexOf(p.band) < 0) { bands.push(p.band); } });
    var datasets = [];
    var detections = 0;
    var low = Infinity;
    var high = -Infinity;
    bands.forEach(function (band) {
      var measured = curve.points.filter(function (p) { return p.band === band && !p.upperLimit; });
      var limits = curve.points.filter(function (p) { return p.band === band && p.upperLimit; });
      measured.concat(limits).forEach(function (p) {
        var e = p.error || 0;
        low = Math.min(low, p.value - e);
        high = Math.max(high, p.value + e);
      });
      if (measured.length > 0) {
        detections += measured.length;
        datasets.push({
          label: band, errorBars: true, detections: true, borderColor: colour(band), backgroundColor: colour(band),
          pointRadius: 3.5, showLine: false,
          data: measured.map(function (p) { return { x: p.mjd, y: p.value, err: p.error }; })
        });
      }
      if (limits.length > 0) {
        datasets.push({
          label: band + ' upper limit', borderColor: colour(band), backgroundColor: 'rgba(255,255,255,0)',
          pointStyle: 'triangle', rotation: 180, pointRadius: 5, showLine: false,
          data: limits.map(function (p) { return { x: p.mjd, y: p.value }; })
        });
      }
    });
    var magnitude = curve.quantity === 'mag';
    var pad = isFinite(low) ? Math.max((high - low) * 0.08, magnitude ? 0.1 : 1) : 1;
    var chart = new Chart(canvas, {
      type: 'scatter',
      data: { datasets: datasets },
      plugins: [errorBars],
      options: {
        animation: false, maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'MJD' } },
          y: {
            reverse: magnitude, min: isFinite(low) ? low - pad : undefined, max: isFinite(high) ? high + pad : undefined,
            title: { display: true, text: magnitude ? 'PSF magnitude (upper limits: ▼)' : 'PSF flux [' + curve.unit + ']' }
          }
        },
        plugins: {
          legend: { position: 'right', labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              label: function (item) {
                var p = item.raw;
                return item.dataset.label + ': MJD ' + p.x.toFixed(4) + ', ' + p.y.toFixed(3) +
                  (p.err ? ' ± ' + p.err.toFixed(3) : '');
              }
            }
          }
        }
      }
    });
    canvas.dataset.plottedDetections = String(chart.data.datasets
      .filter(function (d) { return d.detections; })
      .reduce(function (n, d) { return n + d.data.length; }, 0));
    canvas.dataset.ready = 'true';
  }

  function text(value) { return value === undefined || value === null ? '' : String(value); }

  function format(key, value) {
    if (typeof value !== 'number') { return text(value); }
    if (key === 'ra' || key === 'dec') { return value.toFixed(6); }
    if (key === 'mjd') { return value.toFixed(5); }
    if (key === 'mag') { return value.toFixed(3); }
    if (key === 'flux') { return value.toPrecision(5); }
    return String(value);
  }

  function live() {
    var table = document.getElementById('alerts');
    var body = table.tBodies[0];
    var keys = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.dataset.key; }).slice(1);
    var countEl = document.getElementById('count');
    var shownEl = document.getElementById('shown');
    var rateEl = document.getElementById('rate');
    var status = document.getElementById('status');
    var pauseButton = document.getElementById('pause');
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells, 1);
    var seen = {};
    headers.forEach(function (th) { th.hidden = true; });
    var received = 0;
    var shown = 0;
    var lastSeq = 0;
    var paused = false;
    var waiting = [];
    var arrivals = [];

    var rateChart = new Chart(document.getElementById('rate-chart'), {
      type: 'line',
      data: { labels: [], datasets: [{ label: 'alerts/s', data: [], borderColor: '#1f77b4', pointRadius: 0, fill: false }] },
      options: {
        animation: false, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: 'alerts/s' } } },
        plugins: { legend: { display: false } }
      }
    });

    function addRow(alert) {
      var row = body.insertRow(0);
      row.dataset.seq = alert.seq;
      var first = row.insertCell();
      var link = document.createElement('a');
      link.href = '/alert/' + alert.seq;
      link.textContent = alert.seq;
      first.appendChild(link);
      keys.forEach(function (key, i) {
        var cell = row.insertCell();
        cell.textContent = format(key, alert[key]);
        if (alert[key] !== undefined && !seen[key]) { // a field first seen: its column appears
          seen[key] = true;
          headers[i].hidden = false;
          Array.prototype.forEach.call(body.rows, function (r) { r.cells[i + 1].hidden = false; });
        }
        cell.hidden = !seen[key];
      });
      while (body.rows.length > MAX_ROWS) { body.deleteRow(body.rows.length - 1); }
      shown += 1;
      shownEl.textContent = shown;
    }

    pauseButton.addEventListener('click', function () {
      paused = !paused;
      pauseButton.textContent = paused ? 'Resume (' + waiting.length + ')' : 'Pause';
      if (!paused) { waiting.forEach(addRow); waiting = []; }
    });

    var source = new EventSource('/events');
    source.addEventListener('open', function () { status.textContent = 'live'; status.className = 'status open'; });
    source.addEventListener('error', function () { status.textContent = 'reconnecting'; status.className = 'status error'; });
    source.addEventListener('alert', function (event) {
      var alert = JSON.parse(event.data);
      if (alert.seq <= lastSeq) { return; }
      lastSeq = alert.seq;
      received += 1;
      countEl.textContent = received;
      arrivals.push(Date.now());
      if (paused) {
        waiting.push(alert);
        pauseButton.textContent = 'Resume (' + waiting.length + ')';
      } else {
        addRow(alert);
      }
    });

    setInterval(function () {
      var now = Date.now();
      arrivals = arrivals.filter(function (t) { return now - t < 10000; });
      var lastSecond = arrivals.filter(function (t) { return now - t < 1000; }).length;
      rateEl.textContent = (arrivals.length / 10).toFixed(1);
      var labels = rateChart.data.labels;
      labels.push(new Date(now).toISOString().substring(11, 19));
      rateChart.data.datasets[0].data.push(lastSecond);
      if (labels.length > 300) { labels.shift(); rateChart.data.datasets[0].data.shift(); }
      rateChart.update('none');
    }, 1000);
  }

  document.querySelectorAll('canvas.lightcurve').forEach(drawLightCurve);
  if (document.body.dataset.page === 'live') { live(); }
})();
