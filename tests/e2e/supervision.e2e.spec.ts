import { beijingIso } from '../../src/domain/said';
import type { PrismaClient } from '@prisma/client';
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { caseWorkflowId } from '../../workflows/contracts/case.contract';
import { waitFor } from '../support/cases';
import { testPrisma } from '../support/db';
import { holdAnswersToDocument, requestAs } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueUscc } from '../support/subjects';
import { uniqueQueue } from '../support/temporal';

// Units, people and supervision through HTTP → NestJS → Temporal dev server → worker → PostgreSQL, with real tokens.
// Each run makes its own units under the demo tree (root ⊃ a, b), so other test files' cases never count here.
let temporal: DevServerHandle;
let service: RunningService;
let prisma: PrismaClient;

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const UNIT_A = `sa-${run}`;
const UNIT_B = `sb-${run}`;
const CW_A = `cw-a-${run}`;
const CW_B = `cw-b-${run}`;
const SUP_A = `sup-a-${run}`;

beforeAll(async () => {
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-supervision'));
  await holdAnswersToDocument(service.url);
  prisma = testPrisma();
  const admin = (method: string, path: string, body: unknown) => requestAs('admin', service.url, method, path, body);
  for (const [id, parent] of [[UNIT_A, 'a'], [UNIT_B, 'b']]) expect(await admin('PUT', `/units/${id}`, { name: `unit ${id}`, parentId: parent })).toMatchObject({ status: 200 });
  expect(await admin('PUT', `/users/${CW_A}`, { name: 'Caseworker A', unitId: UNIT_A, roles: ['caseworker'] })).toMatchObject({ status: 200 });
  expect(await admin('PUT', `/users/${CW_B}`, { name: 'Caseworker B', unitId: UNIT_B, roles: ['caseworker'] })).toMatchObject({ status: 200 });
  expect(await admin('PUT', `/users/${SUP_A}`, { name: 'Supervisor A', unitId: UNIT_A, roles: ['supervisor'] })).toMatchObject({ status: 200 });
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await prisma?.$disconnect();
  await temporal?.stop();
});

const as = (user: string | null) => (method: string, path: string, body?: unknown) => requestAs(user, service.url, method, path, body);
const ORG = { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' };
const PERSON = { name: '张三丰', idNumber: '11010519491231002X' };
let seq = 0;
const key = () => `sup-${run}-${++seq}`;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

async function file(user: string, overrides: Record<string, unknown> = {}) {
  const procedure = (overrides.procedure as string | undefined) ?? 'objection-review';
  // An objection states its grounds and reasons (Art. 39 ¶1); other procedures take their own fields.
  const own = procedure === 'objection-review' ? { grounds: ['error'], reasons: '记录与原始文书不符' } : {};
  const res = await as(user)('POST', '/cases', { procedure, ...own, idempotencyKey: key(), receivedAt: new Date().toISOString(), subject: ORG, ...overrides });
  expect(res.status).toBe(201);
  return res.body as { id: string; unitId: string; deadlines: { key: string; dueAt: string }[] };
}

describe('who may see and do what', () => {
  it('needs a token on every case endpoint (401) and says who the token is', async () => {
    expect(await as(null)('GET', '/cases')).toMatchObject({ status: 401 });
    expect(await as(null)('POST', '/cases', { procedure: 'objection-review' })).toMatchObject({ status: 401 });
    expect(await as(null)('GET', '/me')).toMatchObject({ status: 401 });
    const forged = await fetch(`${service.url}/me`, { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.' } });
    expect(forged.status).toBe(401);
    expect(await as(null)('GET', '/health')).toMatchObject({ status: 200 });
    expect(await as(null)('GET', '/calendar/deadline?from=2026-09-30&workingDays=3')).toMatchObject({ status: 200 });
    expect(await as(CW_A)('GET', '/me')).toEqual({ status: 200, body: { user: CW_A, name: 'Caseworker A', roles: ['caseworker'], unit: UNIT_A } });
    expect(await as('ghost-user')('GET', '/me')).toMatchObject({ status: 403, body: { rule: 'unknown-user' } });
  });

  it('keeps a case of unit a from a caseworker of unit b (404 on read and act), and lets the supervisors above it in', async () => {
    const c = await file(CW_A);
    expect(c.unitId).toBe(UNIT_A);
    expect(await as(CW_B)('GET', `/cases/${c.id}`)).toMatchObject({ status: 404 });
    expect(await as(CW_B)('POST', `/cases/${c.id}/actions`, { action: 'mark-disputed' })).toMatchObject({ status: 404 });
    expect((await as(CW_B)('GET', '/cases?limit=500')).body.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
    expect(await as('supervisor-b')('GET', `/cases/${c.id}`)).toMatchObject({ status: 404 });
    expect(await as('supervisor-root')('GET', `/cases/${c.id}`)).toMatchObject({ status: 200, body: { access: 'supervisor' } });
    expect(await as(SUP_A)('GET', `/cases/${c.id}`)).toMatchObject({ status: 200, body: { access: 'owner' } });
    const marked = await as('supervisor-root')('POST', `/cases/${c.id}/actions`, { action: 'mark-disputed' });
    expect(marked).toMatchObject({ status: 200, body: { state: 'under-review' } });
    expect(marked.body.events.at(-1)).toMatchObject({ type: 'record.marked-disputed', actor: 'supervisor-root' });
    // Filing for another unit, or for a unit outside one's subtree, is refused; nothing is filed.
    expect(await as(CW_A)('POST', '/cases', { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: key(), receivedAt: new Date().toISOString(), subject: ORG, unitId: UNIT_B })).toMatchObject({
      status: 403,
      body: { rule: 'unit-scope' },
    });
  });

  it('refuses a forged actor (400) and the admin acts of other roles (403)', async () => {
    const c = await file(CW_A);
    expect(await as(CW_A)('POST', `/cases/${c.id}/actions`, { action: 'mark-disputed', actor: 'director-wang' })).toMatchObject({ status: 400, body: { field: 'actor' } });
    expect(await as(CW_A)('PUT', '/calendar/years/2031', { notice: 'x', holidays: {}, makeupWorkdays: {} })).toMatchObject({ status: 403, body: { rule: 'role' } });
    expect(await as(CW_A)('PUT', `/units/x-${run}`, { name: 'x', parentId: 'root' })).toMatchObject({ status: 403 });
    expect(await as(CW_A)('GET', '/supervision/overdue')).toMatchObject({ status: 403 });
    const events = (await as(CW_A)('GET', `/cases/${c.id}`)).body.events;
    // Nothing was recorded for the refused requests (the service's own steps, such as a yellow, may follow the filing).
    expect(events.filter((e: { actor: string }) => e.actor !== 'system').map((e: { type: string }) => e.type)).toEqual(['case.filed']);
    expect(events[0]).toMatchObject({ actor: CW_A, recordedAt: expect.any(String) });
  });
});

describe('an audit trail that cannot be forged', () => {
  it('keeps the reds on record when steps are entered late with an earlier occurredAt: met, recorded late', async () => {
    const receivedAt = daysAgo(12);
    const c = await file(CW_A, { receivedAt });
    await waitFor(async () => {
      const v = (await as(CW_A)('GET', `/cases/${c.id}`)).body;
      return v.escalations.filter((e: { level: string }) => e.level === 'red').length >= 2 ? v : undefined;
    });
    const inTime = new Date(Date.parse(receivedAt) + 3_600_000).toISOString();
    const marked = await as(CW_A)('POST', `/cases/${c.id}/actions`, { action: 'mark-disputed', occurredAt: inTime, evidenceRef: 'scan-late-1' });
    expect(marked.status).toBe(200);
    const decided = await as(CW_A)('POST', `/cases/${c.id}/actions`, {
      action: 'decide',
      outcome: 'rejected',
      reasons: 'the record matches the court judgment',
      occurredAt: new Date(Date.parse(inTime) + 60_000).toISOString(),
      evidenceRef: 'decision-late-1',
    });
    expect(decided.status).toBe(200);
    const view = (await as('supervisor-root')('GET', `/cases/${c.id}`)).body;
    for (const key of ['mark-disputed', 'decision']) {
      const d = view.deadlines.find((x: { key: string }) => x.key === key);
      expect(d).toMatchObject({ status: 'met-recorded-late', completedAt: expect.any(String), completionRecordedAt: expect.any(String) });
      expect(Date.parse(d.completionRecordedAt)).toBeGreaterThan(Date.parse(d.dueAt));
      expect(view.escalations).toEqual(expect.arrayContaining([expect.objectContaining({ deadlineKey: key, level: 'red' })]));
    }
    const late = view.events.find((e: { type: string }) => e.type === 'record.marked-disputed');
    expect(late).toMatchObject({ actor: CW_A, at: beijingIso(inTime), evidenceRef: 'scan-late-1' });
    expect(Date.parse(late.recordedAt)).toBeGreaterThan(Date.parse(late.at));
    // The on-time rate counts them as met late, not met.
    const rates = await as('supervisor-root')('GET', `/supervision/on-time?unit=${UNIT_A}&from=${receivedAt.slice(0, 10)}`);
    expect(rates.status).toBe(200);
    const row = rates.body.items.find((i: { unit: string; procedure: string }) => i.unit === UNIT_A && i.procedure === 'objection-review');
    expect(row.metLate).toBeGreaterThanOrEqual(2);
  });
});

describe('personal information (Art. 23 ¶4)', () => {
  it('stays masked in lists and for other units; the full value only for the handling unit, and every read is on record', async () => {
    const c = await file(CW_A, { subject: PERSON });
    const masked = { kind: 'person', name: '张**', idNumber: '110105********002X' };
    for (const user of [CW_A, 'supervisor-root', SUP_A]) expect((await as(user)('GET', `/cases/${c.id}`)).body.subject).toEqual(masked);
    const listed = (await as(CW_A)('GET', '/cases?limit=500')).body.items.find((i: { id: string }) => i.id === c.id);
    expect(listed.subject).toEqual(masked);
    expect(JSON.stringify((await as('supervisor-root')('GET', `/cases/${c.id}`)).body)).not.toContain('19491231');

    expect(await as('supervisor-root')('GET', `/cases/${c.id}/personal-data`)).toMatchObject({ status: 403, body: { rule: 'personal-data' } });
    expect(await as(CW_B)('GET', `/cases/${c.id}/personal-data`)).toMatchObject({ status: 404 });
    expect(await as(CW_A)('GET', `/cases/${c.id}/personal-data`)).toEqual({ status: 200, body: { kind: 'person', name: '张三丰', idNumber: '11010519491231002X' } });
    const audited = (await as('supervisor-root')('GET', `/cases/${c.id}`)).body.personalDataReads;
    expect(audited).toEqual([{ user: CW_A, unit: UNIT_A, fields: ['name', 'idNumber'], at: expect.any(String) }]);

    // The case's Temporal history, read raw (no codec), holds neither the name nor the ID number.
    await as(CW_A)('POST', `/cases/${c.id}/actions`, { action: 'mark-disputed' });
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const raw = new Client({ connection });
      const page = await raw.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: caseWorkflowId(c.id) } });
      const events = page.history?.events ?? [];
      expect(events.length).toBeGreaterThan(3);
      const bytes = Buffer.concat(events.map((e) => Buffer.from(proto.api.history.v1.HistoryEvent.encode(e).finish())));
      for (const secret of ['张三丰', '11010519491231002X', '19491231']) expect({ secret, found: bytes.includes(Buffer.from(secret, 'utf8')) }).toEqual({ secret, found: false });
    } finally {
      await connection.close();
    }
  });
});

describe('supervisor views', () => {
  it('lists the overdue deadlines of a subtree in due order, page by page, filtered by unit, procedure, level and caseworker', async () => {
    const filed = [];
    for (const days of [30, 20, 10]) filed.push(await file(CW_A, { receivedAt: daysAgo(days) }));
    const other = await file(CW_B, { receivedAt: daysAgo(25) });
    const ids = new Set(filed.map((c) => c.id));
    const seen: { caseId: string; dueAt: string; level: string; ownerUnit: string }[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await as('supervisor-root')('GET', `/supervision/overdue?unit=${UNIT_A}&procedure=objection-review&level=red&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    const ours = seen.filter((i) => ids.has(i.caseId));
    expect(ours).toHaveLength(6); // mark-disputed and decision of each of the three cases
    expect(seen.map((i) => i.caseId)).not.toContain(other.id);
    expect(seen.every((i) => i.level === 'red' && i.ownerUnit === UNIT_A)).toBe(true);
    const dues = seen.map((i) => Date.parse(i.dueAt));
    expect(dues).toEqual([...dues].sort((x, y) => x - y));
    expect(new Set(seen.map((i) => `${i.caseId}/${(i as unknown as { deadlineKey: string }).deadlineKey}`)).size).toBe(seen.length);

    const byCaseworker = await as(SUP_A)('GET', `/supervision/overdue?caseworker=${CW_A}&limit=200`);
    expect(byCaseworker.body.items.every((i: { caseworker: string }) => i.caseworker === CW_A)).toBe(true);
    expect(await as(SUP_A)('GET', `/supervision/overdue?unit=${UNIT_B}`)).toMatchObject({ status: 403, body: { rule: 'unit-scope' } });
    expect(await as(SUP_A)('GET', '/supervision/overdue?level=orange')).toMatchObject({ status: 400, body: { field: 'level' } });
    expect(await as(SUP_A)('GET', '/supervision/overdue?cursor=garbage')).toMatchObject({ status: 400, body: { field: 'cursor' } });
  });

  it('a case entered weeks late tells every escalation level, once each, in order, marked late; the overdue list shows its ladder level and working days overdue', async () => {
    const c = await file(CW_A, { receivedAt: daysAgo(30) });
    // Both deadlines (mark 1 working day, decision 3) are more than 9 working days overdue: the whole ladder passed.
    const view = await waitFor(async () => {
      const v = (await as(CW_A)('GET', `/cases/${c.id}`)).body;
      return v.escalations.filter((e: { level: string }) => e.level === 'escalation-3').length === 2 ? v : undefined;
    });
    for (const key of ['mark-disputed', 'decision']) {
      const steps = view.events.filter((e: { type: string; data: { deadlineKey?: string } }) => e.type.startsWith('deadline.') && e.data.deadlineKey === key);
      expect(steps.map((e: { type: string; data: { late?: boolean } }) => `${e.type}${e.data.late ? ' (late)' : ''}`)).toEqual([
        'deadline.red (late)',
        'deadline.escalation-1 (late)',
        'deadline.escalation-2 (late)',
        'deadline.escalation-3',
      ]);
      const scheduled = steps.filter((e: { data: { late?: boolean } }) => e.data.late).map((e: { data: { scheduledAt: string } }) => e.data.scheduledAt);
      expect(scheduled).toEqual([...scheduled].sort());
    }
    // escalation-1 goes one unit up from UNIT_A (unit a), escalation-2 two (root): each supervisor is told, once.
    const inboxOf = async (user: string) =>
      (await as(user)('GET', '/me/inbox?limit=200')).body.items.filter((n: { caseId: string }) => n.caseId === c.id).map((n: { deadlineKey: string; level: string }) => `${n.deadlineKey}/${n.level}`);
    const supervisorA = await waitFor(async () => {
      const items = await inboxOf('supervisor-a');
      return items.filter((i: string) => i.endsWith('/escalation-1')).length === 2 ? items : undefined;
    });
    expect(supervisorA.filter((i: string) => i.endsWith('/escalation-1')).sort()).toEqual(['decision/escalation-1', 'mark-disputed/escalation-1']);
    expect((await inboxOf('supervisor-root')).filter((i: string) => i.endsWith('/escalation-2')).sort()).toEqual(['decision/escalation-2', 'mark-disputed/escalation-2']);

    const listed = (await as('supervisor-root')('GET', `/supervision/overdue?unit=${UNIT_A}&level=red&limit=200`)).body.items.filter((i: { caseId: string }) => i.caseId === c.id);
    expect(listed.map((i: { deadlineKey: string }) => i.deadlineKey).sort()).toEqual(['decision', 'mark-disputed']);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const item of listed as { ladderLevel: string; workingDaysOverdue: number; dueDate: string; level: string }[]) {
      expect(item).toMatchObject({ level: 'red', ladderLevel: 'escalation-3', workingDaysOverdue: expect.any(Number) });
      // The calculator on the same official calendar: the N-th working day after the due date is today or earlier, the
      // (N+1)-th is after today.
      const nth = async (n: number) => (await as(null)('GET', `/calendar/deadline?from=${item.dueDate}&workingDays=${n}`)).body.dueDate as string;
      expect(item.workingDaysOverdue).toBeGreaterThanOrEqual(9);
      expect(await nth(item.workingDaysOverdue)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((await nth(item.workingDaysOverdue)) <= today).toBe(true);
      expect((await nth(item.workingDaysOverdue + 1)) > today).toBe(true);
    }

    // Declared in the OpenAPI document, required, beside every field the item has.
    const doc = (await as(null)('GET', '/docs/openapi.json')).body;
    const declared = doc.components.schemas.Overdue.properties.items.items;
    expect(declared.required).toEqual(expect.arrayContaining(['ladderLevel', 'workingDaysOverdue', 'level', 'dueDate']));
    expect(declared.properties.workingDaysOverdue).toMatchObject({ type: 'integer', minimum: 0 });
    for (const item of listed) expect(Object.keys(declared.properties)).toEqual(expect.arrayContaining(Object.keys(item)));
    expect(new RegExp(declared.properties.ladderLevel.pattern).test('escalation-3')).toBe(true);

    // Every item of a supervisor's list carries both, consistent with its level.
    const fresh = (await as(SUP_A)('GET', `/supervision/overdue?limit=200`)).body.items as { ladderLevel: string; workingDaysOverdue: number; level: string }[];
    for (const item of fresh) {
      expect(item.ladderLevel === item.level || /^escalation-[1-3]$/.test(item.ladderLevel)).toBe(true);
      if (item.level === 'yellow') expect(item.workingDaysOverdue).toBe(0);
    }
  });

  it('gives the on-time rate per unit and procedure: breached deadlines count against the owning unit', async () => {
    const c = await file(CW_B, { receivedAt: daysAgo(15) });
    await waitFor(async () => ((await as(CW_B)('GET', `/cases/${c.id}`)).body.escalations.length ? true : undefined));
    const res = await as('supervisor-root')('GET', `/supervision/on-time?unit=${UNIT_B}&procedure=objection-review&from=${daysAgo(16).slice(0, 10)}`);
    expect(res.status).toBe(200);
    const row = res.body.items.find((i: { unit: string }) => i.unit === UNIT_B);
    expect(row).toMatchObject({ procedure: 'objection-review', breached: expect.any(Number) });
    expect(row.breached).toBeGreaterThanOrEqual(2);
    expect(row.rate).toBeLessThan(1);
    expect(await as('supervisor-root')('GET', '/supervision/on-time?from=2026-13-01')).toMatchObject({ status: 400, body: { field: 'from' } });
  });

  it("puts each step in the inbox of the owning unit's people, once", async () => {
    const c = await file(CW_A, { receivedAt: daysAgo(9) });
    const inbox = await waitFor(async () => {
      const items = (await as(CW_A)('GET', '/me/inbox?limit=200')).body.items.filter((n: { caseId: string }) => n.caseId === c.id);
      return items.filter((n: { level: string }) => n.level === 'red').length === 2 ? items : undefined;
    });
    const ids = inbox.map((n: { id: string }) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    const supervisorInbox = (await as(SUP_A)('GET', '/me/inbox?limit=200')).body.items.filter((n: { caseId: string }) => n.caseId === c.id);
    expect(supervisorInbox.some((n: { level: string }) => n.level === 'red')).toBe(true);
    expect((await as(CW_B)('GET', '/me/inbox?limit=200')).body.items.some((n: { caseId: string }) => n.caseId === c.id)).toBe(false);
    const read = await as(CW_A)('POST', `/me/inbox/${encodeURIComponent(ids[0])}/read`);
    expect(read).toMatchObject({ status: 200, body: { id: ids[0], changed: true } });
    expect(await as(CW_B)('POST', `/me/inbox/${encodeURIComponent(ids[0])}/read`)).toMatchObject({ status: 404 });
  });
});

describe('an assisting unit', () => {
  it('sees only its own reply clock and may answer for itself, nothing more', async () => {
    const c = await file(CW_A);
    expect(await as(CW_B)('GET', `/cases/${c.id}`)).toMatchObject({ status: 404 });
    const asked = await as(CW_A)('POST', `/cases/${c.id}/actions`, { action: 'request-assistance', units: [{ unitId: UNIT_B }] });
    expect(asked.status).toBe(200);
    expect(await as(CW_B)('POST', `/cases/${c.id}/actions`, { action: 'record-notice-receipt', unitId: UNIT_B })).toMatchObject({ status: 200 });

    const seen = await as(CW_B)('GET', `/cases/${c.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ access: 'party', actions: expect.arrayContaining([expect.objectContaining({ action: 'record-assistance-reply', field: 'unitId' })]) });
    expect(seen.body.deadlines.map((d: { key: string }) => d.key)).toEqual([`assistance-reply:${UNIT_B}`]);
    expect(seen.body.events).toBeUndefined();
    expect(seen.body.details).toBeUndefined();
    expect((await as(CW_B)('GET', '/cases?limit=500')).body.items.find((i: { id: string }) => i.id === c.id)).toMatchObject({ access: 'party' });

    expect(await as(CW_B)('POST', `/cases/${c.id}/actions`, { action: 'decide', outcome: 'rejected', reasons: 'x' })).toMatchObject({ status: 403, body: { rule: 'not-a-party' } });
    expect(await as(CW_B)('POST', `/cases/${c.id}/actions`, { action: 'record-assistance-reply', unitId: 'someone-else', result: 'x' })).toMatchObject({ status: 403, body: { rule: 'not-a-party' } });
    const replied = await as(CW_B)('POST', `/cases/${c.id}/actions`, { action: 'record-assistance-reply', unitId: UNIT_B, result: 'our record agrees with the objection' });
    expect(replied).toMatchObject({ status: 200, body: { access: 'party' } });
    expect(replied.body.deadlines[0]).toMatchObject({ key: `assistance-reply:${UNIT_B}`, status: 'met', owner: UNIT_B });
  });
});

describe('extensions (docs/time-rules.md#extension)', () => {
  it('are requested by the caseworker and approved by a supervisor before the deadline passes', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    // A subject of its own: other test files record unkept commitments for the shared test company, which Art. 45
    // then refuses the commitment path.
    const subject = { name: '某某物业服务有限公司', uscc: uniqueUscc() };
    const c = await file(CW_A, { procedure: 'commitment-verification', subject, licence: { number: `L-${run}`, decidedAt: today } });
    const act = (user: string, body: Record<string, unknown>) => as(user)('POST', `/cases/${c.id}/actions`, body);
    expect(await act(CW_A, { action: 'verify', outcome: 'not-kept', findings: 'opening hours not as committed' })).toMatchObject({ status: 200 });
    const ordered = await act(CW_A, { action: 'order-rectification', period: { workingDays: 10 }, requirements: 'keep the committed hours' });
    const before = ordered.body.deadlines.find((d: { key: string }) => d.key === 'rectification');
    const request = { action: 'request-extension', deadlineKey: 'rectification', workingDays: 5, reason: 'flood closed the premises (Art. 30 ¶3)' };
    expect(await act(CW_A, request)).toMatchObject({ status: 200 });
    expect(await act(CW_A, { action: 'approve-extension', deadlineKey: 'rectification' })).toMatchObject({ status: 403, body: { rule: 'extension-needs-supervisor' } });
    const approved = await act(SUP_A, { action: 'approve-extension', deadlineKey: 'rectification' });
    expect(approved.status).toBe(200);
    const after = approved.body.deadlines.find((d: { key: string }) => d.key === 'rectification');
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(before.dueAt));
    expect(after.previous).toEqual(expect.arrayContaining([expect.objectContaining({ dueAt: before.dueAt })]));
    const types = approved.body.events.map((e: { type: string; actor: string }) => `${e.type}/${e.actor}`);
    expect(types).toEqual(expect.arrayContaining([`extension.requested/${CW_A}`, `extension.approved/${SUP_A}`]));
    // The decision clock of objection review allows none: refused with the rule.
    const other = await file(CW_A);
    expect(await as(CW_A)('POST', `/cases/${other.id}/actions`, { ...request, deadlineKey: 'decision' })).toMatchObject({ status: 422, body: { rule: 'extension-not-allowed' } });
  });
});
