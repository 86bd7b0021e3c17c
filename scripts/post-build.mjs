// trunk post_build hook (see Trunk.toml), run in trunk's staging directory:
// 1. in a release build, takes the comments and indentation out of the style sheets (every
//    first screen fetches main.css; trunk's own minifier rewrites index.html in ways this
//    hook cannot follow), main.css under a name from its new content;
// 2. moves trunk's inline module loader out of index.html into its own file, so that the
//    page runs under a Content-Security-Policy without 'unsafe-inline';
// 3. stamps the service worker with this build's id (a hash of the final index.html, which
//    names every hashed file, and of photos.css, which keeps its name), so that browsers
//    install each new deployment.
// Before both, wasm-split.mjs splits the wasm at the #[lazy] pages (`split` feature), and the
// lazily loaded files it makes are given to the service worker to keep.
import { readFile, writeFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { split } from './wasm-split.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('run by trunk: TRUNK_STAGING_DIR is not set');
const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

const lazy = await split(dir);
const indexPath = join(dir, 'index.html');
let html = await readFile(indexPath, 'utf8');

/** CSS without its comments, indentation and blank lines (no string in our sheets holds
 * a comment's marks or needs its spaces). */
const compactCss = (text) => text
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/^[ \t]+/gm, '')
  .replace(/\n{2,}/g, '\n')
  .trim() + '\n';
if ((process.env.TRUNK_PROFILE ?? 'release') !== 'debug') {
  const link = /href="([^"]*?)(main-[0-9a-f]+\.css)"([^>]*?)integrity="[^"]+"/;
  const found = html.match(link);
  if (!found) throw new Error('no main-<hash>.css link with its integrity in index.html');
  const css = compactCss(await readFile(join(dir, found[2]), 'utf8'));
  const name = `main-${hash(css)}.css`;
  await rm(join(dir, found[2]));
  await writeFile(join(dir, name), css);
  const integrity = 'sha384-' + createHash('sha384').update(css).digest('base64');
  html = html.replace(link, (_, base, _old, between) => `href="${base}${name}"${between}integrity="${integrity}"`);
  await writeFile(indexPath, html);
  const photos = join(dir, 'photos.css');
  await writeFile(photos, compactCss(await readFile(photos, 'utf8')));
}
const inline = /<script type="module">([\s\S]*?)<\/script>/;
const found = html.match(inline);
if (found) {
  const loader = found[1].trim() + '\n';
  const name = `loader-${hash(loader)}.js`;
  await writeFile(join(dir, name), loader);
  // Relative to <base href>, like trunk's own links.
  html = html.replace(inline, `<script type="module" src="${name}"></script>`);
  await writeFile(indexPath, html);
}
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('an inline script is left in index.html');

const swPath = join(dir, 'sw.js');
const sw = await readFile(swPath, 'utf8');
if (!sw.includes('/*__FIELD_LEDGER_LAZY_FILES__*/')) throw new Error('sw.js has no place for the lazy files');
// photos.css keeps its name (the photo part links it), so its text is part of the build id.
const photosCss = await readFile(join(dir, 'photos.css'), 'utf8');
await writeFile(swPath, sw
  .replace('__FIELD_LEDGER_BUILD_ID__', hash(html + photosCss))
  .replace('/*__FIELD_LEDGER_LAZY_FILES__*/', lazy.map((f) => JSON.stringify(f)).join(', ')));
