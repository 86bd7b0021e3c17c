// Shared set-up for the end-to-end tests: a static server for the release build (any path
// that is not a file gets index.html, as a static host configured for a single-page app
// does), Debian's Chromium driven by playwright-core, and the steps most tests start with.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { readFile, stat, mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
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
 *
 * With `proxy: { path: '/couch', target: 'http://127.0.0.1:5984' }`, requests under
 * `/couch/` (from the origin's root, whatever the prefix) are forwarded to the target with
 * the path's prefix taken off, as a same-origin reverse proxy (nginx) in front of CouchDB
 * does; they are logged in `proxied` ({ method, path, status, fault }), not in `requests`,
 * and `faults` breaks them on demand (see proxyTo).
 */
export async function serve(root = DIST, { prefix = '', proxy } = {}) {
  const state = { root, requests: [] };
  const couch = proxy ? proxyTo(proxy) : null;
  const handler = async (req, res) => {
    if (couch?.handles(req)) return couch.forward(req, res);
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
    ...(couch && { proxied: couch.proxied, faults: couch.faults, couchUrl: `http://127.0.0.1:${port}${couch.path}` }),
    setRoot: (dir) => { state.root = dir; },
    stop,
    start: () => listen(port),
    close: stop,
  };
}

// Headers that concern one connection only, which a proxy does not pass on.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const endToEnd = (headers) => Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_BY_HOP.has(k)));

/**
 * The reverse proxy of serve({ proxy }). `faults`:
 *   cutNext({ method, path, after })  the next request that matches (`method`: e.g. 'POST',
 *       any if left out; `path`: a RegExp or a substring of the forwarded path and query) is
 *       broken, once: after 'request', it reaches the target, whose answer is awaited (the
 *       write has landed) and dropped, and the client's connection is destroyed before any
 *       byte of a response; after 'partial-response', the client gets the status line, the
 *       headers (with the full content-length) and about half of the body, then the
 *       connection is destroyed. Returns { hit }, a promise resolved with the request's
 *       { method, path } when the fault has been applied.
 *   answerNext({ method, path, status })  the next request that matches is answered by the
 *       proxy with `status` and a JSON error body, never forwarded (a 502 from a proxy whose
 *       database is restarting, a 429, a 413 for a body too large). Returns { hit }.
 *   down() / up()  while down, every proxied request's connection is destroyed at once,
 *       nothing forwarded (the server is unreachable).
 *   clear()  disarms the faults armed and not yet hit.
 *   armed    how many cutNext faults wait for their request.
 * A target that does not answer gets 502 {"error":"bad_gateway"}, as from nginx.
 */
function proxyTo({ path: base, target }) {
  const mount = base.replace(/\/+$/, '');
  const to = new URL(target);
  const proxied = [];
  const pending = [];
  let isDown = false;
  const faults = {
    cutNext({ method, path, after = 'request' } = {}) {
      if (!['request', 'partial-response'].includes(after)) throw new Error(`cutNext: after '${after}'?`);
      let resolveHit;
      const hit = new Promise((ok) => { resolveHit = ok; });
      pending.push({ method: method?.toUpperCase(), path, after, resolveHit });
      return { hit };
    },
    answerNext({ method, path, status }) {
      let resolveHit;
      const hit = new Promise((ok) => { resolveHit = ok; });
      pending.push({ method: method?.toUpperCase(), path, answer: status, resolveHit });
      return { hit };
    },
    down() { isDown = true; },
    up() { isDown = false; },
    clear() { pending.length = 0; },
    get armed() { return pending.length; },
    get isDown() { return isDown; },
  };
  const matches = (fault, method, path) => (!fault.method || fault.method === method)
    && (!fault.path || (fault.path instanceof RegExp ? fault.path.test(path) : path.includes(fault.path)));
  const rewriteLocation = (headers) => {
    const location = headers.location;
    if (typeof location === 'string' && location.startsWith(to.origin)) {
      headers.location = mount + location.slice(to.origin.length);
    }
    return headers;
  };

  const forward = (req, res) => {
    const path = req.url.slice(mount.length) || '/';
    const entry = { method: req.method, path, status: null, fault: null };
    proxied.push(entry);
    if (isDown) {
      entry.fault = 'down';
      req.socket.destroy();
      return;
    }
    const index = pending.findIndex((f) => matches(f, req.method, path));
    const fault = index >= 0 ? pending.splice(index, 1)[0] : null;
    if (fault?.answer) {
      entry.status = fault.answer;
      entry.fault = `answer-${fault.answer}`;
      req.resume();
      req.on('end', () => {
        res.writeHead(fault.answer, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'proxy', reason: `answered ${fault.answer} by the test's proxy` }));
        fault.resolveHit({ method: req.method, path });
      });
      return;
    }
    const upstream = httpRequest({
      protocol: to.protocol, hostname: to.hostname, port: to.port, method: req.method, path,
      headers: { ...endToEnd(req.headers), host: to.host },
    });
    upstream.on('error', () => {
      if (res.headersSent) return req.socket.destroy();
      entry.status = 502;
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"bad_gateway","reason":"CouchDB did not answer"}\n');
    });
    upstream.on('response', (answer) => {
      entry.status = answer.statusCode;
      const headers = rewriteLocation(endToEnd(answer.headers));
      if (fault?.after === 'request') {
        answer.resume();
        answer.on('end', () => {
          entry.fault = 'request';
          req.socket.destroy();
          fault.resolveHit({ method: req.method, path });
        });
        return;
      }
      if (fault?.after === 'partial-response') {
        const chunks = [];
        answer.on('data', (c) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          entry.fault = 'partial-response';
          res.writeHead(answer.statusCode, { ...headers, 'content-length': String(body.length) });
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
            req.socket.destroy();
            fault.resolveHit({ method: req.method, path });
          });
        });
        return;
      }
      res.writeHead(answer.statusCode, headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  };

  return {
    path: mount,
    proxied,
    faults,
    handles: (req) => req.url === mount || req.url.startsWith(mount + '/') || req.url.startsWith(mount + '?'),
    forward,
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

/** Scrolls down, as a user does, until `selector` is on the page: the parts of a home screen
 * further down are drawn (and their code fetched) only when scrolled to (`.below-fold`
 * markers, `WhenVisible`), and what one draws can push the next one down. */
export async function scrollUntil(page, selector) {
  await page.waitForFunction((wanted) => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    return document.querySelector(wanted) !== null;
  }, selector, { timeout: 20000 });
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
export async function startSession({ root = DIST, prefix = '', tablets = 1, officer, role, serviceWorkers, proxy } = {}) {
  const server = await serve(root, { prefix, proxy });
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

/** Changes a training's topic through its form (from its page's URL) and saves. */
export async function editTopic(page, recordUrl, topic) {
  await page.goto(recordUrl + '/edit');
  await page.waitForSelector('#field-topic');
  await page.fill('#field-topic', topic);
  await saveForm(page);
  await page.waitForURL(recordUrl);
}

/** Imports export files on the exchange page; returns the import report, a row per file. */
export async function importFiles(page, url, paths) {
  await page.goto(url + '/exchange');
  await appReady(page);
  await page.setInputFiles('#import-files', paths);
  await page.waitForFunction(() => {
    const status = document.querySelector('#import-status')?.textContent ?? '';
    return /导入完成|Import finished/.test(status) || document.querySelector('[role=alert]');
  });
  return page.$$eval('.import-report tbody tr', (rows) => rows.map((row) => ({
    file: row.querySelector('th').textContent,
    rejected: row.classList.contains('rejected') ? row.querySelector('td').textContent : null,
    added: Number(row.querySelector('.added')?.textContent),
    updated: Number(row.querySelector('.updated')?.textContent),
    unchanged: Number(row.querySelector('.unchanged')?.textContent),
    conflicts: Number(row.querySelector('.conflicts')?.dataset.count),
    deleted: Number(row.querySelector('.deleted')?.textContent),
  })));
}

/** How many live records of a kind the kind's list counts. */
export async function countOf(page, url, kind) {
  await page.goto(`${url}/${kind}`);
  await appReady(page);
  await page.waitForSelector('p.count');
  return Number(await page.getAttribute('p.count', 'data-count'));
}

/** JSON with every object's keys sorted, as the export's checksum is computed over. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The text of an export file of `records` as the app writes one (format, checksum), of
 * the newest schema version its records need (a file of version 1 holds no team or demand). */
export function exportFileText(records, { device = 'test-device', exportedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z') } = {}) {
  const checksum = 'sha256:' + createHash('sha256').update(canonical(records)).digest('hex');
  const schemaVersion = Math.max(1, ...records.map((r) => r.schema_version ?? 1));
  return JSON.stringify({
    format: 'field-ledger-export', schema_version: schemaVersion, app_version: '0.1.0', device_id: device,
    exported_at: exportedAt, since: null, checksum, records,
  });
}

/** `text` for use inside a RegExp, its special characters escaped. */
export const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A locale text as a RegExp, its {{ placeholders }} matching numbers (captured in order). */
export const localePattern = (text) => new RegExp(escapeRegExp(text).replace(/\\\{\\\{ \w+ \\\}\\\}/g, '(\\d+)'));

/** A "camera photo": a 2400 × 1800 PNG drawn in the page (stripes and a gradient). */
export async function cameraImage(page) {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 2400;
    canvas.height = 1800;
    const context = canvas.getContext('2d');
    const gradient = context.createLinearGradient(0, 0, 2400, 1800);
    gradient.addColorStop(0, '#2f6b3a');
    gradient.addColorStop(1, '#d8c060');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 2400, 1800);
    context.fillStyle = '#ffffff';
    for (let x = 0; x < 2400; x += 150) context.fillRect(x, 0, 40, 1800);
    return canvas.toDataURL('image/png').split(',')[1];
  });
  return Buffer.from(base64, 'base64');
}

/** The hashes of the photos a record's page shows, once each has its image. */
export async function shownPhotos(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll('li.photo img.photo-thumb').length === n, count);
  return page.$$eval('li.photo', (items) => items.map((item) => item.dataset.hash));
}

/**
 * The SHA-256 of the bytes kept in IndexedDB under each shown photo's name, once every
 * thumbnail has decoded (the page's Content-Security-Policy lets no script fetch a blob: URL).
 */
export async function bytesShown(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('img.photo-thumb')].every((i) => i.complete && i.naturalWidth > 0));
  return page.$$eval('li.photo', (items) => Promise.all(items.map(async (item) => {
    const database = await new Promise((resolve, reject) => {
      const request = indexedDB.open('field-ledger-photos');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const value = await new Promise((resolve, reject) => {
      const request = database.transaction('photos').objectStore('photos').get(item.dataset.hash);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    database.close();
    const digest = await crypto.subtle.digest('SHA-256', value.bytes);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  })));
}
