// Lighthouse 12 on the release build, as a benchmark (not a test): the mobile preset (a
// simulated slow 4G link and a 4× slower CPU), against a local static server that sends the
// files brotli-compressed (quality 11) as a static host configured for it does. Two first
// screens: the first start (the name-and-role prompt of an empty app), the officer's home and
// the coordinator's home (the settings of a signed-in officer or coordinator in localStorage
// before the page loads). BENCH_LIGHTHOUSE_RUNS
// runs each (default 3); the medians go to BENCH_LIGHTHOUSE_OUT (default
// /tmp/bench-lighthouse-section.md), which bench.mjs puts into BENCHMARKS.md.
//
// Lighthouse comes from npm (setup.sh installs lighthouse@12 into the tools folder); it drives
// Debian's Chromium through chrome-launcher and never downloads a browser.
import { createServer } from 'node:http';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { DIST } from './harness.mjs';

const TOOLS = process.env.FIELD_LEDGER_TOOLS ?? `${process.env.HOME}/.local/share/field-ledger`;
const fromTools = createRequire(`${TOOLS}/lighthouse/node_modules/`);
const lighthouse = (await import(pathToFileURL(fromTools.resolve('lighthouse')).href)).default;
const chromeLauncher = await import(pathToFileURL(fromTools.resolve('chrome-launcher')).href);
const puppeteer = (await import(pathToFileURL(fromTools.resolve('puppeteer-core')).href)).default;
const LIGHTHOUSE_VERSION = JSON.parse(await readFile(`${TOOLS}/lighthouse/node_modules/lighthouse/package.json`, 'utf8')).version;

const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
const OUT = process.env.BENCH_LIGHTHOUSE_OUT ?? '/tmp/bench-lighthouse-section.md';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// As the end-to-end tests start it: no background connections (the machine has no network).
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

/** Serves dist/ on 127.0.0.1, each file brotli-compressed once (quality 11). */
async function brotliServer() {
  const compressed = new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = join(DIST, normalize(path));
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
    } catch {
      file = join(DIST, 'index.html');
    }
    if (!compressed.has(file)) {
      const body = await readFile(file);
      compressed.set(file, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-encoding': 'br',
      'cache-control': 'no-cache',
    });
    res.end(compressed.get(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** An officer's and a coordinator's settings, as the app stores them, with a name: their home
 * opens. */
const SETTINGS = {
  officer: JSON.stringify({ device_id: '3f2a9c1e-0000-4000-8000-0000000000aa', author: '王海', role: 'officer', language: 'zh' }),
  coordinator: JSON.stringify({ device_id: '3f2a9c1e-0000-4000-8000-0000000000bb', author: '刘汇总', role: 'coordinator', language: 'zh' }),
};

/** One Lighthouse run of `url`; for a home, its settings are stored first. */
async function audit(url, screen) {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: FLAGS });
  try {
    if (SETTINGS[screen]) {
      // localStorage of the app's origin, written from a file that is not the app (so no
      // service worker is installed before the run).
      const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
      const page = await browser.newPage();
      await page.goto(`${url}/manifest.webmanifest`);
      await page.evaluate((settings) => {
        localStorage.setItem('fl.layout', '2');
        localStorage.setItem('fl.v1.settings', settings);
      }, SETTINGS[screen]);
      await page.close();
      browser.disconnect();
    }
    const result = await lighthouse(`${url}/`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
      // The stored settings are the point of a home's run; the cache is cleared anyway.
      disableStorageReset: Boolean(SETTINGS[screen]),
    });
    const { categories, audits } = result.lhr;
    return {
      performance: Math.round(categories.performance.score * 100),
      accessibility: Math.round(categories.accessibility.score * 100),
      bestPractices: Math.round(categories['best-practices'].score * 100),
      fcp: audits['first-contentful-paint'].numericValue,
      lcp: audits['largest-contentful-paint'].numericValue,
      tbt: audits['total-blocking-time'].numericValue,
      tti: audits.interactive.numericValue,
      si: audits['speed-index'].numericValue,
      kib: audits['total-byte-weight'].numericValue / 1024,
    };
  } finally {
    await chrome.kill();
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const { server, url } = await brotliServer();
const screens = { 'first start': 'first', "officer's home": 'officer', "coordinator's home": 'coordinator' };
const results = {};
try {
  for (const [name, screen] of Object.entries(screens)) {
    results[name] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const r = await audit(url, screen);
      results[name].push(r);
      console.log(`lighthouse ${name} run ${run}: performance ${r.performance}, accessibility ${r.accessibility}, `
        + `best practices ${r.bestPractices}, LCP ${Math.round(r.lcp)} ms, TBT ${Math.round(r.tbt)} ms, `
        + `TTI ${Math.round(r.tti)} ms, ${r.kib.toFixed(0)} KiB`);
    }
  }
} finally {
  server.close();
}

const row = (name, runs) => {
  const m = (key) => median(runs.map((r) => r[key]));
  const range = (key) => `${Math.min(...runs.map((r) => r[key]))}–${Math.max(...runs.map((r) => r[key]))}`;
  const ms = (key) => `${(m(key) / 1000).toFixed(1)} s`;
  return `| ${name} | ${m('performance')} (${range('performance')}) | ${m('accessibility')} | ${m('bestPractices')} `
    + `| ${ms('fcp')} | ${ms('lcp')} | ${Math.round(m('tbt'))} ms | ${ms('tti')} | ${ms('si')} | ${m('kib').toFixed(0)} |`;
};
// Debian's wrapper script may print a warning before the version line.
const chromium = (await import('node:child_process'))
  .execFileSync(CHROMIUM, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
  .toString().trim().split('\n').at(-1);
const section = `## Lighthouse (\`tests/e2e/bench-lighthouse.mjs\`)

Lighthouse ${LIGHTHOUSE_VERSION}, mobile preset (simulated slow 4G, 4× CPU slowdown), ${RUNS} runs of each
first screen, median (min–max for the score); the release build served by a local static
server with every file brotli-compressed (quality 11). ${chromium}. Goal: performance ≥ 90,
accessibility and best practices 100.

| first screen | performance | accessibility | best practices | FCP | LCP | TBT | TTI | Speed Index | transferred (KiB) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${Object.entries(results).map(([name, runs]) => row(name, runs)).join('\n')}
`;
await writeFile(OUT, section);
console.log(`\n${section}`);
console.log(`written to ${OUT}`);
