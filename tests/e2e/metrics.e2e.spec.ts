import { Writable } from 'node:stream';
import type { PrismaClient } from '@prisma/client';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import { createLogger, useLogger } from '../../src/observability/logger';
import { DatabaseGauges } from '../../src/observability/metrics';
import type { RunningService } from '../../src/service';
import { tokenFor } from '../support/auth';
import { waitFor } from '../support/cases';
import { testPrisma } from '../support/db';
import { requestAs } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';

// Logs, /metrics and security headers of the whole service: HTTP → NestJS → Temporal dev server → worker → PostgreSQL.
let temporal: DevServerHandle;
let service: RunningService;
let prisma: PrismaClient;

const logLines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

beforeAll(async () => {
  useLogger(createLogger({ level: 'info', destination: capture }));
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-metrics'));
  prisma = testPrisma();
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await prisma?.$disconnect();
  await temporal?.stop();
});

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let seq = 0;
const key = () => `metrics-${run}-${++seq}`;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
// A name and an ID number no other test file uses, so finding them anywhere in the logs can only come from here.
const NAME = `欧阳测试${run}`;
const ID_NUMBER = '440106198001011230';
const ORG = { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' };

async function call(method: string, path: string, options: { body?: unknown; requestId?: string; user?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.requestId) headers['x-request-id'] = options.requestId;
  if (options.user !== null) headers.authorization = `Bearer ${await tokenFor(options.user ?? 'supervisor-root')}`;
  const res = await fetch(`${service.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: res.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined };
}

const parsedLogs = () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('logs', () => {
  it('never hold the subject name or ID number of a refused or failed request, and carry the request id, case id and user', async () => {
    const tooLong = await call('POST', '/cases', {
      requestId: `bad-name-${run}`,
      body: { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: key(), receivedAt: new Date().toISOString(), subject: { name: `${NAME}${'长'.repeat(300)}`, idNumber: ID_NUMBER } },
    });
    expect(tooLong).toMatchObject({ status: 400, body: { field: 'subject.name' } });
    const withNul = await call('POST', '/cases', {
      body: { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: key(), receivedAt: new Date().toISOString(), subject: { name: `${NAME}\u0000`, idNumber: ID_NUMBER } },
    });
    expect(withNul).toMatchObject({ status: 400, body: { field: 'subject.name' } });
    const badId = await call('POST', '/cases', {
      body: { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: key(), receivedAt: new Date().toISOString(), subject: { name: NAME, idNumber: `${ID_NUMBER.slice(0, 17)}1` } },
    });
    expect(badId).toMatchObject({ status: 400, body: { field: 'subject.idNumber' } });

    const filed = await call('POST', '/cases', {
      requestId: `file-${run}`,
      body: { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: key(), receivedAt: new Date().toISOString(), subject: { name: NAME, idNumber: ID_NUMBER } },
    });
    expect(filed.status).toBe(201);
    const caseId = filed.body.id as string;
    // Personal data in an action the workflow refuses (422) and in one the schema refuses (400).
    const refused = await call('POST', `/cases/${caseId}/actions?trace=${ID_NUMBER}`, {
      requestId: `refused-${run}`,
      body: { action: 'decide', outcome: 'upheld', reasons: `${NAME} ${ID_NUMBER}` },
    });
    expect(refused).toMatchObject({ status: 422, body: { rule: 'objection-review/mark-before-decision' } });
    const invalid = await call('POST', `/cases/${caseId}/actions`, { body: { action: 'refer', competentUnit: `${NAME} ${ID_NUMBER}`.repeat(200) } });
    expect(invalid.status).toBe(400);
    const personal = await call('GET', `/cases/${caseId}/personal-data`, { requestId: `read-${run}` });
    expect(personal.body).toMatchObject({ name: NAME, idNumber: ID_NUMBER });

    await waitFor(async () => parsedLogs().some((l) => l.requestId === `read-${run}`));
    const all = logLines.join('\n');
    expect(all).not.toContain(NAME);
    expect(all).not.toContain(ID_NUMBER);
    expect(all).not.toContain(ID_NUMBER.slice(0, 17));

    const access = (requestId: string) => parsedLogs().find((l) => l.msg === 'request' && l.requestId === requestId);
    expect(access(`bad-name-${run}`)).toMatchObject({ level: 'info', method: 'POST', route: '/cases', status: 400, userId: 'supervisor-root' });
    expect(access(`file-${run}`)).toMatchObject({ route: '/cases', status: 201, caseId, userId: 'supervisor-root' });
    expect(access(`refused-${run}`)).toMatchObject({ method: 'POST', route: '/cases/:id/actions', status: 422, caseId, userId: 'supervisor-root' });
    expect(access(`refused-${run}`)!.durationMs).toEqual(expect.any(Number));
    expect(access(`read-${run}`)).toMatchObject({ route: '/cases/:id/personal-data', status: 200, caseId });
  });

  it('takes a plain X-Request-Id from the caller and replaces one that is too long or carries other characters', async () => {
    const sane = await call('GET', '/health', { user: null, requestId: `abc.DEF_123-${run}` });
    expect(sane.headers.get('x-request-id')).toBe(`abc.DEF_123-${run}`);
    for (const hostile of ['x'.repeat(65), 'a b', 'a/b', '{"json":1}', 'a:b']) {
      const res = await fetch(`${service.url}/health`, { headers: { 'x-request-id': hostile } });
      const echoed = res.headers.get('x-request-id');
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
      await res.text();
    }
    const none = await fetch(`${service.url}/health`);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await none.text();
  });
});

describe('/metrics', () => {
  it('shows the filings, actions, refusals by rule, escalations by level, outbox backlog, read-model lag and request durations', async () => {
    const before = (await call('GET', '/metrics', { user: null })).text;
    const grew = (after: string, name: string, labels: Record<string, string>) => sample(after, name, labels) - (sample(before, name, labels) || 0);
    const backdated = await call('POST', '/cases', { body: { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: key(), receivedAt: daysAgo(20), subject: ORG } });
    expect(backdated.status).toBe(201);
    const current = await call('POST', '/cases', { body: { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: key(), receivedAt: new Date().toISOString(), subject: ORG } });
    expect(current.status).toBe(201);
    await waitFor(async () => (await prisma.escalation.count({ where: { caseId: backdated.body.id, level: 'red' } })) > 0);
    await waitFor(async () => (await prisma.case.findUnique({ where: { id: current.body.id } }))!.revision >= 1);
    expect(await call('POST', `/cases/${current.body.id}/actions`, { body: { action: 'decide', outcome: 'upheld' } })).toMatchObject({ status: 422, body: { rule: 'objection-review/mark-before-decision' } });
    expect((await call('POST', `/cases/${current.body.id}/actions`, { body: { action: 'mark-disputed' } })).status).toBe(200);

    const res = await call('GET', '/metrics', { user: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = res.text;
    // Counters are this process's own: exactly what this test did.
    expect(grew(text, 'ldl_filings_total', { procedure: 'objection-review' })).toBe(2);
    expect(grew(text, 'ldl_actions_total', { procedure: 'objection-review', action: 'mark-disputed' })).toBe(1);
    expect(grew(text, 'ldl_refusals_total', { rule: 'objection-review/mark-before-decision' })).toBe(1);
    // Gauges are the database's truth, shared with other test files running at the same time: at least ours.
    expect(sample(text, 'ldl_escalations', { level: 'red' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ldl_outbox_backlog', {})).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'ldl_read_model_lag_seconds', {})).toBeGreaterThanOrEqual(0);
    expect(grew(text, 'http_request_duration_seconds_count', { method: 'POST', route: '/cases/:id/actions', status: '422' })).toBe(1);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).not.toMatch(/ldl_metrics_collect_errors_total\{/);
    expect(text).not.toContain(ORG.name);
    expect(text).not.toContain(backdated.body.id);

    const openApi = await call('GET', '/docs/openapi.json', { user: null });
    expect(Object.keys(openApi.body.paths)).not.toContain('/metrics');
  });

  it('still answers when PostgreSQL cannot be read: the gauges are left out and the failure is counted', async () => {
    const hanging = { $queryRaw: () => Promise.resolve([]), $transaction: () => new Promise(() => undefined) } as unknown as PrismaClient;
    const started = Date.now();
    const { text } = await new DatabaseGauges(hanging, 200).metrics();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text).not.toMatch(/^ldl_escalations\{/m);
    expect(text).not.toMatch(/^ldl_outbox_backlog /m);
    expect(text).not.toMatch(/^ldl_read_model_lag_seconds /m);
    expect(sample(text, 'ldl_metrics_collect_errors_total', { gauge: 'ldl_escalations' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'ldl_metrics_collect_errors_total', { gauge: 'ldl_read_model_lag_seconds' })).toBeGreaterThanOrEqual(1);
    expect(text).toContain('ldl_filings_total');

    const failing = { $queryRaw: () => Promise.resolve([]), $transaction: () => Promise.reject(new Error('connection refused')) } as unknown as PrismaClient;
    const before = sample(text, 'ldl_metrics_collect_errors_total', { gauge: 'ldl_outbox_backlog' });
    const after = (await new DatabaseGauges(failing, 200).metrics()).text;
    expect(sample(after, 'ldl_metrics_collect_errors_total', { gauge: 'ldl_outbox_backlog' })).toBe(before + 1);
  });
});

describe('security headers', () => {
  it('answers without X-Powered-By and with nosniff, DENY, no-referrer, a closed CSP and no-store; HSTS only over TLS', async () => {
    for (const res of [await call('GET', '/health', { user: null }), await call('GET', '/cases/not-a-case'), await call('POST', '/cases', { body: {} })]) {
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
    const overTls = await call('GET', '/health', { user: null, headers: { 'x-forwarded-proto': 'https' } });
    expect(overTls.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    const unauthenticated = await requestAs(null, service.url, 'GET', '/cases');
    expect(unauthenticated.status).toBe(401);
  });

  it('still renders the OpenAPI page: its scripts and styles load under the page policy', async () => {
    const page = await fetch(`${service.url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(page.headers.get('x-powered-by')).toBeNull();
    // No inline script would run under script-src 'self': every script must come from the service itself.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const sources = [...html.matchAll(/<script[^>]*\bsrc=["']([^"']+)["']/g), ...html.matchAll(/<link[^>]*href=["']([^"']+\.css)["']/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const src of sources) {
      const asset = new URL(src, `${service.url}/docs`);
      expect(asset.origin).toBe(new URL(service.url).origin);
      const res = await fetch(asset);
      expect({ src, status: res.status }).toEqual({ src, status: 200 });
      expect(res.headers.get('content-type')).toMatch(src.endsWith('.css') ? /text\/css/ : /javascript/);
      await res.arrayBuffer();
    }
  });
});

/** The value of one sample in Prometheus text, by exact label set; NaN when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    const wanted = Object.entries(labels);
    if (wanted.every(([k, v]) => found[k] === v) && Object.keys(found).length === wanted.length) return Number(m[3]);
  }
  return NaN;
}
