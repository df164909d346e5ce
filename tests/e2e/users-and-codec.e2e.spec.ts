import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ensureLocalSigningKey, signLocalToken } from '../../src/auth/local-signing-key';
import path from 'node:path';
import { DevServerHandle, startTemporalDevServer } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { testPrisma } from '../support/db';
import { holdAnswersToDocument, requestAs } from '../support/http';
import { testDataConverter } from '../support/kernel';
import { startDevServer, startTestService } from '../support/service';
import { testTempDir } from '../support/temp';
import { uniqueQueue } from '../support/temporal';

// People leave (decision 0022): an administrator deactivates a user and the next request with any of their tokens — a
// local token (`npm run token`, demo sign-in) or an identity provider's — is refused; reactivation does not bring
// tokens issued before it back. And the codec endpoint the Temporal Web UI decodes payloads through: administrators
// get them decrypted (each decode recorded), anyone else the ciphertext. The run makes its own unit and users.
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const UNIT = `lv-${run}`;
const LEAVER = `lv-cw-${run}`;
const STAYER = `lv-cw2-${run}`;
const IDP_ISSUER = 'https://idp.test.invalid';
const UI_ORIGIN = 'http://127.0.0.1:8233';

let temporal: DevServerHandle;
let service: RunningService;
/** An API of the same database that trusts an identity provider's keys (AUTH_JWKS_URL) instead of the local key. */
let idpService: RunningService;
let jwks: Server;
let idpToken: (sub: string) => Promise<string>;
const prisma = testPrisma();

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  jwks = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  idpToken = (sub) =>
    new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'idp-1' }).setSubject(sub).setIssuer(IDP_ISSUER).setAudience('legal-deadlines').setIssuedAt().setExpirationTime('1h').sign(privateKey);
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-users'));
  idpService = await startTestService(temporal.address, uniqueQueue('e2e-users-idp'), false, {
    AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`,
    AUTH_ISSUER: IDP_ISSUER,
  });
  await holdAnswersToDocument(service.url);
  expect(await requestAs('admin', service.url, 'PUT', `/units/${UNIT}`, { name: `unit ${UNIT}`, parentId: 'a' })).toMatchObject({ status: 200 });
  for (const id of [LEAVER, STAYER]) {
    expect(await requestAs('admin', service.url, 'PUT', `/users/${id}`, { name: `Caseworker ${id}`, unitId: UNIT, roles: ['caseworker'] })).toMatchObject({ status: 200, body: { active: true } });
  }
}, 180_000);

afterAll(async () => {
  await idpService?.stop();
  await service?.stop();
  await temporal?.stop();
  await prisma.$disconnect();
  jwks?.close();
});

const localToken = async (user: string) => signLocalToken(await ensureLocalSigningKey(process.env.AUTH_LOCAL_KEY_FILE!), user);

async function call(url: string, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as any };
}
const setActive = (id: string, active: boolean, as = 'admin') => requestAs(as, service.url, 'PUT', `/users/${id}`, { active });
const recipients = async (level: string) =>
  (await prisma.$queryRaw<{ user_id: string }[]>`SELECT user_id FROM escalation_recipients(${UNIT}, ${UNIT}, ${level}, 0)`).map((r) => r.user_id).sort();

describe('people leave', () => {
  it('refuses every token of a deactivated user at their next request, records who did it, and keeps old tokens refused after reactivation', async () => {
    const local = await localToken(LEAVER);
    const fromIdp = await idpToken(LEAVER);
    expect(await call(service.url, 'GET', '/me', local)).toMatchObject({ status: 200, body: { user: LEAVER } });
    expect(await call(idpService.url, 'GET', '/me', fromIdp)).toMatchObject({ status: 200, body: { user: LEAVER } });

    expect(await setActive(LEAVER, false, 'supervisor-root')).toMatchObject({ status: 403, body: { rule: 'role' } });
    const before = Date.now();
    expect(await setActive(LEAVER, false)).toMatchObject({ status: 200, body: { id: LEAVER, active: false, roles: ['caseworker'] } });
    const refused = { status: 403, body: { rule: 'user-deactivated', message: expect.stringContaining('deactivated') } };
    expect(await call(service.url, 'GET', '/me', local)).toMatchObject(refused);
    expect(await call(service.url, 'GET', '/cases', local)).toMatchObject(refused);
    expect(await call(idpService.url, 'GET', '/me', fromIdp)).toMatchObject(refused);
    expect(await call(idpService.url, 'GET', '/me', await idpToken(LEAVER))).toMatchObject(refused);
    expect(await call(service.url, 'GET', '/me', await localToken(LEAVER), undefined, { 'accept-language': 'zh' })).toMatchObject({ status: 403, body: { message: expect.stringContaining('已被停用') } });
    // Someone else of the unit is untouched.
    expect(await call(service.url, 'GET', '/me', await localToken(STAYER))).toMatchObject({ status: 200 });

    const listed = (await requestAs('admin', service.url, 'GET', '/users')).body.items.find((u: { id: string }) => u.id === LEAVER);
    expect(listed).toMatchObject({ active: false });
    expect((await requestAs('supervisor-a', service.url, 'GET', `/units/${UNIT}/members`)).body.items.map((u: { id: string }) => u.id)).toEqual([STAYER]);
    const changes = await prisma.userStatusChange.findMany({ where: { userId: LEAVER }, orderBy: { id: 'asc' } });
    expect(changes).toMatchObject([{ active: false, by: 'admin' }]);
    expect(changes[0].at.getTime()).toBeGreaterThanOrEqual(before - 1000);

    expect(await setActive(LEAVER, true)).toMatchObject({ status: 200, body: { active: true } });
    const stale = { status: 401, body: { message: expect.stringContaining('issued before their account was last deactivated or reactivated') } };
    expect(await call(service.url, 'GET', '/me', local)).toMatchObject(stale);
    expect(await call(idpService.url, 'GET', '/me', fromIdp)).toMatchObject(stale);
    // `iat` counts seconds: a token of a later second than the reactivation counts.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await call(service.url, 'GET', '/me', await localToken(LEAVER))).toMatchObject({ status: 200, body: { user: LEAVER } });
    expect(await call(idpService.url, 'GET', '/me', await idpToken(LEAVER))).toMatchObject({ status: 200, body: { user: LEAVER } });
    expect((await prisma.userStatusChange.findMany({ where: { userId: LEAVER }, orderBy: { id: 'asc' } })).map((c) => [c.active, c.by])).toEqual([
      [false, 'admin'],
      [true, 'admin'],
    ]);
  });

  it('refuses an administrator deactivating themselves, a non-boolean, and the status of a user who does not exist', async () => {
    expect(await setActive('admin', false)).toMatchObject({ status: 400, body: { field: 'active' } });
    expect(await requestAs('admin', service.url, 'PUT', `/users/${STAYER}`, { active: 'no' })).toMatchObject({ status: 400, body: { field: 'active' } });
    expect(await setActive(`nobody-${run}`, false)).toMatchObject({ status: 404 });
  });

  it('addresses escalations to active users only, and to the supervisors above when nobody the step is for is left', async () => {
    const second = `lv-cw3-${run}`;
    const unit = `lv2-${run}`;
    expect(await requestAs('admin', service.url, 'PUT', `/units/${unit}`, { name: `unit ${unit}`, parentId: 'a' })).toMatchObject({ status: 200 });
    expect(await requestAs('admin', service.url, 'PUT', `/users/${second}`, { name: 'Caseworker', unitId: unit, roles: ['caseworker'] })).toMatchObject({ status: 200 });
    const of = async (level: string) =>
      (await prisma.$queryRaw<{ user_id: string }[]>`SELECT user_id FROM escalation_recipients(${unit}, ${unit}, ${level}, 0)`).map((r) => r.user_id).sort();
    expect(await of('red')).toEqual([second]);
    expect(await setActive(second, false)).toMatchObject({ status: 200 });
    expect(await of('red')).toEqual(['supervisor-a']);
    expect(await of('yellow')).toEqual(['supervisor-a']);
    expect(await recipients('red')).toEqual([LEAVER, STAYER].sort());
  });

  it('refuses assigning a case to a deactivated user', async () => {
    expect(await requestAs('admin', service.url, 'PUT', `/users/${STAYER}`, { name: 'Caseworker', unitId: UNIT, roles: ['caseworker'], active: false })).toMatchObject({ status: 200, body: { active: false } });
    const filed = await requestAs(LEAVER, service.url, 'POST', '/cases', {
      procedure: 'objection-review',
      grounds: ['error'],
      reasons: '记录与原始文书不符',
      idempotencyKey: `lv-${run}`,
      receivedAt: new Date().toISOString(),
      subject: { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' },
    });
    expect(filed.status).toBe(201);
    expect(await requestAs('admin', service.url, 'PUT', `/cases/${filed.body.id}/assignee`, { userId: STAYER })).toMatchObject({ status: 400, body: { field: 'userId', message: expect.stringContaining('deactivated') } });
    expect(await setActive(STAYER, true)).toMatchObject({ status: 200, body: { active: true } });
  });
});

describe('codec endpoint for the Temporal Web UI', () => {
  const person = { name: '张三', idNumber: '110101199003077777' };
  let encrypted: { metadata: Record<string, string>; data: string };
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  beforeAll(async () => {
    const [sealed] = await testDataConverter().payloadCodecs![0].encode([defaultPayloadConverter.toPayload(person)]);
    encrypted = { metadata: Object.fromEntries(Object.entries(sealed.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])), data: Buffer.from(sealed.data!).toString('base64') };
    expect(Buffer.from(encrypted.data, 'base64').toString('latin1')).not.toContain('110101199003077777');
  });

  const decodes = (namespace: string) => prisma.payloadDecode.findMany({ where: { namespace }, orderBy: { id: 'asc' } });

  it('decrypts for an administrator and records the decode; anyone else gets the ciphertext unchanged', async () => {
    const ns = `ns-${run}`;
    const asAdmin = await call(service.url, 'POST', '/codec/decode', await localToken('admin'), { payloads: [encrypted] }, { 'x-namespace': ns, 'x-workflow-id': `wf-${run}` });
    expect(asAdmin.status).toBe(200);
    const [plain] = asAdmin.body.payloads;
    expect(plain.metadata.encoding).toBe(b64('json/plain'));
    expect(JSON.parse(Buffer.from(plain.data, 'base64').toString('utf8'))).toEqual(person);
    expect(await decodes(ns)).toMatchObject([{ userId: 'admin', unitId: 'root', workflowId: `wf-${run}`, payloads: 1 }]);
    // The answer as the OpenAPI document describes it (requestAs holds it to the document).
    expect(await requestAs('admin', service.url, 'POST', '/codec/decode', { payloads: [encrypted, encrypted] })).toMatchObject({ status: 200, body: { payloads: [plain, plain] } });

    const other = `ns-other-${run}`;
    for (const token of [await localToken('supervisor-root'), await localToken('caseworker-a'), undefined]) {
      expect(await call(service.url, 'POST', '/codec/decode', token, { payloads: [encrypted] }, { 'x-namespace': other })).toMatchObject({ status: 200, body: { payloads: [encrypted] } });
    }
    expect(await decodes(other)).toEqual([]);
  });

  it('refuses a deactivated user or a bad token, answers the Web UI origin with CORS, and decodes for the local Web UI of a demo install', async () => {
    const ns = `ns-ui-${run}`;
    const deactivated = `lv-admin-${run}`;
    expect(await requestAs('admin', service.url, 'PUT', `/users/${deactivated}`, { name: 'Leaving admin', unitId: 'root', roles: ['admin'] })).toMatchObject({ status: 200 });
    const token = await localToken(deactivated);
    expect(await setActive(deactivated, false)).toMatchObject({ status: 200 });
    expect(await call(service.url, 'POST', '/codec/decode', token, { payloads: [encrypted] }, { 'x-namespace': ns })).toMatchObject({ status: 403, body: { rule: 'user-deactivated' } });
    expect(await call(service.url, 'POST', '/codec/decode', 'not-a-token', { payloads: [encrypted] })).toMatchObject({ status: 401 });

    const preflight = await fetch(`${service.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Namespace');
    const elsewhere = await fetch(`${service.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    // The test service is a local install (demo sign-in on): its dev server's Web UI has no token to pass.
    const fromUi = await call(service.url, 'POST', '/codec/decode', undefined, { payloads: [encrypted] }, { origin: UI_ORIGIN, 'x-namespace': ns });
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(JSON.parse(Buffer.from(fromUi.body.payloads[0].data, 'base64').toString('utf8'))).toEqual(person);
    expect(await decodes(ns)).toMatchObject([{ userId: 'local-web-ui', payloads: 1 }]);
    // Behind an identity provider there is no such thing: no token, no clear text.
    expect(await call(idpService.url, 'POST', '/codec/decode', undefined, { payloads: [encrypted] }, { origin: UI_ORIGIN, 'x-namespace': ns })).toMatchObject({ status: 200, body: { payloads: [encrypted] } });
  });

  it('encodes for an administrator only, into payloads the service decodes', async () => {
    const plain = { metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(person)) };
    expect(await call(service.url, 'POST', '/codec/encode', await localToken('caseworker-a'), { payloads: [plain] })).toMatchObject({ status: 403, body: { rule: 'codec-encode' } });
    const sealed = await call(service.url, 'POST', '/codec/encode', await localToken('admin'), { payloads: [plain] });
    expect(sealed.status).toBe(200);
    expect(Buffer.from(sealed.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const back = await call(service.url, 'POST', '/codec/decode', await localToken('admin'), sealed.body, { 'x-namespace': `ns-enc-${run}` });
    expect(back.body.payloads).toEqual([plain]);
    expect(await call(service.url, 'POST', '/codec/decode', await localToken('admin'), { payloads: [{ data: '%%%' }] })).toMatchObject({ status: 400, body: { field: 'payloads[0]' } });
  });

  it("tells the dev server's Web UI where the codec endpoint is (npm start passes the API's /codec)", async () => {
    const port = 12_000 + 2 * Math.floor(Math.random() * 10_000);
    const devServer = await startTemporalDevServer(path.join(testTempDir('ldl-codec-ui-'), 'temporal.db'), port, port + 1, 'error', `${service.url}/codec`);
    try {
      // The UI may come up a moment after the frontend port the start waits for.
      const read = () => fetch(`http://127.0.0.1:${port + 1}/api/v1/settings`).then((r) => r.json() as Promise<{ Codec: { Endpoint: string } }>);
      let settings = await read().catch(() => undefined);
      for (let i = 0; !settings && i < 40; i++) settings = await new Promise((r) => setTimeout(r, 250)).then(read).catch(() => undefined);
      expect(settings?.Codec.Endpoint).toBe(`${service.url}/codec`);
    } finally {
      await devServer.stop();
    }
  }, 90_000);
});
