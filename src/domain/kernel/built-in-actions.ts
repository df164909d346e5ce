import type { z as zod } from 'zod';
import { Calendar } from '../calendar';
import type { Refusal } from '../case-model';
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
  if (!def.extensions.allowed) return kernelRefusal('extensionNotAllowed', 'this procedure allows no extension of its deadlines', `docs/time-rules.md#extension; ${def.extensions.basis}`);
  const d = openDeadline(c, key);
  if (!d) return kernelRefusal('unknownDeadline', `no open deadline ${key}`);
  const allowance = def.clocks[d.clock]?.extension;
  if (!allowance) return kernelRefusal('extensionNotAllowed', `no provision allows extending the ${d.label.toLowerCase()} (${d.basis})`);
  if (d.dueAt !== null && now >= d.dueAt) return kernelRefusal('extensionAfterDeadline', `deadline ${d.key} passed at ${d.dueAt}`);
  const granted = grantedWorkingDays(d);
  if (granted + workingDays > allowance.maxWorkingDays) {
    return kernelRefusal(
      'extensionTooLong',
      `${workingDays} working day(s) asked${granted ? ` after ${granted} granted` : ''}: at most ${allowance.maxWorkingDays} in all (${allowance.basis})`,
    );
  }
  return null;
}

// ---------------------------------------------------------------- the kernel's own actions

const extensionInput = () => z.object({ deadlineKey: text(200), workingDays: z.number().int().min(1).max(60), reason: text() }).strict();
type ExtensionInput = zod.infer<ReturnType<typeof extensionInput>>;

/** A built-in action: one record with its schema, basis, refusals and effect, like a procedure's own. */
interface BuiltInAction<I> {
  label: string;
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
    basis: () => SUSPENSION_BASIS,
    schema: lazy(() => z.object({ reason: text(100) }).strict()),
    offeredIn: (def, state) => def.suspensionReasons.length > 0 && state !== 'suspended' && state !== 'closed',
    refuse(def, c, { reason }: { reason: string }) {
      if (c.stateBeforeSuspension !== null) return kernelRefusal('alreadySuspended', 'the clock is already suspended');
      const honouring = c.deadlines.filter((d) => isOpenDeadline(d) && !d.completedAt && d.suspensionReasons.includes(reason));
      if (honouring.length) return null;
      const known = def.suspensionReasons.map((r) => r.code);
      return kernelRefusal(
        'suspensionNotProvided',
        known.includes(reason)
          ? `no running clock of this case is suspended for ${reason}`
          : `${reason} is not a suspension reason of ${def.procedure}${known.length ? ` (${known.join(', ')})` : ': its articles provide none'}`,
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
    basis: () => SUSPENSION_BASIS,
    schema: lazy(() => z.object({}).strict()),
    offeredIn: (_def, state) => state === 'suspended',
    refuse: (_def, c) => (c.stateBeforeSuspension !== null ? null : kernelRefusal('notSuspended', 'the clock is not suspended')),
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
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(extensionInput),
    offeredIn: offersExtensions,
    refuse(def, c, { deadlineKey, workingDays }: ExtensionInput, now) {
      const refusal = refusalForExtension(def, c, deadlineKey, workingDays, now);
      if (refusal) return refusal;
      return pendingRequest(c, deadlineKey) ? kernelRefusal('extensionRequestPending', `an extension of ${deadlineKey} is already awaiting a supervisor`) : null;
    },
    apply({ c, ops, input: { deadlineKey, workingDays, reason }, at, actor }) {
      c.extensionRequests.push({ deadlineKey, workingDays, reason, requestedAt: at, requestedBy: actor, status: 'pending' });
      ops.event('extension.requested', { deadlineKey, workingDays, dueAt: ops.deadline(deadlineKey)!.dueAt }, reason);
    },
  }),
  'approve-extension': builtIn({
    label: 'Approve an extension asked for (supervisor)',
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(() => z.object({ deadlineKey: text(200) }).strict()),
    supervisorOnly: true,
    offeredIn: offersExtensions,
    refuse(def, c, { deadlineKey }: { deadlineKey: string }, now) {
      const request = pendingRequest(c, deadlineKey);
      if (!request) return kernelRefusal('noExtensionRequest', `no extension of ${deadlineKey} is awaiting a decision`);
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
    basis: (def) => `${EXTENSION_BASIS}; ${def.extensions.basis}`,
    schema: lazy(() => z.object({ deadlineKey: text(200), reason: text() }).strict()),
    supervisorOnly: true,
    offeredIn: offersExtensions,
    refuse: (_def, c, { deadlineKey }: { deadlineKey: string; reason: string }) =>
      pendingRequest(c, deadlineKey) ? null : kernelRefusal('noExtensionRequest', `no extension of ${deadlineKey} is awaiting a decision`),
    apply({ c, ops, input: { deadlineKey, reason }, at, actor }) {
      const request = pendingRequest(c, deadlineKey)!;
      Object.assign(request, { status: 'refused', decidedAt: at, decidedBy: actor, refusalReason: reason });
      ops.event('extension.refused', { deadlineKey, workingDays: request.workingDays, requestedBy: request.requestedBy }, reason);
    },
  }),
};

