// Tier 3: the bureau's report on the release build, from the sample data: the first half of
// 2022 in the bureau's words and figures, a typical case, problems and plans, the Word file
// read back with an independent reader (mammoth), the text copy, print media and English;
// the second half judged by the whole year; notes typed and left at once are kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mammoth from 'mammoth';
import { fileSession, appReady, download, screenshot, setLanguage, scrollUntil } from './harness.mjs';

const session = fileSession({ officer: '协调员', role: 'coordinator' }, async ({ page }) => {
  await scrollUntil(page, '#load-sample');
  await page.click('#load-sample');
  await page.waitForSelector('#remove-sample');
});

const PARAGRAPH = '农民技术员培训4场、150余人次';

test('the first half of 2022: the paragraph, the tables, a typical case, notes, the Word file (screenshots)', async () => {
  const { server, page, errors } = session;

  // A visit marked as a typical case goes into the report in full.
  await page.goto(server.url + '/visits');
  await page.locator('.record-list a', { hasText: '九寨镇水稻种植专业合作社' }).click();
  await page.waitForSelector('#typical-case');
  await page.check('#typical-case');
  await page.waitForFunction(() => document.querySelector('#typical-case').checked);

  // The period is chosen on the report page itself, and kept in the address.
  await page.goto(server.url + '/report');
  await appReady(page);
  await page.waitForSelector('#period-preset');
  await page.selectOption('#period-preset', 'h1');
  await page.selectOption('#period-year', '2022');
  await page.waitForURL(/\/report\?period=h1&year=2022$/);
  await page.waitForSelector(`.report p.report-text:has-text("${PARAGRAPH}")`);
  assert.match(await page.textContent('.report h1'), /2022年上半年/);
  assert.match(await page.textContent('.report .period'), /2022-01-01 至 2022-06-30/);
  const opening = await page.locator('.report p.report-text').first().textContent();
  assert.match(opening, /完成全年培训目标的40%/);
  assert.match(opening, /时间过半/);

  // Every county, zeros included, and the 合计 row adding them up.
  assert.equal(await page.locator('#report-counties tbody tr').count(), 7);
  assert.deepEqual(await page.locator('#report-counties tfoot tr.total td').allTextContents(), ['合计', '4', '156', '0', '2', '4']);
  // Trainings by type, always split; the four were technician trainings.
  const types = await page.locator('#report-training-types tbody tr').allTextContents();
  assert.ok(types.some((row) => row.startsWith('农民技术员培训4156')), types.join(' | '));
  assert.equal(await page.locator('#report-trainings tbody tr').count(), 4);
  // Commissioner work and the technologies, grouped by the stage reached.
  assert.ok(await page.isVisible('#report-hosts'));
  assert.ok(await page.isVisible('#report-teams'));
  assert.equal(await page.locator('#report-technologies-demonstrated tbody tr').count(), 2);
  // The typical case, in full.
  assert.match(await page.textContent('.report'), /育秧棚内秧苗出现立枯病/);

  // Problems and plans typed here go into the report, and are kept for this period.
  await page.fill('#report-problems', '部分县区培训场次偏少。');
  await page.fill('#report-plans', '下半年组织农民科技培训6场以上。');
  await page.fill('#report-organisation', '营口市科学技术局');
  await page.waitForSelector('.report .closing:has-text("营口市科学技术局")');
  await page.waitForSelector('.report p.report-text:has-text("下半年组织农民科技培训6场以上。")');
  await page.reload();
  await appReady(page);
  await page.waitForSelector('.report p.report-text:has-text("部分县区培训场次偏少。")');
  assert.equal(await page.inputValue('#report-problems'), '部分县区培训场次偏少。');

  // The Word file, read back by an independent reader: the text and real tables.
  const file = await download(page, '#download-docx');
  assert.equal(file.name, 'field-ledger-report-h1-2022.docx');
  const { value: text } = await mammoth.extractRawText({ path: file.path });
  assert.ok(text.includes(PARAGRAPH), 'the paragraph is in the Word file');
  assert.ok(text.includes('部分县区培训场次偏少。'));
  assert.ok(text.includes('营口市科学技术局'));
  const { value: html } = await mammoth.convertToHtml({ path: file.path });
  const tables = html.match(/<table>/g) ?? [];
  assert.ok(tables.length >= 5, `${tables.length} tables`);
  // mammoth shows a row marked to repeat on every page as <thead>; bold cells as <strong>.
  const cell = (text) => `<(td|th)><p>(<strong>)?${text}(</strong>)?</p></(td|th)>`;
  assert.match(html, new RegExp(`<thead><tr>${cell('区县')}`), 'the header row repeats on every page');
  assert.match(html, new RegExp(`${cell('合计')}${cell('4')}${cell('156')}`), 'the 合计 row');

  // Printed: the report only, on A4.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('nav.app-nav'), false, 'the app frame is not printed');
  assert.equal(await page.isVisible('#download-docx'), false, 'the controls are not printed');
  await screenshot(page, 'report-print-zh', { fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // In English, the paragraph is written in English sentences.
  await setLanguage(page, server.url, 'en');
  await page.goto(server.url + '/report?period=h1&year=2022');
  await page.waitForSelector('.report p.report-text:has-text("sessions of technician training")');
  const english = await page.locator('.report p.report-text').first().textContent();
  assert.match(english, /In the first half of 2022, the bureau held 4 sessions of technician training with over 150 attendances/);
  assert.doesNotMatch(english, /[\u4e00-\u9fff]{3}/, 'no Chinese sentence in the English paragraph');
  await setLanguage(page, server.url, 'zh');
  assert.deepEqual(errors, []);
});

test('the report text can be copied, and a full export carries the notes', async () => {
  const { server, page, context, errors } = session;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  await page.goto(server.url + '/report?period=h1&year=2022');
  await page.waitForSelector(`.report p.report-text:has-text("${PARAGRAPH}")`);
  await page.click('#copy-report');
  await page.waitForSelector('#report-status:has-text("已复制")');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied.includes(PARAGRAPH));
  assert.ok(copied.includes('合计\t4\t156'), 'tables are copied as tab-separated rows');

  await page.goto(server.url + '/exchange');
  await page.waitForSelector('#export-json');
  const file = await download(page, '#export-json');
  const exported = JSON.parse(await (await import('node:fs/promises')).readFile(file.path, 'utf8'));
  assert.deepEqual(exported.report_notes, [{ period: 'h1-2022', problems: '部分县区培训场次偏少。', plans: '下半年组织农民科技培训6场以上。' }]);
  assert.deepEqual(errors, []);
});

test('the second half of 2022 is judged by the whole year, and notes typed and left at once are kept', async () => {
  const { server, page, errors } = session;
  await page.goto(server.url + '/report?period=h2&year=2022');
  await appReady(page);
  await page.waitForSelector('.report p.report-text:has-text("全年累计")');
  const opening = await page.locator('.report p.report-text').first().textContent();
  // The year held 4 of its 10 trainings: 40%, not the half-year's own 0%.
  assert.match(opening, /^2022年下半年，未开展农民培训；/);
  assert.match(opening, /全年累计完成培训4场、150余人次，完成全年培训目标的40%/);
  assert.match(opening, /全年培训场次、培训人次、新技术推广目标均未完成，分别完成40%、31%、10%。/);
  assert.doesNotMatch(opening, /完成0%/);
  // The targets table: the half-year's own figure, the year's, the target, the share.
  assert.deepEqual(
    await page.locator('#report-targets thead th').allTextContents().then((h) => h.slice(0, 5)),
    ['指标', '本期', '全年累计', '年度目标', '完成率'],
  );
  const trainings = await page.locator('#report-targets tbody tr').first().locator('td').allTextContents();
  assert.deepEqual(trainings.slice(1, 5), ['0', '4', '10', '40%']);

  // Typed, then 首页 at once, before the pause that saves it: the words are kept.
  await page.fill('#report-problems', '下半年未组织培训。');
  await page.click('nav.app-nav a[href="/"]');
  await page.waitForSelector('#dashboard-title');
  await page.goto(server.url + '/report?period=h2&year=2022');
  await page.waitForSelector('.report p.report-text:has-text("下半年未组织培训。")');
  assert.equal(await page.inputValue('#report-problems'), '下半年未组织培训。');
  // And the Word file downloaded right after typing has the last words.
  await page.fill('#report-plans', '明年一季度补齐培训');
  const file = await download(page, '#download-docx');
  const { value: text } = await mammoth.extractRawText({ path: file.path });
  assert.ok(text.includes('明年一季度补齐培训'), 'the Word file has what is on the screen');
  assert.deepEqual(errors, []);
});
