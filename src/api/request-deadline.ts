import type { NextFunction, Request, Response } from 'express';
import { DependencyUnavailableError } from '../cases/errors';
import { awaitedDependency, RequestWaits, runWithRequestWaits } from '../infra/request-waits';
import { log } from '../observability/logger';
import { requestDeadlinesTotal } from '../observability/metrics';
import { unavailable } from './http-exception.filter';
import { languageOfRequest } from './language';

/**
 * How long after REQUEST_TIMEOUT_MS the backstop answers: the bounds on each call (Temporal's gRPC deadline, pg's
 * query and connection timeouts) fire first and say what failed; the backstop is for a wait none of them covers.
 */
export const REQUEST_DEADLINE_MARGIN_MS = 500;

/**
 * Every request answers within REQUEST_TIMEOUT_MS plus a margin, whatever it waits on: past it, 503 with Retry-After
 * naming the dependency it was waiting on. The work it started is not cancelled (a filing or action may still land,
 * which retries with the same idempotency key find); its late outcome is logged and never written to the client.
 */
export function requestDeadline(timeoutMs: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const waits: RequestWaits = new Map();
    const started = Date.now();
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      const dependency = awaitedDependency(waits);
      requestDeadlinesTotal.inc({ dependency });
      log().warn({ method: req.method, dependency, waitedMs: Date.now() - started }, 'a request passed REQUEST_TIMEOUT_MS: answered 503, its late outcome will be discarded');
      unavailable(
        res,
        new DependencyUnavailableError(dependency, {
          en: `${dependency} did not answer within ${timeoutMs} ms (REQUEST_TIMEOUT_MS)`,
          zh: `${dependency} 未在 ${timeoutMs} 毫秒内应答（REQUEST_TIMEOUT_MS）`,
        }),
        languageOfRequest(req),
      );
      discardLaterWrites(res);
    }, timeoutMs + REQUEST_DEADLINE_MARGIN_MS);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    runWithRequestWaits(waits, next);
  };
}

/** The handler still holds `res`: whatever it sends once the backstop has answered goes nowhere, and throws nothing. */
function discardLaterWrites(res: Response): void {
  const ignore = () => res;
  Object.assign(res, { status: ignore, set: ignore, header: ignore, setHeader: ignore, json: ignore, send: ignore, sendFile: ignore, end: ignore, writeHead: ignore, write: () => true });
}
