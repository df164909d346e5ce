import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { Writable } from 'node:stream';
import { Client as PgClient } from 'pg';
import { claimPendingCalendarChanges, loadCalendar, OFFICIAL_SEED, storeNotice, storeSupplement, syncShippedCalendar } from '../../src/db/calendar-store';
import { ensureDatabase, migrate } from '../../src/db/migrate';
import { createPrisma } from '../../src/db/prisma';
import { createLogger, useLogger } from '../../src/observability/logger';
import type { CalendarSeed } from '../../src/domain/calendar';
import { testDatabaseUrl } from '../support/db';
import { testTempDir } from '../support/temp';

// docs/time-rules.md#calendar-coverage in PostgreSQL: start-up seeding by several processes at once, a corrected shipped file, and the
// order in which notices and supplements apply. A database of its own: it starts empty and its calendar is edited.
const shipped = JSON.parse(readFileSync(OFFICIAL_SEED, 'utf8')) as CalendarSeed;
const SHIPPED_YEARS = Object.keys(shipped.years).map(Number);
let databaseUrl: string;
let a: PrismaClient;
let b: PrismaClient;

beforeAll(async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_calendar_store`;
  databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  a = createPrisma(databaseUrl, 3);
  b = createPrisma(databaseUrl, 3);
}, 60_000);

afterAll(async () => {
  await a?.$disconnect();
  await b?.$disconnect();
  const admin = new PgClient({ connectionString: process.env.TEST_ADMIN_DATABASE_URL ?? testDatabaseUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(databaseUrl).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
});

function shippedFileWith(edit: (years: CalendarSeed['years']) => void): string {
  const copy = JSON.parse(JSON.stringify(shipped)) as CalendarSeed;
  edit(copy.years);
  const file = path.join(testTempDir('ldl-calendar-'), 'cn-2004-2026.json');
  writeFileSync(file, JSON.stringify(copy));
  return file;
}

describe('the shipped calendar at start-up', () => {
  it('two processes seeding a fresh database at once both succeed, and the years are loaded once', async () => {
    const [first, second] = await Promise.all([syncShippedCalendar(a), syncShippedCalendar(b)]);
    expect([...first.added, ...second.added].sort()).toEqual(SHIPPED_YEARS);
    expect(Math.min(first.added.length, second.added.length)).toBe(0);
    expect(await a.calendarYear.count()).toBe(SHIPPED_YEARS.length);
    expect(await a.calendarNotice.count()).toBe(SHIPPED_YEARS.length);
    const loaded = await loadCalendar(a);
    expect(loaded.years['2026'].holidays).toEqual(shipped.years['2026'].holidays);
    expect(loaded.years['2015'].makeupWorkdays).toEqual(shipped.years['2015'].makeupWorkdays);
    // A start against a seeded database changes nothing.
    const again = await syncShippedCalendar(a);
    expect(again).toMatchObject({ added: [], replaced: [], disagreeing: [], change: { id: null, changedDates: [] } });
  });

  it('a corrected file replaces a year loaded from the file, reports the changed dates, and leaves the change to signal', async () => {
    await claimPendingCalendarChanges(a); // the first seeding's change is not what this test is about
    const file = shippedFileWith((years) => {
      years['2025'].holidays['2025-03-03'] = 'TEST correction';
      delete years['2025'].makeupWorkdays['2025-04-27'];
    });
    const sync = await syncShippedCalendar(a, file);
    expect(sync).toMatchObject({ added: [], replaced: [2025], disagreeing: [] });
    expect(sync.change.changedDates).toEqual(['2025-03-03', '2025-04-27']);
    expect(sync.change.id).not.toBeNull();
    const day = await a.calendarDay.findUnique({ where: { date: '2025-03-03' } });
    expect(day).toMatchObject({ year: 2025, kind: 'holiday', name: 'TEST correction' });
    expect(await a.calendarDay.findUnique({ where: { date: '2025-04-27' } })).toBeNull();
    const pending = await claimPendingCalendarChanges(b);
    expect(pending).toEqual([{ id: sync.change.id, changedDates: ['2025-03-03', '2025-04-27'] }]);
    expect(await claimPendingCalendarChanges(a)).toEqual([]);

    // The original file again: the correction is undone the same way.
    const back = await syncShippedCalendar(a);
    expect(back.replaced).toEqual([2025]);
    expect(back.change.changedDates).toEqual(['2025-03-03', '2025-04-27']);
  });

  it("keeps a year an administrator loaded, with a warning when the file disagrees", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString('utf8')), done()) });
    const previous = useLogger(createLogger({ level: 'info', destination: sink }));
    try {
      const data = shipped.years['2024'];
      await storeNotice(a, 2024, { title: data.notice, loadedBy: 'admin', holidays: { ...data.holidays, '2024-03-04': 'TEST admin day' }, makeupWorkdays: data.makeupWorkdays, ordinaryDays: {} });
      const sync = await syncShippedCalendar(a);
      expect(sync).toMatchObject({ replaced: [], disagreeing: [2024], change: { id: null } });
      expect(await a.calendarDay.findUnique({ where: { date: '2024-03-04' } })).toMatchObject({ name: 'TEST admin day' });
      const warnings = lines.map((line) => JSON.parse(line) as { level: string; year?: number; msg: string }).filter((l) => l.level === 'warn');
      expect(warnings).toEqual([expect.objectContaining({ year: 2024, msg: expect.stringContaining('disagrees with the notice an administrator loaded') })]);
    } finally {
      if (previous) useLogger(previous);
    }
  });
});

describe('notices and supplements', () => {
  it('a notice for Y sets December days of Y-1; a supplement amends its year; a later base notice supersedes both', async () => {
    const notice2027 = await storeNotice(a, 2027, {
      title: 'TEST notice 2027',
      loadedBy: 'admin',
      holidays: { '2026-12-31': 'TEST New Year bridge', '2027-01-01': "元旦 New Year's Day" },
      makeupWorkdays: { '2027-01-02': 'TEST make-up' },
      ordinaryDays: {},
    });
    expect(notice2027.confirmedYears).toEqual([2027]);
    expect(notice2027.changedDates).toEqual(expect.arrayContaining(['2026-12-31', '2027-01-02']));
    expect(await a.calendarDay.findUnique({ where: { date: '2026-12-31' } })).toMatchObject({ year: 2027, kind: 'holiday' });

    // A supplement for 2026 does not undo what the notice for 2027 set for 2026-12-31 (years apply in order).
    const supplement2026 = await storeSupplement(a, 2026, { title: 'TEST supplement 2026', loadedBy: 'admin', holidays: { '2026-12-31': 'TEST other' }, makeupWorkdays: {}, ordinaryDays: {} });
    expect(supplement2026!.changedDates).toEqual([]);

    const supplement2027 = await storeSupplement(a, 2027, { title: 'TEST supplement 2027', loadedBy: 'admin', holidays: { '2027-03-01': 'TEST extra' }, makeupWorkdays: {}, ordinaryDays: { '2026-12-31': 'bridge withdrawn' } });
    expect(supplement2027!.changedDates).toEqual(['2026-12-31', '2027-03-01']);
    // Withdrawn by the later notice: an ordinary Thursday, whatever the earlier notices said.
    expect(await a.calendarDay.findUnique({ where: { date: '2026-12-31' } })).toBeNull();
    expect(await storeSupplement(a, 2040, { title: 'x', loadedBy: 'admin', holidays: { '2040-01-02': 'x' }, makeupWorkdays: {}, ordinaryDays: {} })).toBeNull();

    const replaced = await storeNotice(a, 2027, { title: 'TEST notice 2027 bis', loadedBy: 'admin', holidays: { '2027-01-01': "元旦 New Year's Day" }, makeupWorkdays: {}, ordinaryDays: {} });
    // The superseded supplement's withdrawal goes too: the 2026 supplement's entry for 12-31 shows through.
    expect(replaced.changedDates).toEqual(['2026-12-31', '2027-01-02', '2027-03-01']);
    expect(await a.calendarDay.findUnique({ where: { date: '2026-12-31' } })).toMatchObject({ year: 2026, name: 'TEST other' });
    const notices = await a.calendarNotice.findMany({ where: { year: 2027 }, orderBy: { seq: 'asc' } });
    expect(notices.map((n) => [n.seq, n.kind, n.title])).toEqual([
      [1, 'notice', 'TEST notice 2027'],
      [2, 'supplement', 'TEST supplement 2027'],
      [3, 'notice', 'TEST notice 2027 bis'],
    ]);
    expect(await a.calendarYear.findUnique({ where: { year: 2027 } })).toMatchObject({ notice: 'TEST notice 2027 bis', loadedBy: 'admin' });
  });
});
