import type { PrismaClient } from '@prisma/client';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { waitFor } from '../support/cases';
import { testPrisma } from '../support/db';
import { DEFAULT_TEST_USER, tokenFor } from '../support/auth';
import { holdAnswersToDocument, requestJson } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';
import { uniqueUscc } from '../support/subjects';

// Every procedure on the case kernel through HTTP → NestJS → Temporal dev server → worker → PostgreSQL.
let temporal: DevServerHandle;
let service: RunningService;
let prisma: PrismaClient;

beforeAll(async () => {
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-procedures'));
  await holdAnswersToDocument(service.url);
  prisma = testPrisma();
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await prisma?.$disconnect();
  await temporal?.stop();
});

const http = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  headers['idempotency-key'] ? requestWithHeaders(method, path, body, headers) : requestJson(service.url, method, path, body);

async function requestWithHeaders(method: string, path: string, body: unknown, headers: Record<string, string>) {
  const authorization = `Bearer ${await tokenFor(DEFAULT_TEST_USER)}`;
  const res = await fetch(`${service.url}${path}`, { method, headers: { 'accept-language': 'en', 'content-type': 'application/json', authorization, ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

let seq = 0;
const key = () => `proc-${Date.now()}-${++seq}-${Math.random().toString(36).slice(2)}`;
const ORG = { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' };
/** An objection states its grounds and reasons (Art. 39 ¶1); other procedures take their own fields. */
const OBJECTION = { grounds: ['error'], reasons: '记录与原始文书不符' };
const file = (procedure: string, fields: Record<string, unknown> = {}) =>
  http('POST', '/cases', { procedure, idempotencyKey: key(), receivedAt: new Date().toISOString(), subject: ORG, ...(procedure === 'objection-review' ? OBJECTION : {}), ...fields });
const getCase = async (id: string) => (await http('GET', `/cases/${id}`)).body;
const act = (id: string, body: Record<string, unknown>, idempotencyKey?: string) =>
  http('POST', `/cases/${id}/actions`, body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});

describe('GET /procedures', () => {
  it('lists every procedure with its legal basis per clock and action and its validity', async () => {
    const res = await http('GET', '/procedures');
    expect(res.status).toBe(200);
    const names = res.body.items.map((i: { procedure: string }) => i.procedure);
    expect(names).toEqual(expect.arrayContaining(['objection-review', 'credit-complaint', 'information-correction']));
    const objection = res.body.items.find((i: { procedure: string }) => i.procedure === 'objection-review');
    expect(objection).toMatchObject({ version: 3, title: expect.any(String), titleZh: '信用信息异议处理', validFrom: '2022-07-01', basis: expect.any(Array) });
    expect(objection.clocks).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'decision', basis: expect.stringContaining('Art. 39 ¶2') })]));
    expect(objection.actions).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'decide', basis: expect.stringContaining('Art. 39') })]));
    // The state graph: each state and the actions it allows, the kernel's own where they apply.
    const states = Object.fromEntries(objection.states.map((st: { state: string; actions: string[] }) => [st.state, st]));
    expect(states.received).toMatchObject({ initial: true, labelZh: '已收到异议申请', actions: expect.arrayContaining(['mark-disputed', 'refer', 'decide', 'suspend']) });
    expect(states.correcting.actions).toEqual(expect.arrayContaining(['correct-record', 'notify-applicant']));
    expect(states.correcting.actions).not.toContain('refer');
    expect(states.suspended.actions).toEqual(['resume']);
    expect(states.closed.actions).toEqual(['record-assistance-reply']);
    // Extension actions only where the definition allows extensions; their basis is the project's own docs.
    expect(objection.actions.find((a: { action: string }) => a.action === 'extend').basis).toContain('docs/time-rules.md');
    expect(states.received.actions).not.toContain('extend');
    // Where each action leads and the clocks the filing and each action start and stop, held by the kernel.
    expect(states.received.startsOnFiling).toEqual(['mark-disputed', 'decision', 'decision-art35']);
    expect(states['under-review']).not.toHaveProperty('startsOnFiling');
    expect(states.received.transitions).toEqual(
      expect.arrayContaining([
        { action: 'mark-disputed', to: ['under-review'], starts: [], stops: ['mark-disputed'] },
        { action: 'refer', to: ['closed'], starts: ['referral'], stops: ['mark-disputed', 'decision', 'referral'] },
      ]),
    );
    expect(objection.actions.find((a: { action: string }) => a.action === 'record-notice-receipt')).toMatchObject({ starts: ['assistance-reply'], stops: [] });
  });
});

describe('OpenAPI', () => {
  it('documents each filing and action with the schema the API validates with', async () => {
    const doc = (await http('GET', '/docs/openapi.json')).body;
    const refs = (path: string) => doc.paths[path].post.requestBody.content['application/json'].schema.oneOf.map((r: { $ref: string }) => r.$ref.split('/').pop());
    expect(refs('/cases')).toEqual(expect.arrayContaining(['Filing_objection-review_v2', 'Filing_property-rating_v1', 'Filing_commitment-verification_v1']));
    expect(doc.components.schemas['Filing_commitment-verification_v1']).toMatchObject({ additionalProperties: false, required: expect.arrayContaining(['licence']) });
    expect(refs('/cases/{id}/actions')).toEqual(expect.arrayContaining(['Action_objection-review_decide', 'Action_property-rating_owner-objection']));
    expect(doc.components.schemas['Action_objection-review_decide'].properties.outcome).toMatchObject({ enum: ['upheld', 'rejected'] });
    // The common fields come from the parsers' zod schemas: no default the API would refuse (the actor is the token's
    // user, the unit the caller's), and the limits the parser applies.
    const filing = doc.components.schemas['Filing_objection-review_v3'];
    expect(filing.required).toEqual(expect.arrayContaining(['grounds', 'reasons', 'idempotencyKey', 'receivedAt', 'subject']));
    expect(filing.properties.unitId).not.toHaveProperty('default');
    expect(filing.properties.actor).not.toHaveProperty('default');
    expect(filing.properties.actor.description).toContain('token');
    expect(filing.properties.idempotencyKey).toMatchObject({ type: 'string', maxLength: 200 });
    const action = doc.components.schemas['Action_objection-review_decide'];
    expect(action.properties.actor).not.toHaveProperty('default');
    expect(action.properties.occurredAt.description).toContain('entered late');
  });
});

describe('procedures on the kernel', () => {
  it('credit complaint: the written reply is due 20 working days after acceptance', async () => {
    const res = await file('credit-complaint', { receivedAt: '2026-09-21', collector: { name: '某征信服务公司' } });
    // Version 2: no clock before acceptance (Art. 41 ¶2, 自受理之日起).
    expect(res).toMatchObject({ status: 201, body: { state: 'awaiting-acceptance', deadlines: [] } });
    const accepted = await http('POST', `/cases/${res.body.id}/actions`, { action: 'accept', nonPublicCollector: true, occurredAt: '2026-09-23T02:00:00.000Z' });
    expect(accepted).toMatchObject({ status: 200, body: { state: 'accepted' } });
    // Accepted Wed 23 Sep 2026: 20 working days skip Mid-Autumn (Fri 25 Sep) and National Day 1–7 Oct, count the
    // make-up Saturday 10 Oct: 24 Sep; 28–30 Sep; 8–10 Oct; 12–16; 19–23; 26, 27, 28 Oct.
    expect(accepted.body.deadlines).toEqual([expect.objectContaining({ key: 'reply', dueDate: '2026-10-28' })]);
  });

  it('information correction: 3 working days from the discovery', async () => {
    const res = await file('information-correction', { receivedAt: '2026-09-30' });
    expect(res.status).toBe(201);
    // From Wed 30 Sep 2026: National Day 1–7 Oct skipped, Thu 8, Fri 9 and the make-up Saturday 10 Oct counted.
    expect(res.body.deadlines).toEqual([expect.objectContaining({ key: 'correction', dueDate: '2026-10-10' })]);
  });

  it('keeps idempotency keys per procedure: one key under two procedures files two cases', async () => {
    const shared = key();
    const a = await http('POST', '/cases', { procedure: 'credit-complaint', idempotencyKey: shared, receivedAt: new Date().toISOString(), subject: ORG });
    const b = await http('POST', '/cases', { procedure: 'information-correction', idempotencyKey: shared, receivedAt: new Date().toISOString(), subject: ORG });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
    expect((await http('POST', '/cases', { procedure: 'credit-complaint', idempotencyKey: shared, receivedAt: new Date().toISOString(), subject: ORG })).status).toBe(409);
  });

  it('objection review refuses a receipt before the regulation was in force (2022-07-01)', async () => {
    const res = await file('objection-review', { receivedAt: '2022-06-30' });
    expect(res).toMatchObject({ status: 422, body: { rule: 'definition-validity' } });
  });

});

describe('kernel invariants', () => {
  it('refuses text PostgreSQL cannot store with 400 at filing, and files nothing', async () => {
    // Other test files file cases at the same time: look for these two filings' keys, not at the total.
    const keys = [key(), key()];
    const nul = await file('credit-complaint', { idempotencyKey: keys[0], subject: { name: 'Evil\u0000Corp', uscc: ORG.uscc } });
    expect(nul).toMatchObject({ status: 400, body: { field: 'subject.name' } });
    const surrogate = await file('credit-complaint', { idempotencyKey: keys[1], collector: { name: 'bad \ud800 name' } });
    expect(surrogate).toMatchObject({ status: 400, body: { field: 'collector.name' } });
    expect(await prisma.case.count({ where: { idempotencyKey: { in: keys } } })).toBe(0);
  });

  it('refuses an unknown field at any depth with 400', async () => {
    expect(await file('credit-complaint', { collector: { name: 'x', extra: 1 } })).toMatchObject({ status: 400, body: { field: 'collector.extra' } });
    const c = await file('objection-review');
    expect(await act(c.body.id, { action: 'request-assistance', units: [{ unitId: 'tax', hack: true }] })).toMatchObject({ status: 400, body: { field: 'units.0.hack' } });
  });

  it('a NUL in an action note is refused with 400 and does not wedge later actions', async () => {
    const c = await file('objection-review');
    expect(await act(c.body.id, { action: 'mark-disputed', note: 'a\u0000b' })).toMatchObject({ status: 400, body: { field: 'note' } });
    const ok = await act(c.body.id, { action: 'mark-disputed', note: 'fine' });
    expect(ok).toMatchObject({ status: 200, body: { state: 'under-review' } });
    const decided = await act(c.body.id, { action: 'decide', outcome: 'rejected', reasons: 'the record is right' });
    expect(decided).toMatchObject({ status: 200, body: { state: 'closed' } });
  });

  it('an action retried with the same Idempotency-Key gets the first answer, not a 422', async () => {
    const c = await file('objection-review');
    const first = await act(c.body.id, { action: 'mark-disputed' }, 'mark-once');
    const again = await act(c.body.id, { action: 'mark-disputed' }, 'mark-once');
    expect(first.status).toBe(200);
    expect(again).toMatchObject({ status: 200, body: { id: c.body.id, revision: first.body.revision } });
    const events = await prisma.caseEvent.count({ where: { caseId: c.body.id, type: 'record.marked-disputed' } });
    expect(events).toBe(1);
    // Without the key the same action is a second step, refused by its rule.
    expect(await act(c.body.id, { action: 'mark-disputed' })).toMatchObject({ status: 422, body: { rule: 'objection-review/already-done' } });
    // A retry of the action that closed the case still gets its answer.
    const closing = await act(c.body.id, { action: 'decide', outcome: 'rejected', reasons: 'no error' }, 'decide-once');
    await waitFor(async () => (await prisma.case.findUnique({ where: { id: c.body.id } }))?.state === 'closed');
    const retried = await act(c.body.id, { action: 'decide', outcome: 'rejected', reasons: 'no error' }, 'decide-once');
    expect(retried).toMatchObject({ status: 200, body: { state: 'closed', revision: closing.body.revision } });
  });

  it('records the red of a deadline already missed before the first action applies', async () => {
    const receivedAt = new Date(Date.now() - 14 * 86_400_000).toISOString();
    const c = await file('objection-review', { receivedAt });
    // The first action races the workflow's first timer check; the missed deadlines' reds come first regardless.
    const marked = await act(c.body.id, { action: 'mark-disputed' });
    expect(marked.status).toBe(200);
    const reds = await prisma.escalation.findMany({ where: { caseId: c.body.id, level: 'red' } });
    expect(reds.map((r) => r.deadlineKey).sort()).toEqual(['decision', 'mark-disputed']);
    const events = await prisma.caseEvent.findMany({ where: { caseId: c.body.id }, orderBy: { seq: 'asc' } });
    const markSeq = events.find((e) => e.type === 'record.marked-disputed')!.seq;
    expect(events.filter((e) => e.type === 'deadline.red').every((e) => e.seq < markSeq)).toBe(true);
  });
});

describe('shared credit status across procedures (Art. 45 ¶1)', () => {
  it('listed → commitment path refused → repair of that listing approved → the listing case ends as repaired, another listing stays, the path is open once no listing is active', async () => {
    const subject = { name: '某某食品有限公司', uscc: uniqueUscc() };
    const on = (procedure: string, fields: Record<string, unknown> = {}) => file(procedure, { subject, ...fields });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const licence = () => ({ licence: { number: `HB-${key()}`, decidedAt: today } });
    const list = async () => {
      const listing = await on('dishonesty-listing');
      expect(listing.status).toBe(201);
      const decided = await act(listing.body.id, { action: 'decide', period: { years: 1 }, reasons: '多次违反食品安全规定', basis: '食品安全法第一百三十四条', removalConditions: '整改到位并经复查合格' });
      expect(decided.status).toBe(200);
      return listing.body.id as string;
    };
    const first = await list();
    const second = await list();
    const listed = await waitFor(async () => {
      const s = await http('GET', `/subjects/${subject.uscc}/credit-status`);
      return s.body?.listings?.length === 2 ? s : undefined;
    });
    expect(listed.body).toMatchObject({ listed: true });

    expect(await on('commitment-verification', licence())).toMatchObject({ status: 422, body: { rule: 'commitment-verification/listed-subject' } });

    // An application names what it repairs: exactly one listing or commitment (400), of this subject and still in force (422).
    expect(await on('credit-repair')).toMatchObject({ status: 400, body: { field: 'listingCaseId' } });
    expect(await on('credit-repair', { listingCaseId: first, commitmentCaseId: second })).toMatchObject({ status: 400, body: { field: 'listingCaseId' } });
    expect(await file('credit-repair', { listingCaseId: first })).toMatchObject({ status: 422, body: { rule: 'credit-repair/names-what-it-repairs' } });

    const repair = await on('credit-repair', { listingCaseId: first });
    expect(repair).toMatchObject({ status: 201, body: { definitionVersion: 2 } });
    expect(repair.body.deadlines.map((d: { key: string }) => d.key)).toEqual(['acceptance']);
    expect(await act(repair.body.id, { action: 'decide', outcome: 'approved' })).toMatchObject({ status: 422, body: { rule: 'action-not-in-state', message: expect.stringContaining('state applied') } });
    expect((await act(repair.body.id, { action: 'accept' })).status).toBe(200);
    const approved = await act(repair.body.id, { action: 'decide', outcome: 'approved', reasons: '已纠正失信行为并消除不利影响', authorities: ['市场监管局'] });
    expect(approved).toMatchObject({ status: 200, body: { state: 'repairing' } });

    // The listing case itself records the removal: it ends as repaired, its period clock stops.
    const ended = await waitFor(async () => {
      const v = await getCase(first);
      return v?.state === 'closed' ? v : undefined;
    });
    expect(ended).toMatchObject({ outcome: 'repaired' });
    expect(ended.deadlines.find((d: { key: string }) => d.key === 'listing-period')).toMatchObject({ status: 'cancelled' });
    expect(ended.events.find((e: { type: string }) => e.type === 'listing.removed')).toMatchObject({ data: expect.objectContaining({ ground: 'repair', byCaseId: repair.body.id }) });
    // The other listing of the same subject is untouched, so the commitment path stays closed.
    expect(await getCase(second)).toMatchObject({ state: 'listed' });
    const status = await waitFor(async () => {
      const s = await http('POST', '/subjects/credit-status', { uscc: subject.uscc });
      return s.body?.listings?.find((l: { caseId: string; active: boolean }) => l.caseId === first && !l.active) ? s : undefined;
    });
    expect(status.body).toMatchObject({ listed: true, repairs: [expect.objectContaining({ caseId: repair.body.id, listingCaseId: first })] });
    expect(await on('commitment-verification', licence())).toMatchObject({ status: 422, body: { rule: 'commitment-verification/listed-subject' } });

    // Art. 40 ¶2: the remaining effects are separate recorded steps; the repair closes when all are recorded.
    expect(await act(repair.body.id, { action: 'stop-publication' })).toMatchObject({ status: 422, body: { rule: 'credit-repair/evidence-required' } });
    expect((await act(repair.body.id, { action: 'stop-publication', evidenceRef: 'WEB-2026-1' })).body.state).toBe('repairing');
    expect((await act(repair.body.id, { action: 'notify-subject', evidenceRef: 'SERVICE-2026-1' })).body.state).toBe('repairing');
    expect(await act(repair.body.id, { action: 'confirm-restriction-ended', authority: '税务局' })).toMatchObject({ status: 422, body: { rule: 'credit-repair/unknown-authority' } });
    expect(await act(repair.body.id, { action: 'confirm-restriction-ended', authority: '市场监管局' })).toMatchObject({ status: 200, body: { state: 'closed', outcome: 'approved' } });

    // The second listing removed by its own unit: nothing is active, the path is open.
    expect((await act(second, { action: 'remove', reasons: '处罚决定被撤销', ground: 'revoked' })).status).toBe(200);
    await waitFor(async () => ((await http('GET', `/subjects/${subject.uscc}/credit-status`)).body?.listed === false ? true : undefined));
    const accepted = await on('commitment-verification', licence());
    expect(accepted.status).toBe(201);
    expect(accepted.body.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'verification' })]));
  });

  it('Art. 35: the objection names the listing; upheld, that listing case ends as removed, the status no longer shows it, and the commitment path is open again', async () => {
    const subject = { name: '某某建材有限公司', uscc: uniqueUscc() };
    const on = (procedure: string, fields: Record<string, unknown> = {}) => file(procedure, { subject, ...fields });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const listing = await on('dishonesty-listing');
    await act(listing.body.id, { action: 'decide', period: { years: 3 }, reasons: '拒不履行生效判决', basis: '条例第二十九条第五项', removalConditions: '履行判决确定的义务' });
    await waitFor(async () => ((await http('GET', `/subjects/${subject.uscc}/credit-status`)).body?.listed ? true : undefined));

    expect(await on('objection-review', { variant: 'serious-dishonesty-list' })).toMatchObject({ status: 400, body: { field: 'listingCaseId' } });
    expect(await file('objection-review', { variant: 'serious-dishonesty-list', listingCaseId: listing.body.id })).toMatchObject({ status: 422, body: { rule: 'objection-review/art35-names-listing' } });
    expect(await on('objection-review', { listingCaseId: listing.body.id })).toMatchObject({ status: 422, body: { rule: 'objection-review/listing-only-on-art35' } });
    const objection = await on('objection-review', { variant: 'serious-dishonesty-list', listingCaseId: listing.body.id });
    expect(objection).toMatchObject({ status: 201, body: { definitionVersion: 3 } });
    // No suspension clause in Art. 35: the decision clock is never suspended.
    expect(await act(objection.body.id, { action: 'suspend', reason: 'appraisal' })).toMatchObject({ status: 422, body: { rule: 'suspension-not-provided' } });
    expect((await act(objection.body.id, { action: 'record-statement', kind: 'defence', text: '判决已于上月履行完毕' })).status).toBe(200);
    const upheld = await act(objection.body.id, { action: 'decide', outcome: 'upheld', reasons: '义务已履行,认定依据不再成立', departments: ['发改委'] });
    expect(upheld).toMatchObject({ status: 200, body: { state: 'correcting' } });

    const removed = await waitFor(async () => {
      const v = await getCase(listing.body.id);
      return v?.state === 'closed' ? v : undefined;
    });
    expect(removed).toMatchObject({ outcome: 'removed' });
    expect(removed.deadlines.find((d: { key: string }) => d.key === 'listing-period')).toMatchObject({ status: 'cancelled' });
    const status = await waitFor(async () => {
      const s = await http('GET', `/subjects/${subject.uscc}/credit-status`);
      return s.body && !s.body.listed ? s : undefined;
    });
    expect(status.body.listings).toEqual([expect.objectContaining({ caseId: listing.body.id, active: false })]);
    expect(await on('commitment-verification', { licence: { number: `HB-${key()}`, decidedAt: today } })).toMatchObject({ status: 201 });

    // A department confirms the end of its punitive measure; with the applicant told, the objection closes.
    expect((await act(objection.body.id, { action: 'confirm-measure-ended', department: '发改委' })).status).toBe(200);
    expect(await act(objection.body.id, { action: 'notify-applicant', evidenceRef: 'SERVICE-35-1' })).toMatchObject({ status: 200, body: { state: 'closed', outcome: 'upheld' } });
  });

  it('answers the credit status of a person only by POST, and refuses a bad identifier with 400', async () => {
    expect(await http('POST', '/subjects/credit-status', { idNumber: '11010519491231002X' })).toMatchObject({ status: 200, body: { listed: false } });
    expect(await http('POST', '/subjects/credit-status', { idNumber: '110105194912310021' })).toMatchObject({ status: 400, body: { field: 'idNumber' } });
    expect(await http('GET', '/subjects/not-a-uscc/credit-status')).toMatchObject({ status: 400, body: { field: 'uscc' } });
  });
});

describe('commitment verification v3 through HTTP (Art. 45 ¶2, Art. 46)', () => {
  const DAY = 86_400_000;
  const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

  it('materials received inside the supply period and recorded later are accepted: that day is the licence decision and the two months run from it', async () => {
    const subject = { name: '某某餐饮有限公司', uscc: uniqueUscc() };
    const c = await file('commitment-verification', { subject, receivedAt: ago(20), licence: { number: `HB-${key()}` }, materialsDue: { items: ['消防验收意见书'], period: { workingDays: 3 } } });
    expect(c).toMatchObject({ status: 201, body: { definitionVersion: 3, state: 'awaiting-materials' } });
    expect(c.body.deadlines.map((d: { key: string }) => d.key)).toEqual(['materials']);
    const suppliedAt = ago(19);
    const supplied = await act(c.body.id, { action: 'materials-supplied', conforming: true, occurredAt: suppliedAt });
    expect(supplied).toMatchObject({ status: 200, body: { state: 'verifying' } });
    const verification = supplied.body.deadlines.find((d: { key: string }) => d.key === 'verification');
    expect(Date.parse(verification.startAt)).toBe(Date.parse(suppliedAt));
    expect(supplied.body.deadlines.find((d: { key: string }) => d.key === 'materials')).toMatchObject({ status: 'met-recorded-late' });
    // Both at once is refused: with materials due, the licence is decided when they arrive.
    expect(await file('commitment-verification', { subject, licence: { number: 'X', decidedAt: '2026-01-05' }, materialsDue: { items: ['a'], period: { workingDays: 3 } } })).toMatchObject({
      status: 400,
      body: { field: 'licence.decidedAt' },
    });
  });

  it('the finding is written to the credit record at once, also when guidance follows; guidance answers a false commitment too', async () => {
    const subject = { name: '某某商贸有限公司', uscc: uniqueUscc() };
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const c = await file('commitment-verification', { subject, licence: { number: `HB-${key()}`, decidedAt: today } });
    expect((await act(c.body.id, { action: 'verify', outcome: 'false', findings: '承诺内容与实际不符' })).body.state).toBe('breached');
    expect(await act(c.body.id, { action: 'sanction', measure: 'penalty', decisionRef: 'D-1' })).toMatchObject({ status: 422, body: { rule: 'action-not-in-state' } });
    expect(await act(c.body.id, { action: 'guidance', note: '已指导' })).toMatchObject({ status: 200, body: { state: 'closed', outcome: 'guided' } });
    const status = await waitFor(async () => {
      const s = await http('GET', `/subjects/${subject.uscc}/credit-status`);
      return s.body?.commitmentBreaches?.length ? s : undefined;
    });
    expect(status.body.commitmentBreaches).toEqual([expect.objectContaining({ caseId: c.body.id, kind: 'false', repaired: false })]);
  });
});
