import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stopLeftoverServer } from '../../src/infra/leftover-servers';
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

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await exitOf(child);
  }
  // After a failed test, servers a killed launcher left would hold the output pipes (and jest) open.
  await stopLeftoverServer('PostgreSQL', 'postgres', path.join(dataDir, 'postgres'), 'SIGINT', () => undefined);
  await stopLeftoverServer('Temporal dev server', 'temporal', path.join(dataDir, 'temporal.db'), 'SIGKILL', () => undefined);
});

const outputs = new WeakMap<ChildProcess, string[]>();
const outputOf = (p: ChildProcess) => outputs.get(p)!.join('');

function launch(overrides: { api?: number; ui?: number } = {}): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(overrides.api ?? ports.api),
    DATA_DIR: dataDir,
    TEMPORAL_PORT: String(ports.temporal),
    TEMPORAL_UI_PORT: String(overrides.ui ?? ports.ui),
    EMBEDDED_PG_PORT: String(ports.pg),
  };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  delete env.AUTH_LOCAL_KEY_FILE;
  const p = spawn(process.execPath, ['dist/src/launcher.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  outputs.set(p, chunks);
  p.stdout!.on('data', (d) => chunks.push(String(d)));
  p.stderr!.on('data', (d) => chunks.push(String(d)));
  return p;
}

const exitOf = (p: ChildProcess) => (p.exitCode !== null ? Promise.resolve(p.exitCode) : new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code))));
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
