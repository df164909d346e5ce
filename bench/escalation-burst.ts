/**
 * `npm run bench:escalations`: BURST_CASES (default 10,000) credit-complaint cases whose legal reply deadline falls
 * due at the same instant, escalated by the real case worker (createCaseWorker: the prebuilt workflow bundle, the
 * real activities writing the read model, notifications and outbox to PostgreSQL). Target: every red within 60 s,
 * none twice.
 *
 * Payloads are encrypted as in production (a key of the run).
 * Temporal: the time-skipping test server (TestWorkflowEnvironment.createTimeSkipping). Its clock runs in real time
 * except when the script skips it, so the workload is as on a real server and only the 20 working days are skipped:
 * 1. every case is started with the same receivedAt (so the same due instant) and the script waits until every first
 *    snapshot is in the read model;
 * 2. it skips to just after the yellow instant (one working day before) and waits for every yellow, so that the
 *    burst measured is the red alone;
 * 3. it takes the real time, skips to 1 s after the due instant, and polls PostgreSQL until every case has its red
 *    escalation row. Elapsed real seconds run from just before that skip.
 * Then it checks that no step was recorded twice: one deadline.red (and one deadline.yellow) event per case, one
 * escalation row per case, deadline and level.
 *
 * PostgreSQL: see throwaway-database.ts (DATABASE_URL's server, else an embedded one; a fresh database, dropped).
 * Before the cases, in the same run and with the same server and worker settings: the bare baseline
 * (bench/bare-burst.workflow.ts), as many workflows whose one timer fires at one instant and whose one activity then
 * writes one row, timed the same way. Each phase runs on a fresh time-skipping server (BURST_ONE_SERVER: one for both),
 * because that server slows with every task it has run (README).
 * After the checks: history bytes and events per case (an even sample), workflow tasks and activities per red, the
 * replay of one case by a fresh replay worker, the bundle sizes, and `ratio ours/bare at N: X` (reds per second ÷
 * bare rows per second).
 *
 * Env: BURST_CASES, BURST_START_CONCURRENCY (default 100), WORKFLOW_CACHE_SIZE (each worker's cache, as for the
 * service; default the service's, src/worker/workflow-cache.ts), BURST_TIMEOUT_S (default 900, per phase), BURST_WORKER_PROCESSES
 * (1 or 2: the second a forked OS process running the same workers, bench/burst-worker-process.ts),
 * BURST_BARE_ACTIVITY (activity, the default, or local: the bare write as a local activity, like the cases'),
 * BURST_ONE_SERVER (both phases on one server), BURST_HISTORY_SAMPLE (default 1,000 histories read per kind),
 * BURST_SAVE_HISTORIES (a folder: the replayed histories and the run's key, for a profiler), BURST_BARE_PADDING_BYTES (a diagnosis, not the baseline: each bare
 * workflow's input and its activity's input carry that many more bytes, so its history weighs like a case's).
 * Prints the phases, a verdict against the target and a final JSON line. Exit 0 when every case escalated exactly
 * once and every bare workflow wrote its row (a missed 60 s target is reported, not an exit code), 1 otherwise.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { kernelDefinitionFor } from '../procedures';
import { calendarFrom, loadCalendar, seedCalendar } from '../src/db/calendar-store';
import { migrate } from '../src/db/migrate';
import { createPrisma } from '../src/db/prisma';
import { encryptedDataConverter, FAILURE_CONVERTER_PATH, PayloadKeyRing } from '../src/infra/payload-codec';
import { temporalTestServerPath } from '../src/infra/tools';
import { WORKFLOW_BUNDLE } from '../src/worker/worker';
import { defaultWorkflowCacheSize } from '../src/worker/workflow-cache';
import type { bareBurstWorkflow } from './bare-burst.workflow';
import { startBurstWorkers, type BurstWorkerSettings } from './burst-workers';
import { workerThreadHeaps } from './workflow-heap';
import type { caseWorkflow } from '../workflows/case.workflow';
import { caseWorkflowId, CaseWorkflowInput } from '../workflows/contracts/case.contract';
import { Cleanups, describeError, machine, percentile, sleep, throwawayDatabase } from './throwaway-database';

const TARGET_SECONDS = 60;
const PROCEDURE = 'credit-complaint';
const VERSION = 1;
const DEADLINE_KEY = 'reply';
const DISTRICTS = 10;
const POLL_MS = 200;
/** Histories kept from the sample to time their replay. */
const REPLAY_SAMPLE = 200;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** Runs task(0..n-1) with at most `concurrency` in flight. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

async function main(): Promise<number> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const n = positiveInt('BURST_CASES', 10_000);
  const startConcurrency = positiveInt('BURST_START_CONCURRENCY', 100);
  const phaseTimeoutMs = positiveInt('BURST_TIMEOUT_S', 900) * 1000;
  const workerProcesses = positiveInt('BURST_WORKER_PROCESSES', 1);
  if (workerProcesses > 2) throw new Error('BURST_WORKER_PROCESSES is 1 or 2');
  const barePersistence = process.env.BURST_BARE_ACTIVITY?.trim() || 'activity';
  if (barePersistence !== 'activity' && barePersistence !== 'local') throw new Error(`BURST_BARE_ACTIVITY is activity or local, got "${barePersistence}"`);
  const historySample = positiveInt('BURST_HISTORY_SAMPLE', 1000);
  const cacheSetting = process.env.WORKFLOW_CACHE_SIZE?.trim() ? Number(process.env.WORKFLOW_CACHE_SIZE) : undefined;
  if (cacheSetting !== undefined && (!Number.isInteger(cacheSetting) || cacheSetting < 0)) throw new Error(`WORKFLOW_CACHE_SIZE must be a whole number ≥ 0`);
  // Both workers get the same cache: the setting, else the service's default for this heap.
  const cacheSize = cacheSetting ?? defaultWorkflowCacheSize();
  const cacheLabel = cacheSetting === undefined ? `${cacheSize} (the service's default for a ${(v8.getHeapStatistics().heap_size_limit / 2 ** 20).toFixed(0)} MiB heap)` : String(cacheSize);
  const cleanups = new Cleanups();
  try {
    // ---------------------------------------------------------------- PostgreSQL: read model, calendar, unit tree
    const db = await throwawayDatabase('ldl_burst', cleanups);
    console.log(`bench database ${db.name} on ${db.server}`);
    await migrate(db.url);
    const prisma = createPrisma(db.url);
    cleanups.add('prisma', () => prisma.$disconnect());
    await seedCalendar(prisma);
    const probe = new PgClient({ connectionString: db.url });
    // Ctrl-C stops the database under it: the failed poll ends the run; the event must not crash it before the cleanups.
    probe.on('error', (error) => console.error(`bench's PostgreSQL connection: ${describeError(error)}`));
    await probe.connect();
    cleanups.add('probe connection', () => probe.end());
    // The cases' units, each with a caseworker and a supervisor: a red notifies both (escalation_recipients).
    const districts = Array.from({ length: DISTRICTS }, (_, i) => `burst-d${String(i + 1).padStart(2, '0')}`);
    await probe.query(`INSERT INTO units (id, name, parent_id, path) VALUES ('burst-root', 'Province', NULL, 'burst-root/'), ('burst-city', 'City', 'burst-root', 'burst-root/burst-city/')`);
    for (const d of districts) {
      await probe.query('INSERT INTO units (id, name, parent_id, path) VALUES ($1, $1, $2, $3)', [d, 'burst-city', `burst-root/burst-city/${d}/`]);
      await probe.query(`INSERT INTO users (id, name, unit_id, roles) VALUES ($1, $1, $3, '{caseworker}'), ($2, $2, $3, '{supervisor}')`, [`caseworker-${d}`, `supervisor-${d}`, d]);
    }
    const count = async (sql: string, params: unknown[] = []) => Number((await probe.query<{ n: string }>(sql, params)).rows[0].n);
    await probe.query('CREATE TABLE bare_burst (key text PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())');

    // ---------------------------------------------------------------- Temporal: time-skipping server and the workers
    // Payloads encrypted as in production, under a key of this run.
    const keyRing = `burst:${randomBytes(32).toString('base64')}`;
    const dataConverter = encryptedDataConverter(PayloadKeyRing.parse(keyRing));
    const bundleDir = mkdtempSync(path.join(os.tmpdir(), 'ldl-bare-bundle-'));
    cleanups.add('bare bundle', async () => rmSync(bundleDir, { recursive: true, force: true }));
    const bareBundlePath = path.join(bundleDir, 'bare-burst-bundle.js');
    const bareBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./bare-burst.workflow'), failureConverterPath: FAILURE_CONVERTER_PATH, logger: new DefaultLogger('WARN') });
    writeFileSync(bareBundlePath, bareBundle.code);
    const runTag = randomUUID();
    let workerFailure: string | undefined;
    /**
     * A time-skipping server with the workers on it, the same settings each time. Each phase gets its own unless
     * BURST_ONE_SERVER is set: the test server slows with all it has run (its time-skipping lock keeps a record of every
     * task; README), so a phase on a used server would pay for the one before it.
     */
    const startTemporal = async (phase: string) => {
      const t0 = performance.now();
      const env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
        client: { dataConverter },
      });
      const settings: BurstWorkerSettings = {
        address: env.address,
        namespace: env.namespace ?? 'default',
        oursTaskQueue: `burst-${runTag}`,
        bareTaskQueue: `bare-${runTag}`,
        bareBundlePath,
        keyRing,
        cacheSize,
      };
      const stops: (() => Promise<void>)[] = [() => env.teardown()];
      let stopping: Promise<void> | undefined;
      const stop = () => (stopping ??= (async () => {
        for (const step of stops.reverse()) await step().catch((error) => console.error(`stopping the ${phase} server: ${describeError(error)}`));
      })());
      cleanups.add(`${phase}: time-skipping server and workers`, stop);
      const workers = await startBurstWorkers(settings, prisma, env.nativeConnection);
      workers.running.catch((error) => (workerFailure = describeError(error)));
      stops.push(() => workers.shutdown());
      if (workerProcesses === 2) {
        const child: ChildProcess = fork(path.join(__dirname, 'burst-worker-process.js'), [], {
          env: { ...process.env, BURST_WORKER_SETTINGS: JSON.stringify({ ...settings, databaseUrl: db.url }) },
          stdio: 'inherit',
        });
        child.once('exit', (code) => (workerFailure ??= code === 0 || stopping ? undefined : `second worker process exited with ${code}`));
        stops.push(async () => {
          if (child.exitCode !== null) return;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        });
        await new Promise<void>((resolve, reject) => {
          child.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`second worker process said ${String(m)}`))));
          child.once('exit', (code) => reject(new Error(`second worker process exited with ${code} before it was ready`)));
        });
      }
      console.log(
        `${phase}: time-skipping server and ${workerProcesses} worker process(es) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (workflow cache ${cacheLabel} each)`,
      );
      return { env, settings, stop };
    };
    const oneServer = Boolean(process.env.BURST_ONE_SERVER?.trim());
    const bareWorkflow = barePersistence === 'local' ? 'bareBurstLocalWorkflow' : 'bareBurstWorkflow';
    let { env, settings, stop: stopTemporal } = await startTemporal(oneServer ? 'both phases' : 'bare phase');

    const waitUntil = async (what: string, done: () => Promise<number>, target: number) => {
      const start = performance.now();
      let last = -1;
      let lastPrint = start;
      for (;;) {
        const have = await done();
        if (have >= target) return (performance.now() - start) / 1000;
        if (workerFailure) throw new Error(`worker failed: ${workerFailure}`);
        if (performance.now() - start > phaseTimeoutMs) throw new Error(`${what}: ${have}/${target} after ${phaseTimeoutMs / 1000} s`);
        if (performance.now() - lastPrint > 10_000 && have !== last) {
          console.log(`  ${what}: ${have}/${target} after ${((performance.now() - start) / 1000).toFixed(0)} s`);
          lastPrint = performance.now();
          last = have;
        }
        await sleep(POLL_MS);
      }
    };

    // ---------------------------------------------------------------- 0. the bare baseline, first: it leaves no timer behind
    // n bare workflows whose timer fires at one instant an hour ahead; once every timer is set (each history holds its
    // TimerStarted), the clock skips to it and the drain is timed as the reds' is.
    const bareIds = Array.from({ length: n }, (_, i) => `bare-${runTag}-${i}`);
    // A diagnosis, not the baseline: history bytes like a case's, to see what they cost the server (README).
    const barePadding = process.env.BURST_BARE_PADDING_BYTES?.trim() ? 'x'.repeat(positiveInt('BURST_BARE_PADDING_BYTES', 1)) : undefined;
    const bareDueMs = (await env.currentTimeMs()) + 3_600_000;
    console.log(`starting ${n} bare workflows (one timer, one ${barePersistence === 'local' ? 'local ' : ''}activity writing one row)…`);
    const bs0 = performance.now();
    await pool(n, startConcurrency, async (i) => {
      await env.client.workflow.start<typeof bareBurstWorkflow>(bareWorkflow, { taskQueue: settings.bareTaskQueue, workflowId: bareIds[i], args: barePadding === undefined ? [bareDueMs, bareIds[i]] : [bareDueMs, bareIds[i], barePadding] });
    });
    const bareStartSeconds = (performance.now() - bs0) / 1000;
    let parked = 0;
    const unparked = new Set(bareIds);
    const bareParkedSeconds = await waitUntil(
      'bare timers set',
      async () => {
        // Oldest first, a batch at a time, until a batch still has one waiting: the tasks are taken roughly in start
        // order, so most rounds read few histories (the server is not loaded by the check itself).
        for (;;) {
          const batch = [...unparked].slice(0, 50);
          if (!batch.length) return parked;
          await pool(batch.length, 50, async (i) => {
            const history = await env.client.workflow.getHandle(batch[i]).fetchHistory();
            if (history.events?.some((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED)) {
              unparked.delete(batch[i]);
              parked += 1;
            }
          });
          if (batch.some((id) => unparked.has(id))) return parked;
        }
      },
      n,
    );
    console.log(`bare: started in ${bareStartSeconds.toFixed(1)} s, every timer set ${bareParkedSeconds.toFixed(1)} s later`);
    const bareRows = () => count('SELECT count(*) AS n FROM bare_burst');
    const b0 = performance.now();
    await env.sleep(bareDueMs - (await env.currentTimeMs()) + 1_000);
    const bareSeconds = (performance.now() - b0) / 1000 + (await waitUntil('bare rows', bareRows, n));
    const bareHistory = await historyStats(env, bareIds, historySample);
    console.log(`bare burst: ${n} in ${bareSeconds.toFixed(1)} s (${(n / bareSeconds).toFixed(0)}/s)`);
    if (!oneServer) {
      await stopTemporal();
      ({ env, settings, stop: stopTemporal } = await startTemporal('case phase'));
    }

    // ---------------------------------------------------------------- 1. the cases, all received at one instant
    const def = kernelDefinitionFor(PROCEDURE, VERSION);
    if (!def) throw new Error(`no definition ${PROCEDURE} v${VERSION}`);
    const receivedAt = new Date(await env.currentTimeMs()).toISOString();
    const calendar = calendarFrom(await loadCalendar(prisma), Number(receivedAt.slice(0, 4)));
    const filing = def.filing.parse({ collector: { name: 'Bench 征信 Co.' } });
    const inputOf = (i: number): CaseWorkflowInput => {
      const caseId = randomUUID();
      return {
        caseId,
        idempotencyKey: `burst-${i}`,
        procedure: PROCEDURE,
        definitionVersion: VERSION,
        variant: def.defaultVariant,
        unitId: districts[i % DISTRICTS],
        subject: { kind: 'organisation', name: `Burst Trading Co. ${i}`, idNumber: '91350100M000100Y43' },
        receivedAt,
        filedAt: receivedAt,
        actor: `caseworker-${districts[i % DISTRICTS]}`,
        filing,
        calendar,
      };
    };
    const caseIds: string[] = [];
    const rssBeforeCases = process.memoryUsage().rss;
    const workflowHeapBeforeCases = sum((await workerThreadHeaps()).map((h) => h.usedBytes));
    console.log(`starting ${n} ${PROCEDURE} cases received at ${receivedAt} (concurrency ${startConcurrency})…`);
    const s0 = performance.now();
    await pool(n, startConcurrency, async (i) => {
      const input = inputOf(i);
      caseIds[i] = input.caseId;
      await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', { taskQueue: settings.oursTaskQueue, workflowId: caseWorkflowId(input.caseId), args: [input] });
    });
    const startSeconds = (performance.now() - s0) / 1000;
    console.log(`started in ${startSeconds.toFixed(1)} s (${(n / startSeconds).toFixed(0)}/s)`);
    const snapshotSeconds = await waitUntil('first snapshots', () => count(`SELECT count(*) AS n FROM deadlines WHERE key = $1`, [DEADLINE_KEY]), n);
    console.log(`every first snapshot in the read model ${snapshotSeconds.toFixed(1)} s after the last start`);
    // With a cache of at least n, every case is now held by the worker: what one costs in memory (the process's
    // resident set, the workflow thread included; a second worker process is not counted).
    const rssPerCachedCaseKiB = (process.memoryUsage().rss - rssBeforeCases) / 1024 / n;
    const workflowHeapPerCaseKiB = (sum((await workerThreadHeaps()).map((h) => h.usedBytes)) - workflowHeapBeforeCases) / 1024 / n;
    console.log(`memory per case started: workflow heap +${workflowHeapPerCaseKiB.toFixed(0)} KiB (after a full GC), resident set +${rssPerCachedCaseKiB.toFixed(0)} KiB (every case cached if the cache holds ${n})`);

    const instants = (await probe.query<{ due: Date; yellow: Date; dues: string; yellows: string }>(
      `SELECT min(due_at) AS due, min(yellow_at) AS yellow, count(DISTINCT due_at) AS dues, count(DISTINCT yellow_at) AS yellows FROM deadlines WHERE key = $1`,
      [DEADLINE_KEY],
    )).rows[0];
    if (instants.dues !== '1' || instants.yellows !== '1') throw new Error(`expected one due and one yellow instant, got ${instants.dues} and ${instants.yellows}`);
    const dueMs = instants.due.getTime();
    const yellowMs = instants.yellow.getTime();
    console.log(`every reply deadline is due at ${instants.due.toISOString()}, yellow at ${instants.yellow.toISOString()}`);

    // ---------------------------------------------------------------- 2. the yellows, so that the reds come alone
    const redRows = () => count(`SELECT count(*) AS n FROM escalations WHERE level = 'red'`);
    const y0 = performance.now();
    await env.sleep(yellowMs - (await env.currentTimeMs()) + 60_000);
    const yellowSkipSeconds = (performance.now() - y0) / 1000;
    const yellowSeconds = (performance.now() - y0) / 1000 + (await waitUntil('yellows', () => count(`SELECT count(*) AS n FROM escalations WHERE level = 'yellow'`), n));
    if ((await redRows()) !== 0) throw new Error('a red fired before the due instant');
    console.log(`yellow burst: ${n} in ${yellowSeconds.toFixed(1)} s (${(n / yellowSeconds).toFixed(0)}/s; the skip itself ${yellowSkipSeconds.toFixed(1)} s)`);

    // ---------------------------------------------------------------- 3. the reds, measured
    const skipMs = dueMs - (await env.currentTimeMs()) + 1_000;
    if (skipMs <= 0) throw new Error('the due instant passed before the red could be measured (the yellow phase took longer than the gap)');
    const r0 = performance.now();
    const r0Wall = new Date();
    await env.sleep(skipMs);
    const redSkipSeconds = (performance.now() - r0) / 1000;
    const marks: Record<string, number> = {};
    const redSeconds = await (async () => {
      let printed = 0;
      for (;;) {
        const have = await redRows();
        const elapsed = (performance.now() - r0) / 1000;
        if (elapsed - printed >= 10) {
          console.log(`  reds: ${have}/${n} after ${elapsed.toFixed(0)} s`);
          printed = elapsed;
        }
        for (const share of [0.5, 0.9, 0.99]) if (have >= share * n && marks[share] === undefined) marks[share] = elapsed;
        if (have >= n) return elapsed;
        if (workerFailure) throw new Error(`worker failed: ${workerFailure}`);
        if (elapsed * 1000 > phaseTimeoutMs) throw new Error(`reds: ${have}/${n} after ${elapsed.toFixed(0)} s`);
        await sleep(POLL_MS);
      }
    })();
    const lastWrite = (await probe.query<{ at: Date }>(`SELECT max(created_at) AS at FROM notifications WHERE level = 'red'`)).rows[0].at;
    console.log(`red burst: ${n} in ${redSeconds.toFixed(1)} s (${(n / redSeconds).toFixed(0)}/s; the skip itself ${redSkipSeconds.toFixed(1)} s; 50 % at ${marks[0.5]?.toFixed(1)} s, 90 % at ${marks[0.9]?.toFixed(1)} s, 99 % at ${marks[0.99]?.toFixed(1)} s)`);

    // ---------------------------------------------------------------- none twice (also after a moment for late repeats)
    await sleep(5_000);
    const checks = {
      casesWithRed: await count(`SELECT count(DISTINCT case_id) AS n FROM escalations WHERE level = 'red'`),
      redEscalationRows: await redRows(),
      redEvents: await count(`SELECT count(*) AS n FROM case_events WHERE type = 'deadline.red'`),
      casesWithRedEventsNotOne: await count(`SELECT count(*) AS n FROM (SELECT case_id FROM case_events WHERE type = 'deadline.red' GROUP BY case_id HAVING count(*) <> 1) x`),
      yellowEvents: await count(`SELECT count(*) AS n FROM case_events WHERE type = 'deadline.yellow'`),
      repeatedEscalations: await count(`SELECT count(*) AS n FROM (SELECT 1 FROM escalations GROUP BY case_id, deadline_key, level HAVING count(*) > 1) x`),
      laterSteps: await count(`SELECT count(*) AS n FROM escalations WHERE level NOT IN ('yellow', 'red')`),
      redNotifications: await count(`SELECT count(*) AS n FROM notifications WHERE level = 'red'`),
      redOutbox: await count(`SELECT count(*) AS n FROM outbox WHERE payload->>'level' = 'red'`),
    };
    const exactlyOnce =
      checks.casesWithRed === n && checks.redEscalationRows === n && checks.redEvents === n && checks.casesWithRedEventsNotOne === 0 &&
      checks.yellowEvents === n && checks.repeatedEscalations === 0 && checks.laterSteps === 0 && checks.redOutbox === n && checks.redNotifications === 2 * n;
    const verdict = redSeconds <= TARGET_SECONDS ? 'PASS' : 'MISS';
    const oursHistory = await historyStats(env, caseIds.map(caseWorkflowId), historySample);
    const oursRate = n / redSeconds;
    const bareRate = n / bareSeconds;
    const ratio = oursRate / bareRate;
    const saveTo = process.env.BURST_SAVE_HISTORIES?.trim();
    if (saveTo) {
      // For a profiler: `node --cpu-prof` on a replay of these files (encoded History protos; Worker.runReplayHistories).
      mkdirSync(saveTo, { recursive: true });
      for (const [name, kept] of [['ours', oursHistory.histories], ['bare', bareHistory.histories]] as const) {
        kept.forEach((h, i) => writeFileSync(path.join(saveTo, `${name}-${i}.bin`), temporal.api.history.v1.History.encode(h.history).finish()));
      }
      // The run's throw-away key, so that they can be decoded.
      writeFileSync(path.join(saveTo, 'key-ring.txt'), keyRing);
      console.log(`histories kept in ${saveTo}`);
    }
    const replayMs = {
      ours: await replayMsPerCase(WORKFLOW_BUNDLE, dataConverter, oursHistory.histories),
      bare: await replayMsPerCase(bareBundlePath, dataConverter, bareHistory.histories),
    };
    const bundleBytes = { ours: statSync(WORKFLOW_BUNDLE).size, bare: Buffer.byteLength(bareBundle.code) };
    const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');

    const m = machine();
    const temporalLabel = oneServer ? 'time-skipping test server, one for both phases' : 'time-skipping test server, a fresh one per phase (same settings)';
    console.log('');
    console.log(`cases                         ${n}`);
    console.log(`starts                        ${startSeconds.toFixed(1)} s (${(n / startSeconds).toFixed(0)}/s), first snapshots +${snapshotSeconds.toFixed(1)} s`);
    console.log(`yellow burst                  ${yellowSeconds.toFixed(1)} s (${(n / yellowSeconds).toFixed(0)}/s)`);
    console.log(`red burst (measured)          ${redSeconds.toFixed(1)} s (${(n / redSeconds).toFixed(0)}/s), target ≤ ${TARGET_SECONDS} s: ${verdict}`);
    console.log(`  last red notification written ${((lastWrite.getTime() - r0Wall.getTime()) / 1000).toFixed(1)} s after the skip began (PostgreSQL clock)`);
    console.log(`exactly once                  ${exactlyOnce ? 'yes' : 'NO'}: ${JSON.stringify(checks)}`);
    console.log(`bare burst                    ${bareSeconds.toFixed(1)} s (${bareRate.toFixed(0)}/s), ${workerProcesses} worker process(es), its write ${barePersistence === 'local' ? 'a local activity' : 'an activity'}`);
    console.log(`history per case (${PROCEDURE})  p50 ${oursHistory.bytesP50} B, max ${oursHistory.bytesMax} B, ${oursHistory.eventsP50} events; per red ${oursHistory.tasksAfterLastTimer} workflow task(s), ${oursHistory.activitiesAfterLastTimer} activity task(s), ${oursHistory.localActivitiesAfterLastTimer} local activit(ies) (sample ${oursHistory.sampled})`);
    console.log(`history per case (bare)        p50 ${bareHistory.bytesP50} B, max ${bareHistory.bytesMax} B, ${bareHistory.eventsP50} events; per timer ${bareHistory.tasksAfterLastTimer} workflow task(s), ${bareHistory.activitiesAfterLastTimer} activity task(s)`);
    console.log(`replay of one case            ours ${replayMs.ours.toFixed(1)} ms, bare ${replayMs.bare.toFixed(1)} ms (${REPLAY_SAMPLE} histories each, fresh replay worker)`);
    console.log(`workflow bundle               ours ${(bundleBytes.ours / 1024).toFixed(0)} KiB, bare ${(bundleBytes.bare / 1024).toFixed(0)} KiB`);
    console.log(`load average at the end       ${load}`);
    console.log(`ratio ours/bare at ${n}: ${ratio.toFixed(2)}`);
    console.log(`machine: ${m.cpus} CPU(s) ${m.cpuModel}, ${m.totalMemGiB} GiB, Node ${m.node}, ${m.platform}; postgres: ${db.server}; temporal: ${temporalLabel}`);
    const rounded = (x: number) => Number(x.toFixed(2));
    console.log(
      JSON.stringify({
        bench: 'escalation-burst',
        at: new Date().toISOString(),
        machine: m,
        postgres: db.server,
        temporal: temporalLabel,
        bareActivity: barePersistence,
        workflowCache: cacheSize,
        workflowCacheIsDefault: cacheSetting === undefined,
        memoryPerCaseKiB: { workflowHeap: rounded(workflowHeapPerCaseKiB), residentSet: rounded(rssPerCachedCaseKiB) },
        barePaddingBytes: barePadding?.length ?? 0,
        workerProcesses,
        loadAverage: os.loadavg().map(rounded),
        bareSeconds: rounded(bareSeconds),
        barePerSecond: rounded(bareRate),
        ratio: rounded(ratio),
        history: { [PROCEDURE]: { ...oursHistory, histories: undefined }, bare: { ...bareHistory, histories: undefined } },
        replayMsPerCase: { ours: rounded(replayMs.ours), bare: rounded(replayMs.bare) },
        bundleBytes,
        cases: n,
        startSeconds: rounded(startSeconds),
        firstSnapshotsSeconds: rounded(snapshotSeconds),
        yellowSeconds: rounded(yellowSeconds),
        redSeconds: rounded(redSeconds),
        redPerSecond: rounded(n / redSeconds),
        redMarksSeconds: Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, rounded(v)])),
        targetSeconds: TARGET_SECONDS,
        verdict,
        exactlyOnce,
        checks,
      }),
    );
    await cleanups.run();
    return exactlyOnce ? 0 : 1;
  } catch (error) {
    console.error('benchmark FAILED:', error);
    await cleanups.run();
    return 1;
  }
}

/** Each history replayed from its start by a fresh replay worker (no cache): what a case outside the cache costs. */
async function replayMsPerCase(codePath: string, dataConverter: ReturnType<typeof encryptedDataConverter>, histories: { workflowId: string; history: temporal.api.history.v1.IHistory }[]) {
  // One untimed pass first: the worker's start and the bundle's first evaluation are not a case's cost.
  for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath }, dataConverter, replayName: 'burst-warm-up' }, histories.slice(0, 5))) {
    if (r.error) throw r.error;
  }
  const t = performance.now();
  for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath }, dataConverter, replayName: 'burst-replay' }, histories)) {
    if (r.error) throw r.error;
  }
  return (performance.now() - t) / histories.length;
}

/**
 * Histories as the server stores them (encoded protobuf, payloads encrypted) of an even sample of the workflows: size,
 * events, and the workflow tasks and activities after the last timer fired (what one red costs).
 */
async function historyStats(env: TestWorkflowEnvironment, ids: string[], sample: number) {
  const { EventType } = temporal.api.enums.v1;
  const step = Math.max(1, Math.floor(ids.length / sample));
  const picked = ids.filter((_, i) => i % step === 0).slice(0, sample);
  const bytes: number[] = [];
  const events: number[] = [];
  const tasks: number[] = [];
  const activities: number[] = [];
  const localActivities: number[] = [];
  const kept: { workflowId: string; history: temporal.api.history.v1.IHistory }[] = [];
  await pool(picked.length, 20, async (i) => {
    const history = await env.client.workflow.getHandle(picked[i]).fetchHistory();
    if (kept.length < REPLAY_SAMPLE) kept.push({ workflowId: picked[i], history });
    bytes.push(temporal.api.history.v1.History.encode(history).finish().length);
    const list = history.events ?? [];
    events.push(list.length);
    let lastTimer = -1;
    list.forEach((e, k) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED && (lastTimer = k));
    const after = list.slice(lastTimer + 1);
    tasks.push(after.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED).length);
    activities.push(after.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length);
    localActivities.push(after.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length);
  });
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    histories: kept,
    sampled: picked.length,
    bytesP50: percentile(sorted(bytes), 50),
    bytesMax: Math.max(...bytes),
    eventsP50: percentile(sorted(events), 50),
    tasksAfterLastTimer: percentile(sorted(tasks), 50),
    activitiesAfterLastTimer: percentile(sorted(activities), 50),
    localActivitiesAfterLastTimer: percentile(sorted(localActivities), 50),
  };
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('benchmark FAILED:', error);
    process.exit(1);
  },
);
