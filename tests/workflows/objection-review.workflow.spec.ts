import type { PrismaClient } from '@prisma/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/case.activities';
import { calendarFrom, loadCalendar } from '../../src/db/calendar-store';
import { calendarUpdatedSignal } from '../../workflows/contracts/case.contract';
import { waitFor } from '../support/cases';
import { caseState, kernelInput, kernelWorker, perform, refusalOf, serverNow, startCase, timeSkippingSuite, workflowBundle, testPersonalData } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';

// Objection review on the case kernel (caseWorkflow, definition v2): real time-skipping Temporal server, real
// activities, real PostgreSQL.
let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));

const FILING = { grounds: ['error'], reasons: 'the fine was paid' };
const objection = async (receivedAt: string, filedAt: string, variant?: 'standard' | 'serious-dishonesty-list') =>
  kernelInput(prisma, { procedure: 'objection-review', version: 2, receivedAt, filedAt, filing: FILING, ...(variant ? { variant } : {}) });

/** A worker without sticky execution (`maxCachedWorkflows: 0`), so a replacement worker gets the next task at once. */
async function uncachedWorker(taskQueue: string): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    dataConverter: env.client.options.dataConverter,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ prisma, personalData: testPersonalData }),
    maxCachedWorkflows: 0,
  });
}

const deadline = (caseId: string, key: string) => prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId, key } } });
const escalations = (caseId: string) => prisma.escalation.findMany({ where: { caseId }, orderBy: [{ deadlineKey: 'asc' }, { level: 'asc' }] });
const eventTypes = async (caseId: string) => (await prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } })).map((e) => e.type);
/** Polled, not awaited with result(): waiting on the time-skipping server lets it jump ahead to unrelated timers. */
const completed = (handle: { describe(): Promise<{ status: { name: string } }> }) => waitFor(async () => (await handle.describe()).status.name === 'COMPLETED');

describe('objection review workflow (caseWorkflow, time-skipping server, PostgreSQL)', () => {
  it('runs the assisted, suspended, upheld path and closes when the record is corrected, the applicant told and every system confirms', async () => {
    const taskQueue = uniqueQueue('wf-full');
    const worker = await kernelWorker(env, prisma, taskQueue);
    const now = await serverNow(env);
    const input = await objection(now, now);
    const handle = await startCase(env.client, taskQueue, input);
    const act = (body: object) => perform(handle, body);

    await worker.runUntil(async () => {
      await act({ action: 'mark-disputed', evidenceRef: 'doc-1' });
      const decisionBefore = await deadline(input.caseId, 'decision');
      await act({ action: 'request-assistance', units: [{ unitId: 'market-bureau' }] });

      const assisted = await deadline(input.caseId, 'decision');
      expect((assisted.explanation as { period: unknown }).period).toEqual({ workingDays: 7 });
      expect(assisted.dueAt!.getTime()).toBeGreaterThan(decisionBefore.dueAt!.getTime());
      expect(assisted.previous).toEqual([expect.objectContaining({ dueAt: decisionBefore.dueAt!.toISOString() })]);
      await act({ action: 'record-notice-receipt', unitId: 'market-bureau' });
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

      await act({ action: 'correct-record', evidenceRef: 'register-diff-1' });
      await act({ action: 'notify-applicant', evidenceRef: 'letter-1' });
      await act({ action: 'confirm-correction', system: 'credit-china' });
      const last = await act({ action: 'confirm-correction', system: 'city-portal' });
      expect(last.state).toBe('closed');
      await completed(handle);
    });

    const row = await prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
    expect({ state: row.state, outcome: row.outcome }).toEqual({ state: 'closed', outcome: 'upheld' });
    const types = (await eventTypes(input.caseId)).filter((t) => !t.startsWith('deadline.'));
    expect(types).toEqual([
      'case.filed',
      'record.marked-disputed',
      'assistance.requested',
      'assistance.notice-received',
      'assistance.replied',
      'clock.suspended',
      'clock.resumed',
      'decision.upheld',
      'record.corrected',
      'applicant.notified',
      'correction.confirmed',
      'correction.confirmed',
    ]);
  });

  it('fires yellow when one working day remains and red when the deadline passes, each exactly once', async () => {
    const taskQueue = uniqueQueue('wf-escalation');
    const worker = await kernelWorker(env, prisma, taskQueue);
    const now = await serverNow(env);
    const input = await objection(now, now);
    const handle = await startCase(env.client, taskQueue, input);

    await worker.runUntil(async () => {
      await waitFor(async () => (await prisma.case.findUnique({ where: { id: input.caseId } }))?.revision);
      await perform(handle, { action: 'mark-disputed' });
      const decision = await deadline(input.caseId, 'decision');
      const yellowAt = Date.parse((decision.explanation as { yellowAt: string }).yellowAt);
      const dueAt = decision.dueAt!.getTime();
      expect(yellowAt).toBeLessThan(dueAt);

      await env.sleep(yellowAt - (await env.currentTimeMs()) - 60_000);
      await caseState(handle);
      expect((await escalations(input.caseId)).filter((e) => e.deadlineKey === 'decision')).toEqual([]);

      await env.sleep(120_000);
      await waitFor(async () => (await escalations(input.caseId)).some((e) => e.deadlineKey === 'decision' && e.level === 'yellow'));
      expect((await deadline(input.caseId, 'decision')).status).toBe('running');

      await env.sleep(dueAt - (await env.currentTimeMs()) + 60_000);
      await waitFor(async () => (await escalations(input.caseId)).some((e) => e.deadlineKey === 'decision' && e.level === 'red'));
      expect((await deadline(input.caseId, 'decision')).status).toBe('overdue');
      await env.sleep('3 days');
      await caseState(handle);

      await perform(handle, { action: 'decide', outcome: 'rejected', reasons: 'the record is accurate' });
      await completed(handle);
    });

    const decisionLevels = (await escalations(input.caseId)).filter((e) => e.deadlineKey === 'decision').map((e) => e.level);
    expect(decisionLevels.filter((l) => l === 'yellow' || l === 'red').sort()).toEqual(['red', 'yellow']);
    expect(new Set(decisionLevels).size).toBe(decisionLevels.length); // every later ladder step once, too
    const decisionCards = await prisma.caseEvent.findMany({ where: { caseId: input.caseId, type: { in: ['deadline.yellow', 'deadline.red'] }, data: { path: ['deadlineKey'], equals: 'decision' } } });
    expect(decisionCards.map((e) => e.type).sort()).toEqual(['deadline.red', 'deadline.yellow']);
    expect((await deadline(input.caseId, 'decision')).status).toBe('met-late');
  });

  it('still fires the escalation exactly once when the worker restarts while the timer is pending', async () => {
    const taskQueue = uniqueQueue('wf-restart');
    const now = await serverNow(env);
    const input = await objection(now, now);
    const handle = await startCase(env.client, taskQueue, input);

    const first = await uncachedWorker(taskQueue);
    await first.runUntil(async () => {
      await waitFor(async () => (await prisma.case.findUnique({ where: { id: input.caseId } }))?.revision);
      // Marking leaves the decision's yellow card as the next timer.
      await perform(handle, { action: 'mark-disputed' });
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

    const second = await uncachedWorker(taskQueue);
    await second.runUntil(waitFor(async () => (await escalations(input.caseId)).some((e) => e.deadlineKey === 'decision' && e.level === 'yellow')));

    const third = await uncachedWorker(taskQueue);
    await third.runUntil(async () => {
      await caseState(handle);
      await perform(handle, { action: 'refer', competentUnit: 'Municipal Tax Bureau' });
      await completed(handle);
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
    const worker = await kernelWorker(env, prisma, taskQueue);
    const now = await serverNow(env);
    const standard = await objection(now, now);
    const listed = await objection(now, now, 'serious-dishonesty-list');
    const h1 = await startCase(env.client, taskQueue, standard);
    const h2 = await startCase(env.client, taskQueue, listed);
    const refusal = async (h: typeof h1, body: object) => {
      const { type, rule } = await refusalOf(perform(h, body));
      return { type, rule };
    };

    await worker.runUntil(async () => {
      await waitFor(async () => (await prisma.case.findUnique({ where: { id: standard.caseId } }))?.revision);
      const before = await prisma.case.findUniqueOrThrow({ where: { id: standard.caseId } });

      expect(await refusal(h1, { action: 'decide', outcome: 'upheld' })).toEqual({ type: 'ActionRefused', rule: 'objection-review/mark-before-decision' });
      expect(await refusal(h1, { action: 'resume' })).toEqual({ type: 'ActionRefused', rule: 'not-suspended' });
      expect(await refusal(h1, { action: 'suspend', reason: 'staff-shortage' })).toEqual({ type: 'ActionRefused', rule: 'suspension-not-provided' });
      expect(await refusal(h1, { action: 'fly' })).toEqual({ type: 'InvalidAction', rule: undefined });
      await perform(h1, { action: 'mark-disputed' });
      expect(await refusal(h1, { action: 'decide', outcome: 'rejected' })).toEqual({ type: 'ActionRefused', rule: 'objection-review/rejection-needs-reasons' });
      expect(await refusal(h1, { action: 'mark-disputed' })).toEqual({ type: 'ActionRefused', rule: 'objection-review/already-done' });

      const after = await prisma.case.findUniqueOrThrow({ where: { id: standard.caseId } });
      expect(after.revision).toBe(before.revision + 1); // only the one accepted action wrote

      expect(await refusal(h2, { action: 'request-assistance', units: [{ unitId: 'x' }] })).toEqual({
        type: 'ActionRefused',
        rule: 'objection-review/art35-no-assistance',
      });
      await perform(h2, { action: 'decide', outcome: 'upheld' });
      const closed = await perform(h2, { action: 'notify-applicant', evidenceRef: 'letter-1' });
      expect(closed.state).toBe('closed');
      await completed(h2);
    });

    const listedDeadlines = await prisma.deadline.findMany({ where: { caseId: listed.caseId } });
    expect(listedDeadlines.map((d) => d.key)).toEqual(['decision']);
    const upheld = await prisma.caseEvent.findFirstOrThrow({ where: { caseId: listed.caseId, type: 'decision.upheld' } });
    expect(JSON.stringify(upheld.data)).toContain('remove the subject from the serious-dishonesty list');
  });

  it('applies the overdue consequences of a late-entered case at once: red, never yellow', async () => {
    const taskQueue = uniqueQueue('wf-late');
    const worker = await kernelWorker(env, prisma, taskQueue);
    const now = await serverNow(env);
    const received = new Date(Date.parse(now) - 30 * 86_400_000).toISOString();
    const input = await objection(received, now);
    await startCase(env.client, taskQueue, input);
    const reds = async () => (await escalations(input.caseId)).filter((e) => e.level === 'red').map((e) => `${e.deadlineKey}/${e.level}`);
    await worker.runUntil(waitFor(async () => (await reds()).length === 2));
    expect(await reds()).toEqual(['decision/red', 'mark-disputed/red']);
    expect((await escalations(input.caseId)).filter((e) => e.level === 'yellow')).toEqual([]);
    expect((await deadline(input.caseId, 'decision')).status).toBe('overdue');
  });

  it('recomputes provisional deadlines when a missing calendar year is loaded, keeping the old values', async () => {
    const taskQueue = uniqueQueue('wf-calendar');
    const worker = await kernelWorker(env, prisma, taskQueue);
    const now = await serverNow(env);
    const input = await objection(now, now);
    const full = await loadCalendar(prisma);
    input.calendar = { version: 'empty-test-calendar', years: {} };
    const handle = await startCase(env.client, taskQueue, input);
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
    expect(audit[0]).toMatchObject({ actor: 'system', data: { calendarVersion: full.version, deadlines: expect.arrayContaining([expect.objectContaining({ deadlineKey: 'decision' })]) } });
  });
});
