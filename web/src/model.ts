import { api } from './api';
import { localiseSchema } from './localise';

export interface Deadline {
  key: string;
  label: string;
  kind: string;
  basis: string;
  status: string;
  dueDate: string | null;
  dueAt: string | null;
  provisional: boolean;
  calendarVersion: string;
  completedAt: string | null;
  overdue: boolean;
  yellowAt: string | null;
  explanation?: Explanation | Record<string, never> | null;
}
export interface SkippedDay {
  date: string;
  reason: 'weekend' | 'holiday' | 'suspended';
  name?: string;
}
export interface Explanation {
  rule: string;
  basis: string[];
  startDate: string;
  countedDays: string[];
  makeupWorkdaysCounted: { date: string; name: string }[];
  skippedDays: SkippedDay[];
  suspensions: { from: string; to?: string; reason?: string; daysNotCounted: string[] }[];
  rolledForward?: { from: string; to: string; basis: string; skipped: SkippedDay[] };
  dueDate: string | null;
  provisional: boolean;
  provisionalYears: number[];
  calendarVersion: string;
  summary: string;
  summaryZh?: string;
}
export interface CaseItem {
  id: string;
  procedure: string;
  definitionVersion: number;
  state: string;
  outcome?: string | null;
  outcomeText?: string | null;
  access: string;
  unitId: string;
  subject: { kind: string; name: string; uscc?: string; idNumber?: string };
  receivedAt: string;
  closedAt?: string | null;
  revision?: number;
  deadlines: Deadline[];
  escalations: { deadlineKey: string; level: string; dueAt: string; firedAt: string }[];
  events?: { seq: number; type: string; actor: string; at: string; reason: string | null; reasonText?: string; evidenceRef: string | null; data: unknown }[];
  personalDataReads?: { user: string; unit: string; fields: string[]; at: string }[];
  assignee?: { userId: string; name: string | null; assignedBy: string | null; assignedAt: string | null } | null;
  assignments?: { assignee: string | null; assignedBy: string; at: string; previous: string | null }[];
  actions?: { action: string; field: string }[];
}
export interface ProcedureState {
  state: string;
  label: string;
  labelZh: string;
  initial: boolean;
  actions: string[];
  transitions?: { action: string; to: string[]; starts?: string[]; stops?: string[] }[];
  startsOnFiling?: string[];
}
export type Period = Partial<Record<'days' | 'workingDays' | 'months' | 'years', number>>;
export interface Procedure {
  procedure: string;
  version: number;
  title: string;
  titleZh: string;
  validFrom: string;
  validTo: string | null;
  clocks: { key: string; label: string; labelZh: string; basis: string; kind?: string; period?: Period | null; policy?: string | null; onDue?: { step: string } }[];
  variants: { variant: string; label: string; labelZh: string; basis: string; default: boolean }[];
  actions: { action: string; label: string; labelZh: string; basis: string; starts?: string[]; stops?: string[] }[];
  states: ProcedureState[];
}
export type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; description?: string; enum?: unknown[]; [k: string]: unknown };

let procedures: Promise<Procedure[]> | null = null;
export function loadProcedures(): Promise<Procedure[]> {
  procedures ??= api<{ items: Procedure[] }>('/procedures').then((r) => r.items);
  return procedures;
}

let components: Promise<Record<string, JsonSchema>> | null = null;
/** The request bodies of the OpenAPI document: generated from the zod schemas the API validates with. */
export function loadBodySchemas(): Promise<Record<string, JsonSchema>> {
  components ??= api<{ components: { schemas: Record<string, JsonSchema> } }>('/docs/openapi.json').then((d) => d.components.schemas);
  return components;
}

export function definitionOf(all: Procedure[], c: Pick<CaseItem, 'procedure' | 'definitionVersion'>): Procedure | undefined {
  return all.find((p) => p.procedure === c.procedure && p.version === c.definitionVersion);
}

/** The newest version of each procedure: the one a new filing gets. */
export function newestVersions(all: Procedure[]): Procedure[] {
  const newest = new Map<string, Procedure>();
  for (const p of all) if ((newest.get(p.procedure)?.version ?? 0) < p.version) newest.set(p.procedure, p);
  return [...newest.values()];
}

/** The nearest open deadline of a case (running, due soonest). */
export function nearestOpen(c: CaseItem): Deadline | undefined {
  return c.deadlines.filter((d) => !d.completedAt && d.dueAt && ['running', 'overdue', 'suspended'].includes(d.status)).sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!))[0];
}

/** The JSON Schema of a form, without the fields the app fills itself, in the language shown (localise.ts). */
export function formSchema(schema: JsonSchema, hidden: string[], lang: 'zh' | 'en' = 'zh'): JsonSchema {
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => !hidden.includes(k)));
  return localiseSchema({ ...schema, description: undefined, properties, required: (schema.required ?? []).filter((k) => !hidden.includes(k)) }, lang);
}
