import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from './dto/responses';
import { CurrentUser } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';
import { CreditStatusService } from '../cases/credit-status.service';
import { BadInputError } from '../cases/errors';
import { checkResidentId, checkUscc } from '../domain/identifiers';
import { SHANGHAI_OFFSET_MS } from '../domain/local-date';

const USCC = { type: 'string', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$', description: 'Unified social credit code (GB 32100)' };

@ApiTags('subjects')
@ApiBearerAuth()
@Controller('subjects')
export class SubjectsController {
  constructor(@Inject(CreditStatusService) private readonly status: CreditStatusService) {}

  @Get(':uscc/credit-status')
  @ApiOperation({ summary: "An organisation's shared credit status (a USCC is public): listed, listings, repairs, commitment breaches" })
  @ApiParam({ name: 'uscc', schema: USCC, description: 'Unified social credit code (GB 32100), with its check character' })
  @ApiResponse({ status: 200, description: 'The credit status', schema: ref('CreditStatus') })
  byUscc(@Param('uscc') uscc: string) {
    const check = checkUscc(uscc);
    if (!check.ok) throw new BadInputError({ field: 'uscc', message: `${check.message} (${check.rule})`, messageZh: `${check.messageZh}（${check.rule}）` });
    return this.status.statusOf(check.value);
  }

  @Post('credit-status')
  @HttpCode(200)
  @ApiOperation({ summary: "Anyone's shared credit status, by { uscc } or { idNumber }: a resident ID never travels in a URL; a lookup by idNumber is recorded as a personal-data read" })
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'object', required: ['uscc'], properties: { uscc: USCC }, additionalProperties: false },
        { type: 'object', required: ['idNumber'], properties: { idNumber: { type: 'string', pattern: '^[0-9]{17}[0-9X]$', description: 'Resident identity number (GB 11643)' } }, additionalProperties: false },
      ],
    },
  })
  @ApiResponse({ status: 200, description: 'The credit status', schema: ref('CreditStatus') })
  byBody(@Body() body: unknown, @CurrentUser() user: AuthUser) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadInputError({ field: 'body', message: 'the body must be { uscc } or { idNumber }', messageZh: '请求体须为 { uscc } 或 { idNumber }' });
    const b = body as Record<string, unknown>;
    const extra = Object.keys(b).find((k) => k !== 'uscc' && k !== 'idNumber');
    if (extra) throw new BadInputError({ field: extra, message: `${extra} is not a field; give uscc or idNumber`, messageZh: `${extra} 不是可接受的字段；请给出 uscc 或 idNumber` });
    if ((b.uscc === undefined) === (b.idNumber === undefined)) throw new BadInputError({ field: 'body', message: 'give exactly one of uscc or idNumber', messageZh: 'uscc 与 idNumber 须恰好给出一个' });
    if (b.uscc !== undefined) {
      const check = checkUscc(String(b.uscc));
      if (!check.ok) throw new BadInputError({ field: 'uscc', message: `${check.message} (${check.rule})`, messageZh: `${check.messageZh}（${check.rule}）` });
      return this.status.statusOf(check.value);
    }
    const today = new Date(Date.now() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
    const check = checkResidentId(String(b.idNumber), today);
    if (!check.ok) throw new BadInputError({ field: 'idNumber', message: `${check.message} (${check.rule})`, messageZh: `${check.messageZh}（${check.rule}）` });
    return this.status.personStatusFor(check.value, user);
  }
}
