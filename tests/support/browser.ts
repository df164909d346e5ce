import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

// The browser tests drive Debian's Chromium (no browser download: .ci/run and the README's set-up install the package).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Headless Chromium with no traffic of its own (the machines' network is closed: background calls only fail). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser session signed in as a demo user by the sign-in page (no token from a CLI). */
export async function signIn(browser: Browser, serviceUrl: string, user: string, width = 1280): Promise<Page> {
  // bypassCSP only so that axe can be injected; the app itself runs under its policy (web-app.e2e checks the header).
  const page = await (await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 }, locale: 'zh-CN', timezoneId: 'UTC' })).newPage();
  await page.goto(serviceUrl);
  await page.getByRole('button', { name: `以此身份登录: ${user}` }).click();
  await page.getByRole('heading', { name: '待办案件' }).waitFor();
  return page;
}

/** axe-core on the page as it is: no serious or critical violation (each named with its element and why). */
export async function expectAccessible(page: Page): Promise<void> {
  // Colours caught mid-transition (a panel fading in, a drop-down closing) would make the contrast check flaky: let
  // running animations end first, then hold them off while axe runs. Only then: Ant Design's pop-ups wait for their
  // animation's end event, which never comes with animations off.
  await page
    .waitForFunction(() => (globalThis as unknown as { document: { getAnimations: () => { playState: string }[] } }).document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5_000 })
    .catch(() => undefined); // an endless animation (a spinner) never ends: judge the page as it is
  const still = await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    type Violation = { id: string; impact: string; nodes: { target: string[]; html: string; failureSummary?: string }[] };
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run()).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)} ${n.failureSummary ?? ''}`).join(', ')}`);
  });
  await still.evaluate((style) => style.remove());
  expect(violations).toEqual([]);
}

/**
 * Picks `option` in the Ant Design select labelled `label`, and checks it took: a click that lands while the drop-down
 * is still moving in is lost on a loaded machine, so it is tried again (up to three times) until the select shows it.
 */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await page.getByTitle(option, { exact: true }).last().click();
    const chosen = page.locator('.ant-select', { has: select, hasText: option });
    try {
      await chosen.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}
