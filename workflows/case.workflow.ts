import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/case.activities';

import { kernelDefinitionFor } from '../procedures';
import { Calendar, CalendarSeed } from '../src/domain/calendar';
import {
  applyIncomingEffect,
  applyKernelAction,
  applyKernelCalendarLoad,
  fileKernelCase,
  isKernelFinished,
  nextKernelWakeUp,
  parseKernelAction,
  processDue,
  recordEffectDelivery,
  refusalForAction,
  upgradeKernelCase,
} from '../src/domain/kernel/case-kernel';
import type { KernelCase } from '../src/domain/kernel/ops';
import { millisUntil, workflowNow } from './clock';
import {
  ACTION_REFUSED,
  ActionResult,
  CaseWorkflowInput,
  calendarUpdatedSignal,
  caseWorkflowId,
  crossCaseEffectSignal,
  getKernelCaseQuery,
  ACTION_FAILED,
  INVALID_ACTION,
  READ_MODEL_REFUSED,
  recordActionUpdate,
  RecordActionArgs,
  IDEMPOTENCY_KEY_REUSED,
} from './contracts/case.contract';
import type { ActionReceipt } from '../src/domain/kernel/ops';

const { persistKernelCase } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
/**
 * The filing's and each deadline step's write, tried once inside the workflow task that reached it (decision 0029):
 * one workflow task per step instead of two and an activity task, and the snapshot stays out of the history. Bounded
 * well below the task's timeout, so the task is never kept open by heartbeats (an update taken meanwhile could
 * interleave differently on replay); if it fails or runs out of time, the activity task above writes it with retries.
 */
const { persistKernelCase: persistKernelCaseInTask } = proxyLocalActivities<ReturnType<typeof createActivities>>({
  scheduleToCloseTimeout: '3 seconds',
  retry: { maximumAttempts: 1 },
});

/** Kept answers to actions sent with an Idempotency-Key: enough for any client's retries, bounded for history size. */
const MAX_RECEIPTS = 200;
/** Continue-as-new well below Temporal's limits (50k events / 50 MB), also when the server does not suggest it. */
const MAX_HISTORY_EVENTS = 5_000;
const MAX_HISTORY_BYTES = 8 * 1024 * 1024;

/** One workflow type for every procedure: the definition named in the input drives it. */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<ActionResult> {
  const def = kernelDefinitionFor(input.procedure, input.definitionVersion);
  if (!def) throw ApplicationFailure.nonRetryable(`unknown definition ${input.procedure} v${input.definitionVersion}`, 'UnknownDefinition');
  let seed: CalendarSeed = input.calendar;
  let calendar = Calendar.fromSeed(seed);
  // The escalation ladder adds timers: cases filed before it keep their timers (the flag travels with the case).
  const ladder = patched('escalation-ladder');
  const c: KernelCase = input.resume ? upgradeKernelCase(input.resume.case) : fileKernelCase(def, calendar, input, { ladder });
  // Every escalation level already passed fires, late, instead of only the latest step reached. It changes what a
  // wake-up records (and whether it persists), so histories recorded before it replay without it; asked at each step
  // (not in validators, which issue no commands), so a running case takes it up at its next step after an upgrade.
  let everyLevel = false;
  const due = () => {
    everyLevel ||= patched('ladder-every-level');
    return { everyLevel };
  };
  let persistedEvents = input.resume?.persistedEvents ?? 0;
  let changes = 0;
  // Cases recorded before decision 0029 replay their activity tasks; the first step after an upgrade switches them.
  let writeInTask = false;

  // Only the audit events not yet written travel to the activity: a long case does not repeat its trail in history.
  const persist = async ({ inTask = false } = {}) => {
    c.revision += 1;
    const snapshot = copyOf({ ...c, events: c.events.slice(persistedEvents) });
    try {
      if (!(inTask && (await writtenInTask(snapshot)))) await persistKernelCase({ snapshot });
      persistedEvents = c.events.length;
    } catch (error) {
      // PostgreSQL refused the data itself: retrying for ever would wedge the case. The deadlines keep running here,
      // the read model keeps its last good revision, and the failure stands in the history and the worker's log.
      if (!(error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === READ_MODEL_REFUSED)) throw error;
      log.error('read model refused a case snapshot', { caseId: c.caseId, revision: c.revision, failureType: error.cause.type });
    }
  };
  const result = (): ActionResult => ({ caseId: c.caseId, revision: c.revision, state: c.state });
  // Only when no handler is running: nothing else can issue commands while the write is awaited, so a replay, which
  // learns the write's outcome sooner, issues them in the same order.
  const writtenInTask = async (snapshot: KernelCase): Promise<boolean> => {
    if (!allHandlersFinished()) return false;
    writeInTask ||= patched('step-write-in-task');
    if (!writeInTask) return false;
    try {
      await persistKernelCaseInTask({ snapshot });
      return true;
    } catch (error) {
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === READ_MODEL_REFUSED) throw error;
      return false;
    }
  };

  // Effects on other cases go out after the step that caused them is persisted, once each; a case that is gone or
  // closed is recorded as undeliverable (its own record says why) and the sender carries on.
  const deliverEffects = async () => {
    const pending = (c.outgoing ?? []).filter((o) => o.status === 'pending');
    if (!pending.length) return;
    for (const out of pending) {
      let delivered = true;
      try {
        await getExternalWorkflowHandle(caseWorkflowId(out.effect.listingCaseId)).signal(crossCaseEffectSignal, {
          id: out.id,
          effect: out.effect,
          fromCaseId: c.caseId,
          fromProcedure: c.procedure,
          at: out.at,
        });
      } catch (error) {
        log.warn('a cross-case effect could not be delivered', { caseId: c.caseId, effect: out.id, errorType: error instanceof Error ? error.name : typeof error });
        delivered = false;
      }
      recordEffectDelivery(c, out.id, delivered, workflowNow());
    }
    changes += 1;
    await persist();
  };

  setHandler(getKernelCaseQuery, () => c);

  setHandler(
    recordActionUpdate,
    async ({ body, idempotencyKey, actor, bodyHash }): Promise<ActionResult> => {
      const receipt = idempotencyKey ? c.actionReceipts.find((r) => r.key === idempotencyKey) : undefined;
      if (receipt) {
        refuseReusedKey(receipt, { body, idempotencyKey, actor, bodyHash });
        return { caseId: c.caseId, revision: receipt.revision, state: receipt.state, repeated: true };
      }
      const parsed = parseKernelAction(def, body, actor);
      if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.problem.message, INVALID_ACTION, parsed.problem);
      const now = workflowNow();
      // What was due before the action is recorded before it: a red already earned is never skipped.
      processDue(def, calendar, c, now, due());
      const refusal = refusalForAction(def, c, parsed.value, now);
      if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, ACTION_REFUSED, refusal);
      // Applied to a copy first: a fault in a procedure's rule answers this request and leaves the case as it was,
      // instead of failing the workflow task again and again.
      const draft = copyOf(c);
      try {
        applyKernelAction(def, calendar, draft, parsed.value, now);
        processDue(def, calendar, draft, now, { everyLevel });
      } catch (error) {
        // The log names what failed, not what it said: a rule's error may quote the subject.
        log.error('an action could not be applied', { caseId: c.caseId, action: parsed.value.action, errorType: error instanceof Error ? error.name : typeof error });
        throw ApplicationFailure.nonRetryable(`${parsed.value.action} could not be applied: ${String(error)}`, ACTION_FAILED);
      }
      Object.assign(c, draft);
      changes += 1;
      if (idempotencyKey) {
        // Kept before the write: a retry arriving while this one is being persisted gets this answer, not a second step.
        c.actionReceipts.push({
          key: idempotencyKey,
          action: parsed.value.action,
          revision: c.revision + 1,
          state: c.state,
          // Only when the API sent a hash: receipts of histories recorded before it stay as they were.
          ...(bodyHash !== undefined ? { bodyHash, actor: actor?.id } : {}),
        });
        if (c.actionReceipts.length > MAX_RECEIPTS) c.actionReceipts.shift();
      }
      await persist();
      await deliverEffects();
      return result();
    },
    {
      validator: ({ body, idempotencyKey, actor, bodyHash }) => {
        const receipt = idempotencyKey ? c.actionReceipts.find((r) => r.key === idempotencyKey) : undefined;
        if (receipt) return refuseReusedKey(receipt, { body, idempotencyKey, actor, bodyHash });
        const parsed = parseKernelAction(def, body, actor);
        if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.problem.message, INVALID_ACTION, parsed.problem);
        // Judged on the case as it stands once what is due now has happened (a window that just ended, a step it ran).
        const now = workflowNow();
        const probe = copyOf(c);
        processDue(def, calendar, probe, now, { everyLevel });
        const refusal = refusalForAction(def, probe, parsed.value, now);
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, ACTION_REFUSED, refusal);
      },
    },
  );

  setHandler(crossCaseEffectSignal, async (incoming) => {
    const now = workflowNow();
    processDue(def, calendar, c, now, { everyLevel });
    applyIncomingEffect(def, calendar, c, incoming, now);
    changes += 1;
    await persist();
    await deliverEffects();
  });

  setHandler(calendarUpdatedSignal, async (newSeed) => {
    seed = newSeed;
    calendar = Calendar.fromSeed(seed);
    applyKernelCalendarLoad(def, calendar, c, workflowNow());
    changes += 1;
    await persist();
  });

  processDue(def, calendar, c, workflowNow(), due());
  // An update that came with the first task has already started its handler here (the SDK runs updates before the
  // workflow function), so the filing is written in the task only when none did.
  await persist({ inTask: true });

  while (!isKernelFinished(c, workflowNow())) {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.limits?.historyEvents ?? MAX_HISTORY_EVENTS) || info.historySize > MAX_HISTORY_BYTES) {
      await condition(allHandlersFinished);
      log.info('continuing as new', { caseId: c.caseId, historyLength: info.historyLength, historySize: info.historySize });
      await continueAsNew<typeof caseWorkflow>({ ...input, calendar: seed, resume: { case: c, persistedEvents } });
    }
    const seen = changes;
    const next = nextKernelWakeUp(c, workflowNow());
    if (next === null) await condition(() => changes !== seen);
    else await condition(() => changes !== seen, millisUntil(next));
    if (processDue(def, calendar, c, workflowNow(), due())) await persist({ inTask: true });
  }
  await condition(allHandlersFinished);
  return result();
}

/**
 * An Idempotency-Key names one request: sent again with another body, or by another user, it is refused (422) rather
 * than answered with someone else's result. Receipts kept before the API sent hashes cannot tell, and answer.
 */
function refuseReusedKey(receipt: ActionReceipt, args: RecordActionArgs): void {
  if (receipt.bodyHash === undefined || args.bodyHash === undefined) return;
  const otherUser = receipt.actor !== args.actor?.id;
  if (!otherUser && receipt.bodyHash === args.bodyHash) return;
  const refusal = {
    rule: IDEMPOTENCY_KEY_REUSED,
    basis: 'An Idempotency-Key names one request: a retry repeats its body, from the same user',
    message: otherUser
      ? `Idempotency-Key ${args.idempotencyKey} was used by another user on this case; send a new key`
      : `Idempotency-Key ${args.idempotencyKey} was used with another body (${receipt.action}); send a new key for a new request`,
    messageZh: otherUser
      ? `Idempotency-Key ${args.idempotencyKey} 已被其他用户用于本案；请使用新的键`
      : `Idempotency-Key ${args.idempotencyKey} 已用于另一个请求体（${receipt.action}）；新请求请使用新的键`,
  };
  throw ApplicationFailure.nonRetryable(refusal.message, ACTION_REFUSED, refusal);
}

const copyOf = (c: KernelCase): KernelCase => JSON.parse(JSON.stringify(c)) as KernelCase;
