import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { Request, Response } from 'express';
import { REQUEST_DEADLINE_MARGIN_MS, requestDeadline } from '../../src/api/request-deadline';
import { HttpErrorFilter } from '../../src/api/http-exception.filter';
import { waitingOn } from '../../src/infra/request-waits';
import { requestDeadlinesTotal } from '../../src/observability/metrics';

// The backstop on its own, in an Express app with handlers that hang: the dependency it names, and what happens to a
// late answer or a late failure of the handler (nothing is sent, nothing is thrown out of the request).
const TIMEOUT_MS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const filter = new HttpErrorFilter();
const late: string[] = [];

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(requestDeadline(TIMEOUT_MS));
  app.get('/hangs-on-temporal', async (_req: Request, res: Response) => {
    await waitingOn('Temporal', sleep(TIMEOUT_MS + REQUEST_DEADLINE_MARGIN_MS + 300));
    res.status(200).json({ late: true });
    late.push('temporal answered');
  });
  app.get('/hangs-then-fails', async (_req: Request, res: Response) => {
    await sleep(TIMEOUT_MS + REQUEST_DEADLINE_MARGIN_MS + 300);
    // As Nest does with a handler's error: through the exception filter, with the same response.
    filter.catch(new Error('Query read timeout'), { switchToHttp: () => ({ getResponse: () => res, getRequest: () => _req }) } as never);
    res.setHeader('x-late', '1');
    late.push('failure filtered');
  });
  app.get('/quick', (_req: Request, res: Response) => {
    res.json({ ok: true });
  });
  await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve())));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = async (p: string, language = 'en') => {
  const started = Date.now();
  const res = await fetch(`${base}${p}`, { headers: { 'accept-language': language } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any, ms: Date.now() - started };
};

describe('the request deadline backstop', () => {
  it('answers 503 with Retry-After at REQUEST_TIMEOUT_MS + margin, naming Temporal when the request waits on it', async () => {
    const res = await get('/hangs-on-temporal');
    expect(res).toMatchObject({ status: 503, retryAfter: '5', body: { statusCode: 503, error: 'Service Unavailable', dependency: 'Temporal' } });
    expect(res.body.message).toContain(`Temporal did not answer within ${TIMEOUT_MS} ms (REQUEST_TIMEOUT_MS)`);
    expect(res.ms).toBeGreaterThanOrEqual(TIMEOUT_MS + REQUEST_DEADLINE_MARGIN_MS - 20);
    // Not the handler's late 200 (sent 300 ms later, discarded): the status shows it; the time is not held to more on a
    // loaded machine.
  });

  it('names PostgreSQL otherwise, in Chinese by default, and the late failure is neither sent nor thrown', async () => {
    const res = await get('/hangs-then-fails', 'zh');
    expect(res).toMatchObject({ status: 503, body: { dependency: 'PostgreSQL' } });
    expect(res.body.message).toContain('PostgreSQL 未在 100 毫秒内应答（REQUEST_TIMEOUT_MS）');
    await sleep(500);
    expect(late).toEqual(expect.arrayContaining(['temporal answered', 'failure filtered']));
  });

  it('leaves a request answered in time alone (its timer is cleared: nothing counted)', async () => {
    const counted = async () => (await requestDeadlinesTotal.get()).values.reduce((n, v) => n + v.value, 0);
    const before = await counted();
    expect(await get('/quick')).toMatchObject({ status: 200, body: { ok: true } });
    await sleep(TIMEOUT_MS + REQUEST_DEADLINE_MARGIN_MS + 100);
    expect(await counted()).toBe(before);
  });
});
