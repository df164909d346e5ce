import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import type { Browser } from 'playwright-core';
import { Client as PgClient } from 'pg';
import { ensureDatabase } from '../../src/db/migrate';
import { createPrisma } from '../../src/db/prisma';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { ensureBuilt } from '../support/build';
import { expectAccessible, launchChromium, SCREENSHOTS, signIn as signInAs } from '../support/browser';
import { waitFor } from '../support/cases';
import { testDatabaseUrl } from '../support/db';
import { holdAnswersToDocument, requestAs } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueUscc } from '../support/subjects';
import { uniqueQueue } from '../support/temporal';

// The calculator and the holiday-calendar pages in Debian's Chromium. Its own database: it removes the 2026 notice so
// that a case filed over National Day 2026 runs on the provisional calendar (fixed holidays only); pasting the real
// 2026 notice (tests/fixtures/holiday-notices) must then show that case's deadline moving, and loading it must move
// it to the date the preview showed.
const NOTICE_2026 = readFileSync(path.join(__dirname, '..', 'fixtures', 'holiday-notices', '2026.txt'), 'utf8');

let temporal: DevServerHandle;
let service: RunningService;
let browser: Browser;
let prisma: PrismaClient;
let databaseUrl: string;

beforeAll(async () => {
  await ensureBuilt();
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_web_calendar`;
  databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-web-calendar'), true, { DATABASE_URL: databaseUrl });
  await holdAnswersToDocument(service.url);
  prisma = createPrisma(databaseUrl, 2);
  // The service reads the calendar lazily: removing the year before the first request makes it provisional.
  await prisma.calendarYear.deleteMany({ where: { year: 2026 } });
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await prisma?.$disconnect();
  await temporal?.stop();
  const admin = new PgClient({ connectionString: process.env.TEST_ADMIN_DATABASE_URL ?? testDatabaseUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(databaseUrl).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
});

const signIn = (user: string, width?: number) => signInAs(browser, service.url, user, width);

interface DeadlineBody {
  key: string;
  dueDate: string | null;
  provisional: boolean;
}

test('an administrator pastes the 2026 notice, sees the running deadline it moves, loads it, and the case moves there', async () => {
  const filed = await requestAs('caseworker-a', service.url, 'POST', '/cases', {
    procedure: 'information-correction',
    idempotencyKey: `web-calendar-${Date.now()}`,
    receivedAt: '2026-09-28',
    subject: { name: '日历测试有限公司', uscc: uniqueUscc() },
  });
  expect(filed.status).toBe(201);
  const caseId = (filed.body as { id: string }).id;
  const before = (filed.body as { deadlines: DeadlineBody[] }).deadlines.filter((d) => d.dueDate !== null);
  expect(before.length).toBeGreaterThan(0);
  expect(before.every((d) => d.provisional)).toBe(true);
  // Its workflow holds the case before a preview can ask it.
  await waitFor(async () => ((await prisma.case.findUnique({ where: { id: caseId } }))?.revision ?? 0) >= 1 || undefined);

  // Only an administrator may preview.
  const refused = await requestAs('caseworker-a', service.url, 'POST', '/calendar/years/2026/preview', { text: NOTICE_2026 });
  expect(refused.status).toBe(403);
  const badText = await requestAs('admin', service.url, 'POST', '/calendar/years/2026/preview', { text: NOTICE_2026.replace('共7天', '共8天') });
  expect(badText).toMatchObject({ status: 400, body: { field: 'text', message: expect.stringMatching(/^line \d+: .*七、国庆节/) } });
  const empty = await requestAs('admin', service.url, 'POST', '/calendar/years/2026/preview', { text: ' ' });
  expect(empty).toMatchObject({ status: 400, body: { field: 'text' } });
  // The structured body PUT takes is previewed too, checked as PUT checks it: a Monday is no make-up working day.
  const weekdayMakeup = await requestAs('admin', service.url, 'POST', '/calendar/years/2026/preview', { notice: 'TEST', holidays: {}, makeupWorkdays: { '2026-10-12': 'TEST' } });
  expect(weekdayMakeup).toMatchObject({ status: 400, body: { field: 'makeupWorkdays.2026-10-12' } });

  const page = await signIn('admin');
  await page.goto(`${service.url}/#/calendar`);
  await page.getByRole('heading', { name: '节假日日历' }).waitFor();
  await page.getByLabel('国务院办公厅节假日安排通知全文').fill(NOTICE_2026);
  await page.getByRole('button', { name: '解析并预览影响' }).click();
  await page.getByText('将被调整的在办案件期限').waitFor();
  const parsed = await page.locator('.ant-card').filter({ hasText: '解析结果' }).innerText();
  expect(parsed).toContain('国庆节');
  expect(parsed).toContain('10-10 周六');
  const row = page.locator('.ant-table-row').filter({ hasText: caseId.slice(0, 8).toUpperCase() }).first();
  await row.waitFor();
  const cells = await row.locator('td').allInnerTexts();
  const [, , from, to, moved] = cells;
  expect(from).not.toBe(to);
  expect(moved).toMatch(/^[+-]\d+$/);
  await expectAccessible(page);

  // Nothing changed yet.
  const still = (await requestAs('admin', service.url, 'GET', `/cases/${caseId}`)).body as { deadlines: DeadlineBody[] };
  expect(still.deadlines.filter((d) => d.dueDate !== null).every((d) => d.provisional)).toBe(true);

  await page.getByRole('button', { name: '载入该通知' }).click();
  await page.getByRole('status').filter({ hasText: '已载入' }).waitFor();
  const expected = to.slice(0, 10);
  await waitFor(async () => {
    const c = (await requestAs('admin', service.url, 'GET', `/cases/${caseId}`)).body as { deadlines: DeadlineBody[] };
    return c.deadlines.some((d) => d.dueDate === expected && !d.provisional) || undefined;
  });
}, 180_000);

test('the calculator counts 15 working days from 2026-09-28 over National Day, with its month calendar', async () => {
  // The real 2026 notice in force whatever the test before did (loading it again changes nothing).
  const structured = (await requestAs('admin', service.url, 'POST', '/calendar/years/2026/preview', { text: NOTICE_2026 })).body as Record<string, unknown>;
  const put = await requestAs('admin', service.url, 'PUT', '/calendar/years/2026', { notice: structured.notice, holidays: structured.holidays, makeupWorkdays: structured.makeupWorkdays });
  expect(put.status).toBe(200);
  for (const width of [1280, 390]) {
    const page = await signIn('caseworker-a', width);
    await page.goto(`${service.url}/#/calculator`);
    await page.getByRole('heading', { name: '期限计算器' }).waitFor();
    await page.getByLabel('起算日（当日不计入）').fill('2026-09-28');
    await page.getByRole('spinbutton', { name: '期间' }).fill('15');
    await page.getByRole('button', { name: '计算', exact: true }).click();
    await page.getByTestId('due-date').waitFor();
    const api = (await (await fetch(`${service.url}/calendar/deadline?from=2026-09-28&workingDays=15`)).json()) as { dueDate: string };
    expect(await page.getByTestId('due-date').innerText()).toMatch(new RegExp(`^${api.dueDate} 周.$`));
    // National Day red, its make-up Saturday blue, the due date inside the counted days.
    expect(await page.locator('td[data-date="2026-10-05"]').getAttribute('data-mark')).toBe('holiday');
    expect(await page.locator('td[data-date="2026-10-10"]').getAttribute('data-mark')).toBe('makeup');
    expect(await page.locator(`td[data-date="${api.dueDate}"]`).getAttribute('data-mark')).toBe('counted');
    // Before the period: Mid-Autumn and the make-up Sunday of National Day, from GET /calendar/days.
    await page.locator('td[data-date="2026-09-20"][data-mark="makeup"]').waitFor();
    expect(await page.locator('td[data-date="2026-09-25"]').getAttribute('data-mark')).toBe('holiday');
    expect(await page.locator('table[data-month]').evaluateAll((ts) => ts.map((t) => t.getAttribute('data-month')))).toEqual(['2026-09', '2026-10']);
    await expectAccessible(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, `calculator-${width}.png`), fullPage: true });
  }
  // In English too, the dates unchanged.
  const page = await signIn('caseworker-a');
  await page.goto(`${service.url}/#/calculator`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Deadline calculator' }).waitFor();
  await page.getByRole('button', { name: 'Compute', exact: true }).click();
  expect(await page.getByTestId('due-date').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} (Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/);
}, 120_000);
