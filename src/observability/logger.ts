import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';

/** What every log line written while serving a request carries. Identifiers only: never names, ID numbers or bodies. */
export interface RequestContext {
  requestId: string;
  caseId?: string;
  userId?: string;
  /** Fills caseId and userId once routing and authentication have found them. */
  resolve?: (ctx: RequestContext) => void;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** LOG_LEVEL, default info; tests stay quiet unless LOG_LEVEL is given. */
export function logLevelFrom(env: NodeJS.ProcessEnv = process.env): string {
  const level = (env.LOG_LEVEL?.trim() || (env.JEST_WORKER_ID ? 'silent' : 'info')).toLowerCase();
  if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${level}"`);
  return level;
}

/** One JSON line per entry on stdout (or the given destination), with the request's ids mixed in. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? logLevelFrom(),
      base: { service: 'legal-deadlines' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const ctx = requestContext.getStore();
        ctx?.resolve?.(ctx);
        return ctx ? { requestId: ctx.requestId, ...(ctx.caseId ? { caseId: ctx.caseId } : {}), ...(ctx.userId ? { userId: ctx.userId } : {}) } : {};
      },
      // A second line of defence: fields that would hold a subject's identity never reach the output.
      redact: {
        paths: ['subject', '*.subject', 'name', 'idNumber', '*.idNumber', 'subjectName', '*.subjectName', 'subjectIdNumber', '*.subjectIdNumber', 'body', '*.body', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

let current: Logger | undefined;

/** The process's logger. */
export function log(): Logger {
  current ??= createLogger();
  return current;
}

/** Replaces the process's logger (tests capture the stream this way); returns the previous one. */
export function useLogger(logger: Logger): Logger | undefined {
  const previous = current;
  current = logger;
  return previous;
}

/**
 * Describes an error by what it is, never by what it says: messages are often built from input (a PostgreSQL error
 * quotes the row, a rule's error the field it read), so only the class, a code and the stack frames are kept.
 */
export function describeError(error: unknown): { type: string; code?: string | number; causes?: string[]; frames?: string[] } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const causes: string[] = [];
  for (let cause = error.cause, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) causes.push(cause.constructor.name);
  const frames = error.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .map((line) => line.trim());
  return {
    type: error.constructor.name,
    ...(typeof code === 'string' && /^[A-Za-z0-9_.-]{1,32}$/.test(code) ? { code } : typeof code === 'number' ? { code } : {}),
    ...(causes.length ? { causes } : {}),
    ...(frames?.length ? { frames } : {}),
  };
}

/** Nest's own messages (start-up, errors it catches) as JSON lines through the same logger. */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: () => Logger = log) {}

  // Nest's route and module listings are start-up detail, not events.
  log(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, params: unknown[]) {
    const context = typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    if (message instanceof Error) {
      this.logger()[level]({ context, err: describeError(message) }, `${context ?? 'nest'}: ${message.constructor.name}`);
      return;
    }
    // A stack passed by Nest starts with the error's message: only its frames are kept.
    const stack = level === 'error' && typeof params[0] === 'string' && params.length > 1 ? params[0] : undefined;
    const frames = stack?.split('\n').filter((line) => /^\s+at /.test(line)).map((line) => line.trim()).slice(0, 8);
    this.logger()[level]({ context, ...(frames?.length ? { frames } : {}) }, typeof message === 'string' ? message : JSON.stringify(message));
  }
}
