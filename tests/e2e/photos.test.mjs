// Tier 3: a photo of a training, as an officer takes it and the coordinator receives it, on
// the release build: taken (a generated camera image) → kept across a reload and an offline
// reload → exported in the zip → imported on a fresh tablet → the same photo, same hash. A
// zip with a hostile name is refused whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import JSZip from 'jszip';
import {
  testSession, serve, launchProfile, appReady, signIn, createRecord, download, importFiles,
  cameraImage, shownPhotos, bytesShown,
} from './harness.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** A JPEG's size from its start-of-frame marker; null when the bytes are not a JPEG. */
function jpegSize(bytes) {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  for (let at = 2; at + 9 < bytes.length;) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    const frame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (frame) return { width: bytes.readUInt16BE(at + 7), height: bytes.readUInt16BE(at + 5) };
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  return null;
}

test('a photo is taken, kept offline, exported in the zip and arrives on another tablet the same', async (t) => {
  const { server, page, errors } = await testSession(t);
  await signIn(page, server.url, '王建国');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  const recordUrl = await createRecord(page, server.url, 'trainings', { 'field-topic': '设施蔬菜栽培培训', 'field-attendance': '36' });

  await page.waitForSelector('#photo-input', { state: 'attached' });
  const image = await cameraImage(page);
  await page.setInputFiles('#photo-input', { name: 'IMG_0001.png', mimeType: 'image/png', buffer: image });
  const [hash] = await shownPhotos(page, 1);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(await bytesShown(page), [hash], 'the stored bytes are the ones the record names');
  assert.match(await page.textContent('.photo-outcome'), /已添加照片 1 张/);
  assert.equal((await page.textContent('.revision')).trim(), '2');

  // A caption, saved as the next revision.
  await page.fill('.photo-caption input', '大棚里的现场教学');
  await page.press('.photo-caption input', 'Tab');
  await page.waitForFunction(() => document.querySelector('.revision')?.textContent.trim() === '3');

  // Kept across a reload, and across an offline reload (the photo part and its style sheet
  // from the service worker, the bytes from IndexedDB).
  await page.reload();
  await appReady(page);
  assert.deepEqual(await shownPhotos(page, 1), [hash]);
  await server.stop();
  await page.reload();
  await appReady(page);
  assert.deepEqual(await shownPhotos(page, 1), [hash]);
  assert.deepEqual(await bytesShown(page), [hash]);
  assert.equal(await page.inputValue('.photo-caption input'), '大棚里的现场教学');
  // The full view.
  await page.click('.photo-open');
  await page.waitForSelector('.photo-viewer img.photo-full');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.photo-viewer', { state: 'detached' });
  // The list shows the record with its photo, small, at the end of its row (still offline).
  await page.goto(server.url + '/trainings');
  await appReady(page);
  await page.waitForFunction(() => {
    const thumb = document.querySelector('.record-row img.row-thumb');
    return thumb && thumb.complete && thumb.naturalWidth > 0 && getComputedStyle(thumb).objectFit === 'cover';
  });

  // Exported, still offline: a zip of the same JSON and the photo under its hash.
  await page.goto(server.url + '/exchange');
  await appReady(page);
  assert.equal(await page.isChecked('#export-include-photos'), true);
  const file = await download(page, '#export-json');
  assert.match(file.name, /^field-ledger-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = await JSZip.loadAsync(await readFile(file.path));
  const names = Object.keys(zip.files).sort();
  assert.equal(names.length, 2, names.join(', '));
  const jsonName = names.find((n) => n.endsWith('.json'));
  const photoName = names.find((n) => n.startsWith('photos/'));
  assert.match(photoName, new RegExp(`^photos/${hash}\\.(webp|jpg)$`));
  const photoBytes = await zip.file(photoName).async('nodebuffer');
  assert.equal(sha256(photoBytes), hash);
  assert.ok(photoBytes.length < image.length, `stored ${photoBytes.length} bytes, taken ${image.length}`);
  const envelope = JSON.parse(await zip.file(jsonName).async('string'));
  assert.equal(envelope.schema_version, 3);
  const [record] = envelope.records;
  assert.equal(record.photos.length, 1);
  assert.deepEqual(
    { hash: record.photos[0].hash, width: record.photos[0].width, height: record.photos[0].height, caption: record.photos[0].caption },
    { hash, width: 1600, height: 1200, caption: '大棚里的现场教学' },
  );
  assert.equal(record.photos[0].bytes, photoBytes.length);

  // Settings says what the photos take.
  await page.goto(server.url + '/settings');
  await appReady(page);
  assert.match(await page.textContent('#photo-usage'), new RegExp(`照片 1 张，约 ${(photoBytes.length / 1024).toFixed(1)} KB`));

  // A fresh tablet (the coordinator's) imports the zip: the same photo on the record's page.
  const other = await serve();
  const coordinator = await launchProfile();
  t.after(async () => { await coordinator.close(); await other.close(); });
  await signIn(coordinator.page, other.url, '李主任', 'coordinator');
  const [report] = await importFiles(coordinator.page, other.url, [file.path]);
  assert.equal(report.added, 1, JSON.stringify(report));
  assert.match(report.file, /已保存照片 1 张/);
  await coordinator.page.goto(other.url + new URL(recordUrl).pathname);
  await appReady(coordinator.page);
  assert.deepEqual(await shownPhotos(coordinator.page, 1), [hash]);
  assert.deepEqual(await bytesShown(coordinator.page), [hash]);

  // Marked as a typical case, the training shows its photo in the report, chosen by default,
  // and the Word file holds it as a JPEG of its size, which every Word shows (a WebP photo
  // drawn again, a JPEG as it is).
  const cp = coordinator.page;
  await cp.check('#typical-case');
  await cp.waitForFunction(() => document.querySelector('#typical-case').checked);
  const year = new Date().getFullYear();
  await cp.goto(`${other.url}/report?period=year&year=${year}`);
  await appReady(cp);
  await cp.waitForSelector(`figure.report-photo[data-hash="${hash}"] img`);
  await cp.waitForFunction(() => [...document.querySelectorAll('figure.report-photo img')].every((i) => i.complete && i.naturalWidth > 0));
  assert.equal(await cp.textContent('figure.report-photo figcaption'), '大棚里的现场教学');
  assert.ok(await cp.isChecked(`.report-photo-pick input[data-hash="${hash}"]`), 'chosen by default');
  const docx = await download(cp, '#download-docx');
  const word = await JSZip.loadAsync(await readFile(docx.path));
  const media = Object.keys(word.files).filter((n) => n.startsWith('word/media/') && !n.endsWith('/'));
  assert.equal(media.length, 1, media.join(', '));
  assert.match(media[0], /\.jpg$/);
  const inWord = await word.file(media[0]).async('nodebuffer');
  assert.deepEqual(jpegSize(inWord), { width: 1600, height: 1200 });
  if (photoName.endsWith('.jpg')) assert.equal(sha256(inWord), hash, 'a JPEG photo goes in as it is');
  const types = await word.file('[Content_Types].xml').async('string');
  assert.match(types, new RegExp(`Extension="${media[0].split('.').pop()}"`));
  // Left out of the report, it leaves the page and the next Word file.
  await cp.uncheck(`.report-photo-pick input[data-hash="${hash}"]`);
  await cp.waitForFunction(() => document.querySelector('figure.report-photo') === null);
  const without = await JSZip.loadAsync(await readFile((await download(cp, '#download-docx')).path));
  assert.deepEqual(Object.keys(without.files).filter((n) => n.startsWith('word/media/') && !n.endsWith('/')), []);
  // The choice is kept on the tablet: the report opened again leaves the photo out still.
  await cp.reload();
  await appReady(cp);
  await cp.waitForSelector(`.report-photo-pick input[data-hash="${hash}"]`);
  await cp.waitForSelector('#report h2');
  assert.equal(await cp.isChecked(`.report-photo-pick input[data-hash="${hash}"]`), false, 'still left out');
  assert.equal(await cp.$('figure.report-photo'), null);

  assert.deepEqual(errors, []);
  assert.deepEqual(coordinator.errors, []);
});

test('a zip with a name outside itself is refused whole, with the reason, and nothing is written', async (t) => {
  const { server, page } = await testSession(t, { officer: '李主任', role: 'coordinator' });
  const zip = new JSZip();
  zip.file('export.json', '{"format": "field-ledger-export"}');
  zip.file('../../evil.json', 'x');
  const dir = await mkdtemp(join(tmpdir(), 'fl-zip-'));
  const path = join(dir, 'hostile.zip');
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer' }));
  const before = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
  const [report] = await importFiles(page, server.url, [path]);
  assert.match(report.rejected ?? '', /压缩包里的文件名指向包外/);
  // The first entry outside itself is named (JSZip writes the folder `../` first).
  assert.match(report.rejected, /（\.\.\/）|\.\.\/\.\.\/evil\.json/);
  const after = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
  assert.equal(after, before);
});
