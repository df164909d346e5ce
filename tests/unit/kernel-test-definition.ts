/**
 * A small definition for the kernel's own unit specs (kernel-ops, kernel-deadlines, kernel-escalation): a clock of each
 * kind, an action whose effect each test scripts, a window action, a state graph, automatic steps. Pure functions only.
 */
import { z } from 'zod';
import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../../procedures/definition';
import { fileKernelCase, type KernelFiling } from '../../src/domain/kernel/case-kernel';
import { Ops } from '../../src/domain/kernel/case-ops';
import type { CaseOps, KernelCase } from '../../src/domain/kernel/ops';
import { calendar, sh } from './kernel-harness';

export type Data = Record<string, never>;
type Script = (k: CaseOps<Data>) => void;

/** What the filing does (set by each test; reset by `reset`). */
export const hooks: { onFile: Script; scripts: Record<string, Script>; stepsRun: string[] } = { onFile: () => undefined, scripts: {}, stepsRun: [] };
export function reset() {
  hooks.onFile = () => undefined;
  hooks.scripts = {};
  hooks.stepsRun = [];
}

export const UNIT = 'unit-test-office';
const action = defineAction<Data>();

export const def = defineProcedure<Data, Record<string, never>>()({
  procedure: 'kernel-test',
  version: 3,
  title: 'Kernel test',
  titleZh: '测试',
  basis: ['test'],
  validFrom: '2022-07-01',
  variants: { standard: { label: 'Standard', labelZh: '测试', basis: 'test' } },
  defaultVariant: 'standard',
  filing: z.object({}).strict(),
  clocks: {
    reply: { label: 'Reply period', labelZh: '答复期限', basis: 'Art. 1', kind: 'legal', period: { workingDays: 5 }, suspensionReasons: ['expert-opinion'], remindWorkingDaysBefore: [3] },
    second: { label: 'Second period', labelZh: '第二期限', basis: 'Art. 2', kind: 'legal', period: { workingDays: 5 } },
    tied: { label: 'Tied period', labelZh: '期限', basis: 'Art. 2', kind: 'legal', period: { workingDays: 5 }, remindWorkingDaysBefore: [1] },
    guarded: { label: 'Guarded period', labelZh: '期限', basis: 'Art. 2', kind: 'legal', period: { workingDays: 5 }, onDue: 'note' },
    promise: { label: 'Promise', labelZh: '承诺期限', basis: 'Art. 3', kind: 'promised', period: { workingDays: 3 }, policy: 'unit charter' },
    supplement: { label: 'Supplement', labelZh: '补正期限', basis: 'Art. 4', kind: 'subject', period: { days: 10 }, noRestDayRoll: 'a burden on the subject only' },
    listing: { label: 'Listing', labelZh: '公示期', basis: 'Art. 5', kind: 'expiry', period: { days: 30 }, onDue: 'endListing' },
    bare: { label: 'Bare expiry', labelZh: '期满', basis: 'Art. 5', kind: 'expiry', period: { days: 5 } },
    daily: { label: 'Daily', labelZh: '每日', basis: 'Art. 5', kind: 'expiry', period: { days: 1 }, onDue: 'renew' },
    objection: { label: 'Objection Window', labelZh: '异议期', basis: 'Art. 6', kind: 'window', period: { days: 15 }, onDue: 'endWindow' },
    open: { label: 'Open period', labelZh: '期限', basis: 'Art. 7', kind: 'legal' },
  },
  actions: {
    do: action({
      label: 'Do',
      labelZh: '测试',
      basis: 'test',
      schema: z.object({ op: z.string() }).strict(),
      involves: (i) => (i.op === 'involve' ? [UNIT, 'unit-b', 'unit-c', 'unit-b'] : []),
      apply: (k, i) => hooks.scripts[i.op]?.(k),
    }),
    object: action({ label: 'Object', labelZh: '测试', basis: 'Art. 6', schema: z.object({}).strict(), within: 'objection', apply: (k) => k.event('objection.made') }),
    move: action({ label: 'Move', labelZh: '测试', basis: 'test', schema: z.object({ to: z.string() }).strict(), apply: (k, i) => k.setState(i.to) }),
    decide: action({ label: 'Decide', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), apply: (k) => k.close('decided') }),
    remark: action({ label: 'Remark', labelZh: '测试', basis: 'test', schema: z.object({}).strict(), afterClose: true, apply: (k) => k.event('remarked') }),
  },
  states: {
    open: { label: 'Open', labelZh: '办理中', actions: ['do', 'object', 'move', 'decide', 'remark'], next: { move: ['review'], decide: ['closed'] } },
    review: { label: 'Review', labelZh: '复核', actions: [] },
  },
  steps: {
    endListing: (k) => {
      hooks.stepsRun.push('endListing');
      k.event('listing.ended');
    },
    endWindow: () => hooks.stepsRun.push('endWindow'),
    note: () => hooks.stepsRun.push('note'),
    renew: (k) => {
      hooks.stepsRun.push('renew');
      k.start('daily', { key: `daily-${hooks.stepsRun.length}` });
    },
  },
  receives: {
    'end-listing': { refuse: (_c, incoming) => (incoming.effect.reasons === 'no' ? 'refused by the receiver' : null), apply: (k) => k.event('listing.ended-by-effect') },
  },
  rules: {},
  suspensionReasons: [{ code: 'expert-opinion', label: 'Expert opinion', labelZh: '专家意见' }],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: 'no extension' },
  initialState: 'open',
  file: (k) => {
    hooks.onFile(k);
    return {};
  },
});
export type Def = typeof def;

export const RECEIVED = sh('2026-03-02'); // a Monday of an ordinary week
export const SUBJECT = { kind: 'organisation' as const, name: '某某有限公司', idNumber: '91230100MA1BXXXX0X' };
let seq = 0;
export function fileCase(onFile: Script = () => undefined, over: Partial<KernelFiling> = {}, d: typeof def = def, options: { ladder?: boolean } = {}): KernelCase<Data> {
  seq += 1;
  hooks.onFile = onFile;
  return fileKernelCase<Data>(
    d,
    calendar,
    {
      caseId: `kt-${seq}`,
      idempotencyKey: `kt-${seq}`,
      procedure: d.procedure,
      definitionVersion: d.version,
      variant: 'standard',
      unitId: UNIT,
      subject: SUBJECT,
      receivedAt: RECEIVED,
      filedAt: RECEIVED,
      actor: 'caseworker-1',
      filing: {},
      ...over,
    },
    options,
  );
}
export const start =
  (...keys: string[]): Script =>
  (k) => {
    for (const key of keys) k.start(key);
  };
export const opsOf = (c: KernelCase<Data>, at: string, now = at, extra: { evidenceRef?: string; note?: string; unit?: string; actor?: string } = {}) =>
  new Ops<Data>(def, calendar, c, at, now, extra.actor ?? 'caseworker-1', extra.evidenceRef, extra.note, extra.unit);
export const dl = (c: KernelCase<Data>, key: string) => {
  const d = c.deadlines.find((x) => x.key === key);
  if (!d) throw new Error(`no deadline ${key}`);
  return d;
};
export const ms = (iso: string, delta: number) => new Date(new Date(iso).getTime() + delta).toISOString();
