import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarSeed } from '../../src/domain/calendar';
import type { FileObjectionInput, ObjectionCase } from '../../src/domain/objection-review';

export const CASE_TASK_QUEUE_DEFAULT = 'legal-deadlines';

export function caseWorkflowId(caseId: string): string {
  return `case-${caseId}`;
}

/** The filing, plus what the workflow needs to be deterministic: the definition version and the calendar. */
export interface ObjectionReviewInput extends FileObjectionInput {
  definitionVersion: number;
  /** The holiday notices for the years the case can reach, as loaded when it was filed. */
  calendar: CalendarSeed;
}

/** Failure types the API maps to HTTP: an action the law or the state forbids, or malformed input. */
export const ACTION_REFUSED = 'ActionRefused';
export const INVALID_ACTION = 'InvalidAction';

export interface ActionResult {
  caseId: string;
  revision: number;
  state: ObjectionCase['state'];
}

/** The body of POST /cases/{id}/actions, checked again inside the workflow. */
export const performActionUpdate = defineUpdate<ActionResult, [unknown]>('performAction');
/** An administrator loaded a new calendar year: provisional deadlines are recomputed. */
export const calendarUpdatedSignal = defineSignal<[CalendarSeed]>('calendarUpdated');
export const getCaseQuery = defineQuery<ObjectionCase>('getCase');
