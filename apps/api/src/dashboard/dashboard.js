// The dashboard: fetches /admin/api/dashboard (same origin, the login cookie) and draws it.
(function () {
  'use strict';
  const C = window.TfCharts;
  const TIER_COLORS = { memory: '#4fb3ff', disk: '#8bd17c', redis: '#ff8a65', mongo: '#ba8cff' };
  const PALETTE = ['#4fb3ff', '#8bd17c', '#ffb84d', '#ff8a65', '#ba8cff', '#5ed6c8', '#f07fb0', '#c0c86a'];
  const $ = (id) => document.getElementById(id);
  const pct = (v) => (v === undefined || v === null ? '–' : (v * 100).toFixed(1) + ' %');
  const ms = (v) =>
    v === undefined || v === null ? '–' : v >= 1000 ? (v / 1000).toFixed(2) + ' s' : v.toFixed(v < 10 ? 2 : 0) + ' ms';
  let timer;

  function tile(label, value, sub) {
    const d = document.createElement('div');
    d.className = 'tile';
    const b = document.createElement('b');
    b.textContent = value;
    const s = document.createElement('span');
    s.textContent = label + (sub ? ' · ' + sub : '');
    d.append(b, s);
    return d;
  }

  function recentRate(series) {
    const last = series.slice(-5);
    const n = last.reduce((a, p) => a + Object.values(p.hits).reduce((x, y) => x + y, 0) + p.misses, 0);
    return last.length ? n / last.length : 0;
  }

  function render(data) {
    const t = data.totals;
    const series = data.series;
    const requests = t.requests;

    const tiles = $('tiles');
    tiles.textContent = '';
    tiles.append(
      tile('hit rate', pct(t.hitRate), `${requests} requests`),
      tile('cached p50', ms(t.cachedP50), `p95 ${ms(t.cachedP95)}`),
      tile('cold p50', ms(t.coldP50), `p95 ${ms(t.coldP95)}`),
      tile('throughput', recentRate(series).toFixed(1) + ' req/min', 'last 5 min'),
      tile('failure rate', pct(t.failureRate), `${t.jobsFailed} of ${t.jobsOk + t.jobsFailed} jobs`),
      tile('queue waiting', String(series.findLast((p) => p.waiting !== undefined)?.waiting ?? '–'), 'latest sample'),
    );

    const alerts = $('alerts');
    alerts.textContent = '';
    for (const a of data.alerts) {
      const d = document.createElement('div');
      d.className = 'alert ' + a.severity;
      d.setAttribute('data-alert', a.id);
      const b = document.createElement('b');
      b.textContent = a.id;
      const small = document.createElement('small');
      small.textContent = `since ${new Date(a.since).toLocaleTimeString()} · trace ${a.traceId.slice(0, 12)}`;
      d.append(b, document.createTextNode(' ' + a.summary), small);
      alerts.appendChild(d);
    }

    const pts = (key) => series.map((p) => [p.t, p[key]]);
    C.line(
      $('chart-latency'),
      [
        { name: 'cold p95', color: '#ff8a65', points: pts('coldP95') },
        { name: 'cold p50', color: '#ffb84d', points: pts('coldP50'), dash: '4 3' },
        { name: 'cached p95', color: '#4fb3ff', points: pts('cachedP95') },
        { name: 'cached p50', color: '#8bd17c', points: pts('cachedP50'), dash: '4 3' },
      ],
      { log: true },
    );

    const tiers = data.tiers.length ? data.tiers : ['memory'];
    C.stacked(
      $('chart-hits'),
      series.map((p) => ({ t: p.t, values: { ...p.hits, miss: p.misses } })),
      [
        ...tiers.map((tier, i) => ({
          key: tier,
          name: 'hit ' + tier,
          color: TIER_COLORS[tier] || PALETTE[i % PALETTE.length],
        })),
        { key: 'miss', name: 'miss', color: '#6b7785' },
      ],
    );

    C.line($('chart-throughput'), [
      {
        name: 'requests/min',
        color: '#4fb3ff',
        points: series.map((p) => [p.t, Object.values(p.hits).reduce((a, b) => a + b, 0) + p.misses]),
      },
      { name: 'jobs/min', color: '#8bd17c', points: series.map((p) => [p.t, p.jobsOk + p.jobsFailed]) },
    ]);
    C.line($('chart-queue'), [
      { name: 'waiting', color: '#ffb84d', points: pts('waiting') },
      { name: 'active', color: '#4fb3ff', points: pts('active') },
    ]);
    C.line(
      $('chart-failures'),
      [
        {
          name: 'failed %',
          color: '#ff6b6b',
          points: series.map((p) => [p.t, p.failureRate === undefined ? undefined : p.failureRate * 100]),
        },
      ],
      { min: 0 },
    );

    const hitTotal = Object.values(t.hits).reduce((a, b) => a + b, 0) + t.misses;
    C.bars(
      $('chart-tiers'),
      [
        ...Object.entries(t.hits)
          .sort((a, b) => b[1] - a[1])
          .map(([tier, n], i) => ({
            label: 'hit ' + tier,
            value: n,
            color: TIER_COLORS[tier] || PALETTE[i],
            note: pct(n / hitTotal),
          })),
        ...(t.misses ? [{ label: 'miss', value: t.misses, color: '#6b7785', note: pct(t.misses / hitTotal) }] : []),
      ],
      { labelWidth: 90 },
    );

    C.bars(
      $('chart-types'),
      Object.entries(data.logoTypes)
        .sort((a, b) => b[1] - a[1])
        .map(([type, n], i) => ({ label: type, value: n, color: PALETTE[i % PALETTE.length] })),
      { labelWidth: 90 },
    );

    C.bars(
      $('chart-images'),
      data.topImages.slice(0, 8).map((img, i) => ({
        label: img.imageHash.slice(0, 12) + '…',
        value: img.requests,
        note: img.logoType || '',
        color: PALETTE[i % PALETTE.length],
      })),
      { labelWidth: 110 },
    );

    $('foot').textContent =
      `Updated ${new Date(data.generatedAt).toLocaleTimeString()} · shared by every API instance (Redis time buckets) · circuits reported: ${data.circuits.length} (${data.circuits.filter((c) => c.state !== 'closed').length} not closed)`;
    document.body.setAttribute('data-ready', '1');
  }

  async function load() {
    clearTimeout(timer);
    try {
      const res = await fetch('/admin/api/dashboard?minutes=' + encodeURIComponent($('range').value), {
        credentials: 'same-origin',
      });
      if (res.status === 401) {
        location.href = '/admin/login';
        return;
      }
      if (!res.ok) throw new Error('HTTP ' + res.status);
      render(await res.json());
    } catch (err) {
      $('foot').textContent = 'Could not load data: ' + err.message;
    }
    timer = setTimeout(load, 10000);
  }

  $('range').addEventListener('change', load);
  load();
})();
