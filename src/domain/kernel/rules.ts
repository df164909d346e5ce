import type { Refusal } from '../case-model';
import type { KernelProcedure } from './definition';
import type { RuleHit } from './ops';
import type { Said } from '../said';

/* eslint-disable @typescript-eslint/no-explicit-any -- the kernel runs every procedure's data without knowing its shape */
type AnyProcedure = KernelProcedure<any, any>;

export const KERNEL_RULES = {
  caseClosed: { id: 'case-closed', basis: 'A closed case accepts no further actions' },
  actionTime: { id: 'action-time', basis: 'An action cannot be dated in the future or before the previous step of the case' },
  suspensionNotProvided: {
    id: 'suspension-not-provided',
    basis: 'docs/time-rules.md#suspension: a clock is suspended only for the reasons its article provides (none unless it says so)',
  },
  alreadySuspended: { id: 'already-suspended', basis: 'docs/time-rules.md#suspension: the clock is already stopped' },
  notSuspended: { id: 'not-suspended', basis: 'docs/time-rules.md#suspension: only a stopped clock can resume' },
  extensionNotAllowed: { id: 'extension-not-allowed', basis: 'docs/time-rules.md#extension: only where the procedure definition allows it' },
  extensionAfterDeadline: {
    id: 'extension-after-deadline',
    basis: 'docs/time-rules.md#extension: an extension is granted before the deadline passes (judged when it is recorded, not on a backdated occurredAt)',
  },
  extensionTooLong: { id: 'extension-too-long', basis: 'docs/time-rules.md#extension: no longer in all than the provision allowing the extension permits' },
  noExtensionRequest: { id: 'no-extension-request', basis: 'docs/time-rules.md#extension: a supervisor approves or refuses an extension the caseworker asked for' },
  extensionRequestPending: { id: 'extension-request-pending', basis: 'docs/time-rules.md#extension: one request per deadline is decided before another is made' },
  extensionNeedsSupervisor: {
    id: 'extension-needs-supervisor',
    basis: 'docs/time-rules.md#extension: an extension is granted by a supervisor (of the owning unit or a unit above it) or an administrator',
    forbidden: true,
  },
  notAParty: {
    id: 'not-a-party',
    basis: 'A user of an involved unit records only the steps of its own unit (its receipt, its reply); the owning unit takes the others',
    forbidden: true,
  },
  unknownDeadline: { id: 'unknown-deadline', basis: 'Only an open deadline of the case can be extended' },
  windowClosed: { id: 'window-closed', basis: 'The action is accepted only when it happened (occurredAt) while its window ran' },
  notInState: { id: 'action-not-in-state', basis: "The procedure's state graph: each state allows the actions its definition lists (GET /procedures, states)" },
} as const;


export function ruleRefusal(def: AnyProcedure, hit: RuleHit): Refusal {
  const r = def.rules[hit.rule];
  if (!r) throw new Error(`${def.procedure} v${def.version} has no rule ${hit.rule}`);
  return { rule: r.id, basis: r.basis, message: hit.message, messageZh: hit.messageZh };
}

export function kernelRefusal(rule: keyof typeof KERNEL_RULES, said: Said, basis?: string): Refusal {
  const r: { id: string; basis: string; forbidden?: true } = KERNEL_RULES[rule];
  return { rule: r.id, basis: basis ?? r.basis, message: said.en, messageZh: said.zh, ...(r.forbidden ? { forbidden: true } : {}) };
}

