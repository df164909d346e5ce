import type { PrismaClient } from '@prisma/client';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { kernelDefinitionFor } from '../../procedures';
import { loadCalendar } from '../../src/db/calendar-store';
import { Calendar } from '../../src/domain/calendar';
import { ladderSteps } from '../../src/domain/kernel/case-kernel';
import { caseWorkflowId } from '../../workflows/contracts/case.contract';
import { DOCUMENTED_STATUSES, LoadRecord } from './load';

export interface EscalationFigures {
  expected: number;
  found: number;
  missing: string[];
  /** The same deadline, level and due instant recorded more than once in a case's audit trail. */
  duplicated: string[];
  /** Escalation rows without their audit event. */
  withoutEvent: number;
}

export interface Verdict {
  acknowledged: number;
  missingInTemporal: string[];
  missingInReadModel: string[];
  /** Two case rows for one procedure and key, two live workflow runs for one case, or cases nobody filed. */
  duplicated: string[];
  escalations: EscalationFigures;
  /** Cases whose audit trail (seq) has a gap, a repeat or does not start at 1. */
  gaps: string[];
  undocumentedStatuses: string[];
}

const BREACHABLE = new Set(['legal', 'promised']);
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

interface DeadlineRow {
  case_id: string;
  key: string;
  kind: string;
  status: string;
  start_at: Date;
  due_date: string | null;
  due_at: Date | null;
  yellow_at: Date | null;
  completed_at: Date | null;
  reminders: { level: string; at: string }[] | null;
  procedure: string;
  definition_version: number;
  filed_at: string | null;
}

/**
 * What must be on record for one deadline by `cutoff`, per the kernel's rule "each step fires once per deadline, level
 * and due instant, and only the latest step reached fires": at the first look (filing, or the action that started
 * the clock) the latest step already reached, the red whenever a later rung of the ladder is, and every step reached
 * after that, up to the deadline's completion.
 */
export function expectedSteps(d: DeadlineRow, calendar: Calendar, cutoff: string): string[] {
  if (!BREACHABLE.has(d.kind) || !d.due_at) return [];
  const dueAt = iso(d.due_at)!;
  const def = kernelDefinitionFor(d.procedure, d.definition_version);
  const steps: { level: string; at: string }[] = [...(d.reminders ?? [])];
  if (d.yellow_at) steps.push({ level: 'yellow', at: iso(d.yellow_at)! });
  steps.push({ level: 'red', at: dueAt });
  if (def && d.kind === 'legal' && d.due_date) steps.push(...ladderSteps(def, calendar, d.due_date));
  steps.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  const first = [iso(d.start_at)!, d.filed_at ?? ''].sort().at(-1)!;
  const completed = iso(d.completed_at);
  // A cancelled clock's end is not on record: only what its first look must have fired is expected.
  const end = [cutoff, completed ?? cutoff, d.status === 'cancelled' ? first : cutoff].sort()[0];
  const reached = steps.filter((s) => s.at <= end);
  const atFirst = reached.filter((s) => s.at <= first).at(-1);
  const expected = reached.filter((s) => s.at > first).map((s) => s.level);
  if (atFirst) expected.unshift(atFirst.level);
  // A case entered late fires, at its first look, every escalation level it already passed (each supervisor is told).
  expected.unshift(...reached.filter((s) => s.at <= first && s.level.startsWith('escalation-')).map((s) => s.level));
  if (expected.some((l) => l.startsWith('overdue-') || l.startsWith('escalation-')) && !expected.includes('red')) expected.push('red');
  return [...new Set(expected)].map((level) => `${d.case_id}|${d.key}|${level}|${dueAt}`);
}

/** `caseIds`: only these cases (default: every case in the database, which the fault suite owns). */
export async function checkEscalations(prisma: PrismaClient, cutoff: string, caseIds?: string[]): Promise<EscalationFigures> {
  const scope = caseIds ?? null;
  const calendar = Calendar.fromSeed(await loadCalendar(prisma));
  const deadlines = await prisma.$queryRaw<DeadlineRow[]>`
    SELECT d.case_id::text AS case_id, d.key, d.kind, d.status, d.start_at, d.due_date, d.due_at, d.yellow_at, d.completed_at,
           d.explanation->'reminders' AS reminders, c.procedure, c.definition_version, c.details->>'filedAt' AS filed_at
    FROM deadlines d JOIN cases c ON c.id = d.case_id
    WHERE ${scope}::uuid[] IS NULL OR d.case_id = ANY(${scope}::uuid[])`;
  const rows = await prisma.$queryRaw<{ k: string }[]>`
    SELECT case_id::text || '|' || deadline_key || '|' || level || '|' || to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS k
    FROM escalations WHERE ${scope}::uuid[] IS NULL OR case_id = ANY(${scope}::uuid[])`;
  const found = new Set(rows.map((r) => r.k));
  const expected = deadlines.flatMap((d) => expectedSteps(d, calendar, cutoff));
  const missing = expected.filter((k) => !found.has(k));
  const duplicated = await prisma.$queryRaw<{ k: string }[]>`
    SELECT case_id::text || '|' || (data->>'deadlineKey') || '|' || (data->>'level') || '|' || (data->>'dueAt') || ' ×' || count(*) AS k
    FROM case_events WHERE (${scope}::uuid[] IS NULL OR case_id = ANY(${scope}::uuid[])) AND type LIKE 'deadline.%' AND data->>'level' IS NOT NULL AND data->>'dueAt' IS NOT NULL
    GROUP BY case_id, data->>'deadlineKey', data->>'level', data->>'dueAt' HAVING count(*) > 1`;
  const [{ n: withoutEvent }] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM escalations x
    WHERE (${scope}::uuid[] IS NULL OR x.case_id = ANY(${scope}::uuid[])) AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = x.case_id AND e.type = 'deadline.' || x.level
                        AND e.data->>'deadlineKey' = x.deadline_key AND (e.data->>'dueAt')::timestamptz = x.due_at)`;
  return { expected: expected.length, found: expected.length - missing.length, missing, duplicated: duplicated.map((r) => r.k), withoutEvent };
}

export async function verify(prisma: PrismaClient, client: Client, load: LoadRecord, knownCaseIds: Set<string>, cutoff: string): Promise<Verdict> {
  const acked = [...load.acknowledged.keys()];
  const rows = new Set((await prisma.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM cases`).map((r) => r.id));
  const missingInReadModel = acked.filter((id) => !rows.has(id));

  const missingInTemporal: string[] = [];
  const queue = [...acked];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        try {
          await client.workflow.getHandle(caseWorkflowId(id)).describe();
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          missingInTemporal.push(id);
        }
      }
    }),
  );

  const duplicated: string[] = [];
  const twice = await prisma.$queryRaw<{ k: string }[]>`
    SELECT procedure || '/' || unit_id || '/' || idempotency_key AS k FROM cases GROUP BY procedure, unit_id, idempotency_key HAVING count(*) > 1`;
  duplicated.push(...twice.map((r) => `two case rows for ${r.k}`));
  duplicated.push(...[...rows].filter((id) => !knownCaseIds.has(id)).map((id) => `case ${id} was never filed by a client`));
  const runs = new Map<string, number>();
  for await (const w of client.workflow.list({ query: `WorkflowType = 'caseWorkflow'` })) {
    if (w.status.name !== 'CONTINUED_AS_NEW') runs.set(w.workflowId, (runs.get(w.workflowId) ?? 0) + 1);
  }
  duplicated.push(...[...runs].filter(([, n]) => n > 1).map(([id, n]) => `${n} runs of ${id}`));


  const undocumentedStatuses = [...load.statuses.keys()].filter((s) => /^\d+$/.test(s) && !DOCUMENTED_STATUSES.includes(Number(s)));
  return {
    acknowledged: acked.length,
    missingInTemporal,
    missingInReadModel,
    duplicated,
    escalations: await checkEscalations(prisma, cutoff),
    gaps: await checkGaps(prisma),
    undocumentedStatuses,
  };
}

/** Cases whose audit trail is not seq 1, 2, … n without a gap or a repeat. */
export async function checkGaps(prisma: PrismaClient, caseIds?: string[]): Promise<string[]> {
  const scope = caseIds ?? null;
  const gaps = await prisma.$queryRaw<{ k: string }[]>`
    SELECT case_id::text || ' (' || count(*) || ' events, seq ' || min(seq) || '–' || max(seq) || ')' AS k
    FROM case_events WHERE ${scope}::uuid[] IS NULL OR case_id = ANY(${scope}::uuid[]) GROUP BY case_id
    HAVING NOT (min(seq) = 1 AND max(seq) = count(*) AND count(DISTINCT seq) = count(*))`;
  return gaps.map((g) => g.k);
}
