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
import { applyKernelAction, fileKernelCase, parseKernelAction, refusalForAction } from '../../src/domain/kernel/case-kernel';

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
});
