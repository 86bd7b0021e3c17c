// Shared set-up for the end-to-end tests: a static server for the release build (any path
// that is not a file gets index.html, as a static host configured for a single-page app
// does) and Debian's Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { readFile, stat, mkdtemp, rm } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

// FL_DIST serves another build (e.g. one made with --dist elsewhere); dist/ by default.
export const DIST = resolve(process.env.FL_DIST ?? resolve(import.meta.dirname, '../../dist'));
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
export async function signIn(page, url, name) {
  await page.goto(url + '/');
  await appReady(page);
  await page.fill('#author-name', name);
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
