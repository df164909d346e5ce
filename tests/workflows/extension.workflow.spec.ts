/**
 * Extensions asked by the caseworker and decided by a supervisor (docs/time-rules.md#extension), on commitment verification v2
 * (Social Credit Regulation Art. 30 ¶3: the rectification period may be extended), through the workflow update with
 * the authenticated actor the API passes.
 */
import type { PrismaClient } from '@prisma/client';
import { type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CommitmentData } from '../../procedures/commitment-verification/v1';
import type { Actor, KernelCase } from '../../src/domain/kernel/ops';
import { ACTION_REFUSED, recordActionUpdate } from '../../workflows/contracts/case.contract';
import { waitFor } from '../support/cases';
import { caseState, kernelInput, kernelWorker, serverNow, startCase, timeSkippingSuite } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));

const caseworker: Actor = { id: 'cw-1', roles: ['caseworker'], unitId: 'unit-test', access: 'owner' };
const supervisor: Actor = { id: 'sv-1', roles: ['supervisor'], unitId: 'unit-test', access: 'owner' };

const act = (handle: WorkflowHandle, body: object, actor: Actor) => handle.executeUpdate(recordActionUpdate, { args: [{ body, actor }] });

async function refusalOf(promise: Promise<unknown>): Promise<{ type: string | undefined; rule?: string; forbidden?: boolean }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError) || !(error.cause instanceof ApplicationFailure)) throw error;
    const details = error.cause.details?.[0] as { rule?: string; forbidden?: boolean } | undefined;
    return { type: error.cause.type ?? undefined, rule: details?.rule, forbidden: details?.forbidden };
  }
  throw new Error('the update was not refused');
}

const kase = async (handle: WorkflowHandle) => (await caseState(handle)) as KernelCase<CommitmentData>;
const rectification = async (handle: WorkflowHandle) => (await kase(handle)).deadlines.find((d) => d.key === 'rectification')!;

/** A v2 case ordered to rectify within 10 working days. */
async function rectifying(taskQueue: string): Promise<WorkflowHandle> {
  const now = await serverNow(env);
  const input = await kernelInput(prisma, {
    procedure: 'commitment-verification',
    version: 2,
    receivedAt: now,
    filedAt: now,
    filing: { licence: { number: `L-${now}`, decidedAt: now } },
  });
  const handle = await startCase(env.client, taskQueue, input);
  await act(handle, { action: 'verify', outcome: 'not-kept', findings: 'opening hours not as committed' }, caseworker);
  await act(handle, { action: 'order-rectification', period: { workingDays: 10 }, requirements: 'keep the committed hours' }, caseworker);
  return handle;
}

const request = { action: 'request-extension', deadlineKey: 'rectification', workingDays: 5, reason: 'the premises were flooded' };
const approve = { action: 'approve-extension', deadlineKey: 'rectification' };

describe('extensions on commitment verification v2 (time-skipping server)', () => {
  it('asked by the caseworker, refused to a caseworker (403), approved by the supervisor before the due instant', async () => {
    const taskQueue = uniqueQueue('wf-extension');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const handle = await rectifying(taskQueue);
      const before = await rectification(handle);
      await act(handle, request, caseworker);
      expect(await refusalOf(act(handle, approve, caseworker))).toEqual({ type: ACTION_REFUSED, rule: 'extension-needs-supervisor', forbidden: true });

      await act(handle, approve, supervisor);
      const after = await rectification(handle);
      expect(Date.parse(after.dueAt!)).toBeGreaterThan(Date.parse(before.dueAt!));
      expect(after.explanation.extensions).toHaveLength(1);
      expect(after.previous).toEqual([expect.objectContaining({ dueDate: before.dueDate, dueAt: before.dueAt, reason: expect.stringContaining('extended by 5') })]);
      const c = await kase(handle);
      expect(c.extensionRequests).toEqual([expect.objectContaining({ status: 'approved', requestedBy: 'cw-1', decidedBy: 'sv-1' })]);
      expect(c.events.slice(-2).map((e) => [e.type, e.actor, e.data.actorUnit])).toEqual([
        ['extension.requested', 'cw-1', 'unit-test'],
        ['extension.approved', 'sv-1', 'unit-test'],
      ]);
      expect(c.events.at(-1)!.data).toMatchObject({ from: { dueDate: before.dueDate, dueAt: before.dueAt }, to: { dueDate: after.dueDate, dueAt: after.dueAt } });
    });
  });

  it('an approval after the due instant is refused (422, extension-after-deadline); the red stands', async () => {
    const taskQueue = uniqueQueue('wf-extension');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const handle = await rectifying(taskQueue);
      await act(handle, request, caseworker);
      const due = (await rectification(handle)).dueAt!;
      await env.sleep(Date.parse(due) - (await env.currentTimeMs()) + 60_000);
      await waitFor(async () => (await kase(handle)).escalations.some((e) => e.deadlineKey === 'rectification' && e.level === 'red'));

      expect(await refusalOf(act(handle, approve, supervisor))).toEqual({ type: ACTION_REFUSED, rule: 'extension-after-deadline', forbidden: undefined });
      expect(await rectification(handle)).toMatchObject({ dueAt: due, status: 'overdue', previous: [] });
    });
  });
});
