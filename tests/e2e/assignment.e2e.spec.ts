import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { tokenFor } from '../support/auth';
import { holdAnswersToDocument, requestAs } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';

// Case assignment through HTTP → NestJS → PostgreSQL (decision 0020): claim, reassign, unassign, the work list's
// filter and the history. The run makes its own unit under demo unit a, with two caseworkers and a supervisor.
let temporal: DevServerHandle;
let service: RunningService;

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const UNIT = `asg-${run}`;
const CW_1 = `asg-cw1-${run}`;
const CW_2 = `asg-cw2-${run}`;
const SUP = `asg-sup-${run}`;

beforeAll(async () => {
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-assignment'));
  await holdAnswersToDocument(service.url);
  const admin = as('admin');
  expect(await admin('PUT', `/units/${UNIT}`, { name: `unit ${UNIT}`, parentId: 'a' })).toMatchObject({ status: 200 });
  expect(await admin('PUT', `/users/${CW_1}`, { name: 'Caseworker One', unitId: UNIT, roles: ['caseworker'] })).toMatchObject({ status: 200 });
  expect(await admin('PUT', `/users/${CW_2}`, { name: 'Caseworker Two', unitId: UNIT, roles: ['caseworker'] })).toMatchObject({ status: 200 });
  expect(await admin('PUT', `/users/${SUP}`, { name: 'Supervisor', unitId: UNIT, roles: ['supervisor'] })).toMatchObject({ status: 200 });
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await temporal?.stop();
});

function as(user: string) {
  return (method: string, path: string, body?: unknown) => requestAs(user, service.url, method, path, body);
}
let seq = 0;

async function file(user: string): Promise<{ id: string; assignee: unknown }> {
  const res = await as(user)('POST', '/cases', {
    procedure: 'objection-review',
    grounds: ['error'],
    reasons: '记录与原始文书不符',
    idempotencyKey: `asg-${run}-${++seq}`,
    receivedAt: new Date().toISOString(),
    subject: { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' },
  });
  expect(res.status).toBe(201);
  return res.body;
}
const assign = (user: string, id: string, userId: unknown) => as(user)('PUT', `/cases/${id}/assignee`, { userId });
const listed = async (user: string, assignee: string) => ((await as(user)('GET', `/cases?assignee=${assignee}&limit=500`)).body.items as { id: string }[]).map((c) => c.id);

describe('case assignment', () => {
  it('assigns a filed case to its filer; a supervisor reassigns and unassigns; another caseworker claims it; the list filters by it', async () => {
    const c = await file(CW_1);
    expect(c.assignee).toMatchObject({ userId: CW_1, name: 'Caseworker One', assignedBy: CW_1 });
    const read = await as(CW_1)('GET', `/cases/${c.id}`);
    expect(read.body.assignee).toMatchObject({ userId: CW_1, name: 'Caseworker One', assignedBy: CW_1, assignedAt: expect.stringMatching(/\+08:00$/) });
    // Assignment is no step of the procedure: the audit trail holds the filing only.
    expect(read.body.events.filter((e: { actor: string }) => e.actor !== 'system').map((e: { type: string }) => e.type)).toEqual(['case.filed']);

    // Another caseworker of the unit cannot take it, nor can the filer hand it over.
    expect(await assign(CW_2, c.id, CW_2)).toMatchObject({ status: 403, body: { rule: 'assignment-needs-supervisor' } });
    expect(await assign(CW_1, c.id, CW_2)).toMatchObject({ status: 403, body: { rule: 'assignment-needs-supervisor' } });
    expect(await assign(CW_2, c.id, null)).toMatchObject({ status: 403, body: { rule: 'assignment-needs-supervisor' } });

    const reassigned = await assign(SUP, c.id, CW_2);
    expect(reassigned).toMatchObject({ status: 200, body: { id: c.id, assignee: { userId: CW_2, name: 'Caseworker Two', assignedBy: SUP } } });
    expect(await assign(SUP, c.id, null)).toMatchObject({ status: 200, body: { assignee: null } });
    expect(await listed(CW_1, 'none')).toContain(c.id);

    const claimed = await assign(CW_2, c.id, CW_2);
    expect(claimed).toMatchObject({ status: 200, body: { assignee: { userId: CW_2, assignedBy: CW_2 } } });
    // The same body again changes nothing.
    const again = await assign(CW_2, c.id, CW_2);
    expect(again).toMatchObject({ status: 200, body: { assignee: { userId: CW_2, assignedBy: CW_2 } } });
    expect(again.body.assignments).toHaveLength(4);

    expect(again.body.assignments).toEqual([
      { assignee: CW_1, assignedBy: CW_1, at: expect.stringMatching(/\+08:00$/), previous: null },
      { assignee: CW_2, assignedBy: SUP, at: expect.any(String), previous: CW_1 },
      { assignee: null, assignedBy: SUP, at: expect.any(String), previous: CW_2 },
      { assignee: CW_2, assignedBy: CW_2, at: expect.any(String), previous: null },
    ]);
    const times = again.body.assignments.map((a: { at: string }) => Date.parse(a.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);

    expect(await listed(CW_2, 'me')).toContain(c.id);
    expect(await listed(CW_1, 'me')).not.toContain(c.id);
    expect(await listed(CW_1, CW_2)).toContain(c.id);
    expect(await listed(CW_1, 'none')).not.toContain(c.id);
    const item = (await as(CW_2)('GET', '/cases?assignee=me&limit=500')).body.items.find((i: { id: string }) => i.id === c.id);
    expect(item.assignee).toMatchObject({ userId: CW_2, name: 'Caseworker Two' });

    // A supervisor of a unit above reassigns too.
    expect(await assign('supervisor-a', c.id, CW_1)).toMatchObject({ status: 200, body: { assignee: { userId: CW_1, assignedBy: 'supervisor-a' } } });
  });

  it('hides the case from other units (404), refuses an assisting unit (403) and a closed case (422)', async () => {
    const c = await file(CW_1);
    expect(await assign('caseworker-b', c.id, 'caseworker-b')).toMatchObject({ status: 404 });
    expect(await assign('supervisor-b', c.id, null)).toMatchObject({ status: 404 });
    expect(await assign(CW_1, '00000000-0000-4000-8000-000000000000', CW_1)).toMatchObject({ status: 404 });

    expect(await as(CW_1)('POST', `/cases/${c.id}/actions`, { action: 'request-assistance', units: [{ unitId: 'b' }] })).toMatchObject({ status: 200 });
    expect(await assign('caseworker-b', c.id, 'caseworker-b')).toMatchObject({ status: 403, body: { rule: 'unit-scope' } });

    expect(await as(SUP)('POST', `/cases/${c.id}/actions`, { action: 'mark-disputed' })).toMatchObject({ status: 200 });
    expect(await as(SUP)('POST', `/cases/${c.id}/actions`, { action: 'decide', outcome: 'rejected', reasons: 'the record matches the court judgment' })).toMatchObject({
      status: 200,
      body: { state: 'closed' },
    });
    expect(await assign(SUP, c.id, CW_2)).toMatchObject({ status: 422, body: { rule: 'case-closed' } });
  });

  it('refuses a userId that cannot handle the case, naming the field (400)', async () => {
    const c = await file(CW_1);
    const otherUnit = await assign(SUP, c.id, 'caseworker-b');
    expect(otherUnit).toMatchObject({ status: 400, body: { field: 'userId', message: expect.stringContaining('not of unit') } });
    expect(await assign(SUP, c.id, `nobody-${run}`)).toMatchObject({ status: 400, body: { field: 'userId', message: expect.stringContaining('no user') } });
    expect(await assign(SUP, c.id, 42)).toMatchObject({ status: 400, body: { field: 'userId' } });
    expect(await as(SUP)('PUT', `/cases/${c.id}/assignee`, {})).toMatchObject({ status: 400, body: { field: 'userId' } });
    expect(await as(SUP)('PUT', `/cases/${c.id}/assignee`, { userId: CW_2, note: 'x' })).toMatchObject({ status: 400, body: { field: 'note' } });
    // A supervisor above the unit is not one of its users: they assign, they are not assigned.
    expect(await assign('supervisor-a', c.id, 'supervisor-a')).toMatchObject({ status: 400, body: { field: 'userId' } });
    expect((await as(CW_1)('GET', `/cases/${c.id}`)).body.assignments).toHaveLength(1);
  });

  it('says a refusal in Chinese by default and in English when asked', async () => {
    const c = await file(CW_1);
    const put = async (language?: string) => {
      const res = await fetch(`${service.url}/cases/${c.id}/assignee`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${await tokenFor(CW_2)}`, 'content-type': 'application/json', ...(language ? { 'accept-language': language } : {}) },
        body: JSON.stringify({ userId: CW_2 }),
      });
      return { status: res.status, body: (await res.json()) as { rule: string; message: string } };
    };
    const zh = await put();
    const en = await put('en');
    expect(zh).toMatchObject({ status: 403, body: { rule: 'assignment-needs-supervisor', message: expect.stringContaining('主管') } });
    expect(en).toMatchObject({ status: 403, body: { rule: 'assignment-needs-supervisor', message: expect.stringContaining('needs a supervisor') } });
    expect(en.body.message).toContain(CW_1);
  });

  it('lists the users of a unit for its supervisors and those above (the reassign picker), no one else', async () => {
    const members = await as(SUP)('GET', `/units/${UNIT}/members`);
    expect(members.status).toBe(200);
    expect(members.body.items).toEqual([
      { id: CW_1, name: 'Caseworker One', roles: ['caseworker'] },
      { id: CW_2, name: 'Caseworker Two', roles: ['caseworker'] },
      { id: SUP, name: 'Supervisor', roles: ['supervisor'] },
    ]);
    expect(await as('supervisor-root')('GET', `/units/${UNIT}/members`)).toMatchObject({ status: 200 });
    expect(await as('admin')('GET', `/units/${UNIT}/members`)).toMatchObject({ status: 200 });
    expect(await as('supervisor-b')('GET', `/units/${UNIT}/members`)).toMatchObject({ status: 403, body: { rule: 'unit-scope' } });
    expect(await as(CW_1)('GET', `/units/${UNIT}/members`)).toMatchObject({ status: 403, body: { rule: 'role' } });
    expect(await as('admin')('GET', `/units/nowhere-${run}/members`)).toMatchObject({ status: 404 });
  });
});
