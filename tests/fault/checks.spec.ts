import type { PrismaClient } from '@prisma/client';
import { kernelDefinitionFor } from '../../procedures';
import { loadCalendar } from '../../src/db/calendar-store';
import { kernelReadModel, persistCaseSnapshot } from '../../src/db/case-store';
import { Calendar } from '../../src/domain/calendar';
import { fileKernelCase, processDue } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';
import { checkEscalations, checkGaps } from '../../tools/fault/checks';
import { testPrisma } from '../support/db';
import { kernelInput, testPersonalData } from '../support/kernel';

// The fault suite's verdict must be able to fail: cases written as the worker writes them pass its checks, and each
// kind of damage (a lost escalation, one recorded twice, a hole in the audit trail) is reported.
let prisma: PrismaClient;
let calendar: Calendar;

beforeAll(async () => {
  prisma = testPrisma();
  calendar = Calendar.fromSeed(await loadCalendar(prisma));
});

afterAll(() => prisma?.$disconnect());

const DAY = 86_400_000;

/** A credit complaint received `ageDays` ago, filed and processed now, as the workflow's first step writes it. */
async function persistedCase(ageDays: number): Promise<KernelCase> {
  const now = new Date().toISOString();
  const input = await kernelInput(prisma, { procedure: 'credit-complaint', version: 1, receivedAt: new Date(Date.now() - ageDays * DAY).toISOString(), filedAt: now });
  const def = kernelDefinitionFor('credit-complaint', 1)!;
  const c = fileKernelCase(def, calendar, input, { ladder: true });
  processDue(def, calendar, c, now);
  c.revision = 1;
  await persistCaseSnapshot(prisma, testPersonalData, kernelReadModel(c));
  return c;
}

const cutoff = () => new Date().toISOString();

it('finds every step an overdue case must have on record, and nothing wrong with it', async () => {
  const c = await persistedCase(45);
  const figures = await checkEscalations(prisma, cutoff(), [c.caseId]);
  // 45 days back, 20 working days to reply: the red, and the ladder's latest rung reached at the first look.
  expect(c.escalations.map((e) => e.level)).toEqual(expect.arrayContaining(['red']));
  expect(figures).toEqual({ expected: c.escalations.length, found: c.escalations.length, missing: [], duplicated: [], withoutEvent: 0 });
  expect(figures.expected).toBeGreaterThanOrEqual(2);
  expect(await checkGaps(prisma, [c.caseId])).toEqual([]);
  // A case filed today expects nothing yet.
  const fresh = await persistedCase(0);
  expect(await checkEscalations(prisma, cutoff(), [fresh.caseId])).toMatchObject({ expected: 0, found: 0 });
});

it('reports a lost escalation', async () => {
  const c = await persistedCase(45);
  await prisma.$executeRaw`DELETE FROM escalations WHERE case_id = ${c.caseId}::uuid AND level = 'red'`;
  const figures = await checkEscalations(prisma, cutoff(), [c.caseId]);
  expect(figures.missing).toEqual([expect.stringMatching(new RegExp(`^${c.caseId}\\|reply\\|red\\|`))]);
  expect(figures.found).toBe(figures.expected - 1);
});

it('reports an escalation recorded twice in the audit trail, and one without its event', async () => {
  const c = await persistedCase(45);
  const red = c.events.find((e) => e.type === 'deadline.red')!;
  const seq = c.events.length + 1;
  await prisma.$executeRaw`
    INSERT INTO case_events (id, case_id, seq, type, actor, at, data, recorded_at)
    VALUES (${`${c.caseId}:${seq}`}, ${c.caseId}::uuid, ${seq}, 'deadline.red', 'system', now(), ${JSON.stringify(red.data)}::jsonb, now())`;
  expect((await checkEscalations(prisma, cutoff(), [c.caseId])).duplicated).toEqual([expect.stringContaining(`${c.caseId}|reply|red|`)]);

  await prisma.$executeRaw`DELETE FROM case_events WHERE case_id = ${c.caseId}::uuid AND type = 'deadline.red'`;
  expect((await checkEscalations(prisma, cutoff(), [c.caseId])).withoutEvent).toBe(1);
});

it('reports a gap in an audit trail', async () => {
  const c = await persistedCase(45);
  expect(c.events.length).toBeGreaterThanOrEqual(3);
  await prisma.$executeRaw`DELETE FROM case_events WHERE case_id = ${c.caseId}::uuid AND seq = 2`;
  expect(await checkGaps(prisma, [c.caseId])).toEqual([expect.stringContaining(c.caseId)]);
});
