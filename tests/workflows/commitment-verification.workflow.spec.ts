import type { PrismaClient } from '@prisma/client';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CommitmentData } from '../../procedures/commitment-verification/v1';
import type { KernelCase } from '../../src/domain/kernel/ops';
import { waitFor } from '../support/cases';
import { caseState, kernelInput, kernelWorker, perform, refusalOf, serverNow, startCase, timeSkippingSuite } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));

const PROCEDURE = { procedure: 'commitment-verification', version: 1 };

async function file(taskQueue: string, o: { receivedAt: string; filedAt?: string; filing: unknown }) {
  const input = await kernelInput(prisma, { ...PROCEDURE, receivedAt: o.receivedAt, filedAt: o.filedAt ?? (await serverNow(env)), filing: o.filing });
  const handle = await startCase(env.client, taskQueue, input);
  return { caseId: input.caseId, handle };
}

const kase = async (handle: WorkflowHandle) => (await caseState(handle)) as KernelCase<CommitmentData>;
const deadlineOf = async (handle: WorkflowHandle, key: string) => (await kase(handle)).deadlines.find((d) => d.key === key)!;

/** Advances the server clock to a minute past `iso`. */
async function sleepPast(iso: string) {
  await env.sleep(Math.max(Date.parse(iso) - (await env.currentTimeMs()) + 60_000, 1));
}

async function levels(caseId: string, deadlineKey: string): Promise<string[]> {
  const rows = await prisma.escalation.findMany({ where: { caseId, deadlineKey }, orderBy: { firedAt: 'asc' } });
  return rows.map((e) => e.level);
}

async function waitLevels(caseId: string, deadlineKey: string, expected: string[]) {
  await waitFor(async () => (await levels(caseId, deadlineKey)).length >= expected.length);
  expect(await levels(caseId, deadlineKey)).toEqual(expected);
}

/**
 * Waits for the workflow to end by polling its description. Waiting on result() was seen to let the time-skipping
 * server jump ten years ahead (3650 days) when the worker was slow, and the following tests then started there.
 */
async function finished(handle: WorkflowHandle) {
  await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED');
}

const creditRecords = (caseId: string) => prisma.creditRecord.findMany({ where: { caseId }, orderBy: { at: 'asc' } });
const eventTypes = async (caseId: string) => (await prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } })).map((e) => e.type);

describe('commitment verification on the case kernel (time-skipping server, PostgreSQL)', () => {
  it('kept: conforming promised materials give the decision on the spot; a kept commitment closes the case', async () => {
    const taskQueue = uniqueQueue('wf-commitment');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const { caseId, handle } = await file(taskQueue, {
        receivedAt: now,
        filing: { licence: { number: 'FOOD-2026-001', decidedAt: now }, materialsDue: { items: ['fire safety certificate'], period: { workingDays: 10 } } },
      });
      const filed = await kase(handle);
      expect(filed.state).toBe('verifying');
      expect(filed.deadlines.map((d) => [d.key, d.kind, d.owner])).toEqual([
        ['verification', 'legal', 'unit-test'],
        ['materials', 'subject', 'subject'],
      ]);

      await perform(handle, { action: 'materials-supplied', conforming: true });
      const again = await refusalOf(perform(handle, { action: 'materials-supplied', conforming: true }));
      expect(again.rule).toBe('commitment-verification/materials-not-pending');

      const answer = await perform(handle, { action: 'verify', outcome: 'kept', findings: 'premises and certificate as committed' });
      expect(answer.state).toBe('closed');
      await finished(handle);

      const stored = await prisma.case.findUniqueOrThrow({ where: { id: caseId } });
      expect(stored).toMatchObject({ state: 'closed', outcome: 'kept' });
      expect(await eventTypes(caseId)).toEqual(['case.filed', 'materials.supplied', 'licence.decided-on-the-spot', 'commitment.verified']);
      const rows = await prisma.deadline.findMany({ where: { caseId }, orderBy: { key: 'asc' } });
      expect(rows.map((r) => [r.key, r.status])).toEqual([
        ['materials', 'met'],
        ['verification', 'met'],
      ]);
      expect(await creditRecords(caseId)).toHaveLength(0);
      expect(await prisma.escalation.count({ where: { caseId } })).toBe(0);
    });
  });

  it('dated legal examples: verification due two months after the decision (Civil Code Arts. 202-203), red at once when filed late', async () => {
    const taskQueue = uniqueQueue('wf-commitment');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const examples = [
        { decidedAt: '2025-12-31', due: '2026-02-28' }, // month end; a make-up working Saturday stays
        { decidedAt: '2026-08-31T15:00:00+08:00', due: '2026-11-02' }, // Sat 31 Oct rolls to Mon 2 Nov
        { decidedAt: '2026-01-31', due: '2026-03-31' },
      ];
      for (const { decidedAt, due } of examples) {
        const { caseId, handle } = await file(taskQueue, { receivedAt: `${decidedAt.slice(0, 10)}T09:00:00+08:00`, filing: { licence: { number: `L-${decidedAt}`, decidedAt } } });
        const verification = await deadlineOf(handle, 'verification');
        expect(verification.dueDate).toBe(due);
        expect(verification.dueAt).toBe(`${due}T16:00:00.000Z`);
        // A late-entered case whose deadline passed gets red at once, never a stale reminder or yellow.
        // All at the same instant (the read model orders by firedAt): the red, every escalation level passed, once each.
        await waitFor(async () => (await levels(caseId, 'verification')).length >= 4);
        expect((await levels(caseId, 'verification')).sort()).toEqual(['escalation-1', 'escalation-2', 'escalation-3', 'red']);
        const row = await prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId, key: 'verification' } } });
        expect(row.dueDate).toBe(due);
        expect(row.status).toBe('overdue');
        await perform(handle, { action: 'verify', outcome: 'kept', findings: 'verified late' });
        await finished(handle);
        const met = await prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId, key: 'verification' } } });
        expect(met.status).toBe('met-late');
      }
    });
  });

  it('reminds 10 and 3 working days before the verification is due, then yellow and red; an unkept commitment met with guidance', async () => {
    const taskQueue = uniqueQueue('wf-commitment');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const { caseId, handle } = await file(taskQueue, { receivedAt: now, filing: { licence: { number: 'SHOP-2026-7', decidedAt: now } } });
      const verification = await deadlineOf(handle, 'verification');
      expect(verification.reminders.map((r) => r.level)).toEqual(['reminder-10', 'reminder-3']);

      const steps = [...verification.reminders, { level: 'yellow', at: verification.yellowAt! }, { level: 'red', at: verification.dueAt! }];
      for (let i = 0; i < steps.length; i++) {
        await sleepPast(steps[i].at);
        await waitLevels(caseId, 'verification', steps.slice(0, i + 1).map((s) => s.level));
      }
      expect(await levels(caseId, 'verification')).toEqual(['reminder-10', 'reminder-3', 'yellow', 'red']);

      // A verification before any finding: nothing to rectify or sanction yet.
      expect((await refusalOf(perform(handle, { action: 'order-rectification', period: { days: 10 }, requirements: 'x' }))).rule).toBe('commitment-verification/out-of-order');
      expect((await refusalOf(perform(handle, { action: 'guidance', note: 'x' }))).rule).toBe('commitment-verification/out-of-order');

      expect((await perform(handle, { action: 'verify', outcome: 'not-kept', findings: 'opening hours not as committed' })).state).toBe('breached');
      expect((await refusalOf(perform(handle, { action: 'verify', outcome: 'kept', findings: 'again' }))).rule).toBe('commitment-verification/out-of-order');
      expect((await refusalOf(perform(handle, { action: 'rectification-result', compliant: true, findings: 'x' }))).rule).toBe('commitment-verification/out-of-order');
      expect((await refusalOf(perform(handle, { action: 'sanction', measure: 'penalty', decisionRef: 'P-1' }))).rule).toBe('commitment-verification/order-first');

      expect((await perform(handle, { action: 'guidance', note: 'explained the committed hours; subject undertook to comply' })).state).toBe('closed');
      await finished(handle);
      const stored = await prisma.case.findUniqueOrThrow({ where: { id: caseId } });
      expect(stored).toMatchObject({ state: 'closed', outcome: 'guided' });
      const row = await prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId, key: 'verification' } } });
      expect(row.status).toBe('met-late');
      // Guidance writes no breach to the subject's credit status.
      expect(await creditRecords(caseId)).toHaveLength(0);
    });
  });

  it('false: breach recorded, order to rectify, the period passes (red), not compliant, licence revoked', async () => {
    const taskQueue = uniqueQueue('wf-commitment');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const { caseId, handle } = await file(taskQueue, { receivedAt: now, filing: { licence: { number: 'CERT-2026-12', decidedAt: now } } });

      expect((await perform(handle, { action: 'verify', outcome: 'false', findings: 'the committed qualification does not exist' })).state).toBe('breached');
      const breach = await creditRecords(caseId);
      expect(breach.map((r) => [r.kind, (r.data as { kind: string }).kind])).toEqual([['commitment-breach', 'false']]);
      expect((await refusalOf(perform(handle, { action: 'guidance', note: 'x' }))).rule).toBe('commitment-verification/guidance-not-for-false');

      expect((await perform(handle, { action: 'order-rectification', period: { days: 30 }, requirements: 'obtain the qualification' })).state).toBe('rectifying');
      const rectification = await deadlineOf(handle, 'rectification');
      expect(rectification).toMatchObject({ kind: 'legal', period: { days: 30 } });
      expect((await refusalOf(perform(handle, { action: 'rectification-result', compliant: false, findings: 'not yet' }))).rule).toBe(
        'commitment-verification/rectification-running',
      );

      await sleepPast(rectification.dueAt!);
      await waitFor(async () => (await levels(caseId, 'rectification')).includes('red'));
      expect(await levels(caseId, 'rectification')).toEqual(['yellow', 'red']);

      expect((await perform(handle, { action: 'rectification-result', compliant: false, findings: 'qualification still missing' })).state).toBe('rectification-failed');
      // Already recorded as false: no second breach.
      expect(await creditRecords(caseId)).toHaveLength(1);
      expect((await perform(handle, { action: 'sanction', measure: 'revoke-licence', decisionRef: 'REV-2027-3' })).state).toBe('closed');
      await finished(handle);

      const stored = await prisma.case.findUniqueOrThrow({ where: { id: caseId } });
      expect(stored).toMatchObject({ state: 'closed', outcome: 'revoked' });
      expect(await eventTypes(caseId)).toEqual([
        'case.filed',
        'commitment.verified',
        'rectification.ordered',
        'deadline.yellow',
        'deadline.red',
        'rectification.result',
        'commitment.sanctioned',
      ]);
    });
  });

  it('false: a compliant rectification closes as rectified (the breach stays until a credit repair); a false commitment can be sanctioned at once', async () => {
    const taskQueue = uniqueQueue('wf-commitment');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const a = await file(taskQueue, { receivedAt: now, filing: { licence: { number: 'A-1', decidedAt: now } } });
      await perform(a.handle, { action: 'verify', outcome: 'false', findings: 'false statement' });
      await perform(a.handle, { action: 'order-rectification', period: { workingDays: 10 }, requirements: 'correct the statement' });
      expect((await perform(a.handle, { action: 'rectification-result', compliant: true, findings: 'corrected' })).state).toBe('closed');
      await finished(a.handle);
      expect(await prisma.case.findUniqueOrThrow({ where: { id: a.caseId } })).toMatchObject({ state: 'closed', outcome: 'rectified' });
      expect(await creditRecords(a.caseId)).toHaveLength(1);
      expect((await prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId: a.caseId, key: 'rectification' } } })).status).toBe('met');

      const b = await file(taskQueue, { receivedAt: now, filing: { licence: { number: 'B-1', decidedAt: now } } });
      await perform(b.handle, { action: 'verify', outcome: 'false', findings: 'forged document' });
      expect((await perform(b.handle, { action: 'sanction', measure: 'revoke-licence', decisionRef: 'REV-1' })).state).toBe('closed');
      await finished(b.handle);
      expect(await prisma.case.findUniqueOrThrow({ where: { id: b.caseId } })).toMatchObject({ state: 'closed', outcome: 'revoked' });
    });
  });

  it('promised materials: reminders 3 and 1 working days before, then lapsed and never red; unkept, rectification fails, penalty', async () => {
    const taskQueue = uniqueQueue('wf-commitment');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const { caseId, handle } = await file(taskQueue, {
        receivedAt: now,
        filing: { licence: { number: 'BLD-2026-88', decidedAt: now }, materialsDue: { items: ['as-built drawings', 'acceptance report'], period: { workingDays: 5 } } },
      });
      const materials = await deadlineOf(handle, 'materials');
      expect(materials).toMatchObject({ kind: 'subject', owner: 'subject', yellowAt: null });
      const steps = [...materials.reminders, { level: 'lapsed', at: materials.dueAt! }];
      expect(steps.map((s) => s.level)).toEqual(['reminder-3', 'reminder-1', 'lapsed']);
      for (let i = 0; i < steps.length; i++) {
        await sleepPast(steps[i].at);
        await waitLevels(caseId, 'materials', steps.slice(0, i + 1).map((s) => s.level));
      }
      await env.sleep(86_400_000);
      expect(await levels(caseId, 'materials')).toEqual(['reminder-3', 'reminder-1', 'lapsed']);
      expect((await prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId, key: 'materials' } } })).status).toBe('lapsed');

      const late = await refusalOf(perform(handle, { action: 'materials-supplied', conforming: true }));
      expect(late.rule).toBe('commitment-verification/materials-not-pending');
      expect((await refusalOf(perform(handle, { action: 'verify', outcome: 'kept', findings: 'x' }))).rule).toBe('commitment-verification/materials-outstanding');

      await perform(handle, { action: 'verify', outcome: 'not-kept', findings: 'materials never supplied' });
      expect(await creditRecords(caseId)).toHaveLength(0);
      await perform(handle, { action: 'order-rectification', period: { months: 1 }, requirements: 'supply the drawings and the report' });
      const rectification = await deadlineOf(handle, 'rectification');
      await sleepPast(rectification.dueAt!);
      await waitFor(async () => (await levels(caseId, 'rectification')).includes('red'));

      expect((await perform(handle, { action: 'rectification-result', compliant: false, findings: 'still missing' })).state).toBe('rectification-failed');
      const breach = await creditRecords(caseId);
      expect(breach.map((r) => [r.kind, (r.data as { kind: string }).kind])).toEqual([['commitment-breach', 'unkept']]);
      expect((await perform(handle, { action: 'sanction', measure: 'penalty', decisionRef: 'PEN-2027-1' })).state).toBe('closed');
      await finished(handle);
      expect(await prisma.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ state: 'closed', outcome: 'penalised' });
      // The subject's lapse is never a unit breach.
      expect(await prisma.escalation.count({ where: { caseId, deadlineKey: 'materials', level: { in: ['yellow', 'red'] } } })).toBe(0);
    });
  });
});
