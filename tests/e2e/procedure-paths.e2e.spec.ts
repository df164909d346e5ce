import { beijingIso } from '../../src/domain/said';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { Calendar } from '../../src/domain/calendar';
import { computeDeadline } from '../../src/domain/periods';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { waitFor } from '../support/cases';
import { testPrisma } from '../support/db';
import { holdAnswersToDocument, requestAs, requestJson } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';
import { uniqueUscc } from '../support/subjects';

// Procedures without an HTTP test of their own, through HTTP → NestJS → Temporal dev server → worker → PostgreSQL.
// The dev server runs in real time: windows and periods are put in the past by late entry (a past receivedAt on filing,
// past occurredAt on actions), and the worker then runs the due steps at once.
let temporal: DevServerHandle;
let service: RunningService;
let prisma: PrismaClient;

beforeAll(async () => {
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-procedure-paths'));
  await holdAnswersToDocument(service.url);
  prisma = testPrisma();
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await prisma?.$disconnect();
  await temporal?.stop();
});

const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as Parameters<typeof Calendar.fromSeed>[0];
const calendar = Calendar.fromSeed(seed);

const http = (method: string, urlPath: string, body?: unknown) => requestJson(service.url, method, urlPath, body);

let seq = 0;
const key = () => `paths-${Date.now()}-${++seq}-${Math.random().toString(36).slice(2)}`;
type Subject = { name: string; uscc: string };
const org = (name: string): Subject => ({ name, uscc: uniqueUscc() });
const file = (procedure: string, subject: Subject, fields: Record<string, unknown> = {}) =>
  http('POST', '/cases', { procedure, idempotencyKey: key(), receivedAt: new Date().toISOString(), subject, ...fields });
const act = (id: string, body: Record<string, unknown>) => http('POST', `/cases/${id}/actions`, body);
const getCase = async (id: string) => (await http('GET', `/cases/${id}`)).body;
const creditStatus = async (uscc: string) => (await http('GET', `/subjects/${uscc}/credit-status`)).body;

const DAY = 86_400_000;
const ago = (days: number, plusMs = 0) => new Date(Date.now() - days * DAY + plusMs).toISOString();
type DeadlineView = { key: string; status: string; startAt: string; dueDate: string | null; dueAt: string | null; completedAt: string | null };
type EventView = { type: string; actor: string; data: Record<string, unknown> };
const deadline = (c: { deadlines: DeadlineView[] }, k: string) => c.deadlines.find((d) => d.key === k);
const eventsOf = (c: { events: EventView[] }, type: string) => c.events.filter((e) => e.type === type);

const COMPOUND = { name: '江北某某小区', occupiedSince: '2020-03-01' };

/** A district notice renewing the measures (Art. 15 ended them on 2024-06-30); the cases below are received under it. */
const RENEWAL = { document: '江北新区物业〔2024〕12号 (test notice)', issuedAt: '2024-12-20', validFrom: '2025-01-01', validTo: '2027-12-31' };

describe('Art. 15 through HTTP: the measures ended on 2024-06-30; an administrator records a renewal notice', () => {
  const renewals = '/procedures/property-rating/renewals';

  it('a receipt after 2024-06-30 that no renewal covers is refused (422 property-rating/measures-expired naming Art. 15)', async () => {
    const res = await file('property-rating', org('某物业服务有限公司'), { compound: COMPOUND, receivedAt: '2024-12-01T10:00:00+08:00' });
    expect(res).toMatchObject({ status: 422, body: { rule: 'property-rating/measures-expired', basis: expect.stringContaining('Art. 15') } });
    expect(res.body.basis).toContain('本办法自2022年7月1日起施行,有效期2年');
  });

  it('only an administrator records a renewal (403 otherwise); bad input is 400 naming the field', async () => {
    expect(await requestAs('caseworker-a', service.url, 'POST', renewals, RENEWAL)).toMatchObject({ status: 403 });
    expect(await requestAs('supervisor-root', service.url, 'POST', renewals, RENEWAL)).toMatchObject({ status: 403 });
    const bad = (body: unknown) => requestAs('admin', service.url, 'POST', renewals, body);
    expect(await bad({ ...RENEWAL, validFrom: '2028-01-01' })).toMatchObject({ status: 400, body: { field: 'validTo' } });
    expect(await bad({ ...RENEWAL, document: '' })).toMatchObject({ status: 400, body: { field: 'document' } });
    expect(await bad({ ...RENEWAL, issuedAt: '2024-02-30' })).toMatchObject({ status: 400, body: { field: 'issuedAt' } });
    expect(await bad({ ...RENEWAL, validTo: undefined })).toMatchObject({ status: 400, body: { field: 'validTo' } });
    expect(await bad({ ...RENEWAL, extra: 1 })).toMatchObject({ status: 400, body: { field: 'extra' } });
  });

  it('a recorded renewal is stored with who and when, listed, and a receipt inside it is accepted citing its document number', async () => {
    const before = new Date().toISOString();
    const recorded = await requestAs('admin', service.url, 'POST', renewals, RENEWAL);
    expect(recorded).toMatchObject({ status: 201, body: { ...RENEWAL, procedure: 'property-rating', recordedBy: 'admin' } });
    expect(recorded.body.recordedAt >= before.slice(0, 19)).toBe(true);
    const listed = await http('GET', renewals);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: recorded.body.id, document: RENEWAL.document, recordedBy: 'admin' })]));

    const c = await file('property-rating', org('某物业服务有限公司'), { compound: COMPOUND });
    expect(c.status).toBe(201);
    expect(c.body.details.measures).toMatchObject({ renewal: { document: RENEWAL.document, validTo: '2027-12-31' } });
    const view = await getCase(c.body.id);
    expect(eventsOf(view, 'measures.renewal-cited')).toEqual([expect.objectContaining({ data: expect.objectContaining({ document: RENEWAL.document }) })]);
    // Still refused outside every renewal.
    expect(await file('property-rating', org('某物业服务有限公司'), { compound: COMPOUND, receivedAt: '2024-12-01T10:00:00+08:00' })).toMatchObject({ status: 422 });
  });
});

describe('property-rating through HTTP', () => {
  beforeAll(async () => {
    // The measures ended on 2024-06-30 (Art. 15): the cases below are received now, under a renewal notice.
    const res = await requestAs('admin', service.url, 'POST', '/procedures/property-rating/renewals', RENEWAL);
    expect(res.status).toBe(201);
  });

  it('refuses a compound occupied for less than 6 months, and a new company serving for less than 6 months (422)', async () => {
    const occupied = await file('property-rating', org('某物业服务有限公司'), { compound: { name: '新建小区', occupiedSince: ago(90).slice(0, 10) } });
    expect(occupied).toMatchObject({ status: 422, body: { rule: 'property-rating/occupied-under-6-months' } });
    const service = await file('property-rating', org('某物业服务有限公司'), { compound: { ...COMPOUND, serviceSince: ago(60).slice(0, 10) } });
    expect(service).toMatchObject({ status: 422, body: { rule: 'property-rating/service-under-6-months' } });
    // Served long enough: accepted.
    const ok = await file('property-rating', org('某物业服务有限公司'), { compound: { ...COMPOUND, serviceSince: '2024-01-15' } });
    expect(ok).toMatchObject({ status: 201, body: { state: 'filed', deadlines: [] } });
  });

  it('refuses an unknown nested field and a score above 110 with 400', async () => {
    const extra = await file('property-rating', org('某物业服务有限公司'), { compound: { ...COMPOUND, extra: 1 } });
    expect(extra).toMatchObject({ status: 400, body: { field: 'compound.extra' } });
    const c = await file('property-rating', org('某物业服务有限公司'), { compound: COMPOUND });
    expect(c.status).toBe(201);
    expect((await act(c.body.id, { action: 'declare-recusal', evaluator: 'E1', conflict: false, statement: 'no ties' })).status).toBe(200);
    expect(await act(c.body.id, { action: 'publish', score: 111 })).toMatchObject({ status: 400, body: { field: 'score' } });
    expect(await act(c.body.id, { action: 'publish', score: 95, bonus: 1 })).toMatchObject({ status: 400, body: { field: 'bonus' } });
    expect(await getCase(c.body.id)).toMatchObject({ state: 'filed' });
  });

  it('Art. 6 recusal: a conflicted evaluator and an undeclared one may not score; a declaration is made once', async () => {
    const c = await file('property-rating', org('某物业服务有限公司'), { compound: COMPOUND, evaluator: { name: '某评估公司' } });
    expect(c.status).toBe(201);
    // The evaluator named at filing has not declared.
    expect(await act(c.body.id, { action: 'publish', score: 95 })).toMatchObject({ status: 422, body: { rule: 'property-rating/declaration-missing' } });
    const recused = await act(c.body.id, { action: 'declare-recusal', evaluator: '某评估公司', conflict: true, statement: 'the evaluator manages a sister company' });
    expect(recused.status).toBe(200);
    expect(await act(c.body.id, { action: 'publish', score: 95 })).toMatchObject({ status: 422, body: { rule: 'property-rating/conflicted-evaluator' } });
    expect(await act(c.body.id, { action: 'publish', score: 95, evaluator: '某评估公司' })).toMatchObject({
      status: 422,
      body: { rule: 'property-rating/conflicted-evaluator' },
    });
    // A declared conflict cannot be withdrawn by a second declaration.
    expect(await act(c.body.id, { action: 'declare-recusal', evaluator: '某评估公司', conflict: false, statement: 'changed my mind' })).toMatchObject({
      status: 422,
      body: { rule: 'property-rating/already-declared' },
    });
    // Another evaluator that declared no conflict scores.
    expect((await act(c.body.id, { action: 'declare-recusal', evaluator: '另一评估公司', conflict: false, statement: 'no ties' })).status).toBe(200);
    expect(await act(c.body.id, { action: 'publish', score: 95, evaluator: '另一评估公司' })).toMatchObject({ status: 200, body: { state: 'publicity' } });
    const view = await getCase(c.body.id);
    expect(eventsOf(view, 'evaluator.recused')).toEqual([expect.objectContaining({ data: expect.objectContaining({ evaluator: '某评估公司', conflict: true }) })]);
    expect(eventsOf(view, 'rating.published')).toEqual([expect.objectContaining({ data: expect.objectContaining({ evaluator: '另一评估公司', stars: 3 }) })]);
  });

  it('Art. 6: an evaluator who declared no conflict and then applies to recuse may not score; Art. 12: no review in the first year', async () => {
    const c = await file('property-rating', org('某物业服务有限公司'), { compound: COMPOUND, receivedAt: ago(40) });
    expect(c.status).toBe(201);
    expect((await act(c.body.id, { action: 'declare-recusal', evaluator: 'E1', conflict: false, statement: 'no ties', occurredAt: ago(35) })).status).toBe(200);
    expect((await act(c.body.id, { action: 'recuse', evaluator: 'E1', statement: 'my firm manages a sister compound', occurredAt: ago(34) })).status).toBe(200);
    expect(await act(c.body.id, { action: 'publish', score: 92, evaluator: 'E1', occurredAt: ago(33) })).toMatchObject({ status: 422, body: { rule: 'property-rating/conflicted-evaluator' } });
    expect((await act(c.body.id, { action: 'declare-recusal', evaluator: 'E2', conflict: false, statement: 'no ties', occurredAt: ago(32) })).status).toBe(200);
    expect((await act(c.body.id, { action: 'publish', score: 92, evaluator: 'E2', occurredAt: ago(30) })).status).toBe(200);
    const effective = await waitFor(async () => {
      const v = await getCase(c.body.id);
      return v.state === 'effective' ? v : undefined;
    });
    // The review is made in the second year: its clock runs to the end of validity, and a review now is refused.
    expect(deadline(effective, 'second-year-review')!.dueDate).toBe(deadline(effective, 'validity')!.dueDate);
    expect(await act(c.body.id, { action: 'review', score: 95, evaluator: 'E2' })).toMatchObject({ status: 422, body: { rule: 'property-rating/review-in-first-year' } });
  });

  it('Art. 9: published now, an owner objects inside the 7-day publicity (200); the deadline is 7 days rolled to a working day', async () => {
    const c = await file('property-rating', org('某物业服务有限公司'), { compound: COMPOUND });
    expect(c.status).toBe(201);
    expect((await act(c.body.id, { action: 'declare-recusal', evaluator: 'E1', conflict: false, statement: 'no ties' })).status).toBe(200);
    const published = await act(c.body.id, { action: 'publish', score: 101.5, evaluator: 'E1' });
    expect(published).toMatchObject({ status: 200, body: { state: 'publicity' } });

    const objected = await act(c.body.id, { action: 'owner-objection', objection: 'the lifts were out of service for weeks' });
    expect(objected).toMatchObject({ status: 200, body: { state: 'publicity' } });

    const view = await getCase(c.body.id);
    expect(eventsOf(view, 'publicity.objection')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ objection: 'the lifts were out of service for weeks', publicityKey: 'publicity', kind: 'rating' }) }),
    ]);
    const publicity = deadline(view, 'publicity')!;
    expect(publicity).toMatchObject({ status: expect.stringMatching(/^(running|yellow)$/), completedAt: null });
    // Counted from the day of the publication (not counted itself), 7 calendar days, a rest-day end rolled forward.
    const expected = computeDeadline(calendar, { start: publicity.startAt, period: { days: 7 } });
    expect(publicity.dueDate).toBe(expected.dueDate);
    expect(publicity.dueAt).toBe(beijingIso(expected.dueAt!));
    const publishedOn = new Date(Date.parse(publicity.startAt) + 8 * 3_600_000).toISOString().slice(0, 10);
    const plain = new Date(Date.parse(`${publishedOn}T00:00:00Z`) + 7 * DAY).toISOString().slice(0, 10);
    expect(publicity.dueDate! >= plain).toBe(true);
    expect(calendar.isWorkingDay(publicity.dueDate!)).toBe(true);
  });

  it('Art. 9–10: published 30 days ago by late entry, the publicity has ended: the rating took effect and an objection is refused (422 window-closed)', async () => {
    const c = await file('property-rating', org('某物业服务有限公司'), { compound: COMPOUND, receivedAt: ago(40) });
    expect(c.status).toBe(201);
    const declared = await act(c.body.id, { action: 'declare-recusal', evaluator: 'E1', conflict: false, statement: 'no ties', occurredAt: ago(30) });
    expect(declared.status).toBe(200);
    const published = await act(c.body.id, { action: 'publish', score: 92, evaluator: 'E1', occurredAt: ago(30, 60_000) });
    expect(published.status).toBe(200);

    const effective = await waitFor(async () => {
      const v = await getCase(c.body.id);
      return v.state === 'effective' ? v : undefined;
    });
    const publicity = deadline(effective, 'publicity')!;
    expect(publicity.status).toBe('expired');
    expect(publicity.dueAt! < new Date().toISOString()).toBe(true);
    const [took] = eventsOf(effective, 'rating.effective');
    expect(took).toMatchObject({ actor: 'system', data: { kind: 'rating', score: 92, stars: 3, level: 'three stars', objections: 0 } });
    expect(took.data.effectiveFrom).toBe(publicity.dueDate && new Date(Date.parse(`${publicity.dueDate}T00:00:00Z`) + DAY).toISOString().slice(0, 10));
    expect(eventsOf(effective, 'rating.consequences')).toHaveLength(1);
    expect(effective.details).toMatchObject({ pending: null, rating: { stars: 3, score: 92, effectiveFrom: took.data.effectiveFrom } });
    // The rating's own clocks run from the end of the publicity.
    expect(deadline(effective, 'validity')).toMatchObject({ status: expect.any(String) });
    expect(deadline(effective, 'nameplate')).toBeDefined();

    const late = await act(c.body.id, { action: 'owner-objection', objection: 'too late' });
    expect(late).toMatchObject({ status: 422, body: { rule: 'window-closed' } });
    // Dated back inside the window, but before the previous caseworker step: refused by the late-entry rule instead.
    const backdated = await act(c.body.id, { action: 'owner-objection', objection: 'dated back', occurredAt: ago(31) });
    expect(backdated).toMatchObject({ status: 422, body: { rule: 'action-time' } });
    // Received inside the ended window (after the previous step) and entered now: Art. 9 refuses only objections made
    // after the publicity, so it is accepted (it was refused as window-closed before the window was judged on
    // occurredAt) and holds the result until it is decided; the event keeps both times.
    const insideEnded = await act(c.body.id, { action: 'owner-objection', objection: 'dated inside', occurredAt: ago(29) });
    expect(insideEnded).toMatchObject({ status: 200, body: { state: 'objections-pending' } });
    const [objection] = eventsOf(await getCase(c.body.id), 'publicity.objection') as (EventView & { at: string; recordedAt: string })[];
    expect(objection).toMatchObject({ data: expect.objectContaining({ lateEntry: true, n: 1 }) });
    expect(objection.at < objection.recordedAt).toBe(true);
    expect(await act(c.body.id, { action: 'decide-objection', number: 1, upheld: false })).toMatchObject({ status: 422, body: { rule: 'property-rating/objection-reasons-required' } });
    expect(await act(c.body.id, { action: 'decide-objection', number: 1, upheld: false, reasons: 'checked on site' })).toMatchObject({ status: 200, body: { state: 'effective' } });
    expect(await act(c.body.id, { action: 'issue-nameplate' })).toMatchObject({ status: 200 });
  });
});

describe('dishonesty-listing through HTTP', () => {
  it('Art. 28: a decision lists the subject until the end of its period; remove ends the listing early', async () => {
    const subject = org('某某食品有限公司');
    const c = await file('dishonesty-listing', subject, { conduct: 'repeated food-safety violations' });
    expect(c).toMatchObject({ status: 201, body: { state: 'under-review', deadlines: [] } });
    const decided = await act(c.body.id, { action: 'decide', period: { years: 2 }, reasons: 'repeated violations', basis: 'Food Safety Law Art. 134', removalConditions: '整改到位并经复查合格' });
    expect(decided).toMatchObject({ status: 200, body: { state: 'listed' } });
    const listingPeriod = deadline(decided.body, 'listing-period')!;
    expect(listingPeriod.dueAt).not.toBeNull();

    const listed = await waitFor(async () => {
      const s = await creditStatus(subject.uscc);
      return s?.listed ? s : undefined;
    });
    expect(listed.listings).toEqual([expect.objectContaining({ caseId: c.body.id, active: true, until: listingPeriod.dueAt, endedAt: null })]);

    expect(await act(c.body.id, { action: 'decide', period: { years: 1 }, reasons: 'again', basis: 'x', removalConditions: 'c' })).toMatchObject({
      status: 422,
      body: { rule: 'dishonesty-listing/already-decided' },
    });

    const removed = await act(c.body.id, { action: 'remove', reasons: 'the underlying penalty was revoked', ground: 'revoked' });
    expect(removed).toMatchObject({ status: 200, body: { state: 'closed', outcome: 'removed' } });
    expect(deadline(removed.body, 'listing-period')).toMatchObject({ status: 'cancelled' });
    const cleared = await waitFor(async () => {
      const s = await creditStatus(subject.uscc);
      return s && !s.listed ? s : undefined;
    });
    expect(cleared.listings).toEqual([expect.objectContaining({ caseId: c.body.id, active: false, endedAt: expect.any(String) })]);
    expect(await act(c.body.id, { action: 'remove', reasons: 'twice', ground: 'revoked' })).toMatchObject({ status: 422, body: { rule: 'case-closed' } });
  });

  it('a one-month listing decided 60 days ago by late entry has ended: the worker closes the case (period-ended) and the subject is no longer listed', async () => {
    const subject = org('某某化工有限公司');
    const c = await file('dishonesty-listing', subject, { receivedAt: ago(70) });
    expect(c.status).toBe(201);
    const decided = await act(c.body.id, { action: 'decide', period: { months: 1 }, reasons: 'falsified records', basis: 'Work Safety Law Art. 94', removalConditions: '履行整改义务', occurredAt: ago(60) });
    expect(decided.status).toBe(200);

    const closed = await waitFor(async () => {
      const v = await getCase(c.body.id);
      return v.state === 'closed' ? v : undefined;
    });
    expect(closed.outcome).toBe('period-ended');
    const listingPeriod = deadline(closed, 'listing-period')!;
    expect(listingPeriod).toMatchObject({ status: 'expired' });
    expect(eventsOf(closed, 'listing.ended')).toEqual([expect.objectContaining({ actor: 'system', data: expect.objectContaining({ reason: 'period ended' }) })]);

    // The expiry step wrote the end of the listing (not only the passing of `until`).
    const ended = await prisma.creditRecord.findMany({ where: { caseId: c.body.id, kind: 'listing-ended' } });
    expect(ended).toHaveLength(1);
    const status = await creditStatus(subject.uscc);
    expect(status).toMatchObject({ listed: false, listings: [expect.objectContaining({ caseId: c.body.id, active: false, until: listingPeriod.dueAt })] });
    expect(status.listings[0].endedAt <= new Date().toISOString()).toBe(true);
  });

  it('refuses a bad listing period, an unknown field, and a removal of a subject it did not list', async () => {
    const c = await file('dishonesty-listing', org('某某商贸有限公司'));
    expect(c.status).toBe(201);
    // The regulation sets no range for the period (Art. 28): a positive whole number of years or months, cited by its rule.
    expect((await act(c.body.id, { action: 'decide', period: { years: 0 }, reasons: 'r', basis: 'b', removalConditions: 'c' })).status).toBe(400);
    expect(await act(c.body.id, { action: 'decide', period: { years: 1 }, reasons: 'r', basis: 'b' })).toMatchObject({ status: 400, body: { field: 'removalConditions' } });
    expect((await act(c.body.id, { action: 'decide', period: { weeks: 2 }, reasons: 'r', basis: 'b', removalConditions: 'c' })).status).toBe(400);
    expect(await act(c.body.id, { action: 'decide', period: { years: 1 }, reasons: 'r', basis: 'b', removalConditions: 'c', extra: true })).toMatchObject({ status: 400, body: { field: 'extra' } });
    expect(await file('dishonesty-listing', org('某某商贸有限公司'), { conduct: 'x', extra: 1 })).toMatchObject({ status: 400, body: { field: 'extra' } });
    expect(await act(c.body.id, { action: 'remove', reasons: 'r', ground: 'repair' })).toMatchObject({ status: 422, body: { rule: 'dishonesty-listing/not-listed' } });
    expect(await getCase(c.body.id)).toMatchObject({ state: 'under-review' });
  });
});

describe('information-correction through HTTP', () => {
  it('Art. 38 ¶3 basis-changed (version 2): file-update → agency receipt → applied → closed, both deadlines met', async () => {
    const c = await file('information-correction', org('某某建设有限公司'), { variant: 'basis-changed', information: 'penalty decision 2026-001 revoked' });
    expect(c).toMatchObject({ status: 201, body: { variant: 'basis-changed', state: 'open', definitionVersion: 2 } });
    expect(c.body.deadlines.map((d: DeadlineView) => d.key)).toEqual(['provider-update']);

    expect(await act(c.body.id, { action: 'correct', description: 'x' })).toMatchObject({ status: 422, body: { rule: 'information-correction/wrong-path' } });
    expect(await act(c.body.id, { action: 'record-agency-receipt' })).toMatchObject({ status: 422, body: { rule: 'action-not-in-state' } });

    expect(await act(c.body.id, { action: 'file-update' })).toMatchObject({ status: 200, body: { state: 'update-filed' } });
    expect(await act(c.body.id, { action: 'file-update' })).toMatchObject({ status: 422, body: { rule: 'action-not-in-state' } });
    expect(await act(c.body.id, { action: 'record-agency-receipt', agency: 'x', extra: 1 })).toMatchObject({ status: 400, body: { field: 'extra' } });
    const received = await act(c.body.id, { action: 'record-agency-receipt', agency: '黑龙江省公共信用信息中心' });
    expect(received).toMatchObject({ status: 200, body: { state: 'update-received' } });
    expect(deadline(received.body, 'agency-apply')).toMatchObject({ status: expect.stringMatching(/^(running|yellow)$/), completedAt: null });

    const applied = await act(c.body.id, { action: 'agency-applied' });
    expect(applied).toMatchObject({ status: 200, body: { state: 'closed', outcome: 'updated' } });
    const view = await waitFor(async () => {
      const v = await getCase(c.body.id);
      return v.state === 'closed' ? v : undefined;
    });
    expect(deadline(view, 'provider-update')).toMatchObject({ status: 'met', completedAt: expect.any(String) });
    expect(deadline(view, 'agency-apply')).toMatchObject({ status: 'met', completedAt: expect.any(String) });
    expect(view.events.map((e: EventView) => e.type)).toEqual(expect.arrayContaining(['update.filed', 'update.received', 'update.applied']));
    expect(view.overdue).toBe(false);
  });

  it('Art. 38 ¶1 (version 2): the correction, then the push to the credit platform with its evidence, closes the case', async () => {
    const c = await file('information-correction', org('某某建设有限公司'), { information: 'penalty decision 2026-002' });
    expect(c).toMatchObject({ status: 201, body: { variant: 'standard', state: 'open', definitionVersion: 2 } });
    expect(await act(c.body.id, { action: 'correct', description: '处罚金额更正' })).toMatchObject({ status: 200, body: { state: 'corrected' } });
    expect(await act(c.body.id, { action: 'push-to-platform' })).toMatchObject({ status: 422, body: { rule: 'information-correction/push-evidence' } });
    const pushed = await act(c.body.id, { action: 'push-to-platform', evidenceRef: 'platform-receipt-77' });
    expect(pushed).toMatchObject({ status: 200, body: { state: 'closed', outcome: 'corrected' } });
    expect(deadline(pushed.body, 'correction')).toMatchObject({ status: 'met' });
  });

  it('refuses an unknown filing field with 400', async () => {
    expect(await file('information-correction', org('某某建设有限公司'), { information: 'x', extra: 1 })).toMatchObject({ status: 400, body: { field: 'extra' } });
  });
});

describe('credit-complaint through HTTP', () => {
  it('refuses an unknown or missing reply field with 400, then accepts, replies and closes', async () => {
    const c = await file('credit-complaint', org('某某咨询有限公司'), { collector: { name: '某征信服务公司' } });
    expect(c).toMatchObject({ status: 201, body: { state: 'awaiting-acceptance', definitionVersion: 2, deadlines: [] } });
    expect(await act(c.body.id, { action: 'reply', result: 'x' })).toMatchObject({ status: 422, body: { rule: 'action-not-in-state' } });
    expect(await act(c.body.id, { action: 'accept', nonPublicCollector: false })).toMatchObject({ status: 422, body: { rule: 'credit-complaint/non-public-collector' } });
    expect(await act(c.body.id, { action: 'accept', nonPublicCollector: true })).toMatchObject({ status: 200, body: { state: 'accepted' } });
    expect(await act(c.body.id, { action: 'reply', result: 'x', extra: 1 })).toMatchObject({ status: 400, body: { field: 'extra' } });
    expect(await act(c.body.id, { action: 'reply' })).toMatchObject({ status: 400, body: { field: 'result' } });
    const replied = await act(c.body.id, { action: 'reply', result: 'the collector deleted the record' });
    expect(replied).toMatchObject({ status: 200, body: { state: 'closed', outcome: 'replied' } });
    expect(deadline(replied.body, 'reply')).toMatchObject({ status: 'met' });
  });

  it('a refusal to accept states its reasons and closes the case', async () => {
    const c = await file('credit-complaint', org('某某咨询有限公司'), { collector: { name: '某市公共信用信息中心' } });
    expect(await act(c.body.id, { action: 'refuse-acceptance' })).toMatchObject({ status: 400, body: { field: 'reasons' } });
    const refused = await act(c.body.id, { action: 'refuse-acceptance', reasons: '被投诉单位不是非公共信用信息采集单位' });
    expect(refused).toMatchObject({ status: 200, body: { state: 'closed', outcome: 'not-accepted', deadlines: [] } });
  });
});

