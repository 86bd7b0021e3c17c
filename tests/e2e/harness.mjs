// Shared set-up for the end-to-end tests: a static server for the release build (any path
// that is not a file gets index.html, as a static host configured for a single-page app
// does), Debian's Chromium driven by playwright-core, and the steps most tests start with.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, stat, mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

// FL_DIST serves another build (e.g. one made with --dist elsewhere); dist/ by default.
export const DIST = resolve(process.env.FL_DIST ?? resolve(import.meta.dirname, '../../dist'));
// The same app built with --public-url /field-ledger/ (scripts/test.sh builds it there).
export const SUBPATH_DIST = resolve(process.env.FL_SUBPATH_DIST ?? resolve(import.meta.dirname, '../../target/dist-subpath'));
// Where screenshots go: an ignored scratch folder, unless FL_SCREENSHOTS_DIR says otherwise
// (scripts/screenshots.sh points it at docs/screenshots/ to refresh the README's pictures).
export const SCREENSHOTS = resolve(process.env.FL_SCREENSHOTS_DIR ?? resolve(import.meta.dirname, 'artifacts/screenshots'));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json',
};

/**
 * Serves `root` on 127.0.0.1 at a free port, under `prefix` (e.g. '/field-ledger'), as a
 * static host does. Every request path is logged in `requests`. `stop()` and `start()` take
 * the server off the network and back (same port); `setRoot()` deploys another build.
 */
export async function serve(root = DIST, { prefix = '' } = {}) {
  const state = { root, requests: [] };
  const handler = async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    state.requests.push(path);
    if (!path.startsWith(prefix + '/')) return res.writeHead(404).end();
    let file = join(state.root, normalize(path.slice(prefix.length)));
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
    } catch {
      file = join(state.root, 'index.html');
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  };
  let server;
  const listen = (port) => new Promise((ok, fail) => {
    server = createServer(handler);
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server.address().port));
  });
  const port = await listen(0);
  const stop = () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); });
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${prefix}`,
    requests: state.requests,
    setRoot: (dir) => { state.root = dir; },
    stop,
    start: () => listen(port),
    close: stop,
  };
}

const FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * A fresh browser profile (its own localStorage), as a new tablet would have.
 * `serviceWorkers: 'block'` runs the app without its service worker.
 */
export async function launchProfile({ serviceWorkers = 'allow' } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'field-ledger-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    acceptDownloads: true,
    locale: 'en-US',
    viewport: { width: 1024, height: 768 },
    serviceWorkers,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return {
    context, page, errors,
    close: async () => { await context.close(); await rm(userDataDir, { recursive: true, force: true }); },
  };
}

/** Waits until the Leptos app has mounted (the navigation is rendered). */
export async function appReady(page) {
  await page.waitForSelector('nav.app-nav a', { timeout: 20000 });
}

/** Types into each form control, by element id. */
export async function fill(page, fields) {
  for (const [id, value] of Object.entries(fields)) {
    await page.fill(`#${id}`, value);
  }
}

/** Submits the record form on the page. */
export async function saveForm(page) {
  await page.click('form.record-form button[type=submit]');
}

/** First start on a new tablet: give the officer's name. */
export async function signIn(page, url, name, role = 'officer') {
  await page.goto(url + '/');
  await appReady(page);
  await page.fill('#author-name', name);
  await page.check(`#role-${role}`);
  await page.click('form.name-prompt button[type=submit]');
  await page.waitForSelector('.signed-in');
}

/** Creates a record through its form and returns its page's URL. */
export async function createRecord(page, url, kind, fields) {
  await page.goto(`${url}/${kind}/new`);
  await page.waitForSelector('form.record-form');
  await fill(page, fields);
  await saveForm(page);
  await page.waitForURL(new RegExp(`/${kind}/[0-9a-f-]{36}$`));
  return page.url();
}

/** Clicks a button that downloads a file; returns { name, path }. */
export async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: file.suggestedFilename(), path: await file.path() };
}

/**
 * What most tests start from: a server for `root` (under `prefix`) and `tablets` fresh
 * browser profiles; with `officer`, each has signed in under that name (as a field officer, or
 * in `role`: 'coordinator'). `page`, `context`
 * and `errors` are the first tablet's. `close()` closes everything.
 */
export async function startSession({ root = DIST, prefix = '', tablets = 1, officer, role, serviceWorkers } = {}) {
  const server = await serve(root, { prefix });
  const profiles = await Promise.all(Array.from({ length: tablets }, () => launchProfile({ serviceWorkers })));
  if (officer) for (const profile of profiles) await signIn(profile.page, server.url, officer, role);
  const [first] = profiles;
  return {
    server, profiles, page: first.page, context: first.context, errors: first.errors,
    close: async () => {
      await Promise.all(profiles.map((p) => p.close()));
      await server.close();
    },
  };
}

/**
 * The same session for every test of a file: started before the first test, then `prepare`d
 * (e.g. records made), and closed after the last. The returned object is filled in when the
 * tests run (see startSession). One `before` only: at the top of a file, node runs each
 * `before` as soon as it is declared, without waiting for the one above.
 */
export function fileSession(options, prepare = async () => {}) {
  const session = {};
  before(async () => {
    Object.assign(session, await startSession(options));
    await prepare(session);
  });
  after(async () => { await session.close?.(); });
  return session;
}

/** A session for one test only, closed when that test ends (`t` is the test's context). */
export async function testSession(t, options) {
  const session = await startSession(options);
  t.after(() => session.close());
  return session;
}

let axeSource;
/** axe-core's violations on the page as it is (evaluated through the driver, so the page's
 * Content-Security-Policy stays strict), one line each. */
export async function axeViolations(page) {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`));
}

/** Chooses the interface language in Settings and waits until the page has switched. */
export async function setLanguage(page, url, lang) {
  await page.goto(url + '/settings');
  await appReady(page);
  await page.selectOption('#settings-language', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

/** Resolves once some form's draft is stored (under `fl.v1.draft.…`) and holds `text`. */
export async function waitForDraft(page, text) {
  await page.waitForFunction((t) => Object.keys(localStorage)
    .some((k) => k.startsWith('fl.v1.draft.') && localStorage.getItem(k).includes(t)), text);
}

/** The keys of the drafts stored now. */
export async function draftKeys(page) {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fl.v1.draft.')));
}

/** Width and height of a PNG file's image, from its header. */
export function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/**
 * Saves a screenshot of the page as `<name>.png` in SCREENSHOTS and checks what was written:
 * a PNG as wide as the viewport (and as tall, unless `fullPage`). Returns [width, height].
 */
export async function screenshot(page, name, { fullPage = false } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  const [width, height] = pngSize(await readFile(path));
  const viewport = page.viewportSize();
  assert.equal(width, viewport.width, `${name}.png: width`);
  if (fullPage) assert.ok(height >= viewport.height, `${name}.png: height ${height}`);
  else assert.equal(height, viewport.height, `${name}.png: height`);
  return [width, height];
}
