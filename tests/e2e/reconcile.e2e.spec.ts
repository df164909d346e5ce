import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import { Client, Connection } from '@temporalio/client';
import { exitCodeOf, formatReport, NoWorkerError, parseArgs, reconcile } from '../../src/cli/reconcile';
import { kernelReadModel, persistCaseSnapshot } from '../../src/db/case-store';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { caseWorkflowId, getKernelCaseQuery } from '../../workflows/contracts/case.contract';
import { waitFor } from '../support/cases';
import { testPrisma } from '../support/db';
import { requestJson } from '../support/http';
import { testDataConverter, testPersonalData } from '../support/kernel';
import { openSubject } from '../../src/infra/personal-data';
import { startDevServer, startTestService } from '../support/service';
import { uniqueUscc } from '../support/subjects';
import { uniqueQueue } from '../support/temporal';

// Reconciliation of the read model with Temporal: HTTP → Temporal dev server → worker → PostgreSQL, then read-model rows
// are deleted or rolled back behind the service's back, and `reconcile` must see it and, with --repair, undo it.
let temporal: DevServerHandle;
let service: RunningService;
let prisma: PrismaClient;
let connection: Connection;
let client: Client;
const taskQueue = uniqueQueue('e2e-reconcile');

beforeAll(async () => {
  temporal = await startDevServer();
  service = await startTestService(temporal.address, taskQueue);
  prisma = testPrisma();
  connection = await Connection.connect({ address: temporal.address });
  client = new Client({ connection, namespace: 'default', dataConverter: testDataConverter() });
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await connection?.close();
  await prisma?.$disconnect();
  await temporal?.stop();
});

const http = (method: string, path: string, body?: unknown) => requestJson(service.url, method, path, body);
const key = () => `reconcile-${Date.now()}-${Math.random().toString(36).slice(2)}`;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

/** Everything the read model holds of a case, but the write timestamps (a repair is a new write). */
async function rowsOf(caseId: string) {
  const row = await prisma.case.findUnique({ where: { id: caseId } });
  // Assignment lives outside the workflow (decision 0020): a row rebuilt from Temporal is assigned to its filer again,
  // by the filer, at the repair; who and by whom are compared, not when.
  // The subject is sealed with a fresh IV at each write (decision 0021): compared opened.
  const { createdAt: _c, updatedAt: _u, assignedAt: _a, subjectSealed, ...rest } = row ?? ({} as NonNullable<typeof row>);
  const kase = { ...rest, subject: subjectSealed ? openSubject(testPersonalData, subjectSealed) : null };
  const deadlines = (await prisma.deadline.findMany({ where: { caseId }, orderBy: { key: 'asc' } })).map(({ updatedAt: _d, ...d }) => d);
  const events = await prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } });
  const escalations = await prisma.escalation.findMany({ where: { caseId }, orderBy: [{ deadlineKey: 'asc' }, { level: 'asc' }] });
  return { case: row ? kase : null, deadlines, events, escalations };
}

it('reports rows deleted or rolled back behind the service as drift, and --repair writes them back as they were', async () => {
  // A case 12 days old (its reds are on record) that a caseworker acted on, and a fresh one.
  const old = await http('POST', '/cases', { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: key(), receivedAt: daysAgo(12), subject: { name: '某某科技有限公司', uscc: uniqueUscc() } });
  expect(old.status).toBe(201);
  expect((await http('POST', `/cases/${old.body.id}/actions`, { action: 'mark-disputed' })).status).toBe(200);
  const fresh = await http('POST', '/cases', { procedure: 'credit-complaint', idempotencyKey: key(), receivedAt: new Date().toISOString(), subject: { name: '某某咨询有限公司', uscc: uniqueUscc() } });
  expect(fresh.status).toBe(201);
  const ids = [old.body.id as string, fresh.body.id as string];
  const inStep = await waitFor(async () => {
    const r = await reconcile({ prisma, personalData: testPersonalData, client, taskQueue, caseIds: ids });
    return r.inStep === 2 && !r.drift.length ? r : undefined;
  });
  expect(inStep).toMatchObject({ workflows: 2, rows: 2, unanswered: [] });
  const before = await rowsOf(old.body.id);
  expect(before.escalations.filter((e) => e.level === 'red').length).toBeGreaterThanOrEqual(1);
  const freshEvents = await prisma.caseEvent.count({ where: { caseId: fresh.body.id } });

  // Drift: the old case's rows are gone; the fresh case lost its latest event and is one revision behind.
  await prisma.$executeRaw`DELETE FROM cases WHERE id = ${old.body.id}::uuid`;
  await prisma.$executeRaw`DELETE FROM case_events WHERE case_id = ${fresh.body.id}::uuid AND seq = ${freshEvents}`;
  await prisma.$executeRaw`UPDATE cases SET revision = revision - 1 WHERE id = ${fresh.body.id}::uuid`;

  const found = await reconcile({ prisma, personalData: testPersonalData, client, taskQueue, caseIds: ids });
  expect(found.drift.map((d) => [d.caseId, d.kind])).toEqual(
    expect.arrayContaining([
      [old.body.id, 'missing-case-row'],
      [fresh.body.id, 'stale-revision'],
      [fresh.body.id, 'missing-events'],
    ]),
  );
  expect(found.drift).toHaveLength(3);
  expect(exitCodeOf(found, false)).toBe(1);
  expect(formatReport(found, false)).toContain('run with --repair');
  // Reporting writes nothing.
  expect((await rowsOf(old.body.id)).case).toBeNull();

  const repaired = await reconcile({ prisma, personalData: testPersonalData, client, taskQueue, caseIds: ids, repair: true });
  expect(repaired.drift.every((d) => d.repaired)).toBe(true);
  expect(exitCodeOf(repaired, true)).toBe(0);
  expect(await rowsOf(old.body.id)).toEqual(before);
  expect(await prisma.caseEvent.count({ where: { caseId: fresh.body.id } })).toBe(freshEvents);

  const after = await reconcile({ prisma, personalData: testPersonalData, client, taskQueue, caseIds: ids });
  expect(after).toMatchObject({ inStep: 2, drift: [] });
  expect(exitCodeOf(after, false)).toBe(0);
}, 120_000);

it('reports a read-model case whose workflow Temporal does not have, which it cannot repair', async () => {
  const filed = await http('POST', '/cases', { procedure: 'credit-complaint', idempotencyKey: key(), receivedAt: new Date().toISOString(), subject: { name: '某某咨询有限公司', uscc: uniqueUscc() } });
  expect(filed.status).toBe(201);
  const state = await client.workflow.getHandle(caseWorkflowId(filed.body.id)).query(getKernelCaseQuery);
  const ghost = randomUUID();
  await persistCaseSnapshot(prisma, testPersonalData, { ...kernelReadModel(state), caseId: ghost, idempotencyKey: `ghost-${ghost}` });

  const r = await reconcile({ prisma, personalData: testPersonalData, client, taskQueue, caseIds: [ghost], repair: true });
  expect(r.drift).toEqual([expect.objectContaining({ caseId: ghost, kind: 'workflow-missing' })]);
  expect(r.drift[0].repaired).toBeFalsy();
  expect(exitCodeOf(r, true)).toBe(1);
});

it('says that a worker is needed when none polls the task queue', async () => {
  const nobody = uniqueQueue('e2e-reconcile-no-worker');
  const attempt = reconcile({ prisma, personalData: testPersonalData, client, taskQueue: nobody });
  await expect(attempt).rejects.toBeInstanceOf(NoWorkerError);
  await expect(attempt).rejects.toThrow(`no worker polls task queue "${nobody}"`);
});

it('reads its arguments, refusing what it does not know', () => {
  const id = randomUUID();
  expect(parseArgs(['--repair', '--case', id])).toEqual({ repair: true, caseIds: [id] });
  expect(parseArgs([])).toEqual({ repair: false, caseIds: undefined });
  expect(() => parseArgs(['--fix'])).toThrow('unknown argument "--fix"');
  expect(() => parseArgs(['--case', 'abc'])).toThrow('--case takes a case id');
});
