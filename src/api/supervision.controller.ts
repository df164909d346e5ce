import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from './dto/responses';
import { CurrentUser, RequireRoles } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';
import { BadInputError } from '../cases/errors';
import { SupervisionService } from '../cases/supervision.service';
import { isIsoDate } from '../domain/local-date';

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
    const p = params(q, ['unit', 'procedure', 'caseworker', 'level', 'cursor', 'limit']);
    if (p.level !== undefined && p.level !== 'yellow' && p.level !== 'red') throw new BadInputError({ field: 'level', message: 'level must be yellow or red' });
    const limit = p.limit === undefined ? 50 : Number(p.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new BadInputError({ field: 'limit', message: 'limit must be an integer 1–200' });
    return this.supervision.overdue(user, { unit: p.unit, procedure: p.procedure, caseworker: p.caseworker, level: p.level as 'yellow' | 'red' | undefined, cursor: p.cursor, limit });
  }

  @Get('on-time')
  @ApiOperation({ summary: 'On-time rate of legal deadlines due in a period, per owning unit and procedure: met, met late, breached, running' })
  @ApiQuery({ name: 'unit', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'procedure', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date' }, description: 'first due date counted, YYYY-MM-DD (Asia/Shanghai); default 1 Jan of this year' })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date' }, description: 'last due date counted, YYYY-MM-DD (inclusive); default 31 Dec of this year' })
  @ApiResponse({ status: 200, description: 'Per owning unit and procedure, and the total', schema: ref('OnTime') })
  onTime(@Query() q: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    const p = params(q, ['unit', 'procedure', 'from', 'to']);
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const fromDate = p.from === undefined ? `${year}-01-01` : dateParam(p.from, 'from');
    const lastDate = p.to === undefined ? `${year}-12-31` : dateParam(p.to, 'to');
    if (lastDate < fromDate) throw new BadInputError({ field: 'to', message: 'to must not be before from' });
    const toDate = new Date(Date.parse(`${lastDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return this.supervision.onTime(user, { unit: p.unit, procedure: p.procedure, fromDate, toDate });
  }
}

function params(q: Record<string, unknown>, known: string[]): Record<string, string | undefined> {
  const extra = Object.keys(q).find((k) => !known.includes(k));
  if (extra) throw new BadInputError({ field: extra, message: `${extra} is not a parameter; use ${known.join(', ')}` });
  for (const k of known) if (Array.isArray(q[k])) throw new BadInputError({ field: k, message: `${k} may be given once` });
  return q as Record<string, string | undefined>;
}

/** The period is counted in due dates (a legal deadline ends at 24:00 of its due date, Asia/Shanghai). */
function dateParam(v: string, field: string): string {
  if (isIsoDate(v)) return v;
  throw new BadInputError({ field, message: `${field} must be a date YYYY-MM-DD (Asia/Shanghai): periods are counted in due dates` });
}
