import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreditStatusService } from '../cases/credit-status.service';
import { BadInputError } from '../cases/errors';
import { checkResidentId, checkUscc } from '../domain/identifiers';
import { SHANGHAI_OFFSET_MS } from '../domain/local-date';

@ApiTags('subjects')
@Controller('subjects')
export class SubjectsController {
  constructor(@Inject(CreditStatusService) private readonly status: CreditStatusService) {}

  @Get(':uscc/credit-status')
  @ApiOperation({ summary: "An organisation's shared credit status (a USCC is public): listed, listings, repairs, commitment breaches" })
  byUscc(@Param('uscc') uscc: string) {
    const check = checkUscc(uscc);
    if (!check.ok) throw new BadInputError({ field: 'uscc', message: `${check.message} (${check.rule})` });
    return this.status.statusOf(check.value);
  }

  @Post('credit-status')
  @HttpCode(200)
  @ApiOperation({ summary: "Anyone's shared credit status, by { uscc } or { idNumber }: a resident ID never travels in a URL" })
  @ApiBody({ schema: { type: 'object', properties: { uscc: { type: 'string' }, idNumber: { type: 'string' } }, additionalProperties: false } })
  byBody(@Body() body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadInputError({ field: 'body', message: 'the body must be { uscc } or { idNumber }' });
    const b = body as Record<string, unknown>;
    const extra = Object.keys(b).find((k) => k !== 'uscc' && k !== 'idNumber');
    if (extra) throw new BadInputError({ field: extra, message: `${extra} is not a field; give uscc or idNumber` });
    if ((b.uscc === undefined) === (b.idNumber === undefined)) throw new BadInputError({ field: 'body', message: 'give exactly one of uscc or idNumber' });
    if (b.uscc !== undefined) {
      const check = checkUscc(String(b.uscc));
      if (!check.ok) throw new BadInputError({ field: 'uscc', message: `${check.message} (${check.rule})` });
      return this.status.statusOf(check.value);
    }
    const today = new Date(Date.now() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
    const check = checkResidentId(String(b.idNumber), today);
    if (!check.ok) throw new BadInputError({ field: 'idNumber', message: `${check.message} (${check.rule})` });
    return this.status.statusOf(check.value);
  }
}
