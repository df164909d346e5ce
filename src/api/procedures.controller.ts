import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from './dto/responses';
import { describeProcedures } from '../cases/procedures.service';

@ApiTags('procedures')
@ApiBearerAuth()
@Controller('procedures')
export class ProceduresController {
  @Get()
  @ApiOperation({ summary: 'Every procedure version: legal basis per clock and action, validity dates, filing and action schemas' })
  @ApiResponse({ status: 200, description: 'Every published definition', schema: ref('Procedures') })
  list() {
    return describeProcedures();
  }
}
