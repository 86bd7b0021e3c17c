// Tier 3: nothing typed is lost, two tabs agree, and nothing hostile runs — on the release
// build, under its Content-Security-Policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileSession, appReady, fill, saveForm, createRecord, waitForDraft, draftKeys } from './harness.mjs';

const session = fileSession({ officer: '王建国' });

test('a reload in the middle of typing offers the draft back', async () => {
  const { server, page } = session;
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.type()); d.accept(); });
  await page.goto(server.url + '/trainings/new');
  await page.waitForSelector('#field-topic');
  await fill(page, { 'field-topic': '草稿：果树冬季修剪', 'field-attendance': '33', 'field-notes': '还没写完' });
  // The draft is written after a short pause in typing: wait until it holds the last field.
  await waitForDraft(page, '还没写完');
  await page.reload();
  await appReady(page);
  assert.ok(dialogs.includes('beforeunload'), 'leaving with unsaved changes asked first');
  await page.waitForSelector('#restore-draft');
  assert.equal(await page.inputValue('#field-topic'), '', 'nothing is restored without asking');
  await page.click('#restore-draft');
  assert.equal(await page.inputValue('#field-topic'), '草稿：果树冬季修剪');
  assert.equal(await page.inputValue('#field-attendance'), '33');
  await saveForm(page);
  await page.waitForURL(/\/trainings\/[0-9a-f-]{36}$/);
  // A saved form leaves no draft behind, and drafts never count as records.
  assert.deepEqual(await draftKeys(page), []);
  await page.goto(server.url + '/trainings/new');
  // A left-over draft is looked up as the form is made, and offered in the same render as
  // its fields: once they are there, an offer would be too.
  await page.waitForSelector('form.record-form #field-topic');
  assert.equal(await page.isVisible('#restore-draft'), false);
  assert.equal(await page.locator('.draft-offer').count(), 0);
  await page.goto(server.url + '/trainings');
  await appReady(page);
  assert.equal(await page.getAttribute('p.count', 'data-count'), '1');
  page.removeAllListeners('dialog');
});

test('following a link away from unsaved changes asks first', async () => {
  const { server, page } = session;
  await page.goto(server.url + '/visits/new');
  await page.waitForSelector('#field-host');
  await page.fill('#field-host', '未保存的合作社');
  const asked = [];
  const answered = new Promise((done) => page.once('dialog', async (d) => { asked.push(d.message()); await d.dismiss(); done(); }));
  await page.click('nav.app-nav a:has-text("培训")');
  await answered;
  // Typing on: the draft of what is typed after the answer is written only after a pause,
  // so once it is there the app has had every chance to follow the link.
  await page.fill('#field-host', '未保存的合作社（续）');
  await waitForDraft(page, '未保存的合作社（续）');
  assert.equal(asked.length, 1);
  assert.match(asked[0], /未保存的修改/);
  assert.match(new URL(page.url()).pathname, /\/visits\/new$/, 'stayed on the form');
  assert.equal(await page.inputValue('#field-host'), '未保存的合作社（续）');
  page.once('dialog', (d) => d.accept());
  await page.click('nav.app-nav a:has-text("培训")');
  await page.waitForURL(server.url + '/trainings');
});

test('two tabs of the app stay consistent and a stale edit keeps both versions', async () => {
  const { server, page, context } = session;
  const second = await context.newPage();
  try {
    await second.goto(server.url + '/technologies');
    await appReady(second);
    const before = Number(await second.getAttribute('p.count', 'data-count'));
    const url = await createRecord(page, server.url, 'technologies', {
      'field-name': '几种大宗蔬菜供应链保鲜关键技术', 'field-introducedon': '2022-03-15',
    });
    // The other tab shows it without a reload.
    await second.waitForFunction((n) => document.querySelector('p.count')?.dataset.count === String(n), before + 1);

    // Both tabs open the same record for editing; the second saves first.
    await page.goto(url + '/edit');
    await page.waitForSelector('#field-name');
    await second.goto(url + '/edit');
    await second.waitForSelector('#field-name');
    await second.fill('#field-site', '第二个标签页填的地点');
    await saveForm(second);
    await second.waitForURL(url);
    await page.fill('#field-notes', '第一个标签页的备注');
    await saveForm(page);
    await page.waitForURL(url);
    await page.waitForSelector('.notice');
    assert.match(await page.textContent('.notice'), /另一个标签页/);
    assert.equal((await page.textContent('.revision')).trim(), '3');
    assert.match(await page.textContent('dl.details'), /第一个标签页的备注/);
    assert.match(await page.textContent('.versions'), /版本 2/, "the other tab's version is kept");
  } finally {
    await second.close();
  }
});

const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload="window.__xss=1">',
  "'; window.__xss=1; //",
  'javascript:window.__xss=1',
  '{{ count }} <b>粗体</b> &amp; &lt;',
  '\u202Eevil\u202C 🌾🚜 العربية',
  '长文本'.repeat(3400),
];

test('hostile text is stored and shown as text on every page, and nothing runs', async () => {
  const { server, page, errors } = session;
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const pages = [];
  for (const [n, payload] of PAYLOADS.entries()) {
    const short = payload.slice(0, 300);
    pages.push(await createRecord(page, server.url, 'trainings', {
      'field-topic': payload, 'field-trainers': short, 'field-organiser': short, 'field-county': `${n}${short}`,
      'field-township': short, 'field-village': short, 'field-attendance': '1', 'field-subjects': short, 'field-notes': payload,
    }));
    pages.push(await createRecord(page, server.url, 'technologies', {
      'field-name': payload, 'field-partners': short, 'field-site': short, 'field-introducedon': '2022-01-01', 'field-notes': payload,
    }));
    pages.push(await createRecord(page, server.url, 'visits', {
      'field-commissioners': short, 'field-host': payload, 'field-teamname': short, 'field-problems': payload, 'field-advice': short,
      'field-technologies': short, 'field-notes': payload,
    }));
  }
  // An import file whose name is hostile too.
  const dir = await mkdtemp(join(tmpdir(), 'field-ledger-xss-'));
  const hostileFile = join(dir, '<img src=x onerror=window.__xss=1>.json');
  await writeFile(hostileFile, '{"format": "<script>window.__xss=1</script>"}');
  await page.goto(server.url + '/sync');
  await appReady(page);
  await page.setInputFiles('#import-files', [hostileFile]);
  await page.waitForSelector('.import-report tr.rejected');

  const routes = ['/sync', '/', '/trainings', '/technologies', '/visits', '/settings', ...pages, ...pages.map((p) => p + '/edit')];
  let checks = 0;
  for (const route of routes) {
    if (route !== '/sync') {
      await page.goto(route.startsWith('http') ? route : server.url + route);
      await appReady(page);
    }
    const injected = await page.evaluate(() => ({
      xss: window.__xss === 1,
      images: document.querySelectorAll('img').length,
      // The app's own charts and figures are the only svg and b elements it draws.
      svgs: document.querySelectorAll('main svg:not(.chart)').length,
      bold: document.querySelectorAll('main b:not(.done)').length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      // Inline scripts with code (the framework leaves an empty placeholder one).
      scripts: [...document.scripts].filter((s) => !s.src && s.textContent.trim() !== '').length,
    }));
    assert.deepEqual(injected, { xss: false, images: 0, svgs: 0, bold: 0, handlers: 0, scripts: 0 }, route);
    checks += 1;
  }
  // The text is there, as text.
  await page.goto(pages[0]);
  await appReady(page);
  assert.equal((await page.textContent('h1.record-title')).trim(), PAYLOADS[0]);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, [], 'no console errors, no CSP violations');
  assert.ok(await page.$('meta[http-equiv="Content-Security-Policy"]'));
  console.log(`hostile text: ${PAYLOADS.length} payloads in ${PAYLOADS.length * 3} records, ${checks} pages checked, nothing ran`);
});
