import { randomUUID } from 'node:crypto';
import { testPersonalData } from '../support/kernel';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { type ObjectionData, objectionReviewV2 as def } from '../../procedures/objection-review/v2';
import { caseRows, insertFiledCase, kernelReadModel, persistCaseSnapshot, readCase, ReadModelCase } from '../../src/db/case-store';
import { Calendar } from '../../src/domain/calendar';
import { applyKernelAction, fileKernelCase, parseKernelAction, processDue } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';
import { testPrisma } from '../support/db';

// The read model against a real PostgreSQL: idempotent, order-safe, and safe when the API and the workflow
// write the first row of a case at the same moment.
const calendar = Calendar.fromSeed(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')));
let prisma: PrismaClient;

beforeAll(() => {
  prisma = testPrisma();
});
afterAll(() => prisma.$disconnect());

type Case = KernelCase<ObjectionData>;

/** An objection review (v2, on the case kernel) as the read model stores it. */
function filed(): ReadModelCase & { kernel: Case } {
  const caseId = randomUUID();
  const kernel = fileKernelCase<ObjectionData>(def, calendar, {
    caseId,
    idempotencyKey: `store-${caseId}`,
    procedure: def.procedure,
    definitionVersion: def.version,
    variant: 'standard',
    unitId: 'unit-store-test',
    subject: { kind: 'person', name: '李四', idNumber: '11010519491231002X' },
    receivedAt: '2026-09-29T02:00:00.000Z',
    filedAt: '2026-09-29T03:00:00.000Z',
    actor: 'tester',
    filing: def.filing.parse({ grounds: ['error'], reasons: 'the fine was paid' }),
  });
  return model(kernel);
}

const model = (kernel: Case) => ({ ...kernelReadModel(kernel), kernel });
const clone = <T>(c: T): T => JSON.parse(JSON.stringify(c));

function marked(c: ReturnType<typeof filed>): ReturnType<typeof filed> {
  const next = clone(c.kernel);
  const action = parseKernelAction(def, { action: 'mark-disputed', actor: 'tester' });
  if (!action.ok) throw new Error('bad action');
  applyKernelAction(def, calendar, next, action.value, '2026-09-29T05:00:00.000Z');
  next.revision = c.revision + 1;
  return model(next);
}

/** The red and the latest escalation step reached of every open deadline, at `now`. */
function escalatedAt(c: ReturnType<typeof filed>, now: string): ReturnType<typeof filed> {
  const next = clone(c.kernel);
  processDue(def, calendar, next, now, { everyLevel: false });
  next.revision = c.revision;
  return model(next);
}

async function stored(caseId: string) {
  return prisma.case.findUniqueOrThrow({ where: { id: caseId }, include: { deadlines: true, events: true, escalations: true } });
}

describe('case read model', () => {
  it('writes a filed case in one statement, with its deadlines and filing event', async () => {
    const c = filed();
    await insertFiledCase(prisma, testPersonalData, c);
    const row = await stored(c.caseId);
    // The subject only sealed, with its lookup hashes (decision 0021); readCase opens it.
    expect(row).toMatchObject({ revision: 0, state: 'received', subjectIdKey: testPersonalData.lookupKey('id', '11010519491231002X'), legacySubjectIdNumber: null });
    expect(row.subjectSealed).not.toContain('11010519491231002X');
    expect(await readCase(prisma, testPersonalData, c.caseId)).toMatchObject({ subjectIdNumber: '11010519491231002X', subjectName: c.subject.name });
    expect(row.deadlines.map((d) => [d.key, d.dueDate]).sort()).toEqual([
      ['decision', '2026-10-09'],
      ['mark-disputed', '2026-09-30'],
    ]);
    expect(row.events.map((e) => e.type)).toEqual(['case.filed']);
  });

  it('stores every field of a snapshot as caseRows describes it', async () => {
    const late = '2026-12-31T00:00:00.000Z';
    const c = escalatedAt(marked(filed()), late);
    expect(await persistCaseSnapshot(prisma, testPersonalData, c)).toBe('written');
    const { deadlines, events, escalations, createdAt: _c, updatedAt: _u, assigneeName, assignments, ...row } = (await readCase(prisma, testPersonalData, c.caseId))!;
    // Read beside the row, not written by a snapshot (decision 0020); this filer ('caseworker') is no user, so no one.
    expect({ assigneeName, assignments }).toEqual({ assigneeName: null, assignments: [] });
    const expected = caseRows(c);
    const { createdAt: _ec, updatedAt: _eu, ...expectedCase } = expected.case;
    expect(row).toEqual(expectedCase);
    const byKey = <T extends { key: string }>(list: T[]) => [...list].sort((a, b) => a.key.localeCompare(b.key)).map(({ updatedAt: _, ...d }: T & { updatedAt?: Date }) => d);
    expect(byKey(deadlines)).toEqual(byKey(expected.deadlines));
    expect(events).toEqual(expected.events);
    expect(escalations.length).toBeGreaterThan(0);
    const escalationOrder = (e: { deadlineKey: string; level: string }) => `${e.deadlineKey}|${e.level}`;
    expect([...escalations].sort((a, b) => escalationOrder(a).localeCompare(escalationOrder(b)))).toEqual(
      [...expected.escalations].sort((a, b) => escalationOrder(a).localeCompare(escalationOrder(b))),
    );
  });

  it('a repeated or stale write changes nothing; a newer revision replaces the state and appends events once', async () => {
    const c = filed();
    c.revision = 1;
    await persistCaseSnapshot(prisma, testPersonalData, c);
    await insertFiledCase(prisma, testPersonalData, { ...clone(c), revision: 0, state: 'closed' });
    expect(await persistCaseSnapshot(prisma, testPersonalData, c)).toBe('stale');
    const next = marked(c);
    expect(await persistCaseSnapshot(prisma, testPersonalData, next)).toBe('written');
    expect(await persistCaseSnapshot(prisma, testPersonalData, c)).toBe('stale');
    const row = await stored(c.caseId);
    expect(row).toMatchObject({ revision: 2, state: 'under-review' });
    expect(row.events.map((e) => e.type).sort()).toEqual(['case.filed', 'record.marked-disputed']);
    expect(row.deadlines.find((d) => d.key === 'mark-disputed')!.status).toBe('met');
  });

  it('the API and the workflow writing the first row at the same time never fail and never duplicate', async () => {
    const cases = Array.from({ length: 25 }, filed);
    const results = await Promise.allSettled(
      cases.flatMap((c) => [insertFiledCase(prisma, testPersonalData, c), persistCaseSnapshot(prisma, testPersonalData, { ...clone(c), revision: 1 })]),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    for (const c of cases) {
      const row = await stored(c.caseId);
      expect(row.revision).toBe(1);
      expect(row.events).toHaveLength(1);
      expect(row.deadlines).toHaveLength(2);
    }
  });

  it('a reader sees a snapshot whole: never escalations without their audit events', async () => {
    const late = '2026-12-31T00:00:00.000Z';
    for (let round = 0; round < 15; round++) {
      const c = filed();
      await insertFiledCase(prisma, testPersonalData, c);
      const escalated = { ...escalatedAt(c, late), revision: 1 };
      let writing = true;
      const write = persistCaseSnapshot(prisma, testPersonalData, escalated).finally(() => (writing = false));
      const seen: Array<[number, number]> = [];
      while (writing) {
        const row = (await readCase(prisma, testPersonalData, c.caseId))!;
        seen.push([row.escalations.length, row.events.filter((e) => e.type.startsWith('deadline.')).length]);
      }
      await write;
      expect(seen.filter(([escalations, events]) => escalations !== events)).toEqual([]);
      // Both deadlines long overdue: each has its red and the last escalation level (escalation-3).
      expect((await readCase(prisma, testPersonalData, c.caseId))!.escalations).toHaveLength(4);
    }
  });
});
