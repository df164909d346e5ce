import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * The success bodies the API answers with, as OpenAPI schemas. Controllers point at them with `ref(name)`; openapi.ts
 * adds them to the document's components. Every object says which fields it always has; `null` is spelled out.
 */
const str: SchemaObject = { type: 'string' };
const nullableStr: SchemaObject = { type: 'string', nullable: true };
const instant: SchemaObject = { type: 'string', format: 'date-time' };
const nullableInstant: SchemaObject = { type: 'string', format: 'date-time', nullable: true };
const date: SchemaObject = { type: 'string', format: 'date' };
const int: SchemaObject = { type: 'integer' };
const bool: SchemaObject = { type: 'boolean' };
const uuid: SchemaObject = { type: 'string', format: 'uuid' };
const anyValue: SchemaObject = {};

function object(properties: Record<string, SchemaObject>, optional: string[] = [], description?: string): SchemaObject {
  return { type: 'object', ...(description ? { description } : {}), required: Object.keys(properties).filter((k) => !optional.includes(k)), properties };
}
const list = (items: SchemaObject): SchemaObject => ({ type: 'array', items });

const refTo = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;

const renewal = object(
  { id: int, procedure: str, document: str, issuedAt: date, validFrom: date, validTo: date, recordedBy: str, recordedAt: instant },
  [],
  'A notice renewing the measures after they end; recordedBy and recordedAt are its audit record',
);
const subject = object({ kind: { type: 'string', enum: ['organisation', 'person'] }, name: str, uscc: str, idNumber: str }, ['uscc', 'idNumber']);
const deadline = object(
  {
    key: str,
    label: str,
    kind: str,
    basis: str,
    status: { type: 'string', enum: ['running', 'suspended', 'met', 'met-late', 'met-recorded-late', 'overdue', 'cancelled', 'not-applicable', 'expired', 'lapsed'] },
    startAt: instant,
    dueDate: { ...date, nullable: true },
    dueAt: nullableInstant,
    provisional: bool,
    calendarVersion: str,
    completedAt: nullableInstant,
    overdue: bool,
    owner: str,
    yellowAt: nullableInstant,
    completionRecordedAt: nullableInstant,
    explanation: anyValue,
    previous: anyValue,
  },
  ['explanation', 'previous'],
  'explanation and previous are on GET /cases/{id} and the answers to filings and actions, not on list pages',
);
const escalation = object({ deadlineKey: str, level: str, dueAt: instant, firedAt: instant });

// GET /procedures: the state graph, and the clocks each step starts and stops in the versions that declare them.
const CLOCKS_DECLARED = 'starts and stops (clock keys): in the versions that declare them, the clocks this step may start and stop (met, cancelled, not applicable or ended by closing the case); the kernel holds it to them';
const clocksDeclared = { starts: list(str), stops: list(str) };
const procedureClock = object(
  {
    key: str,
    label: str,
    labelZh: str,
    kind: { type: 'string', enum: ['legal', 'promised', 'subject', 'expiry', 'window'] },
    basis: str,
    period: { ...anyValue, nullable: true },
    policy: nullableStr,
    suspensionReasons: list(str),
    onDue: object({ step: str, ...clocksDeclared }, ['starts', 'stops'], `The automatic step the clock's end runs; ${CLOCKS_DECLARED}`),
  },
  ['onDue'],
);
const procedureState = object(
  {
    state: str,
    label: str,
    labelZh: str,
    initial: bool,
    actions: list(str),
    transitions: list(object({ action: str, to: list(str), ...clocksDeclared }, ['starts', 'stops'], `Where the action may lead (closed included); ${CLOCKS_DECLARED}`)),
    startsOnFiling: list(str),
  },
  ['transitions', 'startsOnFiling'],
  'transitions: in the versions that declare them (an action not named keeps the state); startsOnFiling: on the initial state, in the versions that declare their clocks, the clocks the filing may start',
);
const access: SchemaObject = { type: 'string', enum: ['owner', 'party', 'supervisor', 'admin'] };

const caseView = object(
  {
    id: uuid,
    procedure: str,
    definitionVersion: int,
    variant: str,
    state: str,
    outcome: nullableStr,
    overdue: bool,
    unitId: str,
    access,
    subject,
    receivedAt: instant,
    closedAt: nullableInstant,
    revision: int,
    details: anyValue,
    deadlines: list(deadline),
    escalations: list(escalation),
    events: list(object({ seq: int, type: str, actor: str, at: instant, recordedAt: instant, reason: nullableStr, evidenceRef: nullableStr, data: anyValue })),
    personalDataReads: list(object({ user: str, unit: str, fields: list(str), at: instant })),
  },
  ['events', 'personalDataReads'],
  'A case as its handling unit, a supervisor or an administrator sees it (events and personalDataReads on GET /cases/{id} only)',
);
const partyCaseView = object(
  {
    id: uuid,
    procedure: str,
    definitionVersion: int,
    state: str,
    access: { type: 'string', enum: ['party'] },
    unitId: str,
    subject,
    receivedAt: instant,
    deadlines: list(deadline),
    escalations: list(escalation),
    actions: list(object({ action: str, field: str })),
  },
  [],
  'A case as an assisting unit sees it: its own clocks and the actions it may perform',
);
const anyCase: SchemaObject = { oneOf: [refTo('CaseView'), refTo('PartyCaseView')] };
const onTimeRate = object({ unit: nullableStr, procedure: nullableStr, met: int, metLate: int, breached: int, running: int, rate: { type: 'number', nullable: true, minimum: 0, maximum: 1 } });
const calendarChange = {
  year: int,
  calendarVersion: str,
  recomputedCases: int,
  changedDates: { ...list(date), description: 'the days of the year loaded on which the calendar now says something else' },
  previousYearDates: { ...list(date), description: 'the days of the year before that the notice sets (late December) and that changed' },
  confirmedYears: list(int),
  signalledCases: int,
};

export const RESPONSE_SCHEMAS = {
  CaseView: caseView,
  PartyCaseView: partyCaseView,
  AnyCase: anyCase,
  CaseList: object({ items: list(anyCase), total: int, limit: int, offset: int }),
  Subject: subject,
  HealthReport: object({ ok: bool, status: { type: 'string', enum: ['ready', 'starting', 'stopping'] }, postgres: str, temporal: str, worker: str }),
  Deadline: object({
    dueDate: { ...date, nullable: true },
    dueAt: nullableInstant,
    provisional: bool,
    calendarVersion: str,
    suspended: bool,
    explanation: anyValue,
  }),
  CalendarCoverage: object({
    calendarVersion: str,
    years: list(
      object({
        year: int,
        notice: str,
        loadedAt: instant,
        loadedBy: str,
        days: int,
        notices: list(object({ seq: int, kind: { type: 'string', enum: ['notice', 'supplement'] }, title: str, loadedAt: instant, loadedBy: str, inForce: bool, holidays: int, makeupWorkdays: int, ordinaryDays: int })),
      }),
    ),
  }),
  CalendarLoaded: object(calendarChange),
  CalendarSupplemented: object({ ...calendarChange, notice: str }),
  Renewal: renewal,
  Renewals: object({ items: list(renewal) }),
  Procedures: object({
    items: list(
      object({
        procedure: str,
        version: int,
        title: str,
        titleZh: str,
        basis: anyValue,
        validFrom: date,
        validTo: { ...date, nullable: true },
        variants: list(anyValue),
        clocks: list(procedureClock),
        actions: list(object({ action: str, basis: str, schema: anyValue, ...clocksDeclared }, ['starts', 'stops'], CLOCKS_DECLARED)),
        states: list(procedureState),
        filing: anyValue,
        extensions: anyValue,
        suspensionReasons: anyValue,
      }),
    ),
  }),
  CreditStatus: object({
    listed: bool,
    listings: list(object({ caseId: uuid, procedure: str, at: instant, until: nullableInstant, active: bool, endedAt: nullableInstant })),
    repairs: list(object({ caseId: uuid, at: instant, listingCaseId: { ...uuid, nullable: true }, commitmentCaseId: { ...uuid, nullable: true } })),
    commitmentBreaches: list(object({ caseId: uuid, at: instant, kind: str, repaired: bool })),
  }),
  Me: object({ user: str, name: str, roles: list({ type: 'string', enum: ['caseworker', 'supervisor', 'admin'] }), unit: str }),
  Inbox: object({
    items: list(object({ id: str, caseId: uuid, procedure: str, deadlineKey: str, level: str, dueAt: instant, title: str, unit: str, createdAt: instant, readAt: nullableInstant })),
    unread: int,
    nextCursor: nullableStr,
  }),
  InboxRead: object({ id: str, readAt: instant, changed: bool }),
  Unit: object({ id: str, name: str, parentId: nullableStr }),
  Units: object({ items: list(refTo('Unit')) }),
  User: object({ id: str, name: str, unitId: str, roles: list({ type: 'string', enum: ['caseworker', 'supervisor', 'admin'] }) }),
  Overdue: object({
    items: list(
      object({
        caseId: uuid,
        procedure: str,
        state: str,
        subject,
        deadlineKey: str,
        label: str,
        kind: str,
        basis: str,
        level: { type: 'string', enum: ['yellow', 'red'] },
        dueDate: { ...date, nullable: true },
        dueAt: instant,
        yellowAt: nullableInstant,
        ownerUnit: str,
        caseUnit: str,
        caseworker: str,
        ladderLevel: {
          type: 'string',
          pattern: '^(yellow|red|escalation-[1-9][0-9]*)$',
          description: 'where the deadline stands on the escalation ladder: the highest escalation-<N> on record for it, else red (past due) or yellow',
        },
        workingDaysOverdue: {
          type: 'integer',
          minimum: 0,
          description: 'working days after the due date up to today, on the official holiday calendar in Asia/Shanghai (0 while yellow)',
        },
      }),
    ),
    nextCursor: nullableStr,
  }),
  OnTime: object({ from: date, to: date, items: list(onTimeRate), total: onTimeRate }),
} satisfies Record<string, SchemaObject>;

export const ref = (name: keyof typeof RESPONSE_SCHEMAS): SchemaObject => refTo(name);
