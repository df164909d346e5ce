import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';
import { BadInputError } from '../cases/errors';
import { InboxService } from '../cases/inbox.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/inbox')
export class InboxController {
  constructor(@Inject(InboxService) private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({ summary: "The user's notifications (yellow, red, daily reminders, escalations to them), newest first, by cursor" })
  @ApiQuery({ name: 'unread', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1–200, default 50' })
  list(@Query() q: Record<string, unknown>, @CurrentUser() user: AuthUser) {
    const extra = Object.keys(q).find((k) => !['unread', 'cursor', 'limit'].includes(k));
    if (extra) throw new BadInputError({ field: extra, message: `${extra} is not a parameter; use unread, cursor, limit` });
    if (q.unread !== undefined && q.unread !== 'true' && q.unread !== 'false') throw new BadInputError({ field: 'unread', message: 'unread must be true or false' });
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new BadInputError({ field: 'limit', message: 'limit must be an integer 1–200' });
    if (q.cursor !== undefined && typeof q.cursor !== 'string') throw new BadInputError({ field: 'cursor', message: 'cursor may be given once' });
    return this.inbox.list(user, { unreadOnly: q.unread === 'true', cursor: q.cursor as string | undefined, limit });
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  read(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.inbox.markRead(user, id);
  }
}
