import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { ensureBuilt } from '../support/build';
import { choose, expectAccessible, launchChromium, SCREENSHOTS, signIn as signInAs } from '../support/browser';
import { requestAs } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';

// The procedure map (#/procedures) in Debian's Chromium, as web-app.e2e.spec.ts runs the app: every expected label is
// read from GET /procedures, the definition the map is drawn from.

interface State {
  state: string;
  label: string;
  labelZh: string;
  transitions?: { action: string; to: string[] }[];
}
interface Definition {
  procedure: string;
  version: number;
  title: string;
  titleZh: string;
  states: State[];
  clocks: { key: string; label: string; labelZh: string }[];
}

let temporal: DevServerHandle;
let service: RunningService;
let browser: Browser;
let definitions: Definition[];

beforeAll(async () => {
  await ensureBuilt();
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-map'));
  browser = await launchChromium();
  const res = await requestAs('caseworker-a', service.url, 'GET', '/procedures');
  expect(res.status).toBe(200);
  definitions = (res.body as { items: Definition[] }).items;
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await temporal?.stop();
});

const signIn = (user: string, width?: number) => signInAs(browser, service.url, user, width);

const newest = (procedure: string) => definitions.filter((d) => d.procedure === procedure).sort((a, b) => b.version - a.version)[0];
const squeeze = (s: string | null) => (s ?? '').replace(/\s+/g, '');

const chooseProcedure = (page: Page, title: string) => choose(page, '选择程序', title);

test('the map of the newest objection-review shows every state and the arrows its definition declares, in Chinese then English', async () => {
  const def = newest('objection-review');
  const page = await signIn('caseworker-a', 1280);
  await page.getByRole('link', { name: '程序图' }).click();
  await page.getByRole('heading', { name: '程序图' }).waitFor();
  await chooseProcedure(page, `${def.titleZh} · 第${def.version}版（最新）`);
  const map = page.getByRole('img', { name: new RegExp(`${def.titleZh} · 第${def.version}版`) });
  await map.waitFor();

  const svgText = squeeze(await map.textContent());
  for (const s of def.states) expect(svgText).toContain(squeeze(s.labelZh));
  const arrows = def.states.flatMap((s) => (s.transitions ?? []).flatMap((tr) => tr.to.filter((to) => to !== s.state).map((to) => ({ from: s.state, to, action: tr.action }))));
  expect(arrows.length).toBeGreaterThan(0);
  for (const a of arrows) expect(await map.locator(`[data-edge="${a.from}->${a.to}"]`).textContent()).toContain(a.action);
  // The same in the tables, for a reader who does not see the drawing.
  for (const c of def.clocks) await page.getByRole('cell', { name: new RegExp(c.labelZh) }).first().waitFor();
  await expectAccessible(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'procedure-map-1280.png'), fullPage: true });

  await page.getByRole('button', { name: 'English' }).click();
  const english = page.getByRole('img', { name: new RegExp(`${def.title}`) });
  await english.waitFor();
  const enText = squeeze(await english.textContent());
  for (const s of def.states) expect(enText).toContain(squeeze(s.label));
  await page.getByRole('columnheader', { name: 'Period' }).waitFor();
}, 120_000);

test('an older version without declared transitions lists its states and actions with no arrow, and says so', async () => {
  const older = definitions.find((d) => d.procedure === 'objection-review' && !d.states.some((s) => s.transitions))!;
  expect(older).toBeDefined();
  const page = await signIn('caseworker-a', 390);
  await page.goto(`${service.url}/#/procedures`);
  await page.getByRole('heading', { name: '程序图' }).waitFor();
  const def = newest('objection-review');
  await chooseProcedure(page, `${def.titleZh} · 第${def.version}版（最新）`);
  await page.getByRole('img', { name: new RegExp(`第${def.version}版`) }).waitFor();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'procedure-map-390.png'), fullPage: true });
  await chooseProcedure(page, `${older.titleZh} · 第${older.version}版`);
  await page.getByText(/^本版本未声明状态转移/).waitFor();
  const map = page.getByRole('img', { name: new RegExp(`第${older.version}版`) });
  const svgText = squeeze(await map.textContent());
  for (const s of older.states) expect(svgText).toContain(squeeze(s.labelZh));
  expect(await map.locator('[data-edge]').count()).toBe(0);
  await expectAccessible(page);
}, 120_000);
