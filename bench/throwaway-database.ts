/**
 * What the province-scale benchmarks share: a PostgreSQL of their own (DATABASE_URL's server, else an embedded one)
 * holding a fresh database `<prefix>_<timestamp>` dropped at the end, cleanups run last-in first-out whatever happens,
 * percentiles and the machine's description. Only 127.0.0.1 is contacted.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const STEP_TIMEOUT_MS = 60_000;

export function requireLoopback(what: string, host: string): void {
  if (!LOOPBACK.has(host)) throw new Error(`${what} points at ${host}; the benchmark only talks to 127.0.0.1`);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 400);
  return String(error).slice(0, 400);
}

function withTimeout<T>(what: string, promise: Promise<T>, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Cleanup steps run in reverse order once, on completion, failure or Ctrl-C. */
export class Cleanups {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  constructor() {
    const onSignal = (signal: NodeJS.Signals) => {
      console.error(`${signal}: cleaning up`);
      void this.run().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  /** Runs every step once; a second caller (the bench failing because a signal's cleanup stopped its database) waits for the same run instead of exiting under it. */
  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await withTimeout(step.name, step.run());
      } catch (error) {
        console.error(`cleanup ${step.name} failed: ${describeError(error)}`);
      }
    }
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A random free port in 17233–32232 (below Linux's ephemeral range). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 17233 + Math.floor(Math.random() * 15_000);
    if (await isPortFree(port)) return port;
  }
  throw new Error('no free port found in 17233–32232');
}

export interface BenchDatabase {
  url: string;
  name: string;
  /** Where the server came from, for the report. */
  server: string;
}

/**
 * A fresh database on DATABASE_URL's server or on an embedded PostgreSQL in a temporary folder; dropped (and the
 * embedded server stopped) by `cleanups`, unless BENCH_KEEP_DATABASE=1 keeps it for EXPLAIN ANALYZE afterwards.
 */
export async function throwawayDatabase(prefix: string, cleanups: Cleanups): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL;
  let server = 'external (DATABASE_URL)';
  if (adminUrl) {
    requireLoopback('DATABASE_URL', new URL(adminUrl).hostname);
  } else {
    const tmp = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    // The embedded server runs as the `postgres` user when we are root: it must be able to enter this folder.
    chmodSync(tmp, 0o755);
    cleanups.add('temp folder', async () => rmSync(tmp, { recursive: true, force: true }));
    const port = await freePort();
    const pg = await startEmbeddedPostgres(path.join(tmp, 'postgres'), port, false);
    cleanups.add('embedded PostgreSQL', () => pg.stop());
    adminUrl = pg.url('postgres');
    server = 'embedded (embedded-postgres)';
  }
  const name = `${prefix}_${Date.now()}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  let version: string;
  try {
    version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const dropUrl = adminUrl;
  if (process.env.BENCH_KEEP_DATABASE === '1') {
    console.log(`BENCH_KEEP_DATABASE=1: database ${name} is kept (${url.toString()})`);
  } else {
    cleanups.add(`drop database ${name}`, async () => {
      const c = new PgClient({ connectionString: dropUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    });
  }
  return { url: url.toString(), name, server: `${server}, PostgreSQL ${version}` };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
