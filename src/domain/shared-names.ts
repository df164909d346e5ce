// Names the workflow side and the service side both use: one small module both import, so that the database and
// configuration layers never import workflow code.

export const CASE_TASK_QUEUE_DEFAULT = 'legal-deadlines';

/** The workflow id of a case: its business key, so a second start of the same case is refused (409). */
export function caseWorkflowId(caseId: string): string {
  return `case-${caseId}`;
}

/** A snapshot PostgreSQL refuses as data: retrying cannot help, so the activity does not retry it. */
export const READ_MODEL_REFUSED = 'ReadModelRefused';
