import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarSeed } from '../../src/domain/calendar';
import type { KernelFiling } from '../../src/domain/kernel/case-kernel';
import type { Actor, IncomingEffect, KernelCase } from '../../src/domain/kernel/ops';

export { CASE_TASK_QUEUE_DEFAULT, caseWorkflowId, READ_MODEL_REFUSED } from '../../src/domain/shared-names';

/** Failure types the API maps to HTTP: an action the law or the state forbids, or malformed input. */
export const ACTION_REFUSED = 'ActionRefused';
export const INVALID_ACTION = 'InvalidAction';
/** A procedure's rule failed while applying an accepted action: the case is left as it was. */
export const ACTION_FAILED = 'ActionFailed';

export interface ActionResult {
  caseId: string;
  revision: number;
  state: string;
  /** The action was sent before with the same Idempotency-Key: this is its first answer. */
  repeated?: boolean;
}

/** The filing of a case under the kernel, plus what keeps the workflow deterministic. */
export interface CaseWorkflowInput extends KernelFiling {
  calendar: CalendarSeed;
  /** Continue-as-new: the case so far, and how many of its audit events the read model already holds. */
  resume?: { case: KernelCase; persistedEvents: number };
  /** Continue as new after this many history events instead of 5,000 (tests exercise the hand-over with a small one). */
  limits?: { historyEvents?: number };
}

/**
 * `actor`: the authenticated user and its access to the case, as the API computed it; the body carries no actor then.
 * Absent in histories recorded before authentication.
 */
export interface RecordActionArgs {
  body: unknown;
  idempotencyKey?: string;
  actor?: Actor;
  /**
   * With idempotencyKey: a hash of the body, computed by the API (workflow code has no crypto). The key's receipt
   * keeps it with the actor, so the same key with another body or from another user is refused, not answered.
   * Absent in histories recorded before it.
   */
  bodyHash?: string;
}

/** The refusal of an Idempotency-Key sent again with another body, or by another user (HTTP 422). */
export const IDEMPOTENCY_KEY_REUSED = 'idempotency-key-reused';

export const recordActionUpdate = defineUpdate<ActionResult, [RecordActionArgs]>('recordAction');
export const getKernelCaseQuery = defineQuery<KernelCase>('getKernelCase');

/** An administrator loaded a new calendar year: provisional deadlines are recomputed. */
export const calendarUpdatedSignal = defineSignal<[CalendarSeed]>('calendarUpdated');

/** Another case's effect on this one (an upheld Art. 35 objection or an approved repair ending a listing). */
export const crossCaseEffectSignal = defineSignal<[IncomingEffect]>('crossCaseEffect');
