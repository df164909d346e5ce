import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from './dto/responses';
import { CurrentUser, RequireRoles } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { renewalBodySchema, RenewalsService } from '../cases/renewals.service';

const PROCEDURE = 'property-rating';

/** Art. 15 of the Jiangbei measures: in force 2022-07-01 for two years; a district notice may renew them. */
@ApiTags('procedures')
@ApiBearerAuth()
@Controller('procedures/property-rating/renewals')
export class RenewalsController {
  constructor(@Inject(RenewalsService) private readonly renewals: RenewalsService) {}

  @Post()
  @HttpCode(201)
  @RequireRoles('admin')
  @ApiOperation({
    summary:
      'Record a district notice renewing the property-rating measures after 2024-06-30 (Art. 15): filings received inside its validity are accepted and cite it (administrators)',
  })
  @ApiBody({ schema: renewalBodySchema() as SchemaObject })
  @ApiResponse({ status: 201, description: 'Recorded, with who recorded it and when', schema: ref('Renewal') })
  record(@Body() body: unknown, @CurrentUser() user: AuthUser) {
    return this.renewals.record(PROCEDURE, body, user.id);
  }

  @Get()
  @ApiOperation({ summary: 'The renewal notices recorded for the property-rating measures, oldest first' })
  @ApiResponse({ status: 200, description: 'Every recorded renewal', schema: ref('Renewals') })
  list() {
    return this.renewals.list(PROCEDURE);
  }
}
