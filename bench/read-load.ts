/**
 * Reads under load (issue 8): READ_CASES cases (default 500) of one unit written straight to the read model, the API
 * alone (RUN_WORKER=false) on a Temporal dev server, then READ_CONCURRENCY (default 1,000) concurrent GET /cases/{id}
 * and PAGE_CONCURRENCY (default 40) concurrent GET /cases?limit=500. Prints errors by status, p50/p99, and the size of
 * a 500-item page beside what it would be with every deadline's explanation and history (the list before issue 8).
 * Only 127.0.0.1 is contacted; the database is a throw-away one (bench/throwaway-database.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { PrismaClient } from '@prisma/client';
import { kernelDefinitionFor } from '../procedures';
import { ensureLocalSigningKey, signLocalToken } from '../src/auth/local-signing-key';
import { seedDemoDirectory } from '../src/auth/directory';
import { CalendarService } from '../src/cases/calendar.service';
import { parseCaseFiling } from '../src/cases/filing';
import { loadConfig } from '../src/config/config';
import { calendarFrom, seedCalendar } from '../src/db/calendar-store';
import { insertFiledCase, kernelReadModel } from '../src/db/case-store';
import { migrate } from '../src/db/migrate';
import { createPrisma } from '../src/db/prisma';
import { fileKernelCase } from '../src/domain/kernel/case-kernel';
import { PayloadKeyRing } from '../src/infra/payload-codec';
import { PersonalDataCipher } from '../src/infra/personal-data';
import { createLogger, useLogger } from '../src/observability/logger';
import { ensureTemporalTools } from '../src/infra/tools';
import { startTemporalDevServer } from '../src/infra/temporal-dev-server';
import { startService } from '../src/service';
import type { CaseWorkflowInput } from '../workflows/contracts/case.contract';
import { Cleanups, describeError, freePort, machine, percentile, throwawayDatabase } from './throwaway-database';

const SUBJECT = { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' };

const BENCH_KEYS = `bench:${Buffer.alloc(32, 3).toString('base64')}`;

/**
 * Files `count` objection-review cases of `unitId` as the API would (same parsing, same first snapshot), received
 * over the last 30 days so some deadlines are past due; returns their ids. Also used by the load e2e test.
 */
export async function seedCases(prisma: PrismaClient, personalData: PersonalDataCipher, unitId: string, count: number, actor = 'caseworker-a'): Promise<string[]> {
  const { seed, calendar } = await new CalendarService(prisma).current();
  const now = new Date();
  const ids: string[] = [];
  for (let from = 0; from < count; from += 25) {
    const batch = Array.from({ length: Math.min(25, count - from) }, (_, i) => from + i);
    ids.push(
      ...(await Promise.all(
        batch.map(async (i) => {
          const receivedAt = new Date(now.getTime() - ((i * 7919) % 30) * 86_400_000 - 3_600_000).toISOString();
          const parsed = parseCaseFiling({ procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: `read-load-${unitId}-${i}`, receivedAt, subject: SUBJECT, unitId }, now);
          if (!parsed.ok) throw new Error(`seed filing refused: ${JSON.stringify(parsed)}`);
          const f = parsed.value;
          const def = kernelDefinitionFor(f.procedure, f.definitionVersion)!;
          const caseId = randomUUID();
          const input: CaseWorkflowInput = {
            caseId,
            idempotencyKey: f.idempotencyKey,
            procedure: f.procedure,
            definitionVersion: f.definitionVersion,
            variant: f.variant,
            unitId,
            subject: f.subject,
            receivedAt: f.receivedAt,
            filedAt: now.toISOString(),
            actor,
            actorUnit: unitId,
            evidenceRef: f.evidenceRef,
            filing: f.filing,
            calendar: calendarFrom(seed, Number(f.receivedAt.slice(0, 4))),
          };
          await insertFiledCase(prisma, personalData, kernelReadModel(fileKernelCase(def, calendar, input)));
          return caseId;
        }),
      )),
    );
  }
  return ids;
}

export interface LoadResult {
  requests: number;
  byStatus: Record<number | string, number>;
  /** Connections the requests were sent on: the burst is concurrent at the server only if this is close to `requests`. */
  sockets: number;
  p50: number;
  p99: number;
  max: number;
  bytes: number[];
}

/** One GET over node:http on `agent`; the status and the body's size. */
function get(url: string, authorization: string, agent: http.Agent, sockets: Set<unknown>): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.byteLength));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('socket', (socket) => sockets.add(socket));
    req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', reject);
  });
}

/**
 * `count` requests all sent at once, each on its own connection (an agent of its own allowing `count` sockets, whatever
 * a global agent's per-origin limit), so the server sees them together; the connections used are counted to show it.
 * Latency in ms per request, statuses counted (a network error counts as "error (…)").
 */
export async function concurrentGets(url: (i: number) => string, authorization: string, count: number): Promise<LoadResult> {
  const byStatus: Record<number | string, number> = {};
  const times: number[] = [];
  const bytes: number[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: count });
  const sockets = new Set<unknown>();
  try {
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const t = performance.now();
        let status: number | string;
        try {
          const res = await get(url(i), authorization, agent, sockets);
          status = res.status;
          if (res.status === 200) bytes.push(res.bytes);
        } catch (error) {
          status = `error (${describeError(error)})`;
        }
        times.push(performance.now() - t);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
      }),
    );
  } finally {
    agent.destroy();
  }
  times.sort((a, b) => a - b);
  return { requests: count, byStatus, sockets: sockets.size, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1], bytes };
}

const positive = (name: string, fallback: number) => {
  const raw = process.env[name]?.trim();
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
};

const ms = (v: number) => `${v.toFixed(0)} ms`;
const kb = (v: number) => `${(v / 1024).toFixed(1)} KiB`;

async function main(): Promise<number> {
  const cases = positive('READ_CASES', 500);
  const readConcurrency = positive('READ_CONCURRENCY', 1000);
  const pageConcurrency = positive('PAGE_CONCURRENCY', 40);
  // The API logs every request at info: 1,000 lines per burst would drown the figures (LOG_LEVEL=info shows them).
  useLogger(createLogger({ level: process.env.LOG_LEVEL?.trim() || 'warn' }));
  const cleanups = new Cleanups();
  try {
    ensureTemporalTools();
    const db = await throwawayDatabase('ldl_read_load', cleanups);
    await migrate(db.url);
    const prisma = createPrisma(db.url, 4);
    cleanups.add('prisma', () => prisma.$disconnect());
    await seedCalendar(prisma);
    await seedDemoDirectory(prisma);
    const seeding = performance.now();
    const ids = await seedCases(prisma, new PersonalDataCipher(PayloadKeyRing.parse(BENCH_KEYS)), 'a', cases);
    console.log(`${ids.length} cases of unit a written in ${ms(performance.now() - seeding)} (${db.server})`);

    const temporalPort = await freePort();
    const temporal = await startTemporalDevServer(path.join(mkdtempSync(path.join(os.tmpdir(), 'ldl-read-load-')), 'temporal.db'), temporalPort, await freePort(), 'error');
    cleanups.add('Temporal dev server', () => temporal.stop());
    const keyFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'ldl-read-load-auth-')), 'local-signing-key.json');
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporal.address,
      PORT: String(await freePort()),
      RUN_WORKER: 'false',
      AUTH_LOCAL_KEY_FILE: keyFile,
      PAYLOAD_ENCRYPTION_KEYS: BENCH_KEYS,
    });
    const service = await startService(config);
    cleanups.add('service', () => service.stop());
    const authorization = `Bearer ${await signLocalToken(await ensureLocalSigningKey(keyFile), 'caseworker-a')}`;

    console.log(`machine: ${JSON.stringify(machine())}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`service: API only, DATABASE_POOL_SIZE ${config.databasePoolSize}, REQUEST_TIMEOUT_MS ${config.requestTimeoutMs}`);
    // Warm-up: the directory cache, the query plans, the JIT of the mapping code.
    await concurrentGets((i) => `${service.url}/cases/${ids[i % ids.length]}`, authorization, 20);

    const reads = await concurrentGets((i) => `${service.url}/cases/${ids[i % ids.length]}`, authorization, readConcurrency);
    console.log(`${readConcurrency} concurrent GET /cases/{id} (${reads.sockets} connections): ${JSON.stringify(reads.byStatus)}; p50 ${ms(reads.p50)}, p99 ${ms(reads.p99)}, max ${ms(reads.max)}`);
    const pages = await concurrentGets(() => `${service.url}/cases?limit=500`, authorization, pageConcurrency);
    console.log(`${pageConcurrency} concurrent GET /cases?limit=500 (${pages.sockets} connections): ${JSON.stringify(pages.byStatus)}; p50 ${ms(pages.p50)}, p99 ${ms(pages.p99)}, max ${ms(pages.max)}`);

    // The page as it was: every item carried each deadline's explanation and history (GET /cases/{id} still does).
    const page = (await (await fetch(`${service.url}/cases?limit=500`, { headers: { authorization } })).json()) as { items: { id: string }[] };
    const pageBytes = Buffer.byteLength(JSON.stringify(page));
    let fullItems = 0;
    for (const item of page.items) {
      const full = (await (await fetch(`${service.url}/cases/${item.id}`, { headers: { authorization } })).json()) as Record<string, unknown>;
      const { events: _events, personalDataReads: _reads, ...asListedBefore } = full;
      fullItems += Buffer.byteLength(JSON.stringify(asListedBefore));
    }
    // What crosses the network behind the sample proxy, which gzips JSON (deploy/nginx.conf).
    const gzippedBytes = gzipSync(JSON.stringify(page), { level: 6 }).byteLength;
    console.log(
      `page of ${page.items.length} items: ${kb(pageBytes)} (${(pageBytes / page.items.length).toFixed(0)} B/item), gzipped ${kb(gzippedBytes)}; ` +
        `with explanations and history: ${kb(fullItems)} (${(fullItems / page.items.length).toFixed(0)} B/item)`,
    );
    const errors = [reads, pages].flatMap((r) => Object.entries(r.byStatus).filter(([status]) => status !== '200'));
    console.log(`errors: ${errors.length ? errors.map(([status, n]) => `${n} × ${status}`).join(', ') : 'none'}`);
    return errors.length ? 1 : 0;
  } catch (error) {
    console.error(`read-load failed: ${describeError(error)}`);
    return 1;
  } finally {
    await cleanups.run();
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
