import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequireRoles } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';
import { BadInputError } from '../cases/errors';
import { SupervisionService } from '../cases/supervision.service';
import { isIsoDate, isIsoInstant } from '../domain/local-date';

@ApiTags('supervision')
@ApiBearerAuth()
@RequireRoles('supervisor', 'admin')
@Controller('supervision')
export class SupervisionController {
  constructor(@Inject(SupervisionService) private readonly supervision: SupervisionService) {}

  @Get('overdue')
  @ApiOperation({ summary: 'Overdue (red) and near-due (yellow) deadlines of the subtree, sorted by due instant, by cursor' })
  @ApiQuery({ name: 'unit', required: false, description: 'a unit within yours: its subtree only' })
  @ApiQuery({ name: 'procedure', required: false })
  @ApiQuery({ name: 'caseworker', required: false, description: 'the user who filed the case' })
  @ApiQuery({ name: 'level', required: false, enum: ['yellow', 'red'] })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1–200, default 50' })
  overdue(@Query() q: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    const p = params(q, ['unit', 'procedure', 'caseworker', 'level', 'cursor', 'limit']);
    if (p.level !== undefined && p.level !== 'yellow' && p.level !== 'red') throw new BadInputError({ field: 'level', message: 'level must be yellow or red' });
    const limit = p.limit === undefined ? 50 : Number(p.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new BadInputError({ field: 'limit', message: 'limit must be an integer 1–200' });
    return this.supervision.overdue(user, { unit: p.unit, procedure: p.procedure, caseworker: p.caseworker, level: p.level as 'yellow' | 'red' | undefined, cursor: p.cursor, limit });
  }

  @Get('on-time')
  @ApiOperation({ summary: 'On-time rate of legal deadlines per owning unit and procedure: met, met late, breached, running' })
  @ApiQuery({ name: 'unit', required: false })
  @ApiQuery({ name: 'procedure', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD (Asia/Shanghai, inclusive) or ISO instant; default 1 Jan of this year' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD (inclusive) or ISO instant (exclusive); default the end of this year' })
  onTime(@Query() q: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    const p = params(q, ['unit', 'procedure', 'from', 'to']);
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const from = p.from === undefined ? new Date(`${year}-01-01T00:00:00+08:00`) : bound(p.from, 'from', false);
    const to = p.to === undefined ? new Date(`${year + 1}-01-01T00:00:00+08:00`) : bound(p.to, 'to', true);
    if (to <= from) throw new BadInputError({ field: 'to', message: 'to must be after from' });
    return this.supervision.onTime(user, { unit: p.unit, procedure: p.procedure, from, to });
  }
}

function params(q: Record<string, unknown>, known: string[]): Record<string, string | undefined> {
  const extra = Object.keys(q).find((k) => !known.includes(k));
  if (extra) throw new BadInputError({ field: extra, message: `${extra} is not a parameter; use ${known.join(', ')}` });
  for (const k of known) if (Array.isArray(q[k])) throw new BadInputError({ field: k, message: `${k} may be given once` });
  return q as Record<string, string | undefined>;
}

/** A date is a whole day in Asia/Shanghai: `from` its start, `to` the end of it. */
function bound(v: string, field: string, end: boolean): Date {
  if (isIsoInstant(v)) return new Date(v);
  if (isIsoDate(v)) return new Date(Date.parse(`${v}T00:00:00+08:00`) + (end ? 86_400_000 : 0));
  throw new BadInputError({ field, message: `${field} must be a date YYYY-MM-DD or an ISO instant with offset` });
}
