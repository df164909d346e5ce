/**
 * `npm run bench`: how fast the whole service files cases (POST /cases → workflow start → read-model row) compared
 * with bare `client.workflow.start` of an empty workflow, in one run on the same local Temporal server and PostgreSQL.
 *
 * Infrastructure: TEMPORAL_ADDRESS if set, else a throw-away `temporal server start-dev`; DATABASE_URL's server if
 * set, else an embedded PostgreSQL — either way in a fresh database `ldl_bench_<timestamp>` dropped at the end.
 * BENCH_N sets the requests per measurement (default 60 at concurrency 1, 200 at concurrency 20); BENCH_ROUNDS (default
 * 3) how many times the two modes alternate at each concurrency. The ratio is of the rates over all rounds.
 * Only 127.0.0.1 is contacted. Prints a table, the POST/bare ratio per concurrency against the target, and a final
 * JSON line with every figure. Exit 0 when the run completed (non-201 answers are counted and printed), 1 otherwise.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { ensureLocalSigningKey, signLocalToken } from '../src/auth/local-signing-key';
import { AppConfig, loadConfig } from '../src/config/config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../src/infra/embedded-postgres';
import { PayloadKeyRing } from '../src/infra/payload-codec';
import { DevServerHandle, startTemporalDevServer } from '../src/infra/temporal-dev-server';
import { RunningService, startService } from '../src/service';

const TARGET_RATIO = 0.6;
const WARMUP = 20;
const CONCURRENCIES = [1, 20] as const;
const SETTLE_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 30_000;
const MAX_PRINTED_ERRORS = 20;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

type Mode = 'bare-start' | 'post-cases';

interface Measurement {
  mode: Mode;
  concurrency: number;
  round: number;
  requests: number;
  ok: number;
  errors: number;
  seconds: number;
  ratePerSec: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  settleSecondsBefore: number;
  warmupErrors: number;
}

/** Runs task(0..n-1) with at most `concurrency` in flight. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(runners);
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const takenPorts = new Set<number>();
/** A random free port in 17233–32232 (below Linux's ephemeral range, so outgoing connections do not take it). */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 17233 + Math.floor(Math.random() * 15_000);
    if (takenPorts.has(port)) continue;
    if (await isPortFree(port)) {
      takenPorts.add(port);
      return port;
    }
  }
  throw new Error('no free port found in 17233–32232');
}

function describe(error: unknown): string {
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function requireLoopback(what: string, host: string): void {
  if (!LOOPBACK.has(host)) throw new Error(`${what} points at ${host}; the benchmark only talks to 127.0.0.1`);
}

async function main(): Promise<number> {
  // The SDK's INFO lines (worker state changes, webpack output) would drown the figures; warnings still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const envN = process.env.BENCH_N?.trim() ? Number(process.env.BENCH_N) : undefined;
  if (envN !== undefined && (!Number.isInteger(envN) || envN < 1)) throw new Error(`BENCH_N must be a positive integer, got "${process.env.BENCH_N}"`);
  const requestsAt = (c: number) => envN ?? (c === 1 ? 60 : 200);
  const envRounds = process.env.BENCH_ROUNDS?.trim() ? Number(process.env.BENCH_ROUNDS) : 3;
  if (!Number.isInteger(envRounds) || envRounds < 1) throw new Error(`BENCH_ROUNDS must be a positive integer, got "${process.env.BENCH_ROUNDS}"`);
  const rounds = envRounds;

  // Cleanup steps, run last-in first-out whatever happens.
  const cleanups: { name: string; run: () => Promise<void> }[] = [];
  const problems: string[] = [];
  let cleanedUp = false;
  const cleanup = async () => {
    if (cleanedUp) return;
    cleanedUp = true;
    for (const step of cleanups.reverse()) {
      try {
        await withTimeout(step.name, step.run());
      } catch (error) {
        problems.push(`cleanup ${step.name}: ${describe(error)}`);
        console.error(`cleanup ${step.name} failed: ${describe(error)}`);
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ldl-bench-'));
  // The embedded server runs as the `postgres` user when we are root: it must be able to enter this folder.
  chmodSync(tmp, 0o755);
  cleanups.push({ name: 'temp folder', run: async () => rmSync(tmp, { recursive: true, force: true }) });

  let result: { measurements: Measurement[]; infra: Record<string, string> } | undefined;
  try {
    // ---------------------------------------------------------------- Temporal
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalKind = 'external (TEMPORAL_ADDRESS)';
    if (temporalAddress) {
      requireLoopback('TEMPORAL_ADDRESS', temporalAddress.replace(/:\d+$/, ''));
    } else {
      const port = await freePort();
      const uiPort = await freePort();
      const t0 = performance.now();
      const dev: DevServerHandle = await startTemporalDevServer(path.join(tmp, 'temporal.db'), port, uiPort);
      cleanups.push({ name: 'temporal dev server', run: () => dev.stop() });
      temporalAddress = dev.address;
      temporalKind = 'dev server (temporal server start-dev, SQLite file)';
      console.log(`Temporal dev server on ${dev.address} (started in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }

    // ---------------------------------------------------------------- PostgreSQL
    let adminUrl = process.env.DATABASE_URL;
    let postgresKind = 'external (DATABASE_URL)';
    if (adminUrl) {
      requireLoopback('DATABASE_URL', new URL(adminUrl).hostname);
    } else {
      const port = await freePort();
      const t0 = performance.now();
      const pg: EmbeddedPostgresHandle = await startEmbeddedPostgres(path.join(tmp, 'postgres'), port, false);
      cleanups.push({ name: 'embedded PostgreSQL', run: () => pg.stop() });
      adminUrl = pg.url('postgres');
      postgresKind = 'embedded (embedded-postgres)';
      console.log(`embedded PostgreSQL on 127.0.0.1:${port} (started in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const dbName = `ldl_bench_${Date.now()}`;
    const benchUrl = new URL(adminUrl);
    benchUrl.pathname = `/${dbName}`;
    const databaseUrl = benchUrl.toString();
    {
      const admin = new PgClient({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${dbName}"`);
      } finally {
        await admin.end();
      }
    }
    const dropUrl = adminUrl;
    cleanups.push({
      name: `drop database ${dbName}`,
      run: async () => {
        const admin = new PgClient({ connectionString: dropUrl });
        await admin.connect();
        try {
          await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        } finally {
          await admin.end();
        }
      },
    });
    console.log(`bench database ${dbName} created`);

    // ---------------------------------------------------------------- the service
    const config: AppConfig = loadConfig({
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      PORT: '0',
      TASK_QUEUE: `bench-${runId}`,
      RUN_WORKER: 'true',
      // A throw-away key for the throw-away database, unless one is configured: the service encrypts as in production.
      PAYLOAD_ENCRYPTION_KEYS: process.env.PAYLOAD_ENCRYPTION_KEYS || PayloadKeyRing.generateSetting('bench'),
    });
    const t0 = performance.now();
    const service: RunningService = await startService(config);
    cleanups.push({ name: 'service', run: () => service.stop() });
    requireLoopback('the service URL', new URL(service.url).hostname);
    console.log(`service on ${service.url}, task queue ${config.taskQueue} (started in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    // A read-only connection of our own to see when the case workflows have caught up.
    const probe = new PgClient({ connectionString: databaseUrl });
    await probe.connect();
    cleanups.push({ name: 'probe connection', run: () => probe.end() });

    // ---------------------------------------------------------------- baseline: empty workflow + its worker
    const emptyQueue = `bench-empty-${runId}`;
    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.push({ name: 'bare client connection', run: () => connection.close() });
    const client = new Client({ connection, namespace: config.temporalNamespace });
    const workerConnection = await NativeConnection.connect({ address: temporalAddress });
    cleanups.push({ name: 'empty worker connection', run: () => workerConnection.close() });
    const emptyWorker = await Worker.create({
      connection: workerConnection,
      namespace: config.temporalNamespace,
      taskQueue: emptyQueue,
      workflowsPath: require.resolve('./empty.workflow'),
    });
    const emptyRun = emptyWorker.run();
    emptyRun.catch((error) => problems.push(`empty worker: ${describe(error)}`));
    cleanups.push({
      name: 'empty worker',
      run: async () => {
        if (emptyWorker.getState() === 'RUNNING') emptyWorker.shutdown();
        await emptyRun.catch(() => undefined);
      },
    });
    console.log(`empty-workflow worker on task queue ${emptyQueue}`);

    // ---------------------------------------------------------------- the two operations
    const bare = async (tag: string): Promise<string | undefined> => {
      await client.workflow.start('emptyWorkflow', { taskQueue: emptyQueue, workflowId: `bench-empty-${runId}-${tag}` });
      return undefined;
    };
    const authorization = `Bearer ${await signLocalToken(await ensureLocalSigningKey(config.auth.localKeyFile), 'caseworker-a')}`;
    const post = async (tag: string): Promise<string | undefined> => {
      const response = await fetch(`${service.url}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({
          procedure: 'objection-review',
          grounds: ['error'],
          reasons: '记录与原始文书不符',
          idempotencyKey: `bench-${runId}-${tag}`,
          receivedAt: new Date().toISOString(),
          subject: { name: 'Bench Co', uscc: '91350100M000100Y43' },
        }),
      });
      const text = await response.text();
      return response.status === 201 ? undefined : `HTTP ${response.status}: ${text.slice(0, 300)}`;
    };
    const operations: Record<Mode, (tag: string) => Promise<string | undefined>> = { 'bare-start': bare, 'post-cases': post };

    /** Waits until every empty workflow has completed and every filed case's workflow has written its first snapshot. */
    const settle = async (): Promise<number> => {
      const start = performance.now();
      for (;;) {
        const running = (await client.workflow.count(`TaskQueue = '${emptyQueue}' AND ExecutionStatus = 'Running'`)).count;
        const unpersisted = (await probe.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE revision = 0')).rows[0].n;
        if (running === 0 && unpersisted === 0) return (performance.now() - start) / 1000;
        if (performance.now() - start > SETTLE_TIMEOUT_MS) {
          throw new Error(`backlog did not drain within ${SETTLE_TIMEOUT_MS / 1000} s: ${running} empty workflows running, ${unpersisted} cases without a workflow snapshot`);
        }
        await sleep(100);
      }
    };

    const run = async (mode: Mode, concurrency: number, n: number, label: string) => {
      const latencies: number[] = [];
      const errors: string[] = [];
      const op = operations[mode];
      const t = performance.now();
      await pool(n, concurrency, async (i) => {
        const s = performance.now();
        let problem: string | undefined;
        try {
          problem = await op(`${label}-${i}`);
        } catch (error) {
          problem = describe(error);
        }
        latencies.push(performance.now() - s);
        if (problem) errors.push(problem);
      });
      return { seconds: (performance.now() - t) / 1000, latencies: latencies.sort((a, b) => a - b), errors };
    };

    const printErrors = (what: string, errors: string[]) => {
      if (errors.length === 0) return;
      console.log(`  ${errors.length} error(s) in ${what}:`);
      for (const e of errors.slice(0, MAX_PRINTED_ERRORS)) console.log(`    ${e}`);
      if (errors.length > MAX_PRINTED_ERRORS) console.log(`    … and ${errors.length - MAX_PRINTED_ERRORS} more`);
    };

    // ---------------------------------------------------------------- measure
    // The two modes alternate, round by round, so a drift in the machine's speed during the run hits both alike.
    const measurements: Measurement[] = [];
    for (const concurrency of CONCURRENCIES) {
      const n = requestsAt(concurrency);
      for (let round = 1; round <= rounds; round++) {
        for (const mode of ['bare-start', 'post-cases'] as Mode[]) {
          const warm = round === 1 ? await run(mode, concurrency, WARMUP, `warm-c${concurrency}`) : { errors: [] as string[] };
          printErrors(`${mode} c=${concurrency} warm-up`, warm.errors);
          const settleSeconds = await settle();
          const m = await run(mode, concurrency, n, `c${concurrency}-r${round}`);
          const ok = n - m.errors.length;
          const row: Measurement = {
            mode,
            concurrency,
            round,
            requests: n,
            ok,
            errors: m.errors.length,
            seconds: m.seconds,
            ratePerSec: ok / m.seconds,
            p50Ms: percentile(m.latencies, 50),
            p95Ms: percentile(m.latencies, 95),
            maxMs: m.latencies[m.latencies.length - 1],
            settleSecondsBefore: settleSeconds,
            warmupErrors: warm.errors.length,
          };
          measurements.push(row);
          console.log(
            `${mode} c=${concurrency} round ${round}: ${ok}/${n} ok in ${row.seconds.toFixed(2)} s = ${row.ratePerSec.toFixed(1)}/s ` +
              `(p50 ${row.p50Ms.toFixed(1)} ms, p95 ${row.p95Ms.toFixed(1)} ms; backlog drained ${settleSeconds.toFixed(1)} s before)`,
          );
          printErrors(`${mode} c=${concurrency}`, m.errors);
        }
      }
    }
    const finalSettle = await settle().catch((error) => {
      problems.push(describe(error));
      return NaN;
    });
    console.log(`backlog after the last measurement drained in ${finalSettle.toFixed(1)} s`);
    result = { measurements, infra: { temporal: `${temporalKind} at ${temporalAddress}`, postgres: postgresKind } };
  } catch (error) {
    console.error('benchmark FAILED:', error);
    await cleanup();
    return 1;
  }

  // ---------------------------------------------------------------- report
  const { measurements, infra } = result;
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
  };
  // Each mode's rate over all its rounds (requests ÷ seconds), and the spread of the per-round ratios.
  const total = (mode: Mode, concurrency: number) => {
    const rows = measurements.filter((m) => m.mode === mode && m.concurrency === concurrency);
    return rows.reduce((sum, m) => sum + m.ok, 0) / rows.reduce((sum, m) => sum + m.seconds, 0);
  };
  const ratios = CONCURRENCIES.map((concurrency) => {
    const ratio = total('post-cases', concurrency) / total('bare-start', concurrency);
    const perRound = Array.from({ length: rounds }, (_, i) => {
      const of = (mode: Mode) => measurements.find((m) => m.mode === mode && m.concurrency === concurrency && m.round === i + 1)!.ratePerSec;
      return of('post-cases') / of('bare-start');
    });
    return {
      concurrency,
      bareRatePerSec: total('bare-start', concurrency),
      postRatePerSec: total('post-cases', concurrency),
      ratio,
      roundRatios: perRound,
      target: TARGET_RATIO,
      verdict: ratio >= TARGET_RATIO ? 'PASS' : 'BELOW',
    };
  });

  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log('');
  console.log(`${'mode'.padEnd(12)}${pad('conc', 6)}${pad('round', 7)}${pad('requests', 10)}${pad('errors', 8)}${pad('seconds', 9)}${pad('rate/s', 9)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}`);
  for (const m of measurements) {
    console.log(
      `${m.mode.padEnd(12)}${pad(m.concurrency, 6)}${pad(m.round, 7)}${pad(m.requests, 10)}${pad(m.errors, 8)}${pad(m.seconds.toFixed(2), 9)}` +
        `${pad(m.ratePerSec.toFixed(1), 9)}${pad(m.p50Ms.toFixed(1), 9)}${pad(m.p95Ms.toFixed(1), 9)}`,
    );
  }
  console.log('');
  for (const r of ratios) {
    console.log(
      `POST /cases ÷ bare start at concurrency ${pad(r.concurrency, 2)}: ${r.postRatePerSec.toFixed(1)}/s ÷ ${r.bareRatePerSec.toFixed(1)}/s = ` +
        `${r.ratio.toFixed(2)} (target ${r.target}) ${r.verdict}; per round ${r.roundRatios.map((x) => x.toFixed(2)).join(', ')}`,
    );
  }
  console.log(`machine: ${machine.cpus} CPU(s) ${machine.cpuModel}, ${machine.totalMemGiB} GiB, Node ${machine.node}, ${machine.platform}`);
  console.log(`temporal: ${infra.temporal}; postgres: ${infra.postgres}`);

  await cleanup();
  for (const p of problems) console.error(`problem: ${p}`);
  const rounded = (x: number) => Number(x.toFixed(3));
  console.log(
    JSON.stringify({
      bench: 'start-rate',
      at: new Date().toISOString(),
      machine,
      infra,
      warmup: WARMUP,
      results: measurements.map((m) => ({
        ...m,
        seconds: rounded(m.seconds),
        ratePerSec: rounded(m.ratePerSec),
        p50Ms: rounded(m.p50Ms),
        p95Ms: rounded(m.p95Ms),
        maxMs: rounded(m.maxMs),
        settleSecondsBefore: rounded(m.settleSecondsBefore),
      })),
      ratios: ratios.map((r) => ({
        ...r,
        bareRatePerSec: rounded(r.bareRatePerSec),
        postRatePerSec: rounded(r.postRatePerSec),
        ratio: rounded(r.ratio),
        roundRatios: r.roundRatios.map(rounded),
      })),
      problems,
    }),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('benchmark FAILED:', error);
    process.exit(1);
  },
);
