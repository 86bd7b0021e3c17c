// Tier 3: teams and demands on the release build, as the bureau runs them. A coordinator
// creates a commissioner team and a village's demand, matches the demand to the team, records
// the visit that answers it and marks it solved; the demand's page shows the visit and the
// days it waited, the team's page and the dashboard count its work, the report says how many
// demands were collected, matched and solved. A full export imported on a second tablet gives
// exactly the same records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileSession, fill, saveForm, download, scrollUntil } from './harness.mjs';

const session = fileSession({ tablets: 2, officer: '李主任', role: 'coordinator' });

/** Today where the browser is, as yyyy-mm-dd. */
async function browserToday(page) {
  return page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
}

/** Opens a kind's new-record form, types `fields`, lets `pick` choose links, saves; the page's URL. */
async function newRecord(page, url, kind, fields, pick = async () => {}) {
  await page.goto(`${url}/${kind}/new`);
  await page.waitForSelector('form.record-form');
  await fill(page, fields);
  await pick();
  await saveForm(page);
  await page.waitForURL(new RegExp(`/${kind}/[0-9a-f-]{36}$`));
  return page.url();
}

/** Chooses the record titled `title` in the link picker of field `id`. */
async function pickLink(page, id, title) {
  await page.fill(`#${id} input[type=search]`, title);
  await page.check(`#${id} label:has-text("${title}") input[type=radio]`);
}

/** A file's records by id, without what only says where and when the file was written. */
function recordsById(text) {
  const file = JSON.parse(text);
  return Object.fromEntries(file.records.map((r) => [r.id, r]));
}

test('a demand matched to a team, answered by a visit and solved, counted on the dashboard and in the report, and the same on another tablet', async () => {
  const { server, page, errors, profiles } = session;
  const url = server.url;
  const today = await browserToday(page);
  const year = today.slice(0, 4);

  const teamUrl = await newRecord(page, url, 'teams', {
    'field-name': '水稻产业科技特派团',
    'field-year': year,
    'field-leader': '王教授',
    'field-industry': '水稻',
    // Entering the approval date is enough: the status follows it.
    'field-approvedon': today,
  });
  await page.waitForSelector('dl.details');
  assert.match(await page.textContent('dl.details'), /已立项/);

  const demandUrl = await newRecord(page, url, 'demands', {
    'field-collectedon': today,
    'field-host': '西海村水稻合作社',
    'field-county': '盖州市',
    'field-industry': '水稻',
    'field-need': '稻瘟病连年发生，农户不会选药',
    'field-matchedon': today,
  }, () => pickLink(page, 'field-teamid', '水稻产业科技特派团'));
  assert.match(await page.textContent('dl.details'), /已对接/);
  assert.match(await page.textContent('#linked-records'), /水稻产业科技特派团/);
  // Nobody has visited yet.
  assert.equal(await page.locator('#demand-answers .related-link').count(), 0);

  await newRecord(page, url, 'visits', {
    'field-date': today,
    'field-commissioners': '王教授',
    'field-host': '西海村水稻合作社',
    'field-county': '盖州市',
    'field-advice': '抽穗前后用三环唑防治',
  }, async () => {
    await page.selectOption('#field-hosttype', { index: 2 });
    await pickLink(page, 'field-teamid', '水稻产业科技特派团');
    await pickLink(page, 'field-demandid', '西海村水稻合作社');
  });

  // The demand's page shows the visit that answered it and how long it waited (same day).
  await page.goto(demandUrl);
  await page.waitForSelector('#demand-answers .related-link');
  assert.equal(await page.locator('#demand-answers .related-link').count(), 1);
  assert.match(await page.textContent('#demand-answers .days-to-first-visit'), /从征集到首次走访：0 天/);
  // Solved: typing the end date with the status 已解决.
  await page.goto(demandUrl + '/edit');
  await page.waitForSelector('form.record-form');
  await page.selectOption('#field-demandstatus', 'solved');
  await page.fill('#field-endedon', today);
  await saveForm(page);
  await page.waitForURL(demandUrl);
  await page.waitForSelector('dl.details');
  assert.match(await page.textContent('dl.details'), /已解决/);

  // The team's page counts the visit and the matched demand.
  await page.goto(teamUrl);
  await page.waitForSelector('#team-work .team-figures');
  const figures = await page.textContent('#team-work .team-figures');
  assert.match(figures, /对接需求 1 项（已解决 1 项）；特派服务 1 次/);

  // The dashboard (the coordinator's home) and the report for the current half-year.
  await page.goto(url + '/');
  await scrollUntil(page, `#team-table tr[data-team="水稻产业科技特派团"]`);
  const row = await page.textContent(`#team-table tr[data-team="水稻产业科技特派团"]`);
  assert.match(row, /已立项/);
  await page.waitForSelector('[data-figure="demands-solved"]');
  assert.match(await page.textContent('[data-figure="demands-collected"]'), /1/);
  assert.match(await page.textContent('[data-figure="demands-solved"]'), /1/);
  await page.click('#open-report');
  await page.waitForURL(/\/report\?/);
  await page.waitForSelector('.report p.report-text');
  assert.match(await page.locator('.report p.report-text').first().textContent(), /征集农村科技需求1项、已对接1项、已解决1项/);
  assert.match(await page.textContent('.report'), /水稻产业科技特派团/);

  // A full export, imported on a second tablet, holds the same records there.
  await page.goto(url + '/exchange');
  const sent = await download(page, '#export-json');
  const sentRecords = recordsById(await readFile(sent.path, 'utf8'));
  assert.deepEqual(
    Object.values(sentRecords).map((r) => r.kind).sort(),
    ['demand', 'team', 'visit'],
  );
  const other = profiles[1].page;
  await other.goto(url + '/exchange');
  await other.waitForSelector('#import-files', { state: 'attached' });
  await other.setInputFiles('#import-files', sent.path);
  await other.waitForSelector('.import-report tr.accepted');
  await other.goto(url + '/exchange');
  const back = await download(other, '#export-json');
  assert.deepEqual(recordsById(await readFile(back.path, 'utf8')), sentRecords);
  await other.goto(demandUrl.replace(/^.*\/demands\//, url + '/demands/'));
  await other.waitForSelector('#demand-answers .related-link');
  assert.match(await other.textContent('dl.details'), /已解决/);

  assert.deepEqual(errors, []);
  assert.deepEqual(profiles[1].errors, []);
});
