import { Writable } from 'node:stream';
import type { PrismaClient } from '@prisma/client';
import { importJWK, SignJWT } from 'jose';
import { DEFAULT_AUDIENCE, ensureLocalSigningKey, LOCAL_ISSUER } from '../../src/auth/local-signing-key';
import { CaseService } from '../../src/cases/case.service';
import { legacyCaseIdFor } from '../../src/cases/filing';
import { createLogger, useLogger } from '../../src/observability/logger';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { tokenFor } from '../support/auth';
import { waitFor } from '../support/cases';
import { testPersonalData } from '../support/kernel';
import { sealSubject } from '../../src/infra/personal-data';
import { testPrisma } from '../support/db';
import { startDevServer, startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';

// Findings of an adversarial probe and of a new user trying the API, through HTTP → NestJS → Temporal dev server →
// worker → PostgreSQL, all real. Each test failed on the code before its fix.
let temporal: DevServerHandle;
let service: RunningService;
let prisma: PrismaClient;

beforeAll(async () => {
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-probe'));
  prisma = testPrisma();
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await prisma?.$disconnect();
  await temporal?.stop();
});

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let seq = 0;
const key = (label: string) => `${label}-${run}-${++seq}`;
const ORG = { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' };

/** One JSON request as a demo user (null: no token), with extra headers. */
async function call(as: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { 'accept-language': 'en', ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (as !== null) h.authorization = `Bearer ${await tokenFor(as)}`;
  const res = await fetch(`${service.url}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

const fileAs = (user: string, idempotencyKey: string, extra: Record<string, unknown> = {}) =>
  call(user, 'POST', '/cases', { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey, receivedAt: new Date().toISOString(), subject: ORG, ...extra });

const marked = (c: { events: { type: string }[] }) => c.events.filter((e) => e.type === 'record.marked-disputed').length;

describe('action Idempotency-Key', () => {
  it('refuses the same key with another body, or from another user, with 422 idempotency-key-reused, and changes nothing', async () => {
    const { body: c } = await fileAs('caseworker-a', key('reuse'));
    const k = key('act');
    const act = (as: string, body: unknown) => call(as, 'POST', `/cases/${c.id}/actions`, body, { 'idempotency-key': k });
    const first = await act('caseworker-a', { action: 'mark-disputed', evidenceRef: 'scan-1' });
    expect(first).toMatchObject({ status: 200, body: { state: 'under-review' } });

    const otherBody = await act('caseworker-a', { action: 'mark-disputed', evidenceRef: 'scan-2' });
    expect(otherBody).toMatchObject({ status: 422, body: { rule: 'idempotency-key-reused' } });
    const otherUser = await act('supervisor-a', { action: 'mark-disputed', evidenceRef: 'scan-1' });
    expect(otherUser).toMatchObject({ status: 422, body: { rule: 'idempotency-key-reused' } });
    // The same request again (keys in another order) is a retry: the first answer.
    const retry = await act('caseworker-a', { evidenceRef: 'scan-1', action: 'mark-disputed' });
    expect(retry).toMatchObject({ status: 200, body: { id: c.id, state: 'under-review' } });
    // The same case; its revision may have moved on only by the workflow's own first snapshot, never by a second step.
    expect(retry.body.revision).toBeGreaterThanOrEqual(first.body.revision);
    expect(marked(retry.body)).toBe(1);
    expect(await prisma.caseEvent.count({ where: { caseId: c.id, type: 'record.marked-disputed' } })).toBe(1);

    // A key whose step closed the case: its receipt is read from the read model, with the same checks.
    const k2 = key('close');
    const decide = { action: 'decide', outcome: 'rejected', reasons: 'the record matches the court judgment' };
    const closed = await call('caseworker-a', 'POST', `/cases/${c.id}/actions`, decide, { 'idempotency-key': k2 });
    expect(closed).toMatchObject({ status: 200, body: { state: 'closed' } });
    await waitFor(async () => (await prisma.case.findUnique({ where: { id: c.id } }))!.state === 'closed');
    expect(await call('caseworker-a', 'POST', `/cases/${c.id}/actions`, decide, { 'idempotency-key': k2 })).toMatchObject({ status: 200, body: { state: 'closed' } });
    expect(await call('caseworker-a', 'POST', `/cases/${c.id}/actions`, { ...decide, outcome: 'upheld' }, { 'idempotency-key': k2 })).toMatchObject({
      status: 422,
      body: { rule: 'idempotency-key-reused' },
    });
    expect(await call('supervisor-a', 'POST', `/cases/${c.id}/actions`, decide, { 'idempotency-key': k2 })).toMatchObject({ status: 422, body: { rule: 'idempotency-key-reused' } });
  });

  it('answers 5 concurrent retries of one key, 15 times over, each with the case after its one step', async () => {
    const stale: string[] = [];
    for (let round = 0; round < 15; round++) {
      const { body: c } = await fileAs('caseworker-a', key('burst'));
      const k = key('burst-act');
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => call('caseworker-a', 'POST', `/cases/${c.id}/actions`, { action: 'mark-disputed', evidenceRef: 'scan-1' }, { 'idempotency-key': k })),
      );
      for (const a of answers) {
        expect(a.status).toBe(200);
        if (a.body.state !== 'under-review' || marked(a.body) !== 1) stale.push(`round ${round}: ${a.body.state}, ${marked(a.body)} marked`);
      }
      expect(await prisma.caseEvent.count({ where: { caseId: c.id, type: 'record.marked-disputed' } })).toBe(1);
    }
    expect(stale).toEqual([]);
  }, 120_000);
});

describe('filing idempotencyKey per unit', () => {
  it("lets two units file the same key; a repeat within a unit answers 409 naming the unit's own case, which reads 200", async () => {
    const k = key('2026-0001');
    const b = await fileAs('caseworker-b', k);
    expect(b.status).toBe(201);
    const a = await fileAs('caseworker-a', k);
    expect(a.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
    expect(a.body.unitId ?? (await prisma.case.findUnique({ where: { id: a.body.id } }))!.unitId).toBe('a');

    const againA = await fileAs('caseworker-a', k);
    expect(againA).toMatchObject({ status: 409, body: { case: { id: a.body.id } } });
    expect((await call('caseworker-a', 'GET', `/cases/${againA.body.case.id}`)).status).toBe(200);
    const againB = await fileAs('caseworker-b', k);
    expect(againB).toMatchObject({ status: 409, body: { case: { id: b.body.id } } });
    expect((await call('caseworker-b', 'GET', `/cases/${againB.body.case.id}`)).status).toBe(200);
    // A supervisor filing for unit a meets unit a's case.
    expect(await fileAs('supervisor-root', k, { unitId: 'a' })).toMatchObject({ status: 409, body: { case: { id: a.body.id } } });
  });

  it('keeps a case filed before keys were per unit readable, and answers a repeat of its key in its unit with 409 naming it', async () => {
    const k = key('legacy');
    const legacyId = legacyCaseIdFor('objection-review', k);
    // The read-model row of a case filed under the old derivation (procedure and key only), in unit a.
    const subject = sealSubject(testPersonalData, { name: ORG.name, idNumber: ORG.uscc });
    await prisma.$executeRaw`
      INSERT INTO cases (id, procedure, definition_version, variant, idempotency_key, workflow_id, state, subject_kind,
                         subject_sealed, subject_name_key, subject_id_key, unit_id, received_at, details, revision, filed_by)
      VALUES (${legacyId}::uuid, 'objection-review', 2, 'standard', ${k}, ${`case-${legacyId}`}, 'received', 'organisation',
              ${subject.subjectSealed}, ${subject.subjectNameKey}, ${subject.subjectIdKey}, 'a', now(), '{}'::jsonb, 1, 'caseworker-a')`;
    expect(await call('caseworker-a', 'GET', `/cases/${legacyId}`)).toMatchObject({ status: 200, body: { id: legacyId } });
    expect(await fileAs('caseworker-a', k)).toMatchObject({ status: 409, body: { case: { id: legacyId } } });
    // Another unit's key of the same text is its own.
    const b = await fileAs('caseworker-b', k);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(legacyId);
  });

  it('answers concurrent filings of one key with one 201 and 409s naming that case, each readable', async () => {
    const k = key('race');
    const answers = await Promise.all(Array.from({ length: 4 }, () => fileAs('caseworker-a', k)));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    const id = answers.find((r) => r.status === 201)!.body.id;
    for (const r of answers.filter((x) => x.status !== 201)) {
      expect(r).toMatchObject({ status: 409, body: { case: { id } } });
      expect(r.body.case.state).toEqual(expect.any(String));
    }
    expect((await call('caseworker-a', 'GET', `/cases/${id}`)).status).toBe(200);
  });
});

describe('an unexpected error', () => {
  it('answers 500 with an error id that is also in the log line, not 503 "retrying is safe"', async () => {
    const { body: c } = await fileAs('caseworker-a', key('defect'));
    const cases = service.app!.get(CaseService);
    const original = cases.find.bind(cases);
    // A defect in the code that reads a case, for this case only.
    jest.spyOn(cases, 'find').mockImplementation(async (id, user) => {
      if (id === c.id) throw new TypeError("Cannot read properties of undefined (reading 'deadlines')");
      return original(id, user);
    });
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)), done()) });
    const previous = useLogger(createLogger({ level: 'error', destination: sink }));
    let res: Awaited<ReturnType<typeof call>>;
    try {
      res = await call('caseworker-a', 'GET', `/cases/${c.id}`);
    } finally {
      if (previous) useLogger(previous);
      jest.restoreAllMocks();
    }
    expect(res).toMatchObject({ status: 500, body: { statusCode: 500, errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect(res.body.message).not.toMatch(/retrying is safe/);
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.errorId === res.body.errorId);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', err: { type: 'TypeError' } });
    expect((await call('caseworker-a', 'GET', `/cases/${c.id}`)).status).toBe(200);
  });
});

describe('invisible text', () => {
  it('refuses a subject name or a referral of invisible or bidi-controlled text with 400 naming the field, and changes nothing', async () => {
    const k = key('zwsp');
    expect(await fileAs('caseworker-a', k, { subject: { ...ORG, name: '\u200b' } })).toMatchObject({ status: 400, body: { field: 'subject.name' } });
    expect(await fileAs('caseworker-a', k, { subject: { ...ORG, name: '某某\u202e公司' } })).toMatchObject({ status: 400, body: { field: 'subject.name' } });
    expect(await prisma.case.count({ where: { idempotencyKey: k } })).toBe(0);
    const { body: c } = await fileAs('caseworker-a', key('referral'));
    await waitFor(async () => (await prisma.case.findUnique({ where: { id: c.id } }))!.revision >= 1);
    const before = await call('caseworker-a', 'GET', `/cases/${c.id}`);
    const refer = await call('caseworker-a', 'POST', `/cases/${c.id}/actions`, { action: 'refer', competentUnit: '\u200b' });
    expect(refer).toMatchObject({ status: 400, body: { field: 'competentUnit', message: expect.stringContaining('visible character') } });
    const bidi = await call('caseworker-a', 'POST', `/cases/${c.id}/actions`, { action: 'refer', competentUnit: 'Tax\u2066 Bureau' });
    expect(bidi).toMatchObject({ status: 400, body: { field: 'competentUnit', message: expect.stringContaining('bidirectional') } });
    expect((await call('caseworker-a', 'GET', `/cases/${c.id}`)).body.revision).toBe(before.body.revision);
  });
});

describe('local tokens', () => {
  const byHand = async (shape: (jwt: SignJWT) => SignJWT) => {
    const key = await ensureLocalSigningKey(process.env.AUTH_LOCAL_KEY_FILE!);
    const jwt = new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: key.privateJwk.kid }).setSubject('admin').setIssuer(LOCAL_ISSUER).setAudience(DEFAULT_AUDIENCE).setIssuedAt();
    return shape(jwt).sign(await importJWK(key.privateJwk, 'ES256'));
  };
  const me = async (token: string) => {
    const res = await fetch(`${service.url}/me`, { headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });
    return { status: res.status, body: (await res.json()) as { message?: string } };
  };

  it('refuses a token without exp, or lasting more than 8 hours, with 401; accepts one of 8 hours', async () => {
    expect(await me(await byHand((jwt) => jwt))).toMatchObject({ status: 401, body: { message: expect.stringContaining('exp') } });
    expect(await me(await byHand((jwt) => jwt.setExpirationTime('30d')))).toMatchObject({ status: 401, body: { message: expect.stringContaining('8 hours') } });
    expect((await me(await byHand((jwt) => jwt.setExpirationTime('8h')))).status).toBe(200);
  });
});

describe('query parameters', () => {
  const cursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
  const UUID = '00000000-0000-4000-8000-000000000000';

  it.each([
    ['an overdue cursor dated year 0', `/supervision/overdue?cursor=${cursor(['0000-01-01T00:00:00.000Z', UUID, 'decision'])}`, 'cursor'],
    ['an overdue cursor dated past year 9999', `/supervision/overdue?cursor=${cursor(['+275760-09-13T00:00:00.000Z', UUID, 'decision'])}`, 'cursor'],
    ['an overdue cursor whose case id is only dashes', `/supervision/overdue?cursor=${cursor(['2026-01-01T00:00:00.000Z', '-'.repeat(36), 'decision'])}`, 'cursor'],
    ['an overdue cursor whose key holds NUL', `/supervision/overdue?cursor=${cursor(['2026-01-01T00:00:00.000Z', UUID, 'a\u0000b'])}`, 'cursor'],
    ['an overdue cursor that is a number', `/supervision/overdue?cursor=${cursor(42)}`, 'cursor'],
    ['an inbox cursor dated year 0', `/me/inbox?cursor=${cursor(['0000-01-01T00:00:00.000Z', 'x'])}`, 'cursor'],
    ['an inbox cursor whose id holds NUL', `/me/inbox?cursor=${cursor(['2026-01-01T00:00:00.000Z', '\u0000'])}`, 'cursor'],
    ['an inbox cursor with a lone surrogate', `/me/inbox?cursor=${cursor(['2026-01-01T00:00:00.000Z', '\ud800'])}`, 'cursor'],
    ['dueBefore year 0', '/cases?dueBefore=0000-01-01', 'dueBefore'],
    ['dueBefore year 0 as an instant', '/cases?dueBefore=0000-01-01T00:00:00%2B08:00', 'dueBefore'],
    ['an on-time period from year 0', '/supervision/on-time?from=0000-01-01&to=2026-12-31', 'from'],
    ['an overdue limit of 1e2', '/supervision/overdue?limit=1e2', 'limit'],
    ['a deadline from year 0', '/calendar/deadline?from=0000-01-01&days=1', 'from'],
    ['a deadline from year 9999', '/calendar/deadline?from=9999-12-31&years=10', 'from'],
    ['a suspension in year 0', '/calendar/deadline?from=2026-01-05&days=1&suspended=0000-01-01T00:00:00Z/2026-01-06T00:00:00Z', 'suspended[0]'],
  ])('answers 400 naming the parameter for %s', async (_what, path, field) => {
    const res = await call('supervisor-root', 'GET', path);
    expect({ status: res.status, field: res.body.field }).toEqual({ status: 400, field });
  });

  it('echoes the on-time period exactly as asked', async () => {
    const res = await call('supervisor-root', 'GET', '/supervision/on-time?from=2026-01-01&to=2026-12-31');
    expect(res).toMatchObject({ status: 200, body: { from: '2026-01-01', to: '2026-12-31' } });
    expect((await call('supervisor-root', 'GET', '/supervision/on-time?from=2026-02-28&to=2026-02-28')).body).toMatchObject({ from: '2026-02-28', to: '2026-02-28' });
  });

  it('still pages with the cursors it hands out', async () => {
    const page = await call('supervisor-root', 'GET', '/supervision/overdue?limit=1');
    expect(page.status).toBe(200);
    if (page.body.nextCursor) expect((await call('supervisor-root', 'GET', `/supervision/overdue?limit=1&cursor=${page.body.nextCursor}`)).status).toBe(200);
    expect((await call('supervisor-root', 'GET', `/me/inbox?cursor=${cursor(['2026-01-01T00:00:00.000Z', 'x'])}`)).status).toBe(200);
    expect((await call('supervisor-root', 'GET', '/cases?dueBefore=2026-01-01&limit=1')).status).toBe(200);
  });
});

describe('inbox item ids', () => {
  it('are URL-safe: the id of an item goes into the path as it is; the plain stored form is still taken', async () => {
    const { body: c } = await fileAs('caseworker-a', key('inbox'), { receivedAt: new Date(Date.now() - 9 * 86_400_000).toISOString() });
    const items = await waitFor(async () => {
      const found = (await call('caseworker-a', 'GET', '/me/inbox?limit=200')).body.items.filter((n: { caseId: string }) => n.caseId === c.id);
      return found.length >= 2 ? (found as { id: string }[]) : undefined;
    });
    for (const { id } of items) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    const read = await call('caseworker-a', 'POST', `/me/inbox/${items[0].id}/read`);
    expect(read).toMatchObject({ status: 200, body: { id: items[0].id, changed: true } });
    const plain = Buffer.from(items[1].id, 'base64url').toString('utf8');
    expect(plain.startsWith(`${c.id}|`)).toBe(true);
    expect(await call('caseworker-a', 'POST', `/me/inbox/${encodeURIComponent(plain)}/read`)).toMatchObject({ status: 200, body: { id: items[1].id, changed: true } });
    expect(await call('caseworker-b', 'POST', `/me/inbox/${items[0].id}/read`)).toMatchObject({ status: 404 });
    expect(await call('caseworker-a', 'POST', '/me/inbox/bm90LWFuLWlk/read')).toMatchObject({ status: 404 });
  });
});
