import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { ensureBuilt } from '../support/build';
import { choose, expectAccessible, launchChromium, SCREENSHOTS, signIn as signInAs } from '../support/browser';
import { requestAs } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueUscc } from '../support/subjects';
import { uniqueQueue } from '../support/temporal';

// The web app in Debian's Chromium (no browser download: .ci/run and the README's set-up install the package), served
// by the service itself, against the Temporal dev server and PostgreSQL. Screenshots go to docs/screenshots.

let temporal: DevServerHandle;
let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt();
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-web'));
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await temporal?.stop();
});

const signIn = (user: string, width?: number) => signInAs(browser, service.url, user, width);

test('the app is served at / with a content security policy that allows no other origin', async () => {
  const res = await fetch(`${service.url}/`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await res.text();
  expect(html).toContain('<div id="root">');
  expect(html).not.toMatch(/https?:\/\//);
});

test('a caseworker signs in, files a case from its generated form and sees its deadline explained in Beijing time', async () => {
  const page = await signIn('caseworker-a');
  await expectAccessible(page);
  await page.getByRole('link', { name: '登记新案件' }).click();
  await choose(page, '选择程序', '信用信息提供单位更正');
  const uscc = uniqueUscc();
  await page.getByLabel('信用主体名称（姓名）').fill('哈尔滨网页测试有限公司');
  await page.getByLabel('统一社会信用代码').fill(uscc);
  await page.getByLabel('受理时间').fill('2026-09-28');
  await page.getByRole('button', { name: '登记', exact: true }).click();

  const heading = page.getByRole('heading', { name: /^案件编号 [0-9A-F]{8} · 信用信息提供单位更正$/ });
  await heading.waitFor();
  // Received on 2026-09-28 (late entry): the working days counted skip the National Day holiday (2026-10-01 to 10-07).
  await page.getByRole('button', { name: /更正公共信用信息 届满日/ }).click();
  await page.getByText('计入的日数').waitFor();
  // The period as a small calendar: National Day not counted, the filing day underlined, the due day framed.
  await page.locator('td[data-date="2026-10-01"][data-mark="holiday"]').first().waitFor();
  const deadlines = await page.locator('.ant-collapse').innerText();
  expect(deadlines).toMatch(/届满日 \d{4}-\d{2}-\d{2} 周./);
  expect(deadlines).toContain('国庆节');
  expect(await page.getByText('2026-09-28 00:00 (北京时间)').count()).toBe(1);
  await expectAccessible(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'case-1280.png'), fullPage: true });

  // The work list finds it by credit code, nearest deadline first.
  await page.getByRole('link', { name: '待办案件' }).click();
  await page.getByLabel(/^搜索/).fill(uscc.toLowerCase());
  await page.getByLabel(/^搜索/).press('Enter');
  await page.getByRole('cell', { name: /哈尔滨网页测试有限公司/ }).waitFor();
  expect(await page.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(1);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'work-list-1280.png'), fullPage: true });
  const caseUrl = await page.locator('.ant-table-tbody a').first().getAttribute('href');

  // The same work list and case page at phone width.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.getByRole('cell', { name: /哈尔滨网页测试有限公司/ }).waitFor();
  await expectAccessible(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'work-list-390.png'), fullPage: true });
  await page.goto(`${service.url}/${caseUrl}`);
  await heading.waitFor();
  await expectAccessible(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'case-390.png'), fullPage: true });

  // Another unit's caseworker finds nothing and cannot open it.
  const other = await signIn('caseworker-b', 390);
  await other.getByLabel(/^搜索/).fill(uscc);
  await other.getByLabel(/^搜索/).press('Enter');
  await other.getByText('共 0').waitFor();
  await other.goto(`${service.url}/${caseUrl}`);
  await other.getByText('找不到该案件，或您无权查看。').waitFor();
  await other.screenshot({ path: path.join(SCREENSHOTS, 'refused-390.png'), fullPage: true });
}, 120_000);

test('GET /cases?q= finds exact name, credit code in any case, case number and paper file number; a blank q is a 400 naming it', async () => {
  const uscc = uniqueUscc();
  const fileNumber = `哈信更〔2026〕${uscc.slice(-6)}号`;
  const filed = await requestAs('caseworker-a', service.url, 'POST', '/cases', {
    procedure: 'information-correction',
    idempotencyKey: `web-q-${uscc}`,
    receivedAt: '2026-12-01',
    evidenceRef: fileNumber,
    subject: { name: '搜索测试有限公司', uscc },
  });
  expect(filed.status).toBe(201);
  const id = (filed.body as { id: string }).id;
  const search = async (user: string, q: string) => requestAs(user, service.url, 'GET', `/cases?q=${encodeURIComponent(q)}`);
  for (const q of [uscc, uscc.toLowerCase(), id.slice(0, 8), id.slice(0, 8).toUpperCase(), id, fileNumber, ` ${fileNumber} `]) {
    const res = await search('caseworker-a', q);
    expect(res.status).toBe(200);
    expect((res.body as { items: { id: string }[] }).items.map((c) => c.id)).toContain(id);
  }
  const byName = (await search('caseworker-a', '搜索测试有限公司')).body as { items: { id: string }[] };
  expect(byName.items.map((c) => c.id)).toContain(id);
  expect(((await search('caseworker-a', '搜索测试')).body as { total: number }).total).toBe(0);
  expect(((await search('caseworker-a', fileNumber.slice(0, -1))).body as { total: number }).total).toBe(0);
  expect(((await search('caseworker-b', uscc)).body as { total: number }).total).toBe(0);
  const blank = await search('caseworker-a', '   ');
  expect(blank.status).toBe(400);
  expect(blank.body).toMatchObject({ field: 'q' });
});

test('demo sign-in refuses a user outside the demo directory, naming the field', async () => {
  const res = await fetch(`${service.url}/sign-in/demo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'nobody' }) });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ field: 'userId' });
});

test('a caseworker acts from the generated form and sees the state change; a refused action shows its rule', async () => {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const filed = await requestAs('caseworker-a', service.url, 'POST', '/cases', {
    procedure: 'commitment-verification',
    idempotencyKey: `web-act-${Date.now()}`,
    receivedAt: today,
    subject: { name: '网页操作测试有限公司', uscc: uniqueUscc() },
    licence: { number: `L-web-${Date.now()}`, decidedAt: today },
  });
  expect(filed.status).toBe(201);
  const id = (filed.body as { id: string }).id;
  const page = await signIn('caseworker-a');
  await page.goto(`${service.url}/#/cases/${id}`);
  await page.getByRole('heading', { name: /^案件编号/ }).waitFor();
  const stateBefore = await page.locator('.ant-descriptions-item-content').first().innerText();

  await choose(page, '选择操作', '记录承诺履行情况核查结果');
  await choose(page, '核查结论', '未履行承诺');
  await page.getByLabel('核查情况').fill('未按承诺时间营业');
  const eventsBefore = await page.locator('.ant-timeline-item').count();
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await page.waitForFunction((before) => (globalThis as unknown as { document: { querySelector: (s: string) => { textContent: string } | null } }).document.querySelector('.ant-descriptions-item-content')?.textContent !== before, stateBefore);
  expect(await page.locator('.ant-timeline-item').count()).toBeGreaterThan(eventsBefore);

  // Approving an extension is a supervisor's: the refusal names its rule beside the form.
  await choose(page, '选择操作', '批准延长申请（主管）');
  await page.getByLabel('期限编号').fill('rectification');
  await page.getByRole('button', { name: '提交', exact: true }).click();
  const refusal = page.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.innerText()).toMatch(/规则\s*[a-z-]+/);
  await expectAccessible(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'refusal-1280.png'), fullPage: true });
}, 120_000);

test('a supervisor sees the late case on the board and approves an extension waiting', async () => {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const filed = await requestAs('caseworker-a', service.url, 'POST', '/cases', {
    procedure: 'commitment-verification',
    idempotencyKey: `web-ext-${Date.now()}`,
    receivedAt: today,
    subject: { name: '网页延期测试有限公司', uscc: uniqueUscc() },
    licence: { number: `L-ext-${Date.now()}`, decidedAt: today },
  });
  const id = (filed.body as { id: string }).id;
  const act = (body: Record<string, unknown>) => requestAs('caseworker-a', service.url, 'POST', `/cases/${id}/actions`, body);
  expect(await act({ action: 'verify', outcome: 'not-kept', findings: '未按承诺整改' })).toMatchObject({ status: 200 });
  expect(await act({ action: 'order-rectification', period: { workingDays: 10 }, requirements: '按承诺整改' })).toMatchObject({ status: 200 });
  expect(await act({ action: 'request-extension', deadlineKey: 'rectification', workingDays: 5, reason: '洪水致场所关闭' })).toMatchObject({ status: 200 });

  const page = await signIn('supervisor-a');
  await page.getByRole('link', { name: '督办看板' }).click();
  await page.getByRole('heading', { name: '督办看板' }).waitFor();
  await page.getByRole('button', { name: `批准延期 ${id.slice(0, 8).toUpperCase()}` }).waitFor();
  // The case filed late in the first browser test is overdue: red on the board, with its working days overdue.
  await page.getByText(/已超期 · (red|escalation-\d+)/).first().waitFor();
  await expectAccessible(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'board-1280.png'), fullPage: true });
  await page.getByRole('button', { name: `批准延期 ${id.slice(0, 8).toUpperCase()}` }).click();
  await page.getByText(/^已批准延期/).waitFor();
  // The list reloads after the approval: the request leaves it.
  await page.getByRole('button', { name: `批准延期 ${id.slice(0, 8).toUpperCase()}` }).waitFor({ state: 'detached' });
  const after = await requestAs('supervisor-a', service.url, 'GET', `/cases/${id}`);
  expect((after.body as { events: { type: string; actor: string }[] }).events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'extension.approved', actor: 'supervisor-a' })]));
  const narrow = await signIn('supervisor-a', 390);
  await narrow.goto(`${service.url}/#/board`);
  await narrow.getByRole('heading', { name: '督办看板' }).waitFor();
  await narrow.screenshot({ path: path.join(SCREENSHOTS, 'board-390.png'), fullPage: true });
}, 120_000);

test('a caseworker claims an unassigned case from its page and finds it under 分配给我', async () => {
  const filed = await requestAs('supervisor-a', service.url, 'POST', '/cases', {
    procedure: 'information-correction',
    idempotencyKey: `web-claim-${Date.now()}`,
    receivedAt: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
    subject: { name: '网页领取测试有限公司', uscc: uniqueUscc() },
  });
  expect(filed.status).toBe(201);
  const id = (filed.body as { id: string }).id;
  expect(await requestAs('supervisor-a', service.url, 'PUT', `/cases/${id}/assignee`, { userId: null })).toMatchObject({ status: 200 });

  const page = await signIn('caseworker-a');
  await page.goto(`${service.url}/#/cases/${id}`);
  await page.getByTestId('assignee').getByText('未分配').waitFor();
  await page.getByRole('button', { name: '领取', exact: true }).click();
  await page.getByTestId('assignee').getByText('Caseworker of unit A (caseworker-a)').waitFor();
  await expectAccessible(page);

  await page.getByRole('link', { name: '待办案件' }).click();
  // Button-style radios: the input is hidden under its label, which takes the click.
  const filter = (label: string) => page.getByRole('radiogroup', { name: '分配' }).locator('label', { hasText: label });
  await filter('分配给我').click();
  expect(await page.getByRole('radio', { name: '分配给我' }).isChecked()).toBe(true);
  const caseNumber = id.slice(0, 8).toUpperCase();
  await page.getByRole('link', { name: caseNumber }).waitFor();
  await filter('未分配').click();
  await page.getByRole('link', { name: caseNumber }).waitFor({ state: 'detached' });
  await expectAccessible(page);
}, 120_000);

test('an administrator deactivates a user in 单位与用户 and reactivates them', async () => {
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  // A unit sorting before the demo ones puts the user on the list's first page.
  const unit = `0web-${run}`;
  const user = `0web-cw-${run}`;
  expect(await requestAs('admin', service.url, 'PUT', `/units/${unit}`, { name: `unit ${unit}`, parentId: 'a' })).toMatchObject({ status: 200 });
  expect(await requestAs('admin', service.url, 'PUT', `/users/${user}`, { name: 'Leaving caseworker', unitId: unit, roles: ['caseworker'] })).toMatchObject({ status: 200 });
  const page = await signIn('admin');
  await page.getByRole('link', { name: '单位与用户' }).click();
  await page.getByRole('button', { name: `停用 ${user}` }).click();
  await page.getByRole('button', { name: `重新启用 ${user}` }).waitFor();
  await page.getByRole('row', { name: new RegExp(user) }).getByText('已停用').waitFor();
  const listed = async () => (await requestAs('admin', service.url, 'GET', '/users')).body.items.find((u: { id: string }) => u.id === user);
  expect(await listed()).toMatchObject({ active: false });
  await page.getByRole('button', { name: `重新启用 ${user}` }).click();
  await page.getByRole('button', { name: `停用 ${user}` }).waitFor();
  expect(await listed()).toMatchObject({ active: true });
  await page.close();
});
