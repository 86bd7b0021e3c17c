// Live sync and server mode at a city's scale, on the release build, against a CouchDB
// (pouchdb-server on disk, see couch.mjs), with the generator's records (bench-baseline.mjs:
// a year of trainings, technologies and visits):
//   1. a server holding 50 000 records, loaded as the server admin; the coordinator's tablet
//      holds none of them ("仅保存" keeps the sync settings without syncing) and shows the
//      dashboard, the report and a list for 2022 from the server's views and `_find`;
//   2. three officers' tablets with 3 000 records each sync them up, one after the other;
//      a coordinator's empty tablet then pulls the 9 000.
//
// Asserted: every record arrives, and the figures shown are the server's view's (which
// tests/views.rs checks natively against the app's counting rules). Not asserted: how long it takes (the first view
// query builds the index); the times are printed for BENCHMARKS.md (bench-sync.mjs compares
// the sync with PouchDB's). FL_SCALE_RECORDS sets another number of records for part 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  serve, launchProfile, appReady, signIn, countOf, DIST, escapeRegExp as escape, localePattern as pattern,
} from './harness.mjs';
import { ALL_DOCS, startCouch } from './couch.mjs';
import { makeRecord, deviceOf, settingsJson, RECORD_PREFIX } from './bench-baseline.mjs';

const ZH = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../locales/zh.json'), 'utf8')).live_sync;
const FINISHED = pattern(ZH.finished);
const RUNNING = pattern(ZH.running);

const RECORDS = Number(process.env.FL_SCALE_RECORDS ?? 50000);
const BATCH = 2000;
const COORDINATOR = { name: '张主任', password: 'zzr-Scale$pass-7731' };
/** The first query builds the view's index over every record: minutes on pouchdb-server. */
const VIEW_WAIT_MS = 15 * 60 * 1000;

/**
 * The 合计 row of the county table for 2022 as the server's own `facts` view has it, its
 * rows added up column by column (sessions and 人次 of farmer and technician trainings, the
 * default counting; technologies promoted; demonstrated; visits). That the view counts as the
 * app counts is checked natively (tests/views.rs runs the view's JavaScript over generated
 * ledgers against src/domain/totals.rs); here, that the app shows what a server at this
 * scale answers.
 */
async function viewTotals(couch) {
  const query = `?group_level=4&startkey=${encodeURIComponent('[2022,1]')}&endkey=${encodeURIComponent('[2022,12,{}]')}`;
  const { status, body } = await couch.request('GET', `/ledger/_design/field-ledger/_view/facts${query}`);
  assert.equal(status, 200, JSON.stringify(body));
  const column = {
    'training:farmer': [0, 1], 'training:technician': [0, 1], 'technology:promoted': [2], 'technology:demonstrated': [3], visit: [4],
  };
  const total = [0, 0, 0, 0, 0];
  for (const { key: [, , , fact], value: [count, amount] } of body.rows) {
    const [counted, summed] = column[fact] ?? [];
    if (counted !== undefined) total[counted] += count;
    if (summed !== undefined) total[summed] += amount;
  }
  return total;
}

/** The server-mode error shown, if any. */
const shownError = (page) => page.$eval('#server-figures-error', (e) => e.textContent).catch(() => null);
const numbers = (cells) => cells.map((c) => Number(c.replace(/[^\d.]/g, '')));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Fills the sync page (the server through the app's own /couch) and presses a button. */
async function saveSettings(page, { name, password }, button) {
  await page.fill('#sync-url', '/couch');
  await page.fill('#sync-database', 'ledger');
  await page.fill('#sync-user', name);
  await page.fill('#sync-password', password);
  await page.click(button);
}

/** "保存并同步" on a fresh sync page; resolves with { down, up, ms } once it finished. */
async function saveAndSync(page, user) {
  const before = await page.textContent('#sync-status');
  const start = performance.now();
  await saveSettings(page, user, '#sync-save');
  // Finished, or ended otherwise (any other text that is not progress).
  await page.waitForFunction(({ finished, running, before }) => {
    const text = document.querySelector('#sync-status')?.textContent ?? '';
    return new RegExp(finished).test(text) || (text !== '' && text !== before && !new RegExp(running).test(text));
  }, { finished: FINISHED.source, running: RUNNING.source, before }, { timeout: 10 * 60 * 1000 });
  const ms = performance.now() - start;
  const text = await page.textContent('#sync-status');
  const done = text.match(FINISHED);
  assert.ok(done, `${user.name}: the sync finished (${text})`);
  return { down: Number(done[1]), up: Number(done[2]), ms };
}

/** The coordinator's fresh tablet, signed in, on the sync page; closed after the test. */
async function coordinatorTablet(t, url) {
  const tablet = await launchProfile();
  t.after(() => tablet.close());
  await signIn(tablet.page, url, COORDINATOR.name, 'coordinator');
  await tablet.page.goto(url + '/server');
  await appReady(tablet.page);
  return tablet;
}

test(`the coordinator's dashboard, report and list from a server holding ${RECORDS} records`, async (t) => {
  const couch = await startCouch({ onDisk: true });
  t.after(() => couch.stop());
  await couch.addUser(COORDINATOR.name, COORDINATOR.password, 'coordinator');
  const loadStart = performance.now();
  for (let i = 0; i < RECORDS; i += BATCH) {
    const docs = [];
    for (let n = i; n < Math.min(i + BATCH, RECORDS); n += 1) {
      const record = makeRecord(n);
      docs.push({ _id: `${record.author}:${record.id}`, ...record, owner: record.author });
    }
    const { status, body } = await couch.request('POST', '/ledger/_bulk_docs', { docs });
    const failed = Array.isArray(body) ? body.filter((r) => r.error) : [body];
    assert.ok(status < 300 && failed.length === 0, `_bulk_docs: ${status} ${JSON.stringify(failed[0])}`);
  }
  const loadMs = performance.now() - loadStart;

  const server = await serve(DIST, { proxy: { path: '/couch', target: couch.url } });
  t.after(() => server.close());
  const { url } = server;
  // The sync settings, saved without a sync: the city's records stay on the server. The
  // first query signs in with the password typed (the server's session cookie from then on);
  // the coordinator moves through the app by its links, as a person would.
  const tablet = await coordinatorTablet(t, url);
  const { page } = tablet;
  await page.setChecked('#sync-automatic', false);
  await saveSettings(page, COORDINATOR, '#sync-save-only');
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
  // Asked of the view only now, so that the app's first query is the one that builds it.
  const expected = await viewTotals(couch);
  assert.ok(expected.every((n) => n > 0), `the generator's year has every kind of figure (${expected})`);
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

  // The list from the server, a page at a time. The reload above forgot the password typed
  // (it is kept in the tab's memory only); the server's session still stands for it.
  await page.click('nav.app-nav a[href="/trainings"]');
  await page.selectOption('#list-source', 'server');
  await page.waitForSelector('#server-list-more, #server-list-error', { timeout: VIEW_WAIT_MS });
  assert.equal(await page.$('#server-list-error'), null, 'the list came');
  assert.equal(await page.getAttribute('#server-list-count', 'data-count'), '25');

  const panics = tablet.errors.filter((e) => /panicked|RuntimeError|unreachable executed/i.test(e));
  assert.deepEqual(panics, [], 'no panic in the console');
  console.log(`server mode, ${RECORDS} records: bulk load as admin ${seconds(loadMs)}; dashboard, first `
    + `query (builds the index) ${seconds(dashboardMs)}; dashboard again ${seconds(againMs)}; report `
    + `(period and year before) ${seconds(reportMs)}`);
});

const PER_TABLET = 3000;
const OFFICERS = [
  { name: '王海', password: 'wh-Scale!pass-1193' },
  { name: '李娜', password: 'ln-Scale#pass-5527' },
  { name: '赵刚', password: 'zg-Scale%pass-8041' },
];

test(`three officers sync ${PER_TABLET} records each up, and a coordinator pulls them all`, async (t) => {
  const couch = await startCouch({ onDisk: true });
  t.after(() => couch.stop());
  for (const officer of OFFICERS) await couch.addUser(officer.name, officer.password, 'officer');
  await couch.addUser(COORDINATOR.name, COORDINATOR.password, 'coordinator');
  const server = await serve(DIST, { proxy: { path: '/couch', target: couch.url } });
  t.after(() => server.close());
  const { url } = server;
  const all = [];
  const times = [];
  for (const [k, officer] of OFFICERS.entries()) {
    const records = Array.from({ length: PER_TABLET }, (_, i) => {
      const record = makeRecord(k * PER_TABLET + i);
      return { ...record, author: officer.name, device_id: deviceOf(k) };
    });
    all.push(...records);
    const tablet = await launchProfile();
    try {
      const { page } = tablet;
      // The officer's records on the tablet before the app first starts (storage layout 1,
      // which the app migrates), written from a page of the app's origin that is not the app.
      await page.goto(url + '/manifest.webmanifest');
      const settings = { ...JSON.parse(settingsJson()), device_id: deviceOf(k), author: officer.name, role: 'officer' };
      await page.evaluate(({ settings, records }) => {
        localStorage.setItem('fl.layout', '1');
        localStorage.setItem('fl.v1.settings', settings);
        for (const [key, value] of records) localStorage.setItem(key, value);
      }, { settings: JSON.stringify(settings), records: records.map((r) => [RECORD_PREFIX + r.id, JSON.stringify(r)]) });
      await page.goto(url + '/server');
      await appReady(page);
      const result = await saveAndSync(page, officer);
      // Trainings, technologies and visits only: none of the others' records are an
      // officer's to hold.
      assert.deepEqual([result.down, result.up], [0, PER_TABLET],
        `${officer.name} sends their ${PER_TABLET} and receives none of the others'`);
      times.push(result.ms);
      const panics = tablet.errors.filter((e) => /panicked|RuntimeError|unreachable executed/i.test(e));
      assert.deepEqual(panics, [], `${officer.name}: no panic in the console`);
    } finally {
      await tablet.close();
    }
  }
  const { body } = await couch.request('GET', `/ledger/${ALL_DOCS}`);
  // A record's document id is `<owner>:<record id>`.
  const onServer = body.rows.map((r) => r.id).filter((id) => !id.startsWith('_design/')).map((id) => id.slice(id.lastIndexOf(':') + 1));
  assert.deepEqual(onServer.sort(), all.map((r) => r.id).sort(), 'the server has every record once');

  const { page } = await coordinatorTablet(t, url);
  const pulled = await saveAndSync(page, COORDINATOR);
  assert.deepEqual([pulled.down, pulled.up], [all.length, 0]);
  const trainings = all.filter((r) => r.kind === 'training').length;
  assert.equal(await countOf(page, url, 'trainings'), trainings, "every training on the coordinator's tablet");
  const rate = (n, ms) => Math.round(n / (ms / 1000));
  console.log(`sync, ${OFFICERS.length} × ${PER_TABLET} records: officers' syncs ${times.map(seconds).join(', ')} `
    + `(${times.map((ms) => rate(PER_TABLET, ms)).join(', ')} records/s up; each pull reads past the others' records and takes none); `
    + `coordinator's pull of ${all.length}: ${seconds(pulled.ms)} (${rate(all.length, pulled.ms)} records/s down)`);
});
