import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { signalPendingCalendarChanges } from '../../src/cases/calendar-admin.service';
import { OFFICIAL_SEED, syncShippedCalendar } from '../../src/db/calendar-store';
import { ensureDatabase } from '../../src/db/migrate';
import { createPrisma } from '../../src/db/prisma';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { waitFor } from '../support/cases';
import { testDatabaseUrl } from '../support/db';
import { holdAnswersToDocument, requestAs, requestJson } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueUscc } from '../support/subjects';
import { uniqueQueue } from '../support/temporal';
import { testTempDir } from '../support/temp';

// docs/time-rules.md#calendar-coverage through HTTP → NestJS → Temporal dev server → worker → PostgreSQL: a supplementary notice and a
// notice with a December day of the year before move the firm deadlines of exactly the running cases they touch.
// Its own database: the notices it loads would change the calendar every other test counts in.
//
// Hand-worked on the 2026 notice (credit-complaint v2: 20 working days from acceptance, the acceptance day not counted;
// each complaint is accepted on the day it was received):
//  - received Tue 2026-09-01: Sep 2–4 (3), 7–11 (8), 14–18 (13), make-up Sun 09-20 (14), 21–24 (18), Mid-Autumn
//    25–27 skipped, 28 (19), 29 (20) → 2026-09-29. Tue 09-15 made a holiday → one working day later, Wed 09-30.
//  - received Fri 2026-11-20: Nov 23–27 (5), Nov 30–Dec 4 (10), 7–11 (15), 14–18 (20) → 2026-12-18. Mon 12-14 made a
//    holiday by a notice for 2027 → Mon 12-21.
let temporal: DevServerHandle;
let service: RunningService;
let prisma: PrismaClient;
let databaseUrl: string;
const queue = uniqueQueue('e2e-calendar-notices');

beforeAll(async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_calendar_notices`;
  databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  temporal = await startDevServer();
  service = await startTestService(temporal.address, queue, true, { DATABASE_URL: databaseUrl });
  await holdAnswersToDocument(service.url);
  prisma = createPrisma(databaseUrl, 2);
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await prisma?.$disconnect();
  await temporal?.stop();
  const admin = new PgClient({ connectionString: process.env.TEST_ADMIN_DATABASE_URL ?? testDatabaseUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(databaseUrl).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
});

const http = (method: string, route: string, body?: unknown) => requestJson(service.url, method, route, body);
const asAdmin = (method: string, route: string, body?: unknown) => requestAs('admin', service.url, method, route, body);

interface DeadlineView {
  key: string;
  dueDate: string;
  provisional: boolean;
  calendarVersion: string;
  previous: { dueDate: string; calendarVersion: string; reason: string }[];
}
interface CaseView {
  id: string;
  revision: number;
  deadlines: DeadlineView[];
  events: { type: string; actor: string; data: Record<string, unknown> }[];
}

const fileComplaint = async (receivedAt: string): Promise<CaseView> => {
  const res = await http('POST', '/cases', {
    procedure: 'credit-complaint',
    idempotencyKey: `calendar-notices-${receivedAt}-${Date.now()}`,
    receivedAt,
    subject: { name: '某某咨询有限公司', uscc: uniqueUscc() },
    collector: { name: '某征信服务公司' },
  });
  expect(res.status).toBe(201);
  const accepted = await http('POST', `/cases/${res.body.id}/actions`, { action: 'accept', nonPublicCollector: true, occurredAt: receivedAt });
  expect(accepted.status).toBe(200);
  return accepted.body;
};
const getCase = async (id: string): Promise<CaseView> => (await http('GET', `/cases/${id}`)).body;
const reply = (c: CaseView) => c.deadlines.find((d) => d.key === 'reply')!;
/** The case once its workflow has recomputed `reply` to `dueDate`. */
const movedTo = (id: string, dueDate: string) =>
  waitFor(async () => {
    const c = await getCase(id);
    return reply(c).dueDate === dueDate ? c : undefined;
  });

describe('holiday notices change running cases through HTTP', () => {
  let september: CaseView;
  let november: CaseView;

  beforeAll(async () => {
    september = await fileComplaint('2026-09-01T02:00:00Z');
    november = await fileComplaint('2026-11-20T02:00:00Z');
    // Both workflows have written their first snapshot before any notice.
    await waitFor(async () => (await prisma.case.count({ where: { revision: { gte: 2 } } })) === 2);
    november = await getCase(november.id);
  }, 60_000);

  it('files both cases with firm deadlines', () => {
    expect(reply(september)).toMatchObject({ dueDate: '2026-09-29', provisional: false });
    expect(reply(november)).toMatchObject({ dueDate: '2026-12-18', provisional: false });
  });

  it('a supplementary notice making a working day a holiday moves the deadline it falls in one working day later', async () => {
    const notice = 'TEST ONLY — supplementary notice for 2026 (09-15 made a holiday)';
    const res = await asAdmin('POST', '/calendar/years/2026/supplements', { notice, holidays: { '2026-09-15': 'TEST holiday' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ year: 2026, notice, changedDates: ['2026-09-15'], signalledCases: 1, recomputedCases: 1 });

    const moved = await movedTo(september.id, '2026-09-30');
    expect(reply(moved)).toMatchObject({ provisional: false, calendarVersion: res.body.calendarVersion });
    expect(reply(moved).previous.at(-1)).toMatchObject({ dueDate: '2026-09-29', calendarVersion: reply(september).calendarVersion });
    expect(moved.events.filter((e) => e.type === 'calendar.recomputed')).toEqual([
      expect.objectContaining({
        actor: 'system',
        data: {
          calendarVersion: res.body.calendarVersion,
          deadlines: [expect.objectContaining({ deadlineKey: 'reply', from: expect.objectContaining({ dueDate: '2026-09-29' }), to: expect.objectContaining({ dueDate: '2026-09-30' }) })],
        },
      }),
    ]);
    // The November case's period does not contain 09-15: not signalled, unchanged.
    const untouched = await getCase(november.id);
    expect(untouched.revision).toBe(november.revision);
    expect(reply(untouched).previous).toEqual([]);

    // Kept with its title and who loaded it.
    const years = (await http('GET', '/calendar/years')).body;
    const y2026 = years.years.find((y: { year: number }) => y.year === 2026);
    expect(y2026.notices.map((n: { kind: string; title: string; loadedBy: string }) => [n.kind, n.title, n.loadedBy])).toEqual([
      ['notice', expect.stringContaining('2026'), 'seed:cn-2004-2026.json'],
      ['supplement', notice, 'admin'],
    ]);
  });

  it('a notice for 2027 may set a December day of 2026; it reaches the case filed in 2026', async () => {
    const outside = await asAdmin('PUT', '/calendar/years/2027', { notice: 'TEST', holidays: { '2025-12-31': 'x' }, makeupWorkdays: {} });
    expect(outside).toMatchObject({ status: 400, body: { field: 'holidays.2025-12-31' } });
    const badSupplement = await asAdmin('POST', '/calendar/years/2026/supplements', { notice: 'TEST', ordinaryDays: ['2026-13-01'] });
    expect(badSupplement).toMatchObject({ status: 400, body: { field: 'ordinaryDays.2026-13-01' } });
    // The bodies' shape is one zod schema: an unknown field or an empty day name is refused naming it, and the OpenAPI
    // document is generated from the same schema.
    expect(await asAdmin('PUT', '/calendar/years/2027', { notice: 'TEST', holidays: {}, makeupWorkdays: {}, extra: 1 })).toMatchObject({ status: 400, body: { field: 'extra' } });
    expect(await asAdmin('PUT', '/calendar/years/2027', { notice: 'TEST', holidays: { '2027-01-01': ' ' }, makeupWorkdays: {} })).toMatchObject({ status: 400, body: { field: 'holidays.2027-01-01' } });
    const doc = (await http('GET', '/docs/openapi.json')).body;
    expect(doc.paths['/calendar/years/{year}'].put.requestBody.content['application/json'].schema).toMatchObject({ additionalProperties: false, required: ['notice', 'holidays', 'makeupWorkdays'] });
    expect(await http('POST', '/calendar/years/2026/supplements', { notice: 'TEST', holidays: { '2026-09-16': 'x' } })).toMatchObject({ status: 403 });

    const res = await asAdmin('PUT', '/calendar/years/2027', {
      notice: 'TEST ONLY — notice for 2027 with a December day of 2026',
      holidays: { '2026-12-14': 'TEST holiday', '2027-01-01': "元旦 New Year's Day" },
      makeupWorkdays: {},
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2027, confirmedYears: [2027], recomputedCases: 1, signalledCases: 1 });
    // The days of 2027 that changed, and apart the December day of 2026 the notice sets; not the fixed holidays of
    // 2037, which the new last year adds to the provisional years (they changed the calendar, not this notice's year).
    expect(res.body.changedDates.length).toBeGreaterThan(0);
    expect(res.body.changedDates.filter((d: string) => !d.startsWith('2027-'))).toEqual([]);
    expect(res.body.previousYearDates).toEqual(['2026-12-14']);

    const moved = await movedTo(november.id, '2026-12-21');
    expect(reply(moved).previous.at(-1)).toMatchObject({ dueDate: '2026-12-18' });
    expect(moved.events.filter((e) => e.type === 'calendar.recomputed')).toHaveLength(1);
  });

  it('a corrected shipped file reaches the database at the next start, and the cases it touches are recomputed', async () => {
    // The database was seeded from a file that wrongly made Wed 2026-12-16 a holiday, and the case counted with it.
    const shipped = JSON.parse(readFileSync(OFFICIAL_SEED, 'utf8'));
    shipped.years['2026'].holidays['2026-12-16'] = 'TEST wrong holiday';
    const wrongFile = path.join(testTempDir('ldl-calendar-'), path.basename(OFFICIAL_SEED));
    writeFileSync(wrongFile, JSON.stringify(shipped));
    expect((await syncShippedCalendar(prisma, wrongFile)).replaced).toEqual([2026]);
    const connection = await Connection.connect({ address: temporal.address });
    try {
      await signalPendingCalendarChanges(prisma, new Client({ connection }));
    } finally {
      await connection.close();
    }
    await movedTo(november.id, '2026-12-22');

    // The next start loads the corrected (real) file: 2026 is replaced, the administrator's supplement stays.
    await service.stop();
    service = await startTestService(temporal.address, queue, true, { DATABASE_URL: databaseUrl });
    const back = await movedTo(november.id, '2026-12-21');
    expect(reply(back).previous.at(-1)).toMatchObject({ dueDate: '2026-12-22' });
    expect(await prisma.calendarDay.findUnique({ where: { date: '2026-12-16' } })).toBeNull();
    expect(await prisma.calendarDay.findUnique({ where: { date: '2026-09-15' } })).toMatchObject({ name: 'TEST holiday' });
    expect(reply(await getCase(september.id)).dueDate).toBe('2026-09-30');
    expect(await prisma.calendarChange.count({ where: { signalledAt: null } })).toBe(0);
  }, 60_000);
});
