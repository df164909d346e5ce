import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { ensureLocalSigningKey } from '../../src/auth/local-signing-key';
import { projectRoot } from '../../src/config/paths';
import { ensureDatabase } from '../../src/db/migrate';
import { PayloadKeyRing } from '../../src/infra/payload-codec';
import { embeddedPostgresUrl } from '../../src/infra/embedded-postgres';
import { canConnect } from '../../src/infra/temporal-dev-server';
import { temporalCliPath } from '../../src/infra/tools';

export const FAULT_TASK_QUEUE = 'legal-deadlines-fault';
export const NAMESPACE = 'default';
const DATABASE = 'legal_deadlines_fault';

export type Role = 'api' | 'worker';

/**
 * Everything the fault suite runs, owned by it: an embedded PostgreSQL and a Temporal dev server with their data in a
 * temporary folder (both restartable on the same folder and port), and the service as separate OS processes — one
 * API-only and one worker-only `node dist/src/main.js`. A process that exits without being killed is restarted, as a
 * supervisor would, and counted.
 */
export class FaultWorld {
  readonly dir: string;
  readonly pgPort: number;
  readonly temporalPort: number;
  readonly apiPort: number;
  readonly keyFile: string;
  readonly payloadKeys = PayloadKeyRing.generateSetting('fault-suite');
  unplannedExits: { role: Role | 'temporal'; code: number | null; signal: string | null }[] = [];
  private pg?: ChildProcess;
  private temporal?: ChildProcess;
  private readonly children = new Map<Role, ChildProcess>();
  private readonly expectedExit = new Set<number>();
  private temporalConnection?: Connection;
  private stopping = false;

  constructor(private readonly log: (line: string) => void = () => undefined) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'ldl-fault-'));
    // Run as root, embedded-postgres starts the server as another user, who must reach its data folder.
    chmodSync(this.dir, 0o755);
    const base = 14_000 + 4 * Math.floor(Math.random() * 4_000);
    [this.pgPort, this.temporalPort, this.apiPort] = [base, base + 1, base + 2];
    this.keyFile = path.join(this.dir, 'auth', 'local-signing-key.json');
    mkdirSync(path.join(this.dir, 'logs'), { recursive: true });
  }

  get databaseUrl(): string {
    const url = embeddedPostgresUrl(path.join(this.dir, 'postgres'), this.pgPort, DATABASE);
    if (!url) throw new Error('the embedded PostgreSQL has not made its password file yet: start it first');
    return url;
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.temporalPort}`;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  async start(): Promise<void> {
    for (const port of [this.pgPort, this.temporalPort, this.apiPort, this.apiPort + 1]) {
      if (await canConnect(port)) throw new Error(`port ${port} is taken: run the fault suite again (ports are drawn at random)`);
    }
    await ensureLocalSigningKey(this.keyFile);
    await this.startPostgres();
    await ensureDatabase(this.databaseUrl);
    await this.startTemporal();
    // One at a time: the API migrates and seeds the calendar before the worker starts.
    await this.startProcess('api');
    await this.startProcess('worker');
  }

  // ------------------------------------------------------------------ PostgreSQL

  async startPostgres(): Promise<void> {
    const out = openSync(path.join(this.dir, 'logs', 'postgres.log'), 'a');
    const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'tools', 'fault', 'postgres-process.js'), path.join(this.dir, 'postgres'), String(this.pgPort)], {
      stdio: ['ignore', 'pipe', out],
    });
    closeSync(out);
    this.pg = child;
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => (chunk.toString().includes('ready') ? resolve() : undefined));
      child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited during start with code ${code} (see ${this.dir}/logs/postgres.log)`)));
    });
  }

  /** A clean restart (fast shutdown, then start on the same folder and port). */
  async restartPostgres(downMs: number): Promise<void> {
    await stopGently(this.pg, 30_000);
    await sleep(downMs);
    await this.startPostgres();
  }

  // ------------------------------------------------------------------ Temporal dev server

  async startTemporal(): Promise<void> {
    const out = openSync(path.join(this.dir, 'logs', 'temporal.log'), 'a');
    const child = spawn(
      temporalCliPath(),
      ['server', 'start-dev', '--db-filename', path.join(this.dir, 'temporal.db'), '--ip', '127.0.0.1', '--port', String(this.temporalPort), '--headless', '--log-level', 'error'],
      { stdio: ['ignore', out, out], detached: true },
    );
    closeSync(out);
    this.temporal = child;
    child.once('exit', (code, signal) => {
      if (!this.expectedExit.delete(child.pid!) && !this.stopping) this.unplannedExits.push({ role: 'temporal', code, signal });
    });
    const deadline = Date.now() + 60_000;
    while (!(await canConnect(this.temporalPort))) {
      if (child.exitCode !== null || child.signalCode) throw new Error(`temporal dev server exited during start (see ${this.dir}/logs/temporal.log)`);
      if (Date.now() > deadline) throw new Error(`temporal dev server did not listen on ${this.temporalAddress} within 60 s`);
      await sleep(100);
    }
    // The port answers before the namespace does.
    const connection = await this.connection();
    await waitUntil(60_000, async () => {
      try {
        await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.describeNamespace({ namespace: NAMESPACE }));
        return true;
      } catch {
        return false;
      }
    });
  }

  async killTemporal(downMs: number): Promise<void> {
    await killHard(this.temporal, this.expectedExit);
    await sleep(downMs);
    await this.startTemporal();
  }

  /** The suite's own client connection (it reconnects by itself across server restarts). */
  async connection(): Promise<Connection> {
    this.temporalConnection ??= await Connection.connect({ address: this.temporalAddress });
    return this.temporalConnection;
  }

  // ------------------------------------------------------------------ service processes

  processEnv(role: Role): NodeJS.ProcessEnv {
    return {
      ...process.env,
      DATABASE_URL: this.databaseUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TASK_QUEUE: FAULT_TASK_QUEUE,
      PAYLOAD_ENCRYPTION_KEYS: this.payloadKeys,
      AUTH_LOCAL_KEY_FILE: this.keyFile,
      DEMO_DIRECTORY: 'true',
      HOST: '127.0.0.1',
      // A worker-only process takes no port once RUN_API=false is honoured; until then it needs one of its own.
      PORT: String(role === 'api' ? this.apiPort : this.apiPort + 1),
      RUN_API: String(role === 'api'),
      RUN_WORKER: String(role === 'worker'),
      SHUTDOWN_GRACE_MS: '2000',
      LOG_LEVEL: process.env.FAULT_LOG_LEVEL ?? 'warn',
      NOTIFY_WEBHOOK_URL: '',
    };
  }

  /** Lines of the API and worker logs of this run that contain `text`. */
  logLinesWith(text: string): string[] {
    const logs = path.join(this.dir, 'logs');
    return readdirSync(logs)
      .filter((f) => f !== 'postgres.log' && f !== 'temporal.log')
      .flatMap((f) => readFileSync(path.join(logs, f), 'utf8').split('\n'))
      .filter((line) => line.includes(text));
  }

  async startProcess(role: Role): Promise<void> {
    const out = openSync(path.join(this.dir, 'logs', `${role}.log`), 'a');
    const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'main.js')], {
      cwd: projectRoot(),
      env: this.processEnv(role),
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    this.children.set(role, child);
    child.once('exit', (code, signal) => {
      if (this.expectedExit.delete(child.pid!) || this.stopping) return;
      this.unplannedExits.push({ role, code, signal });
      this.log(`${role} process ${child.pid} exited by itself (code ${code}, signal ${signal}): restarting it`);
      if (this.unplannedExits.length > 20) return this.log('more than 20 unplanned exits: not restarting any more');
      if (this.children.get(role) === child) void this.startProcess(role).catch((e) => this.log(`restart of ${role} failed: ${String(e)}`));
    });
    await waitUntil(90_000, async () => {
      if (this.children.get(role) !== child) return true;
      if (child.exitCode !== null || child.signalCode) throw new Error(`${role} process exited during start (see ${this.dir}/logs/${role}.log)`);
      return role === 'api' ? await answersHttp(this.apiUrl) : await this.workerPolls(child.pid!);
    });
  }

  async killProcess(role: Role): Promise<void> {
    await killHard(this.children.get(role), this.expectedExit);
    await this.startProcess(role);
  }

  /** A worker polls the case task queue (with this process id, when given). */
  async workerPolls(pid?: number): Promise<boolean> {
    try {
      const connection = await this.connection();
      const res = await connection.withDeadline(Date.now() + 3_000, () =>
        connection.workflowService.describeTaskQueue({
          namespace: NAMESPACE,
          taskQueue: { name: FAULT_TASK_QUEUE, kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      const fresh = (res.pollers ?? []).filter((p) => Date.now() - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < 20_000);
      return pid === undefined ? fresh.length > 0 : fresh.some((p) => p.identity?.startsWith(`${pid}@`));
    } catch {
      return false;
    }
  }

  /** Stops everything: the service gracefully (SIGTERM, then SIGKILL after 15 s), Temporal, PostgreSQL. */
  async stop({ keepFiles = false } = {}): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.children.values()].map((c) => stopGently(c, 15_000)));
    await this.temporalConnection?.close().catch(() => undefined);
    await stopGently(this.temporal, 10_000);
    await stopGently(this.pg, 30_000);
    if (!keepFiles) rmSync(this.dir, { recursive: true, force: true });
  }
}

function alive(child: ChildProcess | undefined): child is ChildProcess {
  return !!child && child.exitCode === null && child.signalCode === null;
}

async function killHard(child: ChildProcess | undefined, expected: Set<number>): Promise<void> {
  if (!alive(child)) return;
  expected.add(child.pid!);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function stopGently(child: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function answersHttp(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`, { signal: AbortSignal.timeout(3_000) });
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(timeoutMs: number, probe: () => Promise<boolean>, intervalMs = 200): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`not reached within ${timeoutMs / 1000} s`);
    await sleep(intervalMs);
  }
}
