// Tier 3: made for a tablet in a field. Every route, with data, in both languages: axe-core
// finds no accessibility violation; at four screen sizes nothing scrolls sideways and every
// control is at least 44 × 44 CSS px. Screenshots of the main pages go to SCREENSHOTS
// (harness.mjs: a scratch folder; scripts/screenshots.sh refreshes docs/screenshots/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileSession, appReady, createRecord, axeViolations, setLanguage, screenshot } from './harness.mjs';

let routes;
const session = fileSession({ officer: '王建国' }, async ({ page, server }) => {
  const training = await createRecord(page, server.url, 'trainings', {
    'field-date': '2022-06-15', 'field-topic': '水稻病虫害绿色防控技术培训', 'field-trainers': '李明、张华',
    'field-county': '盖州市', 'field-township': '九寨镇', 'field-village': '五美房村', 'field-attendance': '45', 'field-women': '18',
  });
  const technology = await createRecord(page, server.url, 'technologies', {
    'field-name': '低成本可控生物降解地膜', 'field-partners': '中科院长春应用化学研究所、辽宁东盛集团',
    'field-introducedon': '2022-03-01', 'field-county': '大石桥市', 'field-demoarea': '120.5',
  });
  const visit = await createRecord(page, server.url, 'visits', {
    'field-date': '2022-06-18', 'field-commissioners': '赵志强', 'field-host': '营口天域米业', 'field-county': '老边区', 'field-problems': '稻瘟病',
  });
  const team = await createRecord(page, server.url, 'teams', {
    'field-name': '水稻产业科技特派团', 'field-year': '2022', 'field-leader': '赵志强', 'field-counties': '盖州市、大石桥市',
  });
  const demand = await createRecord(page, server.url, 'demands', {
    'field-collectedon': '2022-06-20', 'field-host': '五美房村水稻合作社', 'field-county': '盖州市', 'field-need': '秧苗返青慢',
  });
  const path = (url) => new URL(url).pathname;
  routes = {
    home: '/', trainings: '/trainings', 'training-new': '/trainings/new', training: path(training), 'training-edit': path(training) + '/edit',
    technologies: '/technologies', 'technology-new': '/technologies/new', technology: path(technology), 'technology-edit': path(technology) + '/edit',
    visits: '/visits', 'visit-new': '/visits/new', visit: path(visit), 'visit-edit': path(visit) + '/edit',
    teams: '/teams', 'team-new': '/teams/new', team: path(team), 'team-edit': path(team) + '/edit',
    demands: '/demands', 'demand-new': '/demands/new', demand: path(demand), 'demand-edit': path(demand) + '/edit',
    sync: '/sync', settings: '/settings', server: '/server',
  };
});

/**
 * Opens a route and waits until its page is there: the split-out page code has loaded and
 * drawn its heading, and on Settings the browser's storage estimate (which comes later) is
 * shown. Returns the heading's text.
 */
async function open(page, route) {
  await page.goto(session.server.url + route);
  await appReady(page);
  await page.waitForSelector('main h1');
  if (route === '/settings') await page.waitForSelector('#site-usage');
  assert.equal(await page.$('.load-failed'), null, `${route}: the page's code loaded`);
  return (await page.textContent('main h1')).trim();
}

/** Sideways scrolling, the base font and every visible control's size, as laid out now. */
function measureLayout(page) {
  return page.evaluate(() => {
    const controls = [...document.querySelectorAll('a[href], button, input, select, textarea')]
      .filter((e) => !e.closest('.visually-hidden') && !e.classList.contains('visually-hidden') && e.getClientRects().length > 0)
      .map((e) => {
        const box = e.getBoundingClientRect();
        return { what: `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${(e.textContent || e.name || '').trim().slice(0, 20)}"`, width: box.width, height: box.height };
      });
    return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth, controls, font: parseFloat(getComputedStyle(document.body).fontSize) };
  });
}

test('axe-core finds no violation on any route, in Chinese and in English', async () => {
  const { page } = session;
  const report = [];
  for (const lang of ['zh', 'en']) {
    await setLanguage(page, session.server.url, lang);
    for (const [name, route] of Object.entries(routes)) {
      await open(page, route);
      const violations = await axeViolations(page);
      report.push(`${lang} ${name}: ${violations.length}`);
      assert.deepEqual(violations, [], `${lang} ${route}`);
    }
  }
  console.log(`axe-core violations per route: ${report.join('; ')}`);
  await setLanguage(page, session.server.url, 'zh');
});

const VIEWPORTS = [[768, 1024], [1024, 768], [1280, 800], [360, 740]];

test('no sideways scrolling and every control at least 44 × 44 at four screen sizes', async () => {
  const { page } = session;
  let smallest = { size: Infinity };
  for (const [width, height] of VIEWPORTS) {
    await page.setViewportSize({ width, height });
    for (const [name, route] of Object.entries(routes)) {
      await open(page, route);
      const layout = await measureLayout(page);
      assert.ok(layout.scroll <= layout.inner, `${width}×${height} ${route}: scrollWidth ${layout.scroll} > ${layout.inner}`);
      assert.ok(layout.font >= 16, `${route}: base font ${layout.font}px`);
      for (const c of layout.controls) {
        const size = Math.min(c.width, c.height);
        if (size < smallest.size) smallest = { size, what: c.what, where: `${width}×${height} ${name}` };
        assert.ok(c.width >= 44 && c.height >= 44, `${width}×${height} ${route}: ${c.what} is ${c.width.toFixed(0)}×${c.height.toFixed(0)}`);
      }
    }
  }
  console.log(`smallest touch target: ${smallest.size.toFixed(0)} px (${smallest.what}, ${smallest.where})`);
  await page.setViewportSize({ width: 1024, height: 768 });
});

// The pages the README shows: each one's heading in each language, and its content.
const SHOWN = {
  home: { zh: /欢迎使用科技特派台账/, en: /Welcome to Field Ledger/, content: '.kind-card[data-kind="visits"]' },
  trainings: { zh: /农民科技培训/, en: /Farmer trainings/, content: '.record-list .record-row' },
  'training-new': { zh: /新增培训/, en: /New training/, content: 'form.record-form #field-topic' },
  technology: { zh: /低成本可控生物降解地膜/, en: /低成本可控生物降解地膜/, content: 'dl.details' },
  sync: { zh: /数据交换/, en: /Exchange data/, content: '#export-json' },
};
const NAV = { zh: /培训/, en: /Trainings/ };

test('screenshots of the main pages at 768 × 1024 in Chinese and English', async () => {
  const { page } = session;
  await page.setViewportSize({ width: 768, height: 1024 });
  const taken = [];
  for (const lang of ['zh', 'en']) {
    await setLanguage(page, session.server.url, lang);
    for (const [name, shows] of Object.entries(SHOWN)) {
      const heading = await open(page, routes[name]);
      // What the picture shows: the page in the chosen language, laid out for the tablet.
      assert.equal(await page.getAttribute('html', 'lang'), lang, `${name}-${lang}`);
      assert.match(await page.textContent('nav.app-nav'), NAV[lang], `${name}-${lang}: navigation`);
      assert.match(heading, shows[lang], `${name}-${lang}: heading`);
      assert.ok(await page.isVisible(shows.content), `${name}-${lang}: ${shows.content} is shown`);
      const layout = await measureLayout(page);
      assert.ok(layout.scroll <= layout.inner, `${name}-${lang}: scrollWidth ${layout.scroll} > ${layout.inner}`);
      const [width, height] = await screenshot(page, `${name}-${lang}`, { fullPage: name !== 'training-new' });
      taken.push(`${name}-${lang}.png ${width}×${height}`);
    }
  }
  assert.equal(taken.length, 10);
  console.log(`screenshots: ${taken.join(', ')}`);
  await setLanguage(page, session.server.url, 'zh');
  await page.setViewportSize({ width: 1024, height: 768 });
});

test('saves and deletes say what happened, a delete can be undone, steppers count, focus follows', async () => {
  const { page } = session;
  await page.goto(session.server.url + '/trainings/new');
  await page.waitForSelector('#field-attendance');
  for (let n = 0; n < 3; n += 1) await page.click('#field-attendance ~ button.step[aria-label="增加"]');
  await page.click('#field-attendance ~ button.step[aria-label="减少"]');
  assert.equal(await page.inputValue('#field-attendance'), '2');
  await page.fill('#field-topic', '撤销测试培训');
  await page.click('form.record-form button[type=submit]');
  await page.waitForURL(/\/trainings\/[0-9a-f-]{36}$/);
  assert.match(await page.textContent('.notice'), /已保存/);
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1', null, { timeout: 5000 });

  await page.click('button.danger');
  await page.click('#confirm-delete');
  await page.waitForURL(session.server.url + '/trainings');
  assert.match(await page.textContent('.notice'), /记录已删除/);
  const count = Number(await page.getAttribute('p.count', 'data-count'));
  await page.click('#undo-delete');
  await page.waitForFunction((n) => document.querySelector('p.count')?.dataset.count === String(n), count + 1);
  assert.match(await page.textContent('.notice'), /已恢复/);
  assert.match(await page.textContent('.record-list'), /撤销测试培训/);
});
