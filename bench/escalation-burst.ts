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
 * Env: BURST_CASES, BURST_START_CONCURRENCY (default 100), WORKFLOW_CACHE_SIZE (the worker's cache, as for the
 * service; default the SDK's, from the heap size), BURST_TIMEOUT_S (default 900, per phase).
 * Prints the phases, a verdict against the target and a final JSON line. Exit 0 when every case escalated exactly
 * once (a missed 60 s target is reported, not an exit code), 1 otherwise.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import { kernelDefinitionFor } from '../procedures';
import { calendarFrom, loadCalendar, seedCalendar } from '../src/db/calendar-store';
import { migrate } from '../src/db/migrate';
import { createPrisma } from '../src/db/prisma';
import { encryptedDataConverter, PayloadKeyRing } from '../src/infra/payload-codec';
import { PersonalDataCipher } from '../src/infra/personal-data';
import { temporalTestServerPath } from '../src/infra/tools';
import { createCaseWorker } from '../src/worker/worker';
import type { caseWorkflow } from '../workflows/case.workflow';
import { caseWorkflowId, CaseWorkflowInput } from '../workflows/contracts/case.contract';
import { Cleanups, describeError, machine, sleep, throwawayDatabase } from './throwaway-database';

const TARGET_SECONDS = 60;
const PROCEDURE = 'credit-complaint';
const VERSION = 1;
const DEADLINE_KEY = 'reply';
const DISTRICTS = 10;
const POLL_MS = 200;

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
  const cacheSize = process.env.WORKFLOW_CACHE_SIZE?.trim() ? Number(process.env.WORKFLOW_CACHE_SIZE) : undefined;
  if (cacheSize !== undefined && (!Number.isInteger(cacheSize) || cacheSize < 0)) throw new Error(`WORKFLOW_CACHE_SIZE must be a whole number ≥ 0`);
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

    // ---------------------------------------------------------------- Temporal: time-skipping server and the real worker
    const t0 = performance.now();
    // Payloads encrypted as in production, under a key of this run.
    const keys = PayloadKeyRing.parse(`burst:${randomBytes(32).toString('base64')}`);
    const dataConverter = encryptedDataConverter(keys);
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
      client: { dataConverter },
    });
    cleanups.add('time-skipping server', () => env.teardown());
    const taskQueue = `burst-${randomUUID()}`;
    const worker = await createCaseWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, prisma, personalData: new PersonalDataCipher(keys), dataConverter, maxCachedWorkflows: cacheSize });
    const workerRun = worker.run();
    let workerFailure: string | undefined;
    workerRun.catch((error) => (workerFailure = describeError(error)));
    cleanups.add('worker', async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun.catch(() => undefined);
    });
    console.log(`time-skipping server and case worker ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (task queue ${taskQueue}, workflow cache ${cacheSize ?? 'SDK default'})`);

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
    console.log(`starting ${n} ${PROCEDURE} cases received at ${receivedAt} (concurrency ${startConcurrency})…`);
    const s0 = performance.now();
    await pool(n, startConcurrency, async (i) => {
      const input = inputOf(i);
      await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', { taskQueue, workflowId: caseWorkflowId(input.caseId), args: [input] });
    });
    const startSeconds = (performance.now() - s0) / 1000;
    console.log(`started in ${startSeconds.toFixed(1)} s (${(n / startSeconds).toFixed(0)}/s)`);
    const snapshotSeconds = await waitUntil('first snapshots', () => count(`SELECT count(*) AS n FROM deadlines WHERE key = $1`, [DEADLINE_KEY]), n);
    console.log(`every first snapshot in the read model ${snapshotSeconds.toFixed(1)} s after the last start`);

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

    const m = machine();
    console.log('');
    console.log(`cases                         ${n}`);
    console.log(`starts                        ${startSeconds.toFixed(1)} s (${(n / startSeconds).toFixed(0)}/s), first snapshots +${snapshotSeconds.toFixed(1)} s`);
    console.log(`yellow burst                  ${yellowSeconds.toFixed(1)} s (${(n / yellowSeconds).toFixed(0)}/s)`);
    console.log(`red burst (measured)          ${redSeconds.toFixed(1)} s (${(n / redSeconds).toFixed(0)}/s), target ≤ ${TARGET_SECONDS} s: ${verdict}`);
    console.log(`  last red notification written ${((lastWrite.getTime() - r0Wall.getTime()) / 1000).toFixed(1)} s after the skip began (PostgreSQL clock)`);
    console.log(`exactly once                  ${exactlyOnce ? 'yes' : 'NO'}: ${JSON.stringify(checks)}`);
    console.log(`machine: ${m.cpus} CPU(s) ${m.cpuModel}, ${m.totalMemGiB} GiB, Node ${m.node}, ${m.platform}; postgres: ${db.server}; temporal: time-skipping test server`);
    const rounded = (x: number) => Number(x.toFixed(2));
    console.log(
      JSON.stringify({
        bench: 'escalation-burst',
        at: new Date().toISOString(),
        machine: m,
        postgres: db.server,
        temporal: 'time-skipping test server',
        workflowCache: cacheSize ?? 'sdk-default',
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

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('benchmark FAILED:', error);
    process.exit(1);
  },
);
