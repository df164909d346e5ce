import type { InputProblem, Refusal } from '../domain/case-model';

/** Domain outcomes the API maps to HTTP statuses (one exception filter does it). */
export class BadInputError extends Error {
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}
export class CaseNotFoundError extends Error {
  constructor(
    readonly caseId: string,
    why?: string,
  ) {
    super(`case ${caseId} does not exist${why ? ` (${why})` : ''}`);
  }
}
export class DuplicateCaseError extends Error {
  constructor(readonly existing: unknown) {
    super('a case with this idempotencyKey already exists');
  }
}
export class ActionRefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}
/** An accepted action failed inside the workflow (a fault, not a refusal by law); the case is unchanged. */
export class ActionFailedError extends Error {}
/** No or no valid bearer token (401). */
export class UnauthenticatedError extends Error {}
/** Authenticated, but the user's role does not allow the act (403); `rule` names what refused it. */
export class ForbiddenError extends Error {
  constructor(
    message: string,
    readonly rule = 'role',
  ) {
    super(message);
  }
}
/** Something other than a case that does not exist for this user (404). */
export class NotFoundError extends Error {}
/**
 * A dependency (Temporal, PostgreSQL) did not answer within the request's deadline, or could not be reached (503 with
 * Retry-After). What was asked may still happen: a retry with the same idempotency key gets the first answer.
 */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: 'Temporal' | 'PostgreSQL',
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
  }
}
