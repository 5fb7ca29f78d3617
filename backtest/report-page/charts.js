// The backtest report's charts, drawn with uPlot (inlined into report.html). The data is the
// REPORT_DATA object the report embeds; nothing is fetched.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const COLORS = ['#1f6feb', '#d4490f', '#1a7f37', '#8250df', '#bf8700', '#57606a', '#cf222e'];
  const color = (i) => COLORS[i % COLORS.length];
  const width = () => Math.max(600, document.body.clientWidth - 40);

  // Demand and every policy's ready capacity on one time axis; drag to zoom, double-click to reset.
  // Below zero, one lane per policy marks the stretches with fewer units ready than demanded.
  const LANES_SHARE = 0.12;
  function capacityChart(el) {
    const t = data.capacity.times;
    const series = [
      {},
      { label: 'demand (units needed)', stroke: '#000', width: 1.5, value: (u, v) => (v == null ? '-' : v.toFixed(1)) },
      ...data.capacity.policies.map((p, i) => ({ label: `${p.name} ready`, stroke: color(i), width: 1 })),
    ];
    const shortLanes = (u) => {
      const ctx = u.ctx;
      const zero = u.valToPos(0, 'y', true);
      const lane = (u.bbox.top + u.bbox.height - zero) / data.capacity.policies.length;
      data.capacity.policies.forEach((p, i) => {
        if (!u.series[i + 2].show) return;
        ctx.fillStyle = color(i);
        for (const [from, to] of p.short) {
          const x0 = Math.max(u.valToPos(from, 'x', true), u.bbox.left);
          const x1 = Math.min(Math.max(u.valToPos(to, 'x', true), x0 + 1), u.bbox.left + u.bbox.width);
          if (x1 > x0) ctx.fillRect(x0, zero + i * lane + 1, x1 - x0, Math.max(1, lane - 2));
        }
      });
    };
    return new uPlot(
      {
        title: 'Demand and ready capacity (drag to zoom, double-click to reset; the lanes below mark under-provisioned stretches)',
        width: width(),
        height: 420,
        series,
        axes: [{}, { label: 'units', filter: (u, splits) => splits.map((v) => (v < 0 ? null : v)) }],
        scales: { x: { time: true }, y: { range: (u, min, max) => [-LANES_SHARE * max, max * 1.05] } },
        // Traces are in UTC, and so is the axis, whatever the reader's time zone.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
        hooks: { draw: [shortLanes] },
      },
      [t, data.capacity.demand, ...data.capacity.policies.map((p) => p.ready)],
      el,
    );
  }

  // Cost against τU for every policy at every headroom of the sweep, joined per policy; the default
  // setting (headroom 0) is ringed, and the oracle's cost is the dashed reference.
  function frontierChart(el) {
    const f = data.frontier;
    const xs = [...new Set([...f.points.map((p) => p.underTimeShare), ...(f.yardstick == null ? [] : [f.yardstick.underTimeShare])])].sort((a, b) => a - b);
    const at = (points) => xs.map((x) => points.find((p) => p.underTimeShare === x)?.unitHours ?? null);
    const policies = [...new Set(f.points.map((p) => p.policy))];
    const series = [
      { label: 'τU %' },
      ...policies.map((name, i) => ({ label: name, stroke: color(i), width: 1.5, spanGaps: true, points: { show: true, size: 7, fill: color(i) } })),
      { label: 'default setting (headroom 0)', stroke: 'transparent', points: { show: true, size: 16, width: 2, stroke: '#000', fill: 'transparent' } },
      ...(f.oracleUnitHours == null ? [] : [{ label: 'oracle (cost floor)', stroke: '#57606a', dash: [6, 4], width: 1, points: { show: false } }]),
      ...(f.yardstick == null ? [] : [{ label: "yardstick at ours' τU (clairvoyant level+spread)", stroke: 'transparent', points: { show: true, size: 12, width: 2, stroke: '#cf222e', fill: '#fff' } }]),
    ];
    const rows = [
      xs,
      ...policies.map((name) => at(f.points.filter((p) => p.policy === name))),
      at(f.points.filter((p) => p.headroom === 0)),
      ...(f.oracleUnitHours == null ? [] : [xs.map(() => f.oracleUnitHours)]),
      ...(f.yardstick == null ? [] : [xs.map((x) => (x === f.yardstick.underTimeShare ? f.yardstick.unitHours : null))]),
    ];
    return new uPlot(
      {
        title: 'Cost against under-provisioning, per headroom (--sweep); lower-left is better',
        width: width(),
        height: 420,
        series,
        // asinh: logarithmic above 0.01%, and 0% still on the axis.
        scales: { x: { time: false, distr: 4, asinh: 0.01, range: (u, min, max) => [0, Math.max(max * 1.5, 0.1)] }, y: { range: (u, min, max) => [0, max * 1.05] } },
        axes: [{ label: 'τU: % of time under-provisioned (log scale)', values: (u, vals) => vals.map((v) => (v == null || v < 0 ? "" : `${+v.toPrecision(2)}%`)) }, { label: 'unit-hours', size: 70 }],
        cursor: { drag: { x: true, y: true } },
      },
      rows,
      el,
    );
  }

  const charts = [capacityChart(document.getElementById('capacity-chart'))];
  const frontierEl = document.getElementById('frontier-chart');
  if (frontierEl) charts.push(frontierChart(frontierEl));
  window.addEventListener('resize', () => charts.forEach((c) => c.setSize({ width: width(), height: 420 })));
  window.reportCharts = charts;
})();
