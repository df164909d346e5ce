import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from './dto/responses';
import { CurrentUser, RequireRoles } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';
import { BadInputError } from '../cases/errors';
import { SupervisionService } from '../cases/supervision.service';
import { z } from 'zod';
import { dateParam, intParam, overdueCursor, parseQuery, queryText } from './query';

@ApiTags('supervision')
@ApiBearerAuth()
@RequireRoles('supervisor', 'admin')
@Controller('supervision')
export class SupervisionController {
  constructor(@Inject(SupervisionService) private readonly supervision: SupervisionService) {}

  @Get('overdue')
  @ApiOperation({ summary: 'Overdue (red) and near-due (yellow) deadlines of the subtree, sorted by due instant, by cursor' })
  @ApiQuery({ name: 'unit', required: false, schema: { type: 'string' }, description: 'a unit within yours: its subtree only' })
  @ApiQuery({ name: 'procedure', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'caseworker', required: false, schema: { type: 'string' }, description: 'the user who filed the case' })
  @ApiQuery({ name: 'level', required: false, enum: ['yellow', 'red'] })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' }, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiResponse({ status: 200, description: 'A page of deadlines in due order', schema: ref('Overdue') })
  overdue(@Query() q: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    const p = parseQuery(q, {
      unit: queryText(),
      procedure: queryText(),
      caseworker: queryText(),
      level: z.enum(['yellow', 'red'], { error: 'must be yellow or red' }),
      cursor: z.string().pipe(overdueCursor()),
      limit: intParam(1, 200),
    });
    return this.supervision.overdue(user, { unit: p.unit, procedure: p.procedure, caseworker: p.caseworker, level: p.level, cursor: q.cursor as string | undefined, limit: p.limit ?? 50 });
  }

  @Get('extension-requests')
  @ApiOperation({ summary: 'Extension requests awaiting a supervisor in the subtree, oldest first (at most 200)' })
  @ApiQuery({ name: 'unit', required: false, schema: { type: 'string' }, description: 'a unit within yours: its subtree only' })
  @ApiResponse({ status: 200, description: 'Pending requests', schema: ref('ExtensionRequests') })
  extensionRequests(@Query() q: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    const p = parseQuery(q, { unit: queryText() });
    return this.supervision.extensionRequests(user, p.unit);
  }

  @Get('on-time')
  @ApiOperation({ summary: 'On-time rate of legal deadlines due in a period, per owning unit and procedure: met, met late, breached, running' })
  @ApiQuery({ name: 'unit', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'procedure', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date' }, description: 'first due date counted, YYYY-MM-DD (Asia/Shanghai); default 1 Jan of this year' })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date' }, description: 'last due date counted, YYYY-MM-DD (inclusive); default 31 Dec of this year' })
  @ApiResponse({ status: 200, description: 'Per owning unit and procedure, and the total', schema: ref('OnTime') })
  async onTime(@Query() q: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    // The period is counted in due dates (a legal deadline ends at 24:00 of its due date, Asia/Shanghai).
    const p = parseQuery(q, { unit: queryText(), procedure: queryText(), from: dateParam(), to: dateParam() });
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const fromDate = p.from ?? `${year}-01-01`;
    const lastDate = p.to ?? `${year}-12-31`;
    if (lastDate < fromDate) throw new BadInputError({ field: 'to', message: 'to must not be before from', messageZh: 'to 不能早于 from' });
    const toDate = new Date(Date.parse(`${lastDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    // The service counts up to the day after (exclusive); the answer names the period as asked.
    return { ...(await this.supervision.onTime(user, { unit: p.unit, procedure: p.procedure, fromDate, toDate })), to: lastDate };
  }
}
