import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { describeProcedures } from '../cases/procedures.service';

@ApiTags('procedures')
@Controller('procedures')
export class ProceduresController {
  @Get()
  @ApiOperation({ summary: 'Every procedure version: legal basis per clock and action, validity dates, filing and action schemas' })
  list() {
    return describeProcedures();
  }
}
