import type { PrismaClient } from '@prisma/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { waitFor } from '../support/cases';
import { caseState, kernelInput, kernelWorker, perform, refusalOf, serverNow, startCase, timeSkippingSuite } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));

const deadline = (caseId: string, key: string) => prisma.deadline.findUniqueOrThrow({ where: { caseId_key: { caseId, key } } });
const finished = async (handle: { describe: () => Promise<{ status: { name: string } }> }) => (await handle.describe()).status.name === 'COMPLETED';

describe('information correction (Art. 38) on the case kernel (time-skipping server, PostgreSQL)', () => {
  it('an error found by the provider: corrected within 3 working days; the ¶2 steps are refused on this path', async () => {
    const taskQueue = uniqueQueue('wf-correction');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const input = await kernelInput(prisma, { procedure: 'information-correction', version: 1, receivedAt: now, filedAt: now, filing: { information: 'court judgment 2026-01' } });
      const handle = await startCase(env.client, taskQueue, input);
      expect((await caseState(handle)).deadlines.map((d) => [d.key, d.owner])).toEqual([['correction', 'unit-test']]);
      expect(await refusalOf(perform(handle, { action: 'file-update' }))).toMatchObject({ rule: 'information-correction/wrong-path' });
      expect(await refusalOf(perform(handle, { action: 'agency-applied' }))).toMatchObject({ rule: 'information-correction/receipt-before-filing' });
      const done = await perform(handle, { action: 'correct', description: 'amount corrected to 3,000 yuan' });
      expect(done.state).toBe('closed');
      await waitFor(() => finished(handle));
      expect(await deadline(input.caseId, 'correction')).toMatchObject({ status: 'met' });
    });
  });

  it('a changed basis: the provider files within 2 working days, the agency applies within 1 working day of its receipt, and its own red is its own', async () => {
    const taskQueue = uniqueQueue('wf-correction-basis');
    const worker = await kernelWorker(env, prisma, taskQueue);
    await worker.runUntil(async () => {
      const now = await serverNow(env);
      const input = await kernelInput(prisma, { procedure: 'information-correction', version: 1, receivedAt: now, filedAt: now, variant: 'basis-changed' });
      const handle = await startCase(env.client, taskQueue, input);
      expect(await refusalOf(perform(handle, { action: 'correct', description: 'x' }))).toMatchObject({ rule: 'information-correction/wrong-path' });
      expect(await refusalOf(perform(handle, { action: 'record-agency-receipt' }))).toMatchObject({ rule: 'information-correction/receipt-before-filing' });
      await perform(handle, { action: 'file-update' });
      expect(await refusalOf(perform(handle, { action: 'file-update' }))).toMatchObject({ rule: 'information-correction/already-done' });
      await perform(handle, { action: 'record-agency-receipt', agency: 'city-credit-centre' });
      const apply = (await caseState(handle)).deadlines.find((d) => d.key === 'agency-apply')!;
      expect(apply).toMatchObject({ owner: 'city-credit-centre', period: { workingDays: 1 } });
      await env.sleep(Date.parse(apply.dueAt!) - Date.parse(await serverNow(env)) + 60_000);
      await waitFor(async () => (await prisma.escalation.count({ where: { caseId: input.caseId, deadlineKey: 'agency-apply', level: 'red' } })) === 1);
      const red = await prisma.caseEvent.findFirstOrThrow({ where: { caseId: input.caseId, type: 'deadline.red' } });
      expect(red.data).toMatchObject({ deadlineKey: 'agency-apply', owner: 'city-credit-centre' });
      await perform(handle, { action: 'agency-applied' });
      await waitFor(() => finished(handle));
      expect(await deadline(input.caseId, 'provider-update')).toMatchObject({ status: 'met' });
      expect(await deadline(input.caseId, 'agency-apply')).toMatchObject({ status: 'met-late' });
    });
  });
});
