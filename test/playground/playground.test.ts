import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CORPUS, REPO_ROOT, corpusManifest } from '../helpers/corpus.js';
import { startFleet, type Fleet } from '../helpers/fleet.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTEFACTS = path.join(REPO_ROOT, 'test-results');
const KEY = 'playground-test-key-93b1d0';
const MAX_BODY_BYTES = 400_000;

/** Small colour logos of the corpus (quick to trace), with their sizes from the manifest. */
const logos = corpusManifest()
  .filter((f) => f.kind === 'colour' && f.width * f.height <= 300_000)
  .filter((f) => fs.statSync(path.join(CORPUS, f.file)).size < MAX_BODY_BYTES)
  .slice(0, 7);

async function waitForNewResult(page: Page, before: string): Promise<string> {
  await page.waitForFunction(
    (prev) => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="result"] img');
      return Boolean(img && img.complete && img.naturalWidth > 0 && img.src !== prev);
    },
    before,
    { timeout: 60_000 },
  );
  return page.evaluate(() => document.querySelector<HTMLImageElement>('[data-testid="result"] img')!.src);
}

const currentSrc = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLImageElement>('[data-testid="result"] img')?.src ?? '');

describe('playground page at / (real fleet, headless Chromium)', () => {
  let fleet: Fleet;
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    expect(logos.length).toBeGreaterThanOrEqual(6);
    fleet = await startFleet({
      workers: 1,
      env: { QUEUE_PREFIX: 'tfplay', API_KEYS: `play:${KEY}`, MAX_BODY_BYTES: String(MAX_BODY_BYTES) },
    });
    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} (apt-get install -y chromium)`).toBe(true);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
    fs.mkdirSync(ARTEFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await fleet?.stop();
    if (Object.keys(timings).length)
      fs.writeFileSync(path.join(ARTEFACTS, 'playground-timings.json'), JSON.stringify(timings, null, 2));
  });

  async function openPage(viewport?: { width: number; height: number }): Promise<Page> {
    const page = await context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      // A CSP violation is reported on the console: the page must not cause any.
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    });
    await page.goto(`${fleet.baseUrl}/`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  /** The SVG of the job the page shows, from the API (the page's CSP rightly forbids reading its blob: URLs). */
  async function resultSvg(page: Page): Promise<string> {
    const id = (await page.textContent('#stat-job'))!;
    const res = await fetch(`${fleet.baseUrl}/v1/jobs/${encodeURIComponent(id)}/svg`, {
      headers: { 'x-api-key': KEY },
    });
    expect(res.status).toBe(200);
    return res.text();
  }

  async function enterKey(page: Page) {
    await page.fill('#api-key', KEY);
    await page.locator('#api-key').dispatchEvent('change');
  }

  it('is served by the API with a strict CSP, its own files only, and no route to other files', async () => {
    const res = await fetch(`${fleet.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect((await fetch(`${fleet.baseUrl}/playground/playground.js`)).status).toBe(200);
    expect((await fetch(`${fleet.baseUrl}/playground/..%2Fapp.js`)).status).toBe(404);
    expect(await (await fetch(`${fleet.baseUrl}/playground/config.json`)).json()).toEqual({ apiKeyRequired: true });
  });

  it('converts an uploaded logo, shows it beside the input at its size, and repeats come from the cache', async () => {
    const page = await openPage();
    expect(await page.isVisible('#api-key')).toBe(true);
    await enterKey(page);
    const logo = logos[0];
    let t0 = Date.now();
    await page.setInputFiles('#file', path.join(CORPUS, logo.file));
    await waitForNewResult(page, '');
    timings.newLogoMs = Date.now() - t0;
    const size = await page.evaluate(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="result"] img')!;
      return { w: img.naturalWidth, h: img.naturalHeight };
    });
    expect(size).toEqual({ w: logo.width, h: logo.height });
    expect(await resultSvg(page)).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(Number(await page.textContent('#stat-ssim'))).toBeGreaterThan(0.9);
    expect(await page.textContent('#stat-cache')).toBe('miss');
    expect(Number(await page.textContent('#stat-paths'))).toBeGreaterThan(0);
    expect(await page.locator('#stat-colors .swatch').count()).toBeGreaterThan(0);
    await page.waitForFunction(() => !['…', '–'].includes(document.getElementById('stat-type')!.textContent!));
    expect(await page.inputValue('#curl')).toContain(`${fleet.baseUrl}/v1/convert`);

    // The same file again: answered by the API's cache.
    const before = await currentSrc(page);
    t0 = Date.now();
    await page.setInputFiles('#file', path.join(CORPUS, logo.file));
    await waitForNewResult(page, before);
    timings.cachedLogoMs = Date.now() - t0;
    expect(await page.textContent('#stat-cache')).toMatch(/^hit-/);

    // Overlay and difference views of the same result.
    await page.check('input[name="view"][value="overlay"]');
    expect(await page.isVisible('#overlay-result')).toBe(true);
    await page.fill('#split', '30');
    await page.check('input[name="view"][value="diff"]');
    await page.waitForFunction((w) => (document.getElementById('diff') as HTMLCanvasElement).width === w, logo.width);
    await page.screenshot({ path: path.join(ARTEFACTS, 'playground-diff.png') });
    await page.check('input[name="view"][value="side"]');
    await page.click('#zoom-in');
    expect(await page.textContent('#zoom-level')).toBe('150%');
    const transforms = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.zoomable')].map((e) => e.style.transform),
    );
    expect(new Set(transforms).size).toBe(1);
    await page.click('#zoom-fit');
    await page.screenshot({ path: path.join(ARTEFACTS, 'playground-desktop.png'), fullPage: true });
    console.log(`playground: drop → result ${timings.newLogoMs} ms new, ${timings.cachedLogoMs} ms cached`);
    await page.close();
  });

  it('re-converts when colours and background change, and downloads SVG and PDF', async () => {
    const page = await openPage();
    await enterKey(page);
    // A logo on white (as JPEGs and scans come): background=remove has a background to remove.
    const onWhite = await sharp(path.join(CORPUS, logos[1].file)).flatten({ background: '#ffffff' }).png().toBuffer();
    await page.setInputFiles('#file', { name: 'on-white.png', mimeType: 'image/png', buffer: onWhite });
    let src = await waitForNewResult(page, '');
    const first = await resultSvg(page);

    await page.fill('#opt-colors', '2');
    src = await waitForNewResult(page, src);
    const twoColours = await resultSvg(page);
    expect(twoColours).not.toBe(first);

    await page.selectOption('#opt-background', 'remove');
    await waitForNewResult(page, src);
    expect(await resultSvg(page)).not.toBe(twoColours);
    const corner = await page.evaluate(async () => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="result"] img')!;
      const c = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, 1, 1).data[3];
    });
    expect(corner).toBe(0);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-play-dl-'));
    const [svgDl] = await Promise.all([page.waitForEvent('download'), page.click('a[download][data-format="svg"]')]);
    const svgPath = path.join(dir, svgDl.suggestedFilename());
    await svgDl.saveAs(svgPath);
    expect(svgDl.suggestedFilename()).toMatch(/\.svg$/);
    expect(fs.readFileSync(svgPath, 'utf8')).toBe(await resultSvg(page));

    const [pdfDl] = await Promise.all([page.waitForEvent('download'), page.click('a[download][data-format="pdf"]')]);
    const pdfPath = path.join(dir, pdfDl.suggestedFilename());
    await pdfDl.saveAs(pdfPath);
    expect(pdfDl.suggestedFilename()).toMatch(/\.pdf$/);
    expect(fs.readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    // An independent reader renders it.
    execFileSync('pdftoppm', ['-png', '-r', '36', '-singlefile', pdfPath, path.join(dir, 'page')]);
    expect(fs.statSync(path.join(dir, 'page.png')).size).toBeGreaterThan(100);
    fs.rmSync(dir, { recursive: true, force: true });
    await page.close();
  });

  it('drops five files: one batch, a progress bar and a result each', async () => {
    const page = await openPage();
    await enterKey(page);
    const files = logos.slice(2, 7).map((f) => ({
      name: f.file,
      b64: fs.readFileSync(path.join(CORPUS, f.file)).toString('base64'),
    }));
    await page.evaluate((list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: 'image/png' }));
      }
      document.getElementById('drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true }));
    }, files);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="batch-item"] .thumb img')].filter(
          (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0,
        ).length === 5,
      undefined,
      { timeout: 90_000 },
    );
    expect(await page.locator('[data-testid="batch-item"]').count()).toBe(5);
    expect(await page.locator('[data-testid="batch-item"] progress').count()).toBe(5);
    const values = await page.$$eval('[data-testid="batch-item"] progress', (els) =>
      els.map((e) => (e as HTMLProgressElement).value),
    );
    expect(values).toEqual([100, 100, 100, 100, 100]);
    await page.close();
  });

  it('works from the keyboard alone: every control is reachable, labelled and visibly focused', async () => {
    const page = await openPage();
    const reached = new Set<string>();
    let outlineOnFocus = true;
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const focusShown = (() => {
          const own = getComputedStyle(el).outlineStyle !== 'none';
          const drop = el.id === 'file' && getComputedStyle(document.getElementById('drop')!).outlineStyle !== 'none';
          return own || drop;
        })();
        const labelled =
          !['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) ||
          ((el as HTMLInputElement).labels?.length ?? 0) > 0 ||
          el.hasAttribute('aria-label');
        return { id: el.id, focusShown, labelled };
      });
      if (info.id) reached.add(info.id);
      if (info.id && (!info.focusShown || !info.labelled)) outlineOnFocus = false;
    }
    for (const id of ['file', 'api-key', 'opt-mode', 'opt-colors', 'zoom-in', 'stage', 'copy-curl'])
      expect(reached, `Tab reaches #${id}`).toContain(id);
    expect(outlineOnFocus, 'every focused control is labelled and shows a focus ring').toBe(true);

    // Key, then the file chooser opened with Enter, then a setting typed: all by keyboard.
    // The chooser is awaited before anything is typed: Playwright turns on file-chooser interception
    // asynchronously when the first listener is added, and on a loaded machine an Enter pressed in the
    // same tick could reach Chromium before it (the native dialog then opens and no event comes).
    const chooserShown = page.waitForEvent('filechooser', { timeout: 60_000 });
    await page.focus('#api-key');
    await page.keyboard.type(KEY);
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('file');
    await page.keyboard.press('Enter');
    const chooser = await chooserShown;
    await chooser.setFiles(path.join(CORPUS, logos[2].file));
    let src = await waitForNewResult(page, '');
    await page.focus('#opt-colors');
    await page.keyboard.type('3');
    src = await waitForNewResult(page, src);
    expect(src).toMatch(/^blob:/);
    await page.close();
  });

  it('fits a phone screen', async () => {
    const page = await openPage({ width: 375, height: 812 });
    await enterKey(page);
    await page.setInputFiles('#file', path.join(CORPUS, logos[3].file));
    await waitForNewResult(page, '');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const shot = path.join(ARTEFACTS, 'playground-phone.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it("shows the API's message for an oversized upload and for a file that is not an image", async () => {
    const page = await openPage();
    await enterKey(page);
    const noise = await sharp(Buffer.from(Array.from({ length: 500 * 500 * 3 }, (_, i) => (i * 7919) % 251)), {
      raw: { width: 500, height: 500, channels: 3 },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(noise.length).toBeGreaterThan(MAX_BODY_BYTES);
    await page.setInputFiles('#file', { name: 'huge.png', mimeType: 'image/png', buffer: noise });
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).toMatch(/PAYLOAD_TOO_LARGE/);

    await page.setInputFiles('#file', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('hello') });
    await page.waitForFunction(() => /INVALID_IMAGE/.test(document.getElementById('error')!.textContent!));
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
