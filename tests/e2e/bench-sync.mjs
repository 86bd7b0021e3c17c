// Sync benchmark on the release build in headless Chromium (not pass/fail, like bench.mjs):
// the app's live sync (src/replication/engine.rs) against pouchdb-server, with PouchDB's own
// replicator in the same browser, on the same origin, through the same proxy to the same
// server as the reference. Prints a markdown table and writes the section for BENCHMARKS.md
// to BENCH_SYNC_OUT (default /tmp/bench-sync-section.md).
//
//   1. Push: 3 officers' tablets (fresh profiles, each with 3 000 of the generator's records in
//      localStorage, its own CouchDB user) sync one after the other to an empty database.
//   2. Pull: a coordinator's empty tablet syncs the 9 000.
//   3. Reference: PouchDB 9 (IndexedDB) pushes the same documents (the bodies the app wrote,
//      read back from the server) from a local database to a fresh one, per officer and as
//      that officer, then pulls the 9 000 into an empty local database as the coordinator;
//      batch_size 500, as the app's batches.
//
// The server's views for a city (50 000 records) are timed by server-scale.test.mjs, which
// also checks their figures.
//
// Environment: BENCH_RUNS (default 3) runs of the sync, a fresh server and fresh profiles for
// each; BENCH_DIST (default ../../dist); CHROMIUM.
import { writeFile, mkdtemp, rm, cp, readFile } from 'node:fs/promises';
import { execSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { homedir, tmpdir, cpus, totalmem, release, loadavg } from 'node:os';
import { serve, launchProfile, appReady, signIn, DIST as DEFAULT_DIST } from './harness.mjs';
import { ALL_DOCS, startCouch } from './couch.mjs';
import { makeRecord, deviceOf, settingsJson, RECORD_PREFIX } from './bench-baseline.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS must be a whole number ≥ 1, not ${process.env.BENCH_RUNS}`);
const DIST = resolve(process.env.BENCH_DIST ?? DEFAULT_DIST);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = process.env.BENCH_SYNC_OUT ?? '/tmp/bench-sync-section.md';
const TOOLS_DIR = process.env.FIELD_LEDGER_TOOLS ?? join(homedir(), '.local/share/field-ledger');
const POUCHDB_JS = join(TOOLS_DIR, 'pouchdb-bench/node_modules/pouchdb/dist/pouchdb.min.js');
const POUCHDB_VERSION = JSON.parse(await readFile(join(TOOLS_DIR, 'pouchdb-bench/node_modules/pouchdb/package.json'), 'utf8')).version;

const PER_DEVICE = 3000;
const OFFICERS = ['刘强', '王丽', '张伟']; // CouchDB user names, and the records' authors
const COORDINATOR = '赵磊';
const PASSWORD = 'bench-sync-secret';
const BATCH = 500;
const SYNC_LIMIT_MS = 10 * 60 * 1000;
const DB = 'ledger';

const started = Date.now();
const LOAD_BEFORE = loadavg();
const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

// ---------------------------------------------------------------------------------------
// The officers' records: the generator's records 0 … 8 999, officer k holding 3 000 of them,
// written by k on k's tablet (author and device id), so that the server takes them as k's.
function officerRecords(k) {
  return Array.from({ length: PER_DEVICE }, (_, i) => {
    const r = makeRecord(k * PER_DEVICE + i);
    r.author = OFFICERS[k];
    r.device_id = deviceOf(k);
    return r;
  });
}

/** Officer k's tablet storage in layout 1 (the app migrates it on its first start). */
function officerStorage(k) {
  const settings = { ...JSON.parse(settingsJson()), device_id: deviceOf(k), author: OFFICERS[k], language: 'en', role: 'officer' };
  return {
    settings: JSON.stringify(settings),
    records: officerRecords(k).map((r) => [RECORD_PREFIX + r.id, JSON.stringify(r)]),
  };
}

// ---------------------------------------------------------------------------------------
// Small helpers.

function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms / 1000} s`)), ms); }),
  ]);
}

function stats(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v.at(-1), n: v.length };
}

/** Total time covered by a set of [start, end] intervals (requests may overlap). */
function covered(intervals) {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [s, e] = [null, null];
  for (const [a, b] of sorted) {
    if (s === null || a > e) {
      if (s !== null) total += e - s;
      [s, e] = [a, b];
    } else if (b > e) e = b;
  }
  if (s !== null) total += e - s;
  return total;
}

/** What a request to the database is, for the breakdowns: `_changes`, `_bulk_get`, … */
const kindOf = (path) => {
  const tail = path.replace(/^.*?\/couch\/[^/?]+/, '');
  if (tail === '' || tail === '/' || tail.startsWith('/?')) return 'db';
  const m = tail.match(/^\/(_[a-z_]+)/);
  return m ? m[1] : 'doc';
};

// ---------------------------------------------------------------------------------------
// The app.

/**
 * Clicks `selector` (which starts a sync) and waits for `#sync-status` to say the sync ended.
 * Returns the time from the click to that text, the text, the database requests made in
 * between (Resource Timing, relative to the click) and the app's own `fl:sync…` measures if
 * it has any.
 */
async function timedSync(page, selector) {
  const result = await within(SYNC_LIMIT_MS + 5000, `sync after clicking ${selector}`, page.evaluate(({ selector, limit }) => new Promise((resolve) => {
    performance.setResourceTimingBufferSize(100000);
    performance.clearResourceTimings();
    const status = document.querySelector('#sync-status');
    const button = document.querySelector(selector);
    if (!status || !button) return resolve({ error: `no ${status ? selector : '#sync-status'} on the page` });
    let t0 = 0;
    let finished = false;
    const running = (text) => text === '' || text.endsWith('…');
    const finish = (timedOut) => {
      if (finished) return;
      finished = true;
      const t1 = performance.now();
      observer.disconnect();
      clearTimeout(timer);
      const requests = performance.getEntriesByType('resource')
        .filter((e) => e.name.includes('/couch/') && e.startTime >= t0)
        .map((e) => ({ path: new URL(e.name).pathname + new URL(e.name).search, start: e.startTime - t0, end: e.responseEnd - t0, bytes: e.transferSize }));
      const measures = performance.getEntriesByType('measure')
        .filter((m) => m.name.startsWith('fl:sync') && m.startTime >= t0)
        .map((m) => ({ name: m.name, ms: m.duration }));
      resolve({ ms: t1 - t0, text: status.textContent.trim(), timedOut, requests, measures });
    };
    const observer = new MutationObserver(() => { if (!running(status.textContent.trim())) finish(false); });
    observer.observe(status, { childList: true, subtree: true, characterData: true });
    const timer = setTimeout(() => finish(true), limit);
    t0 = performance.now();
    button.click();
  }), { selector, limit: SYNC_LIMIT_MS }));
  if (result.error) throw new Error(result.error);
  const counts = result.text.match(/(\d+) received, (\d+) sent/) ?? result.text.match(/下载 (\d+) 条，上传 (\d+) 条/);
  result.down = counts ? Number(counts[1]) : null;
  result.up = counts ? Number(counts[2]) : null;
  result.ok = Boolean(counts) && !result.timedOut;
  // Split at the first _revs_diff: before it the pull (and start), after it the push.
  const firstPush = result.requests.findIndex((r) => kindOf(r.path) === '_revs_diff');
  const pullEnd = firstPush < 0 ? null : Math.max(0, ...result.requests.slice(0, firstPush).map((r) => r.end));
  result.pullMs = firstPush < 0 ? result.ms : pullEnd;
  result.pushMs = firstPush < 0 ? null : result.ms - pullEnd;
  result.waitMs = covered(result.requests.map((r) => [r.start, r.end]));
  result.pushWaitMs = firstPush < 0 ? null : covered(result.requests.slice(firstPush).map((r) => [Math.max(r.start, pullEnd), r.end]));
  result.byKind = {};
  for (const r of result.requests) {
    const k = kindOf(r.path);
    result.byKind[k] ??= { n: 0, ms: 0 };
    result.byKind[k].n += 1;
    result.byKind[k].ms += r.end - r.start;
  }
  return result;
}

/** Fills the server form (the address is the app's own origin's /couch, via the proxy). */
async function configure(page, user) {
  await page.fill('#sync-url', '/couch');
  await page.fill('#sync-database', DB);
  await page.fill('#sync-user', user);
  await page.fill('#sync-password', PASSWORD);
}

/** UTF-16 units in the page's localStorage (keys and values), and the record count. */
const storageUnits = (page) => page.evaluate(() => {
  let units = 0;
  for (let i = 0; i < localStorage.length; i += 1) {
    const k = localStorage.key(i);
    units += k.length + localStorage.getItem(k).length;
  }
  let state = 0;
  for (let i = 0; i < localStorage.length; i += 1) {
    const k = localStorage.key(i);
    if (k === 'fl.sync.state' || k.startsWith('fl.sync.j.')) state += k.length + localStorage.getItem(k).length;
  }
  return { units, state, layout: localStorage.getItem('fl.layout') };
});

/**
 * What a page logged, in `problems` once per distinct message (a first sync's request for
 * its checkpoint, `_local/…`, is answered 404 by design, which Chromium logs as a failed
 * resource: counted apart).
 */
function noteErrors(who, errors, problems) {
  for (const e of new Set(errors)) {
    if (/status of 404/.test(e)) continue;
    const line = `a page logged: ${e}`;
    if (!problems.includes(line)) problems.push(line);
  }
  void who;
}

/** Officer k's tablet: its storage written, the app started on it, then "Save and sync". */
async function appPush(url, k, problems) {
  const profile = await launchProfile();
  const { page } = profile;
  try {
    const { settings, records } = officerStorage(k);
    await page.goto(`${url}/bench-sync.html`);
    const seeded = await page.evaluate(({ settings, records }) => {
      localStorage.clear();
      localStorage.setItem('fl.layout', '1');
      localStorage.setItem('fl.v1.settings', settings);
      try {
        for (const [key, value] of records) localStorage.setItem(key, value);
      } catch (e) {
        return { error: `${e.name}: ${e.message}` };
      }
      return { keys: localStorage.length };
    }, { settings, records });
    if (seeded.error) throw new Error(`seeding officer ${k + 1}: ${seeded.error}`);
    await page.goto(`${url}/server`);
    await appReady(page);
    await page.waitForSelector('#sync-save');
    const layout = await page.evaluate(() => localStorage.getItem('fl.layout'));
    if (layout === '1') problems.push(`officer ${k + 1}: the storage stayed in layout 1 (migration failed?)`);
    await configure(page, OFFICERS[k]);
    const result = await timedSync(page, '#sync-save');
    result.storage = await storageUnits(page);
    noteErrors(`officer ${k + 1}'s page`, profile.errors, problems);
    return result;
  } finally {
    await profile.close();
  }
}

/** The coordinator's empty tablet: signed in, then "Save and sync". */
async function appPull(url, problems) {
  const profile = await launchProfile();
  const { page } = profile;
  try {
    await signIn(page, url, COORDINATOR, 'coordinator');
    await page.goto(`${url}/server`);
    await appReady(page);
    await page.waitForSelector('#sync-save');
    await configure(page, COORDINATOR);
    const result = await timedSync(page, '#sync-save');
    result.storage = await storageUnits(page);
    // The list shows what was stored (a reload reads it back from storage).
    await page.goto(`${url}/trainings`);
    await page.waitForSelector('p.count', { timeout: 30000 }).catch(() => {});
    result.listed = await page.evaluate(() => Number(document.querySelector('p.count')?.dataset.total ?? document.querySelector('p.count')?.dataset.count ?? NaN));
    noteErrors("the coordinator's page", profile.errors, problems);
    return result;
  } finally {
    await profile.close();
  }
}

// ---------------------------------------------------------------------------------------
// The reference: PouchDB in bench-sync.html.

/** Runs PouchDB.replicate in the page as `user`; `direction` 'push' (local → server) or 'pull'. */
function replicateIn(page, { direction, local, user }) {
  return within(SYNC_LIMIT_MS, `PouchDB ${direction} as ${user}`, page.evaluate(async ({ direction, local, user, password, db, batch }) => {
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    const auth = 'Basic ' + btoa(String.fromCharCode(...bytes));
    const remote = new PouchDB(`${location.origin}/couch/${db}`, {
      skip_setup: true,
      fetch: (url, opts) => { opts.headers.set('Authorization', auth); return PouchDB.fetch(url, opts); },
    });
    const here = new PouchDB(local);
    performance.setResourceTimingBufferSize(100000);
    performance.clearResourceTimings();
    const t0 = performance.now();
    let r;
    try {
      r = direction === 'push'
        ? await PouchDB.replicate(here, remote, { batch_size: batch })
        : await PouchDB.replicate(remote, here, { batch_size: batch });
    } catch (e) {
      return { error: `${e.name}: ${e.message ?? e.reason ?? JSON.stringify(e)}` };
    }
    const ms = performance.now() - t0;
    const requests = performance.getEntriesByType('resource')
      .filter((e) => e.name.includes('/couch/') && e.startTime >= t0)
      .map((e) => ({ start: e.startTime - t0, end: e.responseEnd - t0 }));
    const info = await here.info();
    return { ms, written: r.docs_written, read: r.docs_read, failures: r.doc_write_failures, status: r.status, errors: (r.errors ?? []).slice(0, 3).map(String), requests, localDocs: info.doc_count, adapter: here.adapter };
  }, { direction, local, user, password: PASSWORD, db: DB, batch: BATCH }));
}

async function pouchPush(url, k, docs) {
  const profile = await launchProfile({ serviceWorkers: 'block' });
  const { page } = profile;
  try {
    await page.goto(`${url}/bench-sync.html`);
    // Not timed: the officer's documents into the local database.
    const loaded = await within(120000, 'loading PouchDB', page.evaluate(async ({ docs, batch }) => {
      const db = new PouchDB('officer');
      for (let i = 0; i < docs.length; i += batch) {
        const res = await db.bulkDocs(docs.slice(i, i + batch));
        const bad = res.filter((x) => x.error);
        if (bad.length) return { error: `${bad.length} refused: ${JSON.stringify(bad[0])}` };
      }
      return { count: (await db.info()).doc_count };
    }, { docs, batch: BATCH }));
    if (loaded.error) throw new Error(`PouchDB local load: ${loaded.error}`);
    const result = await replicateIn(page, { direction: 'push', local: 'officer', user: OFFICERS[k] });
    if (result.error) throw new Error(`PouchDB push of officer ${k + 1}: ${result.error}`);
    result.waitMs = covered(result.requests.map((r) => [r.start, r.end]));
    return result;
  } finally {
    await profile.close();
  }
}

async function pouchPull(url) {
  const profile = await launchProfile({ serviceWorkers: 'block' });
  const { page } = profile;
  try {
    await page.goto(`${url}/bench-sync.html`);
    const result = await replicateIn(page, { direction: 'pull', local: 'coordinator', user: COORDINATOR });
    if (result.error) throw new Error(`PouchDB pull: ${result.error}`);
    result.waitMs = covered(result.requests.map((r) => [r.start, r.end]));
    return result;
  } finally {
    await profile.close();
  }
}

// ---------------------------------------------------------------------------------------
// The server's view.

const auth = (u) => 'Basic ' + Buffer.from(`${u.name}:${u.password}`, 'utf8').toString('base64');

/** The generator's record n as the app's document (its record JSON, with an owner, plus _id). */
function viewDoc(n) {
  const r = makeRecord(n);
  return { _id: `${r.author}:${r.id}`, ...r, owner: r.author };
}

// ---------------------------------------------------------------------------------------
// The runs.

const results = {
  appPush: [[], [], []], appPull: [], pouchPush: [[], [], []], pouchPull: [],
};
const problems = [];
const failures = [];
let referenceDocs = null; // officer k → the documents the app wrote for k (no _rev)

const root = await mkdtemp(join(tmpdir(), 'field-ledger-bench-sync-'));
await cp(DIST, root, { recursive: true });
await cp(join(import.meta.dirname, 'bench-sync.html'), join(root, 'bench-sync.html'));
await cp(POUCHDB_JS, join(root, 'pouchdb.min.js'));

/**
 * A fresh pouchdb-server is slow on its first writes and reads (Node compiling its code and
 * the validation function): 1 000 documents are written, read through `_bulk_get` and
 * `_changes`, and the database set up again, before anything is timed.
 */
async function warmUp(couch) {
  const docs = Array.from({ length: 1000 }, (_, i) => viewDoc(100000 + i));
  const res = await couch.request('POST', `/${DB}/_bulk_docs`, { docs });
  if (res.status >= 300) throw new Error(`warm-up: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  await couch.request('GET', `/${DB}/_changes?style=all_docs`);
  await couch.request('POST', `/${DB}/_bulk_get?revs=true`, { docs: res.body.slice(0, 500).map((r) => ({ id: r.id, rev: r.rev })) });
  await couch.recreateDb();
}

async function withCouch(work) {
  const couch = await startCouch();
  const server = await serve(root, { proxy: { path: '/couch', target: couch.url } });
  try {
    for (const name of OFFICERS) await couch.addUser(name, PASSWORD, 'officer');
    await couch.addUser(COORDINATOR, PASSWORD, 'coordinator');
    await warmUp(couch);
    return await work(couch, server);
  } finally {
    await server.close();
    await couch.stop();
  }
}

async function appPhase(couch, server, run) {
  await couch.recreateDb();
  const before = server.proxied.length;
  for (let k = 0; k < OFFICERS.length; k += 1) {
    const r = await appPush(server.url, k, problems);
    const kinds = Object.entries(r.byKind).map(([kind, v]) => `${kind} ${v.n}×/${v.ms.toFixed(0)} ms`).join(', ');
    log(`  app, officer ${k + 1}: ${r.ms.toFixed(0)} ms (pull part ${r.pullMs.toFixed(0)}, push part ${r.pushMs?.toFixed(0)}), waiting on the server ${r.waitMs.toFixed(0)} ms; "${r.text}"; ${kinds}; storage ${r.storage.units} units (sync state ${r.storage.state})`);
    if (!r.ok) {
      failures.push({ run, name: `app push, officer ${k + 1}`, message: r.timedOut ? `no end after ${SYNC_LIMIT_MS / 1000} s, status "${r.text}"` : `status "${r.text}"` });
      continue;
    }
    if (r.up !== PER_DEVICE) problems.push(`run ${run}, officer ${k + 1}: sent ${r.up}, expected ${PER_DEVICE} ("${r.text}")`);
    // Each tablet carries its own work: none of the other officers' records come down.
    if (r.down !== 0) problems.push(`run ${run}, officer ${k + 1}: received ${r.down}, expected 0 (the others' records are not an officer's to hold)`);
    results.appPush[k].push(r);
  }
  const all = await couch.request('GET', `/${DB}/${ALL_DOCS}&include_docs=true`);
  const docs = all.body.rows.map((row) => row.doc).filter((d) => !d._id.startsWith('_design/'));
  if (docs.length !== OFFICERS.length * PER_DEVICE) problems.push(`run ${run}: the server holds ${docs.length} records after the pushes, expected ${OFFICERS.length * PER_DEVICE}`);
  if (!referenceDocs) {
    referenceDocs = OFFICERS.map((name) => docs.filter((d) => (d.owner ?? d.author) === name).map(({ _rev, ...d }) => d));
    log(`  reference documents: ${referenceDocs.map((d) => d.length).join(' + ')}; one of them: ${JSON.stringify(referenceDocs[0][0]).slice(0, 400)}…`);
  }
  const p = await appPull(server.url, problems);
  const kinds = Object.entries(p.byKind).map(([kind, v]) => `${kind} ${v.n}×/${v.ms.toFixed(0)} ms`).join(', ');
  log(`  app, coordinator: ${p.ms.toFixed(0)} ms, waiting on the server ${p.waitMs.toFixed(0)} ms; "${p.text}"; ${kinds}; ${p.listed} trainings listed; storage ${p.storage.units} units (sync state ${p.storage.state})`);
  if (!p.ok) failures.push({ run, name: 'app pull', message: p.timedOut ? `no end after ${SYNC_LIMIT_MS / 1000} s, status "${p.text}"` : `status "${p.text}"` });
  else {
    if (p.down !== docs.length) problems.push(`run ${run}, coordinator: received ${p.down}, expected ${docs.length} ("${p.text}")`);
    results.appPull.push(p);
  }
  const fresh = server.proxied.slice(before).filter((x) => x.status >= 400 && !(x.status === 404 && x.path.includes('/_local/')));
  if (fresh.length) problems.push(`run ${run}: ${fresh.length} requests of the app answered ≥ 400, e.g. ${fresh.slice(0, 3).map((x) => `${x.method} ${x.path.slice(0, 80)} → ${x.status}`).join('; ')}`);
}

async function pouchPhase(couch, server, run) {
  await couch.recreateDb();
  for (let k = 0; k < OFFICERS.length; k += 1) {
    const r = await pouchPush(server.url, k, referenceDocs[k]);
    log(`  PouchDB, officer ${k + 1}: push ${r.ms.toFixed(0)} ms, waiting on the server ${r.waitMs.toFixed(0)} ms; ${r.written} written, ${r.failures} failures, ${r.requests.length} requests (adapter ${r.adapter})`);
    if (r.written !== PER_DEVICE || r.failures) problems.push(`run ${run}, PouchDB officer ${k + 1}: ${r.written} written, ${r.failures} failures ${r.errors.join(' | ')}`);
    results.pouchPush[k].push(r);
  }
  const p = await pouchPull(server.url);
  log(`  PouchDB, coordinator: pull ${p.ms.toFixed(0)} ms, waiting on the server ${p.waitMs.toFixed(0)} ms; ${p.written} written (${p.localDocs} in the local database), ${p.requests.length} requests`);
  results.pouchPull.push(p);
}

log(`bench-sync: ${RUNS} runs; build ${DIST}; PouchDB ${POUCHDB_VERSION}`);
try {
  for (let run = 1; run <= RUNS; run += 1) {
    log(`run ${run} of ${RUNS}: sync`);
    try {
      await withCouch(async (couch, server) => {
        // The app first in the first run (its documents are the reference's), then alternating.
        const order = run % 2 === 1 || !referenceDocs ? [appPhase, pouchPhase] : [pouchPhase, appPhase];
        for (const phase of order) {
          if (phase === pouchPhase && !referenceDocs) throw new Error('no reference documents: the app did not push');
          await phase(couch, server, run);
        }
      });
    } catch (e) {
      failures.push({ run, name: 'sync', message: e.stack ?? String(e) });
      log(`  failed: ${e.message}`);
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------
// The table.

const fmt = (x, digits = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).replace(/,/g, ' '));
const rows = [];
/** One row: median, min, max of `values`; reference median and the ratio of the medians. */
function row(name, values, { reference = null, digits = 0, ratio = true } = {}) {
  const s = stats(values);
  const ref = reference ? stats(reference) : null;
  rows.push(`| ${name} | ${fmt(s?.median, digits)} | ${fmt(s?.min, digits)} | ${fmt(s?.max, digits)} | ${ref ? fmt(ref.median, digits) : '—'} | ${s && ref && ratio ? `${(s.median / ref.median).toFixed(2)}×` : '—'} |`);
}
const rate = (n, ms) => (ms ? n / (ms / 1000) : null);

// The rows (in a block of their own: its names are local).
{
  for (let k = 0; k < OFFICERS.length; k += 1) {
    const app = results.appPush[k];
    const ref = results.pouchPush[k].map((r) => r.ms);
    const d = `officer ${k + 1}`;
    row(`push, ${d}: sync, click → "finished" (ms)${k ? `, ${k * PER_DEVICE} others' on the server` : ''}`, app.map((r) => r.ms), { reference: ref });
    row(`push, ${d}: the push part (ms)`, app.map((r) => r.pushMs), { reference: ref });
    row(`push, ${d}: records/s up (push part)`, app.map((r) => rate(PER_DEVICE, r.pushMs)), { reference: results.pouchPush[k].map((r) => rate(PER_DEVICE, r.ms)), ratio: false });
    row(`push, ${d}: waiting on the server in the push part (ms)`, app.map((r) => r.pushWaitMs), { reference: results.pouchPush[k].map((r) => r.waitMs) });
  }
  const sum = (list, i, f) => list.reduce((s, runsOf) => s + (f(runsOf[i]) ?? NaN), 0);
  const n = Math.min(...results.appPush.map((l) => l.length), ...results.pouchPush.map((l) => l.length));
  const totalApp = Array.from({ length: n }, (_, i) => sum(results.appPush, i, (r) => r.pushMs));
  const totalRef = Array.from({ length: n }, (_, i) => sum(results.pouchPush, i, (r) => r.ms));
  row('push, 3 officers × 3 000: push parts together (ms)', totalApp, { reference: totalRef });
  row('pull, coordinator, 9 000: sync, click → "finished" (ms)', results.appPull.map((r) => r.ms), { reference: results.pouchPull.map((r) => r.ms) });
  row('pull, coordinator: records/s down', results.appPull.map((r) => rate(r.down, r.ms)), { reference: results.pouchPull.map((r) => rate(OFFICERS.length * PER_DEVICE, r.ms)), ratio: false });
  row('pull, coordinator: waiting on the server (ms)', results.appPull.map((r) => r.waitMs), { reference: results.pouchPull.map((r) => r.waitMs) });
  row('pull, coordinator: the rest, the app\'s own work (ms)', results.appPull.map((r) => r.ms - r.waitMs), { reference: results.pouchPull.map((r) => r.ms - r.waitMs) });
  row('coordinator\'s localStorage after the pull (UTF-16 units)', results.appPull.map((r) => r.storage.units));
  row('of it the sync state, `fl.sync.state` and its journal `fl.sync.j.*` (UTF-16 units)', results.appPull.map((r) => r.storage.state));
}
const table = [
  '| measure | median | min | max | PouchDB | app/PouchDB |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
].join('\n');

const chromiumVersion = execSync(`${CHROMIUM} --version`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
const machine = `${cpus().length} × ${cpus()[0].model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}; ${chromiumVersion}; Node ${process.version}; load average ${load(LOAD_BEFORE)} before, ${load(loadavg())} after`;

// Where the app's time goes, by request kind (the medians' run).
const breakdown = [];
const median = (list) => {
  const s = stats(list.map((r) => r.ms));
  return s ? list.reduce((a, b) => (Math.abs(b.ms - s.median) < Math.abs(a.ms - s.median) ? b : a)) : null;
};
for (const [name, r] of [...results.appPush.map((l, k) => [`officer ${k + 1}`, median(l)]), ['coordinator', median(results.appPull)]]) {
  if (!r) continue;
  const kinds = Object.entries(r.byKind).map(([kind, v]) => `\`${kind}\` ${v.n}× ${fmt(v.ms)} ms`).join(', ');
  breakdown.push(`- ${name}: ${fmt(r.ms)} ms in all, of it ${fmt(r.waitMs)} ms waiting on requests: ${kinds}.`);
}

const section = `## Sync with a CouchDB server (\`tests/e2e/bench-sync.mjs\`)

Release build, headless Chromium, measured by \`node bench-sync.mjs\` in \`tests/e2e\`, not part
of the test run. ${RUNS} runs of the sync, each against a fresh server (warmed up with 1 000
documents written and read, then the database set up again) with fresh browser profiles;
median, min and max over the runs. The reference is PouchDB ${POUCHDB_VERSION} (its browser build,
default IndexedDB adapter) in a page of the benchmark's own (\`bench-sync.html\`), served on
the app's origin and talking to the same server through the same proxy; app/PouchDB compares
medians (goal ≤ 1.0).

Machine: ${machine}.

Method. The server is pouchdb-server 4.2.0 in memory (\`tests/e2e/couch.mjs\`), set up by
\`scripts/couchdb-setup.sh\` (validation, views, security) with three officers and a
coordinator as CouchDB users, behind the harness's same-origin reverse proxy (\`/couch\`).
Push: three officers' tablets, each with 3 000 of the generator's records
(\`bench-baseline.mjs\`, full records, authored by the officer) written to localStorage
before the app's first start, fill in the server page (\`/couch\`, \`ledger\`) and click
"Save and sync" one after the other, into an empty database; the time runs from the click to
the status saying the sync finished. A sync pulls before it pushes; an officer's pull is
filtered to their own work (\`POST _changes?filter=_selector\`), so the second and third
officers receive none of the 3 000 and 6 000 other records already there, though the server
reads past them: the "push part" is the time from the end of the pull's last request to the
end of the sync (Resource Timing of the page's requests), which is what PouchDB's one-way push
is compared with. Pull: a
coordinator's empty tablet syncs the 9 000. The app has no User Timing measure of its own for
a sync, so "waiting on the server" (the time covered by requests to \`/couch\`, from
Resource Timing) and the rest (the app's own work: building, parsing, merging, localStorage)
are split from outside. Reference: the documents the app wrote (read back from the server,
without \`_rev\`) are put into a local PouchDB per officer (not timed), then
\`PouchDB.replicate(local, remote, { batch_size: ${BATCH} })\` to a freshly set-up database
as that officer is timed; then \`PouchDB.replicate(remote, local)\` into an empty local
database as the coordinator (it also copies the two design documents, which the app skips).
The app and PouchDB phases alternate in order between runs.

${table}

Where the time goes (the run nearest the median; request kinds, count and time spent on them):

${breakdown.join('\n')}

Notes:

- pouchdb-server is CouchDB's HTTP API written in Node on PouchDB (LevelDB in memory here),
  with \`server/pouchdb-server-fixes.cjs\` preloaded; it is a stand-in for the tests. Against
  CouchDB 3 the server's share will differ: CouchDB writes \`_bulk_docs\` with
  \`new_edits: false\` to its B-trees on disk and runs \`validate_doc_update\` and the views'
  map functions in a separate SpiderMonkey process (couchjs), which builds a view index
  incrementally and in parallel shards. pouchdb-server runs validation and the views in the
  same Node process, one document at a time; the client-side share (the app's own work, and
  PouchDB's) does carry over.
- Every figure goes through the harness's proxy on the same machine: no network latency. A
  tablet on a mobile network adds its round trips: the app's push makes 2 requests per batch
  of ${BATCH} (\`_revs_diff\`, \`_bulk_docs\`), its pull 3 (\`_changes\`, \`_bulk_get\`, the checkpoint).
${problems.length ? problems.map((p) => `- Seen in this run: ${p}`).join('\n') + '\n' : ''}${failures.length ? failures.map((f) => `- Failed (run ${f.run}): ${f.name}: ${f.message.split('\n')[0]}`).join('\n') + '\n' : ''}`;

console.log('');
console.log(table);
console.log('');
console.log(breakdown.join('\n'));
for (const p of problems) console.log(`problem: ${p}`);
for (const f of failures) console.log(`failed (run ${f.run}): ${f.name}: ${f.message}`);
await writeFile(OUT, section);
log(`wrote ${OUT}`);
