import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { CalendarSeed, CalendarYearSeed, calendarVersionOf } from '../domain/calendar';
import { projectRoot } from '../config/paths';

export const OFFICIAL_SEED = path.join(projectRoot(), 'prisma', 'calendar', 'cn-2004-2026.json');

/** Loads the shipped official notices for the years the database does not have yet; never overwrites a loaded year. */
export async function seedCalendar(prisma: PrismaClient, file = OFFICIAL_SEED): Promise<number[]> {
  const seed = JSON.parse(readFileSync(file, 'utf8')) as CalendarSeed;
  const known = new Set((await prisma.calendarYear.findMany({ select: { year: true } })).map((y) => y.year));
  const added: number[] = [];
  for (const [year, data] of Object.entries(seed.years)) {
    if (known.has(Number(year))) continue;
    await storeCalendarYear(prisma, Number(year), data, 'seed:' + path.basename(file), false);
    added.push(Number(year));
  }
  return added;
}

export async function storeCalendarYear(
  prisma: PrismaClient,
  year: number,
  data: CalendarYearSeed,
  loadedBy: string,
  replace: boolean,
): Promise<void> {
  const days = [
    ...Object.entries(data.holidays).map(([date, name]) => ({ date, year, kind: 'holiday', name })),
    ...Object.entries(data.makeupWorkdays).map(([date, name]) => ({ date, year, kind: 'makeup-workday', name })),
  ];
  await prisma.$transaction(async (tx) => {
    if (replace) await tx.calendarYear.deleteMany({ where: { year } });
    await tx.calendarYear.create({ data: { year, notice: data.notice, loadedBy } });
    await tx.calendarDay.createMany({ data: days });
  });
}

/** The whole calendar as plain data; its version is a hash of the content, so equal data means equal version. */
export async function loadCalendar(prisma: PrismaClient): Promise<CalendarSeed> {
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

/** The part of the calendar a case filed in `fromYear` can reach, keeping the full calendar's version. */
export function calendarFrom(seed: CalendarSeed, fromYear: number): CalendarSeed {
  const years: CalendarSeed['years'] = {};
  for (const [year, data] of Object.entries(seed.years)) if (Number(year) >= fromYear) years[year] = data;
  return { version: seed.version, source: seed.source, years };
}

export async function calendarCoverage(prisma: PrismaClient) {
  const years = await prisma.calendarYear.findMany({ orderBy: { year: 'asc' }, include: { _count: { select: { days: true } } } });
  const seed = await loadCalendar(prisma);
  return {
    calendarVersion: seed.version,
    years: years.map((y) => ({ year: y.year, notice: y.notice, loadedAt: y.loadedAt.toISOString(), loadedBy: y.loadedBy, days: y._count.days })),
  };
}
