import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client as PgClient } from 'pg';
import { loadConfig } from '../../src/config/config';
import { ensureDatabase } from '../../src/db/migrate';
import { createPrisma } from '../../src/db/prisma';
import type { CalendarSeed } from '../../src/domain/calendar';
import { RunningService, startService } from '../../src/service';
import { waitFor } from '../support/cases';
import { testDatabaseUrl } from '../support/db';
import { requestAs, requestJson } from '../support/http';
import { TEST_PAYLOAD_ENCRYPTION_KEYS } from '../support/kernel';
import { createTimeSkippingEnv, uniqueQueue } from '../support/temporal';

// docs/time-rules.md#calendar-coverage end to end: a case filed while its year's notice is missing has provisional deadlines; loading
// the notice through the API signals exactly the cases that have one, and their deadlines become certain.
// Its own database, because the year it removes is the one every other test counts in.
const shipped = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as CalendarSeed;
const DAY = 86_400_000;
/** A past filing date whose short deadlines all end in the same year (Shanghai time), however late in the year. */
function filingDate(): string {
  const d = new Date(Date.now() - 20 * DAY + 8 * 3_600_000);
  if (d.getUTCMonth() === 11 && d.getUTCDate() > 15) d.setUTCDate(1);
  return new Date(d.getTime() - 8 * 3_600_000).toISOString();
}
const RECEIVED_AT = filingDate();
const YEAR = new Date(Date.parse(RECEIVED_AT) + 8 * 3_600_000).getUTCFullYear();
const NOTICE = shipped.years[String(YEAR)] ?? { notice: `TEST ONLY — no ${YEAR} notice shipped`, holidays: {}, makeupWorkdays: {} };

let env: TestWorkflowEnvironment;
let service: RunningService;
let prisma: PrismaClient;
let databaseUrl: string;

beforeAll(async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_calendar`;
  databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  env = await createTimeSkippingEnv();
  service = await startService(
    loadConfig({ DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: env.address, PORT: '0', TASK_QUEUE: uniqueQueue('e2e-calendar'), PAYLOAD_ENCRYPTION_KEYS: TEST_PAYLOAD_ENCRYPTION_KEYS, AUTH_LOCAL_KEY_FILE: process.env.AUTH_LOCAL_KEY_FILE }),
    { workflowsFromSource: true },
  );
  prisma = createPrisma(databaseUrl, 2);
  // The service reads the calendar lazily: removing the year before the first request makes it unknown.
  await prisma.calendarYear.deleteMany({ where: { year: YEAR } });
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await prisma?.$disconnect();
  await env?.teardown();
  const admin = new PgClient({ connectionString: process.env.TEST_ADMIN_DATABASE_URL ?? testDatabaseUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(databaseUrl).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
});

const call = (method: string, route: string, body?: unknown) => requestJson(service.url, method, route, body);

interface DeadlineBody {
  key: string;
  provisional: boolean;
  calendarVersion: string;
  dueDate: string;
  previous: { calendarVersion: string; reason: string }[];
}

describe(`loading the ${YEAR} notice while cases run on a provisional calendar`, () => {
  it('recomputes exactly the cases with a provisional open deadline, keeping the old values', async () => {
    const file = (idempotencyKey: string, receivedAt: string) =>
      call('POST', '/cases', { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey, receivedAt, subject: { name: 'Test Co', uscc: '91350100M000100Y43' } });

    const current = await file(`calendar-current-${Date.now()}`, RECEIVED_AT);
    expect(current.status).toBe(201);
    expect(current.body.deadlines.every((d: DeadlineBody) => d.provisional)).toBe(true);
    const certain = await file(`calendar-certain-${Date.now()}`, '2025-06-03T02:00:00.000Z');
    expect(certain.status).toBe(201);
    expect(certain.body.deadlines.some((d: DeadlineBody) => d.provisional)).toBe(false);
    // Both cases' workflows have written their first snapshot before the load.
    await waitFor(async () => (await prisma.case.count({ where: { revision: { gte: 1 } } })) === 2);

    const loaded = await requestAs('admin', service.url, 'PUT', `/calendar/years/${YEAR}`, NOTICE);
    expect(loaded.status).toBe(200);
    expect(loaded.body).toMatchObject({ year: YEAR, recomputedCases: 1 });
    // Changes within the year loaded only: the new last year also adds the fixed holidays of the provisional year ten
    // years on (YEAR + 10), which is no change of YEAR; the notice sets no day of the year before.
    expect(loaded.body.changedDates.length).toBeGreaterThan(0);
    expect(loaded.body.changedDates.filter((d: string) => !d.startsWith(`${YEAR}-`))).toEqual([]);
    expect(loaded.body.previousYearDates).toEqual([]);
    // A make-up working day is never known provisionally: each one of the notice is a change.
    expect(loaded.body.changedDates).toEqual(expect.arrayContaining(Object.keys(NOTICE.makeupWorkdays).filter((d) => d.startsWith(`${YEAR}-`))));

    const recomputed = await waitFor(async () => {
      const c = (await call('GET', `/cases/${current.body.id}`)).body;
      return c.deadlines.every((d: DeadlineBody) => !d.provisional) ? c : undefined;
    });
    for (const d of recomputed.deadlines as DeadlineBody[]) {
      expect(d.calendarVersion).toBe(loaded.body.calendarVersion);
      expect(d.previous.at(-1)).toMatchObject({ calendarVersion: current.body.deadlines[0].calendarVersion });
      expect(d.previous.at(-1)!.reason).toContain('loaded');
    }
    expect(recomputed.events.filter((e: { type: string }) => e.type === 'calendar.recomputed')).toEqual([
      expect.objectContaining({ actor: 'system', data: expect.objectContaining({ calendarVersion: loaded.body.calendarVersion, deadlines: expect.arrayContaining([expect.objectContaining({ deadlineKey: 'decision' })]) }) }),
    ]);
    const untouched = (await call('GET', `/cases/${certain.body.id}`)).body;
    expect(untouched.revision).toBe(1);
  });
});
