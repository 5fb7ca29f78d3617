// The live dashboard: samples and decisions arrive as server-sent events and are drawn as they come.
(function () {
  'use strict';
  const columns = [[], [], [], [], [], []]; // time, connections, forecast, upper band, desired, ready
  const rows = document.getElementById('rows');
  const time = (at) => new Date(at * 1000).toISOString().slice(11, 19);
  let decisions = 0;

  const chart = new uPlot(
    {
      title: 'Open connections (left) and capacity in nodes (right)',
      width: Math.max(600, document.body.clientWidth - 20),
      height: 380,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
      scales: { x: { time: true }, nodes: { range: (u, min, max) => [0, Math.max(2, max + 1)] } },
      series: [
        {},
        { label: 'connections', stroke: '#d4490f', width: 1.5 },
        { label: 'forecast', stroke: '#8250df', dash: [6, 4], width: 1 },
        { label: 'forecast upper band', stroke: '#c297ff', dash: [2, 3], width: 1 },
        { label: 'desired nodes', stroke: '#57606a', width: 1.5, scale: 'nodes', paths: uPlot.paths.stepped({ align: 1 }) },
        { label: 'ready nodes', stroke: '#1f6feb', width: 2, scale: 'nodes', paths: uPlot.paths.stepped({ align: 1 }) },
      ],
      axes: [{}, { label: 'connections' }, { label: 'nodes', scale: 'nodes', side: 1, grid: { show: false }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }],
    },
    columns,
    document.getElementById('chart'),
  );
  window.dashboardChart = chart;

  function addSample(s) {
    columns[0].push(s.at);
    columns[1].push(s.connections);
    columns[2].push(s.forecast);
    columns[3].push(s.upper);
    columns[4].push(s.desired);
    columns[5].push(s.ready);
  }
  function addDecision(d) {
    const tr = document.createElement('tr');
    tr.dataset.reason = d.reason;
    const cells = [time(d.at), `${d.current} → ${d.desired}`, d.reason, d.message];
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (i === 1) td.className = 'n';
      if (i === 2) td.className = 'reason';
      tr.appendChild(td);
    });
    rows.insertBefore(tr, rows.firstChild);
    document.getElementById('count').textContent = String(++decisions);
  }

  const events = new EventSource('/events');
  events.addEventListener('info', (e) => {
    const info = JSON.parse(e.data);
    document.getElementById('info').textContent = Object.entries(info).map(([k, v]) => `${k}: ${v}`).join(' · ');
  });
  const warn = (message) => {
    const box = document.getElementById('warning');
    const line = `Warning: ${message}`;
    if (box.textContent.split('\n').includes(line)) return;
    box.textContent = box.textContent === '' ? line : `${box.textContent}\n${line}`;
    box.hidden = false;
  };
  events.addEventListener('history', (e) => {
    const { samples, decisions: past, warnings } = JSON.parse(e.data);
    samples.forEach(addSample);
    past.forEach(addDecision);
    warnings.forEach(warn);
    chart.setData(columns);
    document.getElementById('status').textContent = 'live';
  });
  events.addEventListener('sample', (e) => {
    addSample(JSON.parse(e.data));
    chart.setData(columns);
  });
  events.addEventListener('decision', (e) => addDecision(JSON.parse(e.data)));
  events.addEventListener('warning', (e) => warn(JSON.parse(e.data).message));
  events.addEventListener('finished', (e) => {
    document.getElementById('status').textContent = 'finished';
    const { warning } = JSON.parse(e.data);
    if (warning !== undefined) warn(warning);
    events.close();
  });
  events.onerror = () => {
    if (document.getElementById('status').textContent !== 'finished') document.getElementById('status').textContent = 'disconnected';
  };
  window.addEventListener('resize', () => chart.setSize({ width: Math.max(600, document.body.clientWidth - 20), height: 380 }));
})();
