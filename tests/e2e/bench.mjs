// Benchmarks on the release build in headless Chromium (not part of the test run's pass or
// fail): prints a table and writes BENCHMARKS.md. Run with scripts/bench.sh.
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { tmpdir, cpus, totalmem } from 'node:os';
import { serve, launchProfile, appReady, signIn } from './harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FILES = 10;
const PER_FILE = 1000;

// A typical training as an officer records it in the field (date, type, topic, trainer,
// county and village, attendance); the import checks every field, so a mistake here fails.
const template = {
  id: '', created_at: '2022-05-12T04:00:00Z', updated_at: '2022-05-12T04:00:00Z', revision: 1,
  device_id: '', author: '', schema_version: 1, deleted: false, kind: 'training',
  data: {
    date: '2022-05-12', training_type: 'farmer', topic: '',
    trainers: ['刘强'], place: { county: '', village: '东窑村' }, attendance: 0,
  },
};

/** Compact JSON with sorted object keys: the app's canonical form for the checksum. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
const COUNTIES = ['站前区', '西市区', '鲅鱼圈区', '老边区', '盖州市', '大石桥市', '营口高新区'];

/** A deterministic id: file f, record n. */
const idOf = (f, n) => `${String(f).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;

function exportFile(f) {
  const device = `bench-device-${f}`;
  const records = [];
  for (let n = 0; n < PER_FILE; n += 1) {
    const r = JSON.parse(JSON.stringify(template));
    r.id = idOf(f, n);
    r.device_id = device;
    r.author = `特派员${f}`;
    r.data.topic = `第${f}组第${n}次培训：水稻病虫害绿色防控技术`;
    r.data.place.county = COUNTIES[(f + n) % COUNTIES.length];
    r.data.attendance = 20 + (n % 40);
    records.push(r);
  }
  const checksum = 'sha256:' + createHash('sha256').update(canonical(records)).digest('hex');
  return JSON.stringify({
    format: 'field-ledger-export', schema_version: 1, app_version: '0.1.0', device_id: device,
    exported_at: '2022-06-30T08:00:00Z', since: null, checksum, records,
  });
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};

const dir = await mkdtemp(join(tmpdir(), 'field-ledger-bench-'));
const paths = [];
for (let f = 0; f < FILES; f += 1) {
  const path = join(dir, `officer-${f}.json`);
  await writeFile(path, exportFile(f));
  paths.push(path);
}

const server = await serve();
const importMs = [];
const heapMb = [];
for (let run = 0; run < RUNS; run += 1) {
  const profile = await launchProfile();
  const { page } = profile;
  await signIn(page, server.url, '协调员');
  await page.goto(server.url + '/sync');
  await appReady(page);
  const started = Date.now();
  await page.setInputFiles('#import-files', paths);
  await page.waitForFunction(() => /导入完成/.test(document.querySelector('#import-status')?.textContent ?? '')
    || document.querySelector('.import .save-error'), null, { timeout: 120000 });
  const failure = await page.$('.import .save-error');
  if (failure) throw new Error(`import failed: ${await failure.textContent()}`);
  importMs.push(Date.now() - started);
  heapMb.push(await page.evaluate(() => performance.memory.usedJSHeapSize / 1048576));
  const added = await page.$$eval('.import-report .added', (cells) => cells.reduce((sum, c) => sum + Number(c.textContent), 0));
  if (added !== FILES * PER_FILE) throw new Error(`imported ${added} records, expected ${FILES * PER_FILE}`);
  await profile.close();
}
await server.close();
await rm(dir, { recursive: true, force: true });

const chromium = execSync('/usr/bin/chromium --version').toString().trim();
const im = stats(importMs);
const heap = stats(heapMb);
const rows = [
  ['import + merge of 10 files × 1 000 records (ms)', im.median, im.min, im.max, '≤ 1 000'],
  ['JS heap after the import (MB)', heap.median.toFixed(1), heap.min.toFixed(1), heap.max.toFixed(1), 'reported'],
];
const table = ['| measure | median | min | max | goal |', '| --- | ---: | ---: | ---: | --- |',
  ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
console.log(table);
const machine = `${cpus().length} × ${cpus()[0].model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${chromium}; ${RUNS} runs each`;
await writeFile(resolve(import.meta.dirname, '../../BENCHMARKS.md'), `# Benchmarks

Release build, headless Chromium, measured by \`scripts/bench.sh\` (\`tests/e2e/bench.mjs\`).
Machine: ${machine}.

${table}

The import is timed from handing the files to the page to the report being shown: reading
each file, checking it in full (format, schema, checksum, every record's fields), merging
into the ledger and one all-or-nothing write of the 10 000 new records to localStorage.
`);
