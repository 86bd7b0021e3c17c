// A CouchDB for the sync tests: pouchdb-server (CouchDB's HTTP API in Node; CI has no
// CouchDB), set up by scripts/couchdb-setup.sh as a bureau's server would be, with a server
// admin (admin party off) and the database `ledger`.
//
//   const couch = await startCouch();
//   await couch.addUser('王海', 'secret', 'officer');
//   const { status, body } = await couch.request('GET', '/ledger/_all_docs');
//   await couch.stop();
//
// pouchdb-server runs with server/pouchdb-server-fixes.cjs preloaded, which fixes two ways
// in which it departs from CouchDB 3 (see that file). Not named *.test.mjs: it is a helper.
import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { realpathSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');
const SETUP = join(REPO, 'scripts/couchdb-setup.sh');
const FIXES = join(REPO, 'server/pouchdb-server-fixes.cjs');
const TOOLS_DIR = process.env.FIELD_LEDGER_TOOLS ?? join(homedir(), '.local/share/field-ledger');
/** The pouchdb-server script (FL_POUCHDB_SERVER overrides; setup.sh installs it). */
/**
 * `_all_docs` of every document. pouchdb-server 4.2.0 leaves out ids past U+00FF (a record
 * of 王海 is `王海:<id>`) unless the end key says otherwise; CouchDB lists them all anyway.
 */
export const ALL_DOCS = `_all_docs?endkey=${encodeURIComponent(JSON.stringify('\uffff'))}`;

export const POUCHDB_SERVER = process.env.FL_POUCHDB_SERVER
  ?? join(TOOLS_DIR, 'pouchdb-server/node_modules/.bin/pouchdb-server');
const DB = 'ledger';
const MAX_LOG = 64 * 1024;

// Every server still running, killed when the test process exits whatever the reason.
const running = new Set();
// Their folders, removed then too.
const folders = new Set();
const killAll = () => {
  for (const child of running) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  running.clear();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  folders.clear();
};
process.on('exit', killAll);
// A signal ends the process without 'exit': kill the servers, then let the signal do what it
// would have done (unless someone else, e.g. Playwright, handles it too).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

/** A port free on 127.0.0.1 now. */
async function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

const delay = (ms) => new Promise((ok) => setTimeout(ok, ms));

const basic = ({ name, password }) =>
  'Basic ' + Buffer.from(`${name}:${password}`, 'utf8').toString('base64');

/** Runs a command; resolves with its output, rejects with it (and the exit status). */
function run(file, args) {
  return new Promise((ok, fail) => {
    execFile(file, args, { cwd: REPO, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${file} ${args[0]}… failed (${error.code}):\n${stdout}${stderr}`));
      else ok(stdout);
    });
  });
}

/**
 * Starts pouchdb-server on 127.0.0.1 at a free port, in memory, or with `onDisk` in a fresh
 * folder (its working directory: pouchdb-server keeps its databases, config.json and
 * log.txt there). Makes a server admin with a random password, and runs
 * scripts/couchdb-setup.sh for the database `ledger` (with `origin`, CORS for it too).
 *
 * Returns:
 *   url         the server's root, e.g. http://127.0.0.1:40123
 *   admin       { name, password } of the server admin
 *   db          'ledger'
 *   addUser(name, password, role)   role 'officer' or 'coordinator' (couchdb-setup.sh add-user)
 *   request(method, path, body, { auth, headers, raw })
 *               JSON request to url + path; `auth`: { name, password }, the admin by default,
 *               null for none. Resolves with { status, body (parsed JSON, else text; with
 *               `raw`, the bytes as a Buffer), headers }.
 *   restart()   stops the server and starts it again on the same port and folder (on disk,
 *               everything is kept; in memory, the server comes back empty and is set up
 *               again, users gone)
 *   deleteDb()  deletes `ledger`;  recreateDb()  deletes it and runs the setup again
 *   logs()      what the server has printed (for a failing test's message)
 *   stop()      kills the server (its process group) and removes its folder
 */
export async function startCouch({ onDisk = false, origin } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'field-ledger-couch-'));
  folders.add(dir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const admin = { name: 'admin', password: randomBytes(12).toString('hex') };
  let child = null;
  let output = '';
  let exited = null;

  const launch = async () => {
    output = '';
    const args = ['-r', FIXES, realpathSync(POUCHDB_SERVER), '--port', String(port), '--host', '127.0.0.1', '-n'];
    if (!onDisk) args.push('--in-memory');
    // Its own process group (detached), so that stop() can kill it with all it started.
    child = spawn(process.execPath, args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const collect = (chunk) => { output = (output + chunk).slice(-MAX_LOG); };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    exited = new Promise((ok) => child.once('exit', (code, signal) => {
      running.delete(child);
      ok({ code, signal });
    }));
    let gone = null;
    exited.then((how) => { gone = how; });
    // Until GET / answers (no fixed sleeps).
    const deadline = Date.now() + 20000;
    for (;;) {
      if (gone) throw new Error(`pouchdb-server exited (${gone.code ?? gone.signal}) on start:\n${await logs()}`);
      try {
        const res = await fetch(url + '/', { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.ok) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        await kill();
        throw new Error(`pouchdb-server did not answer at ${url} within 20 s:\n${await logs()}`);
      }
      await delay(50);
    }
  };

  const kill = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
    const done = await Promise.race([exited.then(() => true), delay(3000).then(() => false)]);
    if (!done) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      await exited;
    }
  };

  const logs = async () => {
    let file = '';
    try { file = await readFile(join(dir, 'log.txt'), 'utf8'); } catch { /* none yet */ }
    return `${output}${file ? `\n--- log.txt (end)\n${file.slice(-8000)}` : ''}`;
  };

  const request = async (method, path, body, { auth = admin, headers = {}, raw = false } = {}) => {
    const h = { accept: raw ? '*/*' : 'application/json', ...headers };
    if (auth) h.authorization = basic(auth);
    if (body !== undefined) h['content-type'] ??= 'application/json';
    const res = await fetch(url + path, {
      method, headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (raw) return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
    const text = await res.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers };
  };

  // Admin party off: the first admin can be made without credentials. It is kept in the
  // folder's config.json, so a server restarted there still has it.
  const ensureAdmin = async () => {
    const probe = await request('GET', '/_session', undefined);
    if (probe.body?.userCtx?.roles?.includes('_admin')) return;
    const res = await request('PUT', `/_config/admins/${encodeURIComponent(admin.name)}`, JSON.stringify(admin.password), { auth: null });
    if (res.status !== 200) throw new Error(`cannot create the server admin: ${res.status} ${JSON.stringify(res.body)}`);
  };

  const setup = () => run('bash', [SETUP, url, admin.name, admin.password, DB, ...(origin ? [origin] : [])]);

  const start = async () => {
    await launch();
    try {
      await ensureAdmin();
      await setup();
    } catch (e) {
      const log = await logs();
      await kill();
      throw new Error(`${e.message}\n--- pouchdb-server output\n${log}`);
    }
  };

  try {
    await start();
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    folders.delete(dir);
    throw e;
  }

  const deleteDb = async () => {
    const res = await request('DELETE', `/${DB}`);
    if (res.status !== 200 && res.status !== 404) throw new Error(`DELETE /${DB}: ${res.status} ${JSON.stringify(res.body)}`);
  };

  let stopped = false;
  return {
    url,
    admin,
    db: DB,
    dir,
    get pid() { return child?.pid; },
    addUser: async (name, password, role = 'officer') => {
      await run('bash', [SETUP, 'add-user', url, admin.name, admin.password, name, password, role]);
    },
    request,
    restart: async () => {
      await kill();
      await start();
    },
    deleteDb,
    recreateDb: async () => {
      await deleteDb();
      await setup();
    },
    logs,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await kill();
      rmSync(dir, { recursive: true, force: true });
      folders.delete(dir);
    },
  };
}
