// The playground: a plain ES module, no build step. The option controls are generated from the API's
// own OpenAPI document, so every option the API accepts (and its bounds) appears here without a
// second definition. SVGs are only ever shown as images (blob URLs in <img>), never inserted as markup.

/** Query parameters of POST /v1/convert that are not settings of the picture. */
const NOT_SETTINGS = new Set(['wait', 'format', 'size', 'dxfUnits', 'dpi']);
const EXTENSIONS = { svg: 'svg', pdf: 'pdf', eps: 'eps', dxf: 'dxf', png: 'png' };
const DEBOUNCE_MS = 350;

const $ = (id) => document.getElementById(id);
const state = {
  params: [], // settings: [{name, schema, description}]
  formats: ['svg'],
  hasSize: false,
  apiKeyRequired: false,
  current: undefined, // {file, url (input blob URL), name}
  result: undefined, // {svg, svgUrl, jobId, headers}
  inflight: undefined, // AbortController of the running conversion
  timer: undefined,
  zoom: { scale: 1, x: 0, y: 0 },
};

// ---------- API access ----------

function authHeaders() {
  const key = sessionStorage.getItem('tracefleet.apiKey');
  return key ? { 'x-api-key': key } : {};
}

async function apiError(res) {
  try {
    const body = await res.json();
    if (body?.error?.message) return `${body.error.message} (${body.error.code}, HTTP ${res.status})`;
  } catch {
    /* not JSON */
  }
  return `HTTP ${res.status} ${res.statusText}`;
}

function settingsQuery() {
  const q = new URLSearchParams();
  for (const p of state.params) {
    const el = $(`opt-${p.name}`);
    const v = el.value.trim();
    if (v !== '' && v !== String(p.schema.default ?? '')) q.set(p.name, v);
  }
  return q;
}

async function loadSpec() {
  const [spec, config] = await Promise.all([
    fetch('/openapi.json').then((r) => r.json()),
    fetch('/playground/config.json').then((r) => r.json()),
  ]);
  const params = spec.paths?.['/v1/convert']?.post?.parameters ?? [];
  for (const p of params) {
    if (p.in !== 'query') continue;
    const schema = p.schema ?? {};
    if (p.name === 'format' && Array.isArray(schema.enum)) state.formats = schema.enum;
    if (p.name === 'size') state.hasSize = schema;
    if (NOT_SETTINGS.has(p.name)) continue;
    state.params.push({ name: p.name, schema, description: p.description ?? schema.description ?? '' });
  }
  state.hasResultRoute = Boolean(spec.paths?.['/v1/jobs/{id}/result']);
  state.apiKeyRequired = Boolean(config.apiKeyRequired);
  if (spec.paths?.['/v1/presets']) {
    const res = await fetch('/v1/presets', { headers: authHeaders() });
    if (res.ok) state.presets = presetMap(await res.json());
  }
}

/** `GET /v1/presets` as {name: options}, whether it lists them as an object or as [{name, options}]. */
function presetMap(body) {
  const list = body?.presets ?? body;
  if (Array.isArray(list)) return Object.fromEntries(list.map((p) => [p.name, p.options ?? {}]));
  return list && typeof list === 'object' ? list : {};
}

// ---------- the form ----------

const LABELS = { colors: 'Colours', minArea: 'Min area (px²)', palette: 'Palette (hex, comma-separated)' };
const labelOf = (name) => LABELS[name] ?? name.charAt(0).toUpperCase() + name.slice(1);

function control(p) {
  const { name, schema } = p;
  const values = schema.enum ?? schema.anyOf?.map((s) => s.const).filter((v) => v !== undefined);
  let el;
  if (values?.length) {
    el = document.createElement('select');
    if (schema.default === undefined) el.append(new Option('default', ''));
    for (const v of values) el.append(new Option(String(v), String(v), false, v === schema.default));
  } else {
    el = document.createElement('input');
    if (schema.type === 'integer' || schema.type === 'number') {
      el.type = 'number';
      if (schema.minimum !== undefined) el.min = String(schema.minimum);
      if (schema.maximum !== undefined) el.max = String(schema.maximum);
      el.step = schema.type === 'integer' ? '1' : 'any';
      el.placeholder = 'auto';
    } else {
      el.type = 'text';
      el.spellcheck = false;
      el.placeholder = name === 'palette' ? 'e.g. 0a66c2,ffffff' : '';
    }
    if (schema.default !== undefined) el.value = String(schema.default);
  }
  el.id = `opt-${name}`;
  el.name = name;
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const label = document.createElement('label');
  label.htmlFor = el.id;
  label.textContent = labelOf(name);
  wrap.append(label, el);
  if (p.description) {
    const hint = document.createElement('small');
    hint.id = `${el.id}-hint`;
    hint.textContent = p.description.replace(/`/g, '');
    el.setAttribute('aria-describedby', hint.id);
    wrap.append(hint);
  }
  return wrap;
}

function buildForm() {
  const box = $('option-fields');
  box.replaceChildren(...state.params.map(control));
  box.addEventListener('input', (e) => {
    if (e.target.name === 'preset') applyPreset(e.target.value);
    scheduleConvert();
  });
  $('options').addEventListener('submit', (e) => {
    e.preventDefault();
    convertCurrent();
  });
  if (state.apiKeyRequired) {
    $('key-row').hidden = false;
    const key = $('api-key');
    key.value = sessionStorage.getItem('tracefleet.apiKey') ?? '';
    key.addEventListener('change', () => {
      sessionStorage.setItem('tracefleet.apiKey', key.value.trim());
      scheduleConvert();
    });
  }
}

/** A preset fills the fields it sets; the user may still change any of them (explicit options win). */
function applyPreset(name) {
  const values = state.presets?.[name];
  if (!values) return;
  for (const [k, v] of Object.entries(values)) {
    const el = $(`opt-${k}`);
    if (el) el.value = String(v);
  }
}

function scheduleConvert() {
  clearTimeout(state.timer);
  if (state.current) state.timer = setTimeout(convertCurrent, DEBOUNCE_MS);
  updateCurl();
}

// ---------- messages ----------

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}
const setStatus = (text) => ($('status').textContent = text);

// ---------- one image ----------

async function pollJob(id, signal) {
  for (;;) {
    const res = await fetch(`/v1/jobs/${encodeURIComponent(id)}`, { headers: authHeaders(), signal });
    if (!res.ok) throw new Error(await apiError(res));
    const job = await res.json();
    if (job.state === 'completed') return job;
    if (job.state === 'failed') throw new Error(`${job.error?.message ?? 'conversion failed'} (${job.error?.code})`);
    setStatus(`Converting… ${Math.round(job.progress ?? 0)}%`);
    await new Promise((r) => setTimeout(r, 400));
  }
}

async function convertCurrent() {
  const cur = state.current;
  if (!cur) return;
  state.inflight?.abort();
  const ctl = new AbortController();
  state.inflight = ctl;
  showError('');
  setStatus(`Converting ${cur.name}…`);
  $('result').setAttribute('aria-busy', 'true');
  const started = performance.now();
  try {
    const q = settingsQuery();
    q.set('wait', '60');
    // The page shows SVG whatever a preset delivers by default (cutter: DXF); downloads offer the rest.
    if (state.formats.length > 1) q.set('format', 'svg');
    const res = await fetch(`/v1/convert?${q}`, {
      method: 'POST',
      headers: { 'content-type': cur.file.type || 'application/octet-stream', ...authHeaders() },
      body: cur.file,
      signal: ctl.signal,
    });
    let svg;
    let jobId = res.headers.get('x-job-id');
    if (res.status === 200) svg = await res.text();
    else if (res.status === 202) {
      const job = await res.json();
      jobId = job.id;
      await pollJob(job.id, ctl.signal);
      const r2 = await fetch(`/v1/jobs/${encodeURIComponent(job.id)}/svg`, {
        headers: authHeaders(),
        signal: ctl.signal,
      });
      if (!r2.ok) throw new Error(await apiError(r2));
      svg = await r2.text();
    } else throw new Error(await apiError(res));
    const ms = performance.now() - started;
    await showResult({ svg, jobId, headers: res.headers, ms });
    setStatus(`Done: ${cur.name} in ${Math.round(ms)} ms (${res.headers.get('x-cache') ?? 'miss'}).`);
  } catch (err) {
    if (err.name === 'AbortError') return;
    showError(err.message);
    setStatus('Conversion failed.');
  } finally {
    if (state.inflight === ctl) $('result').removeAttribute('aria-busy');
  }
}

function svgFacts(svg) {
  // DOMParser builds an inert document: nothing in it runs or loads.
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const colours = new Set();
  for (const el of doc.querySelectorAll('[fill], [stop-color]')) {
    for (const attr of ['fill', 'stop-color']) {
      const v = el.getAttribute(attr);
      if (v && v !== 'none' && !v.startsWith('url(')) colours.add(v.toLowerCase());
    }
  }
  return { colours: [...colours], paths: doc.querySelectorAll('path').length };
}

async function showResult({ svg, jobId, headers, ms }) {
  if (state.result?.svgUrl) URL.revokeObjectURL(state.result.svgUrl);
  const svgUrl = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  state.result = { svg, svgUrl, jobId };
  const img = new Image();
  img.alt = `SVG result of ${state.current.name}`;
  img.className = 'zoomable';
  img.id = 'result-img';
  img.src = svgUrl;
  await img.decode().catch(() => undefined);
  $('result').replaceChildren(img);
  $('overlay-result').src = svgUrl;
  applyZoom();

  const facts = svgFacts(svg);
  $('stat-ssim').textContent = headers.get('x-quality-ssim') ?? '–';
  $('stat-paths').textContent = String(facts.paths);
  $('stat-bytes').textContent = new Blob([svg]).size.toLocaleString('en');
  $('stat-time').textContent = `${Math.round(ms)} ms`;
  $('stat-cache').textContent = headers.get('x-cache') ?? '–';
  $('stat-job').textContent = jobId ?? '–';
  const swatches = facts.colours.slice(0, 64).map((c) => {
    const s = document.createElement('span');
    s.className = 'swatch';
    s.style.backgroundColor = c;
    s.title = c;
    s.setAttribute('role', 'img');
    s.setAttribute('aria-label', c);
    return s;
  });
  const count = document.createElement('span');
  count.textContent = `${facts.colours.length} `;
  $('stat-colors').replaceChildren(count, ...swatches);
  $('stat-type').textContent = '…';
  buildDownloads();
  updateCurl();
  drawDiff();
  if (jobId) {
    fetch(`/v1/jobs/${encodeURIComponent(jobId)}`, { headers: authHeaders() })
      .then((r) => (r.ok ? r.json() : undefined))
      .then((job) => ($('stat-type').textContent = job?.result?.logoType ?? '–'))
      .catch(() => ($('stat-type').textContent = '–'));
  }
}

// ---------- downloads and curl ----------

const baseName = () => (state.current?.name ?? 'logo').replace(/\.[^.]+$/, '') || 'logo';

function buildDownloads() {
  const links = [];
  for (const format of state.formats) {
    const a = document.createElement('a');
    a.textContent = format.toUpperCase();
    a.download = `${baseName()}.${EXTENSIONS[format] ?? format}`;
    a.className = 'button';
    a.dataset.format = format;
    if (format === 'svg') a.href = state.result.svgUrl;
    else if (state.hasResultRoute && state.result.jobId) {
      const q = new URLSearchParams({ format });
      if (format === 'png' && state.hasSize) q.set('size', $('png-size')?.value || '1024');
      a.href = `/v1/jobs/${encodeURIComponent(state.result.jobId)}/result?${q}`;
      // A link cannot carry the API key header: with a key, fetch it and save the bytes instead.
      a.addEventListener('click', downloadWithKey);
    } else continue;
    links.push(a);
  }
  const box = $('download-links');
  box.replaceChildren(...links);
  if (state.hasSize && state.formats.includes('png')) {
    const label = document.createElement('label');
    label.textContent = 'PNG size ';
    const size = document.createElement('input');
    size.type = 'number';
    size.id = 'png-size';
    size.min = String(state.hasSize.minimum ?? 16);
    size.max = String(state.hasSize.maximum ?? 4096);
    size.value = '1024';
    size.addEventListener('change', buildDownloadsKeepSize);
    label.append(size);
    box.append(label);
  }
}

function buildDownloadsKeepSize() {
  const v = $('png-size').value;
  buildDownloads();
  $('png-size').value = v;
  const png = document.querySelector('a[data-format="png"]');
  if (png) png.href = png.href.replace(/size=\d+/, `size=${encodeURIComponent(v)}`);
}

async function downloadWithKey(e) {
  if (!sessionStorage.getItem('tracefleet.apiKey')) return;
  e.preventDefault();
  const a = e.currentTarget;
  const res = await fetch(a.href, { headers: authHeaders() });
  if (!res.ok) return showError(await apiError(res));
  const url = URL.createObjectURL(await res.blob());
  const tmp = document.createElement('a');
  tmp.href = url;
  tmp.download = a.download;
  document.body.append(tmp);
  tmp.click();
  tmp.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function updateCurl() {
  const q = settingsQuery();
  const file = state.current?.name ?? 'logo.png';
  const type = state.current?.file.type || 'image/png';
  const key = state.apiKeyRequired ? ` -H "X-API-Key: $TRACEFLEET_API_KEY"` : '';
  const qs = q.toString() ? `?${q}` : '';
  $('curl').value =
    `curl -sS --data-binary @'${file.replace(/'/g, `'\\''`)}' -H 'Content-Type: ${type}'${key} ` +
    `'${location.origin}/v1/convert${qs}' -o '${baseName().replace(/'/g, `'\\''`)}.svg'`;
}

async function copyCurl() {
  const text = $('curl').value;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    $('curl').select();
    document.execCommand('copy');
  }
  setStatus('curl command copied.');
}

// ---------- views: zoom, pan, overlay, difference ----------

function applyZoom() {
  const { scale, x, y } = state.zoom;
  for (const el of document.querySelectorAll('.zoomable'))
    el.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
  $('zoom-level').textContent = `${Math.round(scale * 100)}%`;
}

function zoomBy(factor, cx = 0, cy = 0) {
  const z = state.zoom;
  const scale = Math.min(32, Math.max(1, z.scale * factor));
  const k = scale / z.scale;
  // Keep the point under the cursor where it is.
  z.x = cx - (cx - z.x) * k;
  z.y = cy - (cy - z.y) * k;
  z.scale = scale;
  if (scale === 1) z.x = z.y = 0;
  applyZoom();
}

function setupViews() {
  const stage = $('stage');
  for (const r of document.querySelectorAll('input[name="view"]'))
    r.addEventListener('change', () => {
      stage.className = `stage view-${r.value}`;
      if (r.value === 'diff') drawDiff();
    });
  $('split').addEventListener('input', (e) => stage.style.setProperty('--split', `${e.target.value}%`));
  $('zoom-in').addEventListener('click', () => zoomBy(1.5));
  $('zoom-out').addEventListener('click', () => zoomBy(1 / 1.5));
  $('zoom-fit').addEventListener('click', () => {
    state.zoom = { scale: 1, x: 0, y: 0 };
    applyZoom();
  });
  stage.addEventListener(
    'wheel',
    (e) => {
      const vp = e.target.closest('.viewport');
      if (!vp) return;
      e.preventDefault();
      const box = vp.getBoundingClientRect();
      zoomBy(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - box.left, e.clientY - box.top);
    },
    { passive: false },
  );
  let drag;
  stage.addEventListener('pointerdown', (e) => {
    if (!e.target.closest('.viewport')) return;
    drag = { x: e.clientX - state.zoom.x, y: e.clientY - state.zoom.y };
    stage.setPointerCapture(e.pointerId);
  });
  stage.addEventListener('pointermove', (e) => {
    if (!drag) return;
    state.zoom.x = e.clientX - drag.x;
    state.zoom.y = e.clientY - drag.y;
    applyZoom();
  });
  stage.addEventListener('pointerup', () => (drag = undefined));
  stage.addEventListener('keydown', (e) => {
    const pan = { ArrowLeft: [20, 0], ArrowRight: [-20, 0], ArrowUp: [0, 20], ArrowDown: [0, -20] }[e.key];
    if (e.key === '+' || e.key === '=') zoomBy(1.5);
    else if (e.key === '-') zoomBy(1 / 1.5);
    else if (e.key === '0') zoomBy(1 / state.zoom.scale);
    else if (pan) {
      state.zoom.x += pan[0];
      state.zoom.y += pan[1];
      applyZoom();
    } else return;
    e.preventDefault();
  });
}

/** Where the SVG's render differs from the input (both composited on white), in red over a faint grey copy. */
async function drawDiff() {
  if (!state.result || !state.current) return;
  const input = $('input-img');
  await input.decode().catch(() => undefined);
  const w = input.naturalWidth;
  const h = input.naturalHeight;
  if (!w || !h) return;
  const svgImg = new Image();
  svgImg.src = state.result.svgUrl;
  await svgImg.decode().catch(() => undefined);
  const render = (img) => {
    const c = new OffscreenCanvas(w, h);
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
    g.drawImage(img, 0, 0, w, h);
    return g.getImageData(0, 0, w, h).data;
  };
  const a = render(input);
  const b = render(svgImg);
  const canvas = $('diff');
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d');
  const out = g.createImageData(w, h);
  for (let i = 0; i < a.length; i += 4) {
    const d = Math.max(Math.abs(a[i] - b[i]), Math.abs(a[i + 1] - b[i + 1]), Math.abs(a[i + 2] - b[i + 2]));
    const grey = 200 + (a[i] + a[i + 1] + a[i + 2]) / 3 / 5;
    out.data[i] = d > 24 ? 255 : grey;
    out.data[i + 1] = d > 24 ? Math.max(0, 160 - d) : grey;
    out.data[i + 2] = d > 24 ? Math.max(0, 160 - d) : grey;
    out.data[i + 3] = 255;
  }
  g.putImageData(out, 0, 0);
}

// ---------- files in: picker, drop, paste ----------

function useFile(file) {
  if (state.current?.url) URL.revokeObjectURL(state.current.url);
  const url = URL.createObjectURL(file);
  state.current = { file, url, name: file.name || 'pasted.png' };
  $('input-img').src = url;
  $('overlay-input').src = url;
  state.zoom = { scale: 1, x: 0, y: 0 };
  applyZoom();
  convertCurrent();
}

function takeFiles(files) {
  const images = [...files].filter((f) => f.size > 0);
  if (images.length === 0) return;
  if (images.length === 1) {
    $('batch').hidden = true;
    useFile(images[0]);
  } else submitBatch(images);
}

function setupInputs() {
  $('file').addEventListener('change', (e) => {
    takeFiles(e.target.files);
    e.target.value = '';
  });
  const drop = $('drop');
  for (const type of ['dragenter', 'dragover'])
    drop.addEventListener(type, (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    takeFiles(e.dataTransfer.files);
  });
  document.addEventListener('paste', (e) => {
    if (e.clipboardData?.files?.length) {
      e.preventDefault();
      takeFiles(e.clipboardData.files);
    }
  });
  $('copy-curl').addEventListener('click', copyCurl);
}

// ---------- several files: one batch, a progress bar each ----------

async function submitBatch(files) {
  showError('');
  const list = $('batch-list');
  $('batch').hidden = false;
  const rows = files.map((f) => {
    const li = document.createElement('li');
    li.dataset.testid = 'batch-item';
    li.setAttribute('data-testid', 'batch-item');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = f.name;
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', `Progress of ${f.name}`);
    const note = document.createElement('span');
    note.className = 'note';
    const thumb = document.createElement('div');
    thumb.className = 'thumb';
    li.append(thumb, name, bar, note);
    return { li, bar, note, thumb, file: f };
  });
  list.replaceChildren(...rows.map((r) => r.li));
  setStatus(`Sending ${files.length} files as a batch…`);
  const body = new FormData();
  for (const f of files) body.append('file', f, f.name);
  const res = await fetch(`/v1/batches?${settingsQuery()}`, { method: 'POST', headers: authHeaders(), body });
  if (!res.ok) {
    showError(await apiError(res));
    setStatus('Batch refused.');
    return;
  }
  const batch = await res.json();
  batch.jobs.forEach((j, i) => {
    if (j.error) rows[i].note.textContent = j.error.message;
  });
  const shown = new Set();
  for (;;) {
    const r = await fetch(`/v1/batches/${batch.id}`, { headers: authHeaders() });
    if (!r.ok) return showError(await apiError(r));
    const view = await r.json();
    await Promise.all(
      view.jobs.map(async (job, i) => {
        const row = rows[i];
        if (!row) return;
        if (job.error) {
          row.note.textContent = job.error.message;
          row.bar.value = 100;
          return;
        }
        row.bar.value = job.state === 'completed' ? 100 : (job.progress ?? 0);
        if (job.state === 'completed' && !shown.has(i)) {
          shown.add(i);
          const s = await fetch(`/v1/jobs/${encodeURIComponent(job.id)}/svg`, { headers: authHeaders() });
          if (!s.ok) return (row.note.textContent = await apiError(s));
          const url = URL.createObjectURL(await s.blob());
          const img = new Image();
          img.src = url;
          img.alt = `SVG result of ${row.file.name}`;
          const open = document.createElement('button');
          open.type = 'button';
          open.textContent = 'Open';
          open.setAttribute('aria-label', `Open ${row.file.name}`);
          open.addEventListener('click', () => useFile(row.file));
          row.thumb.replaceChildren(img);
          row.note.replaceChildren(open);
        }
      }),
    );
    setStatus(`Batch: ${shown.size} of ${files.length} converted.`);
    if (view.done) break;
    await new Promise((r2) => setTimeout(r2, 500));
  }
}

// ---------- start ----------

async function main() {
  setupInputs();
  setupViews();
  try {
    await loadSpec();
  } catch (err) {
    showError(`Could not read the API description: ${err.message}`);
  }
  buildForm();
  updateCurl();
  document.body.dataset.ready = 'true';
}

main();
