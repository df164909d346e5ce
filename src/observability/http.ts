import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { log, requestContext, RequestContext } from './logger';
import { httpRequestDuration } from './metrics';

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const CASE_ROUTE = /^\/cases\/:id(\/|$)/;

/** A caller's X-Request-Id when it is short and plain (it lands in logs), otherwise a new one. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The route pattern the request matched (`/cases/:id/actions`), never the raw URL with its ids and query. */
export function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` || '/' : 'unmatched';
}

// The Swagger UI loads its scripts and styles from /docs and styles itself inline; everything else answers JSON.
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'";

function securityHeaders(req: Request, res: Response): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  const docs = req.path === '/docs' || req.path.startsWith('/docs/');
  res.setHeader('Content-Security-Policy', docs ? DOCS_CSP : API_CSP);
  if (!docs) res.setHeader('Cache-Control', 'no-store');
  // Only a client that reached us over TLS (through the proxy in front) may be told to insist on it.
  if (req.secure || String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() === 'https') {
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  }
}

/** Request id, security headers, one access-log line and one latency observation per request. Installed first. */
export function installHttpObservability(app: INestApplication): void {
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const ctx: RequestContext = {
      requestId: requestIdFor(req.headers['x-request-id']),
      resolve: (c) => {
        const id = (req.params as Record<string, unknown> | undefined)?.id;
        if (!c.caseId && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && CASE_ROUTE.test(routeOf(req))) c.caseId = id;
        const userId = (req as Request & { user?: { id?: unknown } }).user?.id;
        if (typeof userId === 'string') c.userId = userId;
      },
    };
    res.setHeader('X-Request-Id', ctx.requestId);
    securityHeaders(req, res);
    // A filing has no case id in its route; its answer (the case, or the existing one on 409) names it.
    const json = res.json.bind(res);
    res.json = (body?: unknown) => {
      if (!ctx.caseId && req.method === 'POST' && routeOf(req) === '/cases') ctx.caseId = filedCaseId(body);
      return json(body);
    };
    res.on('finish', () => {
      const route = routeOf(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpRequestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      requestContext.run(ctx, () =>
        log().info({ method: req.method, route, status: res.statusCode, durationMs: Math.round(seconds * 1e4) / 10 }, 'request'),
      );
    });
    requestContext.run(ctx, next);
  });
}

function filedCaseId(body: unknown): string | undefined {
  const b = body as { id?: unknown; case?: { id?: unknown } } | undefined;
  const id = typeof b?.id === 'string' ? b.id : b?.case?.id;
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : undefined;
}
