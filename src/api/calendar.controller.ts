import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ref } from './dto/responses';
import { CurrentUser, Public, RequireRoles } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';
import { CalendarAdminService, noticeBodySchema, previewBodySchema, supplementBodySchema } from '../cases/calendar-admin.service';
import { CalendarService } from '../cases/calendar.service';
import { BadInputError } from '../cases/errors';
import { dateParam, EARLIEST_DATE, inDateRange, LATEST_DATE, parseQuery } from './query';
import { dayNumber, isIsoDate, isIsoInstant } from '../domain/local-date';
import { ClockSuspension, computeDeadline, Period } from '../domain/periods';

/** GET /calendar/days: a year and a month either side is enough for any month calendar. */
const MAX_CALENDAR_DAYS = 400;

@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  constructor(
    @Inject(CalendarService) private readonly calendars: CalendarService,
    @Inject(CalendarAdminService) private readonly admin: CalendarAdminService,
  ) {}

  @Get('deadline')
  @Public()
  @ApiOperation({ summary: 'Deadline calculator: N working days / days / months / years after a date, with optional suspensions' })
  @ApiQuery({ name: 'from', schema: { type: 'string' }, description: 'YYYY-MM-DD (Asia/Shanghai) or an ISO instant with offset; that day is not counted' })
  @ApiQuery({ name: 'workingDays', required: false, schema: { type: 'integer', minimum: 0, maximum: 2000 }, description: 'exactly one of workingDays, days, months, years' })
  @ApiQuery({ name: 'days', required: false, schema: { type: 'integer', minimum: 0, maximum: 3660 } })
  @ApiQuery({ name: 'months', required: false, schema: { type: 'integer', minimum: 0, maximum: 120 } })
  @ApiQuery({ name: 'years', required: false, schema: { type: 'integer', minimum: 0, maximum: 10 } })
  @ApiQuery({ name: 'suspended', required: false, isArray: true, type: String, description: '<ISO instant>/<ISO instant>, repeatable; an open end (<ISO instant>/) means still suspended' })
  @ApiResponse({ status: 200, description: 'The due date with its explanation day by day', schema: ref('Deadline') })
  async deadline(@Query() q: Record<string, unknown>) {
    const known = ['from', 'workingDays', 'days', 'months', 'years', 'suspended'];
    const extra = Object.keys(q).find((k) => !known.includes(k));
    if (extra) throw new BadInputError({ field: extra, message: `${extra} is not a parameter; use ${known.join(', ')}`, messageZh: `${extra} 不是可接受的参数；可用：${known.join('、')}` });
    const from = single(q, 'from');
    if (from === undefined) throw new BadInputError({ field: 'from', message: 'from is required (YYYY-MM-DD)', messageZh: 'from 为必填项（YYYY-MM-DD）' });
    let start: string;
    if (isIsoDate(from)) start = `${from}T12:00:00+08:00`;
    else if (isIsoInstant(from)) start = from;
    else throw new BadInputError({ field: 'from', message: `from "${from}" is not a real date (YYYY-MM-DD) or an ISO instant with offset`, messageZh: `from “${from}” 不是真实日期（YYYY-MM-DD），也不是带时区偏移的 ISO 时刻` });
    if (!inDateRange(start)) throw new BadInputError({ field: 'from', message: `from must be between ${EARLIEST_DATE} and ${LATEST_DATE}`, messageZh: `from 须在 ${EARLIEST_DATE} 至 ${LATEST_DATE} 之间` });

    const given = (['workingDays', 'days', 'months', 'years'] as const).filter((k) => q[k] !== undefined);
    if (given.length !== 1) {
      throw new BadInputError({ field: 'period', message: 'give exactly one of workingDays, days, months, years', messageZh: 'workingDays、days、months、years 须恰好给出一个' });
    }
    const unit = given[0];
    const raw = single(q, unit)!;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new BadInputError({ field: unit, message: `${unit} must be a non-negative integer, got "${raw}"`, messageZh: `${unit} 须为非负整数，收到“${raw}”` });
    const max = { workingDays: 2000, days: 3660, months: 120, years: 10 }[unit];
    if (n > max) throw new BadInputError({ field: unit, message: `${unit} must be at most ${max}`, messageZh: `${unit} 不能大于 ${max}` });
    const period = { [unit]: n } as Period;

    const suspensions: ClockSuspension[] = [];
    const list = q.suspended === undefined ? [] : Array.isArray(q.suspended) ? q.suspended : [q.suspended];
    for (const [i, item] of list.entries()) {
      const [a, b, ...rest] = String(item).split('/');
      if (rest.length || !isIsoInstant(a) || (b !== '' && !isIsoInstant(b)) || !inDateRange(a) || (b !== '' && !inDateRange(b))) {
        throw new BadInputError({
          field: `suspended[${i}]`,
          message: `suspended must be <ISO instant>/<ISO instant> (or <ISO instant>/ while still suspended), between ${EARLIEST_DATE} and ${LATEST_DATE}`,
          messageZh: `suspended 须为 <ISO 时刻>/<ISO 时刻>（仍在中止中则为 <ISO 时刻>/），在 ${EARLIEST_DATE} 至 ${LATEST_DATE} 之间`,
        });
      }
      if (b !== '' && Date.parse(b) < Date.parse(a)) throw new BadInputError({ field: `suspended[${i}]`, message: 'a suspension cannot end before it starts', messageZh: '中止的结束不能早于开始' });
      suspensions.push({ from: a, ...(b !== '' ? { to: b } : {}) });
    }
    const { calendar } = await this.calendars.current();
    const result = computeDeadline(calendar, { start, period, suspensions, startEvent: 'the given date' });
    return {
      dueDate: result.dueDate,
      dueAt: result.dueAt,
      provisional: result.provisional,
      calendarVersion: result.calendarVersion,
      suspended: result.suspended,
      explanation: result.explanation,
    };
  }

  @Get('days')
  @Public()
  @ApiOperation({ summary: 'The public holidays and make-up working days between two dates (at most 400 days), with their names' })
  @ApiQuery({ name: 'from', schema: { type: 'string', format: 'date' } })
  @ApiQuery({ name: 'to', schema: { type: 'string', format: 'date' } })
  @ApiResponse({ status: 200, description: 'The listed days, in date order', schema: ref('CalendarDays') })
  async days(@Query() q: Record<string, unknown>) {
    const p = parseQuery(q, { from: dateParam(), to: dateParam() });
    if (!p.from) throw new BadInputError({ field: 'from', message: 'from is required (YYYY-MM-DD)', messageZh: 'from 为必填项（YYYY-MM-DD）' });
    if (!p.to) throw new BadInputError({ field: 'to', message: 'to is required (YYYY-MM-DD)', messageZh: 'to 为必填项（YYYY-MM-DD）' });
    const [first, last] = [dayNumber(p.from), dayNumber(p.to)];
    if (last < first) throw new BadInputError({ field: 'to', message: 'to must not be before from', messageZh: 'to 不能早于 from' });
    if (last - first > MAX_CALENDAR_DAYS) throw new BadInputError({ field: 'to', message: `at most ${MAX_CALENDAR_DAYS} days from from`, messageZh: `from 与 to 最多相隔 ${MAX_CALENDAR_DAYS} 天` });
    const { calendar } = await this.calendars.current();
    const days = [];
    for (let day = first; day <= last; day++) {
      const info = calendar.dayInfo(day);
      if (info.kind === 'holiday' || info.kind === 'makeup-workday') days.push({ date: info.date, kind: info.kind, name: info.name ?? '', provisional: info.provisional });
    }
    return { calendarVersion: calendar.version, from: p.from, to: p.to, days };
  }

  @Get('years')
  @Public()
  @ApiOperation({ summary: 'Which years the holiday calendar covers, with the notice each was loaded from' })
  @ApiResponse({ status: 200, description: 'Coverage', schema: ref('CalendarCoverage') })
  years() {
    return this.admin.coverage();
  }

  @Put('years/:year')
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Load (or replace) one year of the State Council holiday notice (days of that year and of December before); running cases whose deadlines it changes are recomputed',
  })
  @ApiParam({ name: 'year', schema: { type: 'integer', minimum: 2004, maximum: 2100 } })
  @ApiBody({ schema: noticeBodySchema() as SchemaObject })
  @ApiResponse({ status: 200, description: 'Loaded; the running cases it changes are recomputed', schema: ref('CalendarLoaded') })
  load(@Param('year') year: string, @Body() body: unknown, @CurrentUser() user: AuthUser) {
    return this.admin.loadYear(year, body, user.id);
  }

  @Post('years/:year/preview')
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiOperation({
    summary:
      'Dry run of PUT /calendar/years/{year}: the notice (its text as published, or the structured body PUT takes) read into days, and the running deadlines it would move and by how much; changes nothing',
  })
  @ApiParam({ name: 'year', schema: { type: 'integer', minimum: 2004, maximum: 2100 } })
  @ApiBody({ schema: previewBodySchema() as SchemaObject })
  @ApiResponse({ status: 200, description: 'What loading it would do; the body to PUT is { notice, holidays, makeupWorkdays } of the answer', schema: ref('CalendarPreview') })
  preview(@Param('year') year: string, @Body() body: unknown, @CurrentUser() user: AuthUser) {
    return this.admin.previewYear(year, body, user.id);
  }

  @Post('years/:year/supplements')
  @RequireRoles('admin')
  @ApiOperation({
    summary: 'Amend a loaded year with a supplementary notice { notice, holidays?, makeupWorkdays?, ordinaryDays? }; running cases whose deadlines it changes are recomputed',
  })
  @ApiParam({ name: 'year', schema: { type: 'integer', minimum: 2004, maximum: 2100 } })
  @ApiBody({ schema: supplementBodySchema() as SchemaObject })
  @ApiResponse({ status: 201, description: 'Amended; the running cases it changes are recomputed', schema: ref('CalendarSupplemented') })
  supplement(@Param('year') year: string, @Body() body: unknown, @CurrentUser() user: AuthUser) {
    return this.admin.addSupplement(year, body, user.id);
  }
}

function single(q: Record<string, unknown>, key: string): string | undefined {
  const v = q[key];
  if (Array.isArray(v)) throw new BadInputError({ field: key, message: `${key} may be given once`, messageZh: `${key} 只能给出一次` });
  return v === undefined ? undefined : String(v);
}
