import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ActionFailedError, ActionRefusedError, BadInputError, CaseNotFoundError, DuplicateCaseError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../cases/errors';

/** The one place that turns domain and Temporal outcomes into HTTP statuses. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

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
      res.status(403).json({ statusCode: 403, error: 'Forbidden', rule: error.refusal.rule, basis: error.refusal.basis, message: error.refusal.message });
    } else if (error instanceof ActionRefusedError) {
      res.status(422).json({ statusCode: 422, error: 'Unprocessable Entity', rule: error.refusal.rule, basis: error.refusal.basis, message: error.refusal.message });
    } else if (error instanceof ActionFailedError) {
      this.logger.error(error.message);
      res.status(500).json({ statusCode: 500, error: 'Internal Server Error', message: `${error.message}; the case is unchanged` });
    } else if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      res.status(status).json(typeof body === 'string' ? { statusCode: status, message: body } : body);
    } else {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      res.status(503).json({ statusCode: 503, error: 'Service Unavailable', message: 'the request could not be completed (a dependency failed); retrying is safe: a repeated start with the same idempotencyKey never creates a second case' });
    }
  }
}
