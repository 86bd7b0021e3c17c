// Code splitting under trunk 0.21 (called by post-build.mjs, in trunk's staging directory).
//
// cargo-leptos's `--split` runs, between cargo and wasm-bindgen: wasm-split (the
// wasm_split_cli_support crate) on cargo's wasm, linked with --emit-relocs; then wasm-bindgen
// --keep-lld-exports on the main part; then wasm-opt on every part. trunk 0.21 has no step
// between the two, so this hook does them again from cargo's wasm (still in target/) and
// puts the result over trunk's own JS and wasm, under trunk's names:
//   <name>.js / <name>_bg.wasm    the first load: wasm-bindgen's glue and the main wasm;
//   __wasm_split-<hash>.js        the split loader, imported by the glue;
//   <split or chunk>-<hash>.wasm  fetched by the loader on the first call of a #[lazy] fn.
// The SRI hashes in index.html are made anew, and the lazy files are handed to the service
// worker (which otherwise keeps only what index.html names) so that they work offline.
//
// Nothing happens unless cargo's wasm has split points (the `split` feature).
//
// A release build's JavaScript (the glue and the loader) is minified with terser (setup.sh).
// A debug build (`trunk serve`, `trunk build` without --release: trunk sets TRUNK_PROFILE to
// "debug") is for the dev loop: its parts are used as wasm-split and wasm-bindgen leave them,
// as trunk itself runs no wasm-opt on a debug build. wasm-opt -Oz on every part of a debug
// wasm took minutes on each rebuild.
import { readFile, writeFile, readdir, rm, mkdtemp, copyFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { execFileSync, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { tmpdir, availableParallelism } from 'node:os';

// Same as index.html's data-wasm-opt / data-wasm-opt-params (trunk's own wasm-opt is off).
// The producers and target_features sections are dropped: the browser reads neither, and
// every part carries them (about 130 bytes each, over a hundred parts).
const WASM_OPT = ['-Oz', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--strip-producers', '--strip-target-features'];
const hex = (data, digits = 16) => createHash('sha256').update(data).digest('hex').slice(0, digits);
const sri = (data) => 'sha384-' + createHash('sha384').update(data).digest('base64');
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const runAsync = promisify(execFile);
/** Runs `job` on every item, `limit` at a time. */
async function pool(items, limit, job) {
  const queue = [...items];
  const worker = async () => { while (queue.length) await job(queue.shift()); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Unsigned LEB128 at `at` in `bytes`: [value, the offset after it]. */
function leb(bytes, at) {
  let value = 0, shift = 0, byte;
  do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [value, at];
}
const uleb = (value) => {
  const out = [];
  do { let byte = value & 0x7f; value = Math.floor(value / 128); if (value) byte |= 0x80; out.push(byte); } while (value);
  return Buffer.from(out);
};

/**
 * Gives the functions the main wasm imports from wasm-bindgen's glue (module `module`) short
 * names: wasm-bindgen names each `__wbg_<name>_<16 hex digits>`, and the hashes, which brotli
 * cannot shrink, are written twice, in the wasm's import section and as keys in the glue,
 * both of which every first screen fetches (about 3.5 KB brotli of the wasm alone). Returns
 * the new wasm and the names to replace in the glue.
 */
function shortImportNames(wasm, module) {
  const names = new Map();
  const parts = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = leb(wasm, at + 1);
    const end = start + size;
    if (id !== 2) { parts.push(wasm.subarray(at, end)); at = end; continue; }
    let [count, p] = leb(wasm, start);
    const body = [uleb(count)];
    for (let i = 0; i < count; i++) {
      let length;
      [length, p] = leb(wasm, p);
      const moduleName = wasm.subarray(p, p + length).toString();
      const moduleBytes = wasm.subarray(p - uleb(length).length, p + length);
      p += length;
      [length, p] = leb(wasm, p);
      let field = wasm.subarray(p, p + length).toString();
      p += length;
      // The import's description: a function's type index, a table, a memory or a global.
      const from = p;
      const kind = wasm[p++];
      if (kind === 0) [, p] = leb(wasm, p);
      else if (kind === 1 || kind === 2) {
        if (kind === 1) p++;
        let flags; [flags, p] = leb(wasm, p); [, p] = leb(wasm, p);
        if (flags & 1) [, p] = leb(wasm, p);
      } else if (kind === 3) p += 2;
      else throw new Error(`wasm-split: import kind ${kind} is not known here`);
      if (moduleName === module && /^__wbg|^__wbindgen/.test(field)) {
        const short = `__i${names.size.toString(36)}`;
        names.set(field, short);
        field = short;
      }
      body.push(moduleBytes, uleb(Buffer.byteLength(field)), Buffer.from(field), wasm.subarray(from, p));
    }
    const section = Buffer.concat(body);
    parts.push(Buffer.from([2]), uleb(section.length), section);
    at = end;
  }
  return { wasm: Buffer.concat(parts), names };
}

/**
 * The loader as wasm-split-cli writes it has, for each of its ~320 parts, a function that
 * fetches the part (the same five lines around the file's name) and the list of the chunks
 * it needs by name; every first screen fetches it. Written again here as one fetching
 * function, a table of the chunks' hashes and what each needs as ranges of chunk numbers
 * ("15-30,42"), resolved when a part is loaded: about 1.5 KB less brotli on each first
 * screen. The exports (the parts the main wasm loads) keep their names.
 */
function compactLoader(loader) {
  const fetcher = String.raw`makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([\w-]+)\.wasm", import\.meta\.url\)\);\s*src\.catch\(\(\) => \{\}\);\s*return async \(imports\) => \(WebAssembly\.instantiateStreaming\(src, imports\)\);\s*\}\s*, \[([^\]]*)\]\)`;
  const chunkDefinition = new RegExp(String.raw`const __chunk_(\d+) = ${fetcher};`, 'g');
  const exportDefinition = new RegExp(String.raw`export const (__wasm_split_load_\w+) = wrapAsyncCb\(${fetcher}\);`, 'g');
  const ranges = (list) => {
    const numbers = [...list.matchAll(/__chunk_(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    const out = [];
    for (const n of numbers) {
      const last = out[out.length - 1];
      if (last && last[1] === n - 1) last[1] = n;
      else out.push([n, n]);
    }
    return out.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
  };
  const chunks = [...loader.matchAll(chunkDefinition)].map((m) => ({ n: Number(m[1]), file: m[2], deps: ranges(m[3]) }));
  const exports = [...loader.matchAll(exportDefinition)].map((m) => ({ name: m[1], file: m[2], deps: ranges(m[3]) }));
  const first = chunks[0]?.n;
  const shapeOk = chunks.length > 0
    && chunks.every((c, i) => c.n === first + i && c.file.startsWith(`chunk_${c.n}-`))
    && (loader.match(/makeLoad\(/g) ?? []).length === chunks.length + exports.length + 1
    && (loader.match(/^export /gm) ?? []).length === exports.length;
  if (!shapeOk) throw new Error('wasm-split: the loader does not have the shape compactLoader expects');
  const header = loader.slice(0, loader.indexOf('const __chunk_')).replace(/\/\*[^\n]*\*\/\s*$/, '');
  const table = chunks.map((c) => `${c.file.slice(`chunk_${c.n}-`.length)}:${c.deps}`).join('|');
  return `${header}
const chunks = [];
function fetchPart(name) {
    return () => {
        const src = fetch(new URL(\`./\${name}.wasm\`, import.meta.url));
        src.catch(() => {});
        return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
    };
}
function needs(spec) {
    return { map: (f) => spec.split(",").filter(Boolean).flatMap((range) => {
        const [from, to = from] = range.split("-").map(Number);
        return Array.from({ length: to - from + 1 }, (_, i) => f(chunks[from + i]));
    }) };
}
"${table}".split("|").forEach((entry, i) => {
    const [hash, spec] = entry.split(":");
    chunks[${first} + i] = makeLoad(fetchPart(\`chunk_\${${first} + i}-\${hash}\`), needs(spec));
});
${exports.map((e) => `export const ${e.name} = wrapAsyncCb(makeLoad(fetchPart("${e.file}"), needs("${e.deps}")));`).join('\n')}
`;
}

/** Splits the build in `dir` (trunk's staging directory); returns the lazily loaded files. */
export async function split(dir) {
  const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
  const profile = process.env.TRUNK_PROFILE ?? 'release';
  const optimise = profile !== 'debug';
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(source, 'target');
  const input = join(targetDir, 'wasm32-unknown-unknown', profile, 'field-ledger.wasm');
  const raw = await readFile(input);
  if (!raw.includes('__wasm_split_placeholder__')) return [];

  const indexPath = join(dir, 'index.html');
  let html = await readFile(indexPath, 'utf8');
  const stem = html.match(/(field-ledger-[0-9a-f]+)\.js/)?.[1];
  if (!stem) throw new Error('wasm-split: no field-ledger-*.js in index.html');

  const work = await mkdtemp(join(tmpdir(), 'field-ledger-split-'));
  try {
    const started = Date.now();
    run(process.env.WASM_SPLIT_CLI ?? 'wasm-split-cli', [input, work, '--target', 'web', '--out-name', stem]);
    const bg = join(work, 'bg');
    run('wasm-bindgen', ['--target=web', '--keep-lld-exports', '--no-demangle', '--no-typescript',
      `--out-dir=${bg}`, `--out-name=${stem}`, join(work, `${stem}.wasm`)]);
    if ((await readdir(bg)).includes('snippets')) {
      throw new Error('wasm-split: wasm-bindgen snippets are not handled here');
    }

    // wasm-opt every part (a release build), as many at once as there are cores; the lazy
    // ones are renamed with their content hash, 7 hex digits: the loader names all ~320 of
    // them and every first screen fetches it, where each further digit costs ~160 bytes
    // brotli, and a name is only ever compared with the same part's name in another build
    // (a changed part keeps its name once in 268 million).
    const mainWasm = join(dir, `${stem}_bg.wasm`);
    const parts = (await readdir(work)).filter((f) => f.endsWith('.wasm') && f !== `${stem}.wasm`);
    const jobs = [[join(bg, `${stem}_bg.wasm`), mainWasm], ...parts.map((f) => [join(work, f), join(work, `opt-${f}`)])];
    await pool(jobs, optimise ? availableParallelism() : jobs.length, async ([from, to]) => {
      if (!optimise) return copyFile(from, to);
      const { stderr } = await runAsync('wasm-opt', [...WASM_OPT, from, '-o', to], { maxBuffer: 1 << 26 });
      // wasm-split writes a names subsection that binaryen does not know: it only warns.
      const other = stderr.split('\n').filter((l) => l && !l.startsWith('warning: unknown name subsection'));
      if (other.length) process.stderr.write(other.join('\n') + '\n');
    });
    const renamed = shortImportNames(await readFile(mainWasm), `./${stem}_bg.js`);
    await writeFile(mainWasm, renamed.wasm);
    let loader = await readFile(join(work, '__wasm_split.js'), 'utf8');
    const lazy = [];
    for (const file of parts.sort()) {
      const data = await readFile(join(work, `opt-${file}`));
      const name = `${file.replace(/\.wasm$/, '')}-${hex(data, 7)}.wasm`;
      await writeFile(join(dir, name), data);
      loader = loader.replaceAll(`"./${file}"`, `"./${name}"`);
      lazy.push(name);
    }
    loader = compactLoader(loader);
    // A release build's JavaScript is minified here: trunk's own minifier ran before this hook.
    const minify = async (code, name) => {
      if (!optimise) return code;
      const from = join(work, `min-in-${name}`);
      const to = join(work, `min-out-${name}`);
      await writeFile(from, code);
      await runAsync('terser', [from, '--module', '--compress', '--mangle', '--output', to]);
      return readFile(to, 'utf8');
    };
    loader = await minify(loader, 'loader.js');
    const loaderName = `__wasm_split-${hex(loader)}.js`;
    await writeFile(join(dir, loaderName), loader);

    // Only the import statements: the wasm's own import module stays "./__wasm_split.js".
    let glueSource = (await readFile(join(bg, `${stem}.js`), 'utf8')).replaceAll('from "./__wasm_split.js"', `from "./${loaderName}"`);
    for (const [long, short] of renamed.names) {
      const before = glueSource;
      glueSource = glueSource.replace(new RegExp(`\\b${escape(long)}\\b`, 'g'), short);
      if (glueSource === before) throw new Error(`wasm-split: the glue does not name the import ${long}`);
    }
    const glue = await minify(glueSource, 'glue.js');
    await writeFile(join(dir, `${stem}.js`), glue);

    // index.html: new SRI hashes for the glue and the wasm, and the loader preloaded beside
    // the glue (it is part of the first load, and the service worker keeps what is linked).
    const wasmData = await readFile(mainWasm);
    html = html.replace(new RegExp(`(href="([^"]*)${escape(stem)}\\.js"[^>]*integrity=")[^"]+"`), (_, head) => `${head}${sri(glue)}"`);
    html = html.replace(new RegExp(`(href="([^"]*)${escape(stem)}_bg\\.wasm"[^>]*integrity=")[^"]+"`), (_, head) => `${head}${sri(wasmData)}"`);
    html = html.replace(new RegExp(`<link rel="modulepreload" href="([^"]*)${escape(stem)}\\.js"`), (link, base) =>
      `<link rel="modulepreload" href="${base}${loaderName}" crossorigin="anonymous" integrity="${sri(loader)}">${link}`);
    if (!html.includes(loaderName)) throw new Error('wasm-split: could not link the loader in index.html');
    await writeFile(indexPath, html);
    console.log(`wasm-split: ${lazy.length} lazy wasm files, in ${Date.now() - started} ms${optimise ? '' : ' (debug build: no wasm-opt)'}`);
    return lazy;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
