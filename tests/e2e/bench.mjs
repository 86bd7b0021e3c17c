// Benchmarks on the release build in headless Chromium (not part of the test run's pass or
// fail): measures the app against a raw-JavaScript baseline (bench-baseline.html and
// bench-baseline.mjs, served beside the build on the same origin), prints a table and writes
// BENCHMARKS.md. Run with scripts/bench.sh.
//
// Environment: BENCH_RUNS (default 5) runs of every measure, a fresh browser profile per run;
// BENCH_DIST (default ../../dist) the build to measure; CHROMIUM the browser binary.
import { writeFile, readFile, mkdtemp, rm, cp, stat, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { tmpdir, cpus, totalmem, release, loadavg } from 'node:os';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import { ServerResponse } from 'node:http';
import { chromium } from 'playwright-core';
import { serve, appReady, signIn, DIST as DEFAULT_DIST } from './harness.mjs';
import { measureFirstScreens } from './first-screens.mjs';
import { makeRecord, deviceOf, FILTER_STEPS, FILTER_WINDOW, RECORD_PREFIX, haystack } from './bench-baseline.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS must be a whole number ≥ 1, not ${process.env.BENCH_RUNS}`);
const DIST = resolve(process.env.BENCH_DIST ?? DEFAULT_DIST);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const RECORDS = 10000;
const SAVES = 3; // saves per run, each in a freshly loaded page
const FILES = 10;
const PER_FILE = 1000;
const started = Date.now();
const LOAD_BEFORE = loadavg();
const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

/** Rejects with a message naming what did not happen, instead of hanging or yielding zero. */
function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms / 1000} s`)), ms); }),
  ]);
}

/** A positive number or an error: a measure that reads 0, NaN or nothing is a broken measure. */
function real(value, what) {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${what}: got ${value}`);
  return value;
}

// ---------------------------------------------------------------------------------------
// The import files (measure 6), as before: 10 officers' exports of 1 000 trainings each.
const template = {
  id: '', created_at: '2022-05-12T04:00:00Z', updated_at: '2022-05-12T04:00:00Z', revision: 1,
  device_id: '', author: '', schema_version: 1, deleted: false, kind: 'training',
  data: {
    date: '2022-05-12', training_type: 'farmer', topic: '',
    trainers: ['刘强'], place: { county: '', village: '东窑村' }, attendance: 0,
  },
};

/** Compact JSON with sorted object keys: the app's canonical form for the checksum. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
const COUNTIES = ['站前区', '西市区', '鲅鱼圈区', '老边区', '盖州市', '大石桥市', '营口高新区'];
const idOf = (f, n) => `${String(f).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;

function exportFile(f) {
  const device = `bench-device-${f}`;
  const records = [];
  for (let n = 0; n < PER_FILE; n += 1) {
    const r = JSON.parse(JSON.stringify(template));
    r.id = idOf(f, n);
    r.device_id = device;
    r.author = `特派员${f}`;
    r.data.topic = `第${f}组第${n}次培训：水稻病虫害绿色防控技术`;
    r.data.place.county = COUNTIES[(f + n) % COUNTIES.length];
    r.data.attendance = 20 + (n % 40);
    records.push(r);
  }
  const checksum = 'sha256:' + createHash('sha256').update(canonical(records)).digest('hex');
  return JSON.stringify({
    format: 'field-ledger-export', schema_version: 1, app_version: '0.1.0', device_id: device,
    exported_at: '2022-06-30T08:00:00Z', since: null, checksum, records,
  });
}

// ---------------------------------------------------------------------------------------
// The 10 000 stored records (measures 2 to 5): the lean form of the generator's records (the
// full ones need the capacity of measure 7, which shows how many fit). The baseline reads
// them as plain JSON under layout 1's keys (`fl.v1.rec.<id>`, what the generator writes);
// the app reads them in its own storage layout, made by the app itself (see appStorage).
const LEAN = { lean: true };
const seeded = Array.from({ length: RECORDS }, (_, n) => makeRecord(n, LEAN));
const seededUnits = seeded.reduce((sum, r) => sum + RECORD_PREFIX.length + r.id.length + JSON.stringify(r).length, 0);
let appUnits = null; // UTF-16 units of the app's storage of the same records (keys and values)
const ofKind = (kind) => seeded.filter((r) => r.kind === kind);
const TRAININGS = ofKind('training').length;
const VISITS = ofKind('visit');
// What the filter must find after each keystroke. Among visits only the host holds 水, so the
// count is the same whatever other visit text a filter looks in (checked here).
const FILTER_EXPECTED = FILTER_STEPS.map((step) => {
  const byHost = VISITS.filter((v) => v.data.host.includes(step)).length;
  const byAll = VISITS.filter((v) => haystack(v).includes(step)).length;
  if (byHost !== byAll) throw new Error(`generator: "${step}" occurs outside visit hosts (${byHost} hosts, ${byAll} visits)`);
  return byHost;
});
FILTER_EXPECTED.forEach((n, i) => {
  const before = i === 0 ? VISITS.length : FILTER_EXPECTED[i - 1];
  if (n === before) throw new Error(`generator: keystroke ${i + 1} ("${FILTER_STEPS[i]}") does not change the count (${n})`);
});

// The harness's server, made to send the cross-origin isolation headers: in an isolated page
// performance.now() counts in 5 µs steps instead of 100 µs, which a single localStorage
// write or a filter keystroke needs. Every file of the app is same-origin, so nothing else
// changes for it.
const writeHead = ServerResponse.prototype.writeHead;
ServerResponse.prototype.writeHead = function isolated(...args) {
  this.setHeader('cross-origin-opener-policy', 'same-origin');
  this.setHeader('cross-origin-embedder-policy', 'require-corp');
  return writeHead.apply(this, args);
};

// ---------------------------------------------------------------------------------------
// Browser: the harness's settings, plus exact heap sizes for the memory figures.
const FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-precise-memory-info',
];
const EXTRA_FLAGS = (process.env.BENCH_FLAGS ?? '').split(' ').filter(Boolean);
// Extra flags for an experiment (BENCH_FLAGS, space-separated), e.g. V8 options.
FLAGS.push(...EXTRA_FLAGS);
/**
 * BENCH_ONLY (comma-separated: stored, import, capacity, or one of the stored group's
 * measures: start-up, filter, save, export) runs only those, for a quick look while working
 * on one measure; such a partial run prints its table but leaves BENCHMARKS.md alone.
 */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const STORED_MEASURES = ['start-up', 'filter', 'save', 'export'];
const runs = (group) => ONLY.length === 0 || ONLY.includes(group)
  || (group === 'stored' && ONLY.some((m) => STORED_MEASURES.includes(m)));
/** Whether a measure of the stored group is to run. */
const measures = (name) => !STORED_MEASURES.includes(name) || ONLY.length === 0
  || ONLY.includes('stored') || ONLY.includes(name);

/** Installed in every page before its own scripts: when the first list row appears, and the app's wasm. */
function pageProbe() {
  const observer = new MutationObserver(() => {
    if (document.querySelector('.record-list li')) {
      window.__benchFirstRow = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
  addEventListener('TrunkApplicationStarted', (event) => { window.__benchWasm = event.detail?.wasm; });
}

async function launch() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'field-ledger-bench-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, acceptDownloads: true,
    locale: 'en-US', viewport: { width: 1024, height: 768 },
  });
  await context.addInitScript(pageProbe);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return {
    context, page, errors,
    close: async () => { await context.close(); await rm(userDataDir, { recursive: true, force: true }); },
  };
}

// ---------------------------------------------------------------------------------------
// Measures.

/**
 * Writes layout 1 (the first storage layout, which every version of the app reads and
 * migrates), signed-in settings and the 10 000 records straight into localStorage: what the
 * baseline reads, and what the app starts from in appStorage.
 */
async function seed(page, url) {
  await page.goto(`${url}/bench-baseline.html?idle=1`);
  const result = await within(60000, 'seeding localStorage', page.evaluate(async (count) => {
    const m = await import('/bench-baseline.mjs');
    localStorage.clear();
    localStorage.setItem('fl.layout', '1');
    localStorage.setItem('fl.v1.settings', m.settingsJson());
    let units = 0;
    for (let n = 0; n < count; n += 1) {
      const [key, value] = m.storedRecord(n, { lean: true });
      try {
        localStorage.setItem(key, value);
      } catch (e) {
        return { error: `${e.name} after ${n} of ${count} records (${units} UTF-16 units)` };
      }
      units += key.length + value.length;
    }
    return { units };
  }, RECORDS));
  if (result.error) throw new Error(`seeding: ${result.error}`);
}

/** Every key and value in the page's localStorage. */
const dumpStorage = (page) => page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));

/** UTF-16 units of a storage dump's keys and values that start with `prefix`. */
const unitsOf = (dump, prefix = '') => Object.entries(dump).filter(([k]) => k.startsWith(prefix)).reduce((sum, [k, v]) => sum + k.length + v.length, 0);

/**
 * The app's own storage of the seeded records, whatever its layout: in a scratch profile, the
 * seeded layout-1 storage is opened by the app once (which migrates it to the current
 * layout), then dumped. Made once; each run writes it back before the app's measures.
 */
async function appStorage(url) {
  const profile = await launch();
  const { page } = profile;
  try {
    await seed(page, url);
    const before = unitsOf(await dumpStorage(page), 'fl.');
    const shown = await firstRow(page, `${url}/trainings`, 'app storage from the seeded records');
    if (shown.total !== TRAININGS) throw new Error(`the app lists ${shown.total} trainings of the seeded storage, expected ${TRAININGS}`);
    const dump = await dumpStorage(page);
    appUnits = unitsOf(dump, 'fl.');
    log(`  the app's storage of the seeded records: ${appUnits} UTF-16 units (layout 1: ${before}), layout ${dump['fl.layout']}`);
    return dump;
  } finally {
    await profile.close();
  }
}

/** Replaces localStorage by `dump` (from the idle baseline page: before the app's service worker exists). */
async function restore(page, url, dump) {
  await page.goto(`${url}/bench-baseline.html?idle=1`);
  const result = await within(60000, 'writing the app storage', page.evaluate((dump) => {
    localStorage.clear();
    try {
      for (const [key, value] of Object.entries(dump)) localStorage.setItem(key, value);
    } catch (e) {
      return { error: `${e.name}: ${e.message}` };
    }
    return { keys: localStorage.length };
  }, dump));
  if (result.error) throw new Error(`writing the app storage: ${result.error}`);
}

/** Time from navigation start to the first `.record-list li`, and the app's `fl:load`. */
async function firstRow(page, url, what) {
  await page.goto(url);
  await within(60000, `${what}: first list row`, page.waitForFunction(() => window.__benchFirstRow, null, { timeout: 0, polling: 50 }))
    .catch(async (e) => {
      const prompt = await page.$('form.name-prompt');
      throw new Error(`${e.message}${prompt ? ' (the name prompt is shown: settings not read?)' : ''}`);
    });
  return page.evaluate(() => ({
    ms: window.__benchFirstRow,
    load: performance.getEntriesByName('fl:load').at(-1)?.duration ?? null,
    rows: document.querySelectorAll('.record-list li').length,
    total: Number(document.querySelector('p.count')?.dataset.total ?? document.querySelector('p.count')?.dataset.count),
  }));
}

/**
 * Types FILTER_STEPS into #filter-text one by one. For each keystroke: the time from the
 * input event to `p.count` showing the expected number (seen by a MutationObserver, at once
 * for a synchronous handler, or by a per-frame poll), and to the next frame after that
 * (a message posted from the next requestAnimationFrame arrives once that frame's style,
 * layout and paint are done).
 */
async function typeFilter(page, what) {
  const times = [];
  const frames = [];
  for (const [i, value] of FILTER_STEPS.entries()) {
    const expected = FILTER_EXPECTED[i];
    const result = await page.evaluate(({ value, expected, limit }) => new Promise((resolve) => {
      const input = document.querySelector('#filter-text');
      const counter = () => document.querySelector('p.count[data-count]');
      let done = false;
      let t0 = 0;
      const finish = () => {
        if (done) return;
        done = true;
        observer.disconnect();
        clearTimeout(timer);
        const counted = performance.now() - t0;
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve({ counted, frame: performance.now() - t0 });
        requestAnimationFrame(() => channel.port2.postMessage(0));
      };
      const check = () => { if (!done && counter()?.dataset.count === String(expected)) finish(); };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-count'] });
      const poll = () => { check(); if (!done) requestAnimationFrame(poll); };
      const timer = setTimeout(() => {
        done = true;
        observer.disconnect();
        resolve({ error: `data-count is ${counter()?.dataset.count}, expected ${expected}, ${limit} ms after typing "${value}"` });
      }, limit);
      t0 = performance.now();
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      check();
      requestAnimationFrame(poll);
    }), { value, expected, limit: 10000 });
    if (result.error) throw new Error(`${what} filter: ${result.error}`);
    if (!(result.counted > 0)) throw new Error(`${what} filter: keystroke "${value}" timed ${result.counted} ms`);
    times.push(result.counted);
    frames.push(real(result.frame, `${what} filter keystroke to the next frame`));
    // Let the page settle (URL update, paint) before the next keystroke.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  }
  return { times, frames };
}

/** Waits until the list shows its count, and checks it against the seeded records. */
async function listCount(page, kind, expected) {
  await within(60000, `/${kind}: the record count`, page.waitForSelector('p.count[data-count]', { timeout: 0 }));
  const shown = await page.$eval('p.count[data-count]', (p) => Number(p.dataset.total ?? p.dataset.count));
  if (shown !== expected) throw new Error(`/${kind} shows ${shown} records, expected ${expected}`);
}

const results = {};
const push = (name, value) => (results[name] ??= []).push(value);
const failures = [];
const notes = new Set(); // for BENCHMARKS.md
const warnings = new Set(); // console only: errors the app's pages logged
const shown = {}; // rows the app's lists rendered

async function attempt(name, run, work) {
  if (!measures(name)) return;
  try {
    await work();
  } catch (e) {
    failures.push({ name, run, message: e.message.split('\n')[0] });
    log(`  ${name} FAILED: ${e.message.split('\n')[0]}`);
  }
}

/** One run of measures 2 to 5 in a fresh profile. The baseline pages come first: once the
 * app's service worker is installed, every navigation on the origin gets the app. */
async function storedRun(run, url, appDump) {
  const profile = await launch();
  const { page } = profile;
  const saved = []; // ids of the records saved in this run
  try {
    await seed(page, url);
    log(`  seeded ${RECORDS} records for the baseline (${(seededUnits / RECORDS).toFixed(0)} UTF-16 units each on average)`);

    await attempt('start-up', run, async () => {
      const cold = await firstRow(page, `${url}/bench-baseline.html?kind=training`, 'baseline (first visit)');
      push('startup.base.cold', real(cold.ms, 'baseline cold start-up'));
      const base = await firstRow(page, `${url}/bench-baseline.html?kind=training`, 'baseline');
      if (base.rows !== TRAININGS) throw new Error(`baseline shows ${base.rows} rows, expected ${TRAININGS}`);
      push('startup.base', real(base.ms, 'baseline start-up'));
      log(`  start-up baseline: first row at ${base.ms.toFixed(0)} ms (${base.rows} rows); first visit ${cold.ms.toFixed(0)} ms`);
    });
    await attempt('filter', run, async () => {
      await firstRow(page, `${url}/bench-baseline.html?kind=visit&filter=1`, 'baseline filter page');
      await listCount(page, 'baseline visits', VISITS.length);
      const { times, frames } = await typeFilter(page, 'baseline');
      times.forEach((t, i) => push(`filter.base.${i}`, t));
      for (const t of times) push('filter.base', t);
      for (const t of frames) push('filter.base.frame', t);
      log(`  filter baseline: ${times.map((t) => t.toFixed(2)).join(', ')} ms (to the next frame: ${frames.map((t) => t.toFixed(1)).join(', ')} ms)`);
    });

    // The app's measures start from its own storage of the same records.
    await restore(page, url, appDump);
    log(`  wrote the app's storage of the ${RECORDS} records (${(appUnits / RECORDS).toFixed(0)} UTF-16 units each on average)`);

    await attempt('start-up', run, async () => {
      const cold = await firstRow(page, `${url}/trainings`, 'app (first visit)');
      push('startup.cold', real(cold.ms, 'app cold start-up'));
      if (cold.total !== TRAININGS) throw new Error(`the app lists ${cold.total} trainings, expected ${TRAININGS}`);
      // The next start is an installed app's: files from the service worker, code cached.
      const worker = await within(30000, 'service worker ready', page.evaluate(() => navigator.serviceWorker.ready.then(() => true)));
      if (!worker) notes.add('no service worker');
      const warm = await firstRow(page, `${url}/trainings`, 'app');
      push('startup.app', real(warm.ms, 'app start-up'));
      shown.trainings = warm.rows;
      push('load', real(warm.load, 'fl:load measure (missing: a build without timing marks?)'));
      log(`  start-up app: first row at ${warm.ms.toFixed(0)} ms (fl:load ${warm.load.toFixed(0)} ms, ${warm.rows} rows shown); first visit ${cold.ms.toFixed(0)} ms`);
    });

    await attempt('filter', run, async () => {
      await page.goto(`${url}/visits`);
      await appReady(page);
      await listCount(page, 'visits', VISITS.length);
      if (!(await page.$('#filter-text'))) {
        notes.add('filter: not in this build');
        log('  filter: not in this build');
        return;
      }
      shown.visits = await page.$$eval('.record-list li', (rows) => rows.length);
      const { times, frames } = await typeFilter(page, 'app');
      times.forEach((t, i) => push(`filter.app.${i}`, t));
      for (const t of times) push('filter.app', t);
      for (const t of frames) push('filter.app.frame', t);
      const own = await page.evaluate(() => performance.getEntriesByName('fl:filter').map((e) => e.duration));
      for (const t of own.slice(-FILTER_STEPS.length)) push('filter.own', t);
      log(`  filter app: ${times.map((t) => t.toFixed(2)).join(', ')} ms (to the next frame: ${frames.map((t) => t.toFixed(1)).join(', ')} ms)`);
    });

    for (let save = 1; save <= SAVES; save += 1) await attempt('save', run, async () => {
      await page.goto(`${url}/trainings/new`);
      await within(60000, 'the training form', page.waitForSelector('form.record-form', { timeout: 0 }));
      // The form's fields are #field-<name> (#<name> in older builds).
      for (const [name, value] of [['date', '2022-12-20'], ['topic', '水稻秋季田间管理与收获技术'], ['attendance', '36']]) {
        const field = await page.$(`#field-${name}`) ?? await page.$(`#${name}`);
        if (!field) throw new Error(`the training form has no #field-${name} (nor #${name})`);
        await field.fill(value, { timeout: 10000 });
      }
      // The keys before the save: the saved record's is the new one that holds its topic
      // (found so whatever the storage layout).
      await page.evaluate(() => { window.__benchKeys = new Set(Object.keys(localStorage)); });
      await page.waitForTimeout(300);
      await page.click('form.record-form button[type=submit]');
      await within(30000, 'saving the training (URL /trainings/<id>)', page.waitForURL(/\/trainings\/[0-9a-f-]{36}$/, { timeout: 0 }));
      const id = page.url().split('/').pop();
      saved.push(id);
      const found = await page.evaluate((topic) => {
        const save = performance.getEntriesByName('fl:save').at(-1)?.duration ?? null;
        const added = Object.keys(localStorage).filter((k) => !window.__benchKeys.has(k) && localStorage.getItem(k).includes(topic));
        if (added.length !== 1) return { save, error: `${added.length} new keys hold the saved record (${added.join(', ')})` };
        return { save, key: added[0] };
      }, '水稻秋季田间管理与收获技术');
      if (found.error) throw new Error(found.error);
      // The baseline under the same conditions as the app's save: the first write of a
      // freshly loaded page, after the same pause. It writes the saved record's stored JSON
      // once under a fresh key, then removes it.
      await page.goto(`${url}/trainings/new`);
      await within(60000, 'the training form', page.waitForSelector('form.record-form', { timeout: 0 }));
      await page.waitForTimeout(300);
      const measured = await page.evaluate((key) => {
        const json = localStorage.getItem(key);
        const t0 = performance.now();
        localStorage.setItem('fl.bench.save', json);
        const ms = performance.now() - t0;
        localStorage.removeItem('fl.bench.save');
        return { base: ms, units: key.length + json.length, isolated: crossOriginIsolated };
      }, found.key);
      measured.save = found.save;
      if (measured.error) throw new Error(measured.error);
      if (!measured.isolated) notes.add('pages not cross-origin isolated: timings in 0.1 ms steps');
      if (!(measured.base > 0)) throw new Error(`the baseline setItem timed ${measured.base} ms (below the timer's resolution)`);
      push('save.app', real(measured.save, 'fl:save measure (missing: a build without timing marks?)'));
      push('save.base', real(measured.base, 'baseline setItem'));
      log(`  save ${save}: fl:save ${measured.save.toFixed(3)} ms, baseline setItem ${measured.base.toFixed(3)} ms (${measured.units} units)`);
    });

    await attempt('export', run, async () => {
      await page.goto(`${url}/exchange`);
      await within(60000, 'the export button', page.waitForSelector('#export-json', { timeout: 0 }));
      // A person looks at the page before tapping Export (as before a save).
      await page.waitForTimeout(300);
      const [download] = await within(60000, 'the export download', Promise.all([
        page.waitForEvent('download', { timeout: 0 }), page.click('#export-json'),
      ]));
      const file = JSON.parse(await readFile(await download.path(), 'utf8'));
      // Baseline: the same records as plain objects (the seeded ones, handed to the page).
      const measured = await page.evaluate((records) => {
        const exported = performance.getEntriesByName('fl:export').at(-1)?.duration ?? null;
        const steps = ['draft', 'hash-start', 'records', 'hash', 'finish'].map((step) => [step, performance.getEntriesByName(`fl:export-${step}`).at(-1)?.duration]);
        // Compact, as the app writes a record (one per line).
        const t0 = performance.now();
        const text = JSON.stringify(records);
        return { exported, steps, base: performance.now() - t0, count: records.length, chars: text.length };
      }, seeded);
      const inFile = new Set((file.records ?? []).map((r) => r.id));
      const missing = [...seeded.map((r) => r.id), ...saved].filter((id) => !inFile.has(id));
      if (missing.length || inFile.size !== RECORDS + saved.length) {
        throw new Error(`the export holds ${inFile.size} records, expected the ${RECORDS} seeded and ${saved.length} saved (${missing.length} missing)`);
      }
      push('export.app', real(measured.exported, 'fl:export measure (missing: a build without timing marks?)'));
      push('export.base', real(measured.base, 'baseline JSON.stringify'));
      const steps = measured.steps.filter(([, ms]) => ms !== undefined).map(([step, ms]) => `${step} ${ms.toFixed(1)}`).join(', ');
      // A second export in the same page: the code has run once (compiled, and tiered up).
      await within(60000, 'the second export download', Promise.all([
        page.waitForEvent('download', { timeout: 0 }), page.click('#export-json'),
      ]));
      const { again, againSteps } = await page.evaluate(() => ({
        again: performance.getEntriesByName('fl:export').at(-1)?.duration ?? null,
        againSteps: ['draft', 'hash-start', 'records'].map((step) => `${step} ${performance.getEntriesByName(`fl:export-${step}`).at(-1)?.duration?.toFixed(1)}`).join(', '),
      }));
      if (again !== null) push('export.again', again);
      log(`  export: fl:export ${measured.exported.toFixed(0)} ms${steps ? ` (${steps} ms)` : ''}, again in the same page ${again?.toFixed(0)} ms (${againSteps} ms), baseline JSON.stringify ${measured.base.toFixed(0)} ms (${measured.count} records, ${(measured.chars / 1e6).toFixed(1)} M chars)`);
    });
  } finally {
    for (const e of profile.errors) warnings.add(e.slice(0, 200));
    await profile.close();
  }
}

/** Measure 6: the import of 10 files × 1 000 records into a fresh profile. */
async function importRun(run, url, paths) {
  const profile = await launch();
  const { page } = profile;
  try {
    await attempt('import', run, async () => {
      await signIn(page, url, '协调员');
      await page.goto(url + '/exchange');
      await appReady(page);
      // Heap samples while the import runs (the page yields between files, so they land).
      await page.evaluate(() => {
        window.__benchPeak = performance.memory.usedJSHeapSize;
        window.__benchSampler = setInterval(() => {
          window.__benchPeak = Math.max(window.__benchPeak, performance.memory.usedJSHeapSize);
        }, 5);
      });
      const t0 = Date.now();
      await page.setInputFiles('#import-files', paths);
      await within(120000, 'the import report', page.waitForFunction(() => /导入完成/.test(document.querySelector('#import-status')?.textContent ?? '')
        || document.querySelector('.import .save-error'), null, { timeout: 0 }));
      const ms = Date.now() - t0;
      const failure = await page.$('.import .save-error');
      if (failure) throw new Error(`import failed: ${await failure.textContent()}`);
      const added = await page.$$eval('.import-report .added', (cells) => cells.reduce((sum, c) => sum + Number(c.textContent), 0));
      if (added !== FILES * PER_FILE) throw new Error(`imported ${added} records, expected ${FILES * PER_FILE}`);
      // The app's own steps, summed over the files (User Timing measures).
      const steps = await page.evaluate(() => {
        const sums = {};
        for (const m of performance.getEntriesByType('measure')) {
          if (m.name.startsWith('fl:import-')) sums[m.name.slice(10)] = (sums[m.name.slice(10)] ?? 0) + m.duration;
        }
        return Object.entries(sums).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');
      });
      const memory = await page.evaluate(() => {
        clearInterval(window.__benchSampler);
        const heap = performance.memory.usedJSHeapSize;
        return { heap, peak: Math.max(window.__benchPeak, heap), wasm: window.__benchWasm?.memory?.buffer.byteLength ?? null };
      });
      push('import', ms);
      push('heap', memory.heap / 2 ** 20);
      push('heap.peak', memory.peak / 2 ** 20);
      if (memory.wasm !== null) push('wasm', memory.wasm / 2 ** 20);
      log(`  import: ${ms} ms (${steps} ms); JS heap ${(memory.heap / 2 ** 20).toFixed(1)} MB (peak ${(memory.peak / 2 ** 20).toFixed(1)} MB), wasm memory ${memory.wasm === null ? '?' : (memory.wasm / 2 ** 20).toFixed(1)} MB`);
    });
  } finally {
    for (const e of profile.errors) warnings.add(e.slice(0, 200));
    await profile.close();
  }
}

/** An export file (as the app writes one) of the generator's full records `from` … `to - 1`. */
function capacityFile(from, to) {
  const records = [];
  for (let n = from; n < to; n += 1) records.push(makeRecord(n));
  const checksum = 'sha256:' + createHash('sha256').update(canonical(records)).digest('hex');
  return JSON.stringify({
    format: 'field-ledger-export', schema_version: 1, app_version: '0.1.0', device_id: deviceOf(0),
    exported_at: '2022-12-31T08:00:00Z', since: null, checksum, records,
  });
}

/**
 * Measure 7: how many full records fit in a fresh profile's localStorage, stored by the app
 * itself (so in whatever layout it writes): export files of the generator's records are
 * imported on /exchange, 1 000 records a file, until an import is refused for want of room
 * (an import is all or nothing); then files of 100, 10 and 1 record close in on the limit.
 */
async function capacityRun(run, url) {
  const profile = await launch();
  const { page } = profile;
  const dir = await mkdtemp(join(tmpdir(), 'field-ledger-bench-capacity-'));
  try {
    await attempt('capacity', run, async () => {
      await page.goto(`${url}/bench-baseline.html?idle=1`);
      await page.evaluate(async () => {
        const m = await import('/bench-baseline.mjs');
        localStorage.clear();
        localStorage.setItem('fl.layout', '1');
        localStorage.setItem('fl.v1.settings', m.settingsJson());
      });
      const openSync = async () => {
        await page.goto(`${url}/exchange`);
        await within(60000, 'the import button', page.waitForSelector('#import-files', { state: 'attached', timeout: 0 }));
      };
      await openSync();
      const empty = unitsOf(await dumpStorage(page), 'fl.');
      let fitted = 0;
      let refusal = null;
      let imports = 0;
      for (const size of [1000, 100, 10, 1]) {
        for (;;) {
          imports += 1;
          const name = `capacity-${String(imports).padStart(4, '0')}-${fitted}-${size}.json`;
          const path = join(dir, name);
          await writeFile(path, capacityFile(fitted, fitted + size));
          await page.setInputFiles('#import-files', path);
          const outcome = await within(120000, `importing ${name}`, page.waitForFunction((name) => {
            if (document.querySelector('.import .save-error')) return 'refused';
            const rows = [...document.querySelectorAll('.import-report tr')];
            return rows.some((row) => row.textContent.includes(name)) ? 'imported' : null;
          }, name, { timeout: 0, polling: 50 }).then((h) => h.jsonValue()));
          if (outcome === 'imported') {
            fitted += size;
            continue;
          }
          refusal = await page.textContent('.import .save-error');
          // A fresh page for the next import (the refusal stays on screen until then).
          await openSync();
          break;
        }
        if (fitted > 1e6) throw new Error('a million records fitted: no quota?');
      }
      const dump = await dumpStorage(page);
      const units = unitsOf(dump, 'fl.') - empty;
      const all = unitsOf(dump);
      push('capacity', real(fitted, 'records fitted'));
      push('record.units', units / fitted);
      log(`  capacity: ${fitted} records fit (${(units / fitted).toFixed(0)} UTF-16 units each, ${all} in all, ${imports} imports); the next import was refused: "${refusal}"`);
    });
  } finally {
    await profile.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Measure 1: the files a first visit loads (index.html, what it references, the loader's
 * script and wasm), the service worker and the manifest; gzip -9 and brotli -q 11. */
async function firstLoad() {
  const found = new Set(['index.html', 'sw.js', 'manifest.webmanifest']);
  const queue = ['index.html'];
  while (queue.length) {
    const file = queue.shift();
    if (!/\.(html|js)$/.test(file)) continue;
    const text = await readFile(join(DIST, file), 'utf8');
    for (const m of text.matchAll(/(?:href|src)=["']([^"']+)["']|module_or_path:\s*["']([^"']+)["']|from\s+["']([^"']+)["']/g)) {
      const ref = (m[1] ?? m[2] ?? m[3]).replace(/^\.?\//, '');
      if (/^[a-z]+:/i.test(ref) || ref === '' || found.has(ref)) continue;
      found.add(ref);
      queue.push(ref);
    }
  }
  const files = [];
  for (const file of found) {
    const body = await readFile(join(DIST, file)).catch(() => { throw new Error(`first load: ${file} is referenced but not in ${DIST}`); });
    files.push({
      file, raw: body.length, gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }).length,
    });
  }
  const total = (k) => files.reduce((s, f) => s + f[k], 0);
  for (const f of files) log(`  ${f.file.padEnd(44)} ${String(f.raw).padStart(9)} ${String(f.gzip).padStart(9)} ${String(f.brotli).padStart(9)}`);
  log(`  ${'total (raw, gzip, brotli bytes)'.padEnd(44)} ${String(total('raw')).padStart(9)} ${String(total('gzip')).padStart(9)} ${String(total('brotli')).padStart(9)}`);
  // The parts split out of the first wasm (code splitting): fetched on a page's first visit,
  // and by the service worker at install, so that every page works offline.
  const lazy = (await readdir(DIST)).filter((f) => f.endsWith('.wasm') && !found.has(f));
  let lazyBrotli = 0;
  for (const file of lazy) {
    const body = await readFile(join(DIST, file));
    lazyBrotli += brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }).length;
  }
  if (lazy.length) log(`  ${`${lazy.length} parts loaded on first use (brotli bytes)`.padEnd(44)} ${String(lazyBrotli).padStart(29)}`);
  return { gzip: total('gzip') / 1024, brotli: total('brotli') / 1024, lazy: lazyBrotli / 1024, lazyFiles: lazy.length };
}

// ---------------------------------------------------------------------------------------
// The run.
if (!(await stat(join(DIST, 'index.html')).catch(() => null))) {
  throw new Error(`no build in ${DIST}: run scripts/bench.sh (or trunk build --release) first`);
}
log(`bench: ${RUNS} runs of each measure, build in ${DIST}`);
if (LOAD_BEFORE[0] > cpus().length / 2) {
  log(`note: load average ${LOAD_BEFORE[0].toFixed(1)} on ${cpus().length} CPUs: other work is running, the figures will be noisy`);
}
const root = await mkdtemp(join(tmpdir(), 'field-ledger-bench-root-'));
await cp(DIST, root, { recursive: true });
for (const f of ['bench-baseline.html', 'bench-baseline.mjs']) await cp(join(import.meta.dirname, f), join(root, f));
const dir = await mkdtemp(join(tmpdir(), 'field-ledger-bench-'));
const paths = [];
for (let f = 0; f < FILES; f += 1) {
  const path = join(dir, `officer-${f}.json`);
  await writeFile(path, exportFile(f));
  paths.push(path);
}
const server = await serve(root);
let size;
try {
  log('first load size');
  size = await firstLoad();
  log('first screens (tests/e2e/first-screens.mjs)');
  size.screens = await measureFirstScreens({ dist: DIST });
  log(`the app's storage of ${RECORDS} records`);
  const appDump = await appStorage(server.url);
  for (let run = 1; run <= RUNS; run += 1) {
    log(`run ${run}/${RUNS}: ${RECORDS} records stored`);
    if (runs('stored')) await storedRun(run, server.url, appDump);
    log(`run ${run}/${RUNS}: import`);
    if (runs('import')) await importRun(run, server.url, paths);
    log(`run ${run}/${RUNS}: localStorage capacity`);
    if (runs('capacity')) await capacityRun(run, server.url);
  }
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
  await rm(root, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------
// The table.
const stats = (xs) => {
  if (!xs?.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], n: s.length };
};
const fmt = (x, digits) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const failed = (name) => failures.some((f) => f.name === name);

/**
 * One row: the app's median, min and max; the baseline's median; the ratio; the goal and
 * whether it is met (`check(median, ratio)`), or "failed"/"not measured" when it has no data.
 */
function row(label, name, { base, digits = 0, goal = 'reported', check, attemptName } = {}) {
  const a = stats(results[name]);
  const b = base ? stats(results[base]) : null;
  if (!a) {
    const why = attemptName && failed(attemptName) ? 'failed' : 'not measured';
    return [label, why, '—', '—', '—', '—', goal, check ? 'no' : '—'];
  }
  const ratio = b ? a.median / b.median : null;
  const met = check ? (check(a.median, ratio) ? 'yes' : 'no') : '—';
  return [label, fmt(a.median, digits), fmt(a.min, digits), fmt(a.max, digits),
    b ? fmt(b.median, digits + 1) : '—', ratio === null ? '—' : `${ratio.toFixed(2)}×`, goal, met];
}

const SCREEN_NAMES = {
  'first-start': 'first start (name and role)', officer: "officer's home", coordinator: "coordinator's home",
  'officer-with-records': "officer's home with a record",
};
const filterSkipped = [...notes].includes('filter: not in this build');
const rows = [
  ...size.screens.map((s) => [`${SCREEN_NAMES[s.name] ?? s.name}: what the page fetches until it is up, brotli -q 11 (KB, ${s.files.length} files)`,
    (s.total / 1024).toFixed(1), '—', '—', '—', '—', '≤ 230', s.total <= 230 * 1024 ? 'yes' : 'no']),
  ['index.html and the files it names, gzip -9 (KB)', size.gzip.toFixed(1), '—', '—', '—', '—', 'reported', '—'],
  ...(size.lazyFiles ? [[`the other ${size.lazyFiles} parts, on first use and for offline, brotli (KB)`, size.lazy.toFixed(1), '—', '—', '—', '—', 'reported', '—']] : []),
  row('start-up, 10 000 records: first list row (ms)', 'startup.app', { base: 'startup.base', goal: '≤ 2× baseline', check: (m, r) => r <= 2, attemptName: 'start-up' }),
  row('start-up on the first visit, cold cache (ms)', 'startup.cold', { base: 'startup.base.cold', attemptName: 'start-up' }),
  row('`fl:load`: read and decode 10 000 records (ms)', 'load', { attemptName: 'start-up' }),
  row('save one record, 10 000 stored: `fl:save` (ms)', 'save.app', { base: 'save.base', digits: 3, goal: '≤ 3× baseline', check: (m, r) => r <= 3, attemptName: 'save' }),
  filterSkipped
    ? ['filter keystroke over 10 000 records (ms)', 'not in this build', '—', '—', '—', '—', '≤ 16 and ≤ 3× baseline', '—']
    : row('filter keystroke over 10 000 records (ms)', 'filter.app', { base: 'filter.base', digits: 1, goal: '≤ 16 and ≤ 3× baseline', check: (m, r) => m <= 16 && r <= 3, attemptName: 'filter' }),
  ...(filterSkipped ? [] : [
    row('filter keystroke to the next frame painted (ms)', 'filter.app.frame', { base: 'filter.base.frame', digits: 1, attemptName: 'filter' }),
    row('`fl:filter`: the app\'s own matching step (ms)', 'filter.own', { digits: 2, attemptName: 'filter' }),
  ]),
  row('full export of 10 000 records, cold: `fl:export` (ms)', 'export.app', { base: 'export.base', goal: '≤ 3× baseline', check: (m, r) => r <= 3, attemptName: 'export' }),
  row('the same export again in the same page (ms)', 'export.again', { base: 'export.base', attemptName: 'export' }),
  row('import + merge of 10 files × 1 000 records (ms)', 'import', { goal: '≤ 1 000', check: (m) => m <= 1000, attemptName: 'import' }),
  row('JS heap after the import (MB)', 'heap', { digits: 1, attemptName: 'import' }),
  row('JS heap peak during the import (MB)', 'heap.peak', { digits: 1, attemptName: 'import' }),
  row('wasm memory after the import (MB)', 'wasm', { digits: 1, attemptName: 'import' }),
  row('localStorage capacity (full records)', 'capacity', { goal: '≥ 10 000', check: (m) => m >= 10000, attemptName: 'capacity' }),
  row('average stored record, key + value (UTF-16 units)', 'record.units', { attemptName: 'capacity' }),
];
const table = ['| measure | median | min | max | baseline | app/baseline | goal | met |',
  '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const steps = filterSkipped || !results['filter.app.0'] ? '' : `
Filter keystrokes, median per keystroke (app / baseline, ms): ${FILTER_STEPS.map((s, i) =>
  `"${s}" → ${FILTER_EXPECTED[i]} matches: ${fmt(stats(results[`filter.app.${i}`])?.median, 1)} / ${fmt(stats(results[`filter.base.${i}`])?.median, 2)}`).join('; ')}.
`;

console.log('');
console.log(table);
console.log(steps);
for (const n of notes) console.log(`note: ${n}`);
for (const w of warnings) console.log(`the app logged: ${w}`);
for (const f of failures) console.log(`failed (run ${f.run}): ${f.name}: ${f.message}`);

const chromiumVersion = execSync(`${CHROMIUM} --version`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
const machine = `${cpus().length} × ${cpus()[0].model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}; ${chromiumVersion}; Node ${process.version}; load average ${load(LOAD_BEFORE)} before, ${load(loadavg())} after`;
// The full records as plain JSON under layout 1's keys, for comparison with the capacity row.
const plainSample = Math.round(stats(results.capacity)?.median ?? RECORDS);
let plainUnits = 0;
for (let n = 0; n < plainSample; n += 1) {
  const r = makeRecord(n);
  plainUnits += RECORD_PREFIX.length + r.id.length + JSON.stringify(r).length;
}
plainUnits /= plainSample;
const markdown = `# Benchmarks

Release build, headless Chromium, measured by \`scripts/bench.sh\` (\`tests/e2e/bench.mjs\`), not
part of the test run. ${RUNS} runs of each measure, each run in a fresh browser profile; median,
min and max over the runs. The baseline is a raw-JavaScript page or
snippet doing the same job naively (\`tests/e2e/bench-baseline.html\` and \`bench-baseline.mjs\`,
served on the app's origin so that it reads the same localStorage); app/baseline compares
medians. The pages are served cross-origin isolated (COOP and COEP headers), which gives
\`performance.now()\` 5 µs steps instead of 100 µs.

Machine: ${machine}.

${table}
${steps}
The stored records come from a deterministic generator (\`bench-baseline.mjs\`): 40 % trainings,
20 % technologies, 40 % visits, dated in 2022, with Chinese topics, trainers, villages, hosts,
partners, problems, advice and notes, every record valid by the app's own checks. Chromium
gives an origin 5 Mi UTF-16 units (10 MiB) of localStorage, and these records, with every
optional field filled at a realistic rate, take ${fmt(stats(results['record.units'])?.median, 0)} units each as the app stores them
(key and value; ${plainUnits.toFixed(0)} as plain JSON under \`fl.v1.rec.<id>\`, storage layout 1): that
is the capacity row. The start-up, save, filter and export measures store the same 10 000
records in their lean form (without the optional times, notes, team, location and head counts):
${(seededUnits / RECORDS).toFixed(0)} units each as plain JSON (layout 1, what the baseline reads) and
${appUnits === null ? '?' : (appUnits / RECORDS).toFixed(0)} as the app stores them.

- **First screens**: what users wait for, measured as the test command's size check does
  (\`tests/e2e/first-screens.mjs\`): the release build in headless Chromium at 1024 × 768, every
  file the page fetches until the screen is up (the name and role prompt; the officer's
  record buttons; the coordinator's 报送情况) and the network idle, each compressed with
  brotli quality 11. The gzip row is index.html, every file it or the loader script
  references (the app's script and wasm, the loader of the split-out parts), the service
  worker and the web manifest, at gzip level 9; the row after it is the wasm parts split out
  of the main wasm (fetched on a page's first visit, and by the service worker at install).
- **Start-up**: localStorage is seeded directly with the records as plain JSON under layout
  1's keys (\`fl.layout\` 1, \`fl.v1.settings\`, \`fl.v1.rec.<id>\`), which the baseline pages
  read. For the app, a scratch profile opens that storage once (the app migrates it to its
  current layout) and its localStorage is copied; each run writes that copy back before the
  app's first visit. Then the list page \`/trainings\` is opened;
  the time runs from navigation start to the first \`.record-list li\` (a MutationObserver
  installed before the page's own scripts). The app's row is its second start (files from
  the service worker, as an installed app starts); the first visit (nothing cached) is the
  row below, against the baseline's first visit. \`fl:load\` is the app's own measure of
  reading and decoding the stored records. Baseline: a page that reads every \`fl.v1.rec.*\`
  key, \`JSON.parse\`s it, keeps the trainings, sorts them newest first and renders every row
  (date, topic, context) as plain DOM; the app rendered ${shown.trainings ?? '?'} rows of its list.
- **Save**: a new training through the form at \`/trainings/new\` with 10 000 records stored,
  ${SAVES} times a run, each in a freshly loaded page; the app's \`fl:save\` measure (encoding the
  record and writing its key). Baseline: the first write of another freshly loaded page, after
  the same pause, of the saved record's
  stored value (the one new key that holds its topic) written once with
  \`localStorage.setItem\` under a fresh key (then removed).
- **Filter**: on \`/visits\` (4 000 of the 10 000 records), \`#filter-text\` is set and an
  \`input\` event dispatched for each of "${FILTER_STEPS.join('", "')}" (typing 水稻种 character by
  character, then deleting back to empty; every keystroke of every run is a sample). The
  time runs from the event to \`p.count\`'s \`data-count\` showing the expected number of
  matches (a MutationObserver; the app's rows change in the same turn), and, in the next
  row, on to the next frame (a message posted from the next \`requestAnimationFrame\`
  arrives after that frame's style, layout and paint). Baseline: the same keystrokes on a
  plain page whose input handler runs \`Array.filter\` over all 10 000 parsed records
  (lowercased text prepared once, as the app does) and replaces the list's rows with the
  first ${FILTER_WINDOW} matches (the app's list rendered ${shown.visits ?? '?'} rows).
  \`fl:filter\` is the app's own measure of the matching alone.
- **Export**: the full JSON export on \`/exchange\` (\`#export-json\`), in a fresh page, tapped
  300 ms after the page shows its button (a person looks first; the app does no work of its
  own meanwhile, so this is a cold export: its code runs for the first time); the
  app's \`fl:export\` measure (gathering the records, writing the file's text, one compact
  record per line, and its checksum, up to the bytes handed to the download); the downloaded
  file is checked to hold every seeded and saved record.
  Baseline: \`JSON.stringify(records)\` (compact) of the same 10 000 records as plain
  objects, in the same page.
- **Import**: timed from handing the files to the page to the report being shown: reading
  each file, checking it in full (format, schema, checksum, every record's fields), merging
  into the ledger and one all-or-nothing write of the 10 000 new records to localStorage.
  Memory: \`performance.memory.usedJSHeapSize\` (exact, \`--enable-precise-memory-info\`)
  after the import, and its peak sampled every 5 ms during it; the wasm linear memory
  after it (it only grows, so this is also its peak).
- **Capacity**: in a fresh profile, the app imports export files of the generator's full
  records on \`/exchange\` (\`#import-files\`), 1 000 records a file, until an import is refused
  because storage is full (an import is all or nothing), then files of 100, 10 and 1 record
  up to the limit; the units are those of every \`fl.\` key after the imports, less those
  before, per record. So the figure holds whatever storage layout the app writes.
${notes.size ? `\nNotes from this run: ${[...notes].join('; ')}.\n` : ''}`;

if (failures.length) {
  console.log(`\n${failures.length} measurement(s) failed; BENCHMARKS.md is left as it was.`);
  process.exitCode = 1;
} else if (ONLY.length || EXTRA_FLAGS.length) {
  log('a partial or experimental run (BENCH_ONLY, BENCH_FLAGS): BENCHMARKS.md is left as it was');
} else {
  // After the figures: Lighthouse's and the sync's sections, written by their own benchmarks
  // in this run (scripts/bench.sh runs them first); what was tried and what it gave, and
  // the scale test's figures, kept by hand.
  const here = (file) => resolve(import.meta.dirname, file);
  const section = async (file) => (file ? readFile(file, 'utf8').catch(() => '') : '');
  const parts = [
    markdown,
    await section(process.env.BENCH_LIGHTHOUSE_OUT),
    await readFile(here('bench-findings.md'), 'utf8'),
    await section(process.env.BENCH_SYNC_OUT),
    await readFile(here('bench-scale.md'), 'utf8'),
  ];
  await writeFile(here('../../BENCHMARKS.md'), parts.filter(Boolean).join('\n'));
  log('wrote BENCHMARKS.md');
}
