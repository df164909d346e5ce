import type { PrismaClient } from '@prisma/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { waitFor } from '../support/cases';
import { caseState, kernelInput, kernelWorker, perform, serverNow, startCase, timeSkippingSuite } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));

describe('a long case continues as new (time-skipping server, PostgreSQL)', () => {
  it('hands the case over to a new run: state, receipts and pending deadlines carry on, the audit trail has no gap or duplicate', async () => {
    const taskQueue = uniqueQueue('wf-can');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const input = { ...(await kernelInput(prisma, { procedure: 'objection-review', version: 2, receivedAt: now, filedAt: now })), limits: { historyEvents: 40 } };
      const handle = await startCase(env.client, taskQueue, input);
      const firstRun = (await handle.describe()).runId;
      await perform(handle, { action: 'mark-disputed' }, 'mark-1');
      await perform(handle, { action: 'request-assistance', units: [{ unitId: 'tax' }, { unitId: 'market' }] });
      await perform(handle, { action: 'record-notice-receipt', unitId: 'tax' });
      await perform(handle, { action: 'record-notice-receipt', unitId: 'market' });
      await perform(handle, { action: 'record-assistance-reply', unitId: 'tax', result: 'confirmed' });
      await waitFor(async () => (await env.client.workflow.getHandle(handle.workflowId).describe()).runId !== firstRun);

      // The receipt of an action sent before the hand-over answers its retry in the new run.
      expect(await perform(handle, { action: 'mark-disputed' }, 'mark-1')).toMatchObject({ repeated: true });
      const state = await caseState(handle);
      expect(state.data).toMatchObject({ markedAt: expect.any(String), assistance: [expect.objectContaining({ unitId: 'tax', result: 'confirmed' }), expect.objectContaining({ unitId: 'market', repliedAt: null })] });

      // The market unit's 2 working days still run in the new run, and its red still fires once.
      const reply = state.deadlines.find((d) => d.key === 'assistance-reply:market')!;
      await env.sleep(Date.parse(reply.dueAt!) - Date.parse(await serverNow(env)) + 60_000);
      await waitFor(async () => (await prisma.escalation.count({ where: { caseId: input.caseId, deadlineKey: 'assistance-reply:market', level: 'red' } })) === 1);
      await perform(handle, { action: 'decide', outcome: 'rejected', reasons: 'the record is right' });
      // The market unit's breach outlives the decision: its escalation ladder runs to the last level, then the case ends.
      const lastStep = reply.overdueSteps!.at(-1)!;
      await env.sleep(Date.parse(lastStep.at) - Date.parse(await serverNow(env)) + 60_000);
      await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED');

      const events = await prisma.caseEvent.findMany({ where: { caseId: input.caseId }, orderBy: { seq: 'asc' } });
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.filter((e) => e.type === 'record.marked-disputed')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'decision.rejected')).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: `deadline.${lastStep.level}`, data: { deadlineKey: 'assistance-reply:market', owner: 'market', levelsUp: 3 } });
      // The ladder was carried over by continue-as-new: each step once.
      const steps = events.filter((e) => e.type.startsWith('deadline.') && (e.data as { deadlineKey?: string }).deadlineKey === 'assistance-reply:market');
      expect(new Set(steps.map((e) => e.type)).size).toBe(steps.length);
      expect(await prisma.case.findUniqueOrThrow({ where: { id: input.caseId } })).toMatchObject({ state: 'closed', outcome: 'rejected' });
    });
  });
});
