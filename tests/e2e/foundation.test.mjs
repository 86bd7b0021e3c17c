// Tier 3: an officer's day on the release build, in Chromium, as a person would do it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileSession, appReady, fill, saveForm as save } from './harness.mjs';

// A new tablet: the officer has not given a name yet.
const session = fileSession();

test('records one of each kind, edits, deletes and exports exactly those records', async () => {
  const { server, page, errors } = session;
  await page.goto(server.url + '/');
  await appReady(page);

  // Chinese by default, whatever the browser's language (this profile says en-US).
  assert.equal(await page.getAttribute('html', 'lang'), 'zh');
  assert.match(await page.textContent('header'), /科技特派台账/);

  // The name is asked once.
  await page.fill('#author-name', '王建国');
  await page.click('form.name-prompt button[type=submit]');
  await page.waitForSelector('.signed-in');
  assert.match(await page.textContent('.signed-in'), /王建国/);

  // A training with a missing topic is refused field by field, and what was typed stays.
  await page.click('a[href="/trainings/new"]');
  await page.waitForSelector('#field-topic');
  await fill(page, { 'field-date': '2022-06-15', 'field-attendance': '45' });
  await save(page);
  await page.waitForSelector('#field-topic-error:not(:empty)');
  assert.equal(await page.getAttribute('#field-topic', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#field-attendance'), '45');
  assert.match(new URL(page.url()).pathname, /\/trainings\/new$/);

  await fill(page, {
    'field-topic': '水稻病虫害绿色防控技术培训',
    'field-trainers': '李明、张华',
    'field-county': '盖州市',
    'field-township': '九寨镇',
    'field-village': '五美房村',
    'field-women': '18',
  });
  await save(page);
  await page.waitForURL(/\/trainings\/[0-9a-f-]{36}$/);
  assert.match(await page.textContent('h1.record-title'), /水稻病虫害绿色防控技术培训/);
  const trainingUrl = page.url();

  // A technology.
  await page.goto(server.url + '/technologies/new');
  await page.waitForSelector('#field-name');
  await fill(page, {
    'field-name': '低成本可控生物降解地膜',
    'field-partners': '中科院长春应用化学研究所，辽宁东盛集团',
    'field-introducedon': '2022-03-01',
    'field-county': '大石桥市',
    'field-demoarea': '120.5',
  });
  await save(page);
  await page.waitForURL(/\/technologies\/[0-9a-f-]{36}$/);

  // A visit.
  await page.goto(server.url + '/visits/new');
  await page.waitForSelector('#field-host');
  await fill(page, {
    'field-date': '2022-06-18',
    'field-commissioners': '赵志强',
    'field-host': '营口天域米业',
    'field-county': '老边区',
    'field-problems': '<script>alert("x")</script>',
  });
  await page.selectOption('#field-hosttype', { index: 3 });
  await page.check('#field-help input[type=checkbox] >> nth=0');
  await save(page);
  await page.waitForURL(/\/visits\/[0-9a-f-]{36}$/);
  const visitUrl = page.url();
  // Hostile text is shown as text.
  assert.match(await page.textContent('dl.details'), /<script>alert\("x"\)<\/script>/);
  assert.equal(await page.locator('dl.details script').count(), 0);

  // After a reload everything is still there.
  await page.goto(server.url + '/');
  await page.reload();
  await appReady(page);
  const counts = await page.$$eval('.kind-card', (cards) =>
    cards.map((c) => [c.dataset.kind, c.querySelector('.kind-count').textContent]));
  // What an officer records in the field: teams are the bureau's.
  assert.deepEqual(counts, [['trainings', '1 条'], ['technologies', '1 条'], ['visits', '1 条'], ['demands', '0 条']]);
  await page.click('a[href="/trainings"]');
  await page.waitForSelector('.record-list .record-row');
  assert.match(await page.textContent('.record-list'), /2022-06-15.*水稻病虫害绿色防控技术培训.*45 人次/s);

  // Edit the training: the revision goes up.
  await page.goto(trainingUrl);
  await page.waitForSelector('.revision');
  assert.equal((await page.textContent('.revision')).trim(), '1');
  await page.click(`a[href$="/edit"]`);
  await page.waitForSelector('#field-attendance');
  assert.equal(await page.inputValue('#field-topic'), '水稻病虫害绿色防控技术培训');
  await page.fill('#field-attendance', '52');
  await save(page);
  await page.waitForURL(trainingUrl);
  await page.waitForSelector('.revision');
  assert.equal((await page.textContent('.revision')).trim(), '2');
  assert.match(await page.textContent('dl.details'), /52 人次/);

  // Delete the visit, after confirming.
  await page.goto(visitUrl);
  await page.waitForSelector('button.danger');
  await page.click('button.danger');
  await page.click('#confirm-delete');
  await page.waitForURL(/\/visits$/);
  await page.waitForSelector('.empty');
  assert.equal(await page.getAttribute('p.count', 'data-count'), '0');

  // Export: the file holds exactly these records, the deleted one as a tombstone.
  await page.goto(server.url + '/');
  await appReady(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  assert.match(download.suggestedFilename(), /^field-ledger-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.json$/);
  const envelope = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(envelope.format, 'field-ledger-export');
  assert.equal(envelope.schema_version, 3);
  assert.match(envelope.exported_at, /^\d{4}-\d{2}-\d{2}T/);
  assert.equal(envelope.records.length, 3);
  const byKind = Object.fromEntries(envelope.records.map((r) => [r.kind, r]));
  assert.equal(byKind.training.revision, 2);
  assert.equal(byKind.training.data.attendance, 52);
  assert.deepEqual(byKind.training.data.trainers, ['李明', '张华']);
  assert.equal(byKind.training.author, '王建国');
  assert.equal(byKind.training.device_id, envelope.device_id);
  assert.equal(byKind.technology.revision, 1);
  assert.deepEqual(byKind.technology.data.partners, ['中科院长春应用化学研究所', '辽宁东盛集团']);
  assert.equal(byKind.technology.data.demo_area_mu, 120.5);
  assert.equal(byKind.visit.deleted, true);
  assert.equal(byKind.visit.revision, 2);
  assert.equal(byKind.visit.data.problems, '<script>alert("x")</script>');
  assert.match(await page.textContent('.export .status'), /已导出 3 条记录/);

  assert.deepEqual(errors, []);
});

test('the language choice is remembered across reloads', async () => {
  const { server, page } = session;
  await page.goto(server.url + '/settings');
  await appReady(page);
  await page.click('header button.language');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match(await page.textContent('nav.app-nav'), /Trainings/);
  await page.reload();
  await appReady(page);
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match(await page.textContent('h1'), /Settings/);
  await page.click('header button.language');
  await page.waitForFunction(() => document.documentElement.lang === 'zh');
});
