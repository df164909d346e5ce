import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CalendarNotice, Prisma, PrismaClient } from '@prisma/client';
import { Calendar, CalendarSeed, CalendarYearSeed, calendarVersionOf, changedDates } from '../domain/calendar';
import { provisionalCalendar } from '../domain/fixed-holidays';
import { projectRoot } from '../config/paths';
import { log } from '../observability/logger';

export const OFFICIAL_SEED = path.join(projectRoot(), 'prisma', 'calendar', 'cn-2004-2026.json');

/** Serialises every calendar change (start-up seeding of several processes, administrators' loads). */
const CALENDAR_LOCK = 727100002;

type Db = PrismaClient | Prisma.TransactionClient;

/** What one notice says: days that become holidays, make-up working days, or ordinary days again. */
export interface NoticeDays {
  holidays: Record<string, string>;
  makeupWorkdays: Record<string, string>;
  ordinaryDays: Record<string, string>;
}

export interface NoticeInput extends NoticeDays {
  title: string;
  loadedBy: string;
}

/** A committed calendar change; `id` is null when nothing changed (then nobody needs a signal). */
export interface CalendarChange {
  id: number | null;
  changedDates: string[];
  /** Years that stopped being provisional. */
  confirmedYears: number[];
}

export interface ShippedCalendarSync {
  added: number[];
  /** Years loaded from the shipped file whose notice in the file has changed since. */
  replaced: number[];
  /** Years an administrator loaded that the shipped file disagrees with (kept). */
  disagreeing: number[];
  change: CalendarChange;
}

/** The shipped file: one base notice per year (its days may include December days of the year before). */
interface ShippedCalendar {
  version: string;
  source?: string;
  years: Record<string, CalendarYearSeed>;
}

/** Loads the shipped official notices the database does not have; returns the years added. */
export async function seedCalendar(prisma: PrismaClient, file = OFFICIAL_SEED): Promise<number[]> {
  return (await syncShippedCalendar(prisma, file)).added;
}

/**
 * docs/time-rules.md#calendar-coverage at start-up: years missing from the database are added; years loaded from the shipped file
 * (loadedBy 'seed:…') whose notice in the file changed are replaced (their supplements stay); years an administrator
 * loaded are kept, with a warning when the file disagrees. The change is recorded for signalling running cases once a
 * worker runs (signalPendingCalendarChanges). Safe when several processes start at once: one holds the lock.
 */
export async function syncShippedCalendar(prisma: PrismaClient, file = OFFICIAL_SEED): Promise<ShippedCalendarSync> {
  const shipped = JSON.parse(readFileSync(file, 'utf8')) as ShippedCalendar;
  const loadedBy = 'seed:' + path.basename(file);
  const added: number[] = [];
  const replaced: number[] = [];
  const disagreeing: number[] = [];
  const change = await changeCalendar(prisma, `${SHIPPED_REASON} ${path.basename(file)}`, async (tx) => {
    const years = new Map((await tx.calendarYear.findMany()).map((y) => [y.year, y]));
    const bases = await activeBaseNotices(tx);
    for (const [key, data] of Object.entries(shipped.years)) {
      const year = Number(key);
      const days: NoticeDays = { holidays: data.holidays, makeupWorkdays: data.makeupWorkdays, ordinaryDays: {} };
      const existing = years.get(year);
      if (!existing) {
        await tx.calendarYear.createMany({ data: [{ year, notice: data.notice, loadedBy }], skipDuplicates: true });
        await tx.calendarNotice.create({ data: { year, seq: 1, kind: 'notice', title: data.notice, loadedBy, ...days } });
        added.push(year);
        continue;
      }
      const base = bases.get(year);
      const fromFile = (base?.loadedBy ?? existing.loadedBy).startsWith('seed:');
      if (fromFile) {
        if (base && base.title === data.notice && sameDays(base, days)) continue;
        const loadedAt = new Date();
        if (base) await tx.calendarNotice.update({ where: { year_seq: { year, seq: base.seq } }, data: { title: data.notice, loadedBy, loadedAt, ...days } });
        else await tx.calendarNotice.create({ data: { year, seq: 1, kind: 'notice', title: data.notice, loadedBy, ...days } });
        await tx.calendarYear.update({ where: { year }, data: { notice: data.notice, loadedBy, loadedAt } });
        replaced.push(year);
      } else if (!base || !sameDays(base, days)) {
        disagreeing.push(year);
      }
    }
  });
  for (const year of disagreeing) {
    log().warn({ year, file: path.basename(file) }, 'the shipped calendar file disagrees with the notice an administrator loaded; the loaded notice is kept');
  }
  if (replaced.length) {
    log().info({ years: replaced, changedDates: change.changedDates }, 'calendar years replaced from the corrected shipped file');
  }
  return { added, replaced, disagreeing, change };
}

/** A new base notice for `year`: it supersedes the year's earlier notices and their supplements. */
export function storeNotice(prisma: PrismaClient, year: number, notice: NoticeInput): Promise<CalendarChange> {
  return changeCalendar(prisma, `notice for ${year} loaded by ${notice.loadedBy}: ${notice.title}`, noticeMutation(year, notice));
}

/**
 * What storeNotice would change, and the calendar after it, computed by the same code inside a transaction that is
 * rolled back: a preview cannot disagree with the load.
 */
export async function previewNotice(prisma: PrismaClient, year: number, notice: NoticeInput): Promise<CalendarChange & { after: CalendarSeed }> {
  try {
    await changeCalendar(prisma, 'preview', noticeMutation(year, notice), true);
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
  throw new Error('a dry run must roll back');
}

class DryRun extends Error {
  constructor(readonly result: CalendarChange & { after: CalendarSeed }) {
    super('dry run: rolled back');
  }
}

function noticeMutation(year: number, notice: NoticeInput) {
  return async (tx: Prisma.TransactionClient) => {
    const now = new Date();
    await tx.calendarYear.upsert({
      where: { year },
      create: { year, notice: notice.title, loadedBy: notice.loadedBy, loadedAt: now },
      update: { notice: notice.title, loadedBy: notice.loadedBy, loadedAt: now },
    });
    await tx.calendarNotice.create({ data: { year, seq: await nextSeq(tx, year), kind: 'notice', loadedAt: now, ...notice } });
  };
}

/** A supplementary notice amending a loaded year; null when the year has no notice to amend. */
export async function storeSupplement(prisma: PrismaClient, year: number, notice: NoticeInput): Promise<CalendarChange | null> {
  let missing = false;
  const change = await changeCalendar(prisma, `supplementary notice for ${year} loaded by ${notice.loadedBy}: ${notice.title}`, async (tx) => {
    if (!(await tx.calendarYear.findUnique({ where: { year } }))) {
      missing = true;
      return;
    }
    await tx.calendarNotice.create({ data: { year, seq: await nextSeq(tx, year), kind: 'supplement', ...notice } });
  });
  return missing ? null : change;
}

async function nextSeq(tx: Db, year: number): Promise<number> {
  const last = await tx.calendarNotice.findFirst({ where: { year }, orderBy: { seq: 'desc' }, select: { seq: true } });
  return (last?.seq ?? 0) + 1;
}

/**
 * Runs `mutate` under the calendar lock, rebuilds calendar_days from the notices, and records what changed (dates on
 * which the calendar now says something else, years no longer provisional) for the running cases to be signalled.
 */
async function changeCalendar(prisma: PrismaClient, reason: string, mutate: (tx: Prisma.TransactionClient) => Promise<void>, dryRun = false): Promise<CalendarChange> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(${CALENDAR_LOCK}::bigint)::text AS locked`;
      const before = withProvisionalYears(await loadCalendar(tx));
      await mutate(tx);
      await rebuildDays(tx);
      const after = withProvisionalYears(await loadCalendar(tx));
      const dates = changedDates(Calendar.fromSeed(before), Calendar.fromSeed(after));
      const confirmedYears = Object.keys(after.years).filter((y) => !(y in before.years)).map(Number);
      if (dryRun) throw new DryRun({ id: null, changedDates: dates, confirmedYears, after });
      if (!dates.length && !confirmedYears.length) return { id: null, changedDates: dates, confirmedYears };
      const row = await tx.calendarChange.create({ data: { reason, changedDates: dates, confirmedYears } });
      return { id: row.id, changedDates: dates, confirmedYears };
    },
    { maxWait: 60_000, timeout: 60_000 },
  );
}

/** Per year, the last base notice (the one in force before its supplements). */
async function activeBaseNotices(tx: Db): Promise<Map<number, CalendarNotice>> {
  const bases = await tx.calendarNotice.findMany({ where: { kind: 'notice' }, orderBy: [{ year: 'asc' }, { seq: 'asc' }] });
  return new Map(bases.map((n) => [n.year, n]));
}

/**
 * calendar_days from the notices in force: years in order, within a year the last base notice and then its
 * supplements in the order loaded, a later entry for a date winning (so a notice for Y setting a December day of Y-1
 * overrides the notice for Y-1). Each day keeps the year of the notice that set it.
 */
async function rebuildDays(tx: Prisma.TransactionClient): Promise<void> {
  const bases = await activeBaseNotices(tx);
  const notices = await tx.calendarNotice.findMany({ orderBy: [{ year: 'asc' }, { seq: 'asc' }] });
  const days = new Map<string, { date: string; year: number; kind: string; name: string }>();
  for (const n of notices) {
    const base = bases.get(n.year);
    if (!base || n.seq < base.seq) continue;
    const d = daysOf(n);
    for (const [date, name] of Object.entries(d.holidays)) days.set(date, { date, year: n.year, kind: 'holiday', name });
    for (const [date, name] of Object.entries(d.makeupWorkdays)) days.set(date, { date, year: n.year, kind: 'makeup-workday', name });
    for (const date of Object.keys(d.ordinaryDays)) days.delete(date);
  }
  await tx.calendarDay.deleteMany({});
  await tx.calendarDay.createMany({ data: [...days.values()] });
}

function daysOf(n: CalendarNotice): NoticeDays {
  return {
    holidays: n.holidays as Record<string, string>,
    makeupWorkdays: n.makeupWorkdays as Record<string, string>,
    ordinaryDays: n.ordinaryDays as Record<string, string>,
  };
}

function sameDays(n: CalendarNotice, days: NoticeDays): boolean {
  const a = daysOf(n);
  const same = (x: Record<string, string>, y: Record<string, string>) =>
    Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => y[k] === v);
  return same(a.holidays, days.holidays) && same(a.makeupWorkdays, days.makeupWorkdays) && same(a.ordinaryDays, days.ordinaryDays);
}

/** The loaded notices as plain data (no provisional years); its version is a hash of the content. */
export async function loadCalendar(prisma: Db): Promise<CalendarSeed> {
  const [years, days] = await Promise.all([
    prisma.calendarYear.findMany({ orderBy: { year: 'asc' } }),
    prisma.calendarDay.findMany({ orderBy: { date: 'asc' } }),
  ]);
  const out: CalendarSeed['years'] = {};
  for (const y of years) out[String(y.year)] = { notice: y.notice, holidays: {}, makeupWorkdays: {} };
  for (const d of days) {
    const target = out[String(d.year)];
    if (d.kind === 'holiday') target.holidays[d.date] = d.name;
    else target.makeupWorkdays[d.date] = d.name;
  }
  return { version: calendarVersionOf(out), source: 'calendar_years / calendar_days', years: out };
}

/** The calendar cases are counted on: the loaded notices plus the fixed holidays of the years without one. */
export function withProvisionalYears(seed: CalendarSeed): CalendarSeed {
  const provisional = provisionalCalendar(Object.keys(seed.years).map(Number));
  return { ...seed, version: calendarVersionOf(seed.years, provisional), provisional };
}

/** The part of the calendar a case filed in `fromYear` can reach, keeping the full calendar's version. */
export function calendarFrom(seed: CalendarSeed, fromYear: number): CalendarSeed {
  const years: CalendarSeed['years'] = {};
  for (const [year, data] of Object.entries(seed.years)) if (Number(year) >= fromYear) years[year] = data;
  const out: CalendarSeed = { version: seed.version, source: seed.source, years };
  if (seed.provisional) {
    out.provisional = {};
    for (const [year, data] of Object.entries(seed.provisional)) if (Number(year) >= fromYear) out.provisional[year] = data;
  }
  return out;
}

export async function calendarCoverage(prisma: PrismaClient) {
  const [years, notices] = await Promise.all([
    prisma.calendarYear.findMany({ orderBy: { year: 'asc' }, include: { _count: { select: { days: true } } } }),
    prisma.calendarNotice.findMany({ orderBy: [{ year: 'asc' }, { seq: 'asc' }] }),
  ]);
  const seed = withProvisionalYears(await loadCalendar(prisma));
  const bases = new Map<number, number>();
  for (const n of notices) if (n.kind === 'notice') bases.set(n.year, n.seq);
  return {
    calendarVersion: seed.version,
    years: years.map((y) => ({
      year: y.year,
      notice: y.notice,
      loadedAt: y.loadedAt.toISOString(),
      loadedBy: y.loadedBy,
      days: y._count.days,
      notices: notices
        .filter((n) => n.year === y.year)
        .map((n) => {
          const d = daysOf(n);
          return {
            seq: n.seq,
            kind: n.kind,
            title: n.title,
            loadedAt: n.loadedAt.toISOString(),
            loadedBy: n.loadedBy,
            inForce: n.seq >= (bases.get(y.year) ?? 0),
            holidays: Object.keys(d.holidays).length,
            makeupWorkdays: Object.keys(d.makeupWorkdays).length,
            ordinaryDays: Object.keys(d.ordinaryDays).length,
          };
        }),
    })),
    provisionalYears: Object.keys(seed.provisional ?? {}).map(Number),
  };
}

export interface PendingCalendarChange {
  id: number;
  changedDates: string[];
}

const SHIPPED_REASON = 'shipped calendar';

/** Claims one change just made, for the request that made it to signal (one claimant, even with several processes). */
export async function claimCalendarChange(prisma: PrismaClient, id: number): Promise<PendingCalendarChange | undefined> {
  const rows = await prisma.$queryRaw<{ id: number; changed_dates: string[] }[]>`
    UPDATE calendar_changes SET signalled_at = now() WHERE signalled_at IS NULL AND id = ${id}::int RETURNING id, changed_dates`;
  return rows.map((r) => ({ id: r.id, changedDates: r.changed_dates }))[0];
}

/**
 * Claims the changes left to a start-up: a corrected shipped file's, and an administrator's load whose request did not
 * get to signal (older than a minute, so that a load being answered right now keeps its own).
 */
export async function claimPendingCalendarChanges(prisma: PrismaClient): Promise<PendingCalendarChange[]> {
  const rows = await prisma.$queryRaw<{ id: number; changed_dates: string[] }[]>`
    UPDATE calendar_changes SET signalled_at = now()
    WHERE signalled_at IS NULL AND (reason LIKE ${SHIPPED_REASON + '%'} OR created_at < now() - interval '1 minute')
    RETURNING id, changed_dates`;
  return rows.map((r) => ({ id: r.id, changedDates: r.changed_dates })).sort((a, b) => a.id - b.id);
}

/** Puts a claimed change back, so that a later start signals it (signalling failed). */
export async function releaseCalendarChange(prisma: PrismaClient, id: number): Promise<void> {
  await prisma.calendarChange.update({ where: { id }, data: { signalledAt: null } });
}

/**
 * Running cases to signal for a change: an open deadline whose span from its start date to its due date (open-ended
 * while it has none) contains a changed date, or that is provisional.
 */
export async function casesTouchedBy(prisma: PrismaClient, dates: string[], openStatuses: string[]): Promise<{ caseId: string; workflowId: string; receivedAt: Date }[]> {
  const rows = await prisma.$queryRaw<{ id: string; workflow_id: string; received_at: Date }[]>`
    SELECT DISTINCT c.id::text AS id, c.workflow_id, c.received_at
    FROM cases c JOIN deadlines d ON d.case_id = c.id
    WHERE c.closed_at IS NULL AND d.completed_at IS NULL AND d.status = ANY(${openStatuses}::text[])
      AND (d.provisional OR EXISTS (
        SELECT 1 FROM unnest(${dates}::text[]) AS changed(date)
        WHERE changed.date >= to_char(d.start_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')
          AND (d.due_date IS NULL OR changed.date <= d.due_date)))
    ORDER BY c.workflow_id`;
  return rows.map((r) => ({ caseId: r.id, workflowId: r.workflow_id, receivedAt: r.received_at }));
}
