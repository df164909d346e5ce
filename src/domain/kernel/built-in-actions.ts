import type { z as zod } from 'zod';
import { Calendar } from '../calendar';
import type { Refusal } from '../case-model';
import { untilBeijing } from '../said';
import type { KernelActionName, KernelProcedure } from './definition';
import { extendDeadline, isOpenDeadline, recompute } from './deadlines';
import type { Ops } from './case-ops';
import type { KernelCase, KernelDeadline } from './ops';
import { kernelRefusal } from './rules';
import { lazy, text } from './schema';
import { z } from './zod';

/* eslint-disable @typescript-eslint/no-explicit-any -- the kernel runs every procedure's data without knowing its shape */
type AnyProcedure = KernelProcedure<any, any>;

const openDeadline = (c: KernelCase<unknown>, key: string) => c.deadlines.find((d) => d.key === key && isOpenDeadline(d) && !d.completedAt);
export const pendingRequest = (c: KernelCase<unknown>, key: string) => c.extensionRequests.find((r) => r.deadlineKey === key && r.status === 'pending');
const grantedWorkingDays = (d: KernelDeadline) => d.extensions.reduce((sum, x) => sum + ('workingDays' in x.period ? x.period.workingDays : 0), 0);

/** docs/time-rules.md#extension for a grant of `workingDays` more on deadline `key`, judged at the recording time `now`. */
function refusalForExtension(def: AnyProcedure, c: KernelCase<unknown>, key: string, workingDays: number, now: string): Refusal | null {
  if (!def.extensions.allowed) {
    return kernelRefusal('extensionNotAllowed', { en: 'this procedure allows no extension of its deadlines', zh: '本程序的期限不得延长' }, `docs/time-rules.md#extension; ${def.extensions.basis}`);
  }
  const d = openDeadline(c, key);
  if (!d) return kernelRefusal('unknownDeadline', { en: `no open deadline ${key}`, zh: `没有进行中的期限 ${key}` });
  const allowance = def.clocks[d.clock]?.extension;
  if (!allowance) {
    return kernelRefusal('extensionNotAllowed', { en: `no provision allows extending the ${d.label.toLowerCase()} (${d.basis})`, zh: `没有规定允许延长${d.labelZh}（${d.basis}）` });
  }
  if (d.dueAt !== null && now >= d.dueAt) {
    return kernelRefusal('extensionAfterDeadline', { en: `deadline ${d.key} passed at ${untilBeijing(d.dueAt).en}`, zh: `期限 ${d.key} 已于${untilBeijing(d.dueAt).zh}届满` });
  }
  const granted = grantedWorkingDays(d);
  if (granted + workingDays > allowance.maxWorkingDays) {
    return kernelRefusal('extensionTooLong', {
      en: `${workingDays} working day(s) asked${granted ? ` after ${granted} granted` : ''}: at most ${allowance.maxWorkingDays} in all (${allowance.basis})`,
      zh: `申请延长 ${workingDays} 个工作日${granted ? `（此前已延长 ${granted} 个）` : ''}：合计最多 ${allowance.maxWorkingDays} 个工作日（${allowance.basis}）`,
    });
  }
  return null;
}

// ---------------------------------------------------------------- the kernel's own actions

const deadlineKeyField = () => text(200).meta({ title: '期限编号' });
const extensionInput = () =>
  z
    .object({
      deadlineKey: deadlineKeyField(),
      workingDays: z.number().int().min(1).max(60).meta({ title: '延长工作日数' }),
      reason: text().meta({ title: '延长理由' }),
    })
    .strict();
type ExtensionInput = zod.infer<ReturnType<typeof extensionInput>>;

/** A built-in action: one record with its schema, basis, refusals and effect, like a procedure's own. */
interface BuiltInAction<I> {
  label: string;
  labelZh: string;
  basis: (def: AnyProcedure) => string;
  schema: zod.ZodType<I>;
  /** Only a supervisor of the owning unit or a unit above it, or an administrator. */
  supervisorOnly?: true;
  /** Whether a state offers it (GET /procedures lists it among the state's actions). */
  offeredIn: (def: AnyProcedure, state: string) => boolean;
  refuse: (def: AnyProcedure, c: KernelCase<unknown>, input: I, now: string) => Refusal | null;
  apply: (x: { def: AnyProcedure; calendar: Calendar; c: KernelCase<unknown>; ops: Ops<unknown>; input: I; at: string; actor: string }) => void;
}
const builtIn = <I,>(a: BuiltInAction<I>): BuiltInAction<never> => a as unknown as BuiltInAction<never>;

const SUSPENSION_BASIS = 'docs/time-rules.md#suspension: a clock stops only for the reasons its article provides (none unless it says so)';
const EXTENSION_BASIS = 'docs/time-rules.md#extension: only where the procedure definition allows it, by a supervisor, with a reason, before the deadline passes';
const offersExtensions = (def: AnyProcedure, state: string) => def.extensions.allowed && state !== 'closed';

export const BUILT_IN: Record<KernelActionName, BuiltInAction<never>> = {
  suspend: builtIn({
    label: 'Suspend the clock',
    labelZh: '中止计时',
    basis: () => SUSPENSION_BASIS,
    schema: lazy(() => z.object({ reason: text(100).meta({ title: '中止事由' }) }).strict()),
    offeredIn: (def, state) => def.suspensionReasons.length > 0 && state !== 'suspended' && state !== 'closed',
    refuse(def, c, { reason }: { reason: string }) {
      if (c.stateBeforeSuspension !== null) return kernelRefusal('alreadySuspended', { en: 'the clock is already suspended', zh: '期限已经中止计算' });
      const honouring = c.deadlines.filter((d) => isOpenDeadline(d) && !d.completedAt && d.suspensionReasons.includes(reason));
      if (honouring.length) return null;
      const known = def.suspensionReasons.map((r) => r.code);
      const reasonZh = def.suspensionReasons.find((r) => r.code === reason)?.labelZh;
      return kernelRefusal(
        'suspensionNotProvided',
        known.includes(reason)
          ? { en: `no running clock of this case is suspended for ${reason}`, zh: `本案没有因“${reasonZh}”（${reason}）而中止的进行中期限` }
          : {
              en: `${reason} is not a suspension reason of ${def.procedure}${known.length ? ` (${known.join(', ')})` : ': its articles provide none'}`,
              zh: `${reason} 不是${def.titleZh}的中止事由${known.length ? `（可用：${known.join('、')}）` : '：其条文未规定中止事由'}`,
            },
      );
    },
    apply({ def, calendar, c, ops, input: { reason }, at }) {
      c.suspensions.push({ from: at, reason, ...(ops.evidenceRef ? { evidenceRef: ops.evidenceRef } : {}) });
      c.stateBeforeSuspension = c.state;
      c.state = 'suspended';
      const moved = recompute(def, calendar, c, at, `clock suspended (${reason})`);
      ops.event('clock.suspended', { clocks: moved.map((m) => m.deadlineKey) }, reason);
    },
  }),
  resume: builtIn({
    label: 'Resume the clock',
    labelZh: '恢复计时',
    basis: () => SUSPENSION_BASIS,
    schema: lazy(() => z.object({}).strict()),
    offeredIn: (_def, state) => state === 'suspended',
    refuse: (_def, c) => (c.stateBeforeSuspension !== null ? null : kernelRefusal('notSuspended', { en: 'the clock is not suspended', zh: '期限没有中止' })),
    apply({ def, calendar, c, ops, at }) {
      const open = c.suspensions[c.suspensions.length - 1];
      open.to = at;
      c.state = c.stateBeforeSuspension ?? c.state;
      c.stateBeforeSuspension = null;
      const moved = recompute(def, calendar, c, at, `clock resumed after ${open.reason}`);
      ops.event('clock.resumed', { suspendedFrom: open.from, recomputed: moved.map((m) => m.deadlineKey) }, open.reason);
    },
  }),
  extend: builtIn({
    label: 'Extend a deadline (supervisor)',
    labelZh: '延长期限（主管）',
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(extensionInput),
    supervisorOnly: true,
    offeredIn: offersExtensions,
    refuse: (def, c, { deadlineKey, workingDays }: ExtensionInput, now) => refusalForExtension(def, c, deadlineKey, workingDays, now),
    apply({ def, calendar, c, ops, input: { deadlineKey, workingDays, reason }, at, actor }) {
      const { from, to } = extendDeadline(def, calendar, c, ops.deadline(deadlineKey)!, workingDays, reason, at, actor);
      ops.event('deadline.extended', { deadlineKey, workingDays, from, to }, reason);
    },
  }),
  'request-extension': builtIn({
    label: 'Ask a supervisor to extend a deadline',
    labelZh: '申请延长期限',
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(extensionInput),
    offeredIn: offersExtensions,
    refuse(def, c, { deadlineKey, workingDays }: ExtensionInput, now) {
      const refusal = refusalForExtension(def, c, deadlineKey, workingDays, now);
      if (refusal) return refusal;
      return pendingRequest(c, deadlineKey) ? kernelRefusal('extensionRequestPending', { en: `an extension of ${deadlineKey} is already awaiting a supervisor`, zh: `期限 ${deadlineKey} 的延长申请已在等待主管审批` }) : null;
    },
    apply({ c, ops, input: { deadlineKey, workingDays, reason }, at, actor }) {
      c.extensionRequests.push({ deadlineKey, workingDays, reason, requestedAt: at, requestedBy: actor, status: 'pending' });
      ops.event('extension.requested', { deadlineKey, workingDays, dueAt: ops.deadline(deadlineKey)!.dueAt }, reason);
    },
  }),
  'approve-extension': builtIn({
    label: 'Approve an extension asked for (supervisor)',
    labelZh: '批准延长申请（主管）',
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(() => z.object({ deadlineKey: deadlineKeyField() }).strict()),
    supervisorOnly: true,
    offeredIn: offersExtensions,
    refuse(def, c, { deadlineKey }: { deadlineKey: string }, now) {
      const request = pendingRequest(c, deadlineKey);
      if (!request) return kernelRefusal('noExtensionRequest', { en: `no extension of ${deadlineKey} is awaiting a decision`, zh: `期限 ${deadlineKey} 没有待审批的延长申请` });
      return refusalForExtension(def, c, deadlineKey, request.workingDays, now);
    },
    apply({ def, calendar, c, ops, input: { deadlineKey }, at, actor }) {
      const request = pendingRequest(c, deadlineKey)!;
      Object.assign(request, { status: 'approved', decidedAt: at, decidedBy: actor });
      const d = ops.deadline(deadlineKey)!;
      const { from, to } = extendDeadline(def, calendar, c, d, request.workingDays, request.reason, at, actor);
      const basis = def.clocks[d.clock].extension!.basis;
      ops.event('extension.approved', { deadlineKey, workingDays: request.workingDays, requestedBy: request.requestedBy, basis, from, to }, request.reason);
    },
  }),
  'refuse-extension': builtIn({
    label: 'Refuse an extension asked for (supervisor)',
    labelZh: '驳回延长申请（主管）',
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(() => z.object({ deadlineKey: deadlineKeyField(), reason: text().meta({ title: '不予延长的理由' }) }).strict()),
    supervisorOnly: true,
    offeredIn: offersExtensions,
    refuse: (_def, c, { deadlineKey }: { deadlineKey: string; reason: string }) =>
      pendingRequest(c, deadlineKey) ? null : kernelRefusal('noExtensionRequest', { en: `no extension of ${deadlineKey} is awaiting a decision`, zh: `期限 ${deadlineKey} 没有待审批的延长申请` }),
    apply({ c, ops, input: { deadlineKey, reason }, at, actor }) {
      const request = pendingRequest(c, deadlineKey)!;
      Object.assign(request, { status: 'refused', decidedAt: at, decidedBy: actor, refusalReason: reason });
      ops.event('extension.refused', { deadlineKey, workingDays: request.workingDays, requestedBy: request.requestedBy }, reason);
    },
  }),
};

