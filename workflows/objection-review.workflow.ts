import { ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities/case.activities';
import { definitionFor } from '../procedures';
import { Calendar } from '../src/domain/calendar';
import {
  applyCalendarLoad,
  applyObjectionAction,
  dueEscalations,
  fileObjectionCase,
  isFinished,
  nextWakeUp,
  ObjectionCase,
  parseObjectionAction,
  recordEscalations,
  refusalFor,
} from '../src/domain/objection-review';
import { millisUntil, workflowNow } from './clock';
import {
  ACTION_REFUSED,
  ActionResult,
  INVALID_ACTION,
  calendarUpdatedSignal,
  getCaseQuery,
  ObjectionReviewInput,
  performActionUpdate,
} from './contracts/case.contract';

const { persistCase } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function objectionReviewWorkflow(input: ObjectionReviewInput): Promise<ActionResult> {
  const def = definitionFor('objection-review', input.definitionVersion);
  if (!def) throw ApplicationFailure.nonRetryable(`unknown definition objection-review v${input.definitionVersion}`, 'UnknownDefinition');
  let calendar = Calendar.fromSeed(input.calendar);
  const c: ObjectionCase = fileObjectionCase(def, calendar, input);
  let changes = 0;

  const persist = async () => {
    c.revision += 1;
    await persistCase({ snapshot: structuredCloneCase(c) });
  };
  const fireDueEscalations = () => {
    const now = workflowNow();
    const due = dueEscalations(c, now);
    if (due.length) recordEscalations(c, due, now);
    return due.length > 0;
  };

  setHandler(getCaseQuery, () => c);

  setHandler(
    performActionUpdate,
    async (body): Promise<ActionResult> => {
      const parsed = parseObjectionAction(body);
      if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.problem.message, INVALID_ACTION, parsed.problem);
      applyObjectionAction(def, calendar, c, parsed.value, workflowNow());
      fireDueEscalations();
      changes += 1;
      await persist();
      return { caseId: c.caseId, revision: c.revision, state: c.state };
    },
    {
      validator: (body) => {
        const parsed = parseObjectionAction(body);
        if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.problem.message, INVALID_ACTION, parsed.problem);
        const refusal = refusalFor(def, c, parsed.value, workflowNow());
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, ACTION_REFUSED, refusal);
      },
    },
  );

  setHandler(calendarUpdatedSignal, async (seed) => {
    calendar = Calendar.fromSeed(seed);
    // A case started before this event existed must rebuild the same audit trail on replay: event ids are sequence numbers.
    applyCalendarLoad(def, calendar, c, workflowNow(), patched('calendar-recompute-audit-event'));
    changes += 1;
    await persist();
  });

  fireDueEscalations();
  await persist();

  while (!isFinished(c)) {
    const seen = changes;
    const next = nextWakeUp(c, workflowNow());
    if (next === null) await condition(() => changes !== seen);
    else await condition(() => changes !== seen, millisUntil(next));
    // Handlers persist their own changes; the loop only writes what the clock caused.
    if (fireDueEscalations()) await persist();
  }
  await condition(allHandlersFinished);
  return { caseId: c.caseId, revision: c.revision, state: c.state };
}

/** Activities receive a copy: the payload is serialised later, after the workflow may have moved on. */
function structuredCloneCase(c: ObjectionCase): ObjectionCase {
  return JSON.parse(JSON.stringify(c)) as ObjectionCase;
}
