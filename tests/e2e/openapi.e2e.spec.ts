import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { ERROR_SCHEMAS, RESPONSE_SCHEMAS } from '../../src/api/dto/responses';
import { holdAnswersToDocument, requestAs } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';

// The OpenAPI document the running service serves (/docs/openapi.json) against what the service does: every operation
// declares its answers with schemas, the bearer scheme where a token is needed, and the bodies it reads.
let temporal: DevServerHandle;
let service: RunningService;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is walked field by field
let doc: any;

const PUBLIC = ['GET /health', 'GET /calendar/deadline', 'GET /calendar/days', 'GET /calendar/years', 'GET /sign-in/options', 'POST /sign-in/demo', 'POST /codec/decode', 'POST /codec/encode'];

beforeAll(async () => {
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-openapi'));
  const res = await fetch(`${service.url}/docs/openapi.json`);
  expect(res.status).toBe(200);
  doc = await res.json();
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await temporal?.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function operations(): { name: string; path: string; method: string; op: any }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    Object.entries(item as Record<string, any>).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, path, method, op })),
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function resolve(schema: any): any {
  if (!schema?.$ref) return schema;
  return doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
}

const jsonSchema = (response: { content?: Record<string, { schema?: unknown }> } | undefined) => resolve(response?.content?.['application/json']?.schema);

describe('the OpenAPI document', () => {
  it('lists every operation the API serves, with a success response that has a schema', () => {
    const names = operations().map((o) => o.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /health',
        'PUT /calendar/years/{year}',
        'POST /calendar/years/{year}/supplements',
        'POST /cases',
        'GET /cases/{id}',
        'POST /cases/{id}/actions',
        'POST /subjects/credit-status',
        'POST /me/inbox/{id}/read',
        'PUT /units/{id}',
        'PUT /users/{id}',
        'GET /supervision/overdue',
        'POST /procedures/property-rating/renewals',
        'GET /procedures/property-rating/renewals',
      ]),
    );
    for (const { name, op } of operations()) {
      const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      expect({ name, success: success.length }).toEqual({ name, success: 1 });
      expect({ name, schema: !!jsonSchema(op.responses[success[0]]) }).toEqual({ name, schema: true });
    }
  });

  it('declares 503 (with Retry-After) everywhere, and 400, 401, 403, 413 where they apply, each with the body the API writes', () => {
    for (const { name, op } of operations()) {
      const statuses = Object.keys(op.responses);
      expect({ name, has503: statuses.includes('503') }).toEqual({ name, has503: true });
      if (!PUBLIC.includes(name)) expect({ name, auth: ['401', '403'].every((s) => statuses.includes(s)) }).toEqual({ name, auth: true });
      if (op.requestBody) expect({ name, body: ['400', '413'].every((s) => statuses.includes(s)) }).toEqual({ name, body: true });
      if ((op.parameters ?? []).some((p: { in: string }) => p.in === 'query')) expect({ name, query400: statuses.includes('400') }).toEqual({ name, query400: true });
      for (const status of statuses.filter((s) => Number(s) >= 400 && name !== 'GET /health')) {
        const schema = jsonSchema(op.responses[status]);
        expect({ name, status, required: schema?.required }).toEqual({ name, status, required: expect.arrayContaining(['statusCode', 'error', 'message']) });
      }
    }
    expect(resolve({ $ref: '#/components/schemas/BadRequest' }).required).toEqual(expect.arrayContaining(['field']));
    expect(resolve({ $ref: '#/components/schemas/Forbidden' }).required).toEqual(expect.arrayContaining(['rule']));
    expect(resolve({ $ref: '#/components/schemas/Refused' }).required).toEqual(expect.arrayContaining(['rule', 'basis', 'message']));
    expect(doc.paths['/cases/{id}/actions'].post.responses['422']).toBeDefined();
    expect(doc.paths['/cases'].post.responses['409']).toBeDefined();
    expect(doc.paths['/cases/{id}'].get.responses['503'].headers['Retry-After']).toBeDefined();
  });

  it('puts the bearer scheme on every operation but the public ones, and the service agrees: 401 without a token', async () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { name, path, method, op } of operations()) {
      const secured = (op.security ?? doc.security ?? []).some((s: Record<string, unknown>) => 'bearer' in s);
      expect({ name, secured }).toEqual({ name, secured: !PUBLIC.includes(name) });
      const concrete = path.replace('{id}', '00000000-0000-4000-8000-000000000000').replace('{year}', '2026').replace('{uscc}', '91350100M000100Y43');
      const res = await requestAs(null, service.url, method.toUpperCase(), concrete, method === 'get' ? undefined : {});
      expect({ name, unauthorized: res.status === 401 }).toEqual({ name, unauthorized: !PUBLIC.includes(name) });
    }
  });

  it('types parameters: case ids are UUIDs, limits are bounded integers, years are integers', () => {
    const param = (path: string, method: string, name: string) => doc.paths[path][method].parameters.find((p: { name: string }) => p.name === name)?.schema;
    for (const [path, method] of [
      ['/cases/{id}', 'get'],
      ['/cases/{id}/personal-data', 'get'],
      ['/cases/{id}/actions', 'post'],
    ]) {
      expect(param(path, method, 'id')).toMatchObject({ type: 'string', format: 'uuid' });
    }
    expect(param('/cases', 'get', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    expect(param('/me/inbox', 'get', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
    expect(param('/supervision/overdue', 'get', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 200 });
    expect(param('/calendar/years/{year}', 'put', 'year')).toMatchObject({ type: 'integer', minimum: 2004, maximum: 2100 });
    const headers = doc.paths['/cases/{id}/actions'].post.parameters.filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name.toLowerCase());
    expect(headers).toEqual(['idempotency-key']);
  });

  it('describes the bodies: calendar notices, directory changes, credit-status lookups, and assisting units as objects', () => {
    const body = (path: string, method: string) => resolve(doc.paths[path][method].requestBody?.content?.['application/json']?.schema);
    expect(body('/calendar/years/{year}', 'put')).toMatchObject({ required: ['notice', 'holidays', 'makeupWorkdays'] });
    expect(body('/calendar/years/{year}/supplements', 'post').properties).toHaveProperty('ordinaryDays');
    expect(body('/units/{id}', 'put')).toMatchObject({ required: ['name'] });
    expect(body('/users/{id}', 'put').oneOf).toMatchObject([{ required: ['name', 'unitId', 'roles'] }, { required: ['active'] }]);
    expect(body('/subjects/credit-status', 'post').oneOf).toHaveLength(2);
    expect(body('/cases', 'post').oneOf.length).toBeGreaterThan(5);
    const assistance = doc.components.schemas['Action_objection-review_request-assistance'].properties.units;
    expect(assistance).toMatchObject({ type: 'array', items: { type: 'object', required: ['unitId'] } });
    expect(resolve(jsonSchema(doc.paths['/units'].get.responses['200']).properties.items.items)).toMatchObject({ type: 'object', required: ['id', 'name', 'parentId'] });
  });

  it('matches what the service answers: a unit as an administrator sees it, and a refused body', async () => {
    const units = await requestAs('admin', service.url, 'GET', '/units');
    expect(units.status).toBe(200);
    const unitSchema = resolve(jsonSchema(doc.paths['/units'].get.responses['200']).properties.items.items);
    expect(Object.keys(units.body.items[0]).sort()).toEqual(Object.keys(unitSchema.properties).sort());
    const refused = await requestAs('admin', service.url, 'PUT', '/calendar/years/2026', { notice: '' });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body).sort()).toEqual(Object.keys(resolve({ $ref: '#/components/schemas/BadRequest' }).properties).sort());
  });

  it('says what the service answers: the answer of each operation parses with the schema of the component it names', async () => {
    const answers = await holdAnswersToDocument(service.url);
    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const unit = `openapi-${run}`;
    const caseworker = `openapi-cw-${run}`;
    const call = async (user: string | null, method: string, path: string, body?: unknown) => {
      const res = await requestAs(user, service.url, method, path, body);
      if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const refused = async (status: number, user: string | null, method: string, path: string, body?: unknown) =>
      expect((await requestAs(user, service.url, method, path, body)).status).toBe(status);
    await call(null, 'GET', '/health');
    await call(null, 'GET', '/calendar/deadline?from=2026-09-30&workingDays=3');
    await call(null, 'GET', '/calendar/days?from=2026-09-01&to=2026-10-31');
    await call(null, 'GET', '/calendar/years');
    await call('caseworker-a', 'GET', '/procedures');
    await call('admin', 'PUT', `/units/${unit}`, { name: 'unit of the OpenAPI e2e test', parentId: 'a' });
    await call('admin', 'PUT', `/users/${caseworker}`, { name: 'Caseworker of the OpenAPI e2e test', unitId: unit, roles: ['caseworker'] });
    await call('admin', 'GET', '/units');
    await call('admin', 'GET', '/users');
    await call(null, 'GET', '/sign-in/options');
    await call(null, 'POST', '/sign-in/demo', { userId: 'caseworker-a' });
    await call(caseworker, 'GET', '/me');
    await call(caseworker, 'GET', '/me/inbox');

    const receivedAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const subject = { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' };
    const filing = { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: `openapi-${run}`, receivedAt, subject };
    const filed = await call(caseworker, 'POST', '/cases', filing);
    await refused(409, caseworker, 'POST', '/cases', filing);
    await refused(413, caseworker, 'POST', '/cases', { ...filing, reasons: 'x'.repeat(100_000) });
    await refused(422, caseworker, 'POST', `/cases/${filed.id}/actions`, { action: 'decide', outcome: 'upheld' });
    await refused(400, caseworker, 'GET', '/cases?colour=red');
    await refused(401, null, 'GET', '/me');
    await refused(403, caseworker, 'PUT', '/units/x', { name: 'x' });
    await refused(404, caseworker, 'GET', '/cases/00000000-0000-4000-8000-000000000000');
    await call(caseworker, 'POST', `/cases/${filed.id}/actions`, { action: 'request-assistance', units: [{ unitId: 'b' }] });
    await call(caseworker, 'GET', `/cases/${filed.id}/personal-data`);
    await call(caseworker, 'POST', `/cases/${filed.id}/actions`, { action: 'mark-disputed' });
    await call(caseworker, 'GET', `/cases/${filed.id}`);
    await call(caseworker, 'PUT', `/cases/${filed.id}/assignee`, { userId: caseworker });
    await call('supervisor-a', 'GET', `/units/${unit}/members`);
    await call(caseworker, 'GET', '/cases?limit=5');
    const party = await call('caseworker-b', 'GET', `/cases/${filed.id}`);
    expect(RESPONSE_SCHEMAS.PartyCaseView.parse(party)).toMatchObject({ access: 'party' });
    await call('caseworker-b', 'GET', '/cases?limit=5');
    await call(caseworker, 'GET', `/subjects/${subject.uscc}/credit-status`);
    await call(caseworker, 'POST', '/subjects/credit-status', { uscc: subject.uscc });
    await call('supervisor-root', 'GET', '/supervision/overdue');
    await call('supervisor-root', 'GET', '/supervision/on-time?from=2026-01-01&to=2026-12-31');
    await call('supervisor-root', 'GET', '/supervision/extension-requests');
    await call(caseworker, 'GET', `/cases?q=${subject.uscc}&open=true&sort=due`);
    await call('admin', 'GET', '/procedures/property-rating/renewals');
    // A preview changes nothing, so it is held to the document here.
    await call('admin', 'POST', '/calendar/years/2026/preview', { text: readFileSync(path.join(__dirname, '..', 'fixtures', 'holiday-notices', '2026.txt'), 'utf8') });

    // Loading a calendar year, a supplement, a renewal and reading an inbox item are held to the document in
    // api, calendar-notices, procedure-paths and supervision (they change what other test files count on); a party's
    // view is one of AnyCase; the codec's payloads are held to it in users-and-codec (its decodes are recorded). No test makes an undecodable body, a failed action or an outage answer here.
    const elsewhere = ['CalendarLoaded', 'CalendarSupplemented', 'Renewal', 'InboxRead', 'PartyCaseView', 'UnsupportedMediaType', 'ActionFailed', 'ServiceUnavailable', 'CodecPayloads'];
    expect(answers.checked()).toEqual(
      [...Object.keys(RESPONSE_SCHEMAS), ...Object.keys(ERROR_SCHEMAS)].filter((name) => !elsewhere.includes(name)).sort(),
    );
  });
});
