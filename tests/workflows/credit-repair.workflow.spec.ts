import type { PrismaClient } from '@prisma/client';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { REPAIR_EFFECTS, REPAIR_POLICY } from '../../procedures/credit-repair/v1';
import { CreditStatusService } from '../../src/cases/credit-status.service';
import type { Subject } from '../../src/domain/case-model';
import { waitFor } from '../support/cases';
import { caseState, kernelInput, kernelWorker, perform, refusalOf, serverNow, startCase, timeSkippingSuite, testPersonalData } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';
import { uniqueUscc } from '../support/subjects';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));



const org = (): Subject => ({ kind: 'organisation', name: 'Repairing Co', idNumber: uniqueUscc() });
const iso = (s: string) => new Date(s).toISOString();

/**
 * The workflow ran to its end. Not handle.result(): on the time-skipping server it unlocks time skipping, and the
 * server then jumps to its next timer (years ahead), which would move "now" for the following tests.
 */
const finished = (handle: WorkflowHandle) => waitFor(async () => (await handle.describe()).status.name === 'COMPLETED');
const eventTypes = async (caseId: string) => (await prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } })).map((e) => e.type);

describe('credit repair on the case kernel (time-skipping server, PostgreSQL)', () => {
  it('an application received on 2026-09-30 is due for acceptance on 2026-10-09 (National Day skipped); rejection needs reasons', async () => {
    const taskQueue = uniqueQueue('wf-repair');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const input = await kernelInput(prisma, { procedure: 'credit-repair', version: 1, receivedAt: iso('2026-09-30T10:00:00+08:00'), filedAt: now, subject: org() });
      const handle = await startCase(env.client, taskQueue, input);
      const filed = await caseState(handle);
      expect(filed.data).toMatchObject({ reasonCode: 'conduct-corrected', listingCaseId: null });
      const acceptance = filed.deadlines.find((d) => d.key === 'acceptance')!;
      // 2 working days from Wed 30 Sep 2026 (not counted): 1-7 Oct are the National Day holiday (Sat 3 and Sun 4 Oct
      // inside it), so Thu 8 Oct and Fri 9 Oct count. The make-up working days (Sun 20 Sep, Sat 10 Oct) lie outside.
      expect(acceptance).toMatchObject({ kind: 'promised', dueDate: '2026-10-09', dueAt: '2026-10-09T16:00:00.000Z', period: { workingDays: 2 } });
      expect(acceptance.basis).toContain('Art. 40');
      expect(acceptance.basis).toContain(REPAIR_POLICY);
      expect(acceptance.explanation.countedDays).toEqual(['2026-10-08', '2026-10-09']);
      expect(acceptance.explanation.skippedDays).toEqual(
        ['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, reason: 'holiday', name: '国庆节 National Day' })),
      );
      expect(acceptance.explanation.makeupWorkdaysCounted).toEqual([]);
      // Filed late: the promise was already missed, so its red (a warning for a promised period) fires at once.
      expect(filed.escalations.map((e) => e.level)).toEqual(['red']);

      const early = await refusalOf(perform(handle, { action: 'decide', outcome: 'approved' }));
      expect(early.rule).toBe('credit-repair/decide-before-accept');

      // Accepted (entered late) on Fri 9 Oct 2026, within the promise; the 5 working days then count the make-up
      // working day Sat 10 Oct and skip Sun 11 Oct: 10, 12, 13, 14, 15 Oct.
      expect((await perform(handle, { action: 'accept', occurredAt: '2026-10-09T15:00:00+08:00' })).state).toBe('accepted');
      const accepted = await caseState(handle);
      expect(accepted.deadlines.find((d) => d.key === 'acceptance')!).toMatchObject({ status: 'met-recorded-late', completedAt: '2026-10-09T07:00:00.000Z' });
      const decision = accepted.deadlines.find((d) => d.key === 'decision')!;
      expect(decision).toMatchObject({ kind: 'promised', period: { workingDays: 5 }, startEvent: 'application accepted', dueDate: '2026-10-15' });
      expect(decision.basis).toContain(REPAIR_POLICY);
      expect(decision.explanation.countedDays).toEqual(['2026-10-10', '2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15']);
      expect(decision.explanation.makeupWorkdaysCounted).toEqual([{ date: '2026-10-10', name: '国庆节调休 National Day make-up working day' }]);
      expect(decision.explanation.skippedDays).toEqual([{ date: '2026-10-11', reason: 'weekend' }]);

      expect((await refusalOf(perform(handle, { action: 'accept' }))).rule).toBe('credit-repair/already-accepted');
      expect((await refusalOf(perform(handle, { action: 'refuse-acceptance', reasons: 'late' }))).rule).toBe('credit-repair/already-accepted');
      expect((await refusalOf(perform(handle, { action: 'decide', outcome: 'rejected' }))).rule).toBe('credit-repair/rejection-needs-reasons');
      expect((await refusalOf(perform(handle, { action: 'decide', outcome: 'rejected', reasons: 'fine unpaid', authorities: ['court'] }))).rule).toBe(
        'credit-repair/authorities-on-approval',
      );

      const answer = await perform(handle, { action: 'decide', outcome: 'rejected', reasons: 'the fine is still unpaid' });
      expect(answer.state).toBe('closed');
      await finished(handle);
      expect(await prisma.case.findUniqueOrThrow({ where: { id: input.caseId } })).toMatchObject({ state: 'closed', outcome: 'rejected' });
      expect(await prisma.creditRecord.count({ where: { caseId: input.caseId } })).toBe(0);
      const row = await prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId: input.caseId, key: 'decision' } } });
      expect(row.status).toBe('met-late');
      expect(await eventTypes(input.caseId)).toEqual(['case.filed', 'deadline.red', 'repair.accepted', 'deadline.red', 'repair.rejected']);
    });
  });

  it('an approved repair writes a repaired record, ends the listing in the credit status and ends each restriction', async () => {
    const taskQueue = uniqueQueue('wf-repair');
    const worker = await kernelWorker(env, prisma, taskQueue);
    const subject = org();
    const status = new CreditStatusService(prisma, testPersonalData);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const listing = await kernelInput(prisma, { procedure: 'dishonesty-listing', version: 1, receivedAt: now, filedAt: now, subject });
      const listingHandle = await startCase(env.client, taskQueue, listing);
      await perform(listingHandle, { action: 'decide', period: { years: 1 }, reasons: 'late payment recorded as dishonest', basis: 'Art. 28' });
      await waitFor(async () => (await status.statusOf(subject.idNumber)).listed);

      const repair = await kernelInput(prisma, {
        procedure: 'credit-repair',
        version: 1,
        receivedAt: now,
        filedAt: now,
        subject,
        filing: { reasonCode: 'pandemic-measure-32', listingCaseId: listing.caseId },
      });
      const handle = await startCase(env.client, taskQueue, repair);
      await perform(handle, { action: 'accept' });
      const authorities = ['court enforcement system', 'public procurement platform'];
      const answer = await perform(handle, { action: 'decide', outcome: 'approved', reasons: 'lateness caused by the pandemic', authorities });
      expect(answer.state).toBe('closed');
      await finished(handle);

      expect(await prisma.case.findUniqueOrThrow({ where: { id: repair.caseId } })).toMatchObject({ outcome: 'approved' });
      const records = await prisma.creditRecord.findMany({ where: { caseId: repair.caseId } });
      expect(records).toEqual([expect.objectContaining({ kind: 'repaired', subjectIdKey: testPersonalData.lookupKey('id', subject.idNumber), data: { listingCaseId: listing.caseId, reasonCode: 'pandemic-measure-32' } })]);
      const events = await prisma.caseEvent.findMany({ where: { caseId: repair.caseId }, orderBy: { seq: 'asc' } });
      expect(events.map((e) => e.type)).toEqual(['case.filed', 'repair.accepted', 'repair.approved', 'restriction.ended', 'restriction.ended']);
      expect(events[2].data).toMatchObject({ effects: [...REPAIR_EFFECTS], listingCaseId: listing.caseId, reasonCode: 'pandemic-measure-32', authorities });
      expect(events.slice(3).map((e) => (e.data as { authority: string }).authority)).toEqual(authorities);

      const after = await status.statusOf(subject.idNumber);
      expect(after.listed).toBe(false);
      expect(after.listings).toEqual([expect.objectContaining({ caseId: listing.caseId, active: false, endedAt: records[0].at.toISOString() })]);
      expect(after.repairs).toEqual([{ caseId: repair.caseId, at: records[0].at.toISOString(), listingCaseId: listing.caseId, commitmentCaseId: null }]);

      // The listing unit then closes its own case on the repair ground.
      await perform(listingHandle, { action: 'remove', reasons: `repaired by case ${repair.caseId}`, ground: 'repair' });
      await finished(listingHandle);
      expect((await caseState(listingHandle)).outcome).toBe('removed');
    });
  });

  it('a refused application closes not-accepted; an approval without a named listing still records the repair', async () => {
    const taskQueue = uniqueQueue('wf-repair');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const refused = await kernelInput(prisma, { procedure: 'credit-repair', version: 1, receivedAt: now, filedAt: now, subject: org() });
      const h1 = await startCase(env.client, taskQueue, refused);
      expect((await perform(h1, { action: 'refuse-acceptance', reasons: 'the dishonest conduct has not been corrected' })).state).toBe('closed');
      await finished(h1);
      expect(await prisma.case.findUniqueOrThrow({ where: { id: refused.caseId } })).toMatchObject({ outcome: 'not-accepted' });
      expect((await prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId: refused.caseId, key: 'acceptance' } } })).status).toBe('met');
      expect(await eventTypes(refused.caseId)).toEqual(['case.filed', 'repair.not-accepted']);

      const approved = await kernelInput(prisma, { procedure: 'credit-repair', version: 1, receivedAt: now, filedAt: now, subject: org() });
      const h2 = await startCase(env.client, taskQueue, approved);
      await perform(h2, { action: 'accept' });
      await perform(h2, { action: 'decide', outcome: 'approved' });
      await finished(h2);
      const records = await prisma.creditRecord.findMany({ where: { caseId: approved.caseId } });
      // Version 1 named nothing: the record says so (it clears no listing; src/domain/kernel/credit.ts).
      expect(records).toEqual([expect.objectContaining({ kind: 'repaired', data: { unnamed: 'credit-repair-v1', reasonCode: 'conduct-corrected' } })]);
      expect(await eventTypes(approved.caseId)).toEqual(['case.filed', 'repair.accepted', 'repair.approved']);
    });
  });
});
