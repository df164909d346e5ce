/**
 * The state graph as the truth: every definition lists, for each state, the actions it allows (and, in the newer
 * versions, where each may lead); the kernel refuses an action a state does not list and fails a step that moves the
 * case somewhere its graph does not declare. Pure functions, no Temporal, no database.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { allKernelDefinitions } from '../../procedures';
import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../../procedures/definition';
import { describeProcedures } from '../../src/cases/procedures.service';
import { Calendar } from '../../src/domain/calendar';
import { applyKernelAction, fileKernelCase, parseKernelAction, processDue, refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';

const calendar = Calendar.fromSeed(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')));
const at = '2026-09-29T02:00:00.000Z';

const action = defineAction<Record<string, never>>();
const graph = defineProcedure<Record<string, never>, Record<string, never>>()({
  procedure: 'graph-test',
  version: 1,
  title: 'Graph test',
  titleZh: '测试',
  basis: ['test'],
  validFrom: '2022-07-01',
  variants: { standard: { label: 'Standard', basis: 'test' } },
  defaultVariant: 'standard',
  filing: z.object({}).strict(),
  clocks: {},
  actions: {
    advance: action({ label: 'Advance', basis: 'test', schema: z.object({}).strict(), apply: (k) => k.setState('done') }),
    stray: action({ label: 'Goes where the graph does not say', basis: 'test', schema: z.object({}).strict(), apply: (k) => k.setState('nowhere') }),
    finish: action({ label: 'Finish', basis: 'test', schema: z.object({}).strict(), apply: (k) => k.close('finished') }),
  },
  states: {
    open: { label: 'Open', labelZh: '办理中', actions: ['advance', 'stray'], next: { advance: ['done'] } },
    done: { label: 'Done', labelZh: '完成', actions: ['finish'], next: { finish: ['closed'] } },
  },
  rules: {},
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: 'test' },
  initialState: 'open',
  file: () => ({}),
});

const file = () =>
  fileKernelCase(graph, calendar, {
    caseId: 'g-1',
    idempotencyKey: 'g-1',
    procedure: graph.procedure,
    definitionVersion: 1,
    variant: 'standard',
    unitId: 'u',
    subject: { kind: 'organisation', name: 'Co', idNumber: '91350100M000100Y43' },
    receivedAt: at,
    filedAt: at,
    actor: 'caseworker',
    filing: {},
  });
const parsed = (body: Record<string, unknown>) => {
  const p = parseKernelAction(graph, body);
  if (!p.ok) throw new Error(JSON.stringify(p.problem));
  return p.value;
};

describe('the kernel holds a case to its state graph', () => {
  it('refuses an action its state does not list, naming the state and what it allows', () => {
    expect(refusalForAction(graph, file(), parsed({ action: 'finish' }), at)).toMatchObject({
      rule: 'action-not-in-state',
      message: 'finish is not allowed in state open; it allows: advance, stray',
    });
  });

  it('applies a declared transition, and fails one the graph does not declare, naming both states', () => {
    const c = file();
    applyKernelAction(graph, calendar, c, parsed({ action: 'advance' }), at);
    expect(c.state).toBe('done');
    applyKernelAction(graph, calendar, c, parsed({ action: 'finish' }), at);
    expect(c).toMatchObject({ state: 'closed', outcome: 'finished' });
    expect(() => applyKernelAction(graph, calendar, file(), parsed({ action: 'stray' }), at)).toThrow('stray moved the case from open to nowhere, which its state graph does not declare');
  });
});

// Clocks declared like the graph: what the filing, each action and each automatic step start and stop.
const timed = defineProcedure<Record<string, never>, Record<string, never>>()({
  procedure: 'timed-test',
  version: 1,
  title: 'Timed test',
  titleZh: '测试',
  basis: ['test'],
  validFrom: '2022-07-01',
  variants: { standard: { label: 'Standard', basis: 'test' } },
  defaultVariant: 'standard',
  filing: z.object({}).strict(),
  clocks: {
    reply: { label: 'Reply', labelZh: '答复', basis: 'test', kind: 'legal', period: { workingDays: 5 } },
    window: { label: 'Window', labelZh: '期间', basis: 'test', kind: 'window', period: { days: 1 }, onDue: 'windowEnded' },
    other: { label: 'Other', labelZh: '其他', basis: 'test', kind: 'legal', period: { workingDays: 5 } },
  },
  startsOnFiling: ['reply'],
  actions: {
    answer: action({ label: 'Answer', basis: 'test', schema: z.object({}).strict(), stops: ['reply'], apply: (k) => k.complete('reply') }),
    'open-window': action({ label: 'Open the window', basis: 'test', schema: z.object({}).strict(), starts: ['window'], apply: (k) => void k.start('window') }),
    'start-other': action({ label: 'Starts a clock it does not declare', basis: 'test', schema: z.object({}).strict(), starts: ['window'], apply: (k) => void k.start('other') }),
    'drop-reply': action({ label: 'Stops a clock it does not declare', basis: 'test', schema: z.object({}).strict(), apply: (k) => k.cancel((d) => d.clock === 'reply') }),
  },
  steps: { windowEnded: (k) => void k.start('other') },
  stepClocks: { windowEnded: { starts: ['other'] } },
  states: { open: { label: 'Open', labelZh: '办理中', actions: ['answer', 'open-window', 'start-other', 'drop-reply'], next: {} } },
  rules: {},
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: 'test' },
  initialState: 'open',
  file: (k) => (k.start('reply'), {}),
});

type Timed = typeof timed;
const fileTimed = (def: Timed = timed) =>
  fileKernelCase(def, calendar, {
    caseId: 't-1',
    idempotencyKey: 't-1',
    procedure: def.procedure,
    definitionVersion: 1,
    variant: 'standard',
    unitId: 'u',
    subject: { kind: 'organisation', name: 'Co', idNumber: '91350100M000100Y43' },
    receivedAt: at,
    filedAt: at,
    actor: 'caseworker',
    filing: {},
  });
const actTimed = (c: KernelCase<unknown>, action: string, def: Timed = timed) => {
  const p = parseKernelAction(def, { action });
  if (!p.ok) throw new Error(JSON.stringify(p.problem));
  applyKernelAction(def, calendar, c, p.value, at);
  return c;
};
const clocksOf = (c: KernelCase<unknown>) => c.deadlines.map((d) => [d.clock, d.status]);

describe('the kernel holds each step to the clocks its definition declares', () => {
  it('accepts a filing, action and automatic step that start and stop what they declare', () => {
    const c = fileTimed();
    expect(clocksOf(c)).toEqual([['reply', 'running']]);
    actTimed(c, 'open-window');
    actTimed(c, 'answer');
    processDue(timed, calendar, c, '2026-10-01T00:00:00.000Z');
    expect(clocksOf(c)).toEqual([
      ['reply', 'met'],
      ['window', 'expired'],
      ['other', 'running'],
    ]);
  });

  it('fails an action that starts or stops a clock it does not declare, naming the action and the clock', () => {
    expect(() => actTimed(fileTimed(), 'start-other')).toThrow('timed-test v1: start-other started other, which its definition does not declare');
    expect(() => actTimed(fileTimed(), 'drop-reply')).toThrow('timed-test v1: drop-reply stopped reply, which its definition does not declare');
  });

  it('fails a filing or an automatic step that starts a clock the definition does not declare', () => {
    expect(() => fileTimed({ ...timed, startsOnFiling: [] })).toThrow('timed-test v1: the filing started reply, which its definition does not declare');
    const undeclaredStep = { ...timed, stepClocks: {} };
    const c = actTimed(fileTimed(), 'open-window');
    expect(() => processDue(undeclaredStep, calendar, c, '2026-10-01T00:00:00.000Z')).toThrow('timed-test v1: step windowEnded started other, which its definition does not declare');
  });

  it('checks nothing in a version that declares no clocks (startsOnFiling absent): its cases run as they always have', () => {
    const undeclared = { ...timed, startsOnFiling: undefined };
    const c = actTimed(actTimed(fileTimed(undeclared), 'start-other', undeclared), 'drop-reply', undeclared);
    expect(clocksOf(c)).toEqual([
      ['reply', 'cancelled'],
      ['other', 'running'],
    ]);
  });

  it('does not compile a clock the definition does not have', () => {
    defineProcedure<Record<string, never>, Record<string, never>>()({
      ...timed,
      // @ts-expect-error -- 'replies' is not a clock of the definition
      startsOnFiling: ['replies'],
    });
    defineProcedure<Record<string, never>, Record<string, never>>()({
      ...timed,
      actions: {
        ...timed.actions,
        // @ts-expect-error -- 'windows' is not a clock of the definition
        answer: action({ label: 'Answer', basis: 'test', schema: z.object({}).strict(), stops: ['windows'], apply: (k) => k.complete('reply') }),
      },
    });
    defineProcedure<Record<string, never>, Record<string, never>>()({
      ...timed,
      // @ts-expect-error -- 'others' is not a clock of the definition
      stepClocks: { windowEnded: { starts: ['others'] } },
    });
  });
});

describe('every published definition', () => {
  it.each(allKernelDefinitions().map((d) => [`${d.procedure} v${d.version}`, d] as const))('%s: its initial state and every listed action exist', (_name, def) => {
    expect(Object.keys(def.states)).toContain(def.initialState);
    for (const [state, s] of Object.entries(def.states)) {
      for (const a of s.actions) expect([state, a, a in def.actions]).toEqual([state, a, true]);
      for (const [a, targets] of Object.entries(s.next ?? {})) {
        expect([state, a, s.actions.includes(a)]).toEqual([state, a, true]);
        for (const t of targets ?? []) expect([state, a, t, t === 'closed' || t in def.states]).toEqual([state, a, t, true]);
      }
    }
  });

  it('GET /procedures shows the graph: states, the actions each allows, and the declared transitions', () => {
    const repair = describeProcedures().items.find((i) => i.procedure === 'credit-repair' && i.version === 2)!;
    expect(repair.states.find((s) => s.state === 'applied')).toMatchObject({
      initial: true,
      actions: ['accept', 'refuse-acceptance'],
      transitions: [
        { action: 'accept', to: ['accepted'] },
        { action: 'refuse-acceptance', to: ['closed'] },
      ],
    });
    expect(repair.states.find((s) => s.state === 'closed')).toMatchObject({ initial: false, actions: [] });
  });

  it('GET /procedures shows the clocks the filing, each action and each automatic step start and stop, where declared', () => {
    const item = (procedure: string, version: number) => describeProcedures().items.find((i) => i.procedure === procedure && i.version === version)!;
    const repair = item('credit-repair', 2);
    expect(repair.states.find((s) => s.state === 'applied')).toMatchObject({
      startsOnFiling: ['acceptance'],
      transitions: [
        { action: 'accept', to: ['accepted'], starts: ['decision'], stops: ['acceptance'] },
        { action: 'refuse-acceptance', to: ['closed'], starts: [], stops: ['acceptance'] },
      ],
    });
    expect(repair.states.find((s) => s.state === 'accepted')).not.toHaveProperty('startsOnFiling');
    expect(repair.actions.find((a) => a.action === 'notify-subject')).toMatchObject({ starts: [], stops: [] });
    // The kernel's own actions start and stop no clock: nothing is said of them.
    expect(repair.actions.find((a) => a.action === 'suspend')).not.toHaveProperty('starts');
    const rating = item('property-rating', 2);
    expect(rating.actions.find((a) => a.action === 'order-rectification')).toMatchObject({ starts: ['rectification'], stops: [] });
    expect(rating.clocks.find((c) => c.key === 'rectification')).toMatchObject({ onDue: { step: 'rectificationEnded', starts: [], stops: [] } });
    expect(rating.clocks.find((c) => c.key === 'publicity')).toMatchObject({ onDue: { step: 'publicityEnded', starts: expect.arrayContaining(['validity', 'nameplate']) } });
    // A version that declares no clocks says nothing of them (not that it starts none).
    const older = item('credit-repair', 1);
    expect(older.actions.find((a) => a.action === 'accept')).not.toHaveProperty('starts');
    expect(older.states.find((s) => s.state === 'applied')).not.toHaveProperty('startsOnFiling');
  });
});
