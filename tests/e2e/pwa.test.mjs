// Tier 3: offline for real. The release build's service worker keeps the app working with
// the server gone, updates wait for the user, and the app asks nothing of the network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { DIST, SUBPATH_DIST, testSession, appReady, signIn, createRecord, download, pngSize } from './harness.mjs';

async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
}

test('after one online visit the app loads and works with the server gone', async (t) => {
  const { server, page, context, errors } = await testSession(t);
  const foreign = [];
  context.on('request', (r) => { if (!r.url().startsWith(server.origin)) foreign.push(r.url()); });

  await signIn(page, server.url, '王建国');
  await controlled(page);
  const firstLoad = server.requests.length;
  const online = await createRecord(page, server.url, 'trainings', { 'field-topic': '联网时录入', 'field-attendance': '12' });
  // After the first load, the app asks its server for nothing but its own update check.
  const later = server.requests.slice(firstLoad);
  assert.deepEqual(later.filter((p) => p !== '/sw.js'), [], `requests after the first load: ${later}`);

  await server.stop();
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => { if (!r.fromServiceWorker()) failed.push(`not from the service worker: ${r.url()}`); });
  await page.reload();
  await appReady(page);
  assert.match(await page.textContent('header'), /科技特派台账/);
  assert.match(await page.textContent('.connection'), /离线|在线/);

  const training = await createRecord(page, server.url, 'trainings', { 'field-topic': '离线培训', 'field-attendance': '20' });
  await createRecord(page, server.url, 'technologies', { 'field-name': '离线技术', 'field-introducedon': '2022-03-01' });
  await createRecord(page, server.url, 'visits', { 'field-commissioners': '赵志强', 'field-host': '离线合作社' });
  await page.goto(server.url + '/trainings');
  await appReady(page);
  assert.equal(await page.getAttribute('p.count', 'data-count'), '2');

  // A deep link reloads offline too.
  await page.goto(training);
  await page.reload();
  await appReady(page);
  assert.match(await page.textContent('h1.record-title'), /离线培训/);
  await page.goto(online);
  await appReady(page);
  assert.match(await page.textContent('h1.record-title'), /联网时录入/);

  // And the export still works.
  await page.goto(server.url + '/sync');
  await appReady(page);
  const file = await download(page, '#export-json');
  const envelope = JSON.parse(await readFile(file.path, 'utf8'));
  assert.equal(envelope.records.length, 4);

  assert.deepEqual(failed, [], 'no request left the browser while offline');
  assert.deepEqual(foreign, [], 'no request ever left the origin');
  assert.deepEqual(errors, []);
});

test('a new deployment installs in the background and waits for the user', async (t) => {
  // Build B: the same app, deployed again with a visible difference.
  const buildB = await mkdtemp(join(tmpdir(), 'field-ledger-build-b-'));
  t.after(() => rm(buildB, { recursive: true, force: true }));
  await cp(DIST, buildB, { recursive: true });
  const indexB = (await readFile(join(DIST, 'index.html'), 'utf8')).replace('<title>', '<title>B · ');
  await writeFile(join(buildB, 'index.html'), indexB);
  const swB = (await readFile(join(DIST, 'sw.js'), 'utf8')).replace(/const BUILD_ID = '[^']+'/, "const BUILD_ID = 'build-b'");
  await writeFile(join(buildB, 'sw.js'), swB);

  const { server, page } = await testSession(t, { root: DIST, officer: '李娜' });
  await controlled(page);
  const titleA = await page.title();
  assert.doesNotMatch(titleA, /^B · /);

  server.setRoot(buildB);
  await page.reload();
  await appReady(page);
  await page.waitForSelector('#update-ready', { timeout: 20000 });
  assert.equal(await page.title(), titleA, 'the running version stays until the user chooses');

  // The server goes away before the user accepts: version A keeps working.
  await server.stop();
  await page.reload();
  await appReady(page);
  assert.equal(await page.title(), titleA);
  await createRecord(page, server.url, 'trainings', { 'field-topic': '更新前的记录', 'field-attendance': '5' });
  // The record's page is whole (its photo part loaded) before the officer taps the banner.
  await page.waitForSelector('#photo-input', { state: 'attached' });

  // Accepting switches to B (already downloaded, so it works offline too), data intact.
  await page.click('#apply-update');
  await page.waitForFunction(() => document.title.startsWith('B · '), null, { timeout: 20000 });
  await appReady(page);
  await page.goto(server.url + '/trainings');
  await appReady(page);
  assert.equal(await page.getAttribute('p.count', 'data-count'), '1');
  // Only B's files remain cached once B has taken over.
  const caches = await page.evaluate(() => caches.keys());
  assert.deepEqual(caches, ['field-ledger-build-b']);
});

test('served from a sub-path, the app, its manifest and its service worker all work', async (t) => {
  const { server, page, errors } = await testSession(t, { root: SUBPATH_DIST, prefix: '/field-ledger', officer: '王建国' });
  await controlled(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
  assert.equal(scope, server.url + '/');

  // Navigation stays under the sub-path.
  await page.click('nav.app-nav a:has-text("培训")');
  await page.waitForURL(server.url + '/trainings');
  const record = await createRecord(page, server.url, 'trainings', { 'field-topic': '子路径培训', 'field-attendance': '8' });
  assert.ok(record.startsWith(server.url + '/trainings/'));

  // The manifest is linked, parses, and its icons exist at their sizes.
  const manifestUrl = await page.evaluate(() => document.querySelector('link[rel=manifest]').href);
  assert.equal(manifestUrl, server.url + '/manifest.webmanifest');
  const manifest = JSON.parse(await (await fetch(manifestUrl)).text());
  assert.match(manifest.name, /科技特派台账/);
  assert.match(manifest.name, /Field Ledger/);
  assert.equal(manifest.display, 'standalone');
  assert.equal(new URL(manifest.start_url, manifestUrl).href, server.url + '/');
  assert.equal(new URL(manifest.scope, manifestUrl).href, server.url + '/');
  assert.ok(manifest.icons.some((i) => i.purpose === 'maskable'));
  for (const icon of manifest.icons) {
    const bytes = Buffer.from(await (await fetch(new URL(icon.src, manifestUrl))).arrayBuffer());
    assert.deepEqual(pngSize(bytes), icon.sizes.split('x').map(Number), icon.src);
  }

  // Offline, a deep link under the sub-path still loads.
  await server.stop();
  await page.goto(record);
  await appReady(page);
  assert.match(await page.textContent('h1.record-title'), /子路径培训/);
  assert.deepEqual(errors, []);
});

test('a part of the app whose code cannot be fetched says so, the rest works, and it loads next time', async (t) => {
  // Without the service worker, which would otherwise have every part at hand.
  const { server, page, context, errors } = await testSession(t, { serviceWorkers: 'block' });
  const lazy = /\/(split|chunk)_[^/]*\.wasm$/;
  let failing = true;
  let refused = 0;
  await context.route(lazy, (route) => {
    if (!failing) return route.continue();
    refused += 1;
    return route.abort();
  });

  await signIn(page, server.url, '王建国');
  await page.click('nav.app-nav a[href$="/settings"]');
  await page.waitForSelector('.load-failed', { timeout: 20000 });
  assert.ok(refused > 0, 'the settings page is a part of its own');
  assert.match(await page.textContent('.load-failed'), /此页未能载入/);
  // The app is still running: the home page works.
  await page.click('nav.app-nav a[href$="/"]');
  await page.waitForSelector('.signed-in');

  failing = false;
  await page.click('nav.app-nav a[href$="/settings"]');
  await page.waitForFunction(() => document.querySelector('main h1')?.textContent === '设置', null, { timeout: 20000 });
  assert.equal(await page.$('.load-failed'), null);
  assert.deepEqual(errors.filter((e) => !/wasm|Failed to fetch|net::/.test(e)), []);
});

test('persistent storage is requested and reported', async (t) => {
  const { server, page } = await testSession(t, { officer: '王建国' });
  await page.goto(server.url + '/settings');
  await appReady(page);
  await page.waitForSelector('#site-usage');
  const persistence = await page.textContent('#persistence');
  const granted = await page.evaluate(() => navigator.storage.persisted());
  assert.match(persistence, granted ? /已同意/ : /没有承诺/);
  console.log(`persistence in headless Chromium: ${granted ? 'granted' : 'not granted'}; ${await page.textContent('#site-usage')}`);
  assert.match(await page.textContent('#local-usage'), /5 MB/);
});
