import type { PrismaClient } from '@prisma/client';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { caseWorkflowId, getKernelCaseQuery } from '../../workflows/contracts/case.contract';
import { loadConfig } from '../config/config';
import { kernelReadModel, persistCaseSnapshot, ReadModelCase } from '../db/case-store';
import { createPrisma } from '../db/prisma';
import { openLocalInstall, LocalInstall } from '../infra/local-install';
import { encryptedDataConverter, PAYLOAD_KEYS_SETTING } from '../infra/payload-codec';
import { PersonalDataCipher } from '../infra/personal-data';
import { RunningService, startService } from '../service';

/**
 * `npm run reconcile [-- --repair] [--case <id> ...]`: compares Temporal's view of every case (the case workflows
 * listed by visibility, each queried for its state) with the read model, reports the drift and, with --repair, writes
 * the workflow's snapshot through persistCaseSnapshot (idempotent and order-safe, so repairing a case whose
 * activity is in flight changes nothing twice). Exit code: 0 in step (or repaired), 1 drift left, 2 cannot tell.
 */

export type DriftKind = 'missing-case-row' | 'stale-revision' | 'missing-events' | 'missing-escalations' | 'deadlines-differ' | 'workflow-missing';

export interface Drift {
  caseId: string;
  kind: DriftKind;
  detail: string;
  repaired?: boolean;
}

export interface ReconcileReport {
  workflows: number;
  rows: number;
  inStep: number;
  drift: Drift[];
  /** Closed cases whose workflow Temporal no longer keeps (past the namespace retention): expected, not drift. */
  closedPastRetention: number;
  /** Workflows that did not answer their query in time (no worker, or a stuck one). */
  unanswered: string[];
}

export interface ReconcileOptions {
  prisma: PrismaClient;
  /** Encrypts the subject of a repaired row (decision 0021). */
  personalData: PersonalDataCipher;
  client: Client;
  taskQueue: string;
  /** Only these cases (default: every case workflow on the task queue and every read-model row). */
  caseIds?: string[];
  repair?: boolean;
  queryTimeoutMs?: number;
  concurrency?: number;
}

export class NoWorkerError extends Error {
  constructor(taskQueue: string, namespace: string) {
    super(
      `no worker polls task queue "${taskQueue}" in namespace "${namespace}": the workflows' state is read by queries, which a worker answers — ` +
        'start the service with RUN_WORKER=true (or the worker-only process) against this Temporal and run reconcile again',
    );
  }
}

interface RowFigures {
  id: string;
  workflow_id: string;
  revision: number;
  closed: boolean;
  events: number;
  escalations: number;
  deadlines: number;
}

const CASE_TYPES = ['caseWorkflow'];
const caseIdOf = (workflowId: string) => workflowId.replace(/^case-/, '');

export async function reconcile(o: ReconcileOptions): Promise<ReconcileReport> {
  const { client, prisma } = o;
  if (!(await workerPolls(client, o.taskQueue))) throw new NoWorkerError(o.taskQueue, client.options.namespace);
  const scope = o.caseIds ? new Set(o.caseIds) : undefined;

  // Temporal's side: the current run of every case workflow.
  const workflows = new Map<string, string>();
  const typeFilter = CASE_TYPES.map((t) => `WorkflowType = '${t}'`).join(' OR ');
  for await (const w of client.workflow.list({ query: `TaskQueue = '${o.taskQueue}' AND (${typeFilter})` })) {
    if (w.status.name === 'CONTINUED_AS_NEW') continue;
    const caseId = caseIdOf(w.workflowId);
    if (!scope || scope.has(caseId)) workflows.set(caseId, w.type);
  }
  const rows = await readRows(prisma, o.caseIds);
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const report: ReconcileReport = { workflows: 0, rows: rows.length, inStep: 0, drift: [], closedPastRetention: 0, unanswered: [] };

  // Rows whose workflow visibility did not list (it lags behind a start by a moment): asked directly.
  for (const row of rows) {
    if (workflows.has(row.id)) continue;
    try {
      const d = await client.workflow.getHandle(row.workflow_id).describe();
      workflows.set(row.id, d.type);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      if (row.closed) report.closedPastRetention += 1;
      else report.drift.push({ caseId: row.id, kind: 'workflow-missing', detail: `the read model has an open case (revision ${row.revision}) but Temporal has no workflow ${row.workflow_id}` });
    }
  }
  report.workflows = workflows.size;

  const pending = [...workflows.entries()];
  const check = async ([caseId]: [string, string]) => {
    const state = await queryState(client, caseId, o.queryTimeoutMs ?? 10_000);
    if (!state) return void report.unanswered.push(caseId);
    const found = compare(caseId, state.model, rowById.get(caseId));
    if (!found.length) return void (report.inStep += 1);
    if (o.repair) {
      await persistCaseSnapshot(prisma, o.personalData, state.model, state.credit);
      const [after] = await readRows(prisma, [caseId]);
      const left = new Set(compare(caseId, state.model, after).map((d) => d.kind));
      for (const d of found) d.repaired = !left.has(d.kind);
    }
    report.drift.push(...found);
  };
  await Promise.all(
    Array.from({ length: o.concurrency ?? 8 }, async () => {
      for (let next = pending.shift(); next; next = pending.shift()) await check(next);
    }),
  );
  report.drift.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : a.kind < b.kind ? -1 : 1));
  return report;
}

function compare(caseId: string, model: ReadModelCase, row: RowFigures | undefined): Drift[] {
  if (!row) return [{ caseId, kind: 'missing-case-row', detail: `Temporal has revision ${model.revision}; the read model has no row` }];
  const drift: Drift[] = [];
  if (row.revision < model.revision) drift.push({ caseId, kind: 'stale-revision', detail: `read model revision ${row.revision}, workflow revision ${model.revision}` });
  if (row.events < model.events.length) drift.push({ caseId, kind: 'missing-events', detail: `${row.events} of ${model.events.length} audit events` });
  if (row.escalations < model.escalations.length) drift.push({ caseId, kind: 'missing-escalations', detail: `${row.escalations} of ${model.escalations.length} escalations` });
  if (row.deadlines !== model.deadlines.length) drift.push({ caseId, kind: 'deadlines-differ', detail: `${row.deadlines} deadlines in the read model, ${model.deadlines.length} in the workflow` });
  return drift;
}

async function queryState(client: Client, caseId: string, timeoutMs: number) {
  const handle = client.workflow.getHandle(caseWorkflowId(caseId));
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, async () => {
      const c = await handle.query(getKernelCaseQuery);
      return { model: kernelReadModel(c), credit: c.creditEffects };
    });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    if (isTimeout(error)) return undefined;
    throw error;
  }
}

const isTimeout = (error: unknown) => /deadline|timed? ?out|DEADLINE_EXCEEDED|no poller/i.test(String((error as Error)?.message ?? error));

async function readRows(prisma: PrismaClient, caseIds?: string[]): Promise<RowFigures[]> {
  const rows = await prisma.$queryRaw<RowFigures[]>`
    SELECT c.id::text AS id, c.workflow_id, c.revision, c.closed_at IS NOT NULL AS closed,
           (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id) AS events,
           (SELECT count(*)::int FROM escalations x WHERE x.case_id = c.id) AS escalations,
           (SELECT count(*)::int FROM deadlines d WHERE d.case_id = c.id) AS deadlines
    FROM cases c
    WHERE ${caseIds ?? null}::uuid[] IS NULL OR c.id = ANY(${caseIds ?? null}::uuid[])`;
  return rows;
}

/** Whether a worker polled the task queue in the last minute (queries need one). */
export async function workerPolls(client: Client, taskQueue: string): Promise<boolean> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (res.pollers ?? []).some((p) => Date.now() - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < 60_000);
}

export function formatReport(r: ReconcileReport, repair: boolean): string {
  const lines = [
    `case workflows: ${r.workflows}, read-model rows: ${r.rows}, in step: ${r.inStep}, closed past retention: ${r.closedPastRetention}`,
    ...r.drift.map((d) => `  ${d.kind.padEnd(20)} ${d.caseId}  ${d.detail}${repair ? (d.repaired ? '  → repaired' : '  → NOT repaired') : ''}`),
  ];
  if (r.unanswered.length) lines.push(`${r.unanswered.length} workflow(s) did not answer their query in time (is a worker running?): ${r.unanswered.slice(0, 10).join(', ')}`);
  if (!r.drift.length) lines.push('no drift: the read model matches Temporal');
  else if (!repair) lines.push(`${r.drift.length} drift(s): run with --repair to write each workflow's snapshot to the read model`);
  return lines.join('\n');
}

/** 0: in step or every drift repaired; 1: drift left; 2: some state could not be read. */
export function exitCodeOf(r: ReconcileReport, repair: boolean): number {
  if (r.unanswered.length) return 2;
  const left = r.drift.filter((d) => !(repair && d.repaired));
  return left.length ? 1 : 0;
}

export function parseArgs(argv: string[]): { repair: boolean; caseIds?: string[] } {
  const caseIds: string[] = [];
  let repair = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repair') repair = true;
    else if (argv[i] === '--case' && argv[i + 1]) caseIds.push(argv[++i]);
    else throw new Error(`usage: npm run reconcile -- [--repair] [--case <case id> ...]  (unknown argument "${argv[i]}")`);
  }
  for (const id of caseIds) if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Error(`--case takes a case id (UUID), got "${id}"`);
  return { repair, caseIds: caseIds.length ? caseIds : undefined };
}

async function main() {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return process.exit(2);
  }
  const env = process.env;
  // A local install with no settings: npm start's PostgreSQL and Temporal, running or started for this command.
  const needsLocal = !env.DATABASE_URL || !env.TEMPORAL_ADDRESS || !env[PAYLOAD_KEYS_SETTING];
  let local: LocalInstall | undefined;
  try {
    local = needsLocal ? await openLocalInstall(env, (line) => console.error(line)) : undefined;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return process.exit(2);
  }
  const config = loadConfig({ ...env, ...local?.env });
  const connection = await Connection.connect({
    address: config.temporalAddress,
    ...(config.temporalTls ? { tls: config.temporalTls } : {}),
    ...(config.temporalApiKey ? { apiKey: config.temporalApiKey } : {}),
  });
  const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter: encryptedDataConverter(config.payloadEncryptionKeys) });
  const prisma = createPrisma(config.databaseUrl, 4);
  let worker: RunningService | undefined;
  try {
    if (local && (local.startedTemporal || !(await workerPolls(client, config.taskQueue)))) {
      console.error('no worker polls the local install (its service is not running): running one for this command');
      env.LOG_LEVEL ||= 'warn';
      worker = await startService({ ...config, logLevel: env.LOG_LEVEL, runApi: false, runWorker: true, temporalMetricsPort: undefined });
      const until = Date.now() + 30_000;
      while (!(await workerPolls(client, config.taskQueue)) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    }
    const personalData = new PersonalDataCipher(config.payloadEncryptionKeys!, config.personalDataCipher);
    const report = await reconcile({ prisma, personalData, client, taskQueue: config.taskQueue, caseIds: args.caseIds, repair: args.repair });
    console.log(formatReport(report, args.repair));
    process.exitCode = exitCodeOf(report, args.repair);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = error instanceof NoWorkerError ? 2 : 1;
  } finally {
    await worker?.stop();
    await prisma.$disconnect();
    await connection.close();
    await local?.stop();
  }
}

if (require.main === module) void main();
