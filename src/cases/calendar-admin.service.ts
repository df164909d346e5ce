import type { PrismaClient } from '@prisma/client';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { calendarCoverage, calendarFrom, storeCalendarYear } from '../db/calendar-store';
import type { CalendarYearSeed } from '../domain/calendar';
import { OPEN_DEADLINE_STATUSES } from '../domain/case-model';
import { dayNumber, isIsoDate, weekday } from '../domain/local-date';
import { calendarUpdatedSignal } from '../../workflows/contracts/case.contract';
import { CalendarService } from './calendar.service';
import { BadInputError } from './errors';

export class CalendarAdminService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly temporal: Client,
    private readonly calendars: CalendarService,
  ) {}

  coverage() {
    return calendarCoverage(this.prisma);
  }

  /** TIME-RULES rule 8: an administrator loads a year from the official notice; provisional deadlines are recomputed. */
  async loadYear(yearParam: string, body: unknown) {
    const year = Number(yearParam);
    if (!/^\d{4}$/.test(yearParam) || year < 2004 || year > 2100) throw new BadInputError({ field: 'year', message: 'year must be 2004–2100' });
    const data = parseYear(year, body);
    const actor = typeof (body as Record<string, unknown>).loadedBy === 'string' ? String((body as Record<string, unknown>).loadedBy) : 'administrator';
    await storeCalendarYear(this.prisma, year, data, actor, true);
    this.calendars.invalidate();
    const { seed } = await this.calendars.current();

    const affected = await this.prisma.case.findMany({
      where: { deadlines: { some: { provisional: true, status: { in: OPEN_DEADLINE_STATUSES } } } },
      select: { workflowId: true, receivedAt: true },
    });
    let signalled = 0;
    for (const c of affected) {
      const shanghaiYear = new Date(c.receivedAt.getTime() + 8 * 3_600_000).getUTCFullYear();
      try {
        await this.temporal.workflow.getHandle(c.workflowId).signal(calendarUpdatedSignal, calendarFrom(seed, shanghaiYear));
        signalled++;
      } catch (error) {
        // A case that finished meanwhile has nothing to recompute; anything else is a real failure.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    return { year, calendarVersion: seed.version, recomputedCases: signalled };
  }
}

function parseYear(year: number, body: unknown): CalendarYearSeed {
  if (typeof body !== 'object' || body === null) throw new BadInputError({ field: 'body', message: 'body must be { notice, holidays, makeupWorkdays }' });
  const b = body as Record<string, unknown>;
  if (typeof b.notice !== 'string' || !b.notice.trim()) throw new BadInputError({ field: 'notice', message: 'notice (the title of the State Council notice) is required' });
  const days = (field: 'holidays' | 'makeupWorkdays'): Record<string, string> => {
    const v = b[field];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BadInputError({ field, message: `${field} must be an object { "YYYY-MM-DD": "name" }` });
    for (const [date, name] of Object.entries(v)) {
      if (!isIsoDate(date) || !date.startsWith(`${year}-`)) throw new BadInputError({ field: `${field}.${date}`, message: `${date} is not a real date in ${year}` });
      if (typeof name !== 'string' || !name.trim()) throw new BadInputError({ field: `${field}.${date}`, message: 'each day needs a name' });
      if (field === 'makeupWorkdays' && ![0, 6].includes(weekday(dayNumber(date)))) {
        throw new BadInputError({ field: `${field}.${date}`, message: `${date} is not a Saturday or Sunday, so it cannot be a make-up working day` });
      }
    }
    return v as Record<string, string>;
  };
  const holidays = days('holidays');
  const makeupWorkdays = days('makeupWorkdays');
  const both = Object.keys(holidays).find((d) => d in makeupWorkdays);
  if (both) throw new BadInputError({ field: `makeupWorkdays.${both}`, message: `${both} cannot be both a holiday and a make-up working day` });
  return { notice: b.notice.trim(), holidays, makeupWorkdays };
}
