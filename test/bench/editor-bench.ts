/**
 * Editor benchmark (Chromium, not a timed test): builds a 300-node journey through the API, opens it in the built
 * editor and measures what a marketer feels —
 *   open       navigation start → all 300 node cards on the canvas (cold browser cache, median of 3)
 *   typing     keydown → the next frame painted, per key typed in a node's form (median, p95, max)
 *   panning    frames per second while dragging the canvas with every node in view (median of frame rates)
 *   fit        how many of the 300 nodes "Zoom to fit" puts inside the canvas
 *   scripts    the first script (and its preloads) and the editor route's scripts, bytes on the wire (brotli)
 * Prints a table and writes bench-results/editor-latest.json.
 *
 *   npm run bench:editor                      # reuses running services or starts them, like npm test
 *   EDITOR_DIST=/other/dist npm run bench:editor   # serve another build (e.g. an older commit's) for comparison
 *   BENCH_NODES=300 BENCH_KEYS=40
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../core/config';
import { openAppDeps } from '../../server/open-app-deps';
import { createUser, ensureWorkspace, randomPassword } from '../../core/store/users';
import { ensureServices } from '../../scripts/services';
import { bigJourney } from '../helpers/big-journey';
import { launchChromium } from '../e2e/helpers/browser';
import { ensureEditorBuilt } from '../e2e/helpers/editor-build';

const NODES = Number(process.env.BENCH_NODES ?? 300);
const KEYS = Number(process.env.BENCH_KEYS ?? 40);
const ROOT = path.resolve(import.meta.dirname, '../..');
const log = (m: string) => console.log(`[editor-bench] ${m}`);

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN; };
const r1 = (n: number) => Math.round(n * 10) / 10;

/** Bytes on the wire (brotli) of the scripts index.html loads at once, and of every script. */
async function scriptSizes(base: string) {
  const html = await (await fetch(`${base}/`)).text();
  const initial = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  const size = async (url: string, encoding: string) => {
    // Bytes as sent (fetch would hand back the decoded body).
    const res = await fetch(`${base}${url}`, { headers: { 'accept-encoding': encoding } });
    const decoded = (await res.arrayBuffer()).byteLength;
    const sent = Number(res.headers.get('content-length') ?? decoded);
    return { bytes: sent, encoding: res.headers.get('content-encoding') ?? 'identity', cacheControl: res.headers.get('cache-control') };
  };
  const first = await Promise.all(initial.map(async (u) => ({ url: u, br: await size(u, 'br'), gzip: await size(u, 'gzip'), raw: await size(u, 'identity') })));
  return { first, html };
}

async function openAndWait(page: Page, url: string, n: number): Promise<{ openMs: number; scripts: { name: string; transferBytes: number; decodedBytes: number }[] }> {
  await page.goto(url);
  await page.waitForFunction((count) => {
    const cards = document.querySelectorAll('.react-flow__node');
    // Measured and shown: xyflow hides nodes until it knows their size.
    return cards.length === count && [...cards].every((c) => (c as HTMLElement).style.visibility !== 'hidden');
  }, n, { timeout: 60_000, polling: 'raf' });
  if (process.env.BENCH_WATERFALL === '1') {
    const w = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => `${Math.round(e.startTime)}→${Math.round((e as PerformanceResourceTiming).responseEnd)} ${new URL(e.name).pathname} ${(e as PerformanceResourceTiming).transferSize}`));
    log(`waterfall:\n  ${w.join('\n  ')}`);
  }
  return page.evaluate(() => ({
    openMs: performance.now(),
    scripts: performance.getEntriesByType('resource').filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script' || e.name.endsWith('.js'))
      .map((e) => ({ name: new URL(e.name).pathname, transferBytes: (e as PerformanceResourceTiming).transferSize, decodedBytes: (e as PerformanceResourceTiming).decodedBodySize })),
  }));
}

/** BENCH_PROFILE=open|pan|typing: a CPU profile of that phase, its top functions by self time printed. */
const PROFILE = process.env.BENCH_PROFILE ?? '';
async function profiled<T>(page: Page, phase: string, fn: () => Promise<T>): Promise<T> {
  if (PROFILE !== phase) return fn();
  if (process.env.BENCH_TRACE === '1') return traced(page, phase, fn);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const out = await fn();
  const { profile } = await cdp.send('Profiler.stop') as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[]; samples: number[]; timeDeltas: number[] } };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  if (process.env.BENCH_INCLUSIVE === '1') {
    // Inclusive time per function name (a name counted once per stack).
    const parent = new Map<number, number>();
    const nodesById = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const n of profile.nodes as { id: number; children?: number[] }[]) for (const c of n.children ?? []) parent.set(c, n.id);
    const incl = new Map<string, number>();
    for (const [id, t] of self) {
      const names = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) names.add(nodesById.get(cur)!.callFrame.functionName || '(anon)');
      for (const nm of names) incl.set(nm, (incl.get(nm) ?? 0) + t);
    }
    for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`  incl ${(v / 1000).toFixed(1).padStart(7)} ms  ${k}`);
  }
  const total = [...byFn.values()].reduce((a, b) => a + b, 0);
  log(`profile of ${phase}: ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${(v / 1000).toFixed(1).padStart(7)} ms  ${k}`);
  return out;
}

/** BENCH_TRACE=1 with BENCH_PROFILE: the renderer's own work of the phase (script, style, layout, paint) by event. */
async function traced<T>(page: Page, phase: string, fn: () => Promise<T>): Promise<T> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'cc'] });
  const out = await fn();
  const buf = await browser.stopTracing();
  const events = (JSON.parse(buf.toString()) as { traceEvents: { name: string; ph: string; dur?: number; tid: number }[] }).traceEvents;
  const main = new Map<number, number>();
  for (const e of events) if (e.name === 'FunctionCall' || e.name === 'Layout') main.set(e.tid, (main.get(e.tid) ?? 0) + 1);
  const tid = [...main].sort((a, b) => b[1] - a[1])[0]?.[0];
  const byName = new Map<string, number>();
  for (const e of events) if (e.tid === tid && e.ph === 'X' && e.dur) byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur);
  log(`trace of ${phase} (renderer main thread, ms, nested events overlap):`);
  for (const [k, v] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${(v / 1000).toFixed(1).padStart(8)}  ${k}`);
  return out;
}

const cfg = loadConfig();
const services = await ensureServices(cfg, log);
if (!process.env.EDITOR_DIST) await ensureEditorBuilt();
const dbName = `editor_bench_${randomUUID().slice(0, 8)}`;
const rt = await openAppDeps({ temporalAddress: services.temporalAddress, namespace: 'default', mongoUri: services.mongoUri, mongoDb: dbName, taskQueue: `editor-bench-${dbName}` });
if (process.env.EDITOR_DIST) (rt as { editorDir?: string }).editorDir = path.resolve(process.env.EDITOR_DIST);
const app = await buildApp(rt);
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const user = { email: 'bench-editor@example.com', password: randomPassword() };
await ensureWorkspace(rt.store, 'default');
await createUser(rt.store, 'default', { email: user.email, name: 'Bench', role: 'admin', password: user.password });
const browser = await launchChromium();
try {
  const signIn = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  const { token } = await signIn.json() as { token: string };
  const created = await fetch(`${base}/api/v1/journeys`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(bigJourney(NODES)) });
  if (created.status !== 201) throw new Error(`creating the journey failed: ${created.status} ${await created.text()}`);
  const journeyId = ((await created.json()) as { id: string }).id;
  const url = `${base}/#/journeys/${encodeURIComponent(journeyId)}`;
  log(`journey ${journeyId} with ${NODES} nodes at ${url}`);

  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    await context.addCookies([{ name: 'journeys_session', value: token, url: base }]);
    // tsx keeps function names with a helper the page does not have.
    await context.addInitScript('window.__name = (f) => f;');
    return context.newPage();
  };

  // Open, cold cache, three times.
  const opens: number[] = [];
  let routeScripts: { name: string; transferBytes: number; decodedBytes: number }[] = [];
  let page!: Page;
  for (let i = 0; i < 3; i++) {
    if (page) await page.context().close();
    page = await newPage();
    const o = i === 2 ? await profiled(page, 'open', () => openAndWait(page, url, NODES)) : await openAndWait(page, url, NODES);
    opens.push(o.openMs);
    routeScripts = o.scripts;
  }
  log(`open: ${opens.map((x) => x.toFixed(0)).join(', ')} ms`);

  // Zoom to fit: every node's card inside the canvas.
  await page.getByTestId('fit').click();
  await page.waitForTimeout(600);
  const fit = await page.evaluate(() => {
    const c = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    const cards = [...document.querySelectorAll('.react-flow__node')].map((n) => n.getBoundingClientRect());
    return { inside: cards.filter((b) => b.left >= c.left - 1 && b.right <= c.right + 1 && b.top >= c.top - 1 && b.bottom <= c.bottom + 1).length, total: cards.length };
  });
  log(`zoom to fit: ${fit.inside}/${fit.total} nodes inside the canvas`);

  // Panning with everything in view: drag an empty spot of the pane, count frames.
  const spot = await page.evaluate(() => {
    const c = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
    for (let y = c.top + 40; y < c.bottom - 160; y += 7) {
      for (let x = c.left + 40; x < c.right - 400; x += 7) {
        const el = document.elementFromPoint(x, y);
        if (el?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return null;
  });
  let fps: number[] = [];
  if (spot) {
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__frames = []; w.__stop = false;
      const tick = (t: number) => { w.__frames.push(t); if (!w.__stop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    await page.mouse.move(spot.x, spot.y);
    await page.mouse.down();
    await profiled(page, 'pan', async () => {
      for (let round = 0; round < 3; round++) {
        await page.mouse.move(spot.x + 300, spot.y + 120, { steps: 60 });
        await page.mouse.move(spot.x, spot.y, { steps: 60 });
      }
    });
    await page.mouse.up();
    const frames = await page.evaluate(() => { const w = window as unknown as { __frames: number[]; __stop: boolean }; w.__stop = true; return w.__frames; });
    // Frame rate over windows of 10 frames.
    for (let i = 10; i < frames.length; i += 10) fps.push(10_000 / (frames[i] - frames[i - 10]));
  } else {
    log('panning: no empty spot of the pane found');
  }
  log(`panning: median ${r1(median(fps))} fps over ${fps.length} windows`);

  // Typing in a node's form: select a ticket, type into its title.
  await page.getByTestId('fit').click();
  await page.waitForTimeout(400);
  // A ticket in the middle of the grid, in view whatever the zoom.
  const ticket = `n${Math.floor(NODES / 2 / 5) * 5 + 2}`;
  await page.locator(`[data-id="${ticket}"]`).click();
  await page.getByTestId('config-panel').waitFor();
  const field = page.locator('[data-testid="config-panel"] textarea').first();
  await field.click();
  await field.press('End');
  await page.evaluate(() => {
    const w = window as unknown as { __keys: number[] };
    w.__keys = [];
    window.addEventListener('keydown', (e) => {
      const start = e.timeStamp;
      // After the key's work, the next frame, then the first task after it: the frame was painted.
      requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => w.__keys.push(performance.now() - start); ch.port2.postMessage(0); });
    }, true);
  });
  const typed = 'Priority customer needs a callback'.padEnd(KEYS, 'x').slice(0, KEYS);
  await profiled(page, 'typing', () => page.keyboard.type(typed, { delay: 60 }));
  await page.waitForTimeout(1500);
  const keys = await page.evaluate(() => (window as unknown as { __keys: number[] }).__keys);
  const value = await field.inputValue();
  if (!value.endsWith(typed)) log(`warning: the field reads "${value.slice(-60)}"`);
  log(`typing: median ${r1(median(keys))} ms/key, p95 ${r1(pct(keys, 95))}, max ${r1(Math.max(...keys))} over ${keys.length} keys`);

  const sizes = await scriptSizes(base);
  const firstBr = sizes.first.reduce((a, s) => a + s.br.bytes, 0);
  const firstGzip = sizes.first.reduce((a, s) => a + s.gzip.bytes, 0);
  const firstRaw = sizes.first.reduce((a, s) => a + s.raw.bytes, 0);
  const routeTransfer = routeScripts.reduce((a, s) => a + s.transferBytes, 0);
  log(`first script: ${(firstBr / 1024).toFixed(1)} KiB brotli, ${(firstGzip / 1024).toFixed(1)} KiB gzip, ${(firstRaw / 1024).toFixed(1)} KiB raw (${sizes.first.map((s) => s.url).join(', ')})`);
  log(`editor route: ${routeScripts.length} scripts, ${(routeTransfer / 1024).toFixed(1)} KiB on the wire`);

  const result = {
    at: new Date().toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, loadAverage: os.loadavg().map((l) => +l.toFixed(2)) },
    editorDist: process.env.EDITOR_DIST ?? 'editor/dist',
    nodes: NODES,
    openMs: { runs: opens.map(Math.round), median: Math.round(median(opens)) },
    typingMsPerKey: { median: r1(median(keys)), p95: r1(pct(keys, 95)), max: r1(Math.max(...keys)), keys: keys.length },
    panningFps: { median: r1(median(fps)), min: r1(Math.min(...fps)), windows: fps.length },
    zoomToFit: fit,
    scripts: {
      first: sizes.first.map((s) => ({ url: s.url, brBytes: s.br.bytes, gzipBytes: s.gzip.bytes, rawBytes: s.raw.bytes, cacheControl: s.br.cacheControl })),
      firstBrKiB: r1(firstBr / 1024), firstGzipKiB: r1(firstGzip / 1024), firstRawKiB: r1(firstRaw / 1024),
      editorRoute: { count: routeScripts.length, transferKiB: r1(routeTransfer / 1024), decodedKiB: r1(routeScripts.reduce((a, s) => a + s.decodedBytes, 0) / 1024) },
    },
  };
  console.table({
    'open (ms, median of 3)': result.openMs.median,
    'typing (ms/key, median)': result.typingMsPerKey.median,
    'typing (ms/key, p95)': result.typingMsPerKey.p95,
    'panning (fps, median)': result.panningFps.median,
    'zoom to fit (nodes inside)': `${fit.inside}/${fit.total}`,
    'first script (KiB gzip)': result.scripts.firstGzipKiB,
    'first script (KiB brotli)': result.scripts.firstBrKiB,
    'editor route scripts (KiB on the wire)': result.scripts.editorRoute.transferKiB,
  });
  fs.mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
  const out = path.join(ROOT, 'bench-results', process.env.EDITOR_DIST ? 'editor-compare.json' : 'editor-latest.json');
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
  log(`written to ${path.relative(ROOT, out)}`);
} finally {
  await browser.close();
  await app.close();
  await rt.store.db.dropDatabase().catch(() => undefined);
  await rt.close();
  await services.stop();
}
