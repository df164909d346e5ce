/** Parsing an action body (the API's 400s) and what a state offers, on a small definition made for it. */
import { z } from 'zod';
import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../../procedures/definition';
import { jsonSchemaOf } from '../../src/domain/kernel/schema';
import { actionBasis, actionNames, actionSchema, actionsAllowedIn, commonActionSchema, parseKernelAction, partyActions } from '../../src/domain/kernel/parse';
import { english } from './kernel-harness';

const action = defineAction<Record<string, never>>();
const def = defineProcedure<Record<string, never>, Record<string, never>>()({
  procedure: 'parse-test',
  version: 1,
  title: 'Parse test',
  titleZh: '测试',
  basis: ['test'],
  validFrom: '2022-07-01',
  variants: { standard: { label: 'Standard', labelZh: '测试', basis: 'test' } },
  defaultVariant: 'standard',
  filing: z.object({}).strict(),
  clocks: {},
  actions: {
    decide: action({ label: 'Decide', labelZh: '测试', basis: 'Art. 1', schema: z.object({ upheld: z.boolean() }).strict(), apply: () => undefined }),
    reply: action({ label: 'Reply', labelZh: '测试', basis: 'Art. 2', schema: z.object({ unitId: z.string() }).strict(), party: 'unitId', afterClose: true, apply: () => undefined }),
  },
  states: {
    open: { label: 'Open', labelZh: '办理中', actions: ['decide', 'reply'] },
  },
  rules: {},
  suspensionReasons: [{ code: 'expert-opinion', label: 'Expert opinion', labelZh: '专家意见' }],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: 'no extension' },
  initialState: 'open',
  file: () => ({}),
});

/** parseKernelAction with its input problem's Chinese message checked and left out (see `english`). */
const parseEnglish = (...args: Parameters<typeof parseKernelAction>): ReturnType<typeof parseKernelAction> => {
  const parsed = parseKernelAction(...args);
  return parsed.ok ? parsed : { ...parsed, problem: english(parsed.problem) };
};

const BUILT_INS = ['suspend', 'resume', 'extend', 'request-extension', 'approve-extension', 'refuse-extension'];

describe('parseKernelAction', () => {
  it.each([
    ['a text', 'decide'],
    ['null', null],
    ['a list', [{ action: 'decide' }]],
  ])('refuses %s as the body', (_, body) => {
    expect(parseEnglish(def, body)).toEqual({ ok: false, problem: { field: 'body', message: 'the body must be a JSON object' } });
  });

  it.each([
    ['missing', {}],
    ['not a text', { action: 7 }],
    ['unknown', { action: 'approve' }],
  ])('refuses an action %s, listing the known ones', (_, body) => {
    expect(parseEnglish(def, body)).toEqual({ ok: false, problem: { field: 'action', message: `action must be one of: decide, reply, ${BUILT_INS.join(', ')}` } });
  });

  it('checks the common fields first, then the action’s own', () => {
    expect(parseEnglish(def, { action: 'decide', occurredAt: 'yesterday', upheld: 'yes' })).toEqual({
      ok: false,
      problem: { field: 'occurredAt', message: 'occurredAt must be an ISO 8601 instant with an offset, e.g. 2026-11-27T10:00:00+08:00' },
    });
    expect(parseEnglish(def, { action: 'decide', upheld: 'yes' })).toMatchObject({ ok: false, problem: { field: 'upheld' } });
    expect(parseEnglish(def, { action: 'decide', upheld: true, extra: 1 })).toEqual({ ok: false, problem: { field: 'extra', message: 'extra is not a known field' } });
  });

  it("refuses the actor 'system' from a body; an authenticated caller's body actor is not read at all", () => {
    expect(parseEnglish(def, { action: 'decide', upheld: true, actor: 'system' })).toEqual({
      ok: false,
      problem: { field: 'actor', message: "actor 'system' is reserved for the steps the service takes itself" },
    });
    const user = { id: 'caseworker-7', unitId: 'unit-a', roles: ['caseworker'] } as never;
    const parsed = parseKernelAction(def, { action: 'decide', upheld: true, actor: 'system' }, user);
    expect(parsed).toEqual({ ok: true, value: { action: 'decide', actor: 'caseworker-7', authenticated: user, input: { upheld: true } } });
  });

  it('keeps only the common fields given: no actor → "caseworker", occurredAt in UTC, evidence and note as written', () => {
    const bare = parseKernelAction(def, { action: 'decide', upheld: false });
    expect(bare.ok && Object.keys(bare.value)).toEqual(['action', 'actor', 'input']);
    expect(bare).toEqual({ ok: true, value: { action: 'decide', actor: 'caseworker', input: { upheld: false } } });
    const full = parseKernelAction(def, {
      action: 'decide',
      upheld: true,
      actor: 'caseworker-2',
      occurredAt: '2026-10-09T09:30:00+08:00',
      evidenceRef: '哈信复〔2026〕12号',
      note: ' 已核实 ',
    });
    expect(full).toEqual({
      ok: true,
      value: { action: 'decide', actor: 'caseworker-2', occurredAt: '2026-10-09T01:30:00.000Z', evidenceRef: '哈信复〔2026〕12号', note: '已核实', input: { upheld: true } },
    });
  });

  it('parses a built-in action by its own schema', () => {
    expect(parseEnglish(def, { action: 'suspend', reason: 'expert-opinion' })).toEqual({ ok: true, value: { action: 'suspend', actor: 'caseworker', input: { reason: 'expert-opinion' } } });
    expect(parseEnglish(def, { action: 'resume', reason: 'x' })).toEqual({ ok: false, problem: { field: 'reason', message: 'reason is not a known field' } });
  });
});

describe('the common fields as the OpenAPI document shows them', () => {
  it('say where the actor comes from, what occurredAt means and what evidence is', () => {
    expect(jsonSchemaOf(commonActionSchema)).toMatchObject({
      properties: {
        actor: { description: "Taken from the token: leave it out, or give the caller's own user id" },
        occurredAt: { description: 'When the step happened, if entered late: not in the future nor before the previous step' },
        evidenceRef: { description: 'Reference to the evidence of the step (document number, scan)' },
      },
    });
  });
});

describe('what a definition offers', () => {
  it('names its own actions, then the kernel’s', () => {
    expect(actionNames(def)).toEqual(['decide', 'reply', ...BUILT_INS]);
  });

  it('finds the schema of its own and of the kernel’s actions, and none for an unknown one', () => {
    expect(actionSchema(def, 'decide')?.safeParse({ upheld: true }).success).toBe(true);
    expect(actionSchema(def, 'suspend')?.safeParse({ reason: 'x' }).success).toBe(true);
    expect(actionSchema(def, 'approve')).toBeUndefined();
  });

  it('gives the basis of its own actions, and the kernel’s for this definition', () => {
    expect(actionBasis(def, 'decide')).toBe('Art. 1');
    expect(actionBasis(def, 'suspend')).toMatch(/^docs\/time-rules\.md#suspension/);
  });

  it('allows in a state the actions it lists and the kernel actions that apply; closed allows only what runs after closing', () => {
    expect(actionsAllowedIn(def, 'open')).toEqual(['decide', 'reply', 'suspend']);
    expect(actionsAllowedIn(def, 'suspended')).toEqual(['resume']);
    expect(actionsAllowedIn(def, 'closed')).toEqual(['reply']);
    expect(actionsAllowedIn(def, 'no-such-state')).toEqual(['suspend']);
  });

  it('lists the actions a party may take with the field naming its unit', () => {
    expect(partyActions(def)).toEqual([{ action: 'reply', field: 'unitId' }]);
  });
});
