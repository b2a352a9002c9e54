// Small SVG charts for the dashboard: no build step, no dependencies.
(function () {
  'use strict';
  const NS = 'http://www.w3.org/2000/svg';
  let W = 600,
    H = 200;
  const PAD = { l: 44, r: 8, t: 8, b: 22 };

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (parent) parent.appendChild(e);
    return e;
  }
  function svg(container) {
    container.textContent = '';
    // Drawn at the container's pixel size, so text and lines are never stretched.
    W = Math.max(200, container.clientWidth || 600);
    H = Math.max(120, (container.clientHeight || 220) - 22);
    const s = el('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img' });
    container.appendChild(s);
    return s;
  }
  function legend(container, items) {
    const div = document.createElement('div');
    div.className = 'legend';
    for (const it of items) {
      const span = document.createElement('span');
      const i = document.createElement('i');
      i.style.background = it.color;
      span.appendChild(i);
      span.appendChild(document.createTextNode(it.name));
      div.appendChild(span);
    }
    container.appendChild(div);
  }
  function empty(s, msg) {
    el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' }, s).textContent = msg || 'no data yet';
  }
  const fmt = (v) =>
    v >= 1000 ? (v / 1000).toFixed(v >= 10000 ? 0 : 1) + 'k' : v >= 10 ? Math.round(v) : +v.toFixed(2);
  const clock = (t) => new Date(t).toTimeString().slice(0, 5);

  function axes(s, x0, x1, yTicks, yPos) {
    for (const v of yTicks) {
      const y = yPos(v);
      el('line', { x1: PAD.l, x2: W - PAD.r, y1: y, y2: y, class: 'gridline' }, s);
      el('text', { x: PAD.l - 4, y: y + 3, 'text-anchor': 'end' }, s).textContent = fmt(v);
    }
    const n = 5;
    for (let i = 0; i <= n; i++) {
      const t = x0 + ((x1 - x0) * i) / n;
      el(
        'text',
        {
          x: PAD.l + ((W - PAD.l - PAD.r) * i) / n,
          y: H - 6,
          'text-anchor': i === 0 ? 'start' : i === n ? 'end' : 'middle',
        },
        s,
      ).textContent = clock(t);
    }
  }

  /** series: [{name, color, points: [[t, v|undefined], ...]}]; opts: {log, min, max, dash} */
  function line(container, series, opts) {
    opts = opts || {};
    const s = svg(container);
    const all = series.flatMap((x) => x.points.filter((p) => p[1] !== undefined && p[1] !== null));
    const ts = series.flatMap((x) => x.points.map((p) => p[0]));
    if (!all.length) {
      empty(s);
      legend(container, series);
      return;
    }
    const x0 = Math.min(...ts),
      x1 = Math.max(...ts, x0 + 60000);
    const log = !!opts.log;
    let lo = opts.min !== undefined ? opts.min : log ? Math.min(...all.map((p) => p[1])) : 0;
    let hi = opts.max !== undefined ? opts.max : Math.max(...all.map((p) => p[1]));
    if (log) {
      lo = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 0.01))));
      hi = Math.pow(10, Math.ceil(Math.log10(Math.max(hi, lo * 10))));
    } else if (hi <= lo) hi = lo + 1;
    const f = (v) => (log ? Math.log10(Math.max(v, lo)) : v);
    const yPos = (v) => H - PAD.b - ((f(v) - f(lo)) / (f(hi) - f(lo))) * (H - PAD.t - PAD.b);
    const xPos = (t) => PAD.l + ((t - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
    const ticks = [];
    if (log) for (let v = lo; v <= hi * 1.0001; v *= 10) ticks.push(v);
    else for (let i = 0; i <= 4; i++) ticks.push(lo + ((hi - lo) * i) / 4);
    axes(s, x0, x1, ticks, yPos);
    for (const x of series) {
      let d = '';
      let pen = false;
      for (const [t, v] of x.points) {
        if (v === undefined || v === null) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${xPos(t).toFixed(1)},${yPos(v).toFixed(1)}`;
        pen = true;
      }
      if (d)
        el(
          'path',
          {
            d,
            fill: 'none',
            stroke: x.color,
            'stroke-width': 1.8,
            'stroke-dasharray': x.dash || '',
            'vector-effect': 'non-scaling-stroke',
            'data-series': x.name,
          },
          s,
        );
      // Isolated minutes would be invisible as a path: mark every point.
      for (const [t, v] of x.points)
        if (v !== undefined && v !== null) el('circle', { cx: xPos(t), cy: yPos(v), r: 1.6, fill: x.color }, s);
    }
    legend(container, series);
  }

  /** rows: [{t, values: {key: n}}], keys: [{key, name, color}] */
  function stacked(container, rows, keys) {
    const s = svg(container);
    const totals = rows.map((r) => keys.reduce((a, k) => a + (r.values[k.key] || 0), 0));
    const hi = Math.max(0, ...totals);
    if (!hi) {
      empty(s);
      legend(container, keys);
      return;
    }
    const x0 = rows[0].t,
      x1 = rows[rows.length - 1].t + 60000;
    const yPos = (v) => H - PAD.b - (v / hi) * (H - PAD.t - PAD.b);
    axes(s, x0, x1, [0, hi / 2, hi], yPos);
    const bw = (W - PAD.l - PAD.r) / rows.length;
    rows.forEach((r, i) => {
      let acc = 0;
      for (const k of keys) {
        const v = r.values[k.key] || 0;
        if (!v) continue;
        el(
          'rect',
          {
            x: PAD.l + i * bw,
            y: yPos(acc + v),
            width: Math.max(1, bw - 0.5),
            height: yPos(acc) - yPos(acc + v),
            fill: k.color,
            'data-series': k.name,
          },
          s,
        );
        acc += v;
      }
    });
    legend(container, keys);
  }

  /** items: [{label, value, color, note}] horizontal bars */
  function bars(container, items, opts) {
    opts = opts || {};
    const s = svg(container);
    if (!items.length) {
      empty(s);
      return;
    }
    const hi = Math.max(...items.map((i) => i.value));
    const labelW = opts.labelWidth || 150;
    const rowH = Math.min(28, (H - 4) / items.length);
    items.forEach((it, i) => {
      const y = 2 + i * rowH;
      const w = hi ? ((W - labelW - 60) * it.value) / hi : 0;
      el('text', { x: labelW - 6, y: y + rowH * 0.65, 'text-anchor': 'end' }, s).textContent = it.label;
      el(
        'rect',
        {
          x: labelW,
          y: y + rowH * 0.15,
          width: Math.max(1, w),
          height: rowH * 0.7,
          rx: 2,
          fill: it.color || '#4fb3ff',
          'data-series': it.label,
        },
        s,
      );
      el('text', { x: labelW + w + 6, y: y + rowH * 0.65 }, s).textContent =
        fmt(it.value) + (it.note ? '  ' + it.note : '');
    });
  }

  window.TfCharts = { line, stacked, bars };
})();
