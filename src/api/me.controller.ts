import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The authenticated user: id, roles and unit' })
  me(@CurrentUser() user: AuthUser) {
    return { user: user.id, name: user.name, roles: user.roles, unit: user.unitId };
  }
}
