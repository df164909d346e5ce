import { randomUUID } from 'node:crypto';
import { testPersonalData } from '../support/kernel';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities/case.activities';
import { kernelDefinitionFor } from '../../procedures';
import { CreditStatusService } from '../../src/cases/credit-status.service';
import { Calendar } from '../../src/domain/calendar';
import { fileKernelCase } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';
import { READ_MODEL_REFUSED } from '../../workflows/contracts/case.contract';
import { testPrisma } from '../support/db';

// The kernel's read-model activity against a real PostgreSQL.
const calendar = Calendar.fromSeed(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')));
let prisma: PrismaClient;
beforeAll(() => {
  prisma = testPrisma();
});
afterAll(() => prisma.$disconnect());

function complaint(idNumber = '91350100M000100Y43'): KernelCase {
  const caseId = randomUUID();
  const def = kernelDefinitionFor('credit-complaint', 1)!;
  return fileKernelCase(def, calendar, {
    caseId,
    idempotencyKey: `activity-${caseId}`,
    procedure: 'credit-complaint',
    definitionVersion: 1,
    variant: 'standard',
    unitId: 'unit-activity-test',
    subject: { kind: 'organisation', name: 'Activity Co', idNumber },
    receivedAt: '2026-09-29T02:00:00.000Z',
    filedAt: '2026-09-29T03:00:00.000Z',
    actor: 'tester',
    filing: {},
  });
}

describe('persistKernelCase', () => {
  const persistKernelCase = (input: { snapshot: KernelCase }) => createActivities({ prisma, personalData: testPersonalData }).persistKernelCase(input);

  it('fails without retry when PostgreSQL refuses the data itself, and the stored case stays readable', async () => {
    const c = complaint();
    c.revision = 1;
    expect(await persistKernelCase({ snapshot: c })).toBe('written');
    // A text the edge would refuse, smuggled past it: jsonb cannot hold U+0000.
    const bad = { ...c, revision: 2, events: [{ ...c.events[0], seq: 2, type: 'note', data: { note: 'a\u0000b' } }] };
    const error = await persistKernelCase({ snapshot: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: READ_MODEL_REFUSED, nonRetryable: true });
    expect(await prisma.case.findUniqueOrThrow({ where: { id: c.caseId } })).toMatchObject({ revision: 1 });
  });

  it('appends credit effects once, in the same write as the snapshot, and the status reads them', async () => {
    const uscc = '91230100MA1B2C3D4E';
    const c = complaint(uscc);
    c.revision = 1;
    c.creditEffects.push({ seq: 1, kind: 'listed', at: '2026-09-30T02:00:00.000Z', until: '2099-01-01T00:00:00.000Z', data: { reasons: 'r', basis: 'b', period: { years: 1 } } });
    await persistKernelCase({ snapshot: c });
    await persistKernelCase({ snapshot: c });
    expect(await prisma.creditRecord.count({ where: { caseId: c.caseId } })).toBe(1);
    const status = await new CreditStatusService(prisma, testPersonalData).statusOf(uscc);
    expect(status.listed).toBe(true);
    c.revision = 2;
    c.creditEffects.push({ seq: 2, kind: 'listing-ended', at: '2026-10-09T02:00:00.000Z', data: { listingCaseId: c.caseId, reason: 'period ended' } });
    await persistKernelCase({ snapshot: c });
    expect((await new CreditStatusService(prisma, testPersonalData).statusOf(uscc)).listings).toEqual([expect.objectContaining({ caseId: c.caseId, active: false, endedAt: '2026-10-09T02:00:00.000Z' })]);
  });

  it('keeps no outbox message when no delivery channel is configured (the escalation is still recorded); with one, the message waits for it', async () => {
    const red = (c: KernelCase) => {
      c.revision = 1;
      c.escalations.push({ deadlineKey: 'reply', level: 'red', dueAt: '2026-10-20T16:00:00.000Z', firedAt: '2026-10-20T16:00:00.000Z', owner: 'a' });
      return c;
    };
    const outboxOf = (caseId: string) => prisma.outboxMessage.count({ where: { id: { startsWith: caseId }, deliveredAt: null } });
    const withoutChannel = red(complaint());
    await createActivities({ prisma, personalData: testPersonalData, dropOutbox: true }).persistKernelCase({ snapshot: withoutChannel });
    await createActivities({ prisma, personalData: testPersonalData, dropOutbox: true }).persistKernelCase({ snapshot: { ...withoutChannel, revision: 2 } });
    expect(await outboxOf(withoutChannel.caseId)).toBe(0);
    expect(await prisma.escalation.count({ where: { caseId: withoutChannel.caseId } })).toBe(1);

    const withChannel = red(complaint());
    await createActivities({ prisma, personalData: testPersonalData, dropOutbox: false }).persistKernelCase({ snapshot: withChannel });
    expect(await outboxOf(withChannel.caseId)).toBe(1);
  });
});
