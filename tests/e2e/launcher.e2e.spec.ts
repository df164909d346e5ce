import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { descendantsOf, processInfo, stopLeftoverServer } from '../../src/infra/leftover-servers';
import { canConnect } from '../../src/infra/temporal-dev-server';
import { ensureBuilt } from '../support/build';
import { waitFor } from '../support/cases';
import { testTempDir } from '../support/temp';

// `npm start` as a user runs it: the built launcher with an embedded PostgreSQL and a Temporal dev server in a
// data folder. Ctrl-C (SIGINT) must stop everything; a second start must resume the running case.
const root = path.join(__dirname, '..', '..');
const dataDir = testTempDir('ldl-launcher-');
chmodSync(dataDir, 0o755);
// Below the ephemeral range (32768+) and apart from the ports the other suites draw.
const base = 32_000 + 4 * Math.floor(Math.random() * 190);
const ports = { api: base, temporal: base + 1, ui: base + 2, pg: base + 3 };
const url = `http://127.0.0.1:${ports.api}`;
let child: ChildProcess | undefined;

beforeAll(() => ensureBuilt(), 300_000);

// A second data folder, for the starts that are interrupted: the first of them must find it empty (initdb).
const interruptedDir = testTempDir('ldl-launcher-interrupted-');
chmodSync(interruptedDir, 0o755);

afterAll(async () => {
  for (const p of launched) {
    if (p.exitCode !== null || p.signalCode !== null) continue;
    p.kill('SIGKILL');
    await exitOf(p);
  }
  // After a failed test, servers a killed launcher left would hold the output pipes (and jest) open.
  for (const dir of [dataDir, interruptedDir]) {
    await stopLeftoverServer('PostgreSQL', 'postgres', path.join(dir, 'postgres'), 'SIGINT', () => undefined);
    await stopLeftoverServer('Temporal dev server', 'temporal', path.join(dir, 'temporal.db'), 'SIGKILL', () => undefined);
  }
}, 120_000);

const outputs = new WeakMap<ChildProcess, string[]>();
const launched: ChildProcess[] = [];
const outputOf = (p: ChildProcess) => outputs.get(p)!.join('');

function launch(overrides: { api?: number; ui?: number; dataDir?: string } = {}): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(overrides.api ?? ports.api),
    DATA_DIR: overrides.dataDir ?? dataDir,
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(overrides.ui ?? ports.ui),
    EMBEDDED_PG_PORT: String(ports.pg),
  };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  delete env.AUTH_LOCAL_KEY_FILE;
  // Its own process group, as under a terminal: a Ctrl-C there reaches the whole group (pressCtrlC).
  const p = spawn(process.execPath, ['dist/src/launcher.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const chunks: string[] = [];
  outputs.set(p, chunks);
  launched.push(p);
  p.stdout!.on('data', (d) => chunks.push(String(d)));
  p.stderr!.on('data', (d) => chunks.push(String(d)));
  return p;
}

const exitOf = (p: ChildProcess) => (p.exitCode !== null || p.signalCode !== null ? Promise.resolve(p.exitCode) : new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code))));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** The pid in PostgreSQL's lock file of the data folder, when it has one. */
const postmasterPid = () => {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
};

async function ready(): Promise<void> {
  await waitFor(async () => (await fetch(`${url}/health`).catch(() => undefined))?.status === 200, 90_000);
}

async function interrupt(p: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code)));
  p.kill('SIGINT');
  return exited;
}

/** What a terminal does on Ctrl-C: SIGINT to every process of the foreground group (the launcher, initdb, PostgreSQL). */
const pressCtrlC = (p: ChildProcess) => process.kill(-p.pid!, 'SIGINT');
const gone = (pid: number) => {
  const p = processInfo(pid);
  return !p || p.state === 'Z';
};

/** `npm run token -- <user>` as the README gives it, against the same data folder as the launcher. */
function token(user: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.AUTH_LOCAL_KEY_FILE;
  return execFileSync('npm', ['run', '--silent', 'token', '--', user], { cwd: root, env, encoding: 'utf8' }).trim();
}

it('starts everything with one command, stops it all on Ctrl-C, and resumes the running case on the next start', async () => {
  child = launch();
  await ready();
  expect((await fetch(`${url}/cases`)).status).toBe(401);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token('caseworker-a')}` };
  const me = await fetch(`${url}/me`, { headers });
  expect(await me.json()).toEqual({ user: 'caseworker-a', name: expect.any(String), roles: ['caseworker'], unit: 'a' });
  const filed = await fetch(`${url}/cases`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: `launcher-${base}`, receivedAt: new Date().toISOString(), subject: { name: 'Launcher Co', uscc: '91350100M000100Y43' } }),
  });
  expect(filed.status).toBe(201);
  const { id } = (await filed.json()) as { id: string };

  // The embedded PostgreSQL's password is the data folder's own, random, readable by its owner only.
  const passwordFile = path.join(dataDir, 'postgres-password');
  expect((statSync(passwordFile).mode & 0o777).toString(8)).toBe('600');
  expect(await loginCode(ports.pg, 'postgres')).toBe('28P01');
  expect(await loginCode(ports.pg, readFileSync(passwordFile, 'utf8').trim())).toBe('ok');

  expect(await interrupt(child)).toBe(0);
  for (const port of Object.values(ports)) expect({ port, open: await canConnect(port) }).toEqual({ port, open: false });

  child = launch();
  await ready();
  const marked = await fetch(`${url}/cases/${id}/actions`, { method: 'POST', headers, body: JSON.stringify({ action: 'mark-disputed' }) });
  expect(marked.status).toBe(200);
  expect(((await marked.json()) as { state: string }).state).toBe('under-review');
  expect(await interrupt(child)).toBe(0);
}, 240_000);

it('after the launcher is killed (SIGKILL), the next start stops the PostgreSQL and Temporal it left running and resumes; a second start on the same DATA_DIR is refused', async () => {
  child = launch();
  await ready();
  child.kill('SIGKILL');
  await exitOf(child);
  // What kill -9 (or OOM) leaves: the servers outlive their launcher and hold the data folder and the ports.
  const leftPg = postmasterPid()!;
  expect(alive(leftPg)).toBe(true);
  expect(await canConnect(ports.temporal)).toBe(true);

  child = launch();
  await ready();
  expect(outputOf(child)).toMatch(new RegExp(`PostgreSQL \\(pid ${leftPg}\\) was left running on .+ by an earlier start that ended without stopping it: stopping it`));
  expect(outputOf(child)).toMatch(/Temporal dev server \(pid \d+\) was left running on .+temporal\.db by an earlier start/);
  expect(alive(leftPg)).toBe(false);
  expect(postmasterPid()).not.toBe(leftPg);

  // Another start on the same folder (other API and UI ports) while this one runs: refused, naming both processes.
  const second = launch({ api: ports.api + 100, ui: ports.ui + 100 });
  expect(await exitOf(second)).toBe(1);
  expect(outputOf(second)).toMatch(new RegExp(`PostgreSQL on .+ already runs \\(pid ${postmasterPid()}\\) for another start \\(pid ${child.pid}\\): stop that one first, or set DATA_DIR`));
  expect((await fetch(`${url}/health`)).status).toBe(200);

  expect(await interrupt(child)).toBe(0);
  expect(postmasterPid()).toBeUndefined();
  for (const port of Object.values(ports)) expect({ port, open: await canConnect(port) }).toEqual({ port, open: false });
}, 240_000);

/** 'ok', or the SQLSTATE PostgreSQL refused the login `postgres` with (28P01: wrong password). */
async function loginCode(port: number, password: string): Promise<string> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await client.connect();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

// Each start is interrupted at another moment, found from the launcher's lines (and, for initdb, from the process
// itself); the next start on the same folder goes on where that one stopped, so each moment is reached for real.
const MOMENTS: { moment: string; line: RegExp; runs?: string; press: 'Ctrl-C' | 'SIGTERM' }[] = [
  { moment: 'initdb', line: /embedded PostgreSQL: initialising/, runs: 'initdb', press: 'Ctrl-C' },
  // initdb, stopped, cleaned its folder: this start initialises again, and is stopped once the server runs.
  { moment: 'PostgreSQL starting', line: /embedded PostgreSQL: /, runs: 'postgres', press: 'SIGTERM' },
  { moment: 'Temporal starting', line: /Temporal dev server: starting/, press: 'Ctrl-C' },
  { moment: 'migrations', line: /service: migrating/, press: 'Ctrl-C' },
  { moment: 'worker starting', line: /service: starting the worker/, press: 'SIGTERM' },
  { moment: 'API starting', line: /service: starting the API/, press: 'Ctrl-C' },
  { moment: 'running', line: /listening on/, press: 'Ctrl-C' },
];

it('Ctrl-C or SIGTERM at any moment of the start stops every process it started within seconds, and the next start still works', async () => {
  const results: { moment: string; code: number | null; withinMs: boolean; left: string[]; openPorts: number[] }[] = [];
  for (const { moment, line, runs, press } of MOMENTS) {
    const p = launch({ dataDir: interruptedDir });
    child = p;
    const started = new Map<number, string>();
    const watch = setInterval(() => {
      for (const d of descendantsOf(p.pid!)) started.set(d.pid, d.args.slice(0, 2).join(' '));
    }, 20);
    try {
      await waitFor(async () => line.test(outputOf(p)) || p.exitCode !== null, 120_000).catch(() => {
        throw new Error(`${moment}: ${line} not seen in 120 s; the launcher said:\n${outputOf(p).slice(-2000)}`);
      });
      if (runs) await waitFor(async () => [...started.values()].some((args) => path.basename(args.split(' ')[0]) === runs) || p.exitCode !== null, 60_000);
      expect({ moment, exited: p.exitCode, output: outputOf(p).slice(-400) }).toEqual({ moment, exited: null, output: expect.any(String) });
      const pressedAt = Date.now();
      if (press === 'Ctrl-C') pressCtrlC(p);
      else p.kill('SIGTERM');
      const code = await Promise.race([exitOf(p), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
      if (code === 'hung') p.kill('SIGKILL');
      await waitFor(async () => [...started.keys()].every(gone) || Date.now() - pressedAt > 10_000, 15_000);
      const withinMs = Date.now() - pressedAt < 10_000;
      const openPorts: number[] = [];
      for (const port of [ports.api, ports.temporal, ports.pg]) if (await canConnect(port)) openPorts.push(port);
      results.push({ moment, code: code === 'hung' ? null : code, withinMs, left: [...started].filter(([pid]) => !gone(pid)).map(([pid, args]) => `${pid} ${args}`), openPorts });
    } finally {
      clearInterval(watch);
    }
  }
  expect(results).toEqual(MOMENTS.map(({ moment }) => ({ moment, code: 0, withinMs: true, left: [], openPorts: [] })));
  expect(existsSync(path.join(interruptedDir, 'postgres', 'postmaster.pid'))).toBe(false);
}, 600_000);

it('a data folder still on the old fixed password postgres/postgres is switched to a random one at its next start; npm run reconcile works on it with no settings', async () => {
  child = launch({ dataDir: interruptedDir });
  await ready();
  const passwordFile = path.join(interruptedDir, 'postgres-password');
  const admin = new Client({ host: '127.0.0.1', port: ports.pg, user: 'postgres', password: readFileSync(passwordFile, 'utf8').trim(), database: 'postgres' });
  await admin.connect();
  await admin.query("ALTER ROLE postgres PASSWORD 'postgres'");
  await admin.end();
  expect(await interrupt(child)).toBe(0);
  rmSync(passwordFile);

  child = launch({ dataDir: interruptedDir });
  await ready();
  expect(outputOf(child)).toContain(`embedded PostgreSQL still had the fixed password postgres/postgres: switched to a random password, kept in ${passwordFile} (mode 0600)`);
  expect((statSync(passwordFile).mode & 0o777).toString(8)).toBe('600');
  expect(await loginCode(ports.pg, 'postgres')).toBe('28P01');
  expect(await loginCode(ports.pg, readFileSync(passwordFile, 'utf8').trim())).toBe('ok');

  // `npm run reconcile` with no settings, while the service runs: it uses the running servers and stops none.
  const whileRunning = await reconcileLocal(interruptedDir);
  expect({ status: whileRunning.status, out: whileRunning.stdout }).toEqual({ status: 0, out: expect.stringMatching(/case workflows: \d+, read-model rows: \d+.*\n.*no drift/) });
  expect((await fetch(`${url}/health`)).status).toBe(200);
  expect(await interrupt(child)).toBe(0);

  // …and with the service stopped: it starts the data folder's PostgreSQL and Temporal (and a worker) for the time of
  // the command, then stops them.
  const whileStopped = await reconcileLocal(interruptedDir);
  expect({ status: whileStopped.status, out: whileStopped.stdout, err: whileStopped.stderr }).toEqual({
    status: 0,
    out: expect.stringMatching(/no drift/),
    err: expect.stringMatching(/PostgreSQL is not running: starting it[\s\S]*Temporal is not running: starting[\s\S]*running one for this command/),
  });
  for (const port of [ports.pg, ports.temporal]) expect({ port, open: await canConnect(port) }).toEqual({ port, open: false });
  expect(existsSync(path.join(interruptedDir, 'postgres', 'postmaster.pid'))).toBe(false);
}, 300_000);

/** `npm run reconcile` as a user of a local install runs it: only the data folder and its ports, no settings. */
function reconcileLocal(dir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, TEMPORAL_PORT: String(ports.temporal), TEMPORAL_UI_PORT: String(ports.ui), EMBEDDED_PG_PORT: String(ports.pg) };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PAYLOAD_ENCRYPTION_KEYS', 'AUTH_LOCAL_KEY_FILE']) delete env[name];
  // Not spawnSync: the running launcher's output pipe must keep being read meanwhile.
  const p = spawn('npm', ['run', '--silent', 'reconcile'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  p.stdout!.on('data', (d) => (out.stdout += String(d)));
  p.stderr!.on('data', (d) => (out.stderr += String(d)));
  const timer = setTimeout(() => p.kill('SIGKILL'), 180_000);
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    p.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, ...out });
    }),
  );
}
