// Tier 3: the handoff. Two officers on two tablets (two browser profiles) record and export;
// the coordinator (a third profile) imports their files and gets exactly the union.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileSession, testSession, appReady, signIn, createRecord, download, editTopic, importFiles, countOf } from './harness.mjs';

// Three tablets: officers A and B, and the coordinator.
const session = fileSession({ tablets: 3 });

async function renamed(path, name) {
  const dir = await mkdtemp(join(tmpdir(), 'field-ledger-export-'));
  const target = join(dir, name);
  await writeFile(target, await readFile(path));
  return target;
}

test('two officers export, the coordinator imports both, twice, and sees exactly the union', async () => {
  const { server: { url }, profiles: [a, b, coordinator] } = session;
  await signIn(a.page, url, '王建国');
  await signIn(b.page, url, '李娜');

  // Officer A: a training and a visit, exported in full.
  const training = await createRecord(a.page, url, 'trainings', {
    'field-date': '2022-05-12', 'field-topic': '玉米密植高产技术', 'field-attendance': '40', 'field-county': '大石桥市',
  });
  await createRecord(a.page, url, 'visits', {
    'field-date': '2022-05-13', 'field-commissioners': '王建国', 'field-host': '大石桥市水源镇合作社',
  });
  await a.page.goto(url + '/sync');
  await appReady(a.page);
  assert.equal(await a.page.getAttribute('.handoff', 'data-unexported'), '2');
  const a1 = await download(a.page, '#export-json');
  await a.page.waitForFunction(() => document.querySelector('.handoff')?.dataset.unexported === '0');

  // Officer B (a second tablet): a technology; takes A's file, edits A's training.
  await createRecord(b.page, url, 'technologies', {
    'field-name': '利用分子育种技术改良域稻17等品种的香味性状', 'field-introducedon': '2022-04-01',
  });
  const importedByB = await importFiles(b.page, url, [a1.path]);
  assert.equal(importedByB[0].added, 2);
  await editTopic(b.page, training, '玉米密植高产技术（B 修订）');
  await b.page.goto(url + '/sync');
  await appReady(b.page);
  const b1 = await download(b.page, '#export-json');

  // Meanwhile officer A edits the same training differently and exports only the changes.
  await editTopic(a.page, training, '玉米密植高产技术（A 修订）');
  await a.page.goto(url + '/sync');
  await appReady(a.page);
  assert.equal(await a.page.getAttribute('.handoff', 'data-unexported'), '1');
  const a2 = await download(a.page, '#export-changes');
  const a2Json = JSON.parse(await readFile(a2.path, 'utf8'));
  assert.equal(a2Json.records.length, 1, 'only the change since the last export');
  assert.ok(a2Json.since, 'an export of changes says since when');
  assert.match(a2Json.checksum, /^sha256:[0-9a-f]{64}$/);

  // The coordinator imports all three files at once (and a non-export file).
  const notAnExport = join(await mkdtemp(join(tmpdir(), 'field-ledger-bad-')), 'notes.json');
  await writeFile(notAnExport, '{"hello": "world"}');
  const paths = [await renamed(a1.path, 'a1.json'), await renamed(b1.path, 'b1.json'), await renamed(a2.path, 'a2.json'), notAnExport];
  const report = await importFiles(coordinator.page, url, paths);
  assert.deepEqual(report.map((r) => r.file), ['a1.json', 'b1.json', 'a2.json', 'notes.json']);
  assert.equal(report[0].added, 2);
  assert.equal(report[1].added, 1, "B's technology");
  assert.equal(report[1].updated, 1, "B's edit of the training");
  assert.equal(report[2].conflicts, 1, "A's edit of the same revision conflicts");
  assert.match(report[3].rejected, /不是科技特派台账的导出文件/);

  assert.equal(await countOf(coordinator.page, url, 'trainings'), 1);
  assert.equal(await countOf(coordinator.page, url, 'visits'), 1);
  assert.equal(await countOf(coordinator.page, url, 'technologies'), 1);

  // Importing a file again changes nothing.
  const again = await importFiles(coordinator.page, url, [paths[2], paths[0]]);
  assert.deepEqual(again.map((r) => [r.added, r.updated, r.conflicts, r.deleted]), [[0, 0, 0, 0], [0, 0, 0, 0]]);
  assert.equal(again[0].unchanged, 1);
  assert.equal(await countOf(coordinator.page, url, 'trainings'), 1);

  // The conflict shows on the record, with the other version kept and restorable.
  const path = new URL(training).pathname;
  await coordinator.page.goto(url + path);
  await coordinator.page.waitForSelector('.history');
  assert.ok(await coordinator.page.isVisible('.conflict-note'));
  const shown = await coordinator.page.textContent('h1.record-title');
  const versions = await coordinator.page.textContent('.versions');
  const both = ['玉米密植高产技术（A 修订）', '玉米密植高产技术（B 修订）'];
  assert.ok(both.includes(shown.trim()), shown);
  const other = both.find((t) => t !== shown.trim());
  assert.ok(versions.includes(other), 'the losing edit is kept');
  const restoreButton = coordinator.page.locator('.versions li', { hasText: other }).locator('button.restore');
  await restoreButton.click();
  await coordinator.page.waitForFunction((t) => document.querySelector('h1.record-title')?.textContent === t, other);
  assert.equal((await coordinator.page.textContent('.revision')).trim(), '3');

  for (const profile of [a, b, coordinator]) assert.deepEqual(profile.errors, []);
});

test('a CSV table opens in a spreadsheet: BOM, Chinese header, one row per record', async () => {
  const { server, profiles: [, , coordinator] } = session;
  const { page } = coordinator;
  await page.goto(server.url + '/sync');
  await appReady(page);
  const csv = await download(page, '#csv-trainings');
  assert.match(csv.name, /^field-ledger-[0-9a-f]{8}-trainings-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await readFile(csv.path, 'utf8');
  assert.equal(text.charCodeAt(0), 0xfeff);
  const lines = text.slice(1).trim().split('\r\n');
  assert.match(lines[0], /^日期,/);
  assert.equal(lines.length, 2, 'header and one training');
  assert.match(lines[1], /玉米密植高产技术/);
});

test('while a file is written or read its button waits, so a second tap starts nothing', async (t) => {
  // Without the service worker, so that each part's code is fetched, and held back until the
  // test has seen the buttons wait.
  const { server: { url }, page, context } = await testSession(t, { officer: '王建国', serviceWorkers: 'block' });
  const held = new Map();
  await context.route(/\/split_(export|import|docx)-[^/]*\.wasm$/, async (route) => {
    const part = route.request().url().match(/split_(\w+)-/)[1];
    await new Promise((release) => held.set(part, release));
    await route.continue();
  });
  const release = async (part) => {
    while (!held.has(part)) await new Promise((resolve) => setTimeout(resolve, 20));
    held.get(part)();
  };
  let downloads = 0;
  page.on('download', () => { downloads += 1; });
  await createRecord(page, url, 'trainings', {
    'field-date': '2022-05-12', 'field-topic': '等待中的导出', 'field-attendance': '12', 'field-county': '盖州市',
  });

  await page.goto(url + '/exchange');
  await appReady(page);
  const exported = page.waitForEvent('download');
  await page.click('#export-json');
  await page.click('#export-changes'); // a second tap while the first export is written
  await release('export');
  assert.match((await exported).suggestedFilename(), /\.json$/);
  await page.waitForFunction(() => /已导出 1 条记录/.test(document.querySelector('.export .status').textContent));
  // The next export is the second file: the tap in between wrote none.
  await download(page, '#export-changes');
  assert.equal(downloads, 2);

  // The file just written, imported back: the picker waits until the report is shown.
  const path = join(await mkdtemp(join(tmpdir(), 'field-ledger-wait-')), 'back.json');
  await (await exported).saveAs(path);
  await page.setInputFiles('#import-files', path);
  await page.waitForFunction(() => document.querySelector('#import-files').disabled);
  await release('import');
  await page.waitForFunction(() => /导入完成/.test(document.querySelector('#import-status').textContent));
  assert.equal(await page.isDisabled('#import-files'), false);
  assert.equal(await page.locator('.import-report tbody tr').count(), 1);
  assert.equal(await page.textContent('.import-report .unchanged'), '1');

  await page.goto(url + '/report?period=h1&year=2022');
  await appReady(page);
  await page.waitForSelector('#download-docx:not([disabled])');
  const word = page.waitForEvent('download');
  await page.click('#download-docx');
  await page.waitForSelector('#download-docx[disabled]');
  await release('docx');
  assert.match((await word).suggestedFilename(), /\.docx$/);
  await page.waitForSelector('#download-docx:not([disabled])');
  assert.equal(downloads, 3);
});
