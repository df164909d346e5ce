/**
 * How fast the web app's case page renders a case with many deadlines (issue 14: 20 deadlines in under 1 s on the dev
 * machine). One objection review with assistance asked of CASE_PAGE_UNITS units (default 19: with the decision clock,
 * 20 deadlines), through the whole service (API + worker) on a Temporal dev server and a throw-away database; then
 * Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) opens the case page CASE_PAGE_ROUNDS times (default 5)
 * and prints, per round, the time from navigation start to every deadline drawn, and the median.
 * Only 127.0.0.1 is contacted. Run: npm run bench:case-page
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { seedDemoDirectory } from '../src/auth/directory';
import { ensureLocalSigningKey, signLocalToken } from '../src/auth/local-signing-key';
import { loadConfig } from '../src/config/config';
import { seedCalendar } from '../src/db/calendar-store';
import { migrate } from '../src/db/migrate';
import { createPrisma } from '../src/db/prisma';
import { ensureTemporalTools } from '../src/infra/tools';
import { startTemporalDevServer } from '../src/infra/temporal-dev-server';
import { createLogger, useLogger } from '../src/observability/logger';
import { startService } from '../src/service';
import { Cleanups, describeError, freePort, machine, percentile, throwawayDatabase } from './throwaway-database';

const positive = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
};

async function main(): Promise<number> {
  const units = positive('CASE_PAGE_UNITS', 19);
  const rounds = positive('CASE_PAGE_ROUNDS', 5);
  useLogger(createLogger({ level: process.env.LOG_LEVEL?.trim() || 'warn' }));
  const cleanups = new Cleanups();
  try {
    ensureTemporalTools();
    const db = await throwawayDatabase('ldl_case_page', cleanups);
    await migrate(db.url);
    const prisma = createPrisma(db.url, 2);
    cleanups.add('prisma', () => prisma.$disconnect());
    await seedCalendar(prisma);
    await seedDemoDirectory(prisma);
    const temporal = await startTemporalDevServer(path.join(mkdtempSync(path.join(os.tmpdir(), 'ldl-case-page-')), 'temporal.db'), await freePort(), await freePort(), 'error');
    cleanups.add('Temporal dev server', () => temporal.stop());
    const keyFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'ldl-case-page-auth-')), 'local-signing-key.json');
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporal.address,
      PORT: String(await freePort()),
      AUTH_LOCAL_KEY_FILE: keyFile,
      PAYLOAD_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 5).toString('base64')}`,
    });
    const service = await startService(config);
    cleanups.add('service', () => service.stop());
    const key = await ensureLocalSigningKey(keyFile);
    const call = async (user: string, method: string, url: string, body?: unknown) => {
      const res = await fetch(`${service.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${await signLocalToken(key, user)}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { id: string; deadlines: unknown[] };
    };
    const helpers = Array.from({ length: units }, (_, i) => `assist-${i + 1}`);
    for (const id of helpers) await call('admin', 'PUT', `/units/${id}`, { name: `协查单位 ${id}`, parentId: 'root' });
    const filed = await call('caseworker-a', 'POST', '/cases', {
      procedure: 'objection-review',
      grounds: ['error'],
      reasons: '记录与原始文书不符',
      idempotencyKey: `case-page-${Date.now()}`,
      receivedAt: new Date().toISOString(),
      subject: { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' },
    });
    await call('caseworker-a', 'POST', `/cases/${filed.id}/actions`, { action: 'request-assistance', units: helpers.map((unitId) => ({ unitId })) });
    // Each unit's reply clock starts when it receives the verification notice (Art. 39 ¶2).
    let answer = { deadlines: [] as unknown[] };
    for (const unitId of helpers) answer = await call('caseworker-a', 'POST', `/cases/${filed.id}/actions`, { action: 'record-notice-receipt', unitId });
    const deadlines = answer.deadlines.length;

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    cleanups.add('Chromium', () => browser.close());
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const signIn = await context.newPage();
    await signIn.goto(service.url);
    await signIn.getByRole('button', { name: '以此身份登录: caseworker-a' }).click();
    await signIn.getByRole('heading', { name: '待办案件' }).waitFor();
    const times: number[] = [];
    // The same tab each round (the session is in its sessionStorage), left for a blank page in between, so every round
    // is a full page load.
    for (let round = 0; round < rounds; round++) {
      await signIn.goto('about:blank');
      await signIn.goto(`${service.url}/#/cases/${filed.id}`);
      await signIn.locator('.ant-collapse-item').nth(deadlines - 1).waitFor();
      times.push(await signIn.evaluate(() => performance.now()));
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`machine: ${JSON.stringify(machine())}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`case page with ${deadlines} deadlines, navigation start to every deadline drawn (first round: cold cache): ${times.map((t) => `${t.toFixed(0)} ms`).join(', ')}`);
    console.log(`median ${percentile(sorted, 50).toFixed(0)} ms (target < 1000 ms)`);
    return 0;
  } catch (error) {
    console.error(`case-page bench failed: ${describeError(error)}`);
    return 1;
  } finally {
    await cleanups.run();
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
