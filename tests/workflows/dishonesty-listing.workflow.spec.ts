import type { PrismaClient } from '@prisma/client';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DEFAULT_REMEDIES } from '../../procedures/dishonesty-listing/v1';
import { CreditStatusService } from '../../src/cases/credit-status.service';
import type { Subject } from '../../src/domain/case-model';
import { waitFor } from '../support/cases';
import { caseState, kernelInput, kernelWorker, perform, refusalOf, serverNow, startCase, timeSkippingSuite, testPersonalData } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';
import { uniqueUscc } from '../support/subjects';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));



const org = (): Subject => ({ kind: 'organisation', name: 'Listed Co', idNumber: uniqueUscc() });
const iso = (s: string) => new Date(s).toISOString();
const procedure = 'dishonesty-listing';

/**
 * The workflow ran to its end. Not handle.result(): on the time-skipping server it unlocks time skipping, and the
 * server then jumps to its next timer (years ahead), which would expire the listings of the following tests.
 */
const finished = (handle: WorkflowHandle) => waitFor(async () => (await handle.describe()).status.name === 'COMPLETED');

describe('serious-dishonesty listing on the case kernel (time-skipping server, PostgreSQL)', () => {
  it('lists the subject for a one-month period that then expires on its own, ending the listing', async () => {
    const taskQueue = uniqueQueue('wf-listing');
    const worker = await kernelWorker(env, prisma, taskQueue);
    const subject = org();
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const input = await kernelInput(prisma, { procedure, version: 1, receivedAt: now, filedAt: now, subject, filing: { conduct: 'refused to perform a court judgment' } });
      const handle = await startCase(env.client, taskQueue, input);
      const filed = await caseState(handle);
      // Art. 28 sets no period for the decision: nothing runs before it.
      expect(filed.deadlines).toEqual([]);
      expect(filed.state).toBe('under-review');
      expect(filed.data).toMatchObject({ conduct: 'refused to perform a court judgment' });

      const answer = await perform(handle, { action: 'decide', period: { months: 1 }, reasons: 'judgment unperformed for 6 months', basis: 'Art. 28 (1)' });
      expect(answer.state).toBe('listed');
      const listed = await caseState(handle);
      const period = listed.deadlines.find((d) => d.key === 'listing-period')!;
      expect(period).toMatchObject({ kind: 'expiry', status: 'running', period: { months: 1 } });
      expect(listed.creditEffects).toEqual([
        expect.objectContaining({ kind: 'listed', until: period.dueAt, data: { reasons: 'judgment unperformed for 6 months', basis: 'Art. 28 (1)', period: { months: 1 } } }),
      ]);
      const decided = listed.events.find((e) => e.type === 'listing.decided')!;
      expect(decided.data).toMatchObject({ written: true, remedies: DEFAULT_REMEDIES, removalConditions: null, until: period.dueAt });
      expect(DEFAULT_REMEDIES).toMatch(/Art\. 35.*reconsideration.*lawsuit/);
      await waitFor(async () => (await new CreditStatusService(prisma, testPersonalData).statusOf(subject.idNumber)).listed);

      await env.sleep(Date.parse(period.dueAt!) - Date.parse(now) + 60_000);
      await finished(handle);
      const stored = await prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
      expect(stored).toMatchObject({ state: 'closed', outcome: 'period-ended' });
      const records = await prisma.creditRecord.findMany({ where: { caseId: input.caseId }, orderBy: { at: 'asc' } });
      expect(records.map((r) => r.kind)).toEqual(['listed', 'listing-ended']);
      expect(records[0].until?.toISOString()).toBe(period.dueAt);
      expect(records[1].at.toISOString()).toBe(period.dueAt);
      expect(records[1].data).toEqual({ listingCaseId: input.caseId, reason: 'period ended' });
      const row = await prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId: input.caseId, key: 'listing-period' } } });
      expect(row.status).toBe('expired');
      const events = (await prisma.caseEvent.findMany({ where: { caseId: input.caseId }, orderBy: { seq: 'asc' } })).map((e) => e.type);
      expect(events).toEqual(['case.filed', 'listing.decided', 'deadline.expired', 'listing.ended']);
      const status = await new CreditStatusService(prisma, testPersonalData).statusOf(subject.idNumber);
      expect(status.listed).toBe(false);
      expect(status.listings).toEqual([expect.objectContaining({ caseId: input.caseId, active: false, endedAt: period.dueAt })]);
    });
  });

  it('counts a three-year listing decided on 2026-02-28 to 2029-02-28 (Civil Code Art. 202/203), refuses a second decision, and removal ends it early', async () => {
    const taskQueue = uniqueQueue('wf-listing');
    const worker = await kernelWorker(env, prisma, taskQueue);
    const subject = org();
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const input = await kernelInput(prisma, { procedure, version: 1, receivedAt: iso('2026-02-27T10:00:00+08:00'), filedAt: now, subject });
      const handle = await startCase(env.client, taskQueue, input);
      expect((await caseState(handle)).data).toMatchObject({ conduct: null });

      await perform(handle, {
        action: 'decide',
        occurredAt: '2026-02-28T10:00:00+08:00',
        period: { years: 3 },
        reasons: 'false statements in a public procurement',
        basis: 'Art. 28',
        removalConditions: 'repair under Art. 40 after correcting the conduct',
        remedies: 'objection under Art. 35; reconsideration within 60 days; litigation within 6 months',
      });
      const c = await caseState(handle);
      const d = c.deadlines.find((x) => x.key === 'listing-period')!;
      // Civil Code Art. 202: the corresponding day of the final year; 2029-02-28 is a Wednesday, so Art. 203 moves nothing.
      expect(d.dueDate).toBe('2029-02-28');
      expect(d.dueAt).toBe('2029-02-28T16:00:00.000Z');
      expect(d.explanation).toMatchObject({ rule: 'years', startDate: '2026-02-28', provisional: true, provisionalYears: [2029] });
      expect(d.explanation.rolledForward).toBeUndefined();
      expect(d.explanation.basis).toEqual(expect.arrayContaining([expect.stringContaining('Civil Code Art. 202'), expect.stringContaining('Civil Code Art. 203')]));
      expect(c.creditEffects[0]).toMatchObject({ kind: 'listed', at: '2026-02-28T02:00:00.000Z', until: '2029-02-28T16:00:00.000Z' });
      expect(c.events.find((e) => e.type === 'listing.decided')!.data).toMatchObject({
        removalConditions: 'repair under Art. 40 after correcting the conduct',
        remedies: 'objection under Art. 35; reconsideration within 60 days; litigation within 6 months',
      });

      const again = await refusalOf(perform(handle, { action: 'decide', period: { years: 1 }, reasons: 'again', basis: 'Art. 28' }));
      expect(again.rule).toBe('dishonesty-listing/already-decided');
      const notListedAfter = await refusalOf(perform(handle, { action: 'not-listed', reasons: 'changed mind' }));
      expect(notListedAfter.rule).toBe('dishonesty-listing/already-decided');

      const removed = await perform(handle, { action: 'remove', reasons: 'objection upheld on re-examination', ground: 'objection-upheld' });
      expect(removed.state).toBe('closed');
      await finished(handle);
      const final = await caseState(handle);
      expect(final.outcome).toBe('removed');
      expect(final.deadlines.find((x) => x.key === 'listing-period')!.status).toBe('cancelled');
      const records = await prisma.creditRecord.findMany({ where: { caseId: input.caseId }, orderBy: { at: 'asc' } });
      expect(records.map((r) => r.kind)).toEqual(['listed', 'listing-ended']);
      expect(records[1].data).toMatchObject({ listingCaseId: input.caseId, reason: 'objection-upheld' });
      expect((await new CreditStatusService(prisma, testPersonalData).statusOf(subject.idNumber)).listed).toBe(false);
    });
  });

  it('the unit decides not to list: the case closes without a credit record; removal before a listing is refused', async () => {
    const taskQueue = uniqueQueue('wf-listing');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const input = await kernelInput(prisma, { procedure, version: 1, receivedAt: now, filedAt: now, subject: org() });
      const handle = await startCase(env.client, taskQueue, input);

      const early = await refusalOf(perform(handle, { action: 'remove', reasons: 'repaired', ground: 'repair' }));
      expect(early.rule).toBe('dishonesty-listing/not-listed');

      const answer = await perform(handle, { action: 'not-listed', reasons: 'the conduct does not meet the Art. 28 threshold' });
      expect(answer.state).toBe('closed');
      await finished(handle);
      const stored = await prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
      expect(stored.outcome).toBe('not-listed');
      expect(await prisma.creditRecord.count({ where: { caseId: input.caseId } })).toBe(0);
      const events = (await prisma.caseEvent.findMany({ where: { caseId: input.caseId }, orderBy: { seq: 'asc' } })).map((e) => e.type);
      expect(events).toEqual(['case.filed', 'listing.not-listed']);
    });
  });
});
