import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { languageOfRequest } from './language';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ref } from './dto/responses';
import { CurrentUser } from '../auth/auth.guard';
import type { AuthUser } from '../auth/directory';
import { NotFoundError } from '../cases/errors';
import { InboxService, storedNotificationId } from '../cases/inbox.service';
import { z } from 'zod';
import { boolParam, inboxCursor, intParam, parseQuery } from './query';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/inbox')
export class InboxController {
  constructor(@Inject(InboxService) private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({ summary: "The user's notifications (yellow, red, daily reminders, escalations to them), newest first, by cursor" })
  @ApiQuery({ name: 'unread', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string' }, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiResponse({ status: 200, description: 'A page of notifications and the unread count', schema: ref('Inbox') })
  list(@Query() q: Record<string, unknown>, @CurrentUser() user: AuthUser, @Req() req: Request) {
    const p = parseQuery(q, { unread: boolParam(), cursor: z.string().pipe(inboxCursor()), limit: intParam(1, 200) });
    return this.inbox.list(user, { unreadOnly: p.unread === true, cursor: q.cursor as string | undefined, limit: p.limit ?? 50 }, languageOfRequest(req));
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @ApiParam({ name: 'id', schema: { type: 'string' }, description: 'the id of an item of GET /me/inbox (URL-safe: base64url)' })
  @ApiResponse({ status: 200, description: 'Read (changed: false if it was read before)', schema: ref('InboxRead') })
  @ApiResponse({ status: 404, description: 'No such notification of this user' })
  read(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    // Ids are URL-safe (base64url of "<case uuid>|<deadline>|<level>|<due>|<user>"; the plain form is still taken):
    // anything else (a NUL byte PostgreSQL rejects, a megabyte) is no notification.
    const stored = storedNotificationId(id);
    if (!stored) {
      const shown = id.length > 100 ? `${id.slice(0, 100)}…` : id;
      throw new NotFoundError({ en: `notification ${shown} does not exist (use the id of an item of GET /me/inbox)`, zh: `通知 ${shown} 不存在（请使用 GET /me/inbox 中条目的 id）` });
    }
    return this.inbox.markRead(user, stored);
  }
}
