/**
 * Property-service star rating (Jiangbei measures) on the case kernel: the whole two-year lifecycle, the non-compliant
 * path to the owners' assembly, revocation, and every action rule. Time-skipping Temporal server and PostgreSQL.
 *
 * Each test runs on its own server and first moves its clock to a fixed Monday 10:00 Asia/Shanghai so its due dates
 * are exact.
 * Calendar: no holiday notice is loaded for 2027 and later (weekdays only, provisional).
 */
import type { PrismaClient } from '@prisma/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RatingData } from '../../procedures/property-rating/v1';
import type { KernelCase } from '../../src/domain/kernel/ops';
import { waitFor } from '../support/cases';
import { testPrisma } from '../support/db';
import { caseState, kernelInput, kernelWorker, perform, refusalOf, serverNow, startCase, workflowBundle } from '../support/kernel';
import { createTimeSkippingEnv, uniqueQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

beforeAll(async () => {
  prisma = testPrisma();
  await workflowBundle();
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
});

// A fresh time-skipping server per test: each test moves the clock to its own fixed start, and a finished test
// leaves the server free to skip far ahead.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
}, 120_000);

afterEach(async () => {
  await env?.teardown();
});

const PROCEDURE = { procedure: 'property-rating', version: 1 };

/** Moves the server clock forward to `instant` (the tests' fixed starting points). */
async function advanceTo(instant: string): Promise<void> {
  const now = await env.currentTimeMs();
  const target = Date.parse(instant);
  if (now > target) throw new Error(`the server clock (${new Date(now).toISOString()}) is already past ${instant}`);
  await env.sleep(target - now);
}

/** Sleeps until one minute after `dueAt`. */
async function sleepPast(dueAt: string): Promise<void> {
  await env.sleep(Date.parse(dueAt) - (await env.currentTimeMs()) + 60_000);
}

const stored = (caseId: string) => prisma.case.findUniqueOrThrow({ where: { id: caseId } });
const inState = (caseId: string, state: string) => waitFor(async () => (await stored(caseId)).state === state);
const eventTypes = async (caseId: string) => (await prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } })).map((e) => e.type);
const eventData = async (caseId: string, type: string) =>
  (await prisma.caseEvent.findMany({ where: { caseId, type }, orderBy: { seq: 'asc' } })).map((e) => e.data as Record<string, unknown>);
const deadline = (c: KernelCase, key: string) => c.deadlines.find((d) => d.key === key)!;

describe('property-service star rating on the case kernel (time-skipping server, PostgreSQL)', () => {
  it('runs the two-year lifecycle: recusal, publicity, objections, effect, nameplate, second-year review, expiry', async () => {
    const taskQueue = uniqueQueue('wf-property-rating');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      await advanceTo('2031-01-06T10:00:00+08:00'); // Monday
      const now = await serverNow(env);
      const input = await kernelInput(prisma, {
        ...PROCEDURE,
        receivedAt: now,
        filedAt: now,
        filing: {
          compound: { name: '江北花园', occupiedSince: '2025-11-30' },
          company: { name: '江北物业服务有限公司', uscc: '91350100M000100Y43' },
          evaluator: { name: 'Evaluator A' },
        },
      });
      const handle = await startCase(env.client, taskQueue, input);
      expect((await caseState(handle)).state).toBe('filed');
      expect((await caseState(handle)).deadlines).toEqual([]);

      // Art. 6: no declaration yet, then a conflicted evaluator, then a second declaration by the same evaluator.
      expect((await refusalOf(perform(handle, { action: 'publish', score: 92 }))).rule).toBe('property-rating/declaration-missing');
      await perform(handle, { action: 'declare-recusal', evaluator: 'Evaluator B', conflict: true, statement: 'B manages a neighbouring compound for the same company' });
      expect((await refusalOf(perform(handle, { action: 'publish', score: 92 }))).rule).toBe('property-rating/declaration-missing');
      expect((await refusalOf(perform(handle, { action: 'publish', score: 92, evaluator: 'Evaluator B' }))).rule).toBe('property-rating/conflicted-evaluator');
      expect((await refusalOf(perform(handle, { action: 'declare-recusal', evaluator: 'Evaluator B', conflict: false, statement: 'no longer' }))).rule).toBe(
        'property-rating/already-declared',
      );
      // Nothing to issue before a rating takes effect.
      expect((await refusalOf(perform(handle, { action: 'issue-nameplate' }))).rule).toBe('property-rating/out-of-sequence');
      expect((await refusalOf(perform(handle, { action: 'owner-objection', objection: 'early' }))).rule).toBe('window-closed');

      await perform(handle, { action: 'declare-recusal', evaluator: 'Evaluator A', conflict: false, statement: 'no ties with the company or the owners' });
      expect((await perform(handle, { action: 'publish', score: 92 })).state).toBe('publicity');
      const published = await caseState(handle);
      // Art. 9: 7 days from 2031-01-06 (not counted): 01-07 … 01-13, a Monday (a working day: no roll-forward).
      expect(deadline(published, 'publicity')).toMatchObject({ kind: 'window', dueDate: '2031-01-13', dueAt: '2031-01-13T16:00:00.000Z' });
      expect((published.data as RatingData).pending).toMatchObject({ kind: 'rating', score: 92, stars: 3, evaluator: 'Evaluator A' });
      expect((await refusalOf(perform(handle, { action: 'publish', score: 95 }))).rule).toBe('property-rating/out-of-sequence');

      expect((await perform(handle, { action: 'owner-objection', objection: 'the lifts are often out of order' })).state).toBe('publicity');

      await sleepPast('2031-01-13T16:00:00.000Z');
      await inState(input.caseId, 'effective');
      const late = await refusalOf(perform(handle, { action: 'owner-objection', objection: 'too late' }));
      expect(late.rule).toBe('window-closed');

      // Art. 10–12: effective from 2031-01-14; the periods run from the publicity's last day (2031-01-13, not counted).
      // Validity, 2 years: 2033-01-13, a Thursday. Nameplate, 1 month: 2031-02-13, a Thursday. Review, 1 year: 2032-01-13, a
      // Tuesday; yellow at the close of Monday 2032-01-12; reminder-10 at the close of the 10th working day before it
      // (01-12, 09, 08, 07, 06, 05, 02, 01 — no holidays in a provisional year — 2031-12-31, 12-30): Tuesday 2031-12-30.
      const effective = await caseState(handle);
      expect((effective.data as RatingData).rating).toMatchObject({ stars: 3, score: 92, effectiveFrom: '2031-01-14', validUntil: '2033-01-13' });
      expect(deadline(effective, 'publicity').status).toBe('expired');
      expect(deadline(effective, 'validity')).toMatchObject({ kind: 'expiry', dueDate: '2033-01-13', dueAt: '2033-01-13T16:00:00.000Z', provisional: true });
      expect(deadline(effective, 'nameplate')).toMatchObject({ kind: 'legal', dueDate: '2031-02-13', dueAt: '2031-02-13T16:00:00.000Z' });
      expect(deadline(effective, 'second-year-review')).toMatchObject({
        kind: 'legal',
        dueDate: '2032-01-13',
        dueAt: '2032-01-13T16:00:00.000Z',
        yellowAt: '2032-01-12T16:00:00.000Z',
        reminders: [{ level: 'reminder-10', at: '2031-12-30T16:00:00.000Z' }],
      });
      expect(await eventData(input.caseId, 'rating.effective')).toEqual([expect.objectContaining({ stars: 3, objections: 1, effectiveFrom: '2031-01-14' })]);
      expect(await eventData(input.caseId, 'rating.consequences')).toEqual([expect.objectContaining({ stars: 3, certificate: false, rewardYuan: 0, creditScoreChange: 0 })]);

      await perform(handle, { action: 'issue-nameplate' });
      expect((await refusalOf(perform(handle, { action: 'issue-nameplate' }))).rule).toBe('property-rating/out-of-sequence');
      const nameplate = await prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId: input.caseId, key: 'nameplate' } } });
      expect(nameplate.status).toBe('met');

      // The second-year review: reminder 10 working days before, then yellow.
      await sleepPast('2032-01-12T16:00:00.000Z');
      await waitFor(async () => (await prisma.escalation.count({ where: { caseId: input.caseId, deadlineKey: 'second-year-review' } })) === 2);
      const levels = (await prisma.escalation.findMany({ where: { caseId: input.caseId, deadlineKey: 'second-year-review' }, orderBy: { firedAt: 'asc' } })).map((e) => e.level);
      expect(levels).toEqual(['reminder-10', 'yellow']);

      expect((await perform(handle, { action: 'review', score: 101 })).state).toBe('review-publicity');
      const reviewing = await caseState(handle);
      expect(deadline(reviewing, 'second-year-review').status).toBe('met');
      // Reviewed on 2032-01-13 (Shanghai), the review's due date: 7 days -> 2032-01-20, a Tuesday.
      expect(deadline(reviewing, 'review-publicity')).toMatchObject({ kind: 'window', dueDate: '2032-01-20', dueAt: '2032-01-20T16:00:00.000Z' });
      await perform(handle, { action: 'review-objection', objection: 'the score is too generous' });
      expect((await refusalOf(perform(handle, { action: 'owner-objection', objection: 'wrong window' }))).rule).toBe('window-closed');

      await sleepPast('2032-01-20T16:00:00.000Z');
      await inState(input.caseId, 'effective');
      const reviewed = await caseState(handle);
      // A different level replaces the one in effect (four stars, Art. 13 consequences); the validity is unchanged.
      expect((reviewed.data as RatingData).rating).toMatchObject({ kind: 'review', stars: 4, score: 101, validUntil: '2033-01-13' });
      expect(await eventData(input.caseId, 'rating.level-changed')).toEqual([expect.objectContaining({ from: 3, to: 4, effectiveFrom: '2032-01-21' })]);
      expect((await eventData(input.caseId, 'rating.consequences'))[1]).toMatchObject({ stars: 4, certificate: true, rewardYuan: 80_000, creditScoreChange: 3 });
      expect((await refusalOf(perform(handle, { action: 'review-objection', objection: 'too late' }))).rule).toBe('window-closed');

      await sleepPast('2033-01-13T16:00:00.000Z');
      await handle.result();
      const closed = await stored(input.caseId);
      expect(closed).toMatchObject({ state: 'closed', outcome: 'expired' });
      expect(closed.closedAt?.toISOString()).toBe('2033-01-13T16:00:00.000Z');
      expect(await eventTypes(input.caseId)).toEqual([
        'case.filed',
        'evaluator.recused',
        'evaluator.declared-no-conflict',
        'rating.published',
        'publicity.objection',
        'deadline.expired',
        'rating.effective',
        'rating.consequences',
        'rating.nameplate-issued',
        'deadline.reminder-10',
        'deadline.yellow',
        'rating.review-published',
        'publicity.objection',
        'deadline.expired',
        'rating.review-effective',
        'rating.level-changed',
        'rating.consequences',
        'deadline.expired',
        'rating.expired',
      ]);
    });
  });

  it('non-compliant: rectification ordered, re-evaluation when it ends, non-compliant again -> owners’ assembly notified', async () => {
    const taskQueue = uniqueQueue('wf-property-rating');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      await advanceTo('2029-01-08T10:00:00+08:00'); // Monday
      const now = await serverNow(env);
      const input = await kernelInput(prisma, {
        ...PROCEDURE,
        receivedAt: now,
        filedAt: now,
        filing: { compound: { name: '北岸小区', occupiedSince: '2020-05-01', serviceSince: '2028-06-01' }, company: { name: '新物业公司' } },
      });
      const handle = await startCase(env.client, taskQueue, input);
      await perform(handle, { action: 'declare-recusal', evaluator: 'Evaluator C', conflict: false, statement: 'independent' });
      await perform(handle, { action: 'publish', score: 65, evaluator: 'Evaluator C' });
      expect(deadline(await caseState(handle), 'publicity').dueDate).toBe('2029-01-15');
      expect((await refusalOf(perform(handle, { action: 'order-rectification', period: { days: 30 } }))).rule).toBe('property-rating/out-of-sequence');
      expect((await refusalOf(perform(handle, { action: 'notify-owners-assembly' }))).rule).toBe('property-rating/out-of-sequence');

      await sleepPast('2029-01-15T16:00:00.000Z');
      await inState(input.caseId, 'non-compliant');
      const effective = await caseState(handle);
      expect((effective.data as RatingData).rating).toMatchObject({ stars: 0, level: 'non-compliant', effectiveFrom: '2029-01-16', validUntil: null });
      expect(effective.deadlines.map((d) => d.key)).toEqual(['publicity']);
      expect(await eventData(input.caseId, 'rating.consequences')).toEqual([
        expect.objectContaining({ stars: 0, creditScoreChange: -3, intensifiedInspection: true, rectificationOrder: true, interviewOfCompanyHead: true, reEvaluationAfterRectification: true }),
      ]);
      expect((await refusalOf(perform(handle, { action: 'revoke', reason: 'major-safety-accident', findings: 'fire' }))).rule).toBe('property-rating/out-of-sequence');
      expect((await refusalOf(perform(handle, { action: 'review', score: 80 }))).rule).toBe('property-rating/out-of-sequence');

      // Ordered on 2029-01-16 (Shanghai): 30 days -> 2029-02-15.
      expect((await perform(handle, { action: 'order-rectification', period: { days: 30 } })).state).toBe('rectification');
      expect(deadline(await caseState(handle), 'rectification')).toMatchObject({ kind: 'expiry', dueDate: '2029-02-15', dueAt: '2029-02-15T16:00:00.000Z' });
      expect((await refusalOf(perform(handle, { action: 'publish', score: 80 }))).rule).toBe('property-rating/out-of-sequence');

      await sleepPast('2029-02-15T16:00:00.000Z');
      await inState(input.caseId, 're-evaluation');
      // The re-evaluation (复评) is scored with `publish` again: its own publicity, `publicity-2`, 2029-02-16 -> 02-23.
      await perform(handle, { action: 'publish', score: 68 });
      const republished = await caseState(handle);
      expect(deadline(republished, 'publicity-2')).toMatchObject({ kind: 'window', dueDate: '2029-02-23' });
      // No evaluator named (none at filing, none in the action): a declaration of no conflict by some evaluator suffices.
      expect((republished.data as RatingData).pending).toMatchObject({ kind: 're-evaluation', stars: 0, evaluator: null });
      await perform(handle, { action: 'owner-objection', objection: 'nothing has improved' });

      await sleepPast('2029-02-23T16:00:00.000Z');
      await inState(input.caseId, 'owners-assembly-notice');
      const again = await caseState(handle);
      // The measures set no period for the notice: a promised 10 working days (local policy) from 2029-02-23.
      expect(deadline(again, 'owners-assembly-notice')).toMatchObject({ kind: 'promised', dueDate: '2029-03-09' });
      expect(await eventTypes(input.caseId)).toContain('owners-assembly.notice-due');

      expect((await perform(handle, { action: 'notify-owners-assembly' })).state).toBe('closed');
      await handle.result();
      expect(await stored(input.caseId)).toMatchObject({ state: 'closed', outcome: 'owners-assembly-notified' });
      expect(await eventData(input.caseId, 'owners-assembly.notified')).toEqual([expect.objectContaining({ mayReselectCompany: true, company: '新物业公司' })]);
      expect((await eventData(input.caseId, 'rating.effective')).map((e) => e.kind)).toEqual(['rating', 're-evaluation']);
      expect(await eventTypes(input.caseId)).toEqual([
        'case.filed',
        'evaluator.declared-no-conflict',
        'rating.published',
        'deadline.expired',
        'rating.effective',
        'rating.consequences',
        'rectification.ordered',
        'deadline.expired',
        'rectification.period-ended',
        're-evaluation.due',
        'rating.published',
        'publicity.objection',
        'deadline.expired',
        'rating.effective',
        'rating.consequences',
        'owners-assembly.notice-due',
        'owners-assembly.notified',
      ]);
    });
  });

  it('revokes a five-star rating after a major safety accident: its clocks are cancelled and the case finishes', async () => {
    const taskQueue = uniqueQueue('wf-property-rating');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      await advanceTo('2029-04-02T10:00:00+08:00'); // Monday
      const now = await serverNow(env);
      const input = await kernelInput(prisma, { ...PROCEDURE, receivedAt: now, filedAt: now, filing: { compound: { name: '滨江苑', occupiedSince: '2018-09-01' } } });
      const handle = await startCase(env.client, taskQueue, input);
      await perform(handle, { action: 'declare-recusal', evaluator: 'Evaluator D', conflict: false, statement: 'independent' });
      await perform(handle, { action: 'publish', score: 106 });
      expect((await refusalOf(perform(handle, { action: 'revoke', reason: 'major-safety-accident', findings: 'too early' }))).rule).toBe('property-rating/out-of-sequence');
      await sleepPast('2029-04-09T16:00:00.000Z');
      await inState(input.caseId, 'effective');
      expect(await eventData(input.caseId, 'rating.consequences')).toEqual([expect.objectContaining({ stars: 5, certificate: true, rewardYuan: 100_000, creditScoreChange: 5 })]);

      expect((await perform(handle, { action: 'revoke', reason: 'major-safety-accident', findings: 'gas explosion in block 3, two deaths' })).state).toBe('closed');
      await handle.result();
      const closed = await caseState(handle);
      expect(closed).toMatchObject({ state: 'closed', outcome: 'revoked' });
      expect(Object.fromEntries(closed.deadlines.map((d) => [d.key, d.status]))).toEqual({
        publicity: 'expired',
        validity: 'cancelled',
        nameplate: 'cancelled',
        'second-year-review': 'cancelled',
      });
      expect(await eventData(input.caseId, 'rating.revoked')).toEqual([expect.objectContaining({ reason: 'major-safety-accident', stars: 5 })]);
    });
  });
});

describe('property rating v2 on the case kernel (time-skipping server, PostgreSQL)', () => {
  const RENEWAL = { id: 1, document: '江北新区物业〔2030〕3号 (test notice)', issuedAt: '2030-12-01', validFrom: '2031-01-01', validTo: '2033-12-31', recordedBy: 'admin', recordedAt: '2030-12-02T02:00:00.000Z' };

  it('Art. 9: the result takes effect only when every objection is decided; Art. 12: a review missing at the end of validity is red', async () => {
    const taskQueue = uniqueQueue('wf-property-rating-v2');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      await advanceTo('2031-01-06T10:00:00+08:00'); // Monday
      const now = await serverNow(env);
      const base = await kernelInput(prisma, {
        procedure: 'property-rating',
        version: 2,
        receivedAt: now,
        filedAt: now,
        filing: { compound: { name: '江北花园', occupiedSince: '2025-11-30' }, evaluator: { name: 'Evaluator A' } },
      });
      const input = { ...base, renewal: RENEWAL };
      const handle = await startCase(env.client, taskQueue, input);
      const filed = await caseState(handle);
      expect(filed.events.filter((e) => e.type === 'measures.renewal-cited').map((e) => e.data)).toEqual([expect.objectContaining({ document: RENEWAL.document })]);

      await perform(handle, { action: 'declare-recusal', evaluator: 'Evaluator A', conflict: false, statement: 'no ties' });
      await perform(handle, { action: 'publish', score: 92 });
      expect((await perform(handle, { action: 'owner-objection', objection: 'the lifts are often out of order' })).state).toBe('publicity');

      // The publicity ends (2031-01-13 24:00) with the objection undecided: no effect, no rating clocks.
      await sleepPast('2031-01-13T16:00:00.000Z');
      await inState(input.caseId, 'objections-pending');
      const waiting = await caseState(handle);
      expect((waiting.data as RatingData).rating).toBeNull();
      expect(waiting.deadlines.find((d) => d.clock === 'validity')).toBeUndefined();
      // Made after the publicity (Art. 9: 不予受理), though entered the same minute.
      const after = await refusalOf(perform(handle, { action: 'owner-objection', objection: 'after', occurredAt: '2031-01-14T00:00:30+08:00' }));
      expect(after.rule).toBe('window-closed');

      expect((await refusalOf(perform(handle, { action: 'decide-objection', number: 1, upheld: false }))).rule).toBe('property-rating/objection-reasons-required');
      expect((await perform(handle, { action: 'decide-objection', number: 1, upheld: false, reasons: 'the lifts were inspected: in order' })).state).toBe('effective');
      const effective = await caseState(handle);
      // Art. 10: effective from the end of publicity; the review runs to the end of validity (2033-01-13).
      expect((effective.data as RatingData).rating).toMatchObject({ stars: 3, effectiveFrom: '2031-01-14', validUntil: '2033-01-13' });
      expect(deadline(effective, 'second-year-review')).toMatchObject({ kind: 'legal', dueDate: '2033-01-13', dueAt: deadline(effective, 'validity').dueAt });
      expect((await refusalOf(perform(handle, { action: 'review', score: 95 }))).rule).toBe('property-rating/review-in-first-year');
      await perform(handle, { action: 'issue-nameplate' });

      // No review in the second year: red at the end of validity, kept on record when the rating expires.
      await sleepPast('2033-01-13T16:00:00.000Z');
      await inState(input.caseId, 'closed');
      const closed = await caseState(handle);
      expect(closed).toMatchObject({ state: 'closed', outcome: 'expired' });
      expect(deadline(closed, 'second-year-review').status).toBe('overdue');
      expect(closed.escalations).toEqual(expect.arrayContaining([expect.objectContaining({ deadlineKey: 'second-year-review', level: 'red' })]));
      expect(closed.escalations.some((e) => e.deadlineKey === 'second-year-review' && e.level === 'red' && e.dueAt === '2033-01-13T16:00:00.000Z')).toBe(true);
    });
  });
});
