import type { PrismaClient } from '@prisma/client';
import type { AuthUser } from '../auth/directory';
import { allKernelDefinitions } from '../../procedures';
import type { Language } from '../domain/said';
import { BadInputError, NotFoundError } from './errors';

/** A user's in-app notifications, written by the read model in the same statement as the escalation. */
export class InboxService {
  constructor(private readonly prisma: PrismaClient) {}

  async list(user: AuthUser, q: { unreadOnly: boolean; cursor?: string; limit: number }, language: Language = 'zh') {
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
        id: inboxItemId(n.id),
        caseId: n.caseId,
        procedure: n.procedure,
        deadlineKey: n.deadlineKey,
        level: n.level,
        dueAt: n.dueAt.toISOString(),
        title: language === 'en' ? n.title : titleZh(n),
        unit: n.unitId,
        createdAt: n.createdAt.toISOString(),
        readAt: n.readAt?.toISOString() ?? null,
      })),
      unread: await this.prisma.notification.count({ where: { userId: user.id, readAt: null } }),
      nextCursor: rows.length > q.limit && last ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url') : null,
    };
  }

  /** `id`: the stored id (see storedNotificationId). */
  async markRead(user: AuthUser, id: string) {
    const updated = await this.prisma.notification.updateMany({ where: { id, userId: user.id, readAt: null }, data: { readAt: new Date() } });
    const n = await this.prisma.notification.findFirst({ where: { id, userId: user.id } });
    if (!n) throw new NotFoundError({ en: `notification ${inboxItemId(id)} does not exist`, zh: `通知 ${inboxItemId(id)} 不存在` });
    return { id: inboxItemId(n.id), readAt: n.readAt!.toISOString(), changed: updated.count === 1 };
  }
}

/**
 * The id of an inbox item in the API: the stored id ("<case uuid>|<deadline>|<level>|<due instant as PostgreSQL
 * writes it, with a space>|<user>") in base64url, so it goes into a URL path as it is.
 */
export function inboxItemId(storedId: string): string {
  return Buffer.from(storedId, 'utf8').toString('base64url');
}

const STORED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\|[^\p{Cc}]{1,500}$/iu;

/**
 * The stored id an id of the API names: base64url (what GET /me/inbox gives), or the stored form itself (what it gave
 * before, still accepted). Undefined for anything else: no notification.
 */
export function storedNotificationId(id: string): string | undefined {
  if (STORED_ID.test(id)) return id;
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(id)) return undefined;
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  return STORED_ID.test(decoded) && inboxItemId(decoded) === id ? decoded : undefined;
}

function decode(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string') return { createdAt: new Date(at), id };
  } catch {
    // fall through to the 400
  }
  throw new BadInputError({ field: 'cursor', message: 'cursor must be the nextCursor of a previous page', messageZh: 'cursor 须为上一页的 nextCursor' });
}

const procedureTitlesZh = new Map(allKernelDefinitions().map((d) => [d.procedure, d.titleZh]));

/** An escalation level as a caseworker reads it (the ladder of docs/time-rules.md#escalation). */
export function levelZh(level: string): string {
  if (level === 'yellow') return '黄牌预警';
  if (level === 'red') return '红牌：期限已届满';
  const n = /^(reminder|overdue|escalation)-(\d+)$/.exec(level);
  if (n?.[1] === 'reminder') return `提醒：距到期 ${n[2]} 个工作日`;
  if (n?.[1] === 'overdue') return `逾期 ${n[2]} 个工作日`;
  if (n?.[1] === 'escalation') return `上报上 ${n[2]} 级单位`;
  return level;
}

/** The Chinese title of a notification, from what it records (the stored title is the English one). */
function titleZh(n: { level: string; deadlineKey: string; procedure: string; caseId: string }): string {
  return `${levelZh(n.level)}：${procedureTitlesZh.get(n.procedure) ?? n.procedure}案件 ${n.caseId} 的期限 ${n.deadlineKey}`;
}
