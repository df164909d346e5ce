import { generateKeyPair, SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { ensureBuilt } from '../support/build';
import { launchChromium } from '../support/browser';
import { OIDC_CLIENT_ID, startOidcProvider, TestOidcProvider } from '../support/oidc-provider';
import { startDevServer, startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';

// Sign-in through a real OpenID Connect provider (oidc-provider, its own login and logout pages): authorization code
// with PKCE in Chromium under the app's content security policy, the provider's JWT access token accepted by the API.

const AUDIENCE = 'legal-deadlines';
let temporal: DevServerHandle;
let provider: TestOidcProvider;
let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt();
  provider = await startOidcProvider(AUDIENCE);
  temporal = await startDevServer();
  // The demo directory is on (its users are the provider's accounts here): with a provider it is still never offered.
  service = await startTestService(temporal.address, uniqueQueue('e2e-oidc'), true, { AUTH_OIDC_ISSUER: provider.issuer, AUTH_OIDC_CLIENT_ID: OIDC_CLIENT_ID, DEMO_DIRECTORY: 'true' });
  await provider.registerClient(service.url);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await provider?.stop();
  await temporal?.stop();
});

/** A fresh browser session (no bypassCSP: the app's policy must let it call the provider's token endpoint). */
async function newPage(): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'UTC' })).newPage();
}

/** From the app's sign-in page through the provider's login (and consent) back to the work list. */
async function signInAtProvider(page: Page, user: string): Promise<void> {
  await page.goto(service.url);
  await page.getByRole('button', { name: '通过统一身份认证登录' }).click();
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  await page.locator('input[name=login]').fill(user);
  await page.locator('input[name=password]').fill('any');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  const workList = page.getByRole('heading', { name: '待办案件' });
  await Promise.race([consent.waitFor(), workList.waitFor()]);
  if (await consent.isVisible()) await consent.click();
  await workList.waitFor();
}

/** The page's sessionStorage (this file is compiled without the DOM's types). */
type BrowserGlobals = { sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void } };

const storedSession = (page: Page) =>
  page.evaluate(() => JSON.parse((globalThis as unknown as BrowserGlobals).sessionStorage.getItem('ldl.session') ?? 'null') as { token: string; expiresAt: string } | null);

test('a caseworker signs in at the identity provider, works with its token, and signs out there', async () => {
  const options = (await (await fetch(`${service.url}/sign-in/options`)).json()) as { demoUsers: unknown[]; demoSignIn: string; oidc: Record<string, string> };
  expect(options).toMatchObject({ demoUsers: [], demoSignIn: 'off-identity-provider', oidc: { issuer: provider.issuer, clientId: OIDC_CLIENT_ID, scope: 'openid profile' } });
  expect(options.oidc.endSessionEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  expect((await fetch(`${service.url}/sign-in/demo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"userId":"admin"}' })).status).toBe(404);
  expect((await fetch(`${service.url}/`)).headers.get('content-security-policy')).toContain(`connect-src 'self' ${provider.issuer};`);

  const page = await newPage();
  await page.goto(service.url);
  await page.getByRole('button', { name: '通过统一身份认证登录' }).waitFor();
  expect(await page.getByRole('button', { name: /以此身份登录/ }).count()).toBe(0);

  await signInAtProvider(page, 'caseworker-a');
  // The name comes from GET /me, answered for the provider's token; the callback's code and state are gone from the URL.
  await page.getByText('Caseworker of unit A (caseworker-a)').waitFor();
  expect(new URL(page.url()).search).toBe('');
  const session = await storedSession(page);
  const claims = JSON.parse(Buffer.from(session!.token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
  expect(claims).toMatchObject({ iss: provider.issuer, aud: AUDIENCE, sub: 'caseworker-a' });
  expect((await fetch(`${service.url}/me`, { headers: { Authorization: `Bearer ${session!.token}` } })).status).toBe(200);

  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL((url) => url.href.startsWith(service.url));
  await page.getByRole('button', { name: '通过统一身份认证登录' }).waitFor();
  expect(await storedSession(page)).toBeNull();
}, 120_000);

test('a token the provider did not sign is refused, and a refused session returns the app to the sign-in page', async () => {
  const { jwks_uri } = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  const { keys } = (await (await fetch(jwks_uri)).json()) as { keys: { kid: string }[] };
  const { privateKey } = await generateKeyPair('RS256');
  // The provider's issuer and key id, another key.
  const forged = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: keys[0].kid, typ: 'at+jwt' })
    .setIssuer(provider.issuer)
    .setAudience(AUDIENCE)
    .setSubject('admin')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
  const res = await fetch(`${service.url}/me`, { headers: { Authorization: `Bearer ${forged}`, 'Accept-Language': 'en' } });
  expect(res.status).toBe(401);
  expect(((await res.json()) as { message: string }).message).toMatch(/not signed by the configured identity provider/);

  const page = await newPage();
  await page.goto(service.url);
  await page.evaluate((token) => (globalThis as unknown as BrowserGlobals).sessionStorage.setItem('ldl.session', JSON.stringify({ token, expiresAt: new Date(Date.now() + 600_000).toISOString(), user: 'admin' })), forged);
  await page.reload();
  await page.getByText('登录已过期，请重新登录').waitFor();
  await page.getByRole('button', { name: '通过统一身份认证登录' }).waitFor();
  expect(await storedSession(page)).toBeNull();
}, 60_000);

test('the app signs out by itself when the access token expires', async () => {
  await provider.setAccessTokenTtl(20);
  try {
    const page = await newPage();
    const started = Date.now();
    await signInAtProvider(page, 'caseworker-a');
    const session = await storedSession(page);
    // The provider's 20-second token, not its usual 600 (exp is in whole seconds; the sign-in itself takes a moment).
    expect(Date.parse(session!.expiresAt) - started).toBeLessThanOrEqual(60_000);
    await page.getByText('登录已过期，请重新登录').waitFor({ timeout: 40_000 });
    await page.getByRole('button', { name: '通过统一身份认证登录' }).waitFor();
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(session!.expiresAt));
    expect(await storedSession(page)).toBeNull();
  } finally {
    await provider.setAccessTokenTtl(600);
  }
}, 90_000);
