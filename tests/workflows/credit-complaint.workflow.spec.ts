import type { PrismaClient } from '@prisma/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { waitFor } from '../support/cases';
import { caseState, kernelInput, kernelWorker, perform, serverNow, startCase, timeSkippingSuite } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));

describe('credit complaint on the case kernel (time-skipping server, PostgreSQL)', () => {
  it('escalates the 20-working-day reply clock yellow then red, and a late reply is met late', async () => {
    const taskQueue = uniqueQueue('wf-complaint');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const input = await kernelInput(prisma, { procedure: 'credit-complaint', version: 1, receivedAt: now, filedAt: now, filing: { collector: { name: 'X 征信' } } });
      const handle = await startCase(env.client, taskQueue, input);
      const filed = await caseState(handle);
      const reply = filed.deadlines.find((d) => d.key === 'reply')!;
      expect(reply.explanation.countedDays).toHaveLength(20);
      await env.sleep(Date.parse(reply.dueAt!) - Date.parse(now) + 60_000);
      await waitFor(async () => (await prisma.escalation.count({ where: { caseId: input.caseId } })) === 2);
      const levels = (await prisma.escalation.findMany({ where: { caseId: input.caseId }, orderBy: { firedAt: 'asc' } })).map((e) => e.level);
      expect(levels).toEqual(['yellow', 'red']);

      const answer = await perform(handle, { action: 'reply', result: 'collector corrected the record' }, 'reply-1');
      expect(answer.state).toBe('closed');
      // Polled, not awaited with result(): waiting on the time-skipping server lets it jump ahead to unrelated timers.
      await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED');
      // The case finished with its answer; the read model keeps the receipt the API answers a retry from.
      const stored = await prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
      expect(stored.details).toMatchObject({ actionReceipts: [{ key: 'reply-1', action: 'reply', revision: answer.revision, state: 'closed' }] });
      const row = await prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId: input.caseId, key: 'reply' } } });
      expect(row.status).toBe('met-late');
      const events = (await prisma.caseEvent.findMany({ where: { caseId: input.caseId }, orderBy: { seq: 'asc' } })).map((e) => e.type);
      expect(events).toEqual(['case.filed', 'deadline.yellow', 'deadline.red', 'complaint.replied']);
    });
  });
});
