// Server mode at a city's scale, on the release build: a CouchDB (pouchdb-server on disk, see
// couch.mjs) holding 50 000 of the generator's records (bench-baseline.mjs: a year of
// trainings, technologies and visits), loaded as the server admin; the coordinator's tablet
// holds none of them ("仅保存" keeps the sync settings without syncing) and shows the
// dashboard and the report for 2022 from the server's `facts` view.
//
// Asserted: the figures are the records' own, counted here from the same records as the app
// counts them. Not asserted: how long it takes (the first query builds the view's index);
// the times are printed for BENCHMARKS.md. FL_SCALE_RECORDS sets another number of records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { serve, launchProfile, appReady, signIn, countOf, DIST } from './harness.mjs';
import { startCouch } from './couch.mjs';
import { makeRecord } from './bench-baseline.mjs';

const RECORDS = Number(process.env.FL_SCALE_RECORDS ?? 50000);
const BATCH = 2000;
const COORDINATOR = { name: '张主任', password: 'zzr-Scale$pass-7731' };
/** The first query builds the view's index over every record: minutes on pouchdb-server. */
const VIEW_WAIT_MS = 15 * 60 * 1000;

/**
 * The 合计 row of the county table for 2022, counted from the records as the app counts:
 * sessions and 人次 of farmer and technician trainings (the default counting), technologies
 * promoted and demonstrated in the year (by those dates), visits.
 */
function expectedTotals(records) {
  const in2022 = (date) => typeof date === 'string' && date.startsWith('2022-');
  const t = { trainings: 0, attendance: 0, promoted: 0, demonstrations: 0, visits: 0 };
  for (const { kind, data } of records) {
    if (kind === 'training' && in2022(data.date) && ['farmer', 'technician'].includes(data.training_type)) {
      t.trainings += 1;
      t.attendance += data.attendance;
    } else if (kind === 'technology') {
      if (in2022(data.promoted_on)) t.promoted += 1;
      if (in2022(data.demonstrated_on)) t.demonstrations += 1;
    } else if (kind === 'visit' && in2022(data.date)) {
      t.visits += 1;
    }
  }
  return [t.trainings, t.attendance, t.promoted, t.demonstrations, t.visits];
}

/** The server-mode error shown, if any. */
const shownError = (page) => page.$eval('#server-figures-error', (e) => e.textContent).catch(() => null);
const numbers = (cells) => cells.map((c) => Number(c.replace(/[^\d.]/g, '')));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

test(`the coordinator's dashboard and report from a server holding ${RECORDS} records`, async (t) => {
  const couch = await startCouch({ onDisk: true });
  t.after(() => couch.stop());
  await couch.addUser(COORDINATOR.name, COORDINATOR.password, 'coordinator');
  const records = [];
  const loadStart = performance.now();
  for (let i = 0; i < RECORDS; i += BATCH) {
    const docs = [];
    for (let n = i; n < Math.min(i + BATCH, RECORDS); n += 1) {
      const record = makeRecord(n);
      records.push(record);
      docs.push({ _id: record.id, ...record, owner: record.author });
    }
    const { status, body } = await couch.request('POST', '/ledger/_bulk_docs', { docs });
    const failed = Array.isArray(body) ? body.filter((r) => r.error) : [body];
    assert.ok(status < 300 && failed.length === 0, `_bulk_docs: ${status} ${JSON.stringify(failed[0])}`);
  }
  const loadMs = performance.now() - loadStart;
  const expected = expectedTotals(records);
  assert.ok(expected.every((n) => n > 0), `the generator's year has every kind of figure (${expected})`);

  const server = await serve(DIST, { proxy: { path: '/couch', target: couch.url } });
  t.after(() => server.close());
  const { url } = server;
  const tablet = await launchProfile();
  t.after(() => tablet.close());
  const { page } = tablet;
  await signIn(page, url, COORDINATOR.name, 'coordinator');

  // The sync settings, saved without a sync: the city's records stay on the server. The
  // password is kept for this session only (no automatic sync): from here on the coordinator
  // moves through the app by its links, as a person would, without reloading it.
  await page.goto(url + '/server');
  await appReady(page);
  await page.fill('#sync-url', '/couch');
  await page.fill('#sync-database', 'ledger');
  await page.fill('#sync-password', COORDINATOR.password);
  await page.setChecked('#sync-automatic', false);
  await page.click('#sync-save-only');
  await page.waitForSelector('#sync-now');

  // The dashboard from the server: the first query builds the view's index.
  await page.click('nav.app-nav a[href="/"]');
  await page.waitForSelector('#dashboard-source');
  // The year 2022 (the tablet has no records of it to offer it as a year: typed as dates).
  await page.selectOption('#period-preset', 'custom');
  await page.fill('#period-from', '2022-01-01');
  await page.fill('#period-to', '2022-12-31');
  await page.waitForURL(/from=2022-01-01&to=2022-12-31/);
  const dashboardStart = performance.now();
  await page.selectOption('#dashboard-source', 'server');
  await page.waitForSelector('#server-county-table tfoot td, #server-figures-error', { timeout: VIEW_WAIT_MS });
  const dashboardMs = performance.now() - dashboardStart;
  assert.equal(await shownError(page), null, 'the server answered');
  const total = await page.$$eval('#server-county-table tfoot td', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(numbers(total), expected, 'the 合计 row counts every record on the server');

  // Asked again (the index is built): the time a coordinator waits from now on.
  await page.selectOption('#dashboard-source', 'device');
  await page.waitForSelector('#server-figures', { state: 'detached' });
  const againStart = performance.now();
  await page.selectOption('#dashboard-source', 'server');
  await page.waitForSelector('#server-county-table tfoot td, #server-figures-error', { timeout: VIEW_WAIT_MS });
  const againMs = performance.now() - againStart;
  assert.equal(await shownError(page), null, 'the server answered');

  // The report of the same period, still from the server: its county table's 合计 the same.
  const reportStart = performance.now();
  await page.click('#open-report');
  await page.waitForSelector('#report-counties tfoot td, #server-figures-error', { timeout: VIEW_WAIT_MS });
  const reportMs = performance.now() - reportStart;
  assert.equal(await shownError(page), null, 'the server answered');
  assert.equal(await page.inputValue('#report-source'), 'server', 'the source chosen on the dashboard holds');
  const reportTotal = await page.$$eval('#report-counties tfoot td', (tds) => tds.slice(1).map((td) => td.textContent));
  assert.deepEqual(numbers(reportTotal), expected, "the report's 合计 row the same");
  const overview = await page.textContent('#report h2 + p.report-text');
  assert.match(overview, new RegExp(`走访服务${expected[4]}次`), overview);
  assert.equal(await countOf(page, url, 'trainings'), 0, 'not one record came to the tablet');

  const panics = tablet.errors.filter((e) => /panicked|RuntimeError|unreachable executed/i.test(e));
  assert.deepEqual(panics, [], 'no panic in the console');
  console.log(`server mode, ${RECORDS} records: bulk load as admin ${seconds(loadMs)}; dashboard, first `
    + `query (builds the index) ${seconds(dashboardMs)}; dashboard again ${seconds(againMs)}; report `
    + `(period and year before) ${seconds(reportMs)}`);
});
