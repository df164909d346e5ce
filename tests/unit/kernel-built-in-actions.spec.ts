/**
 * The kernel's own actions (suspend, resume, extensions asked, granted, approved and refused) on a small definition made
 * for them: every refusal with its rule and message, every record and event they write.
 */
import { z } from 'zod';
import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../../procedures/definition';
import { BUILT_IN, pendingRequest } from '../../src/domain/kernel/built-in-actions';
import { actionBasis, actionsAllowedIn } from '../../src/domain/kernel/parse';
import { act, due, english, file, inputProblem, sh } from './kernel-harness';
import { parseKernelAction, refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';

const action = defineAction<Record<string, never>>();
const definition = (procedure: string, extensions: boolean, reasons: boolean) =>
  defineProcedure<Record<string, never>, Record<string, never>>()({
    procedure,
    version: 1,
    title: 'Built-in actions test',
    titleZh: '测试',
    basis: ['test'],
    validFrom: '2022-07-01',
    variants: { standard: { label: 'Standard', labelZh: '测试', basis: 'test' } },
    defaultVariant: 'standard',
    filing: z.object({}).strict(),
    clocks: {
      reply: {
        label: 'Written reply',
        labelZh: '书面答复',
        basis: 'Art. 30 ¶1',
        kind: 'legal',
        period: { workingDays: 10 },
        suspensionReasons: ['expert-opinion'],
        extension: { basis: 'Art. 30 ¶3', maxWorkingDays: 10 },
      },
      notice: { label: 'Notice To The Subject', labelZh: '告知', basis: 'Art. 31', kind: 'legal', period: { workingDays: 5 } },
    },
    actions: {
      answer: action({ label: 'Answer', labelZh: '测试', basis: 'Art. 30', schema: z.object({}).strict(), apply: (k) => k.complete('reply') }),
    },
    states: { open: { label: 'Open', labelZh: '办理中', actions: ['answer'] } },
    rules: {},
    suspensionReasons: reasons
      ? [
          { code: 'expert-opinion', label: 'Expert opinion', labelZh: '专家意见' },
          { code: 'public-notice', label: 'Public notice', labelZh: '公告' },
        ]
      : [],
    escalation: DEFAULT_ESCALATION,
    extensions: { allowed: extensions, basis: 'Art. 30 ¶3 allows it' },
    initialState: 'open',
    file: (k) => {
      k.start('reply');
      k.start('notice');
      return {};
    },
  });

const def = definition('bi-test', true, true);
const bare = definition('bi-none', false, false);
const filedAt = sh('2026-11-02'); // Monday
const monday = (c?: KernelCase<unknown>) => c ?? file(def, {}, 'standard', filedAt);
const refusal = (d: typeof def, c: KernelCase<unknown>, body: Record<string, unknown>, now: string) => {
  const parsed = parseKernelAction(d, { actor: 'caseworker-1', ...body });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problem));
  return refusalForAction(d, c, parsed.value, now);
};
const lastEvent = (c: KernelCase<unknown>) => c.events[c.events.length - 1];
const EXTENSION_BASIS = 'docs/time-rules.md#extension: only where the procedure definition allows it, by a supervisor, with a reason, before the deadline passes';

describe('what is offered, with which basis', () => {
  it('suspend where reasons are provided and the clock runs; resume only while suspended; extensions while open', () => {
    expect(actionsAllowedIn(def, 'open')).toEqual(['answer', 'suspend', 'extend', 'request-extension', 'approve-extension', 'refuse-extension']);
    expect(actionsAllowedIn(def, 'suspended')).toEqual(['resume', 'extend', 'request-extension', 'approve-extension', 'refuse-extension']);
    expect(actionsAllowedIn(def, 'closed')).toEqual([]);
    expect(actionsAllowedIn(bare, 'open')).toEqual(['answer']);
    expect(actionsAllowedIn(bare, 'suspended')).toEqual(['resume']);
  });

  it('the extension actions cite the kernel rule and the definition’s provision; suspension its own rule', () => {
    for (const name of ['extend', 'request-extension', 'approve-extension', 'refuse-extension']) expect(actionBasis(def, name)).toBe(`${EXTENSION_BASIS}; Art. 30 ¶3 allows it`);
    for (const name of ['suspend', 'resume']) {
      expect(actionBasis(def, name)).toBe('docs/time-rules.md#suspension: a clock stops only for the reasons its article provides (none unless it says so)');
    }
  });

  it('an extension is 1 to 60 working days, with a reason', () => {
    const body = { action: 'extend', deadlineKey: 'reply', reason: 'expert opinion pending' };
    expect(inputProblem(def, { ...body, workingDays: 0 })?.field).toBe('workingDays');
    expect(inputProblem(def, { ...body, workingDays: 61 })?.field).toBe('workingDays');
    expect(inputProblem(def, { ...body, workingDays: 1.5 })?.field).toBe('workingDays');
    expect(inputProblem(def, { ...body, workingDays: 1 })).toBeNull();
    expect(inputProblem(def, { ...body, workingDays: 60 })).toBeNull();
    expect(english(inputProblem(def, { action: 'approve-extension', deadlineKey: 'reply', reason: 'x' }))).toEqual({ field: 'reason', message: 'reason is not a known field' });
    expect(inputProblem(def, { action: 'refuse-extension', deadlineKey: 'reply' })?.field).toBe('reason');
    expect(inputProblem(def, { action: 'suspend', reason: 'x'.repeat(101) })?.field).toBe('reason');
  });
});

describe('suspend and resume (docs/time-rules.md#suspension)', () => {
  const at = sh('2026-11-04');

  it('refuses a reason no running clock honours, an unknown reason, and any reason where none is provided', () => {
    const c = monday();
    expect(refusal(def, c, { action: 'suspend', reason: 'public-notice' }, at)).toMatchObject({
      rule: 'suspension-not-provided',
      message: 'no running clock of this case is suspended for public-notice',
    });
    expect(refusal(def, c, { action: 'suspend', reason: 'holiday' }, at)?.message).toBe('holiday is not a suspension reason of bi-test (expert-opinion, public-notice)');
    const none = file(bare, {}, 'standard', filedAt);
    expect(refusal(bare, none, { action: 'suspend', reason: 'holiday' }, at)?.rule).toBe('suspension-not-provided');
    expect(BUILT_IN.suspend.refuse(bare, none, { reason: 'holiday' } as never, at)).toMatchObject({
      rule: 'suspension-not-provided',
      message: 'holiday is not a suspension reason of bi-none: its articles provide none',
    });
  });

  it('a met clock no longer honours its reason', () => {
    const c = act(def, monday(), { action: 'answer' }, at);
    expect(refusal(def, c, { action: 'suspend', reason: 'expert-opinion' }, at)?.rule).toBe('suspension-not-provided');
  });

  it('stops the clocks that honour the reason, records the suspension and its evidence, and the state it stopped in', () => {
    const c = monday();
    const before = due(c, 'reply');
    act(def, c, { action: 'suspend', reason: 'expert-opinion', evidenceRef: '鉴定委托书 12号' }, at);
    expect(c.suspensions).toEqual([{ from: at, reason: 'expert-opinion', evidenceRef: '鉴定委托书 12号' }]);
    expect([c.state, c.stateBeforeSuspension]).toEqual(['suspended', 'open']);
    expect(lastEvent(c)).toMatchObject({ type: 'clock.suspended', data: { clocks: ['reply'] }, reason: 'expert-opinion' });
    expect(c.deadlines.find((d) => d.key === 'reply')?.previous.at(-1)).toMatchObject({ dueDate: before, changedAt: at, reason: 'clock suspended (expert-opinion)' });
    expect(refusal(def, c, { action: 'suspend', reason: 'expert-opinion' }, at)).toMatchObject({ rule: 'already-suspended', message: 'the clock is already suspended' });
  });

  it('without evidence the suspension records none', () => {
    const c = act(def, monday(), { action: 'suspend', reason: 'expert-opinion' }, at);
    expect(c.suspensions).toEqual([{ from: at, reason: 'expert-opinion' }]);
    expect(Object.keys(c.suspensions[0])).toEqual(['from', 'reason']);
  });

  it('resume: refused unless suspended; restarts the clock, moved by the working days it stood still', () => {
    const c = monday();
    expect(refusal(def, c, { action: 'resume' }, at)).toBeTruthy();
    expect(due(c, 'reply')).toBe('2026-11-16');
    act(def, c, { action: 'suspend', reason: 'expert-opinion' }, at);
    const resumedAt = sh('2026-11-09');
    act(def, c, { action: 'resume' }, resumedAt);
    expect(c.suspensions).toEqual([{ from: at, to: resumedAt, reason: 'expert-opinion' }]);
    expect([c.state, c.stateBeforeSuspension]).toEqual(['open', null]);
    expect(lastEvent(c)).toMatchObject({ type: 'clock.resumed', data: { suspendedFrom: at, recomputed: ['reply'] }, reason: 'expert-opinion' });
    expect(due(c, 'reply')).toBe('2026-11-19');
    expect(c.deadlines.find((d) => d.key === 'reply')?.previous.at(-1)?.reason).toBe('clock resumed after expert-opinion');
    expect(due(c, 'notice')).toBe('2026-11-09');
  });

  it('resume refused with its rule when the clock runs', () => {
    expect(english(BUILT_IN.resume.refuse(def, monday(), {} as never, at))).toEqual({ rule: 'not-suspended', basis: 'docs/time-rules.md#suspension: only a stopped clock can resume', message: 'the clock is not suspended' });
  });
});

describe('extensions (docs/time-rules.md#extension)', () => {
  const at = sh('2026-11-04');
  const ask = (workingDays: number, deadlineKey = 'reply') => ({ action: 'request-extension', deadlineKey, workingDays, reason: 'expert opinion pending' });
  const extend = (workingDays: number, deadlineKey = 'reply') => ({ action: 'extend', deadlineKey, workingDays, reason: 'expert opinion pending' });

  it('refused where the procedure allows none, naming its provision', () => {
    const c = file(bare, {}, 'standard', filedAt);
    expect(refusal(bare, c, extend(1), at)?.rule).toBe('extension-not-allowed');
    for (const name of ['extend', 'request-extension'] as const) {
      expect(english(BUILT_IN[name].refuse(bare, c, { deadlineKey: 'reply', workingDays: 1, reason: 'r' } as never, at))).toEqual({
        rule: 'extension-not-allowed',
        basis: 'docs/time-rules.md#extension; Art. 30 ¶3 allows it',
        message: 'this procedure allows no extension of its deadlines',
      });
    }
  });

  it('refused for an unknown or met deadline, and for a clock no provision allows extending', () => {
    const c = monday();
    expect(refusal(def, c, extend(1, 'nope'), at)).toMatchObject({ rule: 'unknown-deadline', message: 'no open deadline nope' });
    expect(refusal(def, c, extend(1, 'notice'), at)).toMatchObject({ rule: 'extension-not-allowed', message: 'no provision allows extending the notice to the subject (Art. 31)' });
    act(def, c, { action: 'answer' }, at);
    expect(refusal(def, c, extend(1), at)).toMatchObject({ rule: 'unknown-deadline', message: 'no open deadline reply' });
  });

  it('refused from the due instant on (judged when recorded), accepted the millisecond before', () => {
    const c = monday();
    const dueAt = c.deadlines.find((d) => d.key === 'reply')!.dueAt!;
    const justBefore = new Date(Date.parse(dueAt) - 1).toISOString();
    expect(refusal(def, c, extend(1), justBefore)).toBeNull();
    expect(dueAt).toBe('2026-11-16T16:00:00.000Z');
    expect(refusal(def, c, extend(1), dueAt)).toMatchObject({ rule: 'extension-after-deadline', message: 'deadline reply passed at the end of 2026-11-16 (Beijing time)' });
  });

  it('at most the provision’s working days in all, counting what was granted', () => {
    const c = monday();
    expect(refusal(def, c, extend(10), at)).toBeNull();
    expect(refusal(def, c, extend(11), at)).toMatchObject({ rule: 'extension-too-long', message: '11 working day(s) asked: at most 10 in all (Art. 30 ¶3)' });
    act(def, c, extend(4), at);
    expect(refusal(def, c, extend(6), at)).toBeNull();
    expect(refusal(def, c, extend(7), at)).toMatchObject({ rule: 'extension-too-long', message: '7 working day(s) asked after 4 granted: at most 10 in all (Art. 30 ¶3)' });
  });

  it('a grant moves the due date and says from what to what', () => {
    const c = act(def, monday(), extend(4), at);
    expect(due(c, 'reply')).toBe('2026-11-20');
    expect(lastEvent(c)).toMatchObject({
      type: 'deadline.extended',
      data: { deadlineKey: 'reply', workingDays: 4, from: { dueDate: '2026-11-16' }, to: { dueDate: '2026-11-20' } },
      reason: 'expert opinion pending',
    });
  });

  it('asked by a caseworker: recorded as pending, one at a time per deadline', () => {
    const c = act(def, monday(), ask(3), at);
    expect(c.extensionRequests).toEqual([{ deadlineKey: 'reply', workingDays: 3, reason: 'expert opinion pending', requestedAt: at, requestedBy: 'caseworker-1', status: 'pending' }]);
    expect(lastEvent(c)).toMatchObject({ type: 'extension.requested', data: { deadlineKey: 'reply', workingDays: 3, dueAt: c.deadlines[0].dueAt }, reason: 'expert opinion pending' });
    expect(refusal(def, c, ask(2), at)).toMatchObject({ rule: 'extension-request-pending', message: 'an extension of reply is already awaiting a supervisor' });
    expect(refusal(def, c, ask(11), at)?.rule).toBe('extension-too-long');
    expect(due(c, 'reply')).toBe('2026-11-16');
  });

  it('approved: the request is decided, the due date moves, the event names the provision', () => {
    const c = act(def, monday(), ask(3), at);
    const approvedAt = sh('2026-11-05');
    act(def, c, { action: 'approve-extension', deadlineKey: 'reply' }, approvedAt);
    expect(c.extensionRequests[0]).toMatchObject({ status: 'approved', decidedAt: approvedAt, decidedBy: 'caseworker-1' });
    expect(due(c, 'reply')).toBe('2026-11-19');
    expect(lastEvent(c)).toMatchObject({
      type: 'extension.approved',
      data: { deadlineKey: 'reply', workingDays: 3, requestedBy: 'caseworker-1', basis: 'Art. 30 ¶3', from: { dueDate: '2026-11-16' }, to: { dueDate: '2026-11-19' } },
      reason: 'expert opinion pending',
    });
    expect(refusal(def, c, { action: 'approve-extension', deadlineKey: 'reply' }, approvedAt)).toMatchObject({
      rule: 'no-extension-request',
      message: 'no extension of reply is awaiting a decision',
    });
    expect(refusal(def, c, ask(2), approvedAt)).toBeNull();
  });

  it('approval is judged again when decided: not after the deadline passed', () => {
    const c = act(def, monday(), ask(3), at);
    const late = c.deadlines[0].dueAt!;
    expect(refusal(def, c, { action: 'approve-extension', deadlineKey: 'reply' }, late)?.rule).toBe('extension-after-deadline');
  });

  it('refused by a supervisor: recorded with the reason, the due date unchanged; a refused request is no longer pending', () => {
    const c = act(def, monday(), ask(3), at);
    expect(refusal(def, c, { action: 'refuse-extension', deadlineKey: 'notice', reason: 'no' }, at)).toMatchObject({
      rule: 'no-extension-request',
      message: 'no extension of notice is awaiting a decision',
    });
    act(def, c, { action: 'refuse-extension', deadlineKey: 'reply', reason: 'the opinion is not needed' }, at);
    expect(c.extensionRequests[0]).toMatchObject({ status: 'refused', decidedAt: at, decidedBy: 'caseworker-1', refusalReason: 'the opinion is not needed' });
    expect(lastEvent(c)).toMatchObject({ type: 'extension.refused', data: { deadlineKey: 'reply', workingDays: 3, requestedBy: 'caseworker-1' }, reason: 'the opinion is not needed' });
    expect(due(c, 'reply')).toBe('2026-11-16');
    expect(refusal(def, c, { action: 'refuse-extension', deadlineKey: 'reply', reason: 'again' }, at)?.rule).toBe('no-extension-request');
    expect(refusal(def, c, ask(2), at)).toBeNull();
  });

  it('a pending request is one of that deadline, still pending', () => {
    const c = act(def, monday(), ask(3), at);
    expect(pendingRequest(c, 'reply')?.workingDays).toBe(3);
    expect(pendingRequest(c, 'notice')).toBeUndefined();
    c.extensionRequests[0].status = 'approved';
    expect(pendingRequest(c, 'reply')).toBeUndefined();
  });
});
