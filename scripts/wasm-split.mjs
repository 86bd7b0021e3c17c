// Code splitting under trunk 0.21 (called by post-build.mjs, in trunk's staging directory).
//
// cargo-leptos's `--split` runs, between cargo and wasm-bindgen: wasm-split (the
// wasm_split_cli_support crate) on cargo's wasm, linked with --emit-relocs; then wasm-bindgen
// --keep-lld-exports on the main part; then wasm-opt on every part. trunk 0.21 has no step
// between the two, so this hook does them again from cargo's wasm (still in target/), merges
// the chunks the first screens need (groupChunks) and puts the result over trunk's own JS
// and wasm, under trunk's names:
//   <name>.js / <name>_bg.wasm    the first load: wasm-bindgen's glue and the main wasm;
//   __wasm_split-<hash>.js        the split loader, imported by the glue;
//   <split or chunk>-<hash>.wasm  fetched by the loader on the first call of a #[lazy] fn
//                                 (the chunks a first screen needs merged into a few).
// The SRI hashes in index.html are made anew, and the lazy files are handed to the service
// worker (which otherwise keeps only what index.html names) so that they work offline.
//
// Nothing happens unless cargo's wasm has split points (the `split` feature).
//
// A release build's JavaScript (the glue and the loader) is minified with terser (setup.sh).
// A debug build (`trunk serve`, `trunk build` without --release: trunk sets TRUNK_PROFILE to
// "debug") is for the dev loop: its parts are used as wasm-split and wasm-bindgen leave them
// (no chunks merged), as trunk itself runs no wasm-opt on a debug build. wasm-opt -Oz on
// every part of a debug wasm took minutes on each rebuild.
import { readFile, writeFile, readdir, rm, mkdtemp, copyFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { execFileSync, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { tmpdir, availableParallelism } from 'node:os';

// Same as index.html's data-wasm-opt / data-wasm-opt-params (trunk's own wasm-opt is off).
// The producers and target_features sections are dropped: the browser reads neither, and
// every part carries them (about 130 bytes each, over a hundred parts).
const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int'];
const WASM_OPT = ['-Oz', ...FEATURES, '--strip-producers', '--strip-target-features'];
// The parts a first screen loads (the #[lazy] functions of the officer's and the
// coordinator's home, src/app.rs, and the stored records' reader, src/state/records.rs, which
// every start with records loads), then the others in the order people usually come to them
// (a part not named here comes last): see groupChunks.
const FIRST_SCREEN_PARTS = ['officer_panels', 'coordinator_panels', 'stored'];
const LATER_PARTS = ['records', 'photos', 'follow_ups', 'officer_below', 'waiting', 'coordinator_below', 'report', 'docx', 'exchange', 'export', 'import',
  'settings', 'live_sync', 'sample'];
// What the main wasm calls the module of wasm-bindgen's glue functions (shortImportNames).
const GLUE_MODULE = 'g';
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
 * `wasm` with the body of its section `id` (if any) replaced by what `rewrite` returns for it:
 * `rewrite(start, end)` is given where the body lies in `wasm`.
 */
function withSection(wasm, id, rewrite) {
  const parts = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const [size, start] = leb(wasm, at + 1);
    const end = start + size;
    if (wasm[at] === id) {
      const body = rewrite(start, end);
      parts.push(Buffer.from([id]), uleb(body.length), body);
    } else parts.push(wasm.subarray(at, end));
    at = end;
  }
  return Buffer.concat(parts);
}

/**
 * Gives the functions the main wasm imports from wasm-bindgen's glue (module `module`) short
 * names: wasm-bindgen names each `__wbg_<name>_<16 hex digits>`, and the hashes, which brotli
 * cannot shrink, are written twice, in the wasm's import section and as keys in the glue,
 * both of which every first screen fetches (about 3.5 KB brotli of the wasm alone). The
 * module itself, `./<trunk's file name>_bg.js`, written once an import (about 350 times),
 * becomes GLUE_MODULE: the hash in trunk's name changed every build, and with it the
 * wasm's brotli size by up to 180 bytes. Returns the new wasm and the names to replace in
 * the glue.
 */
function shortImportNames(wasm, module) {
  const names = new Map();
  const renamed = withSection(wasm, 2, (start) => {
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
      const moduleOut = moduleName === module ? Buffer.concat([uleb(GLUE_MODULE.length), Buffer.from(GLUE_MODULE)]) : moduleBytes;
      body.push(moduleOut, uleb(Buffer.byteLength(field)), Buffer.from(field), wasm.subarray(from, p));
    }
    return Buffer.concat(body);
  });
  return { wasm: renamed, names };
}

/**
 * Gives the main wasm's exports named by a mangled Rust symbol short names, as
 * shortImportNames does for its imports: wasm-bindgen's closure shims
 * (`_ZN12wasm_bindgen7convert8closures1_6invoke17h<16 hex digits>E`), which the glue calls by
 * those names, each written in the wasm's export section and in the glue (about 250 bytes
 * brotli of every first screen). Returns the new wasm and the names to replace in the glue.
 */
function shortExportNames(wasm) {
  const names = new Map();
  const renamed = withSection(wasm, 7, (start) => {
    let [count, p] = leb(wasm, start);
    const body = [uleb(count)];
    for (let i = 0; i < count; i++) {
      let length;
      [length, p] = leb(wasm, p);
      let name = wasm.subarray(p, p + length).toString();
      const from = p + length;
      [, p] = leb(wasm, from + 1); // the kind, then the index
      if (name.startsWith('_ZN')) {
        const short = `__e${names.size.toString(36)}`;
        names.set(name, short);
        name = short;
      }
      body.push(uleb(Buffer.byteLength(name)), Buffer.from(name), wasm.subarray(from, p));
    }
    return Buffer.concat(body);
  });
  return { wasm: renamed, names };
}

/**
 * The loader wasm-split-cli writes, read back: the code before its parts, its chunks (each
 * with the chunks it needs) and its exports (the parts the main wasm loads by name).
 */
function parseLoader(loader) {
  const fetcher = String.raw`makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([\w-]+)\.wasm", import\.meta\.url\)\);\s*src\.catch\(\(\) => \{\}\);\s*return async \(imports\) => (?:debugWrap)?\(WebAssembly\.instantiateStreaming\(src, imports\)\);\s*\}\s*, \[([^\]]*)\]\)`;
  const numbers = (list) => [...list.matchAll(/__chunk_(\d+)/g)].map((m) => Number(m[1]));
  const chunks = [...loader.matchAll(new RegExp(String.raw`const __chunk_(\d+) = ${fetcher};`, 'g'))]
    .map((m) => ({ n: Number(m[1]), file: m[2], deps: numbers(m[3]) }));
  const exports = [...loader.matchAll(new RegExp(String.raw`export const (__wasm_split_load_\w+) = wrapAsyncCb\(${fetcher}\);`, 'g'))]
    .map((m) => ({ name: m[1], file: m[2], deps: numbers(m[3]) }));
  const known = new Set(chunks.map((c) => c.n));
  const shapeOk = chunks.length > 0
    && chunks.every((c) => c.file === `chunk_${c.n}`)
    && [...chunks, ...exports].every((p) => p.deps.every((d) => known.has(d)))
    && (loader.match(/makeLoad\(/g) ?? []).length === chunks.length + exports.length + 1
    && (loader.match(/^export /gm) ?? []).length === exports.length;
  if (!shapeOk) throw new Error('wasm-split: the loader does not have the shape parseLoader expects');
  const header = loader.slice(0, loader.indexOf('const __chunk_')).replace(/\/\*[^\n]*\*\/\s*$/, '');
  // A debug build's loader wraps each instantiation to explain a module from another build.
  const debugWrap = /^async function debugWrap\(/m.test(header);
  return { header, debugWrap, chunks, exports };
}

/**
 * wasm-split-cli puts each function that several parts use into a chunk of its own for each
 * set of parts that use it: the officer's home, which loads one part, fetched ~100 chunks and
 * the coordinator's ~175, the record pages ~200, each a module and a request of its own,
 * compressed apart. Here the chunks a first screen's part needs become one module per set of
 * first-screen parts that need them (at most seven for three such parts), so that a first
 * screen fetches its parts and a few modules, each compressed as a whole, and no first screen
 * fetches code another one alone needs. Every other chunk joins the module of the first of
 * the later parts, in `laterParts`' order, that needs it: a part fetches its own module and
 * those of the parts before it that it shares code with, usually already loaded on the pages
 * shown before it (with `laterParts` null, every other chunk stays on its own). Returns the
 * chunks after grouping, each with the files it is made of and the chunks it needs (indexes
 * into the list), and the exports with the chunks they need.
 */
function groupChunks({ chunks, exports }, firstScreenParts, laterParts) {
  const byNumber = new Map(chunks.map((c) => [c.n, c]));
  const closure = (deps) => {
    const seen = new Set();
    const stack = [...deps];
    while (stack.length) {
      const n = stack.pop();
      if (!seen.has(n)) { seen.add(n); stack.push(...byNumber.get(n).deps); }
    }
    return seen;
  };
  const named = (name) => {
    const part = exports.find((e) => e.name === `__wasm_split_load_${name}`);
    if (!part) throw new Error(`wasm-split: no part ${name} (FIRST_SCREEN_PARTS and LATER_PARTS name #[lazy] functions)`);
    return part;
  };
  const usedBy = (parts) => {
    const users = new Map(chunks.map((c) => [c.n, []]));
    for (const part of parts) for (const n of closure(part.deps)) users.get(n).push(part.name);
    return users;
  };
  const firstScreens = usedBy(firstScreenParts.map(named));
  const listed = [...firstScreenParts, ...(laterParts ?? [])].map((name) => `__wasm_split_load_${name}`);
  const later = laterParts && usedBy([...laterParts.map(named), ...exports.filter((e) => !listed.includes(e.name))]);
  const groups = new Map();
  for (const c of chunks) {
    const key = firstScreens.get(c.n).length ? firstScreens.get(c.n).join('+') : later?.get(c.n)[0] ?? `chunk ${c.n}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  const list = [...groups.values()];
  const index = new Map(list.flatMap((members, i) => members.map((c) => [c.n, i])));
  const needs = (deps, self) => [...new Set(deps.map((n) => index.get(n)))].filter((i) => i !== self).sort((a, b) => a - b);
  return {
    chunks: list.map((members, i) => ({ members: members.map((c) => c.file), deps: needs(members.flatMap((c) => c.deps), i) })),
    exports: exports.map((e) => ({ ...e, deps: needs(e.deps) })),
  };
}

/**
 * One module made of several of wasm-split's chunks (binaryen's wasm-merge). Every chunk
 * imports the main wasm's memory, function table and stack pointer from "__wasm_split";
 * wasm-merge would keep one import of each per chunk, so the chunks are merged with a module
 * that imports them once (from a placeholder name) and exports them under "__wasm_split",
 * and the placeholder becomes "__wasm_split" again in the text of the result. The chunks have
 * no exports of their own: each puts its functions into the shared table and its data into
 * memory when instantiated, as the merged module does for all of them.
 */
async function mergeChunks(files, out) {
  const imports = new Map();
  for (const file of files) {
    const { stdout } = await runAsync('wasm-dis', [file], { maxBuffer: 1 << 28 });
    for (const [, field, kind, type] of stdout.matchAll(/^ \(import "__wasm_split" "([\w$]+)" \((memory|table|global) \$\S+ ([^\n]*)\)\)$/gm)) {
      imports.set(field, { kind, type });
    }
  }
  const host = '__wasm_split_host';
  const stub = `(module\n${[...imports].map(([field, { kind, type }], i) =>
    ` (import "${host}" "${field}" (${kind} $i${i} ${type}))\n (export "${field}" (${kind} $i${i}))\n`).join('')})\n`;
  const stubFile = `${out}.stub.wat`;
  await writeFile(stubFile, stub);
  const merged = `${out}.merged.wasm`;
  await runAsync('wasm-merge', [...FEATURES, stubFile, '__wasm_split', ...files.flatMap((f, i) => [f, `m${i}`]), '-o', merged], { maxBuffer: 1 << 26 });
  const { stdout } = await runAsync('wasm-dis', [merged], { maxBuffer: 1 << 28 });
  const text = stdout.replaceAll(`(import "${host}" `, '(import "__wasm_split" ').replace(/^ \(export "[^\n]*\n/gm, '');
  if (text.includes(host) || /^ \(export /m.test(text)) throw new Error(`wasm-split: merging ${files.length} chunks left exports behind`);
  await writeFile(`${out}.wat`, text);
  await runAsync('wasm-opt', [...FEATURES, `${out}.wat`, '-o', out], { maxBuffer: 1 << 26 });
}

/**
 * Leptos always builds server_fn with its "browser" feature, which brings wasm-streams and
 * its three #[wasm_bindgen] classes (IntoUnderlyingSource, -Sink, -ByteSource: Rust streams
 * handed to a JavaScript ReadableStream, for server functions' streaming bodies). This app
 * has no server functions and never makes one, but wasm-bindgen exports them all the same,
 * which keeps their code in the main wasm and their classes in the glue: about 1.2 KB brotli
 * of every first screen. Both go here, from wasm-bindgen's output in `bg`, before wasm-opt;
 * when the glue does not read as expected, both stay (and the size check would tell).
 */
async function dropStreamClasses(bg, stem) {
  const gluePath = join(bg, `${stem}.js`);
  const wasmPath = join(bg, `${stem}_bg.wasm`);
  const glue = (await readFile(gluePath, 'utf8'))
    .replace(/^export class (IntoUnderlying\w*) \{\n[\s\S]*?^if \(Symbol\.dispose\) \1\.prototype\[Symbol\.dispose\] = \1\.prototype\.free;\n/gm, '')
    .replace(/^const IntoUnderlying\w*Finalization = [^;]*;\n/gm, '');
  if (/intounderlying/i.test(glue)) {
    console.warn('wasm-split: the glue names wasm-streams\' classes in a way not known here; they stay');
    return;
  }
  const wasm = await readFile(wasmPath);
  const trimmed = withSection(wasm, 7, (start) => {
    let [count, p] = leb(wasm, start);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const from = p;
      let length;
      [length, p] = leb(wasm, p);
      const name = wasm.subarray(p, p + length).toString();
      [, p] = leb(wasm, p + length + 1); // the kind, then the index
      if (!/^(__wbg_)?intounderlying/.test(name)) kept.push(wasm.subarray(from, p));
    }
    return Buffer.concat([uleb(kept.length), ...kept]);
  });
  await writeFile(wasmPath, trimmed);
  await writeFile(gluePath, glue);
}

/** A constant expression from `at` to its `end`: [the offset after it, whether it is `ref.null`]. */
function constantExpression(bytes, at) {
  const start = at;
  while (bytes[at] !== 0x0b) {
    const op = bytes[at++];
    if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) [, at] = leb(bytes, at); // *.const, global.get, ref.func
    else if (op === 0xd0) at++; // ref.null, its heap type (func or extern: one byte)
    else throw new Error(`wasm-split: constant expression opcode 0x${op.toString(16)} is not known here`);
  }
  return [at + 1, bytes[start] === 0xd0 && at - start === 2];
}

/**
 * wasm-split-cli leaves, in the main wasm, an element segment for each run of table slots
 * that a lazy part fills when it is fetched, every item `ref.null` (about 6 000 in some 400
 * segments): the slots a table starts with, so the segments change nothing but cost every
 * first screen 20 KB raw, 1.4 KB brotli. They are dropped, as are active segments with no
 * items; any other segment is kept. Nothing refers to an active segment after instantiation
 * but `table.init` and `elem.drop`, which would see the segments renumbered: the caller
 * checks that the module has neither.
 */
function dropNullElements(wasm) {
  return withSection(wasm, 9, (start, end) => {
    let [count, p] = leb(wasm, start);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const from = p;
      let flags, items;
      [flags, p] = leb(wasm, p);
      const active = (flags & 1) === 0;
      let onlyNull = true;
      if (active) {
        if (flags & 2) [, p] = leb(wasm, p); // table index
        [p] = constantExpression(wasm, p); // offset
      }
      if (flags & 3) p++; // element kind or reference type
      [items, p] = leb(wasm, p);
      for (let j = 0; j < items; j++) {
        let isNull = false;
        if (flags & 4) [p, isNull] = constantExpression(wasm, p);
        else [, p] = leb(wasm, p); // a function index
        onlyNull &&= isNull;
      }
      if (!(active && onlyNull)) kept.push(wasm.subarray(from, p));
    }
    if (p !== end) throw new Error('wasm-split: the element section is not as read');
    return Buffer.concat([uleb(kept.length), ...kept]);
  });
}

/**
 * The loader as wasm-split-cli writes it has, for each of its parts, a function that fetches
 * the part (the same five lines around the file's name) and the list of the chunks it needs
 * by name; every first screen fetches it. Written again here as one fetching function, a
 * table of the chunks' hashes and what each needs as ranges of chunk numbers ("15-30,42"),
 * resolved when a part is loaded. The exports (the parts the main wasm loads) keep their
 * names. `hashes` holds each chunk's hash, in order; `fileOf` gives an export's file name.
 */
function compactLoader({ header, debugWrap }, { chunks, exports }, hashes, fileOf) {
  const ranges = (numbers) => {
    const out = [];
    for (const n of numbers) {
      const last = out[out.length - 1];
      if (last && last[1] === n - 1) last[1] = n;
      else out.push([n, n]);
    }
    return out.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
  };
  const table = chunks.map((c, i) => `${hashes[i]}:${ranges(c.deps)}`).join('|');
  return `${header}
const chunks = [];
function fetchPart(name) {
    return () => {
        const src = fetch(new URL(\`./\${name}.wasm\`, import.meta.url));
        src.catch(() => {});
        return async (imports) => (${debugWrap ? 'debugWrap' : ''}(WebAssembly.instantiateStreaming(src, imports)));
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
    chunks[i] = makeLoad(fetchPart(\`chunk_\${i}-\${hash}\`), needs(spec));
});
${exports.map((e) => `export const ${e.name} = wrapAsyncCb(makeLoad(fetchPart("${fileOf(e)}"), needs("${ranges(e.deps)}")));`).join('\n')}
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
    await dropStreamClasses(bg, stem);

    const model = parseLoader(await readFile(join(work, '__wasm_split.js'), 'utf8'));
    // A debug build keeps wasm-split's chunks as they are: merging them (wasm-dis and
    // wasm-merge on unoptimised chunks) took minutes on each rebuild.
    const grouped = optimise ? groupChunks(model, FIRST_SCREEN_PARTS, LATER_PARTS) : groupChunks(model, [], null);
    // Each chunk after grouping as one file in `work`, named by its place in the loader.
    await pool(grouped.chunks.map((c, i) => [c, i]), availableParallelism(), async ([c, i]) => {
      const to = join(work, `group-${i}.wasm`);
      if (c.members.length === 1) await copyFile(join(work, `${c.members[0]}.wasm`), to);
      else await mergeChunks(c.members.map((m) => join(work, `${m}.wasm`)), to);
    });

    // wasm-opt every part (a release build), as many at once as there are cores; the lazy
    // ones are renamed with their content hash, 7 hex digits: the loader names all of them
    // and every first screen fetches it, where each further digit costs ~160 bytes brotli
    // per hundred parts, and a name is only ever compared with the same part's name in
    // another build (a changed part keeps its name once in 268 million).
    const mainWasm = join(dir, `${stem}_bg.wasm`);
    const lazyParts = [...grouped.chunks.map((_, i) => ({ from: `group-${i}`, stem: `chunk_${i}` })),
      ...grouped.exports.map((e) => ({ from: e.file, stem: e.file }))];
    const jobs = [[join(bg, `${stem}_bg.wasm`), mainWasm], ...lazyParts.map((p) => [join(work, `${p.from}.wasm`), join(work, `opt-${p.from}.wasm`)])];
    await pool(jobs, optimise ? availableParallelism() : jobs.length, async ([from, to]) => {
      if (!optimise) return copyFile(from, to);
      const { stderr } = await runAsync('wasm-opt', [...WASM_OPT, from, '-o', to], { maxBuffer: 1 << 26 });
      // wasm-split writes a names subsection that binaryen does not know: it only warns.
      const other = stderr.split('\n').filter((l) => l && !l.startsWith('warning: unknown name subsection'));
      if (other.length) process.stderr.write(other.join('\n') + '\n');
    });
    let main = await readFile(mainWasm);
    const { stdout: mainText } = await runAsync('wasm-dis', [mainWasm], { maxBuffer: 1 << 28 });
    if (!/\((table\.init|elem\.drop)\b/.test(mainText)) main = dropNullElements(main);
    const imports = shortImportNames(main, `./${stem}_bg.js`);
    const exports = shortExportNames(imports.wasm);
    if (!WebAssembly.validate(exports.wasm)) throw new Error('wasm-split: the main wasm is not valid after its rewriting');
    await writeFile(mainWasm, exports.wasm);
    const lazy = [];
    const hashOf = new Map();
    for (const part of lazyParts) {
      const data = await readFile(join(work, `opt-${part.from}.wasm`));
      hashOf.set(part.stem, hex(data, 7));
      const name = `${part.stem}-${hashOf.get(part.stem)}.wasm`;
      await writeFile(join(dir, name), data);
      lazy.push(name);
    }
    let loader = compactLoader(model, grouped, grouped.chunks.map((_, i) => hashOf.get(`chunk_${i}`)),
      (e) => `${e.file}-${hashOf.get(e.file)}`);
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
    const glueModule = `"./${stem}_bg.js":`;
    if (glueSource.split(glueModule).length !== 2) throw new Error(`wasm-split: the glue does not name ${glueModule} once`);
    glueSource = glueSource.replace(glueModule, `"${GLUE_MODULE}":`);
    for (const [long, short] of [...imports.names, ...exports.names]) {
      const before = glueSource;
      glueSource = glueSource.replace(new RegExp(`\\b${escape(long)}\\b`, 'g'), short);
      if (glueSource === before) throw new Error(`wasm-split: the glue does not name ${long}`);
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
