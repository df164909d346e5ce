import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/case.activities';
import { waitFor } from '../support/cases';
import { caseState, kernelInput, perform, refusalOf, serverNow, startCase, timeSkippingSuite, workflowBundleOptions, testPersonalData } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));

const root = path.join(__dirname, '..', '..');

/** The real workflows, with a registry whose credit-complaint reply rule throws on "explode" (tests/fixtures/faulty-rule). */
async function faultyRuleWorker(taskQueue: string): Promise<Worker> {
  const workflowBundle = await bundleWorkflowCode({
    ...workflowBundleOptions,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: {
        ...config.resolve,
        alias: { ...(config.resolve?.alias as Record<string, string> | undefined), [`${path.join(root, 'procedures')}$`]: path.join(root, 'tests/fixtures/faulty-rule/registry.ts') },
      },
    }),
  });
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    dataConverter: env.client.options.dataConverter,
    workflowBundle,
    activities: createActivities({ prisma, personalData: testPersonalData }),
  });
}

describe('a procedure rule that throws while applying an accepted action (time-skipping server, PostgreSQL)', () => {
  it('answers that action with ActionFailed, leaves the case, its history and its read model as they were, and takes the next action', async () => {
    const taskQueue = uniqueQueue('wf-rule-fault');
    const worker = await faultyRuleWorker(taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const input = await kernelInput(prisma, { procedure: 'credit-complaint', version: 1, receivedAt: now, filedAt: now });
      const handle = await startCase(env.client, taskQueue, input);
      const before = await caseState(handle);
      await waitFor(async () => (await prisma.case.findUnique({ where: { id: input.caseId } }))?.revision === before.revision);

      const refused = await refusalOf(perform(handle, { action: 'reply', result: 'explode' }, 'reply-1'));
      expect(refused.type).toBe('ActionFailed');
      expect(refused.message).toMatch(/^reply could not be applied: Error: rule fault in reply/);

      // Nothing of the half-applied rule stays: not in the workflow's case, not in the read model.
      const after = await caseState(handle);
      expect(after).toEqual(before);
      expect(after.deadlines.find((d) => d.key === 'reply')!.status).toBe('running');
      expect(after.actionReceipts).toEqual([]);
      const row = await prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
      expect(row.revision).toBe(before.revision);
      expect(await prisma.caseEvent.count({ where: { caseId: input.caseId, type: 'complaint.replied' } })).toBe(0);
      // The fault answered the update: no workflow task failed, so the case is not stuck retrying it.
      const history = await handle.fetchHistory();
      const types = (history.events ?? []).map((e) => e.eventType);
      expect(types).toContain(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      expect(types).not.toContain(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      expect((await handle.describe()).status.name).toBe('RUNNING');

      // The same key again is tried again (no receipt was kept for a failed action); a sound reply closes the case.
      expect((await refusalOf(perform(handle, { action: 'reply', result: 'explode again' }, 'reply-1'))).type).toBe('ActionFailed');
      const answer = await perform(handle, { action: 'reply', result: 'the collector corrected the record' }, 'reply-2');
      expect(answer.state).toBe('closed');
      await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED');
      const events = (await prisma.caseEvent.findMany({ where: { caseId: input.caseId }, orderBy: { seq: 'asc' } })).map((e) => e.type);
      expect(events).toEqual(['case.filed', 'complaint.replied']);
    });
  });
});
