// What a user waits for: every file the page fetches until each first screen
// is up and the network idle, measured in headless Chromium on the release build in dist/,
// each file counted at brotli quality 11 (Node's zlib, generic mode) of the bytes served.
//
//   node tests/e2e/first-screens.mjs            prints the table per screen
//   node tests/e2e/first-screens.mjs --check    also compares each screen's total with
//                                               size-budget.txt; exits 1 when one is over
//   options: --dist DIR (default dist/, or FL_DIST), --budget FILE (default size-budget.txt),
//            --json FILE (writes the measurement as JSON), --screen NAME (one screen only),
//            --screenshots DIR (each screen as it is when measured, <screen>.png)
//
// The screens, each in a fresh browser profile (its own localStorage, HTTP cache and
// service worker), as a new tablet would load them:
//   first-start   an empty app: the name and role prompt (form.name-prompt);
//   officer       settings of a field officer with a name: the record buttons (a.record-new);
//   coordinator   settings of a coordinator with a name: who has sent what (#submissions);
//   officer-with-records  the officer's, with one training recorded: the record buttons.
// The officer's and coordinator's settings are made as a user makes them, by filling in the
// first-start form in a throw-away profile; its `fl.*` localStorage keys are then put into
// the measured profile before the app starts (an init script).
//
// A screen is "up" when its element is visible and no request of the page has been in flight
// for IDLE_MS. What the page fetched until then (documents, scripts, styles, wasm parts and
// chunks, icons, manifest: every request of the page, also those its service worker
// answers) is the screen's total. The service worker, registered at start, then fetches
// every file of the build for offline use: those fetches are not the page's and are listed
// apart, with anything the page itself fetched after its screen was up.
//
// Budget file (size-budget.txt): one screen a line, `<screen> <brotli bytes>`; `#` starts a
// comment. The budget only goes down; the goal is 235520 (230 KB) for each screen.
import { createServer } from 'node:http';
import { readFile, stat, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { chromium } from 'playwright-core';
import { fill, saveForm } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const IDLE_MS = 750;
const TIMEOUT_MS = 60000;

const SCREENS = [
  { name: 'first-start', role: null, selector: 'form.name-prompt #author-name' },
  { name: 'officer', role: 'officer', selector: 'a.record-new' },
  { name: 'coordinator', role: 'coordinator', selector: '#submissions' },
  // The officer's home as it is every day after the first: with a record, so that the stored
  // records' reader (a part of its own) loads too.
  { name: 'officer-with-records', role: 'officer', record: true, selector: 'a.record-new' },
];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json',
};
const FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const brotliCache = new Map();
/** Brotli quality 11, generic mode, of `body` (cached by file). */
function brotli(file, body) {
  if (!brotliCache.has(file)) {
    brotliCache.set(file, brotliCompressSync(body, { params: {
      [zlib.BROTLI_PARAM_QUALITY]: 11,
      [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_GENERIC,
      [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
    } }).length);
  }
  return brotliCache.get(file);
}

/** Serves `root` on 127.0.0.1 at a free port as a static host does (a path that is not a
 * file gets index.html); `served` maps each file to its bytes. */
async function serve(root) {
  const served = new Map();
  const log = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = join(root, normalize(path));
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
    } catch {
      file = join(root, 'index.html');
    }
    try {
      const body = await readFile(file);
      const name = file.slice(root.length + 1);
      served.set(name, body);
      log.push({ path, file: name, at: Date.now() });
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  /** The file a URL of this server is served from. */
  const fileOf = (url) => {
    const path = decodeURIComponent(new URL(url).pathname);
    return log.findLast((e) => e.path === path)?.file ?? path.slice(1);
  };
  return {
    origin, served, log, fileOf,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }),
  };
}

async function launch(serviceWorkers = 'allow') {
  const userDataDir = await mkdtemp(join(tmpdir(), 'field-ledger-size-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true, args: FLAGS, locale: 'en-US', viewport: { width: 1024, height: 768 }, serviceWorkers,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: async () => { await context.close(); await rm(userDataDir, { recursive: true, force: true }); } };
}

/** The `fl.*` localStorage keys of a new tablet after its first-start form is filled in with
 * a name and `role`, as a user would (service worker blocked: nothing of it is measured);
 * with `record`, after a training is recorded through its form too. */
async function settingsOf(server, role, record = false) {
  const browser = await launch('block');
  try {
    const { page } = browser;
    await page.goto(server.origin + '/');
    await page.fill('#author-name', role === 'officer' ? '王建国' : '刘汇总');
    await page.check(`#role-${role}`);
    await page.click('form.name-prompt button[type=submit]');
    await page.waitForSelector('.signed-in');
    if (record) {
      await page.goto(server.origin + '/trainings/new');
      const today = await page.evaluate(() => new Date().toLocaleDateString('sv'));
      await fill(page, { 'field-date': today, 'field-topic': '玉米病虫害防治培训', 'field-county': '盖州市', 'field-attendance': '37' });
      await saveForm(page);
      await page.waitForURL(/\/trainings\/[0-9a-f-]{36}$/);
    }
    return await page.evaluate(() => Object.fromEntries(Object.keys(localStorage)
      .filter((k) => k.startsWith('fl.')).map((k) => [k, localStorage.getItem(k)])));
  } finally {
    await browser.close();
  }
}

/** Loads one screen in a fresh profile; returns what the page and the service worker fetched. */
async function measure(server, screen, storage, shots) {
  const browser = await launch();
  const { context, page } = browser;
  try {
    if (storage) {
      await context.addInitScript(({ origin, entries }) => {
        if (location.origin !== origin || localStorage.getItem('fl.v1.settings') !== null) return;
        for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
      }, { origin: server.origin, entries: storage });
    }
    const inFlight = new Set();
    let lastActivity = Date.now();
    let screenUp = false;
    const pageRequests = []; // { url, after: fetched after the screen was up, fromWorker }
    const workerRequests = [];
    context.on('request', (request) => {
      if (request.serviceWorker()) workerRequests.push({ url: request.url() });
    });
    page.on('request', (request) => {
      if (request.url().startsWith('data:')) return;
      inFlight.add(request);
      lastActivity = Date.now();
      pageRequests.push({ url: request.url(), after: screenUp, request });
    });
    const settle = (request) => { inFlight.delete(request); lastActivity = Date.now(); };
    page.on('requestfinished', settle);
    page.on('requestfailed', (request) => { settle(request); console.error(`request failed: ${request.url()} ${request.failure()?.errorText}`); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    const started = Date.now();
    await page.goto(server.origin + '/');
    await page.locator(screen.selector).first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    const visibleAt = Date.now() - started;
    // Up and idle: no request of the page in flight for IDLE_MS.
    while (inFlight.size > 0 || Date.now() - lastActivity < IDLE_MS) {
      if (Date.now() - started > TIMEOUT_MS) throw new Error(`${screen.name}: the network never went idle (${[...inFlight].map((r) => r.url()).join(', ')})`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
    screenUp = true;
    const idleAt = Date.now() - started;
    if (shots) await page.screenshot({ path: join(shots, `${screen.name}.png`) });
    // Then the service worker's install: wait until it is active and has fetched its files.
    await page.evaluate(() => navigator.serviceWorker?.ready.then(() => true));
    const serverIdle = async () => {
      let count = -1;
      while (count !== server.log.length) {
        count = server.log.length;
        await new Promise((ok) => setTimeout(ok, IDLE_MS));
      }
    };
    await serverIdle();
    if (errors.length) throw new Error(`${screen.name}: page errors: ${errors.join('; ')}`);

    const row = (url) => {
      const file = server.fileOf(url);
      const body = server.served.get(file);
      return { file, raw: body?.length ?? 0, brotli: body ? brotli(file, body) : 0 };
    };
    const byFile = (list) => {
      const seen = new Map();
      for (const { url } of list) {
        const r = row(url);
        if (!seen.has(r.file)) seen.set(r.file, { ...r, requests: 0 });
        seen.get(r.file).requests++;
      }
      return [...seen.values()];
    };
    const first = byFile(pageRequests.filter((r) => !r.after && r.url.startsWith(server.origin)));
    const later = byFile(pageRequests.filter((r) => r.after && r.url.startsWith(server.origin)));
    const worker = byFile(workerRequests);
    const elsewhere = pageRequests.filter((r) => !r.url.startsWith(server.origin)).map((r) => r.url);
    return {
      name: screen.name, selector: screen.selector, visibleAt, idleAt,
      files: first, total: first.reduce((s, f) => s + f.brotli, 0), raw: first.reduce((s, f) => s + f.raw, 0),
      later, worker, elsewhere,
    };
  } finally {
    await browser.close();
  }
}

/** `<screen> <bytes>` lines; `#` comments. */
async function readBudget(path) {
  const budget = {};
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const text = line.replace(/#.*/, '').trim();
    if (!text) continue;
    const [name, bytes, ...rest] = text.split(/\s+/);
    if (!/^\d+$/.test(bytes ?? '') || rest.length) throw new Error(`${path}: "${line}" is not "<screen> <bytes>"`);
    budget[name] = Number(bytes);
  }
  return budget;
}

const kb = (n) => (n / 1024).toFixed(1);
/** Files with the shared chunks and the split parts grouped at the end of the table. */
function printScreen(result) {
  console.log(`\n== ${result.name}: ${result.selector} visible after ${result.visibleAt} ms, idle after ${result.idleAt} ms`);
  console.log(`${'file'.padEnd(52)} ${'raw'.padStart(9)} ${'brotli'.padStart(9)}`);
  const files = [...result.files].sort((a, b) => b.brotli - a.brotli);
  const chunks = files.filter((f) => /^chunk_/.test(f.file));
  for (const f of files.filter((f) => !/^chunk_/.test(f.file))) {
    console.log(`${f.file.padEnd(52)} ${String(f.raw).padStart(9)} ${String(f.brotli).padStart(9)}${f.requests > 1 ? `  (${f.requests} requests)` : ''}`);
  }
  if (chunks.length) {
    for (const f of chunks) console.log(`  ${f.file.padEnd(50)} ${String(f.raw).padStart(9)} ${String(f.brotli).padStart(9)}`);
    const sum = (k) => chunks.reduce((s, f) => s + f[k], 0);
    console.log(`${`(${chunks.length} shared chunk_*.wasm above)`.padEnd(52)} ${String(sum('raw')).padStart(9)} ${String(sum('brotli')).padStart(9)}`);
  }
  console.log(`${`total: ${result.files.length} files`.padEnd(52)} ${String(result.raw).padStart(9)} ${String(result.total).padStart(9)}  = ${kb(result.total)} KB brotli`);
  if (result.later.length) {
    console.log(`fetched by the page after its screen was up: ${result.later.map((f) => `${f.file} (${f.brotli})`).join(', ')}`);
  }
  const extra = result.worker.filter((w) => !result.files.some((f) => f.file === w.file));
  const sum = (list) => list.reduce((s, f) => s + f.brotli, 0);
  console.log(`service worker's precache after start: ${result.worker.length} files, ${kb(sum(result.worker))} KB brotli `
    + `(${extra.length} files, ${kb(sum(extra))} KB, not fetched by the page for this screen: `
    + `${extra.filter((f) => !/^chunk_/.test(f.file)).map((f) => f.file).join(', ')}${extra.some((f) => /^chunk_/.test(f.file)) ? ` and ${extra.filter((f) => /^chunk_/.test(f.file)).length} chunk_*.wasm` : ''})`);
  if (result.elsewhere.length) console.log(`requests to other origins (should be none): ${result.elsewhere.join(', ')}`);
}

export async function measureFirstScreens({ dist = resolve(ROOT, 'dist'), only, shots } = {}) {
  await stat(join(dist, 'index.html')).catch(() => { throw new Error(`no build in ${dist}: run trunk build --release first`); });
  const server = await serve(dist);
  try {
    const screens = SCREENS.filter((s) => !only || s.name === only);
    const results = [];
    for (const screen of screens) {
      const storage = screen.role ? await settingsOf(server, screen.role, screen.record) : null;
      results.push(await measure(server, screen, storage, shots));
    }
    return results;
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const check = args.includes('--check');
  const dist = resolve(opt('--dist') ?? process.env.FL_DIST ?? resolve(ROOT, 'dist'));
  const budgetPath = resolve(opt('--budget') ?? resolve(ROOT, 'size-budget.txt'));
  const results = await measureFirstScreens({ dist, only: opt('--screen'), shots: opt('--screenshots') });
  for (const r of results) printScreen(r);
  console.log('\nfirst screens, brotli -q 11 bytes the page fetched until up and idle:');
  for (const r of results) console.log(`  ${r.name.padEnd(20)} ${String(r.total).padStart(8)}  (${kb(r.total)} KB, ${r.files.length} files)`);
  if (opt('--json')) await writeFile(opt('--json'), JSON.stringify(results, null, 2));
  if (check) {
    const budget = await readBudget(budgetPath);
    let over = false;
    for (const r of results) {
      if (!(r.name in budget)) { console.error(`${r.name}: no budget in ${budgetPath}`); over = true; continue; }
      const ok = r.total <= budget[r.name];
      if (!ok) over = true;
      console[ok ? 'log' : 'error'](`${r.name}: ${r.total} of ${budget[r.name]} bytes brotli${ok ? '' : ' — OVER the budget'}`);
    }
    if (over) process.exit(1);
    console.log(`within the size budget (${budgetPath})`);
  }
}
