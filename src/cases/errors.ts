import type { InputProblem, Refusal } from '../domain/case-model';

/** Domain outcomes the API maps to HTTP statuses (one exception filter does it). */
export class BadInputError extends Error {
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}
export class CaseNotFoundError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} does not exist`);
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
