import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { CaseLabelsInterceptor } from './case-labels.interceptor';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from './dto/responses';
import { CurrentUser } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';
import { CaseService, isCaseId } from '../cases/case.service';
import { z } from 'zod';
import { BadInputError, CaseNotFoundError } from '../cases/errors';
import { boolParam, dateParam, instantParam, intParam, parseQuery, queryText } from './query';
import { saying } from '../domain/kernel/schema';

/** Far past any real list (PostgreSQL's OFFSET is a bigint; a larger number was a failed query, 503). */
const MAX_LIST_OFFSET = 2_147_483_647;

@ApiTags('cases')
@ApiBearerAuth()
@UseInterceptors(CaseLabelsInterceptor)
@Controller('cases')
export class CasesController {
  constructor(@Inject(CaseService) private readonly cases: CaseService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'File a case (starts its workflow); 409 with the existing case for an idempotencyKey the filing unit used before' })
  @ApiResponse({ status: 201, description: 'Filed', schema: ref('CaseView') })
  @ApiResponse({ status: 409, description: 'A case with this idempotencyKey exists: it is in `case`' })
  @ApiResponse({ status: 422, description: 'An eligibility rule of the procedure refuses the filing' })
  start(@Body() body: unknown, @CurrentUser() user: AuthUser) {
    return this.cases.start(body, user);
  }

  @Get()
  @ApiOperation({ summary: 'List cases' })
  @ApiQuery({ name: 'procedure', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'state', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'dueBefore', required: false, schema: { type: 'string' }, description: 'ISO instant with offset or YYYY-MM-DD (end of that day, Asia/Shanghai)' })
  @ApiQuery({ name: 'q', required: false, schema: { type: 'string', minLength: 1, maxLength: 200 }, description: 'Search, exact: case number (first 8+ characters of the id), paper file number (evidenceRef of the filing or a step), subject name, credit code or ID number' })
  @ApiQuery({ name: 'open', required: false, enum: ['true', 'false'], description: 'true: only cases not closed' })
  @ApiQuery({ name: 'assignee', required: false, schema: { type: 'string', minLength: 1, maxLength: 200 }, description: 'me: the cases assigned to the caller; none: the cases nobody is assigned; any other value: a user id' })
  @ApiQuery({ name: 'sort', required: false, enum: ['received', 'due'], description: 'received (newest first, default) or due (nearest open deadline first)' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, maximum: MAX_LIST_OFFSET, default: 0 } })
  @ApiResponse({ status: 200, description: 'The cases this user sees, newest first (or by nearest deadline)', schema: ref('CaseList') })
  list(@Query() q: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    const p = parseQuery(q, {
      procedure: queryText(),
      state: queryText(),
      overdue: boolParam(),
      // A date is the end of that day, Asia/Shanghai.
      dueBefore: z.union([instantParam(), dateParam().transform((d) => new Date(Date.parse(`${d}T00:00:00+08:00`) + 86_400_000))], {
        error: 'must be an ISO instant with offset or a date YYYY-MM-DD, between 1900 and 2999',
      }),
      q: queryText().refine((s) => s.trim().length > 0, saying({ en: 'must not be blank', zh: '不能为空白' })),
      open: boolParam(),
      assignee: queryText(),
      sort: z.enum(['received', 'due'], { error: 'must be received or due' }),
      limit: intParam(1, 500),
      offset: intParam(0, MAX_LIST_OFFSET),
    });
    return this.cases.list({ procedure: p.procedure, state: p.state, overdue: p.overdue, dueBefore: p.dueBefore, q: p.q, open: p.open, assignee: p.assignee, sort: p.sort, limit: p.limit ?? 50, offset: p.offset ?? 0 }, user);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A case: state, every deadline with its explanation, escalations and the audit trail' })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiResponse({ status: 200, description: 'The case (an assisting unit sees its own clocks only)', schema: ref('AnyCase') })
  @ApiResponse({ status: 404, description: 'No such case, or not one this user sees (also for an id that is not a UUID)' })
  async get(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    requireCaseId(id);
    const found = await this.cases.find(id, user);
    if (!found) throw new CaseNotFoundError(id);
    return found;
  }

  @Get(':id/personal-data')
  @ApiOperation({ summary: "The subject's unmasked personal information, for the unit handling the case; every read is recorded (Art. 23 ¶4)" })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiResponse({ status: 200, description: 'The subject in full', schema: ref('Subject') })
  @ApiResponse({ status: 404, description: 'No such case, or not one this user sees' })
  personalData(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    requireCaseId(id);
    return this.cases.personalData(id, user);
  }

  @Put(':id/assignee')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Assign the case (not a step of the procedure, no audit event: the case keeps its own assignment history). A caseworker of the owning unit claims it for themselves while it is unassigned; reassigning or unassigning needs a supervisor of the owning unit or above, or an administrator',
  })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['userId'],
      properties: { userId: { type: 'string', nullable: true, description: 'a caseworker or supervisor of the owning unit; null unassigns' } },
      additionalProperties: false,
    },
  })
  @ApiResponse({ status: 200, description: 'The case as GET /cases/{id} shows it (the same body again changes nothing)', schema: ref('CaseView') })
  @ApiResponse({ status: 400, description: 'Not { userId }, or userId is not a caseworker or supervisor of the owning unit' })
  @ApiResponse({ status: 403, description: 'assignment-needs-supervisor (taking a case assigned to someone else, assigning another user, unassigning) or unit-scope (an assisting unit)' })
  @ApiResponse({ status: 404, description: 'No such case, or not one this user sees' })
  @ApiResponse({ status: 422, description: 'case-closed: a closed case is no longer assigned' })
  assign(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: AuthUser) {
    requireCaseId(id);
    return this.cases.assign(id, body, user);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Perform a caseworker action (Temporal Update with validator); 422 names the refusing rule' })
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiHeader({ name: 'idempotency-key', required: false, schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' }, description: 'Idempotency-Key: the same request again (same body, same user) returns the first answer instead of performing the action twice; the key with another body or user → 422 idempotency-key-reused' })
  @ApiResponse({ status: 200, description: 'The case after the action', schema: ref('AnyCase') })
  @ApiResponse({ status: 404, description: 'No such case, or not one this user sees' })
  @ApiResponse({ status: 422, description: 'Refused by a rule of the procedure (or the case is closed, or the Idempotency-Key was used with another body or by another user: idempotency-key-reused)' })
  @ApiResponse({ status: 500, description: 'An accepted action failed inside the workflow; the case is unchanged' })
  act(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: AuthUser, @Headers('idempotency-key') idempotencyKey?: string) {
    requireCaseId(id);
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw new BadInputError({ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 200 visible ASCII characters', messageZh: 'Idempotency-Key 须为 1 至 200 个可见 ASCII 字符' });
    }
    return this.cases.act(id, body, user, idempotencyKey);
  }
}

/** Case ids are UUIDs: any other id is a case that does not exist (404), and is never sent to PostgreSQL. */
function requireCaseId(id: string): void {
  if (!isCaseId(id)) throw new CaseNotFoundError(id.length > 100 ? `${id.slice(0, 100)}…` : id, { en: 'a case id is a UUID', zh: '案件编号是 UUID' });
}
