import type { PrismaClient } from '@prisma/client';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { describeError, log } from '../observability/logger';
import {
  CalendarChange,
  calendarCoverage,
  calendarFrom,
  casesTouchedBy,
  claimCalendarChange,
  claimPendingCalendarChanges,
  NoticeInput,
  PendingCalendarChange,
  previewNotice,
  releaseCalendarChange,
  storeNotice,
  storeSupplement,
} from '../db/calendar-store';
import { OPEN_DEADLINE_STATUSES } from '../domain/case-model';
import { dayNumber, isIsoDate, weekday } from '../domain/local-date';
import { calendarUpdatedSignal, getKernelCaseQuery } from '../../workflows/contracts/case.contract';
import { kernelDefinitionFor } from '../../procedures';
import { Calendar } from '../domain/calendar';
import { NoticeTextError, parseHolidayNoticeText } from '../domain/holiday-notice-text';
import { applyKernelCalendarLoad } from '../domain/kernel/case-kernel';
import { CalendarService } from './calendar.service';
import { BadInputError } from './errors';
import { waitingOn } from '../infra/request-waits';
import { isStorableText, jsonSchemaOf, lazy, problemOf } from '../domain/kernel/schema';
import { z } from '../domain/kernel/zod';

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export class CalendarAdminService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly temporal: Client,
    private readonly calendars: CalendarService,
    /** REQUEST_TIMEOUT_MS: each signal to a case waits at most this long for Temporal. */
    private readonly signalTimeoutMs = 10_000,
  ) {}

  coverage() {
    return calendarCoverage(this.prisma);
  }

  /**
   * docs/time-rules.md#calendar-coverage: an administrator loads (or replaces) a year from the official notice. Every running case with an
   * open deadline whose span contains a changed date, or that is provisional, is recomputed.
   */
  async loadYear(yearParam: string, body: unknown, actor: string) {
    const year = parseYearParam(yearParam);
    const notice = parseNotice(year, body, actor, 'notice');
    const change = await storeNotice(this.prisma, year, notice);
    return this.answer(year, change, notice);
  }

  /**
   * What PUT /calendar/years/{year} would do with this body, or with the notice's text: the days it sets and the due
   * dates of running cases it would move, changing nothing. Each case is recomputed as its workflow would on the
   * load's signal (applyKernelCalendarLoad on the case as the workflow holds it, with the calendar the load would send).
   */
  async previewYear(yearParam: string, body: unknown, actor: string) {
    const year = parseYearParam(yearParam);
    const fromText = textBody(body);
    let items: ReturnType<typeof parseHolidayNoticeText>['items'] = [];
    let noticeBody = body;
    if (fromText !== undefined) {
      try {
        const { items: read, ...structured } = parseHolidayNoticeText(year, fromText);
        items = read;
        noticeBody = structured;
      } catch (error) {
        if (error instanceof NoticeTextError) throw new BadInputError({ field: 'text', message: error.message, messageZh: `通知文本无法解析：${error.message}` });
        throw error;
      }
    }
    const notice = parseNotice(year, noticeBody, actor, 'notice');
    const change = await previewNotice(this.prisma, year, notice);
    const wouldSignal = change.changedDates.length > 0 || change.confirmedYears.length > 0;
    const cases = wouldSignal ? await casesTouchedBy(this.prisma, change.changedDates, OPEN_DEADLINE_STATUSES) : [];
    const now = new Date().toISOString();
    const moves: PreviewMove[] = [];
    for (const c of cases) {
      const shanghaiYear = new Date(c.receivedAt.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();
      const calendar = Calendar.fromSeed(calendarFrom(change.after, shanghaiYear));
      let kernelCase;
      try {
        const handle = this.temporal.workflow.getHandle(c.workflowId);
        kernelCase = await waitingOn('Temporal', this.temporal.withDeadline(Date.now() + this.signalTimeoutMs, () => handle.query(getKernelCaseQuery)));
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) continue;
        throw error;
      }
      const def = kernelDefinitionFor(kernelCase.procedure, kernelCase.definitionVersion);
      if (!def) throw new Error(`no definition ${kernelCase.procedure} v${kernelCase.definitionVersion} for case ${c.caseId}`);
      const labels = new Map(kernelCase.deadlines.map((d) => [d.key, { label: d.label, labelZh: d.labelZh }]));
      for (const m of applyKernelCalendarLoad(def, calendar, kernelCase, now)) {
        if (m.from.dueAt === m.to.dueAt) continue;
        moves.push({
          caseId: c.caseId,
          procedure: kernelCase.procedure,
          deadlineKey: m.deadlineKey,
          label: labels.get(m.deadlineKey)?.label ?? m.deadlineKey,
          ...(labels.get(m.deadlineKey)?.labelZh ? { labelZh: labels.get(m.deadlineKey)!.labelZh } : {}),
          from: m.from,
          to: m.to,
          workingDaysMoved: m.from.dueDate && m.to.dueDate ? workingDaysBetween(calendar, m.from.dueDate, m.to.dueDate) : null,
        });
      }
    }
    return {
      year,
      notice: notice.title,
      holidays: notice.holidays,
      makeupWorkdays: notice.makeupWorkdays,
      items,
      changedDates: change.changedDates.filter((d) => d.startsWith(`${year}-`)),
      previousYearDates: change.changedDates.filter((d) => d.startsWith(`${year - 1}-`) && (d in notice.holidays || d in notice.makeupWorkdays)),
      confirmedYears: change.confirmedYears,
      calendarVersion: change.after.version,
      casesToRecompute: cases.length,
      moves,
    };
  }

  /** A supplementary notice (2015, 2019, 2020 had one) amends a loaded year; kept in the year's history of notices. */
  async addSupplement(yearParam: string, body: unknown, actor: string) {
    const year = parseYearParam(yearParam);
    const notice = parseNotice(year, body, actor, 'supplement');
    const change = await storeSupplement(this.prisma, year, notice);
    if (!change) throw new BadInputError({
        field: 'year',
        message: `${year} has no notice loaded; load it with PUT /calendar/years/${year} before amending it`,
        messageZh: `${year} 年尚未载入通知；请先用 PUT /calendar/years/${year} 载入再作补充`,
      });
    return { ...(await this.answer(year, change, notice)), notice: notice.title };
  }

  /** Signals the running cases of calendar changes not signalled yet (a corrected shipped file, an interrupted load). */
  async signalPending(): Promise<{ changes: number; signalledCases: number }> {
    let signalledCases = 0;
    const pending = await claimPendingCalendarChanges(this.prisma);
    for (const change of pending) signalledCases += await this.signalChange(change);
    return { changes: pending.length, signalledCases };
  }

  /**
   * The answer reports the days of `year` that changed, and apart the days of the year before that the notice sets
   * and that changed (a late-December holiday or make-up day). The running cases are signalled for every changed
   * date, as before: a new last year also extends the provisional years (docs/time-rules.md#calendar-coverage), whose
   * fixed holidays are a change of the calendar, not of this year.
   */
  private async answer(year: number, change: CalendarChange, notice: NoticeInput) {
    this.calendars.invalidate();
    let signalled = 0;
    if (change.id !== null) {
      const claimed = await claimCalendarChange(this.prisma, change.id);
      if (claimed) signalled = await this.signalChange(claimed);
    }
    const { seed } = await this.calendars.current();
    return {
      year,
      calendarVersion: seed.version,
      recomputedCases: signalled,
      changedDates: change.changedDates.filter((d) => d.startsWith(`${year}-`)),
      previousYearDates: change.changedDates.filter((d) => d.startsWith(`${year - 1}-`) && (d in notice.holidays || d in notice.makeupWorkdays || d in notice.ordinaryDays)),
      confirmedYears: change.confirmedYears,
      signalledCases: signalled,
    };
  }

  private async signalChange(change: PendingCalendarChange): Promise<number> {
    try {
      this.calendars.invalidate();
      const { seed } = await this.calendars.current();
      const cases = await casesTouchedBy(this.prisma, change.changedDates, OPEN_DEADLINE_STATUSES);
      let signalled = 0;
      for (const c of cases) {
        const shanghaiYear = new Date(c.receivedAt.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();
        try {
          const handle = this.temporal.workflow.getHandle(c.workflowId);
          await waitingOn('Temporal', this.temporal.withDeadline(Date.now() + this.signalTimeoutMs, () => handle.signal(calendarUpdatedSignal, calendarFrom(seed, shanghaiYear))));
          signalled++;
        } catch (error) {
          // A case that finished meanwhile has nothing to recompute; anything else is a real failure.
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
      return signalled;
    } catch (error) {
      // Left for the next start to signal; a case signalled twice recomputes to the same values.
      await releaseCalendarChange(this.prisma, change.id);
      throw error;
    }
  }
}

/** Start-up: the running cases a calendar change made while no worker ran (e.g. a corrected shipped file) are signalled. */
export async function signalPendingCalendarChanges(prisma: PrismaClient, temporal: Client): Promise<void> {
  try {
    const { changes, signalledCases } = await new CalendarAdminService(prisma, temporal, new CalendarService(prisma)).signalPending();
    if (signalledCases) log().info({ changes, signalledCases }, 'calendar changes signalled to the running cases they move');
  } catch (error) {
    log().error({ err: describeError(error) }, 'signalling running cases of a calendar change failed; it is retried at the next start');
  }
}

interface PreviewMove {
  caseId: string;
  procedure: string;
  deadlineKey: string;
  label: string;
  labelZh?: string;
  from: { dueDate: string | null; dueAt: string | null };
  to: { dueDate: string | null; dueAt: string | null };
  workingDaysMoved: number | null;
}

/** Working days from one due date to another on `calendar`: positive later, negative earlier. */
function workingDaysBetween(calendar: Calendar, from: string, to: string): number {
  const [a, b] = [dayNumber(from), dayNumber(to)];
  let n = 0;
  for (let d = Math.min(a, b) + 1; d <= Math.max(a, b); d++) if (calendar.dayInfo(d).working) n++;
  return b >= a ? n : -n;
}

const MAX_NOTICE_BODY_TEXT = 20_000;
export const noticeTextSchema = lazy(() =>
  z
    .object({
      text: z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(MAX_NOTICE_BODY_TEXT, `must be at most ${MAX_NOTICE_BODY_TEXT} characters`)
        .refine(isStorableText, 'must be text PostgreSQL can store (no NUL, no lone surrogates)')
        .describe('The text of the State Council notice as published: its numbered lines (一、元旦：…) are read'),
    })
    .strict(),
);
export const previewBodySchema = () => ({ oneOf: [bodySchemaOf(noticeTextSchema), noticeBodySchema()] });

/** The notice's text when the body is { text }, checked; undefined for a structured notice. */
function textBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('text' in body)) return undefined;
  const parsed = noticeTextSchema.safeParse(body);
  if (!parsed.success) throw new BadInputError(problemOf(parsed.error));
  return parsed.data.text;
}

function parseYearParam(yearParam: string): number {
  const year = Number(yearParam);
  if (!/^\d{4}$/.test(yearParam) || year < 2004 || year > 2100) throw new BadInputError({ field: 'year', message: 'year must be 2004–2100', messageZh: 'year 须在 2004–2100 之间' });
  return year;
}

type DayList = 'holidays' | 'makeupWorkdays' | 'ordinaryDays';

/**
 * A notice for `year` may set days of `year` and of the year before (a late-December make-up working day or holiday);
 * nothing else. A base notice needs holidays and makeupWorkdays; a supplement needs at least one day in any list.
 */
const MAX_NOTICE_TEXT = 200;
const noticeText = () =>
  z.string().trim().min(1, 'must not be empty').max(MAX_NOTICE_TEXT, `must be at most ${MAX_NOTICE_TEXT} characters`).refine(isStorableText, 'must be text PostgreSQL can store (no NUL, no lone surrogates)');
const days = (what: string) => z.record(z.string(), noticeText()).describe(`{ "YYYY-MM-DD": "${what}" }: days of the year or of the year before`);

/**
 * The bodies of PUT /calendar/years/{year} and POST …/supplements: the one schema the service checks their shape with
 * and the OpenAPI document is generated from. Which days a notice may set is checked after it (the year, weekends).
 */
export const noticeSchema = lazy(() =>
  z
    .object({
      notice: noticeText().describe('Title of the State Council notice (国务院办公厅关于20XX年部分节假日安排的通知)'),
      holidays: days('name of the holiday'),
      makeupWorkdays: days('name of the make-up working day').describe('Saturdays and Sundays that are working days: { "YYYY-MM-DD": "name" }'),
    })
    .strict(),
);
export const supplementSchema = lazy(() =>
  z
    .object({
      notice: noticeText().describe('Title of the supplementary notice'),
      holidays: days('name of the holiday').optional(),
      makeupWorkdays: days('name of the make-up working day').optional(),
      ordinaryDays: z
        .union([z.array(z.string()), days('why the day is ordinary again')])
        .optional()
        .describe('Days that return to the ordinary week: a list of dates or { "YYYY-MM-DD": "why" }'),
    })
    .strict()
    .describe('At least one day in holidays, makeupWorkdays or ordinaryDays'),
);
const bodySchemaOf = (schema: Parameters<typeof jsonSchemaOf>[0]): Record<string, unknown> => {
  const { $schema: _dialect, ...rest } = jsonSchemaOf(schema) as Record<string, unknown>;
  return rest;
};
export const noticeBodySchema = () => bodySchemaOf(noticeSchema);
export const supplementBodySchema = () => bodySchemaOf(supplementSchema);

function parseNotice(year: number, body: unknown, loadedBy: string, kind: 'notice' | 'supplement'): NoticeInput {
  const shape = kind === 'notice' ? '{ notice, holidays, makeupWorkdays }' : '{ notice, holidays?, makeupWorkdays?, ordinaryDays? }';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadInputError({ field: 'body', message: `body must be ${shape}`, messageZh: `请求体须为 ${shape}` });
  if (kind === 'notice' && (body as Record<string, unknown>).ordinaryDays !== undefined) {
    throw new BadInputError({
      field: 'ordinaryDays',
      message: 'ordinaryDays belongs to a supplementary notice (POST /calendar/years/{year}/supplements)',
      messageZh: 'ordinaryDays 属于补充通知（POST /calendar/years/{year}/supplements）',
    });
  }
  const parsed = (kind === 'notice' ? noticeSchema : supplementSchema).safeParse(body);
  if (!parsed.success) throw new BadInputError(problemOf(parsed.error));
  const b: { notice: string; holidays?: Record<string, string>; makeupWorkdays?: Record<string, string>; ordinaryDays?: string[] | Record<string, string> } = parsed.data;
  const allowed = `${year - 1} or ${year}`;
  const checkDate = (field: DayList, date: string) => {
    if (!isIsoDate(date)) throw new BadInputError({ field: `${field}.${date}`, message: `${date} is not a real date (YYYY-MM-DD)`, messageZh: `${date} 不是真实日期（YYYY-MM-DD）` });
    if (!date.startsWith(`${year}-`) && !date.startsWith(`${year - 1}-`)) {
      throw new BadInputError({
        field: `${field}.${date}`,
        message: `${date} is not in ${allowed}: a notice for ${year} sets days of ${allowed} only`,
        messageZh: `${date} 不在 ${allowed} 内：${year} 年的通知只安排 ${allowed} 的日子`,
      });
    }
  };
  const dayList = (field: 'holidays' | 'makeupWorkdays'): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [date, name] of Object.entries(b[field] ?? {})) {
      checkDate(field, date);
      if (field === 'makeupWorkdays' && ![0, 6].includes(weekday(dayNumber(date)))) {
        throw new BadInputError({ field: `${field}.${date}`, message: `${date} is not a Saturday or Sunday, so it cannot be a make-up working day`, messageZh: `${date} 不是星期六或星期日，不能作为调休上班日` });
      }
      out[date] = name;
    }
    return out;
  };
  const ordinary = (): Record<string, string> => {
    const v = b.ordinaryDays ?? {};
    const entries: [string, string][] = Array.isArray(v) ? v.map((date) => [date, 'ordinary day']) : Object.entries(v);
    const out: Record<string, string> = {};
    for (const [date, why] of entries) {
      checkDate('ordinaryDays', date);
      out[date] = why;
    }
    return out;
  };
  const holidays = dayList('holidays');
  const makeupWorkdays = dayList('makeupWorkdays');
  const ordinaryDays = ordinary();
  const inBoth = (a: Record<string, string>, other: Record<string, string>) => Object.keys(a).find((d) => d in other);
  const holidayAndMakeup = inBoth(makeupWorkdays, holidays);
  if (holidayAndMakeup) throw new BadInputError({
      field: `makeupWorkdays.${holidayAndMakeup}`,
      message: `${holidayAndMakeup} cannot be both a holiday and a make-up working day`,
      messageZh: `${holidayAndMakeup} 不能既是节假日又是调休上班日`,
    });
  const ordinaryAndOther = inBoth(ordinaryDays, { ...holidays, ...makeupWorkdays });
  if (ordinaryAndOther) throw new BadInputError({
      field: `ordinaryDays.${ordinaryAndOther}`,
      message: `${ordinaryAndOther} cannot be an ordinary day and also listed as a holiday or make-up working day`,
      messageZh: `${ordinaryAndOther} 不能既是普通日又列为节假日或调休上班日`,
    });
  if (kind === 'supplement' && !Object.keys({ ...holidays, ...makeupWorkdays, ...ordinaryDays }).length) {
    throw new BadInputError({
      field: 'body',
      message: 'a supplementary notice must change at least one day (holidays, makeupWorkdays or ordinaryDays)',
      messageZh: '补充通知须至少改变一天（holidays、makeupWorkdays 或 ordinaryDays）',
    });
  }
  return { title: b.notice, loadedBy, holidays, makeupWorkdays, ordinaryDays };
}
