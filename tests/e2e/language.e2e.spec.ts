import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { tokenFor } from '../support/auth';
import { waitFor } from '../support/cases';
import { testPrisma } from '../support/db';
import { startDevServer, startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';

// The API's language (Accept-Language: Chinese by default, English on request) and its clock (Beijing time, +08:00),
// through the running service: HTTP → NestJS → Temporal → PostgreSQL.
let temporal: DevServerHandle;
let service: RunningService;

beforeAll(async () => {
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-language'));
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await temporal?.stop();
});

const CJK = /[\u4e00-\u9fff]/;
const BEIJING_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/;
const ORG = { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' };
const GROUNDS = { grounds: ['error'], reasons: '记录与原始文书不符' };
let seq = 0;
const key = () => `language-${Date.now()}-${++seq}`;

async function call(method: string, path: string, body?: unknown, language?: string, user: string | null = 'supervisor-root') {
  const headers: Record<string, string> = {};
  if (language !== undefined) headers['accept-language'] = language;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (user) headers.authorization = `Bearer ${await tokenFor(user)}`;
  const res = await fetch(`${service.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
  return { status: res.status, language: res.headers.get('content-language'), vary: res.headers.get('vary'), body: (await res.json()) as any };
}

const badFiling = { procedure: 'objection-review', ...GROUNDS, idempotencyKey: 'language-bad', receivedAt: '2026-02-30', subject: ORG };

describe('Accept-Language selects the language of message fields', () => {
  it('answers a 400 in Chinese by default, naming the same field', async () => {
    const res = await call('POST', '/cases', badFiling);
    expect(res).toMatchObject({ status: 400, language: 'zh-CN', body: { field: 'receivedAt' } });
    expect(res.body.message).toMatch(CJK);
    expect(res.vary).toMatch(/Accept-Language/i);
  });

  it.each([['en'], ['en-US,en;q=0.9'], ['zh-CN;q=0.5, en;q=0.8']])('answers in English for %s', async (header) => {
    const res = await call('POST', '/cases', badFiling, header);
    expect(res).toMatchObject({ status: 400, language: 'en', body: { field: 'receivedAt' } });
    expect(res.body.message).not.toMatch(CJK);
    expect(res.body.message).toContain('receivedAt');
  });

  it.each([['zh-CN'], ['zh'], ['fr-FR'], ['en;q=0.5, zh;q=0.9'], ['*']])('answers in Chinese for %s', async (header) => {
    const res = await call('POST', '/cases', badFiling, header);
    expect(res).toMatchObject({ status: 400, language: 'zh-CN' });
    expect(res.body.message).toMatch(CJK);
  });

  it("a schema's own rule reads in both languages (an empty reason)", async () => {
    const body = { ...badFiling, receivedAt: '2026-11-02', reasons: ' ' };
    const zh = await call('POST', '/cases', body);
    const en = await call('POST', '/cases', body, 'en');
    expect(zh.body).toMatchObject({ field: 'reasons', message: expect.stringMatching(CJK) });
    expect(en.body).toEqual({ ...zh.body, message: expect.not.stringMatching(CJK) });
  });

  it('a refused action names the same rule and basis in both languages; only the message changes', async () => {
    const filed = await call('POST', '/cases', { procedure: 'objection-review', ...GROUNDS, idempotencyKey: key(), receivedAt: '2026-11-02', subject: ORG });
    expect(filed.status).toBe(201);
    const prisma = testPrisma();
    try {
      await waitFor(async () => (await prisma.case.findUnique({ where: { id: filed.body.id } }))!.revision >= 1);
    } finally {
      await prisma.$disconnect();
    }
    const zh = await call('POST', `/cases/${filed.body.id}/actions`, { action: 'decide', outcome: 'upheld' });
    const en = await call('POST', `/cases/${filed.body.id}/actions`, { action: 'decide', outcome: 'upheld' }, 'en');
    expect(zh).toMatchObject({ status: 422, body: { rule: 'objection-review/mark-before-decision' } });
    expect(zh.body.message).toMatch(CJK);
    expect(en.body).toEqual({ ...zh.body, message: expect.not.stringMatching(CJK) });
  });

  it('401 and 404 speak Chinese too', async () => {
    expect((await call('GET', '/cases', undefined, undefined, null)).body.message).toMatch(CJK);
    expect((await call('GET', '/cases/00000000-0000-4000-8000-000000000000')).body.message).toMatch(CJK);
    expect((await call('GET', '/cases/00000000-0000-4000-8000-000000000000', undefined, 'en')).body.message).toBe(
      'case 00000000-0000-4000-8000-000000000000 does not exist',
    );
  });
});

describe('outcomes in the caller\'s language', () => {
  it('a closed case says its outcome as a code and as text', async () => {
    const filed = await call('POST', '/cases', { procedure: 'objection-review', ...GROUNDS, idempotencyKey: key(), receivedAt: '2026-11-02', subject: ORG });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ outcome: null, outcomeText: null });
    expect((await call('POST', `/cases/${filed.body.id}/actions`, { action: 'mark-disputed', evidenceRef: 'scan-language-1' })).status).toBe(200);
    const decided = await call('POST', `/cases/${filed.body.id}/actions`, { action: 'decide', outcome: 'rejected', reasons: '记录与法院判决一致' });
    expect(decided).toMatchObject({ status: 200, body: { state: 'closed', outcome: 'rejected', outcomeText: '异议不成立' } });
    expect((await call('GET', `/cases/${filed.body.id}`, undefined, 'en')).body).toMatchObject({ outcome: 'rejected', outcomeText: 'Objection not upheld' });
    const listed = await call('GET', `/cases?q=${filed.body.id}`);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: filed.body.id, outcomeText: '异议不成立' })]);
  });
});

describe('instants in Beijing time', () => {
  it('a date-only receivedAt is that day in Beijing, and reads back as such with +08:00', async () => {
    const filed = await call('POST', '/cases', { procedure: 'objection-review', ...GROUNDS, idempotencyKey: key(), receivedAt: '2026-12-04', subject: ORG });
    expect(filed.status).toBe(201);
    expect(filed.body.receivedAt).toBe('2026-12-04T00:00:00.000+08:00');
    const read = await call('GET', `/cases/${filed.body.id}`);
    expect(read.body.receivedAt).toBe('2026-12-04T00:00:00.000+08:00');
    const instants = [read.body.receivedAt, ...read.body.deadlines.flatMap((d: { startAt: string; dueAt: string | null }) => [d.startAt, d.dueAt]), ...read.body.events.map((e: { at: string }) => e.at)];
    for (const at of instants.filter(Boolean)) expect(at).toMatch(BEIJING_INSTANT);
    // The same instant the service stores (UTC in PostgreSQL).
    const prisma = testPrisma();
    try {
      const row = await prisma.case.findUniqueOrThrow({ where: { id: filed.body.id } });
      expect(row.receivedAt.toISOString()).toBe('2026-12-03T16:00:00.000Z');
    } finally {
      await prisma.$disconnect();
    }
  });
});
