// Live sync with a CouchDB server (pouchdb-server, see couch.mjs), on the release build in
// Chromium, as officers and a coordinator use it: the server is reached through a
// same-origin reverse proxy at /couch on the app's own site (harness.mjs serve({ proxy })),
// which can also cut requests on demand.
//
// Most tests share one server and three tablets (王海 and 李娜, officers, and the coordinator
// 张主任); each test syncs what it needs itself, so that it does not rely on what an earlier
// one did. The fault tests and the restart test have servers of their own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import {
  serve, launchProfile, appReady, signIn, createRecord, download, DIST, screenshot, setLanguage,
  editTopic, importFiles, countOf, exportFileText, escapeRegExp as escape, localePattern as pattern,
  cameraImage, shownPhotos, bytesShown, scrollUntil,
} from './harness.mjs';
import { ALL_DOCS, startCouch } from './couch.mjs';
import { makeRecord } from './bench-baseline.mjs';

const ZH_ALL = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../locales/zh.json'), 'utf8'));
const ZH = ZH_ALL.live_sync;
const RUNNING = pattern(ZH.running);
const FINISHED = pattern(ZH.finished);

const PASSWORDS = {
  王海: 'wh-Qx7!pass-3391',
  李娜: 'ln-Zr4#pass-8812',
  张主任: 'zzr-Mv2$pass-5127',
  赵刚: 'zg-Pw9%pass-2290',
};
/** Every password used in this file: none may ever show in a request's address. */
const ALL_PASSWORDS = new Set(Object.values(PASSWORDS));
/** Every reverse proxy's request log, checked at the end of the file. */
const proxies = [];

/** One app server with its proxy in front of `couch`, closed after the file. */
async function appServer(couch) {
  const server = await serve(DIST, { proxy: { path: '/couch', target: couch.url } });
  proxies.push(server.proxied);
  return server;
}

/** A fresh tablet signed in as `name` (a CouchDB user of the same name). */
async function tablet(url, name, role = 'officer') {
  const profile = await launchProfile();
  await signIn(profile.page, url, name, role);
  return { ...profile, name, role };
}

/** The sync status text now. */
const statusText = (page) => page.evaluate(() => document.querySelector('#sync-status')?.textContent ?? '');

/**
 * Runs `action` (a click that starts a sync) and waits until the sync has ended: the status
 * is neither empty nor "syncing…", and it either changed from what it was before or went
 * through "syncing…" meanwhile. Returns the status text.
 */
async function runSync(page, action) {
  const previous = await page.evaluate((running) => {
    const el = document.querySelector('#sync-status');
    const re = new RegExp(running);
    const seen = { running: false };
    window.__flSyncSeen = seen;
    // Every text the status takes, even one replaced within the same task.
    new MutationObserver((records) => {
      for (const r of records) {
        const texts = [r.oldValue, ...[...r.removedNodes].map((n) => n.textContent), el.textContent];
        if (texts.some((t) => t && re.test(t))) seen.running = true;
      }
    }).observe(el, { childList: true, subtree: true, characterData: true, characterDataOldValue: true });
    return el.textContent;
  }, RUNNING.source);
  await action();
  await page.waitForFunction(({ running, previous }) => {
    const text = document.querySelector('#sync-status')?.textContent ?? '';
    return text !== '' && !new RegExp(running).test(text) && (text !== previous || window.__flSyncSeen.running);
  }, { running: RUNNING.source, previous }, { timeout: 45000 });
  return statusText(page);
}

/** Opens the sync server page (from Settings, as a person would get there the first time). */
async function openServerPage(page, url, { viaSettings = false } = {}) {
  if (viaSettings) {
    await page.goto(url + '/settings');
    await appReady(page);
    await page.click('#sync-server-settings a');
    await page.waitForURL(/\/server$/);
  } else {
    await page.goto(url + '/server');
    await appReady(page);
  }
  await page.waitForSelector('#sync-save');
}

/**
 * Types the server settings and the password on the sync server page (opened afresh, so no
 * status is left from before) and presses "保存并同步". Returns the status once it ended.
 */
async function saveAndSync(page, url, { user, password, automatic = false, viaSettings = false }) {
  await openServerPage(page, url, { viaSettings });
  await page.fill('#sync-url', '/couch');
  await page.fill('#sync-database', 'ledger');
  if (user !== undefined) await page.fill('#sync-user', user);
  await page.fill('#sync-password', password);
  await page.setChecked('#sync-automatic', automatic);
  return runSync(page, () => page.click('#sync-save'));
}

/** A whole successful sync of `who` (its own name and password); returns { down, up, text }. */
async function sync(who, url, options = {}) {
  const text = await saveAndSync(who.page, url, { password: PASSWORDS[who.name], ...options });
  const done = text.match(FINISHED);
  assert.ok(done, `${who.name}: the sync finished (status: ${text})`);
  return { down: Number(done[1]), up: Number(done[2]), text };
}

async function counts(page, url) {
  return {
    trainings: await countOf(page, url, 'trainings'),
    visits: await countOf(page, url, 'visits'),
    technologies: await countOf(page, url, 'technologies'),
  };
}

async function exportAll(page, url) {
  await page.goto(url + '/exchange');
  await appReady(page);
  return download(page, '#export-json');
}

const idOf = (recordUrl) => recordUrl.match(/[0-9a-f-]{36}$/)[0];

/** Every `fl.` key of the tablet's localStorage with its value. */
const flKeys = (page) => page.evaluate(() => Object.fromEntries(Object.keys(localStorage)
  .filter((k) => k.startsWith('fl.')).sort().map((k) => [k, localStorage.getItem(k)])));

/**
 * The sync state as stored: the base value and the journal entries after it, each with the
 * marks that changed (`src/replication/state.rs`, `StateJournal`).
 */
const syncState = (page) => page.evaluate(() => {
  const base = JSON.parse(localStorage.getItem('fl.sync.state') ?? 'null') ?? { marks: {} };
  const prefix = `fl.sync.j.${base.generation ?? 0}.`;
  const entries = Object.keys(localStorage).filter((k) => k.startsWith(prefix))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
  let state = base;
  for (const key of entries) {
    const entry = JSON.parse(localStorage.getItem(key));
    const marks = { ...state.marks, ...entry.marks };
    for (const id of entry.gone ?? []) delete marks[id];
    state = { ...entry, marks };
  }
  return state;
});

/**
 * A record as stored on a tablet, comparable across tablets: keys sorted, the device index
 * (`d`, into this tablet's own device table) replaced by the device id.
 */
const storedRecord = (page, id) => page.evaluate((id) => {
  const devices = JSON.parse(localStorage.getItem('fl.dev') ?? '[]');
  const raw = localStorage.getItem('fl.r.' + id);
  if (raw === null) return null;
  const resolveDevice = (r) => ({
    ...r,
    ...(typeof r.d === 'number' && { d: devices[r.d] }),
    ...(Array.isArray(r.h) && { h: r.h.map(resolveDevice) }),
  });
  const sorted = (v) => (Array.isArray(v) ? v.map(sorted)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v);
  return JSON.stringify(sorted(resolveDevice(JSON.parse(raw))));
}, id);

/** What the record's page shows: title, revision, the other versions and the conflict note. */
async function shownRecord(page, recordUrl) {
  await page.goto(recordUrl);
  await page.waitForSelector('h1.record-title');
  return page.evaluate(() => ({
    title: document.querySelector('h1.record-title').textContent.trim(),
    revision: document.querySelector('.revision')?.textContent.trim(),
    versions: [...document.querySelectorAll('.versions li .version-title')].map((e) => e.textContent.trim()),
    conflict: document.querySelector('.conflict-note') !== null,
  }));
}

/** The record id in a record's document id (`<owner>:<record id>`). */
const recordIdOf = (docId) => docId.slice(docId.lastIndexOf(':') + 1);

/** The ids of the records on the server (design documents left out). */
async function serverIds(couch) {
  const { status, body } = await couch.request('GET', `/ledger/${ALL_DOCS}`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.rows.map((r) => r.id).filter((id) => !id.startsWith('_design/')).map(recordIdOf);
}

/** The address of a record's document on the server (deleted or not): its id is `<owner>:<record id>`. */
async function docPath(couch, id) {
  const { body } = await couch.request('GET', '/ledger/_changes');
  const docId = body.results.map((r) => r.id).find((d) => recordIdOf(d) === id && d.includes(':'));
  assert.ok(docId, `${id} is on the server`);
  return `/ledger/${encodeURIComponent(docId)}`;
}

/** Every leaf of a document on the server (live and deleted). */
async function leaves(couch, id) {
  const { status, body } = await couch.request('GET', `${await docPath(couch, id)}?open_revs=all`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.map((l) => l.ok).filter(Boolean);
}

/** Each record on the server once: one document per record, one leaf each, none in conflict. */
async function assertOneLeafEach(couch, ids) {
  assert.deepEqual((await serverIds(couch)).sort(), [...ids].sort(), 'the server has exactly these records');
  for (const id of ids) {
    const { body } = await couch.request('GET', `${await docPath(couch, id)}?conflicts=true`);
    assert.equal(body._conflicts, undefined, `${id}: no conflicting leaf`);
    assert.equal((await leaves(couch, id)).length, 1, `${id}: one leaf`);
  }
}

/** No panic or wasm trap in a tablet's console (failed requests are expected here). */
function assertNoPanics(...tablets) {
  for (const t of tablets) {
    const bad = t.errors.filter((e) => /panicked|RuntimeError|unreachable executed/i.test(e));
    assert.deepEqual(bad, [], `${t.name}: no panic in the console`);
  }
}

// ---------------------------------------------------------------------------------------------
// The shared set-up: one server, two officers and the coordinator, and records made on the
// officers' tablets before any sync (with their full exports, made then too).
const shared = {};
before(async () => {
  const couch = await startCouch();
  shared.couch = couch;
  await Promise.all([
    couch.addUser('王海', PASSWORDS.王海, 'officer'),
    couch.addUser('李娜', PASSWORDS.李娜, 'officer'),
    couch.addUser('张主任', PASSWORDS.张主任, 'coordinator'),
  ]);
  shared.server = await appServer(couch);
  const { url } = shared.server;
  shared.url = url;
  [shared.wang, shared.li, shared.coordinator] = await Promise.all([
    tablet(url, '王海'), tablet(url, '李娜'), tablet(url, '张主任', 'coordinator'),
  ]);
  const { wang, li } = shared;
  // Each officer records on their own tablet (at the same time), then exports everything.
  await Promise.all([
    (async () => {
      shared.wangTraining = await createRecord(wang.page, url, 'trainings', {
        'field-date': '2022-05-12', 'field-topic': '玉米密植高产技术', 'field-attendance': '40', 'field-county': '大石桥市',
      });
      shared.wangTraining2 = await createRecord(wang.page, url, 'trainings', {
        'field-date': '2022-06-02', 'field-topic': '水稻病虫害绿色防控', 'field-attendance': '25', 'field-county': '盖州市',
      });
      shared.wangVisit = await createRecord(wang.page, url, 'visits', {
        'field-date': '2022-05-13', 'field-commissioners': '王海', 'field-host': '大石桥市水源镇合作社',
      });
      shared.wangExport = await exportAll(wang.page, url);
    })(),
    (async () => {
      shared.liTech = await createRecord(li.page, url, 'technologies', {
        'field-name': '设施葡萄避雨栽培', 'field-introducedon': '2022-04-01',
      });
      shared.liTraining = await createRecord(li.page, url, 'trainings', {
        'field-date': '2022-07-08', 'field-topic': '设施蔬菜水肥一体化', 'field-attendance': '31', 'field-county': '鲅鱼圈区',
      });
      shared.liExport = await exportAll(li.page, url);
    })(),
  ]);
  shared.all = [shared.wangTraining, shared.wangTraining2, shared.wangVisit, shared.liTech, shared.liTraining].map(idOf);
});
after(async () => {
  await Promise.all(['wang', 'li', 'coordinator'].map((k) => shared[k]?.close()));
  await shared.server?.close();
  await shared.couch?.stop();
});

test('two officers sync what they recorded offline, the coordinator gets all, and one record edited on two tablets ends identical everywhere', async () => {
  const { couch, server, url, wang, li, coordinator } = shared;

  // 王海 sets the server up from Settings while it cannot be reached: nothing is lost.
  server.faults.down();
  const unreachable = await saveAndSync(wang.page, url, { password: PASSWORDS.王海, viaSettings: true });
  assert.match(unreachable, pattern(ZH.unreachable));
  assert.equal(await wang.page.inputValue('#sync-user'), '王海', 'the user name defaults to the officer\'s');
  // Back online: "立即同步" right there (the password typed is still in use).
  server.faults.up();
  const first = await runSync(wang.page, () => wang.page.click('#sync-now'));
  assert.deepEqual(first.match(FINISHED)?.slice(1).map(Number), [0, 3], `王海: ${first}`);
  assert.match(await wang.page.textContent('#sync-last'), new RegExp(escape(ZH.last_success.split('{{')[0])));
  // Again: nothing more to send.
  const again = await runSync(wang.page, () => wang.page.click('#sync-now'));
  assert.deepEqual(again.match(FINISHED)?.slice(1).map(Number), [0, 0], `王海 again: ${again}`);
  assert.deepEqual(await counts(wang.page, url), { trainings: 2, visits: 1, technologies: 0 });

  const liSync = await sync(li, url);
  assert.equal(liSync.up, 2, liSync.text);
  // Each tablet carries its own work: 王海's records are not 李娜's to hold.
  assert.equal(liSync.down, 0, `李娜 receives none of 王海's records: ${liSync.text}`);
  assert.deepEqual((await serverIds(couch)).sort(), [...shared.all].sort());

  const coordinatorSync = await sync(coordinator, url);
  assert.equal(coordinatorSync.down, 5, coordinatorSync.text);
  assert.equal(coordinatorSync.up, 0, coordinatorSync.text);
  const everything = { trainings: 3, visits: 1, technologies: 1 };
  assert.deepEqual(await counts(coordinator.page, url), everything);
  assert.deepEqual(await counts(li.page, url), { trainings: 1, visits: 0, technologies: 1 });
  await sync(wang, url);
  assert.deepEqual(await counts(wang.page, url), { trainings: 2, visits: 1, technologies: 0 });

  // The same record (王海's training), edited on his tablet and on the coordinator's from
  // the same synced version.
  const record = shared.wangTraining;
  const id = idOf(record);
  await editTopic(wang.page, record, '玉米密植高产技术（王海 修订）');
  await editTopic(coordinator.page, record, '玉米密植高产技术（张主任 修订）');
  assert.equal((await sync(wang, url)).up, 1);
  // The coordinator's pull fails past its retries (the proxy answers 502 for the list of
  // changes); the upload goes all the same: two leaves on the server.
  for (let i = 0; i < 5; i++) server.faults.answerNext({ method: 'GET', path: '_changes', status: 502 });
  const pushOnly = await saveAndSync(coordinator.page, url, { password: PASSWORDS.张主任 });
  server.faults.clear();
  const stopped = pushOnly.match(pattern(ZH.pull_stopped));
  assert.ok(stopped, pushOnly);
  assert.deepEqual(stopped.slice(1).map(Number), [1, 0], pushOnly);
  assert.match(pushOnly, pattern(ZH.server_error));
  assert.equal((await leaves(couch, id)).filter((l) => !l._deleted).length, 2, 'a conflict on the server');
  // The next sync folds the two and closes the loser; the one after moves nothing (the
  // coordinator's own revisions are not fetched again).
  const merged = await sync(coordinator, url);
  assert.equal(merged.down, 1, merged.text);
  assert.equal(merged.up, 1, `the coordinator sends the merged record: ${merged.text}`);
  const quiet = await sync(coordinator, url);
  assert.deepEqual([quiet.down, quiet.up], [0, 0], quiet.text);
  for (const t of [wang, li, coordinator]) await sync(t, url);

  const views = [];
  const stored = [];
  for (const t of [wang, coordinator]) {
    views.push(await shownRecord(t.page, record));
    stored.push(await storedRecord(t.page, id));
  }
  assert.deepEqual(views[1], views[0], 'the coordinator sees what 王海 sees');
  assert.equal(stored[1], stored[0], 'stored alike on 王海\'s and the coordinator\'s tablets');
  const both = ['玉米密植高产技术（王海 修订）', '玉米密植高产技术（张主任 修订）'];
  assert.ok(both.includes(views[0].title), views[0].title);
  assert.ok(views[0].versions.includes(both.find((t) => t !== views[0].title)), 'the other edit is in the history');
  assert.ok(views[0].conflict, 'the conflict is pointed out');
  assert.equal(views[0].revision, '2');
  // The server: one live leaf, showing the same version.
  const { body } = await couch.request('GET', `${await docPath(couch, id)}?conflicts=true`);
  assert.equal(body._conflicts, undefined, JSON.stringify(body._conflicts));
  assert.equal(body.data.topic, views[0].title);
  assert.equal((await leaves(couch, id)).filter((l) => !l._deleted).length, 1);
  assert.equal((await serverIds(couch)).length, 5);

  assertNoPanics(wang, li, coordinator);
});

test('an export made before any sync, imported by the coordinator after syncing, adds nothing and makes nothing to send', async () => {
  const { url, li, coordinator, couch } = shared;
  await sync(li, url);
  await sync(coordinator, url);
  const onServer = (await serverIds(couch)).length;
  const [report] = await importFiles(coordinator.page, url, [shared.liExport.path]);
  assert.equal(report.rejected, null);
  assert.deepEqual([report.added, report.updated, report.conflicts], [0, 0, 0], JSON.stringify(report));
  assert.equal(report.unchanged, 2);
  const next = await sync(coordinator, url);
  assert.equal(next.up, 0, next.text);
  assert.equal((await serverIds(couch)).length, onServer);
  assertNoPanics(li, coordinator);
});

test('faults on the way: a 502 and a write whose answer is lost are tried again, nothing duplicated; a pull cut past its retries keeps the checkpoint', async (t) => {
  const couch = await startCouch();
  t.after(() => couch.stop());
  await couch.addUser('赵刚', PASSWORDS.赵刚, 'officer');
  const server = await appServer(couch);
  t.after(() => server.close());
  const { url } = server;
  const [one, two] = await Promise.all([tablet(url, '赵刚'), tablet(url, '赵刚')]);
  t.after(() => Promise.all([one.close(), two.close()]));

  const made = [];
  for (const [date, topic] of [['2022-03-01', '苹果树冬季修剪'], ['2022-03-09', '大棚草莓育苗'], ['2022-03-20', '测土配方施肥']]) {
    made.push(await createRecord(one.page, url, 'trainings', {
      'field-date': date, 'field-topic': topic, 'field-attendance': '12', 'field-county': '大石桥市',
    }));
  }
  const ids = made.map(idOf);

  // The list of changes answered 502 by the proxy (CouchDB restarting behind it); the upload
  // lands on the server, but its answer is lost. (Chromium sends a request again by itself
  // when a kept-alive connection closes without an answer, so the cut is armed for its own
  // re-sends too.) The sync tries each again after a pause and finishes in one go.
  server.faults.answerNext({ method: 'POST', path: '_changes', status: 502 });
  for (let i = 0; i < 2; i++) server.faults.cutNext({ method: 'POST', path: '_bulk_docs', after: 'request' });
  const retried = await saveAndSync(one.page, url, { password: PASSWORDS.赵刚 });
  assert.equal(server.faults.armed, 0, 'every fault was met');
  assert.match(retried, FINISHED);
  assert.deepEqual(retried.match(FINISHED).slice(1).map(Number), [0, 3], retried);
  assert.ok(server.proxied.some((r) => r.path.includes('_changes') && r.fault === 'answer-502'));
  const cutWrites = server.proxied.filter((r) => r.path.endsWith('/_bulk_docs') && r.fault === 'request');
  assert.ok(cutWrites.length >= 1 && cutWrites.every((r) => r.status === 201), JSON.stringify(cutWrites));
  await assertOneLeafEach(couch, ids);
  const clean = await runSync(one.page, () => one.page.click('#sync-now'));
  assert.deepEqual(clean.match(FINISHED).slice(1).map(Number), [0, 0], clean);

  // The officer's second tablet adds two records; the first tablet's pull is cut halfway
  // through the server's list of changes.
  const more = [];
  for (const [date, topic] of [['2022-04-02', '玉米秸秆还田'], ['2022-04-11', '肉牛科学养殖']]) {
    more.push(await createRecord(two.page, url, 'trainings', {
      'field-date': date, 'field-topic': topic, 'field-attendance': '18', 'field-county': '盖州市',
    }));
  }
  const secondTablet = await sync(two, url);
  assert.deepEqual([secondTablet.down, secondTablet.up], [3, 2], secondTablet.text);
  const stateBefore = await syncState(one.page);
  assert.ok(stateBefore.checkpoint, 'a checkpoint is stored after the first syncs');
  const recordsBefore = Object.keys(await flKeys(one.page)).filter((k) => k.startsWith('fl.r.'));
  // Cut more often than the sync tries (and Chromium re-sends).
  for (let i = 0; i < 12; i++) server.faults.cutNext({ method: 'POST', path: '_changes', after: 'partial-response' });
  const cutPull = await saveAndSync(one.page, url, { password: PASSWORDS.赵刚 });
  server.faults.clear();
  assert.ok(server.proxied.some((r) => r.path.includes('_changes') && r.fault === 'partial-response'));
  assert.match(cutPull, new RegExp(`${pattern(ZH.unreachable).source}|${escape(ZH.bad_answer)}`));
  const stateAfter = await syncState(one.page);
  assert.deepEqual(stateAfter.checkpoint, stateBefore.checkpoint, 'the checkpoint did not move');
  assert.deepEqual(stateAfter.marks, stateBefore.marks);
  assert.deepEqual(Object.keys(await flKeys(one.page)).filter((k) => k.startsWith('fl.r.')), recordsBefore);
  const resumed = await runSync(one.page, () => one.page.click('#sync-now'));
  assert.deepEqual(resumed.match(FINISHED)?.slice(1).map(Number), [2, 0], resumed);
  assert.equal(await countOf(one.page, url, 'trainings'), 5);
  assert.notDeepEqual((await syncState(one.page)).checkpoint, stateBefore.checkpoint, 'now the checkpoint moved on');
  await assertOneLeafEach(couch, [...ids, ...more.map(idOf)]);
  assertNoPanics(one, two);
});

test('a wrong password says so plainly and changes nothing on the tablet', async () => {
  const { url, li } = shared;
  await sync(li, url);
  await li.page.reload();
  await appReady(li.page);
  const stored = await flKeys(li.page);
  const text = await saveAndSync(li.page, url, { password: 'not-the-password' });
  assert.equal(text, ZH.wrong_password);
  assert.deepEqual(await flKeys(li.page), stored, 'every fl. key as it was');
  assert.ok(Object.keys(stored).some((k) => k.startsWith('fl.sync.')) && Object.keys(stored).some((k) => k.startsWith('fl.r.')));
  assertNoPanics(li);
});

test("another officer's record edited here is refused by the server, listed, and kept with the edit", async () => {
  const { url, wang, li, couch } = shared;
  await sync(wang, url);
  const [imported] = await importFiles(li.page, url, [shared.wangExport.path]);
  assert.equal(imported.rejected, null);
  const record = shared.wangTraining2;
  const topic = '水稻病虫害绿色防控（李娜 补充）';
  await editTopic(li.page, record, topic);
  const result = await sync(li, url);
  // Her edit is refused. (So is any other of 王海's records whose kept versions the import
  // changed here: his file holds his first versions, which join the history of a record
  // edited since; such a record is his, too.)
  const state = await syncState(li.page);
  const refusedIds = Object.keys(state.refused);
  assert.ok(refusedIds.includes(idOf(record)), JSON.stringify(state.refused));
  const wangs = [shared.wangTraining, shared.wangTraining2, shared.wangVisit].map(idOf);
  assert.ok(refusedIds.every((id) => wangs.includes(id)), 'only 王海\'s records are refused');
  assert.match(state.refused[idOf(record)].reason, /李娜/, 'the server\'s reason names the writer');
  assert.equal(state.refused[idOf(record)].version.data.topic, topic, 'the version refused is kept');
  assert.match(result.text, new RegExp(escape(ZH.finished_refused.replace('{{ count }}', String(refusedIds.length)))));
  assert.equal(await li.page.locator('#sync-refused li').count(), refusedIds.length);
  const listed = li.page.locator('#sync-refused li', { hasText: topic });
  assert.equal(await listed.count(), 1, 'her edited record is listed by its title');
  assert.match(await listed.textContent(), /李娜/);
  // Still here, with her edit; the server keeps 王海's version.
  assert.equal((await shownRecord(li.page, record)).title, topic);
  const { body } = await couch.request('GET', await docPath(couch, idOf(record)));
  assert.equal(body.data.topic, '水稻病虫害绿色防控');
  // Refused again at the next sync, still listed.
  const again = await sync(li, url);
  assert.match(again.text, new RegExp(escape(ZH.finished_refused.replace('{{ count }}', String(refusedIds.length)))));
  assert.equal(again.up, 0, again.text);
  assert.equal(await li.page.locator('#sync-refused li', { hasText: topic }).count(), 1);
  // She gives her edit up (asked first): the next sync, started at once, brings 王海's version
  // back and nothing goes up.
  li.page.once('dialog', (dialog) => dialog.accept());
  const givenUp = await runSync(li.page, () => li.page.locator('#sync-refused li', { hasText: topic }).locator('button.give-up').click());
  assert.match(givenUp, FINISHED, givenUp);
  assert.equal(await li.page.locator('#sync-refused li', { hasText: topic }).count(), 0);
  assert.equal((await shownRecord(li.page, record)).title, '水稻病虫害绿色防控');
  assert.equal((await couch.request('GET', await docPath(couch, idOf(record)))).body.data.topic, '水稻病虫害绿色防控');
  assertNoPanics(li);
});

test('a server restarted keeps the sync going; a database recreated gets every record again', async (t) => {
  const couch = await startCouch({ onDisk: true });
  t.after(() => couch.stop());
  const addUsers = () => Promise.all([
    couch.addUser('王海', PASSWORDS.王海, 'officer'),
    couch.addUser('张主任', PASSWORDS.张主任, 'coordinator'),
  ]);
  await addUsers();
  const server = await appServer(couch);
  t.after(() => server.close());
  const { url } = server;
  const [wang, coordinator] = await Promise.all([tablet(url, '王海'), tablet(url, '张主任', 'coordinator')]);
  t.after(() => Promise.all([wang.close(), coordinator.close()]));

  for (const [date, topic] of [['2022-08-01', '花生机械化播种'], ['2022-08-15', '蛋鸡疫病防控'], ['2022-08-29', '果园生草技术']]) {
    await createRecord(wang.page, url, 'trainings', {
      'field-date': date, 'field-topic': topic, 'field-attendance': '20', 'field-county': '大石桥市',
    });
  }
  assert.equal((await sync(wang, url)).up, 3);
  assert.equal((await sync(coordinator, url)).down, 3);

  await couch.restart();
  await createRecord(wang.page, url, 'visits', {
    'field-date': '2022-09-03', 'field-commissioners': '王海', 'field-host': '盖州市双台镇果园',
  });
  const afterRestart = await sync(wang, url);
  assert.deepEqual([afterRestart.down, afterRestart.up], [0, 1], afterRestart.text);
  assert.doesNotMatch(afterRestart.text, new RegExp(escape(ZH.finished_resent)));
  assert.equal((await serverIds(couch)).length, 4);

  await couch.recreateDb();
  await addUsers();
  assert.equal((await serverIds(couch)).length, 0);
  const resent = await sync(wang, url);
  assert.equal(resent.up, 4, resent.text);
  assert.match(resent.text, new RegExp(escape(ZH.finished_resent)));
  const ids = await serverIds(couch);
  assert.equal(ids.length, 4);
  const pulled = await sync(coordinator, url);
  assert.equal(pulled.down, 1, `the one record the coordinator did not have: ${pulled.text}`);
  assert.equal(pulled.up, 0, pulled.text);
  assert.deepEqual(await counts(coordinator.page, url), { trainings: 3, visits: 1, technologies: 0 });
  const settled = await sync(wang, url);
  assert.deepEqual([settled.down, settled.up], [0, 0], settled.text);
  assert.doesNotMatch(settled.text, new RegExp(escape(ZH.finished_resent)));
  await assertOneLeafEach(couch, ids);
  assertNoPanics(wang, coordinator);
});

test("the coordinator's dashboard from the server's views shows the same figures as from the tablet's records", async () => {
  const { url, wang, li, coordinator } = shared;
  // Everyone's records on the coordinator's tablet, and on the server.
  await sync(wang, url);
  await sync(li, url);
  // The coordinator keeps the password on the office computer (server mode asks the server
  // whenever the dashboard is opened).
  await sync(coordinator, url, { automatic: true });
  const page = coordinator.page;
  const cells = (table) => page.$$eval(`${table} tfoot td`, (tds) => tds.map((td) => td.textContent.trim()));
  await page.goto(url + '/?period=year&year=2022');
  await appReady(page);
  await scrollUntil(page, '#county-table tfoot td');
  const local = await cells('#county-table');
  assert.ok(local.some((c) => c !== '0'), `some figures in 2022 (${local})`);
  const localTargets = await page.$$eval('ul.targets li', (lis) => lis.map((li) => li.textContent));
  const localRows = await page.$$eval('#county-table tbody tr', (trs) => trs.map((tr) => tr.textContent));

  // Server mode: the same period from the server's facts view.
  await page.selectOption('#dashboard-source', 'server');
  await page.waitForSelector('#server-county-table tfoot td, #server-figures-error', { timeout: 30000 });
  assert.equal(await page.$('#server-figures-error'), null, 'the server answered');
  assert.deepEqual(await cells('#server-county-table'), local, 'the 合计 row is the same');
  const serverRows = await page.$$eval('#server-county-table tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.deepEqual(serverRows, localRows, 'every county the same');
  assert.equal(await page.$('#county-table'), null, "the tablet's table makes way");
  assert.deepEqual(await page.$$eval('#server-figures ul.targets li', (lis) => lis.map((li) => li.textContent)), localTargets,
    'the targets and their pace the same');
  assert.equal(await page.$('#server-months'), null, 'a whole year is whole months');

  // A period that is not whole months says the server counts whole months.
  await page.goto(url + '/?from=2022-05-10&to=2022-06-20');
  await appReady(page);
  await page.selectOption('#dashboard-source', 'server');
  await page.waitForSelector('#server-months');

  // With the server unreachable, it says so plainly; the tablet's figures are one choice away.
  shared.server.faults.down();
  await page.goto(url + '/?period=year&year=2021');
  await appReady(page);
  await page.selectOption('#dashboard-source', 'server');
  await page.waitForSelector('#server-figures-error');
  assert.match(await page.textContent('#server-figures-error'), pattern(ZH.unreachable));
  shared.server.faults.up();
  await page.selectOption('#dashboard-source', 'device');
  await scrollUntil(page, '#county-table');
  assertNoPanics(coordinator);
});

test("the coordinator's report from the server's views has the figures of the report from the tablet's records", async (t) => {
  const couch = await startCouch();
  t.after(() => couch.stop());
  await couch.addUser('张主任', PASSWORDS.张主任, 'coordinator');
  const server = await appServer(couch);
  t.after(() => server.close());
  const { url } = server;
  const coordinator = await tablet(url, '张主任', 'coordinator');
  t.after(() => coordinator.close());
  // A year of the generator's records (trainings of every type, technologies at every stage,
  // visits with commissioners, hosts, help and teams) from the officers' files, sent up by
  // the coordinator (who may write anyone's records).
  const dir = await mkdtemp(join(tmpdir(), 'field-ledger-report-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'officers-2022.json');
  await writeFile(file, exportFileText(Array.from({ length: 400 }, (_, n) => makeRecord(n))));
  const [imported] = await importFiles(coordinator.page, url, [file]);
  assert.equal(imported.added, 400, JSON.stringify(imported));
  const pushed = await sync(coordinator, url, { automatic: true });
  assert.equal(pushed.up, 400, pushed.text);

  const page = coordinator.page;
  const serverNote = ZH_ALL.report.from_server;
  /** The report of a period of 2022 from `source`: its tables' rows and opening paragraph. */
  const report = async (source, period = 'year') => {
    await page.goto(url + `/report?period=${period}&year=2022`);
    await appReady(page);
    await page.waitForSelector('#report-counties');
    if (source === 'server') {
      await page.selectOption('#report-source', 'server');
      await page.waitForFunction((note) => document.querySelector('#server-figures-error')
        || ([...document.querySelectorAll('#report .period')].some((p) => p.textContent === note)
          && document.querySelector('#report-counties')), serverNote, { timeout: 60000 });
      assert.equal(await page.$('#server-figures-error'), null, 'the server answered');
    }
    return page.evaluate(() => ({
      overview: document.querySelector('#report h2 + p.report-text')?.textContent,
      tables: Object.fromEntries([...document.querySelectorAll('#report table')].map((table) => [table.id,
        [...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent))])),
    }));
  };
  const local = await report('device');
  const fromServer = await report('server');
  assert.match(local.overview, /培训/);
  for (const id of ['report-targets', 'report-training-types', 'report-counties', 'report-hosts', 'report-help', 'report-teams']) {
    assert.ok(local.tables[id]?.length > 1, `the tablet's report has ${id}`);
    assert.deepEqual(fromServer.tables[id], local.tables[id], `${id}: the same from the server`);
  }
  assert.equal(fromServer.overview, local.overview, 'the same opening paragraph');
  const listed = Object.keys(local.tables).filter((id) => !(id in fromServer.tables));
  assert.ok(listed.length > 0, 'the record lists are left out in server mode');
  // A quarter: its own figures, and the year from January to its end that the targets judge,
  // both from one query of the view.
  const q3 = await report('device', 'q3');
  const q3FromServer = await report('server', 'q3');
  assert.match(q3.overview, /1—9月累计完成培训/);
  assert.equal(q3FromServer.overview, q3.overview, 'the same paragraph for the third quarter');
  for (const id of ['report-targets', 'report-counties']) {
    assert.deepEqual(q3FromServer.tables[id], q3.tables[id], `the third quarter's ${id}: the same from the server`);
  }
  // The Word file is made from the server's figures too.
  const docx = await download(page, '#download-docx');
  assert.match(docx.name, /\.docx$/);
  assert.ok((await readFile(docx.path)).length > 1000, 'a .docx was downloaded');

  // The lists from the server too: a page at a time, however many records the city has.
  await page.goto(url + '/trainings');
  await appReady(page);
  await page.waitForSelector('p.count');
  const onTablet = Number(await page.getAttribute('p.count', 'data-count'));
  assert.ok(onTablet > 100, `the generator's trainings (${onTablet})`);
  await page.selectOption('#list-source', 'server');
  const shown = () => page.getAttribute('#server-list-count', 'data-count').then(Number);
  const settled = '#server-list-more, #server-list-end, #server-list-error';
  await page.waitForSelector(settled);
  assert.equal(await shown(), 25, 'the first page');
  // A page that cannot be had says so and keeps what was shown; asked again, it comes.
  server.faults.down();
  await page.click('#server-list-more');
  await page.waitForSelector('#server-list-error');
  assert.match(await page.textContent('#server-list-error'), pattern(ZH.unreachable));
  assert.equal(await shown(), 25);
  server.faults.up();
  for (let pages = 1; await page.$('#server-list-more'); pages += 1) {
    assert.ok(pages < 20, 'the list ends');
    const before = await shown();
    await page.click('#server-list-more');
    await page.waitForFunction(({ before, settled }) => document.querySelector('#server-list-end')
      || document.querySelector('#server-list-error')
      || (Number(document.querySelector('#server-list-count').dataset.count) > before && document.querySelector(settled)),
    { before, settled });
    assert.equal(await page.$('#server-list-error'), null, 'every page came');
  }
  assert.equal(await shown(), onTablet, "every training on the server, as many as the tablet's");
  // A record opens in place with its fields.
  await page.click('#server-list details summary');
  assert.ok(await page.isVisible('#server-list details[open] dl dd'));
  assertNoPanics(coordinator);
});

test('the sync server page and the server-mode dashboard, screenshots', async () => {
  const { url, wang, li, coordinator } = shared;
  await sync(wang, url);
  await sync(li, url);
  const done = await sync(coordinator, url, { automatic: true });
  assert.ok(done.up >= 0);
  const page = coordinator.page;
  for (const lang of ['zh', 'en']) {
    await setLanguage(page, url, lang);
    await openServerPage(page, url);
    // Opening the app started an automatic sync: shown once it has finished.
    await page.waitForFunction(() => {
      const text = document.querySelector('#sync-status')?.textContent ?? '';
      return text !== '' && !/正在同步|Syncing/.test(text);
    });
    await screenshot(page, `sync-server-${lang}`, { fullPage: true });
    await page.goto(url + '/?period=year&year=2022');
    await appReady(page);
    await page.selectOption('#dashboard-source', 'server');
    await page.waitForSelector('#server-county-table tfoot td');
    await page.$eval('#server-figures', (e) => e.scrollIntoView());
    await screenshot(page, `dashboard-server-${lang}`);
  }
  await setLanguage(page, url, 'zh');
  assertNoPanics(coordinator);
});

test('the password is never kept on the tablet nor in an export or a request address; automatic sync runs on the server session, and a session that ended asks for the password', async () => {
  const { url, wang, couch } = shared;
  const password = PASSWORDS.王海;
  const result = await sync(wang, url, { automatic: true });
  assert.ok(result, 'synced with automatic sync on');
  const kept = await flKeys(wang.page);
  assert.equal(kept['fl.sync.secret'], undefined);
  for (const [key, value] of Object.entries(kept)) {
    assert.ok(!String(value).includes(password), `the password is not in ${key}`);
  }
  // The server's session cookie: HttpOnly, so no script of the page can read it.
  const cookies = await wang.context.cookies();
  assert.ok(cookies.some((c) => c.name === 'AuthSession' && c.httpOnly), JSON.stringify(cookies.map((c) => c.name)));
  assert.ok(!(await wang.page.evaluate(() => document.cookie)).includes('AuthSession'));

  // Opening the app syncs by itself now, on the server's session.
  await wang.page.goto(url + '/server');
  await appReady(wang.page);
  await wang.page.waitForFunction((finished) => new RegExp(finished).test(document.querySelector('#sync-status')?.textContent ?? ''), FINISHED.source);
  assert.equal(await wang.page.inputValue('#sync-password'), '', 'the password is not shown');

  // The session ends on the server (its secret changed: every session cookie is void, as
  // when one expires): the automatic sync at the next start asks for the password, plainly.
  const secret = await couch.request('PUT', '/_config/couch_httpd_auth/secret', JSON.stringify('rotated-' + Date.now()));
  assert.equal(secret.status, 200, JSON.stringify(secret.body));
  await wang.page.goto(url + '/server');
  await appReady(wang.page);
  await wang.page.waitForFunction((text) => (document.querySelector('#sync-status')?.textContent ?? '').includes(text), ZH.sign_in_needed);
  const status = await statusText(wang.page);
  assert.equal(status, ZH.sign_in_needed);
  // Typed again, it syncs.
  const again = await saveAndSync(wang.page, url, { password, automatic: true });
  assert.match(again, FINISHED);

  const file = await exportAll(wang.page, url);
  const text = await readFile(file.path, 'utf8');
  assert.ok(JSON.parse(text).records.length >= 3);
  assert.ok(!text.includes(password), 'no password in the export');
  assert.ok(!text.includes('fl.sync'), 'no sync settings in the export');
  assert.ok(!text.includes('/couch'), 'no server address in the export');

  // No password (plain, URL-encoded or in Basic form) in any address any proxy of this file
  // has seen so far, this test's syncs included.
  const paths = proxies.flatMap((log) => log.map((r) => r.path));
  assert.ok(paths.length >= 5, 'requests went through the proxies');
  for (const secretText of ALL_PASSWORDS) {
    const forms = [secretText, encodeURIComponent(secretText), Buffer.from(secretText).toString('base64')];
    const leaked = paths.filter((p) => forms.some((f) => p.includes(f)) || safeDecode(p).includes(secretText));
    assert.deepEqual(leaked, [], 'no password in a request address');
  }
  assert.ok(paths.every((p) => !safeDecode(p).includes('@')), 'no credentials in an address');
  assertNoPanics(wang);
});

function safeDecode(path) {
  try { return decodeURIComponent(path); } catch { return path; }
}

test("another program's deletion deletes the record on the tablets, and its fields and attachments survive the app's next revision", async () => {
  const { url, wang, li, coordinator, couch } = shared;
  for (const t of [wang, li, coordinator]) await sync(t, url);
  const technologies = await countOf(coordinator.page, url, 'technologies');
  // 李娜's technology deleted in Fauxton (by the admin): a deletion without the record's fields.
  const tech = await docPath(couch, idOf(shared.liTech));
  const { body: current } = await couch.request('GET', tech);
  const deleted = await couch.request('DELETE', `${tech}?rev=${current._rev}`);
  assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
  const held = { [li.name]: await countOf(li.page, url, 'technologies'), [wang.name]: await countOf(wang.page, url, 'technologies') };
  for (const t of [coordinator, li, wang]) {
    const done = await sync(t, url);
    assert.equal(done.up, 0, `${t.name}: nothing written back: ${done.text}`);
  }
  assert.equal(await countOf(coordinator.page, url, 'technologies'), technologies - 1);
  assert.equal(await countOf(li.page, url, 'technologies'), held[li.name] - 1, 'her own, deleted');
  assert.equal(await countOf(wang.page, url, 'technologies'), held[wang.name], 'never his to hold');

  // 王海's training: a field and an attachment added by another program.
  const record = shared.wangTraining;
  const id = idOf(record);
  const path = await docPath(couch, id);
  const { body: doc } = await couch.request('GET', path);
  doc.reviewed_by = { name: '县科技局', at: '2022-07-01' };
  doc.data.livestream_viewers = 120; // a newer version's field of the training
  const note = '现场照片说明';
  doc._attachments = { 'note.txt': { content_type: 'text/plain', data: Buffer.from(note).toString('base64') } };
  const put = await couch.request('PUT', path, doc);
  assert.equal(put.status, 201, JSON.stringify(put.body));
  assert.equal((await sync(wang, url)).down, 1);
  const topic = '玉米密植高产技术（第三次修订）';
  await editTopic(wang.page, record, topic);
  assert.equal((await sync(wang, url)).up, 1);
  const { body: after } = await couch.request('GET', path);
  assert.equal(after.data.topic, topic);
  assert.deepEqual(after.reviewed_by, doc.reviewed_by);
  assert.equal(after.data.livestream_viewers, 120);
  assert.equal(after._attachments?.['note.txt']?.length, Buffer.byteLength(note), JSON.stringify(after._attachments));
  const attachment = await couch.request('GET', `${path}/note.txt`);
  assert.equal(attachment.body, note);
  assertNoPanics(wang, li, coordinator);
});

test("a made-up revision history takes no other officer's record, nor brings a deleted one back", async () => {
  const { couch } = shared;
  // 王海's training, live; 李娜's technology, deleted by the test before.
  const training = await docPath(couch, idOf(shared.wangTraining));
  const technology = await docPath(couch, idOf(shared.liTech));
  const revs = async (path) => (await couch.request('GET', `${path}?open_revs=all`)).body.map((l) => l.ok?._rev).sort();
  const before = { training: await revs(training), technology: await revs(technology) };
  const { body: live } = await couch.request('GET', training);
  const { status: gone, body: deleted } = await couch.request('GET', `${technology}?rev=${(await couch.request('GET', `${technology}?open_revs=all`)).body.map((l) => l.ok).find((d) => d?._deleted)?._rev}`);
  assert.equal(gone, 200);
  assert.equal(deleted._deleted, true);
  // A branch of its own (generation 999, no stored ancestor: CouchDB's oldDoc is null).
  const forged = (doc, owner, hash) => ({
    ...doc, _rev: `999-${hash}`, _revisions: { start: 999, ids: [hash] }, _deleted: false, deleted: false, owner,
  });
  const attempts = [
    [{ name: '李娜', password: PASSWORDS.李娜 }, forged(live, '李娜', 'f00d')],
    [{ name: '李娜', password: PASSWORDS.李娜 }, forged(live, '王海', 'beef')],
    [{ name: '李娜', password: PASSWORDS.李娜 }, { _id: live._id, _rev: '999-cafe', _deleted: true, _revisions: { start: 999, ids: ['cafe'] } }],
    [{ name: '王海', password: PASSWORDS.王海 }, forged({ ...live, ...deleted, kind: 'technology' }, '王海', 'abcd')],
  ];
  for (const [auth, doc] of attempts) {
    const res = await couch.request('POST', '/ledger/_bulk_docs', { new_edits: false, docs: [doc] }, { auth });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body[0]?.error, 'forbidden', `${auth.name} ${doc._id}: ${JSON.stringify(res.body)}`);
  }
  assert.deepEqual(await revs(training), before.training, 'no leaf added');
  assert.deepEqual(await revs(technology), before.technology, 'no leaf added');
});

test("a photo taken on an officer's tablet reaches the coordinator's through the server, once, and shows in server mode on demand", async () => {
  const { couch, url, wang, coordinator } = shared;
  const recordUrl = await createRecord(wang.page, url, 'trainings', {
    'field-date': '2022-06-10', 'field-topic': '草莓大棚现场教学', 'field-attendance': '18', 'field-county': '大石桥市',
  });
  await wang.page.waitForSelector('#photo-input', { state: 'attached' });
  await wang.page.setInputFiles('#photo-input', { name: 'IMG_0102.png', mimeType: 'image/png', buffer: await cameraImage(wang.page) });
  const [hash] = await shownPhotos(wang.page, 1);
  const id = idOf(recordUrl);

  const up = await sync(wang, url);
  assert.match(up.text, new RegExp(escape(ZH.finished_photos).replace('\\{\\{ up \\}\\}', '1').replace('\\{\\{ down \\}\\}', '0')));
  // On the server: the record's document with the photo as an attachment named by its hash.
  const path = await docPath(couch, id);
  const { body: doc } = await couch.request('GET', path);
  const attachment = doc._attachments?.[hash];
  assert.ok(attachment, `the document has the photo (${JSON.stringify(doc._attachments)})`);
  assert.match(attachment.content_type, /^image\/(webp|jpeg)$/);
  const bytes = await couch.request('GET', `${path}/${hash}`, undefined, { raw: true });
  assert.equal(bytes.status, 200);
  assert.equal(createHash('sha256').update(bytes.body).digest('hex'), hash, 'the bytes on the server are the photo');

  // A caption edited: the next revision names the photo by a stub, its bytes are not sent again.
  await wang.page.goto(recordUrl);
  await wang.page.fill('.photo-caption input', '棚内讲解');
  await wang.page.press('.photo-caption input', 'Tab');
  await wang.page.waitForFunction(() => document.querySelector('.revision')?.textContent.trim() === '3');
  const again = await sync(wang, url);
  assert.doesNotMatch(again.text, new RegExp(escape(ZH.finished_photos).replace(/\\\{\\\{ \w+ \\\}\\\}/g, '\\d+')),
    'no photo sent again');
  assert.doesNotMatch(again.text, pattern(ZH.finished_refused), 'the stub was taken');
  const { body: edited } = await couch.request('GET', path);
  assert.equal(edited.photos?.[0]?.caption, '棚内讲解', 'the edit is on the server');
  assert.equal(edited._attachments?.[hash]?.digest, attachment.digest, 'the same photo on the new revision');

  // The coordinator's tablet takes the record and its photo: the same bytes, shown.
  const down = await sync(coordinator, url);
  assert.match(down.text, new RegExp(escape(ZH.finished_photos).replace('\\{\\{ up \\}\\}', '\\d+').replace('\\{\\{ down \\}\\}', '1')));
  await coordinator.page.goto(recordUrl);
  assert.deepEqual(await shownPhotos(coordinator.page, 1), [hash]);
  assert.deepEqual(await bytesShown(coordinator.page), [hash], "the coordinator's stored bytes are the photo's");

  // In server mode the list's record shows the photo only when asked for.
  const page = coordinator.page;
  await page.goto(url + '/trainings');
  await appReady(page);
  await page.selectOption('#list-source', 'server');
  await page.waitForSelector('#server-list-more, #server-list-end, #server-list-error');
  const photoRequests = [];
  page.on('request', (r) => { if (r.url().includes(hash)) photoRequests.push(r.url()); });
  const row = page.locator('#server-list details', { hasText: '草莓大棚现场教学' });
  await row.locator('summary').click();
  assert.deepEqual(photoRequests, [], 'nothing fetched before it is asked for');
  await row.locator('.server-photo-show').click();
  await row.locator('.server-photo img').waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('.server-photo img')].every((i) => i.complete && i.naturalWidth > 0));
  assert.equal(photoRequests.length, 1, 'one request for the one photo');
  assert.equal(await row.locator('.server-photo figcaption').textContent(), '棚内讲解');
  assertNoPanics(wang, coordinator);
});
