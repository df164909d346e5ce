import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { describeError, log } from '../observability/logger';
import { countRefusal } from '../observability/metrics';
import { ActionFailedError, ActionRefusedError, BadInputError, CaseNotFoundError, DependencyUnavailableError, DuplicateCaseError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../cases/errors';

/** The one place that turns domain and Temporal outcomes into HTTP statuses. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof BadInputError) {
      res.status(400).json({ statusCode: 400, error: 'Bad Request', field: error.problem.field, message: error.problem.message });
    } else if (error instanceof CaseNotFoundError || error instanceof NotFoundError) {
      res.status(404).json({ statusCode: 404, error: 'Not Found', message: error.message });
    } else if (error instanceof DuplicateCaseError) {
      res.status(409).json({ statusCode: 409, error: 'Conflict', message: error.message, case: error.existing });
    } else if (error instanceof UnauthenticatedError) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="legal-deadlines"');
      res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: error.message });
    } else if (error instanceof ForbiddenError) {
      res.status(403).json({ statusCode: 403, error: 'Forbidden', rule: error.rule, message: error.message });
    } else if (error instanceof ActionRefusedError && error.refusal.forbidden) {
      countRefusal(error.refusal.rule);
      res.status(403).json({ statusCode: 403, error: 'Forbidden', rule: error.refusal.rule, basis: error.refusal.basis, message: error.refusal.message });
    } else if (error instanceof ActionRefusedError) {
      countRefusal(error.refusal.rule);
      res.status(422).json({ statusCode: 422, error: 'Unprocessable Entity', rule: error.refusal.rule, basis: error.refusal.basis, message: error.refusal.message });
    } else if (error instanceof ActionFailedError) {
      // The message quotes what the rule read (possibly the subject): the log keeps what failed, not what it said.
      log().error({ err: describeError(error) }, 'an accepted action failed inside the workflow; the case is unchanged');
      res.status(500).json({ statusCode: 500, error: 'Internal Server Error', message: `${error.message}; the case is unchanged` });
    } else if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      res.status(status).json(typeof body === 'string' ? { statusCode: status, message: body } : body);
    } else {
      log().error({ err: describeError(error) }, 'a dependency failed while answering the request');
      unavailable(res, error);
    }
  }
}

const RETRY_SAFE = 'retrying is safe: a filing repeated with the same idempotencyKey, or an action with the same Idempotency-Key header, gets the first answer and never a second case or step';
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** Statement and pool-wait timeouts of PostgreSQL (statement_timeout, connectionTimeoutMillis of the pool). */
const isPostgresTimeout = (error: unknown) =>
  error instanceof Error && /canceling statement due to statement timeout|timeout exceeded when trying to connect|connection timeout/i.test(`${error.message} ${String(error.cause ?? '')}`);

/** 503 with Retry-After for every failure of a dependency, known or not: the client may always come back. */
function unavailable(res: Response, error: unknown): void {
  const known = error instanceof DependencyUnavailableError ? error : isPostgresTimeout(error) ? new DependencyUnavailableError('PostgreSQL', 'PostgreSQL did not answer in time (REQUEST_TIMEOUT_MS)') : undefined;
  res.setHeader('Retry-After', String(known?.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS));
  res.status(503).json({
    statusCode: 503,
    error: 'Service Unavailable',
    ...(known ? { dependency: known.dependency } : {}),
    message: `${known ? known.message : 'the request could not be completed (a dependency failed)'}; ${RETRY_SAFE}`,
  });
}
