// Tier 3: the year's progress on the release build: sample data, dashboard figures, targets,
// list filters kept in the URL, the printable summary, and removing the sample again.
// The dashboard and the print view are captured for the README (harness.mjs: screenshot).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileSession, appReady, createRecord, download, screenshot } from './harness.mjs';

const session = fileSession({ officer: '协调员' });

/** done and target of one dashboard line, as the page states them. */
async function targetLine(page, measure) {
  const line = page.locator(`.target[data-measure="${measure}"]`);
  return {
    done: Number(await line.getAttribute('data-done')),
    target: Number(await line.getAttribute('data-target')),
    text: await line.textContent(),
  };
}

test('sample data, dashboard, filters, print view (screenshots) and removing the sample', async () => {
  const { server, page, errors } = session;

  // An empty ledger offers the sample built from the bureau's report.
  await page.click('#load-sample');
  await page.waitForSelector('#remove-sample');
  await page.goto(server.url + '/?year=2022');
  await appReady(page);
  await page.waitForSelector('.target[data-measure="trainings"]');

  // The first half of 2022 as the report states it: 4 trainings, 150+ person-times.
  assert.deepEqual(await targetLine(page, 'trainings').then(({ done, target }) => ({ done, target })), { done: 4, target: 10 });
  assert.deepEqual(await targetLine(page, 'attendance').then(({ done, target }) => ({ done, target })), { done: 156, target: 500 });
  assert.deepEqual(await targetLine(page, 'technologies-promoted').then(({ done, target }) => ({ done, target })), { done: 2, target: 20 });
  assert.match((await targetLine(page, 'attendance')).text, /31%/);
  assert.equal(await page.textContent('.figure[data-figure="visits"] dd'), '8');
  assert.equal(await page.textContent('.figure[data-figure="demo-area"] dd'), '480.5');
  assert.equal(await page.locator('#county-table tbody tr').count(), 5);
  assert.match(await page.getAttribute('svg.chart.horizontal', 'aria-label'), /大石桥市 42/);
  await screenshot(page, 'dashboard-zh', { fullPage: true });

  // A target is a setting: raise the 2022 training target and the dashboard follows.
  await page.goto(server.url + '/settings');
  await page.fill('#targets-year', '2022');
  await page.dispatchEvent('#targets-year', 'change');
  await page.fill('#target-trainings', '12');
  await page.fill('#target-visits', '30');
  await page.click('#save-targets');
  await page.waitForSelector('.targets-editor .status:has-text("2022")');

  // A real record of the officer's own, in 2022 in Gaizhou.
  const realUrl = await createRecord(page, server.url, 'trainings', {
    'field-date': '2022-08-18',
    'field-topic': '葡萄冬季修剪技术培训',
    'field-county': '盖州市',
    'field-attendance': '30',
  });
  await page.goto(server.url + '/?year=2022');
  await page.waitForSelector('.target[data-measure="visits"]');
  assert.deepEqual(await targetLine(page, 'trainings').then(({ done, target }) => ({ done, target })), { done: 5, target: 12 });
  assert.equal((await targetLine(page, 'attendance')).done, 186);
  assert.deepEqual(await targetLine(page, 'visits').then(({ done, target }) => ({ done, target })), { done: 8, target: 30 });

  // Filters: by county, then by a word; the filter lives in the URL and survives a reload.
  await page.goto(server.url + '/trainings');
  await page.waitForSelector('#filter-county');
  await page.selectOption('#filter-county', '盖州市');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('county') === '盖州市');
  await page.waitForSelector('p.count[data-count="2"]');
  await page.fill('#filter-text', '葡萄');
  await page.waitForSelector('p.count[data-count="1"]');
  // The words reach the URL once typing pauses.
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '葡萄');
  await page.reload();
  await appReady(page);
  await page.waitForSelector('p.count[data-count="1"]');
  assert.equal(await page.inputValue('#filter-text'), '葡萄');
  assert.deepEqual(await page.locator('.record-list .row-title').allTextContents(), ['葡萄冬季修剪技术培训']);
  await page.click('#filter-clear');
  await page.waitForSelector('p.count[data-count="5"]');

  // The printable summary of 2022.
  await page.goto(server.url + '/?year=2022');
  await page.click('#open-report');
  await page.waitForURL(/\/report\?year=2022$/);
  await page.waitForSelector('.report-targets');
  assert.match(await page.textContent('.report h1'), /2022年/);
  assert.match(await page.textContent('.report .period'), /2022-01-01 至 2022-12-31/);
  assert.equal(await page.textContent('.report-targets tr[data-measure="attendance"] .done'), '186');
  assert.equal(await page.locator('.report-trainings tbody tr').count(), 5);
  assert.equal(await page.locator('.report-technologies tbody tr').count(), 2);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('nav.app-nav'), false, 'the app frame is not printed');
  await screenshot(page, 'report-print-zh', { fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // A full export carries the targets and the real record, not the sample.
  await page.goto(server.url + '/sync');
  await page.waitForSelector('#export-json');
  const file = await download(page, '#export-json');
  const exported = JSON.parse(await readFile(file.path, 'utf8'));
  assert.deepEqual(exported.records.map((r) => r.data.topic), ['葡萄冬季修剪技术培训']);
  assert.equal(exported.records.some((r) => r.sample), false);
  assert.deepEqual(exported.targets.map((t) => [t.year, t.trainings, t.visits]), [[2022, 12, 30]]);

  // Removing the sample leaves the officer's own record as it was.
  await page.goto(server.url + '/');
  await page.click('#remove-sample');
  await page.waitForSelector('#load-sample, .sample .status:has-text("已移除")');
  await page.goto(server.url + '/trainings');
  await page.waitForSelector('p.count[data-count="1"]');
  await page.goto(realUrl);
  await page.waitForSelector('h1.record-title');
  assert.equal(await page.textContent('h1.record-title'), '葡萄冬季修剪技术培训');
  for (const kind of ['technologies', 'visits']) {
    await page.goto(`${server.url}/${kind}`);
    await page.waitForSelector('p.count.empty[data-count="0"]');
  }
  assert.deepEqual(errors, []);
});
