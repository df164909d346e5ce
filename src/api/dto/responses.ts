import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/**
 * The bodies the API answers with, as zod schemas: the OpenAPI document's components are generated from them
 * (responseComponents) and the e2e tests parse live answers with them. The schemas are strict, so a field the API
 * adds or drops fails a test until it is written here; the document leaves its objects open (a client must accept a
 * field added later). Fields holding a procedure's own data (details, event data, explanations) are not typed here.
 */
const str = () => z.string();
const instant = () => z.iso.datetime({ offset: true });
const date = () => z.iso.date();
const int = () => z.int();
const uuid = () => z.uuid();
const list = <T extends z.ZodType>(item: T) => z.array(item);
const object = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);
const ROLES = ['caseworker', 'supervisor', 'admin'] as const;

const subject = object({ kind: z.enum(['organisation', 'person']), name: str(), uscc: str().optional(), idNumber: str().optional() });

const deadline = object({
  key: str(),
  label: str(),
  kind: str(),
  basis: str(),
  status: z.enum(['running', 'suspended', 'met', 'met-late', 'met-recorded-late', 'overdue', 'cancelled', 'not-applicable', 'expired', 'lapsed']),
  startAt: instant(),
  dueDate: date().nullable(),
  dueAt: instant().nullable(),
  provisional: z.boolean(),
  calendarVersion: str(),
  completedAt: instant().nullable(),
  overdue: z.boolean(),
  owner: str(),
  yellowAt: instant().nullable(),
  completionRecordedAt: instant().nullable(),
  explanation: z.unknown().optional(),
  previous: z.unknown().optional(),
}).describe('explanation and previous are on GET /cases/{id} and the answers to filings and actions, not on list pages');

const escalation = object({ deadlineKey: str(), level: str(), dueAt: instant(), firedAt: instant() });

const caseView = object({
  id: uuid(),
  procedure: str(),
  definitionVersion: int(),
  variant: str(),
  state: str(),
  outcome: str().nullable(),
  outcomeText: str().nullable().optional().describe("The outcome in the caller's language (Accept-Language); on the cases endpoints"),
  overdue: z.boolean(),
  unitId: str(),
  access: z.enum(['owner', 'supervisor', 'admin']),
  subject,
  receivedAt: instant(),
  closedAt: instant().nullable(),
  revision: int(),
  details: z.unknown(),
  deadlines: list(deadline),
  escalations: list(escalation),
  assignee: object({ userId: str(), name: str().nullable().describe('null: the user was removed since'), assignedBy: str().nullable(), assignedAt: instant().nullable() })
    .nullable()
    .describe('Who handles the case now (PUT /cases/{id}/assignee)'),
  assignments: list(object({ assignee: str().nullable(), assignedBy: str(), at: instant(), previous: str().nullable() }))
    .optional()
    .describe('Every change of assignee, oldest first (GET /cases/{id} and PUT /cases/{id}/assignee)'),
  events: list(
    object({
      seq: int(),
      type: str(),
      actor: str(),
      at: instant(),
      recordedAt: instant(),
      reason: str().nullable(),
      reasonText: str().optional().describe("A suspension's reason in the caller's language"),
      evidenceRef: str().nullable(),
      data: z.unknown(),
    }),
  ).optional(),
  personalDataReads: list(object({ user: str(), unit: str(), fields: list(str()), at: instant() })).optional(),
}).describe('A case as its handling unit, a supervisor or an administrator sees it (events, personalDataReads and assignments on GET /cases/{id} only)');

const partyCaseView = object({
  id: uuid(),
  procedure: str(),
  definitionVersion: int(),
  state: str(),
  access: z.literal('party'),
  unitId: str(),
  subject,
  receivedAt: instant(),
  deadlines: list(deadline),
  escalations: list(escalation),
  actions: list(object({ action: str(), field: str() })),
}).describe('A case as an assisting unit sees it: its own clocks and the actions it may perform');

const anyCase = z.xor([caseView, partyCaseView]);

const renewal = object({
  id: int(),
  procedure: str(),
  document: str(),
  issuedAt: date(),
  validFrom: date(),
  validTo: date(),
  recordedBy: str(),
  recordedAt: instant(),
}).describe('A notice renewing the measures after they end; recordedBy and recordedAt are its audit record');

const calendarChange = {
  year: int(),
  calendarVersion: str(),
  recomputedCases: int(),
  changedDates: list(date()).describe('the days of the year loaded on which the calendar now says something else'),
  previousYearDates: list(date()).describe('the days of the year before that the notice sets (late December) and that changed'),
  confirmedYears: list(int()),
  signalledCases: int(),
};

const period = z.xor([object({ workingDays: int() }), object({ days: int() }), object({ months: int() }), object({ years: int() })]);
const jsonSchema = z.record(z.string(), z.unknown()).describe('A JSON Schema');

// GET /procedures: the state graph, and the clocks each step starts and stops in the versions that declare them.
const CLOCKS_DECLARED =
  'starts and stops (clock keys): in the versions that declare them, the clocks this step may start and stop (met, cancelled, not applicable or ended by closing the case); the kernel holds it to them';
const clocksDeclared = { starts: list(str()).optional(), stops: list(str()).optional() };

const procedure = object({
  procedure: str(),
  version: int(),
  title: str(),
  titleZh: str(),
  basis: list(str()),
  validFrom: date(),
  validTo: date().nullable(),
  variants: list(object({ variant: str(), label: str(), labelZh: str(), basis: str(), default: z.boolean() })),
  clocks: list(
    object({
      key: str(),
      label: str(),
      labelZh: str(),
      kind: z.enum(['legal', 'promised', 'subject', 'expiry', 'window']),
      basis: str(),
      period: period.nullable(),
      policy: str().nullable(),
      suspensionReasons: list(str()),
      onDue: object({ step: str(), ...clocksDeclared }).optional().describe(`The automatic step the clock's end runs; ${CLOCKS_DECLARED}`),
    }),
  ),
  actions: list(object({ action: str(), label: str(), labelZh: str(), basis: str(), schema: jsonSchema, ...clocksDeclared }).describe(CLOCKS_DECLARED)),
  states: list(
    object({
      state: str(),
      label: str(),
      labelZh: str(),
      initial: z.boolean(),
      actions: list(str()),
      transitions: list(object({ action: str(), to: list(str()), ...clocksDeclared }).describe(`Where the action may lead (closed included); ${CLOCKS_DECLARED}`)).optional(),
      startsOnFiling: list(str()).optional(),
    }).describe(
      'transitions: in the versions that declare them (an action not named keeps the state); startsOnFiling: on the initial state, in the versions that declare their clocks, the clocks the filing may start',
    ),
  ),
  filing: jsonSchema,
  extensions: object({ allowed: z.boolean(), basis: str() }),
  suspensionReasons: list(object({ code: str(), label: str(), labelZh: str() })),
});

const onTimeRate = object({
  unit: str().nullable(),
  procedure: str().nullable(),
  met: int(),
  metLate: int(),
  breached: int(),
  running: int(),
  rate: z.number().min(0).max(1).nullable(),
});

const unit = object({ id: str(), name: str(), parentId: str().nullable() });

export const RESPONSE_SCHEMAS = {
  CaseView: caseView,
  PartyCaseView: partyCaseView,
  AnyCase: anyCase,
  CaseList: object({ items: list(anyCase), total: int(), limit: int(), offset: int() }),
  Subject: subject,
  HealthReport: object({
    ok: z.boolean(),
    status: z.enum(['ready', 'starting', 'stopping']),
    postgres: z.enum(['up', 'down', 'timeout', 'not checked']),
    temporal: z.enum(['up', 'down', 'timeout', 'not checked']),
    worker: z.enum(['up', 'down', 'stopping', 'not run in this process']),
  }),
  Deadline: object({
    dueDate: date().nullable(),
    dueAt: instant().nullable(),
    provisional: z.boolean(),
    calendarVersion: str(),
    suspended: z.boolean(),
    explanation: z.unknown(),
  }),
  CalendarDays: object({
    calendarVersion: str(),
    from: date(),
    to: date(),
    days: list(object({ date: date(), kind: z.enum(['holiday', 'makeup-workday']), name: str(), provisional: z.boolean() })),
  }).describe('The public holidays and make-up working days between two dates; every other day is an ordinary weekday or weekend day'),
  CalendarCoverage: object({
    calendarVersion: str(),
    years: list(
      object({
        year: int(),
        notice: str(),
        loadedAt: instant(),
        loadedBy: str(),
        days: int(),
        notices: list(
          object({
            seq: int(),
            kind: z.enum(['notice', 'supplement']),
            title: str(),
            loadedAt: instant(),
            loadedBy: str(),
            inForce: z.boolean(),
            holidays: int(),
            makeupWorkdays: int(),
            ordinaryDays: int(),
          }),
        ),
      }),
    ),
    provisionalYears: list(int()).describe('years past the last notice loaded, counted with the fixed holidays only (deadlines in them are provisional)'),
  }),
  CalendarLoaded: object(calendarChange),
  CalendarSupplemented: object({ ...calendarChange, notice: str() }),
  CalendarPreview: object({
    year: int(),
    notice: str(),
    holidays: z.record(date(), str()),
    makeupWorkdays: z.record(date(), str()),
    items: list(object({ line: int(), name: str(), holidays: list(date()), makeupWorkdays: list(date()) })).describe(
      'from a text: each numbered line read, with its days (empty for a structured body)',
    ),
    changedDates: list(date()).describe('the days of the year on which the calendar would say something else'),
    previousYearDates: list(date()),
    confirmedYears: list(int()),
    calendarVersion: str().describe('the calendar version loading it would make'),
    casesToRecompute: int().describe('running cases the load would signal to recompute'),
    moves: list(
      object({
        caseId: uuid(),
        procedure: str(),
        deadlineKey: str(),
        label: str(),
        labelZh: str().optional(),
        from: object({ dueDate: date().nullable(), dueAt: instant().nullable() }),
        to: object({ dueDate: date().nullable(), dueAt: instant().nullable() }),
        workingDaysMoved: int().nullable().describe('working days from the old due date to the new one on the new calendar; negative when earlier'),
      }),
    ).describe('the open deadlines whose due date would change'),
  }),
  Renewal: renewal,
  Renewals: object({ items: list(renewal) }),
  Procedures: object({ items: list(procedure) }),
  CreditStatus: object({
    listed: z.boolean(),
    listings: list(object({ caseId: uuid(), procedure: str(), at: instant(), until: instant().nullable(), active: z.boolean(), endedAt: instant().nullable() })),
    repairs: list(object({ caseId: uuid(), at: instant(), listingCaseId: uuid().nullable(), commitmentCaseId: uuid().nullable() })),
    commitmentBreaches: list(object({ caseId: uuid(), at: instant(), kind: str(), repaired: z.boolean() })),
  }),
  Me: object({ user: str(), name: str(), roles: list(z.enum(ROLES)), unit: str() }),
  SignInOptions: object({
    demoUsers: list(object({ id: str(), name: str(), unitId: str(), roles: list(z.enum(ROLES)) })).describe('Offered only on a local install with the demo directory on, listening on a loopback address'),
    demoSignIn: z
      .enum(['on', 'off-identity-provider', 'off-demo-directory', 'off-network-host'])
      .describe('Whether the demo users sign in by a click, or why not: an identity provider is configured, DEMO_DIRECTORY=false, or HOST is not a loopback address'),
    oidc: object({
      issuer: str(),
      clientId: str().describe('A public client: no secret, authorization code with PKCE (S256)'),
      scope: str(),
      authorizationEndpoint: str(),
      tokenEndpoint: str(),
      endSessionEndpoint: str().optional().describe('Where sign-out sends the browser, when the provider has one'),
    })
      .optional()
      .describe("The agency's OpenID Connect provider (AUTH_OIDC_ISSUER), from its discovery document"),
  }),
  DemoSession: object({ token: str().describe('A bearer token for the API, signed by the local key'), expiresAt: instant(), user: str() }),
  Inbox: object({
    items: list(
      object({
        id: str(),
        caseId: uuid(),
        procedure: str(),
        deadlineKey: str(),
        level: str(),
        dueAt: instant(),
        title: str(),
        unit: str(),
        createdAt: instant(),
        readAt: instant().nullable(),
      }),
    ),
    unread: int(),
    nextCursor: str().nullable(),
  }),
  InboxRead: object({ id: str(), readAt: instant(), changed: z.boolean() }),
  Unit: unit,
  Units: object({ items: list(unit) }),
  User: object({ id: str(), name: str(), unitId: str(), roles: list(z.enum(ROLES)), active: z.boolean().describe('false: deactivated, every token of theirs refused') }),
  UnitMembers: object({ items: list(object({ id: str(), name: str(), roles: list(z.enum(ROLES)) })) }),
  CodecPayloads: object({ payloads: list(object({ metadata: z.record(z.string(), str()), data: str().optional() })) }).describe("Temporal's JSON form of payloads: every bytes field base64"),
  Users: object({ items: list(object({ id: str(), name: str(), unitId: str(), roles: list(z.enum(ROLES)), active: z.boolean() })) }),
  Overdue: object({
    items: list(
      object({
        caseId: uuid(),
        procedure: str(),
        state: str(),
        subject,
        deadlineKey: str(),
        label: str(),
        kind: str(),
        basis: str(),
        level: z.enum(['yellow', 'red']),
        dueDate: date().nullable(),
        dueAt: instant(),
        yellowAt: instant().nullable(),
        ownerUnit: str(),
        caseUnit: str(),
        caseworker: str(),
        ladderLevel: str()
          .regex(/^(yellow|red|escalation-[1-9][0-9]*)$/)
          .describe('where the deadline stands on the escalation ladder: the highest escalation-<N> on record for it, else red (past due) or yellow'),
        workingDaysOverdue: int()
          .min(0)
          .describe('working days after the due date up to today, on the official holiday calendar in Asia/Shanghai (0 while yellow)'),
      }),
    ),
    nextCursor: str().nullable(),
  }),
  ExtensionRequests: object({
    items: list(
      object({
        caseId: uuid(),
        procedure: str(),
        caseUnit: str(),
        subject,
        deadlineKey: str(),
        label: str(),
        workingDays: int(),
        reason: str().nullable(),
        requestedBy: str(),
        requestedAt: instant(),
        dueAt: instant().nullable(),
      }),
    ),
  }),
  OnTime: object({ from: date(), to: date(), items: list(onTimeRate), total: onTimeRate }),
};

const refusal = <T extends z.ZodRawShape>(status: number, shape: T) => object({ statusCode: z.literal(status), error: str(), message: str(), ...shape });

/** The bodies of refused requests, as http-exception.filter.ts and the body-parser handler in app.ts write them. */
export const ERROR_SCHEMAS = {
  BadRequest: refusal(400, { field: str().describe('The field, parameter or header that broke the rule (`body` for the body as a whole)') }),
  Unauthorized: refusal(401, {}),
  Forbidden: refusal(403, {
    rule: str().describe('What refused it: role, unit-scope, unknown-user, personal-data, not-a-party, assignment-needs-supervisor or a procedure rule'),
    basis: str().optional(),
  }),
  NotFound: refusal(404, {}),
  Conflict: refusal(409, { case: anyCase.describe('The case filed first with this idempotencyKey') }),
  PayloadTooLarge: refusal(413, { field: str() }),
  UnsupportedMediaType: refusal(415, { field: str() }),
  Refused: refusal(422, { rule: str().describe('The rule of law or of the procedure that refused the request'), basis: str().describe('Its legal basis') }),
  ActionFailed: refusal(500, { errorId: str().optional().describe('An unexpected error (a defect): the id its log line carries') }),
  ServiceUnavailable: refusal(503, { dependency: str().optional().describe('The dependency that did not answer in time: PostgreSQL or Temporal') }),
};

export type ResponseName = keyof typeof RESPONSE_SCHEMAS;
export type ErrorName = keyof typeof ERROR_SCHEMAS;

export const ref = (name: ResponseName | ErrorName): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;

/**
 * The schemas as OpenAPI 3.0 components. A schema that is itself a component is referenced where another one uses it.
 * What zod adds for its own checks and the document says otherwise is left out: `additionalProperties: false` (open
 * objects, see above), the patterns of formatted strings (`format` says it) and the safe-integer bounds of `z.int()`;
 * a literal status code is an integer.
 */
export function responseComponents(): Record<string, SchemaObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({ ...RESPONSE_SCHEMAS, ...ERROR_SCHEMAS })) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'openapi-3.0',
    io: 'output',
    uri: (id) => `#/components/schemas/${id}`,
    override: ({ jsonSchema }) => {
      delete jsonSchema.additionalProperties;
      if (jsonSchema.format) delete jsonSchema.pattern;
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      if (jsonSchema.type === 'number' && jsonSchema.enum?.every((v) => Number.isInteger(v))) jsonSchema.type = 'integer';
    },
  });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $id: _id, ...schema }]) => [id, schema as SchemaObject]));
}
