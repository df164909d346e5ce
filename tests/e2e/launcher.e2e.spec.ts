import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import path from 'node:path';
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

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function launch(): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(ports.api), DATA_DIR: dataDir, TEMPORAL_PORT: String(ports.temporal), TEMPORAL_UI_PORT: String(ports.ui), EMBEDDED_PG_PORT: String(ports.pg) };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  delete env.AUTH_LOCAL_KEY_FILE;
  return spawn(process.execPath, ['dist/src/launcher.js'], { cwd: root, env, stdio: 'ignore' });
}

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
    body: JSON.stringify({ procedure: 'objection-review', idempotencyKey: `launcher-${base}`, receivedAt: new Date().toISOString(), subject: { name: 'Launcher Co', uscc: '91350100M000100Y43' } }),
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
