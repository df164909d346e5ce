import { Writable } from 'node:stream';
import type { ArgumentsHost } from '@nestjs/common';
import { HttpErrorFilter } from '../../src/api/http-exception.filter';
import { ActionFailedError, DependencyUnavailableError } from '../../src/cases/errors';
import { requestIdFor } from '../../src/observability/http';
import { createLogger, logLevelFrom, NestJsonLogger, requestContext, useLogger } from '../../src/observability/logger';

const NAME = '欧阳娜娜';
const ID_NUMBER = '440106198001011230';

/** Everything written while `fn` runs: the service logger's stream and anything printed to stdout or stderr. */
async function captureLogs(fn: () => unknown): Promise<string[]> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const previous = useLogger(createLogger({ level: 'info', destination: sink }));
  const writes = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write;
    stream.write = ((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    }) as typeof stream.write;
    return () => (stream.write = original);
  });
  try {
    await fn();
    await new Promise((r) => setImmediate(r));
  } finally {
    writes.forEach((restore) => restore());
    if (previous) useLogger(previous);
  }
  return lines;
}

/** The filter's answer to `error` for a caller whose Accept-Language is `acceptLanguage` (English unless told). */
function answer(error: unknown, acceptLanguage = 'en') {
  const res = { statusCode: 0, body: undefined as unknown, headers: {} as Record<string, string> };
  const response = {
    status(code: number) {
      res.statusCode = code;
      return response;
    },
    json(body: unknown) {
      res.body = body;
      return response;
    },
    setHeader(name: string, value: string) {
      res.headers[name] = value;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ headers: { 'accept-language': acceptLanguage } }) }) } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(error, host);
  return res;
}

describe('the error log (defect: an invalid name wrote the full name and ID number into it)', () => {
  // What a dependency says quotes what it was given: PostgreSQL's JSON errors quote the document up to the fault.
  const dependencyError = Object.assign(
    new Error(`unsupported Unicode escape sequence\nDETAIL: \\u0000 cannot be converted to text.\nCONTEXT: JSON data, line 1: {"subject":{"name":"${NAME}\\u0000","idNumber":"${ID_NUMBER}"...`),
    { code: '22P05' },
  );
  const failedAction = new ActionFailedError(`correct could not be applied: TypeError: cannot read "${NAME}" (${ID_NUMBER})`);

  it.each([
    ['a PostgreSQL data error (a defect, not an outage) answered 500', dependencyError, 500],
    ['an action that failed inside the workflow, answered 500', failedAction, 500],
  ])('holds neither the name nor the ID number for %s, but the error class, code and request id', async (_what, error, status) => {
    let res: ReturnType<typeof answer> | undefined;
    const lines = await captureLogs(() => requestContext.run({ requestId: 'req-pii-1', caseId: '00000000-0000-5000-8000-000000000001' }, () => (res = answer(error))));
    expect(res!.statusCode).toBe(status);
    const text = lines.join('\n');
    expect(text).not.toContain(NAME);
    expect(text).not.toContain(ID_NUMBER);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'error', requestId: 'req-pii-1', caseId: '00000000-0000-5000-8000-000000000001', err: { type: (error as Error).constructor.name } });
    if (error === dependencyError) expect(entry.err.code).toBe('22P05');
    expect(entry.err.frames.length).toBeGreaterThan(0);
  });

  it('answers an unknown error 500 with an error id that its log line carries, not 503 "retrying is safe"', async () => {
    let res: ReturnType<typeof answer> | undefined;
    const lines = await captureLogs(() => requestContext.run({ requestId: 'req-500' }, () => (res = answer(new TypeError("Cannot read properties of undefined (reading 'id')")))));
    expect(res!.statusCode).toBe(500);
    expect(res!.headers['Retry-After']).toBeUndefined();
    const body = res!.body as { errorId: string; message: string };
    expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.message).not.toMatch(/retrying is safe/);
    expect(body.message).toContain(body.errorId);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', requestId: 'req-500', errorId: body.errorId, err: { type: 'TypeError' } });
    const zh = answer(new TypeError('x'), 'zh-CN').body as { errorId: string; message: string };
    expect(zh.message).toContain(zh.errorId);
    expect(zh.message).not.toMatch(/可以安全重试/);
  });

  it('answers a dependency that did not answer with its own message, in English or Chinese', () => {
    const error = new DependencyUnavailableError('Temporal', { en: 'Temporal did not answer', zh: 'Temporal 未应答' });
    expect([error.message, error.messageZh]).toEqual(['Temporal did not answer', 'Temporal 未应答']);
    expect(answer(error).body).toMatchObject({ dependency: 'Temporal', message: expect.stringMatching(/^Temporal did not answer; retrying is safe/) });
    expect(answer(error, 'zh-CN').body).toMatchObject({ dependency: 'Temporal', message: expect.stringMatching(/^Temporal 未应答；可以安全重试/) });
  });

  it.each([
    ['a dependency that did not answer in time', new DependencyUnavailableError('Temporal', { en: 'Temporal did not answer', zh: 'Temporal 未应答' })],
    ['PostgreSQL refusing connections', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['Prisma unable to reach the database', Object.assign(new Error('x'), { code: 'P1001' })],
    ['PostgreSQL shutting down (in the cause)', new Error('query failed', { cause: Object.assign(new Error('terminating'), { code: '57P01' }) })],
    ['Temporal unavailable (gRPC 14)', Object.assign(new Error('14 UNAVAILABLE'), { code: 14, details: 'no connection', metadata: {} })],
    ['a statement timeout', new Error('canceling statement due to statement timeout')],
  ])('answers 503 with Retry-After for %s', (_what, error) => {
    const res = answer(error);
    expect(res.statusCode).toBe(503);
    expect(res.headers['Retry-After']).toMatch(/^\d+$/);
    expect((res.body as { message: string }).message).toMatch(/retrying is safe/);
    const zh = answer(error, 'zh-CN');
    expect([zh.statusCode, zh.headers['Retry-After']]).toEqual([503, res.headers['Retry-After']]);
    expect((zh.body as { message: string }).message).toMatch(/可以安全重试/);
  });

  it('redacts identity fields even if a caller passes them to the logger', async () => {
    const lines = await captureLogs(() => {
      const { log } = jest.requireActual<typeof import('../../src/observability/logger')>('../../src/observability/logger');
      log().warn({ subject: { name: NAME, idNumber: ID_NUMBER }, row: { subjectName: NAME, subjectIdNumber: ID_NUMBER } }, 'careless call');
    });
    expect(lines.join('\n')).not.toMatch(new RegExp(`${NAME}|${ID_NUMBER}`));
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'careless call', subject: '[redacted]', row: { subjectName: '[redacted]' } });
  });

  it("writes Nest's own messages as JSON lines, errors with their stack frames but not the message the stack starts with", async () => {
    const nest = new NestJsonLogger();
    const lines = await captureLogs(() => {
      nest.warn('a warning', 'InstanceLoader');
      nest.error('Unhandled', `Error: ${NAME} ${ID_NUMBER}\n    at handler (file.ts:1:1)`, 'ExceptionsHandler');
      nest.error(new TypeError(`${NAME} ${ID_NUMBER}`), 'ExceptionsHandler');
    });
    expect(lines.join('\n')).not.toMatch(new RegExp(`${NAME}|${ID_NUMBER}`));
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { level: 'warn', context: 'InstanceLoader', msg: 'a warning' },
      { level: 'error', context: 'ExceptionsHandler', msg: 'Unhandled', frames: ['at handler (file.ts:1:1)'] },
      { level: 'error', context: 'ExceptionsHandler', err: { type: 'TypeError' } },
    ]);
  });
});

describe('settings and request ids', () => {
  it('takes LOG_LEVEL, stays silent under jest without it, and names the setting for a bad value', () => {
    expect(logLevelFrom({ LOG_LEVEL: 'debug' })).toBe('debug');
    expect(logLevelFrom({})).toBe('info');
    expect(logLevelFrom({ JEST_WORKER_ID: '1' })).toBe('silent');
    expect(() => logLevelFrom({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('keeps a plain X-Request-Id of at most 64 characters and makes a new one otherwise', () => {
    expect(requestIdFor('abc-DEF_1.2')).toBe('abc-DEF_1.2');
    expect(requestIdFor('x'.repeat(64))).toBe('x'.repeat(64));
    for (const hostile of ['x'.repeat(65), '', 'a b', `id\n{"level":"fatal"}`, ID_NUMBER.slice(0, 10) + '张', undefined, ['a', 'b']]) {
      const id = requestIdFor(hostile as string | string[] | undefined);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
