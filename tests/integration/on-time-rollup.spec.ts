import { randomUUID } from 'node:crypto';
import { testPersonalData } from '../support/kernel';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { type ObjectionData, objectionReviewV2 as def } from '../../procedures/objection-review/v2';
import { insertFiledCase, kernelReadModel, persistCaseSnapshot, ReadModelCase } from '../../src/db/case-store';
import { Calendar } from '../../src/domain/calendar';
import { applyKernelAction, fileKernelCase, parseKernelAction } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';
import { testPrisma } from '../support/db';

// The on-time rollup is kept by triggers on `deadlines`: whatever writes the deadlines (the API's filing row, the
// workflow's snapshots, in any order), it must equal a count of the deadlines themselves.
const calendar = Calendar.fromSeed(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')));
const UNIT = `rollup-${randomUUID()}`;
let prisma: PrismaClient;

beforeAll(() => {
  prisma = testPrisma();
});
afterAll(() => prisma.$disconnect());

type Case = KernelCase<ObjectionData>;

/** An objection review (v2, on the case kernel). */
function filed(receivedAt: string): Case {
  const caseId = randomUUID();
  return fileKernelCase<ObjectionData>(def, calendar, {
    caseId,
    idempotencyKey: `rollup-${caseId}`,
    procedure: def.procedure,
    definitionVersion: def.version,
    variant: 'standard',
    unitId: UNIT,
    subject: { kind: 'organisation', name: 'Rollup Co', idNumber: '91350100M000100Y43' },
    receivedAt,
    filedAt: receivedAt,
    actor: 'tester',
    filing: def.filing.parse({ grounds: ['error'], reasons: 'the fine was paid' }),
  });
}

function acted(c: Case, body: Record<string, unknown>, now: string): Case {
  const next = JSON.parse(JSON.stringify(c)) as Case;
  const action = parseKernelAction(def, { actor: 'tester', ...body });
  if (!action.ok) throw new Error(action.problem.message);
  applyKernelAction(def, calendar, next, action.value, now);
  next.revision = c.revision + 1;
  return next;
}

const rm = (c: Case): ReadModelCase => kernelReadModel(c);

async function rollup() {
  const rows = await prisma.onTimeDay.findMany({ where: { ownerUnit: UNIT }, orderBy: { dueDate: 'asc' } });
  return rows.filter((r) => r.met || r.metLate || r.open).map((r) => ({ dueDate: r.dueDate, met: r.met, metLate: r.metLate, open: r.open }));
}

async function counted() {
  const rows = await prisma.$queryRaw<{ due_date: string; met: number; met_late: number; open: number }[]>`
    SELECT due_date, count(*) FILTER (WHERE status = 'met')::int AS met,
           count(*) FILTER (WHERE status IN ('met-late', 'met-recorded-late'))::int AS met_late,
           count(*) FILTER (WHERE status IN ('running', 'suspended', 'overdue'))::int AS open
    FROM deadlines WHERE owner_unit = ${UNIT} AND kind = 'legal' AND due_date IS NOT NULL
    GROUP BY due_date ORDER BY due_date`;
  return rows.map((r) => ({ dueDate: r.due_date, met: r.met, metLate: r.met_late, open: r.open }));
}

it('counts every legal deadline once per owning unit, procedure and due date, through filing, snapshots and replays', async () => {
  const a = filed('2026-09-29T02:00:00.000Z');
  const b = filed('2026-09-30T02:00:00.000Z');
  await insertFiledCase(prisma, testPersonalData, rm(a));
  await persistCaseSnapshot(prisma, testPersonalData, rm({ ...a, revision: 1 }));
  await persistCaseSnapshot(prisma, testPersonalData, rm(b));
  expect(await rollup()).toEqual(await counted());
  expect((await rollup()).reduce((n, r) => n + r.open, 0)).toBe(4);

  const aMarked = acted({ ...a, revision: 1 }, { action: 'mark-disputed' }, '2026-09-29T05:00:00.000Z');
  await persistCaseSnapshot(prisma, testPersonalData, rm(aMarked));
  await persistCaseSnapshot(prisma, testPersonalData, rm({ ...a, revision: 1 })); // a stale snapshot arriving late changes nothing
  const bLate = acted(b, { action: 'mark-disputed' }, '2026-10-20T05:00:00.000Z');
  await persistCaseSnapshot(prisma, testPersonalData, rm(bLate));
  await persistCaseSnapshot(prisma, testPersonalData, rm(bLate)); // the same revision again

  const now = await rollup();
  expect(now).toEqual(await counted());
  expect(now.reduce((n, r) => n + r.met, 0)).toBe(1);
  expect(now.reduce((n, r) => n + r.metLate, 0)).toBe(1);
  expect(now.reduce((n, r) => n + r.open, 0)).toBe(2);
});
