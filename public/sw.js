// Field Ledger service worker: keeps the app's files so that it starts and works with no
// network. Plain JavaScript, no libraries.
//
// The build's file names carry content hashes, so the list of files to keep is read from
// index.html when this worker installs. BUILD_ID is replaced by the build (Trunk.toml hook)
// with a hash of index.html, so every deployment has a different worker, which the browser
// then installs in the background.
const BUILD_ID = '__FIELD_LEDGER_BUILD_ID__';
const CACHE = `field-ledger-${BUILD_ID}`;
const SCOPE = new URL(self.registration.scope);
const INDEX = new URL('index.html', SCOPE).href;
const EXTRA = ['photos.css', 'manifest.webmanifest', 'icons/icon-192.png', 'icons/icon-512.png', 'icons/icon-maskable-512.png'];
// The wasm of the pages that load on first visit (code splitting): index.html does not name
// them. Filled in by the build (scripts/post-build.mjs).
const LAZY = [/*__FIELD_LEDGER_LAZY_FILES__*/];

/** Every same-origin file that index.html links to (script, wasm, stylesheet, preloads). */
function filesOf(html) {
  const found = new Set();
  for (const match of html.matchAll(/(?:href|src)=["']([^"']+)["']|module_or_path:\s*["']([^"']+)["']|from\s+["']([^"']+)["']/g)) {
    const url = new URL(match[1] ?? match[2] ?? match[3], SCOPE);
    if (url.origin === SCOPE.origin && !url.pathname.endsWith('/')) found.add(url.href);
  }
  return [...found];
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    // `reload` skips the HTTP cache, so the files kept are those of this deployment.
    const response = await fetch(INDEX, { cache: 'reload' });
    if (!response.ok) throw new Error(`index.html: ${response.status}`);
    const html = await response.clone().text();
    const cache = await caches.open(CACHE);
    const files = [...new Set([...filesOf(html), ...[...EXTRA, ...LAZY].map((f) => new URL(f, SCOPE).href)])];
    // All or nothing: if any file fails, the install fails and the running version stays.
    await cache.addAll(files.map((f) => new Request(f, { cache: 'reload' })));
    await cache.put(INDEX, response);
    // The first install takes over at once; an update waits until the user chooses.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    // Only now, with this version in charge, are older versions' files removed.
    for (const name of await caches.keys()) {
      if (name.startsWith('field-ledger-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== SCOPE.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Every page of the app is index.html: the app routes in the browser.
    if (request.mode === 'navigate') {
      return (await cache.match(INDEX)) ?? fetch(request);
    }
    return (await cache.match(request, { ignoreSearch: true })) ?? fetch(request);
  })());
});
