/**
 * The state graph as the truth: every definition lists, for each state, the actions it allows (and, in the newer
 * versions, where each may lead and which clocks the filing, each action and each automatic step start and stop); the
 * kernel refuses an action a state does not list and fails a step that moves the case somewhere its graph does not
 * declare or starts or stops a clock it does not declare. Pure functions, no Temporal, no database.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { allKernelDefinitions, procedureIds, type AnyKernelProcedure } from '../../procedures';
import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../../procedures/definition';
import { describeProcedures } from '../../src/cases/procedures.service';
import { Calendar } from '../../src/domain/calendar';
import { applyKernelAction, fileKernelCase, parseKernelAction, processDue, refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { CaseOps, KernelCase } from '../../src/domain/kernel/ops';
import { act as harnessAct, file as harnessFile, sh } from './kernel-harness';

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
  variants: { standard: { label: 'Standard', labelZh: '测试', basis: 'test' } },
  defaultVariant: 'standard',
  filing: z.object({}).strict(),
  clocks: {},
  actions: {
    advance: action({ label: 'Advance', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), apply: (k) => k.setState('done') }),
    stray: action({ label: 'Goes where the graph does not say', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), apply: (k) => k.setState('nowhere') }),
    finish: action({ label: 'Finish', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), apply: (k) => k.close('finished') }),
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
  variants: { standard: { label: 'Standard', labelZh: '测试', basis: 'test' } },
  defaultVariant: 'standard',
  filing: z.object({}).strict(),
  clocks: {
    reply: { label: 'Reply', labelZh: '答复', basis: 'test', kind: 'legal', period: { workingDays: 5 } },
    window: { label: 'Window', labelZh: '期间', basis: 'test', kind: 'window', period: { days: 1 }, onDue: 'windowEnded' },
    other: { label: 'Other', labelZh: '其他', basis: 'test', kind: 'legal', period: { workingDays: 5 } },
  },
  startsOnFiling: ['reply'],
  actions: {
    answer: action({ label: 'Answer', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), stops: ['reply'], apply: (k) => k.complete('reply') }),
    'open-window': action({ label: 'Open the window', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), starts: ['window'], apply: (k) => void k.start('window') }),
    'start-other': action({ label: 'Starts a clock it does not declare', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), starts: ['window'], apply: (k) => void k.start('other') }),
    'drop-reply': action({ label: 'Stops a clock it does not declare', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), apply: (k) => k.cancel((d) => d.clock === 'reply') }),
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
        answer: action({ label: 'Answer', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), stops: ['windows'], apply: (k) => k.complete('reply') }),
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

// ---------------------------------------------------------------- the newest versions, driven through the kernel

/**
 * A case taken through a procedure: each step at 10:00 (Asia/Shanghai) on its day, after what fell due by then; `ends`
 * is where it ends (a state, or closed with its outcome) and `visits` states it passes through on the way.
 */
interface Tour {
  variant?: string;
  filing: unknown;
  steps: [day: string, body: Record<string, unknown> | 'wait'][];
  ends: string;
  visits?: string[];
}
const LISTING = '5b0f1c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const RATED = { compound: { name: '江北花园', occupiedSince: '2020-03-01' }, evaluator: { name: 'A' } };
const DECLARED: Tour['steps'][number] = ['2026-09-22', { action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 'no ties' }];
const EVIDENCE = { evidenceRef: 'DOC-1' };

const TOURS: Record<string, Tour[]> = {
  'credit-complaint': [
    { ends: 'closed (replied)', filing: {}, steps: [['2026-09-22', { action: 'accept', nonPublicCollector: true, collector: { name: '某征信公司' } }], ['2026-09-29', { action: 'reply', result: '已核查处理' }]] },
    { ends: 'closed (not-accepted)', filing: {}, steps: [['2026-09-22', { action: 'refuse-acceptance', reasons: '不属于非公共信用信息采集单位' }]] },
  ],
  'information-correction': [
    { ends: 'closed (corrected)', filing: {}, steps: [['2026-09-22', { action: 'correct', description: '更正' }], ['2026-09-23', { action: 'push-to-platform', ...EVIDENCE }]] },
    { ends: 'closed (corrected)', variant: 'non-public', filing: {}, steps: [['2026-09-22', { action: 'correct', description: '更正' }]] },
    {
      ends: 'closed (updated)',
      variant: 'basis-changed',
      filing: {},
      steps: [
        ['2026-09-22', { action: 'file-update' }],
        ['2026-09-23', { action: 'record-agency-receipt', agency: 'credit-agency' }],
        ['2026-09-24', { action: 'agency-applied', change: 'revoked' }],
      ],
    },
  ],
  'credit-repair': [
    {
      ends: 'closed (approved)',
      visits: ['repairing'],
      filing: { listingCaseId: LISTING },
      steps: [
        ['2026-09-22', { action: 'accept' }],
        ['2026-09-23', { action: 'decide', outcome: 'approved', authorities: ['市场监管局'] }],
        ['2026-09-24', { action: 'stop-publication', ...EVIDENCE }],
        ['2026-09-24', { action: 'notify-subject', ...EVIDENCE }],
        ['2026-09-28', { action: 'confirm-restriction-ended', authority: '市场监管局' }],
      ],
    },
    { ends: 'closed (not-accepted)', filing: { listingCaseId: LISTING }, steps: [['2026-09-22', { action: 'refuse-acceptance', reasons: '未纠正失信行为' }]] },
    { ends: 'closed (rejected)', filing: { listingCaseId: LISTING }, steps: [['2026-09-22', { action: 'accept' }], ['2026-09-23', { action: 'decide', outcome: 'rejected', reasons: '不符合修复条件' }]] },
  ],
  'dishonesty-listing': [
    {
      ends: 'closed (removed)',
      visits: ['listed'],
      filing: {},
      steps: [
        ['2026-09-22', { action: 'record-statement', kind: 'statement', text: '陈述' }],
        ['2026-09-23', { action: 'decide', period: { years: 1 }, reasons: '理由', basis: '依据', removalConditions: '移出条件' }],
        ['2026-09-24', { action: 'notify-subject', ...EVIDENCE }],
        ['2026-09-28', { action: 'remove', reasons: '决定撤销', ground: 'revoked' }],
      ],
    },
    { ends: 'closed (not-listed)', filing: {}, steps: [['2026-09-22', { action: 'not-listed', reasons: '不符合认定条件' }]] },
    { ends: 'closed (period-ended)', filing: {}, steps: [['2026-09-22', { action: 'decide', period: { months: 1 }, reasons: '理由', basis: '依据', removalConditions: '移出条件' }], ['2026-11-02', 'wait']] },
  ],
  'commitment-verification': [
    {
      ends: 'closed (penalised)',
      visits: ['verifying', 'breached', 'rectifying', 'rectification-check', 'rectification-failed'],
      filing: { licence: { number: 'L-1' }, materialsDue: { items: ['营业执照'], period: { workingDays: 5 } } },
      steps: [
        ['2026-09-22', { action: 'materials-supplied', conforming: true }],
        ['2026-09-23', { action: 'verify', outcome: 'false', findings: '现场核查不符' }],
        ['2026-09-24', { action: 'order-rectification', period: { days: 10 }, requirements: '整改要求' }],
        ['2026-10-12', { action: 'rectification-result', compliant: false, findings: '逾期未整改' }],
        ['2026-10-13', { action: 'sanction', measure: 'penalty', decisionRef: 'D-1' }],
      ],
    },
    {
      ends: 'closed (guided)',
      visits: ['materials-lapsed'],
      filing: { licence: { number: 'L-2' }, materialsDue: { items: ['营业执照'], period: { workingDays: 2 } } },
      steps: [
        ['2026-09-29', { action: 'verify', outcome: 'not-kept', findings: '未按承诺补正材料' }],
        ['2026-09-30', { action: 'guidance', note: '已当面指导' }],
      ],
    },
    { ends: 'closed (kept)', filing: { licence: { number: 'L-3', decidedAt: '2026-09-21' } }, steps: [['2026-10-12', { action: 'verify', outcome: 'kept', findings: '符合承诺' }]] },
    {
      ends: 'closed (rectified)',
      filing: { licence: { number: 'L-4', decidedAt: '2026-09-21' } },
      steps: [
        ['2026-09-22', { action: 'verify', outcome: 'false', findings: '虚假承诺' }],
        ['2026-09-23', { action: 'order-rectification', period: { months: 1 }, requirements: '整改要求' }],
        ['2026-09-29', { action: 'rectification-result', compliant: true, findings: '已整改' }],
      ],
    },
  ],
  'objection-review': [
    {
      ends: 'closed (upheld)',
      visits: ['under-review', 'correcting'],
      filing: { grounds: ['error'], reasons: '记录与原始文书不符' },
      steps: [
        ['2026-09-21', { action: 'mark-disputed' }],
        ['2026-09-22', { action: 'request-assistance', units: [{ unitId: 'unit-b' }] }],
        ['2026-09-22', { action: 'record-notice-receipt', unitId: 'unit-b' }],
        ['2026-09-23', { action: 'record-assistance-reply', unitId: 'unit-b', result: '核查属实' }],
        ['2026-09-24', { action: 'decide', outcome: 'upheld', downstreamSystems: ['sys-1'] }],
        ['2026-09-24', { action: 'send-correction', systems: ['sys-2'] }],
        ['2026-09-28', { action: 'record-correction-receipt', system: 'sys-1' }],
        ['2026-09-29', { action: 'confirm-correction', system: 'sys-1' }],
        ['2026-09-29', { action: 'confirm-correction', system: 'sys-2' }],
        ['2026-09-29', { action: 'correct-record', ...EVIDENCE }],
        ['2026-09-30', { action: 'notify-applicant', ...EVIDENCE }],
      ],
    },
    { ends: 'closed (referred)', filing: { grounds: ['error'], reasons: '理由' }, steps: [['2026-09-22', { action: 'refer', competentUnit: '市信用办' }]] },
    {
      ends: 'closed (rejected)',
      filing: { grounds: ['omission'], reasons: '理由' },
      steps: [
        ['2026-09-21', { action: 'request-assistance', units: [{ unitId: 'unit-c' }] }],
        ['2026-09-22', { action: 'mark-disputed' }],
        ['2026-09-23', { action: 'decide', outcome: 'rejected', reasons: '记录无误' }],
        ['2026-09-24', { action: 'record-assistance-reply', unitId: 'unit-c', result: '核查无误' }],
      ],
    },
    {
      ends: 'closed (upheld)',
      visits: ['correcting'],
      variant: 'serious-dishonesty-list',
      filing: { grounds: ['infringement'], reasons: '理由', listingCaseId: LISTING },
      steps: [
        ['2026-09-21', { action: 'record-statement', kind: 'defence', text: '申辩' }],
        ['2026-09-22', { action: 'decide', outcome: 'upheld', departments: ['市场监管局'] }],
        ['2026-09-23', { action: 'confirm-measure-ended', department: '市场监管局' }],
        ['2026-09-24', { action: 'notify-applicant', ...EVIDENCE }],
      ],
    },
  ],
  'property-rating': [
    {
      // A rating re-scored on an objection, held by a late one, in effect, reviewed in its second year.
      ends: 'effective',
      visits: ['publicity', 'objections-pending', 'review-publicity'],
      filing: RATED,
      steps: [
        DECLARED,
        ['2026-09-23', { action: 'recuse', evaluator: 'B', statement: '存有利害关系' }],
        ['2026-09-24', { action: 'publish', score: 92 }],
        ['2026-09-28', { action: 'owner-objection', objection: '保洁不到位' }],
        ['2026-09-29', { action: 'decide-objection', number: 1, upheld: true, score: 91 }],
        ['2026-10-13', { action: 'owner-objection', objection: '电梯常坏', occurredAt: sh('2026-10-08', '20:00') }],
        ['2026-10-14', { action: 'decide-objection', number: 1, upheld: false, reasons: '电梯已检验合格' }],
        ['2026-10-15', { action: 'issue-nameplate' }],
        ['2027-10-12', { action: 'review', score: 95 }],
        ['2027-10-13', { action: 'review-objection', objection: '复核有误' }],
        ['2027-10-14', { action: 'decide-objection', number: 1, upheld: false, reasons: '复核无误' }],
        ['2027-10-25', 'wait'],
      ],
    },
    {
      // Non-compliant, rectified, non-compliant again: the owners' assembly is told.
      ends: 'closed (owners-assembly-notified)',
      visits: ['non-compliant', 'rectification', 're-evaluation', 'publicity', 'owners-assembly-notice'],
      filing: RATED,
      steps: [
        DECLARED,
        ['2026-09-24', { action: 'publish', score: 40 }],
        ['2026-10-13', { action: 'order-rectification', period: { days: 30 } }],
        ['2026-11-16', { action: 'publish', score: 40 }],
        ['2026-12-01', { action: 'notify-owners-assembly' }],
      ],
    },
    { ends: 'closed (revoked)', visits: ['effective'], filing: RATED, steps: [DECLARED, ['2026-09-24', { action: 'publish', score: 92 }], ['2026-10-13', { action: 'revoke', reason: 'major-safety-accident', findings: '重大安全责任事故' }]] },
    {
      // A one-star rating whose rectification outlives it: the expiry ends it.
      ends: 'closed (expired)',
      visits: ['effective'],
      filing: RATED,
      steps: [DECLARED, ['2026-09-24', { action: 'publish', score: 75 }], ['2028-09-01', { action: 'order-rectification', period: { months: 3 } }], ['2028-10-12', 'wait']],
    },
  ],
};

const NEWEST = procedureIds.map((p) => allKernelDefinitions().find((d) => d.procedure === p)!);
const running = (d: KernelCase<unknown>['deadlines'][number]) => ['running', 'suspended', 'overdue'].includes(d.status) && !d.completedAt;

/** What one step did to the case: the state it moved from and to, the clocks it started and stopped. */
function observe(c: Readonly<KernelCase<unknown>>, run: () => void) {
  const existed = new Set(c.deadlines.map((d) => d.key));
  const wasRunning = new Set(c.deadlines.filter(running).map((d) => d.key));
  const from = c.stateBeforeSuspension ?? c.state;
  run();
  const fresh = c.deadlines.filter((d) => !existed.has(d.key));
  return {
    from,
    to: c.stateBeforeSuspension ?? c.state,
    started: [...new Set(fresh.map((d) => d.clock))],
    stopped: [...new Set(c.deadlines.filter((d) => (wasRunning.has(d.key) || !existed.has(d.key)) && !running(d)).map((d) => d.clock))],
  };
}
const undeclared = (seen: string[], declared: readonly string[] | undefined) => seen.filter((clock) => !declared?.includes(clock));

/** Drives the tours of one definition; the automatic steps are watched as they run. Returns the actions and steps taken. */
function drive(def: AnyKernelProcedure, tours: Tour[]) {
  const taken = new Set<string>();
  const watched: AnyKernelProcedure = {
    ...def,
    steps: Object.fromEntries(
      Object.entries(def.steps ?? {}).map(([name, step]) => [
        name,
        (k: CaseOps<unknown>) => {
          const seen = observe(k.c, () => step(k));
          taken.add(`step ${name}`);
          const declared = def.stepClocks?.[name];
          expect({ step: name, started: undeclared(seen.started, declared?.starts), stopped: undeclared(seen.stopped, declared?.stops) }).toEqual({ step: name, started: [], stopped: [] });
        },
      ]),
    ),
  };
  for (const tour of tours) {
    const c = harnessFile(watched, tour.filing, tour.variant);
    const visited = new Set([c.state]);
    expect({ variant: tour.variant, filing: undeclared(c.deadlines.map((d) => d.clock), def.startsOnFiling) }).toEqual({ variant: tour.variant, filing: [] });
    for (const [day, body] of tour.steps) {
      const now = sh(day);
      processDue(watched, calendar, c, now);
      visited.add(c.state);
      if (body === 'wait') continue;
      const action = body.action as string;
      const seen = observe(c, () => harnessAct(watched, c, body, now));
      taken.add(action);
      const declared = def.actions[action];
      const moved = seen.to === seen.from || (def.states[seen.from]?.next?.[action] ?? []).includes(seen.to);
      expect({ action, from: seen.from, to: seen.to, moved, started: undeclared(seen.started, declared.starts), stopped: undeclared(seen.stopped, declared.stops) }).toEqual({
        action,
        from: seen.from,
        to: seen.to,
        moved: true,
        started: [],
        stopped: [],
      });
      visited.add(c.state);
    }
    const where = c.state === 'closed' ? `closed (${c.outcome})` : c.state;
    expect({ variant: tour.variant, ends: where, missed: (tour.visits ?? []).filter((state) => !visited.has(state)) }).toEqual({ variant: tour.variant, ends: tour.ends, missed: [] });
  }
  return taken;
}

describe('the newest version of every procedure declares its graph and its clocks', () => {
  it.each(NEWEST.map((d) => [`${d.procedure} v${d.version}`, d] as const))('%s: every state declares where its actions lead; the filing declares its clocks', (_name, def) => {
    expect(Object.entries(def.states).filter(([, s]) => !s.next).map(([state]) => state)).toEqual([]);
    expect(def.startsOnFiling).toBeDefined();
    const lists = [
      def.startsOnFiling!,
      ...Object.values(def.actions).flatMap((a) => [a.starts ?? [], a.stops ?? []]),
      ...Object.values(def.stepClocks ?? {}).flatMap((x) => [x?.starts ?? [], x?.stops ?? []]),
    ];
    for (const list of lists) expect(list).toEqual([...new Set(list)]);
  });

  it.each(NEWEST.map((d) => [`${d.procedure} v${d.version}`, d] as const))(
    '%s: driven through every action and automatic step, each moves only where its state says and starts and stops only the clocks it declares',
    (_name, def) => {
      const taken = drive(def, TOURS[def.procedure] ?? []);
      const every = [...Object.keys(def.actions), ...Object.keys(def.steps ?? {}).map((step) => `step ${step}`)];
      expect(every.filter((x) => !taken.has(x))).toEqual([]);
    },
  );
});
