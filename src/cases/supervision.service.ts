import { storedSubject } from '../db/case-store';
import type { PersonalDataCipher } from '../infra/personal-data';
import { Prisma, PrismaClient } from '@prisma/client';
import type { AuthUser, Directory } from '../auth/directory';
import { workingDaysOverdue } from '../domain/kernel/case-kernel';
import { CalendarService } from './calendar.service';
import { maskedSubject } from './case-view';
import { BadInputError, ForbiddenError } from './errors';

export interface OverdueQuery {
  unit?: string;
  procedure?: string;
  caseworker?: string;
  level?: 'yellow' | 'red';
  cursor?: string;
  limit: number;
}

export interface OnTimeQuery {
  unit?: string;
  procedure?: string;
  /** Due dates from (inclusive) and to (exclusive), YYYY-MM-DD in Asia/Shanghai. */
  fromDate: string;
  toDate: string;
}

interface OverdueRow {
  case_id: string;
  key: string;
  label: string;
  kind: string;
  basis: string;
  due_at: Date;
  due_date: string;
  yellow_at: Date | null;
  procedure: string;
  owner_unit: string;
  case_unit: string;
  caseworker: string;
  subject_kind: string;
  subject_sealed: string | null;
  legacy_subject_name: string | null;
  legacy_subject_id_number: string | null;
  state: string;
  /** The highest `escalation-<N>` on record for the deadline and its due instant, or null. */
  escalation_level: number | null;
}

/** The supervisor's views, from the read model's indexed deadline rows (never from Temporal). */
export class SupervisionService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly directory: Directory,
    private readonly calendars: CalendarService,
    private readonly personalData: PersonalDataCipher,
  ) {}

  /** Units in scope: the user's subtree, narrowed to `unit`'s subtree when given; null: every unit (administrators). */
  private async scope(user: AuthUser, unit: string | undefined): Promise<string[] | null> {
    const admin = user.roles.includes('admin');
    if (unit === undefined) return admin ? null : this.directory.subtree(user.unitId);
    if (!(await this.directory.unit(unit))) throw new BadInputError({ field: 'unit', message: `unit ${unit} does not exist`, messageZh: `单位 ${unit} 不存在` });
    if (!admin && !(await this.directory.isWithin(unit, user.unitId))) {
      throw new ForbiddenError({ en: `unit ${unit} is not within ${user.unitId}, the unit ${user.id} supervises`, zh: `单位 ${unit} 不在 ${user.id} 所主管的单位 ${user.unitId} 之内` }, 'unit-scope');
    }
    return this.directory.subtree(unit);
  }

  /**
   * Extension requests awaiting a supervisor in the subtree: an `extension.requested` with no later approval or refusal
   * of the same deadline, on a case still open (docs/time-rules.md#extension). Oldest first, at most 200.
   */
  async extensionRequests(user: AuthUser, unit: string | undefined) {
    const units = await this.scope(user, unit);
    const rows = await this.prisma.$queryRaw<
      { case_id: string; procedure: string; unit_id: string; subject_kind: string; subject_sealed: string | null; legacy_subject_name: string | null; legacy_subject_id_number: string | null; deadline_key: string; working_days: number; reason: string | null; actor: string; at: Date; due_at: Date | null; label: string | null }[]
    >`
      SELECT e.case_id, c.procedure, c.unit_id, c.subject_kind, c.subject_sealed, c.legacy_subject_name, c.legacy_subject_id_number, e.data->>'deadlineKey' AS deadline_key,
             (e.data->>'workingDays')::int AS working_days, e.reason, e.actor, e.at, d.due_at, d.label
      FROM case_events e
      JOIN cases c ON c.id = e.case_id
      LEFT JOIN deadlines d ON d.case_id = e.case_id AND d.key = e.data->>'deadlineKey'
      WHERE e.type = 'extension.requested' AND c.closed_at IS NULL
        ${units === null ? Prisma.empty : Prisma.sql`AND c.unit_id = ANY(${units}::text[])`}
        AND NOT EXISTS (
          SELECT 1 FROM case_events f
          WHERE f.case_id = e.case_id AND f.seq > e.seq AND f.type IN ('extension.approved', 'extension.refused') AND f.data->>'deadlineKey' = e.data->>'deadlineKey')
      ORDER BY e.at, e.case_id
      LIMIT 200`;
    return {
      items: rows.map((r) => ({
        caseId: r.case_id,
        procedure: r.procedure,
        caseUnit: r.unit_id,
        subject: maskedSubject(storedSubject(this.personalData, r)),
        deadlineKey: r.deadline_key,
        label: r.label ?? r.deadline_key,
        workingDays: r.working_days,
        reason: r.reason,
        requestedBy: r.actor,
        requestedAt: r.at.toISOString(),
        dueAt: r.due_at ? r.due_at.toISOString() : null,
      })),
    };
  }

  /** Overdue (red) and near-due (yellow) open deadlines of the subtree, in due order, by keyset cursor. */
  async overdue(user: AuthUser, q: OverdueQuery) {
    const units = await this.scope(user, q.unit);
    const now = new Date();
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const levelCondition =
      q.level === 'red'
        ? Prisma.sql`d.due_at <= ${now}`
        : q.level === 'yellow'
          ? Prisma.sql`d.yellow_at <= ${now} AND d.due_at > ${now}`
          : Prisma.sql`(d.due_at <= ${now} OR d.yellow_at <= ${now})`;
    const open = Prisma.sql`d.status IN ('running', 'suspended', 'overdue') AND d.kind IN ('legal', 'promised') AND d.due_at IS NOT NULL
      AND ${levelCondition}
      ${q.procedure ? Prisma.sql`AND d.procedure = ${q.procedure}` : Prisma.empty}
      ${q.caseworker ? Prisma.sql`AND d.caseworker = ${q.caseworker}` : Prisma.empty}
      ${after ? Prisma.sql`AND (d.due_at, d.case_id, d.key) > (${after.dueAt}::timestamptz, ${after.caseId}::uuid, ${after.key})` : Prisma.empty}`;
    const limit = q.limit + 1;
    // A subtree: the first `limit` rows of each unit, each read in due order from its own index range, then merged.
    const candidates = units
      ? Prisma.sql`
        SELECT x.* FROM unnest(${units}::text[]) AS s(unit) CROSS JOIN LATERAL (
          SELECT d.case_id, d.key, d.due_at FROM deadlines d WHERE d.owner_unit = s.unit AND ${open}
          ORDER BY d.due_at, d.case_id, d.key LIMIT ${limit}) x
        UNION
        SELECT x.* FROM unnest(${units}::text[]) AS s(unit) CROSS JOIN LATERAL (
          SELECT d.case_id, d.key, d.due_at FROM deadlines d WHERE d.case_unit = s.unit AND d.owner_unit <> d.case_unit AND ${open}
          ORDER BY d.due_at, d.case_id, d.key LIMIT ${limit}) x`
      : Prisma.sql`SELECT d.case_id, d.key, d.due_at FROM deadlines d WHERE ${open} ORDER BY d.due_at, d.case_id, d.key LIMIT ${limit}`;
    const rows = await this.prisma.$queryRaw<OverdueRow[]>`
      SELECT d.case_id::text AS case_id, d.key, d.label, d.kind, d.basis, d.due_at, d.due_date, d.yellow_at, d.procedure,
             d.owner_unit, d.case_unit, d.caseworker, c.subject_kind, c.subject_sealed, c.legacy_subject_name, c.legacy_subject_id_number, c.state,
             (SELECT max(e.levels_up) FROM escalations e
              WHERE e.case_id = d.case_id AND e.deadline_key = d.key AND e.due_at = d.due_at AND e.level LIKE 'escalation-%') AS escalation_level
      FROM (SELECT * FROM (${candidates}) AS merged ORDER BY due_at, case_id, key LIMIT ${limit}) AS p
      JOIN deadlines d ON d.case_id = p.case_id AND d.key = p.key
      JOIN cases c ON c.id = p.case_id
      ORDER BY p.due_at, p.case_id, p.key`;
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const { calendar } = await this.calendars.current();
    return {
      items: page.map((r) => ({
        caseId: r.case_id,
        procedure: r.procedure,
        state: r.state,
        subject: maskedSubject(storedSubject(this.personalData, r)),
        deadlineKey: r.key,
        label: r.label,
        kind: r.kind,
        basis: r.basis,
        level: r.due_at <= now ? 'red' : 'yellow',
        dueDate: r.due_date,
        dueAt: r.due_at.toISOString(),
        yellowAt: r.yellow_at?.toISOString() ?? null,
        ownerUnit: r.owner_unit,
        caseUnit: r.case_unit,
        caseworker: r.caseworker,
        // Where the breach stands on the escalation ladder: the highest escalation level on record, else red or yellow.
        ladderLevel: r.escalation_level ? `escalation-${r.escalation_level}` : r.due_at <= now ? 'red' : 'yellow',
        // Counted on the official calendar in Asia/Shanghai (the day of the ladder's overdue-<K> is the K-th).
        workingDaysOverdue: r.due_at <= now ? workingDaysOverdue(calendar, r.due_date, now.toISOString()) : 0,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ dueAt: last.due_at.toISOString(), caseId: last.case_id, key: last.key }) : null,
    };
  }

  /**
   * On-time rate of legal deadlines whose due date falls in [fromDate, toDate) (Asia/Shanghai dates), per owning unit
   * and procedure: met in time, met late (including steps dated in time but recorded after the due instant), breached
   * (passed and still open), running. Read from the rollup `on_time_days` (prisma/migrations/…_on_time_rollup).
   */
  async onTime(user: AuthUser, q: OnTimeQuery) {
    const units = await this.scope(user, q.unit);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const rows = await this.prisma.$queryRaw<{ owner_unit: string; procedure: string; met: bigint; met_late: bigint; breached: bigint; running: bigint }[]>`
      SELECT owner_unit, procedure, sum(met) AS met, sum(met_late) AS met_late,
             COALESCE(sum(open) FILTER (WHERE due_date < ${today}), 0) AS breached,
             COALESCE(sum(open) FILTER (WHERE due_date >= ${today}), 0) AS running
      FROM on_time_days
      WHERE due_date >= ${q.fromDate} AND due_date < ${q.toDate}
        ${units ? Prisma.sql`AND owner_unit = ANY(${units}::text[])` : Prisma.empty}
        ${q.procedure ? Prisma.sql`AND procedure = ${q.procedure}` : Prisma.empty}
      GROUP BY owner_unit, procedure
      HAVING sum(met) + sum(met_late) + sum(open) > 0
      ORDER BY owner_unit, procedure`;
    const items = rows.map((r) => rate(r.owner_unit, r.procedure, r));
    const sum = (k: 'met' | 'met_late' | 'breached' | 'running') => rows.reduce((n, r) => n + BigInt(r[k]), 0n);
    return {
      from: q.fromDate,
      to: q.toDate,
      items,
      total: rate(q.unit ?? null, q.procedure ?? null, { met: sum('met'), met_late: sum('met_late'), breached: sum('breached'), running: sum('running') }),
    };
  }
}

function rate(unit: string | null, procedure: string | null, r: { met: bigint; met_late: bigint; breached: bigint; running: bigint }) {
  const met = Number(r.met);
  const metLate = Number(r.met_late);
  const breached = Number(r.breached);
  const decided = met + metLate + breached;
  return { unit, procedure, met, metLate, breached, running: Number(r.running), rate: decided ? Math.round((met / decided) * 10_000) / 10_000 : null };
}

export function encodeCursor(c: { dueAt: string; caseId: string; key: string }): string {
  return Buffer.from(JSON.stringify([c.dueAt, c.caseId, c.key])).toString('base64url');
}

export function decodeCursor(cursor: string): { dueAt: string; caseId: string; key: string } {
  try {
    const [dueAt, caseId, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof dueAt === 'string' && !Number.isNaN(Date.parse(dueAt)) && typeof caseId === 'string' && /^[0-9a-f-]{36}$/.test(caseId) && typeof key === 'string') {
      return { dueAt, caseId, key };
    }
  } catch {
    // fall through to the 400
  }
  throw new BadInputError({ field: 'cursor', message: 'cursor must be the nextCursor of a previous page', messageZh: 'cursor 须为上一页的 nextCursor' });
}
