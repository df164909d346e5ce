/**
 * The escalation ladder on the time-skipping server (docs/time-rules.md#warnings-and-escalation; DEFAULT_ESCALATION: a
 * reminder at 09:00 Asia/Shanghai of each working day overdue, one level up every 3 working days, 3 levels).
 *
 * The server's clock starts at the real time and only moves forward, so the tests run in order on dates after it:
 * an objection received Mon 2026-12-28 is decided within 3 working days, by Thu 12-31. The case's calendar is the
 * loaded one plus New Year's Day 2027 (Fri 1 Jan, fixed by the national holiday regulation), so the first working
 * day after the due date is Mon 2027-01-04: the reminders skip the holiday and the weekend.
 */
import type { PrismaClient } from '@prisma/client';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ObjectionData } from '../../procedures/objection-review/v2';
import type { KernelCase } from '../../src/domain/kernel/ops';
import type { CaseWorkflowInput } from '../../workflows/contracts/case.contract';
import { waitFor } from '../support/cases';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/case.activities';
import { caseState, kernelInput, kernelWorker, perform, serverNow, startCase, timeSkippingSuite, workflowBundle, testPersonalData } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));
jest.setTimeout(120_000);

const sh = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`).toISOString();
const endOf = (date: string) => `${date}T16:00:00.000Z`;

async function sleepUntil(iso: string) {
  const ms = Date.parse(iso) - (await env.currentTimeMs());
  if (ms > 0) await env.sleep(ms);
}
/** A minute past `iso`. */
const sleepPast = (iso: string) => sleepUntil(new Date(Date.parse(iso) + 60_000).toISOString());

async function file(taskQueue: string): Promise<{ handle: WorkflowHandle; input: CaseWorkflowInput }> {
  const now = await serverNow(env);
  const input = await kernelInput(prisma, { procedure: 'objection-review', version: 2, receivedAt: now, filedAt: now, filing: { grounds: ['error'] } });
  input.calendar = {
    ...input.calendar,
    version: `${input.calendar.version}+2027-new-year`,
    years: {
      ...input.calendar.years,
      '2027': { notice: "test: New Year's Day, fixed by the national holiday regulation", holidays: { '2027-01-01': "元旦 New Year's Day" }, makeupWorkdays: {} },
    },
  };
  const handle = await startCase(env.client, taskQueue, input);
  return { handle, input };
}

const kase = async (handle: WorkflowHandle) => (await caseState(handle)) as KernelCase<ObjectionData>;
const decisionLevels = async (handle: WorkflowHandle) => (await kase(handle)).escalations.filter((e) => e.deadlineKey === 'decision').map((e) => e.level);

async function waitLevels(handle: WorkflowHandle, expected: string[]) {
  await waitFor(async () => (await decisionLevels(handle)).length >= expected.length);
  expect(await decisionLevels(handle)).toEqual(expected);
}

/** Polled, not awaited with result(): waiting on the result lets the time-skipping server jump far ahead. */
async function finished(handle: WorkflowHandle) {
  await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED');
}

describe('the escalation ladder (time-skipping server)', () => {
  it('reminds each working day after the red, skipping New Year and the weekend, and climbs two levels', async () => {
    const taskQueue = uniqueQueue('wf-ladder');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      await sleepUntil(sh('2026-12-28'));
      const { handle } = await file(taskQueue);
      await perform(handle, { action: 'mark-disputed' });
      const decision = (await kase(handle)).deadlines.find((d) => d.key === 'decision')!;
      expect(decision).toMatchObject({ dueDate: '2026-12-31', dueAt: endOf('2026-12-31'), owner: 'unit-test' });
      expect(decision.overdueSteps).toEqual([
        { level: 'overdue-1', at: sh('2027-01-04', '09:00') },
        { level: 'overdue-2', at: sh('2027-01-05', '09:00') },
        { level: 'escalation-1', at: sh('2027-01-06', '09:00'), levelsUp: 1 },
        { level: 'overdue-4', at: sh('2027-01-07', '09:00') },
        { level: 'overdue-5', at: sh('2027-01-08', '09:00') },
        { level: 'escalation-2', at: sh('2027-01-11', '09:00'), levelsUp: 2 },
        { level: 'overdue-7', at: sh('2027-01-12', '09:00') },
        { level: 'overdue-8', at: sh('2027-01-13', '09:00') },
        { level: 'escalation-3', at: sh('2027-01-14', '09:00'), levelsUp: 3 },
      ]);

      await sleepPast(decision.dueAt!);
      await waitLevels(handle, ['yellow', 'red']);
      // Nothing on New Year's Day, the weekend or before 09:00 on Monday.
      await sleepUntil(sh('2027-01-04', '08:59'));
      await kase(handle);
      expect(await decisionLevels(handle)).toEqual(['yellow', 'red']);

      const climbed = ['yellow', 'red'];
      for (const step of decision.overdueSteps!.slice(0, 6)) {
        await sleepPast(step.at);
        climbed.push(step.level);
        await waitLevels(handle, climbed);
        const fired = (await kase(handle)).escalations.at(-1)!;
        // Fired at the step's instant (the timer's), not when the test looked.
        expect(Date.parse(fired.firedAt) - Date.parse(step.at)).toBeGreaterThanOrEqual(0);
        expect(Date.parse(fired.firedAt) - Date.parse(step.at)).toBeLessThan(60_000);
      }
      const c = await kase(handle);
      expect(c.escalations.filter((e) => e.level.startsWith('escalation-')).map((e) => [e.level, e.levelsUp, e.owner])).toEqual([
        ['escalation-1', 1, 'unit-test'],
        ['escalation-2', 2, 'unit-test'],
      ]);
      expect(c.events.filter((e) => e.type === 'deadline.escalation-2').map((e) => e.data)).toEqual([
        { deadlineKey: 'decision', dueAt: endOf('2026-12-31'), level: 'escalation-2', owner: 'unit-test', levelsUp: 2 },
      ]);
      await perform(handle, { action: 'decide', outcome: 'rejected', reasons: 'the record is right' });
      await finished(handle);
    });
  });

  it('meeting the deadline cancels the steps still pending: nothing is recorded after it', async () => {
    const taskQueue = uniqueQueue('wf-ladder');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const { handle } = await file(taskQueue);
      await perform(handle, { action: 'mark-disputed' });
      const decision = (await kase(handle)).deadlines.find((d) => d.key === 'decision')!;
      await sleepPast(decision.dueAt!);
      await waitLevels(handle, ['yellow', 'red']);
      await sleepPast(decision.overdueSteps![0].at);
      await waitLevels(handle, ['yellow', 'red', 'overdue-1']);

      await perform(handle, { action: 'decide', outcome: 'rejected', reasons: 'the record is right' });
      const decided = await kase(handle);
      expect(decided.deadlines.find((d) => d.key === 'decision')!.status).toBe('met-late');
      await finished(handle);
      await sleepPast(decision.overdueSteps!.at(-1)!.at);
      const after = await kase(handle);
      expect(after.escalations).toEqual(decided.escalations);
      expect(after.events.at(-1)!.type).toBe('decision.rejected');
    });
  });

  it('a deadline that passes while the worker is stopped escalates exactly once when a worker returns', async () => {
    const taskQueue = uniqueQueue('wf-ladder');
    let handle!: WorkflowHandle;
    let caseId!: string;
    let dueAt!: string;
    let firstStep!: string;
    // Without a workflow cache the worker leaves no sticky task queue behind: the task the red's timer creates waits
    // on the case's task queue, where the next worker finds it.
    const first = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      dataConverter: env.client.options.dataConverter,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ prisma, personalData: testPersonalData }),
      maxCachedWorkflows: 0,
    });
    await first.runUntil(async () => {
      const filed = await file(taskQueue);
      ({ handle } = filed);
      caseId = filed.input.caseId;
      await perform(handle, { action: 'mark-disputed' });
      const decision = (await kase(handle)).deadlines.find((d) => d.key === 'decision')!;
      dueAt = decision.dueAt!;
      firstStep = decision.overdueSteps![0].at;
      await sleepPast(decision.yellowAt!);
      await waitLevels(handle, ['yellow']);
    });
    // No worker now. The server's clock runs to the due instant, where the red's timer fires with no worker to take
    // it (the time-skipping server then holds its clock until a worker handles the task).
    const skipping = sleepPast(dueAt);
    // Waits for the server's clock, not for a fixed time on the wall clock.
    await waitFor(async () => (await env.currentTimeMs()) >= Date.parse(dueAt), 30_000);
    // A fresh worker (no cached state: the case is rebuilt from its history).
    await (await kernelWorker(env, prisma, taskQueue)).runUntil(async () => {
      await skipping;
      await waitLevels(handle, ['yellow', 'red']);
      await sleepPast(firstStep);
      await waitLevels(handle, ['yellow', 'red', 'overdue-1']);
      const c = await kase(handle);
      expect(c.events.filter((e) => e.type === 'deadline.red')).toHaveLength(1);
      expect(c.events.filter((e) => e.type === 'deadline.overdue-1')).toHaveLength(1);
      await perform(handle, { action: 'decide', outcome: 'rejected', reasons: 'the record is right' });
      await finished(handle);
    });
    const rows = await prisma.escalation.findMany({ where: { caseId, deadlineKey: 'decision' } });
    expect(rows.map((r) => r.level).sort()).toEqual(['overdue-1', 'red', 'yellow']);
  });

  // Catch-up after a longer downtime, as the workflow sees it: everything since the due instant is due at once.
  it('a case entered after its deadline and its ladder days passed: the red, every escalation level passed (late), the latest step, once each', async () => {
    const taskQueue = uniqueQueue('wf-ladder');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      // Received 12 days ago: mark (1 working day) and decision (3) are both well past, and so are some ladder days.
      const now = await serverNow(env);
      const receivedAt = new Date(Date.parse(now) - 12 * 86_400_000).toISOString();
      const input = await kernelInput(prisma, { procedure: 'objection-review', version: 2, receivedAt, filedAt: now, filing: {} });
      const handle = await startCase(env.client, taskQueue, input);
      await waitFor(async () => (await kase(handle)).escalations.length > 0);
      const c = await kase(handle);
      let expected = 0;
      for (const d of c.deadlines) {
        const passed = d.overdueSteps!.filter((s) => s.at <= now);
        const latest = passed.at(-1);
        expect(latest).toBeDefined();
        const levels = passed.filter((s) => s !== latest && s.level.startsWith('escalation-')).map((s) => `${s.level} (late)`);
        const want = ['red (late)', ...levels, latest!.level];
        expect(c.escalations.filter((e) => e.deadlineKey === d.key).map((e) => `${e.level}${e.late ? ' (late)' : ''}`)).toEqual(want);
        expected += want.length;
      }
      await sleepPast(now);
      expect((await kase(handle)).escalations).toHaveLength(expected);
      // In the read model too, so the supervisors of each level get their notification.
      await waitFor(async () => (await prisma.escalation.count({ where: { caseId: input.caseId } })) === expected);
      await perform(handle, { action: 'refer', competentUnit: 'market-regulation' });
      await finished(handle);
    });
  });
});
