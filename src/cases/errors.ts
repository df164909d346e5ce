import type { InputProblem, Refusal } from '../domain/case-model';
import type { Said } from '../domain/said';

/** An error whose message the API answers in the caller's language: `message` is the English, `messageZh` the Chinese. */
abstract class SaidError extends Error {
  readonly messageZh: string;
  constructor(said: Said) {
    super(said.en);
    this.messageZh = said.zh;
  }
}

/** Domain outcomes the API maps to HTTP statuses (one exception filter does it). */
export class BadInputError extends Error {
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}
export class CaseNotFoundError extends SaidError {
  constructor(
    readonly caseId: string,
    why?: Said,
  ) {
    super({ en: `case ${caseId} does not exist${why ? ` (${why.en})` : ''}`, zh: `案件 ${caseId} 不存在${why ? `（${why.zh}）` : ''}` });
  }
}
export class DuplicateCaseError extends SaidError {
  constructor(readonly existing: unknown) {
    super({ en: 'a case with this idempotencyKey already exists', zh: '已有使用此 idempotencyKey 的案件' });
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
export class UnauthenticatedError extends SaidError {}
/** Authenticated, but the user's role does not allow the act (403); `rule` names what refused it. */
export class ForbiddenError extends SaidError {
  constructor(
    said: Said,
    readonly rule = 'role',
  ) {
    super(said);
  }
}
/** Something other than a case that does not exist for this user (404). */
export class NotFoundError extends SaidError {}
/**
 * A dependency (Temporal, PostgreSQL) did not answer within the request's deadline, or could not be reached (503 with
 * Retry-After). What was asked may still happen: a retry with the same idempotency key gets the first answer.
 */
export class DependencyUnavailableError extends SaidError {
  constructor(
    readonly dependency: 'Temporal' | 'PostgreSQL',
    said: Said,
    readonly retryAfterSeconds = 5,
  ) {
    super(said);
  }
}
