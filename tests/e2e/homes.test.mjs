// Tier 3: the two home screens on the release build. A field officer starts, records and sees
// only their own work (no city targets, no red "behind"); the device switches to coordinator
// (报送情况 not claiming that everyone on a list not set yet has sent),
// imports three officers' files and sees who has sent what, the officer on the list who sent
// nothing marked, the demand one file brought waiting for a team (待对接需求, a panel that is
// not there before), and the dashboard of one county. Both homes are captured (zh and en).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileSession, appReady, createRecord, screenshot, setLanguage, exportFileText, scrollUntil } from './harness.mjs';

const session = fileSession({});

/** An officer's export file as the app writes one: trainings dated `date` in `county`, and
 * the demands collected that day still waiting for a team (hosts `demandHosts`). */
function exportFile(device, author, county, trainings, date, demandHosts = []) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const meta = () => ({ author, created_at: now, updated_at: now, deleted: false, device_id: device, id: randomUUID(), revision: 1, schema_version: 1 });
  const records = [
    ...Array.from({ length: trainings }, (_, n) => ({
      ...meta(), kind: 'training',
      data: { attendance: 20 + n, date, place: { county }, topic: `${author}的培训${n + 1}`, training_type: 'farmer' },
    })),
    // Demands came with schema version 2.
    ...demandHosts.map((host) => ({
      ...meta(), kind: 'demand', schema_version: 2,
      data: { collected_on: date, host, host_type: 'cooperative', need: '需要设施蔬菜病害防治指导', place: { county }, status: 'open', urgency: 'normal' },
    })),
  ];
  return exportFileText(records, { device, exportedAt: now });
}

/** Today where the browser is, as yyyy-mm-dd. */
async function browserToday(page) {
  return page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
}

test('an officer starts, records and sees only their own work (screenshots)', async () => {
  const { server, page, errors } = session;
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(server.url + '/');
  await appReady(page);
  // Asked once, with the name: what the device is for (the officer's by default).
  await page.fill('#author-name', '王建国');
  assert.equal(await page.isChecked('#role-officer'), true);
  await page.click('form.name-prompt button[type=submit]');
  await page.waitForSelector('.signed-in');
  assert.match(await page.textContent('.signed-in'), /王建国（外业人员）/);
  // The three kinds and the demands collected in villages; teams are the bureau's.
  assert.deepEqual(await page.locator('a.record-new').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ['/trainings/new', '/technologies/new', '/visits/new', '/demands/new']);

  const today = await browserToday(page);
  await createRecord(page, server.url, 'trainings', {
    'field-date': today, 'field-topic': '玉米病虫害防治培训', 'field-county': '盖州市', 'field-attendance': '37',
  });
  await page.goto(server.url + '/');
  // "My work" is further down: drawn when scrolled to.
  await page.waitForSelector('#export-recommendation');
  await scrollUntil(page, '#my-work [data-figure="trainings"] dd');
  assert.equal(await page.textContent('#my-work [data-figure="trainings"] dd'), '1');
  assert.equal(await page.textContent('#my-work [data-figure="attendance"] dd'), '37');
  // The city's targets are not one officer's: no target lines, nothing "behind".
  assert.equal(await page.locator('.target').count(), 0);
  assert.equal(await page.locator('.pace.behind').count(), 0);
  assert.match(await page.textContent('#export-recommendation'), /第一次报送/);
  await screenshot(page, 'home-officer-zh', { fullPage: true });
  await setLanguage(page, server.url, 'en');
  await page.goto(server.url + '/');
  // "My work" is further down: drawn when scrolled to.
  await page.waitForSelector('#export-recommendation');
  await scrollUntil(page, '#my-work [data-figure="trainings"] dd');
  await screenshot(page, 'home-officer-en', { fullPage: true });
  await setLanguage(page, server.url, 'zh');
  assert.deepEqual(errors, []);
});

test('the coordinator imports three officers\u2019 files, sees who has sent what, and one county (screenshots)', async () => {
  const { server, page, errors } = session;
  await page.setViewportSize({ width: 768, height: 1024 });
  // The same device switches to the coordinator's job, and lists the officers it expects.
  await page.goto(server.url + '/settings');
  await page.waitForSelector('#role-coordinator');
  await page.check('#role-coordinator');
  // With no list of officers yet, 报送情况 does not say that everyone on it has sent.
  await page.goto(server.url + '/');
  await page.waitForSelector('#submissions-missing', { state: 'attached' });
  assert.equal(await page.textContent('#submissions-missing'), '');
  await page.goto(server.url + '/settings');
  await page.waitForSelector('#expected-name');
  for (const [name, county] of [['李明', '盖州市'], ['张华', '大石桥市'], ['赵强', '老边区'], ['孙丽', '鲅鱼圈区']]) {
    await page.fill('#expected-name', name);
    await page.fill('#expected-county', county);
    await page.click('#add-expected');
    await page.waitForSelector(`.expected-list li:has-text("${name}")`);
  }

  const today = await browserToday(page);
  const dir = await mkdtemp(join(tmpdir(), 'field-ledger-homes-'));
  const files = [];
  for (const [device, name, county, count, demands] of [['a1', '李明', '盖州市', 3, ['东岗村蔬菜合作社']], ['b2', '张华', '大石桥市', 2], ['c3', '赵强', '老边区', 1]]) {
    const path = join(dir, `field-ledger-${device}.json`);
    await writeFile(path, exportFile(`${device}-device`, name, county, count, today, demands));
    files.push(path);
  }
  await page.goto(server.url + '/');
  // No demand waits for a team yet: the home has no 待对接需求 panel (nor fetches its part).
  await page.waitForSelector('#submissions');
  assert.equal(await page.locator('#open-demands').count(), 0);
  // The import is further down the coordinator's home: drawn when scrolled to.
  await scrollUntil(page, '#import-files');
  await page.setInputFiles('#import-files', files);
  await page.waitForSelector('.import-report tr.accepted >> nth=2');

  // The demand in 李明's file waits for a team: 待对接需求 appears, with it.
  await page.waitForSelector('#open-demands .open-demand');
  assert.equal(await page.getAttribute('#open-demands .open-demands-count', 'data-count'), '1');
  assert.equal(await page.textContent('#open-demands .demand-link'), '东岗村蔬菜合作社');

  // 报送情况: the three officers with what they sent, the fourth on the list marked.
  await page.waitForSelector('#submission-table tr[data-name="李明"]');
  const row = async (name) => page.locator(`#submission-table tr[data-name="${name}"]`);
  assert.equal(await (await row('李明')).locator('td.records').textContent(), '4', 'three trainings and a demand');
  assert.equal(await (await row('张华')).locator('td.in-period').textContent(), '2');
  assert.equal(await (await row('赵强')).locator('td.in-period').textContent(), '1');
  assert.match(await (await row('李明')).textContent(), /盖州市/);
  assert.equal(await page.locator('#submission-table tr.missing').count(), 1);
  assert.match(await page.locator('#submission-table tr.missing').textContent(), /孙丽.*未报送/);
  assert.match(await page.textContent('#submissions-missing'), /1 人/);
  // Sorted by records received, most first (a second tap reverses).
  await page.click('#submission-table th:nth-child(5) button');
  await page.click('#submission-table th:nth-child(5) button');
  const order = await page.locator('#submission-table tbody tr:not(.missing)').evaluateAll((rows) => rows.map((r) => r.dataset.name));
  assert.deepEqual(order.filter((n) => ['李明', '张华', '赵强'].includes(n)), ['李明', '张华', '赵强']);

  // The city's dashboard with its targets, then one county only.
  await page.waitForSelector('.target[data-measure="trainings"]');
  const trainings = async () => Number(await page.getAttribute('.target[data-measure="trainings"]', 'data-done'));
  assert.equal(await trainings(), 7);
  await page.selectOption('#dashboard-scope', 'county:盖州市');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('scope') === 'county:盖州市');
  await page.waitForSelector('.target[data-measure="trainings"][data-done="4"]');
  assert.equal(await trainings(), 4, "the county's own trainings and the coordinator's earlier one");
  await page.selectOption('#dashboard-scope', '');
  await page.waitForSelector('.target[data-measure="trainings"][data-done="7"]');
  await scrollUntil(page, '#import-files');
  await screenshot(page, 'home-coordinator-zh', { fullPage: true });
  await setLanguage(page, server.url, 'en');
  await page.goto(server.url + '/');
  await page.waitForSelector('#submission-table');
  await scrollUntil(page, '#import-files');
  await screenshot(page, 'home-coordinator-en', { fullPage: true });
  await setLanguage(page, server.url, 'zh');
  await page.setViewportSize({ width: 1024, height: 768 });
  assert.deepEqual(errors, []);
});
