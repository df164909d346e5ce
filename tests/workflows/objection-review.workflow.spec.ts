import type { PrismaClient } from '@prisma/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities/case.activities';
import { calendarFrom, loadCalendar } from '../../src/db/calendar-store';
import { calendarUpdatedSignal, getCaseQuery, performActionUpdate } from '../../workflows/contracts/case.contract';
import { objectionInput, startObjection, waitFor } from '../support/cases';
import { testPrisma } from '../support/db';
import { createTimeSkippingEnv, uniqueQueue } from '../support/temporal';

// Real time-skipping Temporal server, real activities, real PostgreSQL.
let env: TestWorkflowEnvironment;
let prisma: PrismaClient;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  prisma = testPrisma();
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
}, 120_000);

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

afterAll(async () => {
  await prisma?.$disconnect();
  await env?.teardown();
});

/** `cached: false` turns off sticky execution, so a replacement worker gets the next task at once. */
function newWorker(taskQueue: string, cached = true): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: createActivities({ prisma }),
    ...(cached ? {} : { maxCachedWorkflows: 0 }),
  });
}

async function serverNow(): Promise<string> {
  return new Date(await env.currentTimeMs()).toISOString();
}

const deadline = (caseId: string, key: string) => prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId, key } } });
const escalations = (caseId: string) => prisma.escalation.findMany({ where: { caseId }, orderBy: [{ deadlineKey: 'asc' }, { level: 'asc' }] });
const eventTypes = async (caseId: string) => (await prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } })).map((e) => e.type);

async function refusalOf(promise: Promise<unknown>): Promise<{ type: string | undefined; rule?: string }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    const failure = cause as ApplicationFailure;
    return { type: failure.type ?? undefined, rule: (failure.details?.[0] as { rule?: string } | undefined)?.rule };
  }
  throw new Error('the update was not refused');
}

describe('objection review workflow (time-skipping server, PostgreSQL)', () => {
  it('runs the assisted, suspended, upheld path and closes when every downstream system confirms', async () => {
    const taskQueue = uniqueQueue('wf-full');
    const worker = await newWorker(taskQueue);
    const now = await serverNow();
    const input = await objectionInput(prisma, now, now);
    const handle = await startObjection(env.client, taskQueue, input);
    const act = (body: object) => handle.executeUpdate(performActionUpdate, { args: [body] });

    await worker.runUntil(async () => {
      await act({ action: 'mark-disputed', evidenceRef: 'doc-1' });
      const decisionBefore = await deadline(input.caseId, 'decision');
      await act({ action: 'request-assistance', units: [{ unitId: 'market-bureau' }, { unitId: 'tax-bureau', name: 'Tax' }] });

      const assisted = await deadline(input.caseId, 'decision');
      expect((assisted.explanation as { period: unknown }).period).toEqual({ workingDays: 7 });
      expect(assisted.dueAt!.getTime()).toBeGreaterThan(decisionBefore.dueAt!.getTime());
      expect(assisted.previous).toEqual([expect.objectContaining({ dueAt: decisionBefore.dueAt!.toISOString() })]);
      const reply = await deadline(input.caseId, 'assistance-reply:market-bureau');
      expect((reply.explanation as { period: unknown }).period).toEqual({ workingDays: 2 });

      await act({ action: 'record-assistance-reply', unitId: 'market-bureau', result: 'record confirmed wrong' });
      await act({ action: 'suspend', reason: 'testing', evidenceRef: 'lab-order-7' });
      expect((await deadline(input.caseId, 'decision')).status).toBe('suspended');
      expect((await deadline(input.caseId, 'decision')).dueAt).toBeNull();

      await env.sleep('6 days');
      await act({ action: 'resume', evidenceRef: 'lab-report-7' });
      const resumed = await deadline(input.caseId, 'decision');
      expect(resumed.dueAt!.getTime()).toBeGreaterThan(assisted.dueAt!.getTime());
      expect((resumed.previous as unknown[]).length).toBe(3);
      expect((resumed.explanation as { suspensions: { daysNotCounted: string[] }[] }).suspensions[0].daysNotCounted.length).toBeGreaterThan(0);

      // Every deadline that passed while time was skipped has been escalated to red, once.
      const at = new Date(await env.currentTimeMs());
      for (const d of await prisma.deadline.findMany({ where: { caseId: input.caseId } })) {
        const reds = (await escalations(input.caseId)).filter((e) => e.deadlineKey === d.key && e.level === 'red');
        const passedWhileOpen = d.dueAt !== null && d.dueAt <= at && (d.completedAt === null || d.completedAt > d.dueAt);
        expect({ key: d.key, reds: reds.length }).toEqual({ key: d.key, reds: passedWhileOpen ? 1 : 0 });
      }

      await act({ action: 'decide', outcome: 'upheld', downstreamSystems: ['credit-china', 'city-portal'] });
      expect((await prisma.case.findUniqueOrThrow({ where: { id: input.caseId } })).state).toBe('correcting');
      const corrections = await prisma.deadline.findMany({ where: { caseId: input.caseId, key: { startsWith: 'correction:' } } });
      expect(corrections.map((d) => d.key).sort()).toEqual(['correction:city-portal', 'correction:credit-china']);
      expect((await deadline(input.caseId, 'assistance-reply:tax-bureau')).status).toBe('cancelled');

      await act({ action: 'confirm-correction', system: 'credit-china' });
      await act({ action: 'confirm-correction', system: 'city-portal' });
      const result = await handle.result();
      expect(result.state).toBe('closed');
    });

    const row = await prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
    expect({ state: row.state, outcome: row.outcome }).toEqual({ state: 'closed', outcome: 'upheld' });
    const types = (await eventTypes(input.caseId)).filter((t) => !t.startsWith('deadline.'));
    expect(types).toEqual([
      'case.filed',
      'record.marked-disputed',
      'assistance.requested',
      'assistance.replied',
      'clock.suspended',
      'clock.resumed',
      'decision.upheld',
      'correction.confirmed',
      'correction.confirmed',
    ]);
  });

  it('fires yellow when one working day remains and red when the deadline passes, each exactly once', async () => {
    const taskQueue = uniqueQueue('wf-escalation');
    const worker = await newWorker(taskQueue);
    const now = await serverNow();
    const input = await objectionInput(prisma, now, now);
    const handle = await startObjection(env.client, taskQueue, input);

    await worker.runUntil(async () => {
      await waitFor(async () => (await prisma.case.findUnique({ where: { id: input.caseId } }))?.revision);
      await handle.executeUpdate(performActionUpdate, { args: [{ action: 'mark-disputed' }] });
      const decision = await deadline(input.caseId, 'decision');
      const yellowAt = Date.parse((decision.explanation as { yellowAt: string }).yellowAt);
      const dueAt = decision.dueAt!.getTime();
      expect(yellowAt).toBeLessThan(dueAt);

      await env.sleep(yellowAt - (await env.currentTimeMs()) - 60_000);
      await handle.query(getCaseQuery);
      expect((await escalations(input.caseId)).filter((e) => e.deadlineKey === 'decision')).toEqual([]);

      await env.sleep(120_000);
      await waitFor(async () => (await escalations(input.caseId)).some((e) => e.deadlineKey === 'decision' && e.level === 'yellow'));
      expect((await deadline(input.caseId, 'decision')).status).toBe('running');

      await env.sleep(dueAt - (await env.currentTimeMs()) + 60_000);
      await waitFor(async () => (await escalations(input.caseId)).some((e) => e.deadlineKey === 'decision' && e.level === 'red'));
      expect((await deadline(input.caseId, 'decision')).status).toBe('overdue');
      await env.sleep('3 days');
      await handle.query(getCaseQuery);

      await handle.executeUpdate(performActionUpdate, { args: [{ action: 'decide', outcome: 'rejected', reasons: 'the record is accurate' }] });
      await handle.result();
    });

    const decisionEscalations = (await escalations(input.caseId)).filter((e) => e.deadlineKey === 'decision');
    expect(decisionEscalations.map((e) => e.level)).toEqual(['red', 'yellow']);
    const decisionCards = await prisma.caseEvent.findMany({ where: { caseId: input.caseId, type: { startsWith: 'deadline.' }, data: { path: ['deadlineKey'], equals: 'decision' } } });
    expect(decisionCards.map((e) => e.type).sort()).toEqual(['deadline.red', 'deadline.yellow']);
    expect((await deadline(input.caseId, 'decision')).status).toBe('met-late');
  });

  it('still fires the escalation exactly once when the worker restarts while the timer is pending', async () => {
    const taskQueue = uniqueQueue('wf-restart');
    const now = await serverNow();
    const input = await objectionInput(prisma, now, now);
    const handle = await startObjection(env.client, taskQueue, input);

    const first = await newWorker(taskQueue, false);
    await first.runUntil(async () => {
      await waitFor(async () => (await prisma.case.findUnique({ where: { id: input.caseId } }))?.revision);
      // Marking leaves the decision's yellow card as the next timer.
      await handle.executeUpdate(performActionUpdate, { args: [{ action: 'mark-disputed' }] });
      // Stop only once the workflow is idle on its timer, with no task left for this worker.
      await waitFor(async () => {
        const { raw } = await handle.describe();
        return !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0;
      });
    });
    const decision = await deadline(input.caseId, 'decision');
    const yellowAt = Date.parse((decision.explanation as { yellowAt: string }).yellowAt);

    // No worker now: the timer fires on the server and its task waits for one (time stops skipping then, so go just past).
    await env.sleep(yellowAt - (await env.currentTimeMs()) + 1_000);
    expect((await escalations(input.caseId)).filter((e) => e.deadlineKey === 'decision')).toEqual([]);

    const second = await newWorker(taskQueue, false);
    await second.runUntil(waitFor(async () => (await escalations(input.caseId)).some((e) => e.deadlineKey === 'decision' && e.level === 'yellow')));

    const third = await newWorker(taskQueue, false);
    await third.runUntil(async () => {
      await handle.query(getCaseQuery);
      await handle.executeUpdate(performActionUpdate, { args: [{ action: 'refer', competentUnit: 'Municipal Tax Bureau' }] });
      await handle.result();
    });
    expect((await escalations(input.caseId)).filter((e) => e.deadlineKey === 'decision' && e.level === 'yellow')).toHaveLength(1);
    expect((await eventTypes(input.caseId)).filter((t) => t === 'deadline.yellow')).toHaveLength(
      (await escalations(input.caseId)).filter((e) => e.level === 'yellow').length,
    );
    const row = await prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
    expect({ state: row.state, outcome: row.outcome }).toEqual({ state: 'closed', outcome: 'referred' });
  });

  it('refuses what the law or the state forbids, naming the rule, and changes nothing', async () => {
    const taskQueue = uniqueQueue('wf-refusals');
    const worker = await newWorker(taskQueue);
    const now = await serverNow();
    const standard = await objectionInput(prisma, now, now);
    const listed = await objectionInput(prisma, now, now, 'serious-dishonesty-list');
    const h1 = await startObjection(env.client, taskQueue, standard);
    const h2 = await startObjection(env.client, taskQueue, listed);
    const act = (h: typeof h1, body: object) => h.executeUpdate(performActionUpdate, { args: [body] });

    await worker.runUntil(async () => {
      await waitFor(async () => (await prisma.case.findUnique({ where: { id: standard.caseId } }))?.revision);
      const before = await prisma.case.findUniqueOrThrow({ where: { id: standard.caseId } });

      expect(await refusalOf(act(h1, { action: 'decide', outcome: 'upheld' }))).toEqual({ type: 'ActionRefused', rule: 'objection-review/mark-before-decision' });
      expect(await refusalOf(act(h1, { action: 'resume' }))).toEqual({ type: 'ActionRefused', rule: 'objection-review/not-suspended' });
      expect(await refusalOf(act(h1, { action: 'suspend', reason: 'holiday' }))).toEqual({ type: 'ActionRefused', rule: 'objection-review/suspension-reason' });
      expect(await refusalOf(act(h1, { action: 'fly' }))).toEqual({ type: 'InvalidAction', rule: undefined });
      await act(h1, { action: 'mark-disputed' });
      expect(await refusalOf(act(h1, { action: 'decide', outcome: 'rejected' }))).toEqual({ type: 'ActionRefused', rule: 'objection-review/rejection-needs-reasons' });
      expect(await refusalOf(act(h1, { action: 'mark-disputed' }))).toEqual({ type: 'ActionRefused', rule: 'objection-review/already-done' });

      const after = await prisma.case.findUniqueOrThrow({ where: { id: standard.caseId } });
      expect(after.revision).toBe(before.revision + 1); // only the one accepted action wrote

      expect(await refusalOf(act(h2, { action: 'request-assistance', units: [{ unitId: 'x' }] }))).toEqual({
        type: 'ActionRefused',
        rule: 'objection-review/art35-no-assistance',
      });
      await act(h2, { action: 'decide', outcome: 'upheld' });
      const result = await h2.result();
      expect(result.state).toBe('closed');
    });

    const listedDeadlines = await prisma.deadline.findMany({ where: { caseId: listed.caseId } });
    expect(listedDeadlines.map((d) => d.key)).toEqual(['decision']);
    const upheld = await prisma.caseEvent.findFirstOrThrow({ where: { caseId: listed.caseId, type: 'decision.upheld' } });
    expect(JSON.stringify(upheld.data)).toContain('remove subject from the serious-dishonesty list');
  });

  it('applies the overdue consequences of a late-entered case at once: red, never yellow', async () => {
    const taskQueue = uniqueQueue('wf-late');
    const worker = await newWorker(taskQueue);
    const now = await serverNow();
    const received = new Date(Date.parse(now) - 30 * 86_400_000).toISOString();
    const input = await objectionInput(prisma, received, now);
    await startObjection(env.client, taskQueue, input);
    await worker.runUntil(waitFor(async () => (await escalations(input.caseId)).length === 2));
    const rows = await escalations(input.caseId);
    expect(rows.map((e) => `${e.deadlineKey}/${e.level}`)).toEqual(['decision/red', 'mark-disputed/red']);
    expect((await deadline(input.caseId, 'decision')).status).toBe('overdue');
  });

  it('recomputes provisional deadlines when a missing calendar year is loaded, keeping the old values', async () => {
    const taskQueue = uniqueQueue('wf-calendar');
    const worker = await newWorker(taskQueue);
    const now = await serverNow();
    const input = await objectionInput(prisma, now, now);
    const full = await loadCalendar(prisma);
    input.calendar = { version: 'empty-test-calendar', years: {} };
    const handle = await startObjection(env.client, taskQueue, input);
    await worker.runUntil(async () => {
      await waitFor(async () => (await prisma.case.findUnique({ where: { id: input.caseId } }))?.revision);
      const before = await deadline(input.caseId, 'decision');
      expect(before.provisional).toBe(true);
      await handle.signal(calendarUpdatedSignal, calendarFrom(full, Number(now.slice(0, 4))));
      await waitFor(async () => (await deadline(input.caseId, 'decision')).calendarVersion === full.version);
    });
    const after = await deadline(input.caseId, 'decision');
    const coveredNow = Object.keys(full.years).includes(now.slice(0, 4));
    expect(after.provisional).toBe(!coveredNow || after.provisional);
    expect(after.previous).toEqual([expect.objectContaining({ calendarVersion: 'empty-test-calendar' })]);
    const audit = await prisma.caseEvent.findMany({ where: { caseId: input.caseId, type: 'calendar.recomputed' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'system', data: { calendarVersion: full.version, deadlines: expect.arrayContaining(['decision']) } });
  });
});
