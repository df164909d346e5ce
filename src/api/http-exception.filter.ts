import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { isGrpcServiceError } from '@temporalio/client';
import type { Request, Response } from 'express';
import { Language, languageOfRequest } from './language';
import { describeError, log } from '../observability/logger';
import { countRefusal } from '../observability/metrics';
import { ActionFailedError, ActionRefusedError, BadInputError, CaseNotFoundError, DependencyUnavailableError, DuplicateCaseError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../cases/errors';

/** The one place that turns domain and Temporal outcomes into HTTP statuses. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    // The request-deadline backstop answered already: what comes late is logged, never a second answer.
    if (res.headersSent) {
      log().warn({ err: describeError(error) }, 'a request failed after its answer was sent (REQUEST_TIMEOUT_MS passed); nothing more is sent');
      return;
    }
    const language = languageOfRequest(host.switchToHttp().getRequest<Request>());
    // A refusal sent by a worker of an earlier build has no Chinese text: its English is better than nothing.
    const say = (x: { message: string; messageZh?: string }) => (language === 'en' ? x.message : (x.messageZh ?? x.message));
    if (error instanceof BadInputError) {
      res.status(400).json({ statusCode: 400, error: 'Bad Request', field: error.problem.field, message: say(error.problem) });
    } else if (error instanceof CaseNotFoundError || error instanceof NotFoundError) {
      res.status(404).json({ statusCode: 404, error: 'Not Found', message: say(error) });
    } else if (error instanceof DuplicateCaseError) {
      res.status(409).json({ statusCode: 409, error: 'Conflict', message: say(error), case: error.existing });
    } else if (error instanceof UnauthenticatedError) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="legal-deadlines"');
      res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: say(error) });
    } else if (error instanceof ForbiddenError) {
      res.status(403).json({ statusCode: 403, error: 'Forbidden', rule: error.rule, message: say(error) });
    } else if (error instanceof ActionRefusedError && error.refusal.forbidden) {
      countRefusal(error.refusal.rule);
      res.status(403).json({ statusCode: 403, error: 'Forbidden', rule: error.refusal.rule, basis: error.refusal.basis, message: say(error.refusal) });
    } else if (error instanceof ActionRefusedError) {
      countRefusal(error.refusal.rule);
      res.status(422).json({ statusCode: 422, error: 'Unprocessable Entity', rule: error.refusal.rule, basis: error.refusal.basis, message: say(error.refusal) });
    } else if (error instanceof ActionFailedError) {
      // The message quotes what the rule read (possibly the subject): the log keeps what failed, not what it said.
      log().error({ err: describeError(error) }, 'an accepted action failed inside the workflow; the case is unchanged');
      res.status(500).json({ statusCode: 500, error: 'Internal Server Error', message: language === 'en' ? `${error.message}; the case is unchanged` : `${error.message}；案件未改变` });
    } else if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      res.status(status).json(typeof body === 'string' ? { statusCode: status, message: body } : body);
    } else if (isUnavailable(error)) {
      log().error({ err: describeError(error) }, 'a dependency failed while answering the request');
      unavailable(res, error, language);
    } else {
      // A defect, not an outage: retrying would meet it again. The id ties the answer to its log line.
      const errorId = randomUUID();
      log().error({ err: describeError(error), errorId }, 'an unexpected error answered 500');
      res.status(500).json({ statusCode: 500, error: 'Internal Server Error', errorId, message: language === 'en' ? `an unexpected error occurred; it is logged as ${errorId}` : `发生意外错误，已记入日志，编号 ${errorId}` });
    }
  }
}

const RETRY_SAFE = 'retrying is safe: a filing repeated with the same idempotencyKey, or an action with the same Idempotency-Key header, gets the first answer and never a second case or step';
const RETRY_SAFE_ZH = '可以安全重试：以相同 idempotencyKey 重复立案，或以相同 Idempotency-Key 请求头重复操作，得到的是第一次的答复，绝不会产生第二个案件或步骤';
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Timeouts of PostgreSQL: statement_timeout (server side), and the client's own (pg's query_timeout, and
 * connectionTimeoutMillis for the pool wait and a new connection's startup handshake) that also end when the server hangs.
 */
const isPostgresTimeout = (error: unknown) =>
  error instanceof Error &&
  /canceling statement due to statement timeout|timeout exceeded when trying to connect|connection timeout|Query read timeout/i.test(`${error.message} ${String(error.cause ?? '')}`);

/** Error codes of a dependency that is down, unreachable, overloaded or restarting: the request may succeed later. */
const UNAVAILABLE_CODES = new Set([
  // Node sockets
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  // Prisma: cannot reach / timed out / closed connection / pool timeout / write conflict / too many connections
  'P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034', 'P2037',
  // PostgreSQL SQLSTATE: shutting down, starting up, too many connections, out of resources, serialization, deadlock
  '57P01', '57P02', '57P03', '53300', '53000', '53100', '53200', '40001', '40P01',
]);
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionWriteConflict', 'TlsConnectionError']);
/** gRPC statuses of Temporal meaning "not now": DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE. */
const UNAVAILABLE_GRPC = new Set([4, 8, 14]);
const UNAVAILABLE_MESSAGE = /Can't reach database server|Connection terminated|connection (?:error|closed|refused|timeout)|Client has encountered a connection error|the database system is (?:starting up|shutting down|in recovery mode)|terminating connection|server closed the connection/i;

/**
 * A dependency that did not answer, could not be reached or is restarting (503: retrying is safe), as opposed to a
 * defect (500). Looks through the error's causes, where Prisma and the Temporal client keep the original failure.
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError || isPostgresTimeout(error)) return true;
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, kind, name, message } = e as { code?: unknown; kind?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (isGrpcServiceError(e) && UNAVAILABLE_GRPC.has(e.code)) return true;
    if (typeof kind === 'string' && UNAVAILABLE_KINDS.has(kind)) return true;
    if (name === 'PrismaClientInitializationError' || (e as object).constructor?.name === 'PrismaClientInitializationError') return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    if (typeof (e as { originalCode?: unknown }).originalCode === 'string' && UNAVAILABLE_CODES.has((e as { originalCode: string }).originalCode)) return true;
  }
  return false;
}

/** 503 with Retry-After for a dependency that failed to answer: the client may come back. */
export function unavailable(res: Response, error: unknown, language: Language): void {
  const known = error instanceof DependencyUnavailableError ? error : isPostgresTimeout(error) ? new DependencyUnavailableError('PostgreSQL', { en: 'PostgreSQL did not answer in time (REQUEST_TIMEOUT_MS)', zh: 'PostgreSQL 未在时限内应答（REQUEST_TIMEOUT_MS）' }) : undefined;
  res.setHeader('Retry-After', String(known?.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS));
  res.status(503).json({
    statusCode: 503,
    error: 'Service Unavailable',
    ...(known ? { dependency: known.dependency } : {}),
    message:
      language === 'en'
        ? `${known ? known.message : 'the request could not be completed (a dependency failed)'}; ${RETRY_SAFE}`
        : `${known ? known.messageZh : '请求未能完成（所依赖的服务出错）'}；${RETRY_SAFE_ZH}`,
  });
}
