import type { PrismaClient } from '@prisma/client';
import type { AuthUser } from '../auth/directory';
import { BadInputError, NotFoundError } from './errors';

/** A user's in-app notifications, written by the read model in the same statement as the escalation. */
export class InboxService {
  constructor(private readonly prisma: PrismaClient) {}

  async list(user: AuthUser, q: { unreadOnly: boolean; cursor?: string; limit: number }) {
    const after = q.cursor ? decode(q.cursor) : undefined;
    const rows = await this.prisma.notification.findMany({
      where: {
        userId: user.id,
        ...(q.unreadOnly ? { readAt: null } : {}),
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map((n) => ({
        id: n.id,
        caseId: n.caseId,
        procedure: n.procedure,
        deadlineKey: n.deadlineKey,
        level: n.level,
        dueAt: n.dueAt.toISOString(),
        title: n.title,
        unit: n.unitId,
        createdAt: n.createdAt.toISOString(),
        readAt: n.readAt?.toISOString() ?? null,
      })),
      unread: await this.prisma.notification.count({ where: { userId: user.id, readAt: null } }),
      nextCursor: rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url') : null,
    };
  }

  async markRead(user: AuthUser, id: string) {
    const updated = await this.prisma.notification.updateMany({ where: { id, userId: user.id, readAt: null }, data: { readAt: new Date() } });
    const n = await this.prisma.notification.findFirst({ where: { id, userId: user.id } });
    if (!n) throw new NotFoundError(`notification ${id} does not exist`);
    return { id: n.id, readAt: n.readAt!.toISOString(), changed: updated.count === 1 };
  }
}

function decode(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string') return { createdAt: new Date(at), id };
  } catch {
    // fall through to the 400
  }
  throw new BadInputError({ field: 'cursor', message: 'cursor must be the nextCursor of a previous page' });
}
