import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { map, type Observable } from 'rxjs';
import { outcomeText, suspensionReasonText } from '../cases/labels';
import type { Language } from '../domain/said';
import { languageOfRequest } from './language';

type Labelled = { procedure?: unknown; definitionVersion?: unknown; outcome?: unknown; events?: unknown };
const SUSPENSION_EVENTS = new Set(['clock.suspended', 'clock.resumed']);

/**
 * The outcome of a case and the reason of a suspension, as codes (`outcome`, `events[].reason`) and as text in the
 * caller's language (`outcomeText`, `events[].reasonText`), on every case the cases endpoints answer with.
 */
@Injectable()
export class CaseLabelsInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const language = languageOfRequest(ctx.switchToHttp().getRequest<Request>());
    return next.handle().pipe(map((body: unknown) => labelled(body, language)));
  }
}

function labelled(body: unknown, language: Language): unknown {
  if (!body || typeof body !== 'object') return body;
  const b = body as { items?: unknown };
  if (Array.isArray(b.items)) return { ...b, items: b.items.map((item: unknown) => labelCase(item, language)) };
  return labelCase(body, language);
}

function labelCase(value: unknown, language: Language): unknown {
  const c = value as Labelled;
  if (!c || typeof c !== 'object' || typeof c.procedure !== 'string' || !('outcome' in c)) return value;
  const procedure = c.procedure;
  const events = Array.isArray(c.events)
    ? c.events.map((e: { type?: string; reason?: string | null }) =>
        e && SUSPENSION_EVENTS.has(e.type ?? '') && e.reason && typeof c.definitionVersion === 'number'
          ? { ...e, reasonText: suspensionReasonText(procedure, c.definitionVersion, e.reason, language) }
          : e,
      )
    : undefined;
  return {
    ...c,
    outcomeText: typeof c.outcome === 'string' ? outcomeText(procedure, c.outcome, language) : null,
    ...(events ? { events } : {}),
  };
}
