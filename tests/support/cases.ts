import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import type { ObjectionVariant } from '../../procedures/objection-review/v1';
import { calendarFrom, loadCalendar } from '../../src/db/calendar-store';
import { caseWorkflowId, ObjectionReviewInput } from '../../workflows/contracts/case.contract';

export async function objectionInput(
  prisma: PrismaClient,
  receivedAt: string,
  filedAt: string,
  variant: ObjectionVariant = 'standard',
): Promise<ObjectionReviewInput> {
  const seed = await loadCalendar(prisma);
  const caseId = randomUUID();
  return {
    caseId,
    idempotencyKey: `test-${caseId}`,
    definitionVersion: 1,
    variant,
    unitId: 'unit-test',
    subject: { kind: 'organisation', name: 'Test Co', idNumber: '91350100M000100Y43' },
    receivedAt,
    filedAt,
    actor: 'tester',
    calendar: calendarFrom(seed, Number(receivedAt.slice(0, 4))),
  };
}

export async function startObjection(client: Client, taskQueue: string, input: ObjectionReviewInput) {
  return client.workflow.start('objectionReviewWorkflow', { taskQueue, workflowId: caseWorkflowId(input.caseId), args: [input] });
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
