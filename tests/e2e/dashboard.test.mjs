// Tier 3: progress in a period on the release build: sample data, the dashboard's periods,
// figures, targets, list filters kept in the URL, and removing the sample again.
// The dashboard is captured for the README (harness.mjs: screenshot).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileSession, appReady, createRecord, download, screenshot, scrollUntil } from './harness.mjs';

const session = fileSession({ officer: '协调员', role: 'coordinator' });

/** done and target of one dashboard line, as the page states them. */
async function targetLine(page, measure) {
  const line = page.locator(`.target[data-measure="${measure}"]`);
  return {
    done: Number(await line.getAttribute('data-done')),
    target: Number(await line.getAttribute('data-target')),
    text: await line.textContent(),
  };
}

test('sample data, the dashboard periods, targets, filters (screenshots) and removing the sample', async () => {
  const { server, page, errors } = session;

  // An empty ledger offers the sample built from the bureau's report (further down the home:
  // drawn when scrolled to, as the figures below the targets are).
  await scrollUntil(page, '#load-sample');
  await page.click('#load-sample');
  await page.waitForSelector('#remove-sample');
  // A ledger holding only the sample opens where the seed report stands: the first half of
  // 2022, as the report states it: 4 trainings, 150+ person-times.
  await page.goto(server.url + '/');
  await appReady(page);
  await page.waitForSelector('#period-status');
  assert.match(await page.textContent('#period-status'), /2022年上半年/);
  await page.waitForSelector('.target[data-measure="trainings"][data-done="4"]');
  assert.deepEqual(await targetLine(page, 'trainings').then(({ done, target }) => ({ done, target })), { done: 4, target: 10 });
  assert.deepEqual(await targetLine(page, 'attendance').then(({ done, target }) => ({ done, target })), { done: 156, target: 500 });
  // Pace at the end of June: about half the year's target, in whole units.
  assert.match((await targetLine(page, 'trainings')).text, /到期末应完成 5）/);
  await scrollUntil(page, '#figures');
  assert.equal(await page.textContent('#figures tr[data-figure="technician-sessions"] .now'), '4');
  assert.equal(await page.textContent('#figures tr[data-figure="technician-attendance"] .now'), '156');

  // The third quarter: the year's trainings from January to September (4 of 10) judged
  // against what 30 September asks for (8), the quarter's own (none) beside them.
  await page.selectOption('#period-preset', 'q3');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('period') === 'q3');
  await page.waitForSelector('.target[data-measure="trainings"][data-in-period="0"]');
  const q3 = await targetLine(page, 'trainings');
  assert.deepEqual({ done: q3.done, target: q3.target }, { done: 4, target: 10 });
  assert.match(q3.text, /1—9月累计/);
  assert.match(q3.text, /本期 0/);
  assert.match(q3.text, /完成 40%/);
  assert.match(q3.text, /落后于进度（到期末应完成 8）/);
  assert.equal((await targetLine(page, 'attendance')).done, 156);
  assert.equal(await page.getAttribute('.target[data-measure="technologies-promoted"]', 'data-in-period'), '1');
  assert.equal(await page.textContent('#figures tr[data-figure="technician-sessions"] .now'), '0');
  // The second half: the whole year, which is over, with the figures it reached.
  await page.selectOption('#period-preset', 'h2');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('period') === 'h2');
  await page.waitForSelector('.target[data-measure="trainings"][data-in-period="0"]');
  const h2 = await targetLine(page, 'trainings');
  assert.deepEqual({ done: h2.done, target: h2.target }, { done: 4, target: 10 });
  assert.match(h2.text, /全年累计/);
  assert.match(h2.text, /该年度已结束，未完成目标/);
  assert.equal((await targetLine(page, 'technologies-promoted')).done, 2);

  // The whole year: every county listed, zeros included, with the 合计 row.
  await page.goto(server.url + '/?period=year&year=2022');
  await page.waitForSelector('.target[data-measure="technologies-promoted"][data-done="2"]');
  assert.deepEqual(await targetLine(page, 'technologies-promoted').then(({ done, target }) => ({ done, target })), { done: 2, target: 20 });
  assert.match((await targetLine(page, 'attendance')).text, /31%/);
  await scrollUntil(page, '#import-files');
  assert.equal(await page.textContent('#figures tr[data-figure="visits"] .now'), '8');
  assert.equal(await page.textContent('#figures tr[data-figure="demo-area"] .now'), '480.5');
  assert.equal(await page.locator('#county-table tbody tr').count(), 7);
  assert.deepEqual(await page.locator('#county-table tfoot tr.total td').allTextContents(), ['4', '156', '2', '3', '8']);
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
  await page.goto(server.url + '/?period=year&year=2022');
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

  // The same period a year earlier is compared once that year has records.
  await createRecord(page, server.url, 'trainings', {
    'field-date': '2021-08-01',
    'field-topic': '去年的培训',
    'field-attendance': '20',
  });
  await page.goto(server.url + '/?period=year&year=2022');
  await scrollUntil(page, '#figures tr[data-figure="farmer-sessions"] .before');
  assert.equal(await page.textContent('#figures tr[data-figure="farmer-sessions"] .before'), '1');
  assert.equal(await page.textContent('#figures tr[data-figure="farmer-sessions"] .change'), '0');

  // The report opens on the same period.
  await page.click('#open-report');
  await page.waitForURL(/\/report\?period=year&year=2022$/);
  await page.waitForSelector('#report-counties');

  // A full export carries the targets and the real record, not the sample.
  await page.goto(server.url + '/exchange');
  await page.waitForSelector('#export-json');
  const file = await download(page, '#export-json');
  const exported = JSON.parse(await readFile(file.path, 'utf8'));
  assert.deepEqual(exported.records.map((r) => r.data.topic).sort(), ['去年的培训', '葡萄冬季修剪技术培训'].sort());
  assert.equal(exported.records.some((r) => r.sample), false);
  assert.deepEqual(exported.targets.map((t) => [t.year, t.trainings, t.visits]), [[2022, 12, 30]]);

  // Removing the sample leaves the officer's own record as it was.
  await page.goto(server.url + '/');
  await scrollUntil(page, '#remove-sample');
  await page.click('#remove-sample');
  await page.waitForSelector('#load-sample, .sample .status:has-text("已移除")');
  await page.goto(server.url + '/trainings');
  await page.waitForSelector('p.count[data-count="2"]');
  await page.goto(realUrl);
  await page.waitForSelector('h1.record-title');
  assert.equal(await page.textContent('h1.record-title'), '葡萄冬季修剪技术培训');
  for (const kind of ['technologies', 'visits']) {
    await page.goto(`${server.url}/${kind}`);
    await page.waitForSelector('p.count.empty[data-count="0"]');
  }
  assert.deepEqual(errors, []);
});
