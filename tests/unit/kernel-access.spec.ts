/** Who may take a step (403s) and how a refusal names its rule, on a small definition made for them. */
import { z } from 'zod';
import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../../procedures/definition';
import { refusalForActor } from '../../src/domain/kernel/access';
import type { Actor } from '../../src/domain/kernel/ops';
import type { KernelAction } from '../../src/domain/kernel/parse';
import { KERNEL_RULES, kernelRefusal, ruleRefusal } from '../../src/domain/kernel/rules';

const action = defineAction<Record<string, never>>();
const def = defineProcedure<Record<string, never>, Record<string, never>>()({
  procedure: 'access-test',
  version: 2,
  title: 'Access test',
  titleZh: '测试',
  basis: ['test'],
  validFrom: '2022-07-01',
  variants: { standard: { label: 'Standard', labelZh: '测试', basis: 'test' } },
  defaultVariant: 'standard',
  filing: z.object({}).strict(),
  clocks: {},
  actions: {
    decide: action({ label: 'Decide', labelZh: '测试', basis: 'Art. 1', schema: z.object({}).strict(), apply: () => undefined }),
    reply: action({ label: 'Reply', labelZh: '测试', basis: 'Art. 2', schema: z.object({ unitId: z.string() }).strict(), party: 'unitId', apply: () => undefined }),
  },
  states: { open: { label: 'Open', labelZh: '办理中', actions: ['decide', 'reply'] } },
  rules: { late: { id: 'access-test/late', basis: 'Art. 3' } },
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: true, basis: 'Art. 4' },
  initialState: 'open',
  file: () => ({}),
});

const who = (access: Actor['access'], roles: Actor['roles'], unitId = 'unit-a'): Actor => ({ id: 'u-1', roles, unitId, access });
const step = (name: string, input: unknown, authenticated?: Actor): KernelAction => ({ action: name, actor: 'u-1', input, ...(authenticated ? { authenticated } : {}) });
const ruleOf = (a: KernelAction) => refusalForActor(def, a)?.rule ?? null;

describe('refusalForActor', () => {
  it('checks nothing for actions recorded before the API authenticated them', () => {
    expect(refusalForActor(def, step('extend', { deadlineKey: 'k', workingDays: 1, reason: 'r' }))).toBeNull();
  });

  it('a user of an involved unit takes only the actions naming its unit, for its own unit', () => {
    const party = who('party', ['caseworker'], 'unit-b');
    expect(refusalForActor(def, step('decide', {}, party))).toEqual({
      rule: 'not-a-party',
      basis: KERNEL_RULES.notAParty.basis,
      message: 'a user of an involved unit (unit-b) cannot take the step decide',
      messageZh: '协办单位（unit-b）的用户不能进行步骤 decide',
      forbidden: true,
    });
    expect(refusalForActor(def, step('reply', { unitId: 'unit-c' }, party))).toEqual({
      rule: 'not-a-party',
      basis: KERNEL_RULES.notAParty.basis,
      message: 'a user of unit-b records reply only for its own unit, not for unit-c',
      messageZh: 'unit-b 的用户只能为本单位记录 reply，不能为 unit-c 记录',
      forbidden: true,
    });
    expect(refusalForActor(def, step('reply', { unitId: 'unit-b' }, party))).toBeNull();
  });

  it.each([
    ['a caseworker of the owning unit', who('owner', ['caseworker']), 'extension-needs-supervisor'],
    ['a supervisor of the owning unit', who('owner', ['supervisor']), null],
    ['a supervisor of a unit above', who('supervisor', ['supervisor']), null],
    ['an administrator', who('admin', ['admin']), null],
    ['a supervisor of an involved unit', who('party', ['supervisor']), 'not-a-party'],
    ['a caseworker of a unit above', who('supervisor', ['caseworker']), 'extension-needs-supervisor'],
  ])('extend, approve and refuse extensions: %s → %s', (_, user, rule) => {
    for (const name of ['extend', 'approve-extension', 'refuse-extension']) expect(ruleOf(step(name, { deadlineKey: 'k' }, user))).toBe(rule);
  });

  it('names the step a supervisor must take', () => {
    expect(refusalForActor(def, step('approve-extension', { deadlineKey: 'k' }, who('owner', ['caseworker'])))?.message).toBe(
      'approve-extension needs a supervisor of the owning unit or a unit above it, or an administrator',
    );
  });

  it('a caseworker may ask for an extension and take the procedure’s steps', () => {
    for (const name of ['request-extension', 'suspend', 'resume', 'decide']) expect(ruleOf(step(name, {}, who('owner', ['caseworker'])))).toBeNull();
  });
});

describe('refusals name their rule and basis', () => {
  it("a procedure's rule: its id and basis, with the message of the hit", () => {
    expect(ruleRefusal(def, { rule: 'late', message: 'too late', messageZh: '太迟' })).toEqual({ rule: 'access-test/late', basis: 'Art. 3', message: 'too late', messageZh: '太迟' });
  });

  it('a rule the definition does not have is a programming error', () => {
    expect(() => ruleRefusal(def, { rule: 'early', message: 'x', messageZh: 'x' })).toThrow('access-test v2 has no rule early');
  });

  it("the kernel's rules: forbidden ones say so; a basis may be given for the case at hand", () => {
    const closed = { en: 'closed', zh: '已办结' };
    const m = { en: 'm', zh: '米' };
    expect(kernelRefusal('caseClosed', closed)).toEqual({ rule: 'case-closed', basis: 'A closed case accepts no further actions', message: 'closed', messageZh: '已办结' });
    expect(Object.keys(kernelRefusal('caseClosed', closed))).toEqual(['rule', 'basis', 'message', 'messageZh']);
    expect(kernelRefusal('notAParty', m)).toEqual({ rule: 'not-a-party', basis: KERNEL_RULES.notAParty.basis, message: 'm', messageZh: '米', forbidden: true });
    expect(kernelRefusal('windowClosed', m, 'Art. 9')).toEqual({ rule: 'window-closed', basis: 'Art. 9', message: 'm', messageZh: '米' });
  });
});
