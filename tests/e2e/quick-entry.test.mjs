// Tier 3: quick, clean entry in the field (issue #10) on the release build, in Chromium:
// remembered values, "new from this one", links to technologies, the GPS position in the
// export, follow-ups due on the home screen, and how many keys a repeat visit takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileSession, appReady, createRecord, fill, saveForm, download, axeViolations } from './harness.mjs';

const session = fileSession({ officer: '王建国' });

const RECORD_URL = (kind) => new RegExp(`/${kind}/[0-9a-f-]{36}$`);
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/**
 * Counts what an officer does: characters typed (before any input method turns pinyin into
 * characters, so a Chinese character counts once), other keys, and taps.
 */
class Effort {
  constructor(page) { this.page = page; this.keys = 0; this.taps = 0; }
  async tap(selector) { this.taps += 1; await this.page.click(selector); }
  async type(id, text) {
    await this.tap(`#${id}`);
    this.keys += [...text].length;
    await this.page.locator(`#${id}`).pressSequentially(text);
  }
  /** Types the start of a value and takes the rest from the suggestion chips. */
  async pick(id, start, value) {
    await this.type(id, start);
    const chip = this.page.locator(`.suggestions[data-for="${id}"] .chip`, { hasText: value }).first();
    await chip.waitFor();
    this.taps += 1;
    await chip.click();
  }
  async select(id, index) { this.taps += 1; await this.page.selectOption(`#${id}`, { index }); }
  async replace(id, text) {
    await this.tap(`#${id}`);
    this.keys += 1; // select all
    await this.page.keyboard.press('Control+A');
    this.keys += [...text].length;
    await this.page.locator(`#${id}`).pressSequentially(text);
  }
  async save() { await this.tap('form.record-form button[type=submit]'); }
  toString() { return `${this.keys} keys + ${this.taps} taps`; }
}

// A typical visit to a host the commissioners see every week.
const VISIT = {
  commissioners: '赵志强、李明',
  team: '营口市水稻科技特派团',
  host: '辽宁东盛集团',
  county: '大石桥市',
  township: '水源镇',
  village: '兴隆村',
  technologies: '低成本可控生物降解地膜',
  problems: '地膜覆盖后部分地块出苗不齐，需补苗。',
};
const counts = {};

test('a repeat visit takes the host and people from the suggestions, and fewer keys', async () => {
  const { server, page, errors } = session;

  // First visit: everything typed, as on a new tablet.
  await page.goto(server.url + '/visits/new');
  await page.waitForSelector('#field-host');
  const typed = new Effort(page);
  await typed.type('field-commissioners', VISIT.commissioners);
  await typed.type('field-teamname', VISIT.team);
  await typed.type('field-host', VISIT.host);
  await typed.select('field-hosttype', 3);
  await typed.type('field-county', VISIT.county);
  await typed.type('field-township', VISIT.township);
  await typed.type('field-village', VISIT.village);
  await typed.type('field-technologies', VISIT.technologies);
  await typed.type('field-problems', VISIT.problems);
  await typed.save();
  await page.waitForURL(RECORD_URL('visits'));
  counts.typed = typed;

  // Second visit on a blank form: a few characters, then the suggestion.
  await page.goto(server.url + '/visits/new');
  await page.waitForSelector('#field-host');
  // The datalist offers the host typed before.
  const offered = await page.$$eval('datalist#picklist-hosts option', (os) => os.map((o) => o.value));
  assert.deepEqual(offered, [VISIT.host]);
  assert.equal(await page.getAttribute('#field-host', 'list'), 'picklist-hosts');
  const suggested = new Effort(page);
  await suggested.pick('field-commissioners', '赵', '赵志强');
  // The list field is ready for the next name, and offers the one not there yet.
  assert.equal(await page.inputValue('#field-commissioners'), '赵志强、');
  const next = page.locator('.suggestions[data-for="field-commissioners"] .chip', { hasText: '李明' });
  await next.waitFor();
  suggested.taps += 1;
  await next.click();
  assert.equal(await page.inputValue('#field-commissioners'), '赵志强、李明、');
  await suggested.pick('field-teamname', '水稻', VISIT.team);
  await suggested.pick('field-host', '东盛', VISIT.host);
  assert.equal(await page.inputValue('#field-host'), VISIT.host);
  await suggested.select('field-hosttype', 3);
  await suggested.type('field-county', '大石');
  await page.fill('#field-county', VISIT.county); // the county's own datalist (not counted as typed: one tap on a tablet)
  suggested.taps += 1;
  await suggested.pick('field-township', '水', VISIT.township);
  await suggested.pick('field-village', '兴', VISIT.village);
  await suggested.pick('field-technologies', '地膜', VISIT.technologies);
  await suggested.type('field-problems', '补苗后长势良好。');
  await suggested.save();
  await page.waitForURL(RECORD_URL('visits'));
  counts.suggested = suggested;
  assert.match(await page.textContent('h1.record-title'), /辽宁东盛集团/);
  const details = await page.textContent('dl.details');
  assert.match(details, /赵志强、李明/);
  assert.match(details, /营口市水稻科技特派团/);

  // Third: "new from this one" on the visit just saved; only what is new is typed.
  const copied = new Effort(page);
  await copied.tap('#copy-record');
  await page.waitForSelector('#copied-from');
  assert.equal(await page.inputValue('#field-host'), VISIT.host);
  assert.equal(await page.inputValue('#field-date'), today());
  await copied.replace('field-problems', '叶色偏黄，建议追施氮肥。');
  await copied.save();
  await page.waitForURL(RECORD_URL('visits'));
  counts.copied = copied;

  console.log(`[keystrokes] repeat visit typed in full: ${counts.typed}; with suggestions: ${counts.suggested}; with "new from this one": ${counts.copied}`);
  assert.ok(counts.suggested.keys < counts.typed.keys / 2, `${counts.suggested} vs ${counts.typed}`);
  assert.ok(counts.copied.keys < counts.suggested.keys, `${counts.copied} vs ${counts.suggested}`);

  // Three visits, the host spelled once.
  await page.goto(server.url + '/visits');
  await page.waitForSelector('.record-list');
  assert.deepEqual(await page.$$eval('.record-list .row-title', (ts) => [...new Set(ts.map((t) => t.textContent.trim()))]), [VISIT.host]);
  assert.deepEqual(errors, []);
});

test('a training copied with "new from this one" is a new record dated today', async () => {
  const { server, page, errors } = session;
  const original = await createRecord(page, server.url, 'trainings', {
    'field-date': '2022-06-15', 'field-topic': '水稻病虫害绿色防控技术培训', 'field-trainers': '李明、张华',
    'field-county': '盖州市', 'field-township': '九寨镇', 'field-attendance': '45',
  });
  await page.click('#copy-record');
  await page.waitForSelector('#copied-from');
  assert.match(new URL(page.url()).search, /^\?from=[0-9a-f-]{36}$/);
  assert.equal(await page.inputValue('#field-topic'), '水稻病虫害绿色防控技术培训');
  assert.equal(await page.inputValue('#field-trainers'), '李明、张华');
  assert.equal(await page.inputValue('#field-date'), today());
  await fill(page, { 'field-attendance': '38' });
  await saveForm(page);
  await page.waitForURL(RECORD_URL('trainings'));
  assert.notEqual(page.url(), original);
  assert.equal((await page.textContent('dd.revision')).trim(), '1');
  assert.match(await page.textContent('dl.details'), new RegExp(today()));
  await page.goto(server.url + '/trainings');
  await page.waitForSelector('.record-list');
  assert.equal(await page.$$eval('.record-list li', (ls) => ls.length), 2);
  assert.deepEqual(errors, []);
});

test('a visit linked to a technology, with its GPS position, shows on the technology and in the export', async () => {
  const { server, page, context, errors } = session;
  const technology = await createRecord(page, server.url, 'technologies', {
    'field-name': '低成本可控生物降解地膜', 'field-partners': '中科院长春应用化学研究所、辽宁东盛集团',
    'field-introducedon': '2022-03-01', 'field-county': '大石桥市',
  });
  await context.grantPermissions(['geolocation'], { origin: server.origin });
  await context.setGeolocation({ latitude: 40.6653, longitude: 122.2352, accuracy: 12 });

  await page.goto(server.url + '/visits/new');
  await page.waitForSelector('#field-host');
  await fill(page, { 'field-commissioners': '赵志强', 'field-host': '营口天域米业', 'field-problems': '地膜降解进度观察' });
  await page.fill('#tech-search', '地膜');
  await page.check('.tech-choice input[type=checkbox]');
  await page.waitForSelector('.chosen-technologies li');
  assert.match(await page.textContent('.chosen-technologies'), /低成本可控生物降解地膜/);
  await page.click('#locate-position');
  await page.waitForFunction(() => document.querySelector('#field-latitude')?.value === '40.6653');
  assert.equal(await page.inputValue('#field-longitude'), '122.2352');
  assert.match(await page.textContent('#location-status'), /12 米/);
  await saveForm(page);
  await page.waitForURL(RECORD_URL('visits'));
  const visitId = page.url().split('/').pop();

  // The visit's page: the technology as a link, the position with map links.
  assert.deepEqual(await axeViolations(page), [], 'a visit with links and a position');
  assert.match(await page.textContent('#linked-technologies'), /低成本可控生物降解地膜/);
  assert.match(await page.textContent('.location-view .coordinates'), /40\.6653, 122\.2352/);
  assert.equal(await page.getAttribute('#map-geo', 'href'), 'geo:40.6653,122.2352?q=40.6653,122.2352');
  assert.match(await page.getAttribute('#map-amap', 'href'), /^https:\/\/uri\.amap\.com\/marker\?position=122\.2352,40\.6653/);

  // The technology's page lists the visit.
  await page.goto(technology);
  await page.waitForSelector('#concerning');
  assert.deepEqual(await axeViolations(page), [], 'a technology with visits');
  assert.match(await page.textContent('#concerning .concerning-counts'), /特派服务 1 次/);
  await page.click('#concerning a.related-link');
  await page.waitForURL(new RegExp(`/visits/${visitId}$`));

  // The JSON export carries the point.
  await page.goto(server.url + '/');
  await appReady(page);
  const file = await download(page, '#export-json');
  const envelope = JSON.parse(await readFile(file.path, 'utf8'));
  const visit = envelope.records.find((r) => r.id === visitId);
  assert.equal(visit.data.location.latitude, 40.6653);
  assert.equal(visit.data.location.longitude, 122.2352);
  assert.equal(visit.data.location.accuracy_m, 12);
  assert.match(visit.data.location.captured_at, /^\d{4}-\d{2}-\d{2}T/);
  assert.deepEqual(visit.data.technology_ids, [technology.split('/').pop()]);
  await context.clearPermissions();
  assert.deepEqual(errors, []);
});

/** Records a visit to `host` on `date` whose follow-up is due by `by`; resolves to its id. */
async function visitWithFollowUp(page, { date, host, by }) {
  await page.goto(session.server.url + '/visits/new');
  await page.waitForSelector('#field-host');
  await fill(page, { 'field-date': date, 'field-commissioners': '李娜', 'field-host': host });
  await page.check('#field-followupneeded');
  await page.fill('#field-followupby', by);
  await saveForm(page);
  await page.waitForURL(RECORD_URL('visits'));
  return page.url().split('/').pop();
}

test('an overdue follow-up shows on the home screen until the follow-up visit is recorded', async () => {
  const { server, page, errors } = session;
  const originalId = await visitWithFollowUp(page, { date: '2022-06-01', host: '盖州市九寨镇五美房村合作社', by: '2022-06-10' });

  await page.goto(server.url + '/');
  await appReady(page);
  const item = page.locator(`#follow-ups li.follow-up[data-id="${originalId}"]`);
  await item.waitFor({ timeout: 5000 });
  assert.match(await item.getAttribute('class'), /overdue/);
  assert.match(await item.textContent(), /盖州市九寨镇五美房村合作社/);
  assert.match(await item.textContent(), /2022-06-10/);
  assert.deepEqual(await axeViolations(page), [], 'home with follow-ups due');
  await item.locator('a.record-follow-up').click();
  await page.waitForSelector('#following-up');
  assert.equal(await page.inputValue('#field-host'), '盖州市九寨镇五美房村合作社');
  assert.equal(await page.inputValue('#field-commissioners'), '李娜');
  await fill(page, { 'field-problems': '合作社已按建议调整水肥。' });
  await saveForm(page);
  await page.waitForURL(RECORD_URL('visits'));
  assert.equal(await page.getAttribute('#follows-up a', 'href'), `/visits/${originalId}`);
  assert.deepEqual(await axeViolations(page), [], 'a follow-up visit');

  await page.goto(server.url + '/');
  await appReady(page);
  // The follow-ups are drawn from the stored ledger in the same render as the counts below
  // them: once the counts are there, the resolved follow-up would have been too.
  await page.waitForSelector('.kind-card[data-kind="visits"] .kind-count');
  assert.equal(await page.locator(`#follow-ups li[data-id="${originalId}"]`).count(), 0);
  assert.deepEqual(errors, []);
});

test('a follow-up marked done leaves the home screen and stays done after a reload', async () => {
  const { server, page, errors } = session;
  const id = await visitWithFollowUp(page, { date: '2022-07-01', host: '大石桥市水源镇果园', by: '2022-07-10' });

  // A fresh start: the edit is saved through the part of the app that reads stored records.
  await page.goto(server.url + '/');
  await appReady(page);
  const item = page.locator(`#follow-ups li.follow-up[data-id="${id}"]`);
  await item.waitFor({ timeout: 5000 });
  await item.locator('button.mark-done').click();
  await item.waitFor({ state: 'detached', timeout: 5000 });
  const stored = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), `fl.r.${id}`);
  assert.equal(stored.r, 2, 'marked done as a new revision');

  await page.reload();
  await appReady(page);
  await page.waitForSelector('.kind-card[data-kind="visits"] .kind-count');
  assert.equal(await page.locator(`#follow-ups li[data-id="${id}"]`).count(), 0);
  assert.equal(await page.locator('#follow-ups .save-error, #follow-ups .load-failed').count(), 0);
  assert.deepEqual(errors, []);
});

test('remembered values are renamed everywhere from the settings page', async () => {
  const { server, page, errors } = session;
  await page.goto(server.url + '/settings');
  await page.waitForSelector('#picklist-manager');
  await page.selectOption('#picklist-choose', 'hosts');
  const row = page.locator('.picklist-value', { hasText: '营口天域米业' });
  await row.locator('button.edit-value').click();
  await page.waitForSelector('#rename-to');
  assert.deepEqual(await axeViolations(page), [], 'settings with a value being edited');
  await page.fill('#rename-to', '营口天域米业有限公司');
  await page.click('#confirm-rename');
  await page.waitForSelector('.picklist-outcome');
  assert.match(await page.textContent('.picklist-outcome'), /已在 1 条记录中把“营口天域米业”改为“营口天域米业有限公司”/);
  await page.goto(server.url + '/visits');
  await page.waitForSelector('.record-list');
  assert.match(await page.textContent('.record-list'), /营口天域米业有限公司/);
  assert.deepEqual(errors, []);
});

test('controls added for quick entry are at least 44 × 44 on a phone-sized screen', async () => {
  const { server, page } = session;
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(server.url + '/visits/new');
  await page.waitForSelector('#field-host');
  await page.click('#field-host');
  await page.waitForSelector('.suggestions .chip');
  await page.check('.tech-choice input[type=checkbox] >> nth=0');
  await page.waitForSelector('.chip-remove');
  const small = await page.evaluate(() => [...document.querySelectorAll('.suggestions .chip, .chip-remove, .tech-choice input, #locate-position, #tech-search')]
    .map((e) => ({ what: e.className || e.id, box: e.getBoundingClientRect() }))
    .filter(({ box }) => box.width < 44 || box.height < 44)
    .map(({ what, box }) => `${what} ${box.width}×${box.height}`));
  assert.deepEqual(small, []);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  await page.setViewportSize({ width: 1024, height: 768 });
});
