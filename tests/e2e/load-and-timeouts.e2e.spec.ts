import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PrismaClient } from '@prisma/client';
import { seedCases } from '../../bench/read-load';
import { DevServerHandle, startTemporalDevServer } from '../../src/infra/temporal-dev-server';
import { createLogger, useLogger } from '../../src/observability/logger';
import type { RunningService } from '../../src/service';
import { tokenFor } from '../support/auth';
import { waitFor } from '../support/cases';
import { testPersonalData } from '../support/kernel';
import { testPrisma } from '../support/db';
import { requestAs } from '../support/http';
import { startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';
import { testTempDir } from '../support/temp';

// Reads under load and deadlines on every dependency, through HTTP → NestJS → Temporal dev server / PostgreSQL, all
// real. The defects reproduced (issue text):
//   - 1,000 concurrent GET /cases/{id} gave 748 × 503 ("Unable to start a transaction in the given time"), 40 concurrent
//     GET /cases?limit=500 gave 10 × 503, and a 500-item page was 1.7 MB;
//   - with no worker on the task queue, or Temporal down, requests hung 5–32 s instead of answering 503 + Retry-After;
//     a retried filing or action must then be safe (idempotency keys);
//   - a case id that is not a UUID answered 503 instead of 404.
// Timings are printed, never asserted as speed targets (the CI machine has 2 noisy cores; `npm run bench:reads` measures
// speed). The only time asserted is a correctness bound: a 503 comes within REQUEST_TIMEOUT_MS plus a generous margin.

/** REQUEST_TIMEOUT_MS of the services that meet a missing worker or a stopped Temporal. */
const REQUEST_TIMEOUT_MS = 2_000;
/** What a 503 may take at most: the deadline, plus a margin for a loaded 2-core machine (the defect was 5–32 s). */
const ANSWER_BOUND_MS = REQUEST_TIMEOUT_MS + 4_000;
const SEEDED = 500;
const READS = 1_000;
const PAGES = 40;

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
// Units and users of this file only: other test files write cases to the same database at the same time.
const LOAD_UNIT = `load-${run}`;
const LOAD_USER = `load-cw-${run}`;
const TIMEOUT_UNIT = `timeouts-${run}`;
const TIMEOUT_USER = `timeouts-cw-${run}`;
const ORG = { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' };

let temporalDir: string;
let temporalPort: number;
let temporal: DevServerHandle;
/** Defaults (DATABASE_POOL_SIZE 10, REQUEST_TIMEOUT_MS 10 s), API only: the shape the read-load defect was seen in. */
let reader: RunningService;
/** API only (RUN_WORKER=false) with REQUEST_TIMEOUT_MS=2000, on a task queue no worker polls until `worker` starts. */
let apiOnly: RunningService;
/** API and worker on apiOnly's task queue, REQUEST_TIMEOUT_MS=2000: started in the middle of the missing-worker test. */
let worker: RunningService | undefined;
let prisma: PrismaClient;
let taskQueue: string;
let seededIds: string[] = [];

/** A dev server of this file whose port and database file are known, so it can be stopped and started again. */
async function startTemporal(): Promise<DevServerHandle> {
  return startTemporalDevServer(path.join(temporalDir, 'temporal.db'), temporalPort, temporalPort + 1, 'error');
}

// The API logs every request at info: 2,000 lines of this file's bursts would bury the CI log. Warnings stay.
const previousLogger = useLogger(createLogger({ level: 'warn' }));

beforeAll(async () => {
  temporalDir = testTempDir('ldl-temporal-');
  // Below Linux's ephemeral range (32768+), as tests/support/service.ts startDevServer; fresh ports on a lost race.
  for (let attempt = 1; ; attempt++) {
    temporalPort = 12_000 + 2 * Math.floor(Math.random() * 10_000);
    try {
      temporal = await startTemporal();
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  taskQueue = uniqueQueue('e2e-timeouts');
  prisma = testPrisma();
  [reader, apiOnly] = await Promise.all([
    startTestService(temporal.address, uniqueQueue('e2e-reads'), false),
    startTestService(temporal.address, taskQueue, false, { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) }),
  ]);
  const admin = (method: string, p: string, body: unknown) => requestAs('admin', reader.url, method, p, body);
  for (const [unit, user] of [[LOAD_UNIT, LOAD_USER], [TIMEOUT_UNIT, TIMEOUT_USER]]) {
    expect(await admin('PUT', `/units/${unit}`, { name: `unit ${unit}`, parentId: 'root' })).toMatchObject({ status: 200 });
    expect(await admin('PUT', `/users/${user}`, { name: `Caseworker ${user}`, unitId: unit, roles: ['caseworker'] })).toMatchObject({ status: 200 });
  }
  // Read-model rows as the API writes them on a filing (no workflows: reads need none).
  seededIds = await seedCases(prisma, testPersonalData, LOAD_UNIT, SEEDED, LOAD_USER);
}, 120_000);

afterAll(async () => {
  // Stopping a service waits for the calls to Temporal its requests gave up on (CaseService.settleTemporalCalls):
  // closing the connection under one of the SDK's pending retries would throw "Channel has been shut down" uncaught.
  await worker?.stop();
  await apiOnly?.stop();
  await reader?.stop();
  await prisma?.$disconnect();
  await temporal?.stop();
  if (previousLogger) useLogger(previousLogger);
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  ms: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  body: any;
}

/**
 * One request over node:http. `agent` gives the sockets: a burst uses an agent allowing one socket per request, so the
 * requests really are concurrent at the server. A request unanswered after 30 s fails (a hang, the defect).
 */
async function send(
  baseUrl: string,
  method: string,
  p: string,
  o: { user?: string; body?: unknown; headers?: Record<string, string>; agent?: http.Agent; sockets?: Set<unknown> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'accept-language': 'en', ...o.headers, authorization: `Bearer ${await tokenFor(o.user ?? LOAD_USER)}` };
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(new URL(p, baseUrl), { method, headers, agent: o.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        const json = res.headers['content-type']?.includes('json') && text ? JSON.parse(text) : text;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: raw.byteLength, ms: performance.now() - started, body: json });
      });
    });
    req.on('socket', (s) => o.sockets?.add(s));
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${p}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Nearest-rank percentile. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** `count` GETs sent at once, each on its own socket; statuses counted (a network error counts as its message). */
async function burst(baseUrl: string, count: number, pathOf: (i: number) => string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: count });
  const sockets = new Set<unknown>();
  try {
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        send(baseUrl, 'GET', pathOf(i), { agent, sockets }).catch((error: Error) => ({ status: error.message, ms: NaN, bytes: 0, headers: {}, body: undefined })),
      ),
    );
    const byStatus: Record<string, number> = {};
    for (const a of answers) byStatus[String(a.status)] = (byStatus[String(a.status)] ?? 0) + 1;
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    return { answers, byStatus, sockets: sockets.size, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1] };
  } finally {
    agent.destroy();
  }
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
/** A case id that is not a UUID: never a 503 (never sent to PostgreSQL or Temporal), always a missing case. */
const NOT_UUIDS: [string, string][] = [
  ['GET', '/cases/not-a-uuid'],
  ['GET', `/cases/${encodeURIComponent("'; drop table--")}/personal-data`],
  ['POST', '/cases/xyz/actions'],
];

describe('reads under load (DATABASE_POOL_SIZE 10, the default)', () => {
  it(`answers ${READS} concurrent GET /cases/{id} with 200 each`, async () => {
    // Warm-up: the directory cache, the query plans, the first pool connections.
    await burst(reader.url, 20, (i) => `/cases/${seededIds[i]}`);
    const reads = await burst(reader.url, READS, (i) => `/cases/${seededIds[i % seededIds.length]}`);
    console.log(`${READS} concurrent GET /cases/{id} on ${reads.sockets} sockets: ${JSON.stringify(reads.byStatus)}; p50 ${fmt(reads.p50)}, p99 ${fmt(reads.p99)}, max ${fmt(reads.max)}`);
    // Each request had its own connection to the API: the burst reached the server at once, not a few at a time.
    expect(reads.sockets).toBeGreaterThanOrEqual(READS * 0.9);
    expect(reads.byStatus).toEqual({ 200: READS });
    // The answers are the cases asked for, with their audit trail (a read is the whole case, not a truncated one).
    for (const [i, a] of reads.answers.entries()) {
      expect(a.body.id).toBe(seededIds[i % seededIds.length]);
      expect(a.body.events.length).toBeGreaterThan(0);
    }
  }, 90_000);

  it(`answers ${PAGES} concurrent GET /cases?limit=500 with 200 each, and a page of 500 items stays small`, async () => {
    const pages = await burst(reader.url, PAGES, () => '/cases?limit=500');
    const bytes = pages.answers.map((a) => a.bytes).sort((a, b) => a - b);
    console.log(
      `${PAGES} concurrent GET /cases?limit=500: ${JSON.stringify(pages.byStatus)}; p50 ${fmt(pages.p50)}, p99 ${fmt(pages.p99)}, max ${fmt(pages.max)}; ` +
        `page ${(bytes[bytes.length - 1] / 1024).toFixed(1)} KiB (${(bytes[bytes.length - 1] / SEEDED).toFixed(0)} B/item)`,
    );
    expect(pages.byStatus).toEqual({ 200: PAGES });
    for (const a of pages.answers) {
      expect(a.body).toMatchObject({ total: SEEDED, limit: 500, offset: 0 });
      expect(a.body.items).toHaveLength(SEEDED);
      expect(a.body.items[0].events).toBeUndefined();
      expect(a.body.items[0].deadlines[0].explanation).toBeUndefined();
    }
    // Measured: 2,034 B per objection-review item without explanations and history (with the assignee and the outcome's
    // text), 500 items = 1,017 kB; the issue saw 1.7 MB with explanations in the list. The bound leaves ~10% for a field
    // or two more, not for the explanations.
    expect(bytes[bytes.length - 1]).toBeLessThan(1_120_000);
  }, 90_000);
});

describe('case ids that are not UUIDs', () => {
  it.each(NOT_UUIDS)('%s %s answers 404, never 503', async (method, p) => {
    const res = await send(reader.url, method, p, method === 'POST' ? { body: { action: 'mark-disputed' }, headers: { 'idempotency-key': `nu-${run}` } } : {});
    expect(res).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found' } });
  });
});

/** A 503 of a dependency as the API answers it: Retry-After, the dependency named, and the retry said to be safe. */
function expectUnavailable(res: Answer, dependency: string) {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', dependency, message: expect.stringContaining('retrying is safe') });
  expect(res.ms).toBeLessThan(ANSWER_BOUND_MS);
}

/** Sends the same request again (a client honouring Retry-After, faster) until it is no longer a 503. */
async function retryWhileUnavailable(request: () => Promise<Answer>, timeoutMs = 60_000): Promise<Answer> {
  let last: Answer | undefined;
  await waitFor(async () => {
    last = await request();
    return last.status !== 503;
  }, timeoutMs);
  return last!;
}

const fileBody = (idempotencyKey: string) => ({ procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey, receivedAt: new Date().toISOString(), subject: ORG });
const markedEvents = (caseId: string) => prisma.caseEvent.count({ where: { caseId, type: 'record.marked-disputed' } });

describe('no worker on the task queue', () => {
  it('answers an action 503 with Retry-After within REQUEST_TIMEOUT_MS, and the same Idempotency-Key once a worker runs gives one step', async () => {
    // Filing needs no worker: the workflow start is recorded by Temporal, the read-model row by the API.
    const filed = await send(apiOnly.url, 'POST', '/cases', { user: TIMEOUT_USER, body: fileBody(`no-worker-${run}`) });
    expect(filed.status).toBe(201);
    const caseId = filed.body.id as string;
    const act = (service: RunningService) =>
      send(service.url, 'POST', `/cases/${caseId}/actions`, { user: TIMEOUT_USER, body: { action: 'mark-disputed', evidenceRef: 'scan-1' }, headers: { 'idempotency-key': `mark-${run}` } });

    const first = await act(apiOnly);
    console.log(`action with no worker: ${first.status} after ${fmt(first.ms)} (REQUEST_TIMEOUT_MS ${REQUEST_TIMEOUT_MS})`);
    expectUnavailable(first, 'Temporal');
    expect(await markedEvents(caseId)).toBe(0);

    // A worker comes up on the queue. The first update may still be pending in Temporal and be applied now: the retry
    // carries the same key, so it joins or finds that update instead of marking the case a second time.
    worker = await startTestService(temporal.address, taskQueue, true, { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
    const retried = await retryWhileUnavailable(() => act(apiOnly));
    expect(retried.status).toBe(200);
    expect(retried.body.state).toBe('under-review');
    expect(retried.body.events.filter((e: { type: string }) => e.type === 'record.marked-disputed')).toHaveLength(1);
    // Once more, through the other process: still the first answer, still one step.
    const again = await act(worker);
    expect(again.status).toBe(200);
    // The same state; the revision may have moved on only by the workflow's own first snapshot (when the buffered
    // update ran before it), never by a second step.
    expect(again.body.state).toBe(retried.body.state);
    expect(again.body.revision).toBeGreaterThanOrEqual(retried.body.revision);
    expect(again.body.events.filter((e: { type: string }) => e.type === 'record.marked-disputed')).toHaveLength(1);
    expect(await markedEvents(caseId)).toBe(1);
    // The case goes on normally: marking it again (a new key: a new request) is refused, the next step is taken.
    const next = (body: object) => send(worker!.url, 'POST', `/cases/${caseId}/actions`, { user: TIMEOUT_USER, body });
    expect(await next({ action: 'mark-disputed' })).toMatchObject({ status: 422 });
    expect(await next({ action: 'decide', outcome: 'rejected', reasons: 'the record matches the court judgment' })).toMatchObject({ status: 200, body: { state: 'closed' } });
    expect(await markedEvents(caseId)).toBe(1);
  }, 90_000);
});

describe('Temporal stopped', () => {
  it('answers a filing 503 with Retry-After within REQUEST_TIMEOUT_MS; the same idempotencyKey once Temporal is back files one case (201, or 409 naming it when the first start landed late)', async () => {
    // The worker of the previous test, or one of its own when that test failed before starting it.
    worker ??= await startTestService(temporal.address, taskQueue, true, { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
    const withWorker = worker;
    const keys = { withWorker: `down-worker-${run}`, apiOnly: `down-api-${run}` };
    const file = (service: RunningService, key: string) => send(service.url, 'POST', '/cases', { user: TIMEOUT_USER, body: fileBody(key) });
    await temporal.stop();
    try {
      // Both kinds of connection: the worker's native one (API + worker process) and the API-only process's own.
      const [a, b, read, health, ...notUuids] = await Promise.all([
        file(withWorker, keys.withWorker),
        file(apiOnly, keys.apiOnly),
        send(reader.url, 'GET', `/cases/${seededIds[0]}`),
        send(apiOnly.url, 'GET', '/health'),
        ...NOT_UUIDS.map(([method, p]) => send(withWorker.url, method, p, method === 'POST' ? { body: { action: 'mark-disputed' } } : {})),
      ]);
      console.log(`filing with Temporal stopped: ${a.status} after ${fmt(a.ms)} (API + worker), ${b.status} after ${fmt(b.ms)} (API only)`);
      expectUnavailable(a, 'Temporal');
      expectUnavailable(b, 'Temporal');
      // Reads come from PostgreSQL and do not need Temporal; ids that are not UUIDs stay 404.
      expect(read.status).toBe(200);
      for (const r of notUuids) expect(r.status).toBe(404);
      // A probe answers within its own bound (3 s, at most REQUEST_TIMEOUT_MS), not after the SDK's retries: 503, naming
      // Temporal by its status only (the driver's text goes to the log), with Retry-After.
      expect(health).toMatchObject({ status: 503, body: { ok: false, postgres: 'up', temporal: expect.stringMatching(/^(down|timeout)$/) } });
      expect(health.headers['retry-after']).toMatch(/^\d+$/);
      expect(health.ms).toBeLessThan(6_000);
    } finally {
      temporal = await startTemporal();
    }
    for (const [name, key] of Object.entries(keys)) {
      const service = name === 'withWorker' ? withWorker : apiOnly;
      const retried = await retryWhileUnavailable(() => file(service, key));
      // The start refused with 503 may still have landed once Temporal was back (the SDK retries it until its gRPC
      // deadline): then the retry is a duplicate and answers 409 naming that case. Either way there is one case.
      expect([201, 409]).toContain(retried.status);
      const caseId: string = retried.status === 201 ? retried.body.id : retried.body.case.id;
      expect(caseId).toEqual(expect.any(String));
      const repeated = await file(service, key);
      expect(repeated).toMatchObject({ status: 409, body: { case: { id: caseId } } });
      // A start that landed late has its row written by the workflow's first step, not by the API.
      await waitFor(async () => (await prisma.case.count({ where: { idempotencyKey: key } })) > 0, 30_000);
      expect(await prisma.case.count({ where: { idempotencyKey: key } })).toBe(1);
      // The workflow runs (the worker on this queue writes its first snapshot over the API's).
      await waitFor(async () => (await prisma.case.findUnique({ where: { id: caseId } }))!.revision >= 1, 30_000);
    }
  }, 120_000);
});
