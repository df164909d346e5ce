import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from './dto/responses';
import { CurrentUser } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The authenticated user: id, roles and unit' })
  @ApiResponse({ status: 200, description: 'Who the token is', schema: ref('Me') })
  me(@CurrentUser() user: AuthUser) {
    return { user: user.id, name: user.name, roles: user.roles, unit: user.unitId };
  }
}
