/**
 * Property-service star rating version 1 (procedures/property-rating/v1.ts, Jiangbei measures Art. 2–13) on the kernel's
 * pure functions (no Temporal, no database). Cases filed under version 1 still run under it: one row per rule branch,
 * each accepted path with the clocks it starts, the events it writes and the data it sets.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 is a Monday; 2026 中秋 09-25..27 and 国庆
 * 10-01..07 holidays; 10-10 (Sat) a make-up working day; 2027 and 2028 have no notice loaded (weekdays only).
 * A due date D ends at 24:00 Asia/Shanghai = D T16:00:00.000Z.
 */
import { LEVEL_NAMES, consequencesOf } from '../../procedures/property-rating/rating';
import {
  cancelRatingClocks,
  instanceKey,
  JIANGBEI_IN_FORCE,
  keepResult,
  latest,
  latestOpen,
  MAX_OBJECTIONS,
  MAX_RESULTS,
  propertyRatingV1 as def,
  publicityLastDayInstant,
  RATING_CLOCKS,
  type RatingData,
  type Scoring,
} from '../../procedures/property-rating/v1';
import { JIANGBEI } from '../../procedures/regulation';
import type { Refusal } from '../../src/domain/case-model';
import { Ops, reader } from '../../src/domain/kernel/case-ops';
import { applyKernelAction, processDue, refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { CaseOps, KernelCase } from '../../src/domain/kernel/ops';
import { calendar, due, english, file as fileCase, parse, sh, statusOf } from './kernel-harness';

type Case = KernelCase<RatingData>;
const ORG_USCC = '91350100M000100Y43';
const COMPOUND = { name: '江北花园', occupiedSince: '2020-03-01' };
const end = (date: string) => `${date}T16:00:00.000Z`;
const art = (n: number, what: string) => `${JIANGBEI} Art. ${n}: ${what}`;

const file = (filing: object = { compound: COMPOUND, evaluator: { name: 'A' } }, receivedAt = sh('2026-09-21')): Case => fileCase(def, filing, 'standard', receivedAt);
const tick = (c: Case, now: string) => processDue(def, calendar, c as KernelCase<unknown>, now);
/** What happens at `now` the way the workflow runs it: what fell due, then the action (or its refusal), then what fell due. */
function step(c: Case, body: Record<string, unknown>, now: string): Refusal | null {
  tick(c, now);
  const a = parse(def, body);
  const refusal = refusalForAction(def, c as KernelCase<unknown>, a, now);
  if (refusal) return english(refusal);
  applyKernelAction(def, calendar, c as KernelCase<unknown>, a, now);
  tick(c, now);
  return null;
}
function ok(c: Case, body: Record<string, unknown>, now: string): Case {
  expect(step(c, body, now)).toBeNull();
  return c;
}
const ruleOf = (c: Case, body: Record<string, unknown>, now: string) => step(c, body, now)?.rule ?? null;
const refused = (rule: keyof typeof def.rules, message: string) => ({ rule: def.rules[rule].id, basis: def.rules[rule].basis, message });
const eventsOf = (c: Case, type: string) => c.events.filter((e) => e.type === type).map((e) => e.data);
const typesOf = (c: Case) => c.events.map((e) => e.type).filter((t) => t !== 'case.filed' && !t.startsWith('deadline.'));
const clockStatuses = (c: Case) => Object.fromEntries(c.deadlines.map((d) => [d.key, d.status]));

const declared = (c: Case, evaluator = 'A', now = sh('2026-09-22')) => ok(c, { action: 'declare-recusal', evaluator, conflict: false, statement: 'no ties' }, now);
/** Filed 21 Sep, A declared, `score` published Thu 24 Sep: the 7 days end on 1 Oct (a holiday), rolled to Thu 8 Oct. */
function published(score = 92, filing?: object): Case {
  const c = file(filing);
  declared(c);
  return ok(c, { action: 'publish', score }, sh('2026-09-24'));
}
/** Published 24 Sep; the publicity ended 8 Oct 24:00: effective from 9 Oct. */
function effective(score = 92, filing?: object): Case {
  const c = published(score, filing);
  tick(c, end('2026-10-08'));
  return c;
}

describe('the helpers of version 1 (shared with version 2)', () => {
  it('latest, latestOpen and instanceKey read the instances of a clock (`clock`, `clock-2`, …)', () => {
    const c = effective();
    const r = reader(c, sh('2026-10-12'), sh('2026-10-12'));
    expect(latest(r, 'publicity')?.key).toBe('publicity');
    expect(latest(r, 'review-publicity')).toBeUndefined();
    expect(instanceKey(r, 'review-publicity')).toBe('review-publicity');
    expect(instanceKey(r, 'publicity')).toBe('publicity-2');
    // The publicity expired: the latest instance exists but is not open.
    expect(latestOpen(r, 'publicity')).toBeUndefined();
    expect(latestOpen(r, 'nameplate')?.key).toBe('nameplate');
    expect(latestOpen(r, 'rectification')).toBeUndefined();
    c.deadlines.push({ ...c.deadlines.find((d) => d.key === 'publicity')!, key: 'publicity-2' });
    expect(latest(r, 'publicity')?.key).toBe('publicity-2');
    expect(instanceKey(r, 'publicity')).toBe('publicity-3');
  });

  it('the last instant of the publicity is one millisecond before its end (24:00 on its last day)', () => {
    expect(publicityLastDayInstant({ at: end('2026-10-08') } as CaseOps<RatingData>)).toBe('2026-10-08T15:59:59.999Z');
  });

  it(`keeps the latest ${MAX_RESULTS} results, oldest first`, () => {
    const result = (n: number) => ({ score: n }) as unknown as Scoring;
    const k = { data: { results: [] as Scoring[] } } as unknown as CaseOps<RatingData>;
    for (let n = 1; n <= MAX_RESULTS; n++) keepResult(k, result(n));
    expect(k.data.results.map((x) => x.score)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    keepResult(k, result(11));
    expect(k.data.results.map((x) => x.score)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('cancels the clocks of a rating in effect, except a breach already on record and the clocks of other steps', () => {
    const c = effective();
    tick(c, sh('2026-11-10'));
    expect(statusOf(c, 'nameplate')).toBe('overdue');
    c.deadlines.push({ ...c.deadlines.find((d) => d.key === 'validity')!, key: 'owners-assembly-notice', clock: 'owners-assembly-notice' });
    cancelRatingClocks(new Ops(def, calendar, c, sh('2026-11-10'), sh('2026-11-10'), 'tester') as unknown as CaseOps<RatingData>);
    expect(clockStatuses(c)).toEqual({ publicity: 'expired', validity: 'cancelled', nameplate: 'overdue', 'second-year-review': 'cancelled', 'owners-assembly-notice': 'running' });
    expect(RATING_CLOCKS).toEqual(['validity', 'nameplate', 'second-year-review', 'review-publicity', 'rectification']);
  });
});

describe('Art. 2: eligibility at filing', () => {
  const eligibility = (compound: object, receivedAt: string) => english(def.eligibility!({ filing: def.filing.parse({ compound: { name: 'x', ...compound } }), variant: 'standard', receivedAt, subject: { kind: 'organisation', name: 'x', idNumber: ORG_USCC } }));

  it.each([
    ['occupied one day short of 6 months', { occupiedSince: '2026-03-22' }, sh('2026-09-21'), 'occupiedUnder6Months', 'the compound was occupied on 2026-03-22: it can be rated from 2026-09-22'],
    ['occupied exactly 6 months', { occupiedSince: '2026-03-21' }, sh('2026-09-21'), null, null],
    ['a new company one day short of 6 months', { occupiedSince: '2020-03-01', serviceSince: '2026-03-22' }, sh('2026-09-21'), 'serviceUnder6Months', 'the property company has served since 2026-03-22: it can be rated from 2026-09-22'],
    ['a new company exactly 6 months', { occupiedSince: '2020-03-01', serviceSince: '2026-03-21' }, sh('2026-09-21'), null, null],
  ])('%s', (_name, compound, receivedAt, rule, message) => {
    expect(eligibility(compound, receivedAt)).toEqual(rule ? { rule, message } : null);
  });
});

describe('filing', () => {
  it('records the compound, the company and the evaluator named; no period runs before the score', () => {
    const c = file({ compound: { ...COMPOUND, serviceSince: '2021-01-01' }, company: { name: '某物业服务有限公司', uscc: ORG_USCC }, evaluator: { name: 'A' } });
    expect(c.state).toBe('filed');
    expect(c.deadlines).toEqual([]);
    expect(c.data).toEqual({
      compound: { name: '江北花园', occupiedSince: '2020-03-01', serviceSince: '2021-01-01' },
      company: { name: '某物业服务有限公司', uscc: ORG_USCC },
      evaluator: 'A',
      declarations: [],
      pending: null,
      rating: null,
      results: [],
      nameplateIssuedAt: null,
      rectification: null,
      revocation: null,
    });
  });

  it('without a company, an evaluator or a change of company, those are null', () => {
    const c = file({ compound: COMPOUND });
    expect([c.data.compound.serviceSince, c.data.company, c.data.evaluator]).toEqual([null, null, null]);
    expect(file({ compound: COMPOUND, company: { name: '某物业' } }).data.company).toEqual({ name: '某物业', uscc: null });
  });

  it('a company named with its unified social credit code must give a valid one', () => {
    const r = def.filing.safeParse({ compound: COMPOUND, company: { name: 'x', uscc: '91350100M000100Y44' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['company.uscc', 'must be a valid unified social credit code']]);
    expect(def.filing.safeParse({ compound: COMPOUND, company: { name: 'x', uscc: ORG_USCC } }).success).toBe(true);
    expect(def.filing.safeParse({ compound: { ...COMPOUND, occupiedSince: '2020-02-30' } }).success).toBe(false);
    expect(def.filing.safeParse({ compound: COMPOUND, evaluator: { name: 'A', firm: 'x' } }).success).toBe(false);
  });
});

describe('Art. 6: declarations on conflicts of interest', () => {
  it.each([
    [false, 'evaluator.declared-no-conflict'],
    [true, 'evaluator.recused'],
  ])('conflict %p is recorded as %s', (conflict, type) => {
    const c = file();
    ok(c, { action: 'declare-recusal', evaluator: 'B', conflict, statement: 'my statement' }, sh('2026-09-22'));
    expect(c.data.declarations).toEqual([{ evaluator: 'B', conflict, statement: 'my statement', at: sh('2026-09-22') }]);
    expect(c.events.at(-1)).toMatchObject({ type, data: { evaluator: 'B', conflict, statement: 'my statement' } });
  });

  it('each evaluator declares once (a conflict cannot be withdrawn, nor a declaration turned into a conflict)', () => {
    const c = file();
    declared(c);
    expect(step(c, { action: 'declare-recusal', evaluator: 'A', conflict: true, statement: 'ties found' }, sh('2026-09-23'))).toEqual(
      refused('alreadyDeclared', 'evaluator A has already declared'),
    );
  });

  it('at most 20 declarations per case: the 20th is recorded, the 21st refused', () => {
    const c = file();
    for (let i = 1; i < 20; i++) c.data.declarations.push({ evaluator: `E${i}`, conflict: false, statement: 's', at: sh('2026-09-22') });
    ok(c, { action: 'declare-recusal', evaluator: 'E20', conflict: false, statement: 's' }, sh('2026-09-22'));
    expect(step(c, { action: 'declare-recusal', evaluator: 'E21', conflict: false, statement: 's' }, sh('2026-09-22'))).toEqual(
      refused('declarationsFull', 'at most 20 declarations per case'),
    );
  });
});

describe('Art. 5 and 9: publishing the score', () => {
  it.each([
    ['the filing names A, who declared', { compound: COMPOUND, evaluator: { name: 'A' } }, [['A', false]], {}, null],
    ['the filing names A, who recused', { compound: COMPOUND, evaluator: { name: 'A' } }, [['A', true]], {}, refused('conflictedEvaluator', 'evaluator A declared a conflict of interest and must recuse')],
    ['the filing names A, who has not declared', { compound: COMPOUND, evaluator: { name: 'A' } }, [['B', false]], {}, refused('declarationMissing', 'evaluator A has not declared the absence of a conflict of interest')],
    ['the action names B, who declared (A recused)', { compound: COMPOUND, evaluator: { name: 'A' } }, [['A', true], ['B', false]], { evaluator: 'B' }, null],
    ['the action names B, who has not declared', { compound: COMPOUND, evaluator: { name: 'A' } }, [['A', false]], { evaluator: 'B' }, refused('declarationMissing', 'evaluator B has not declared the absence of a conflict of interest')],
    ['no evaluator named; one declared no conflict', { compound: COMPOUND }, [['A', true], ['B', false]], {}, null],
    ['no evaluator named; the only declaration is a conflict', { compound: COMPOUND }, [['A', true]], {}, refused('declarationMissing', 'no evaluator has declared the absence of a conflict of interest')],
    ['no evaluator named and no declaration', { compound: COMPOUND }, [], {}, refused('declarationMissing', 'no evaluator has declared the absence of a conflict of interest')],
  ] as const)('%s', (_name, filing, declarations, input, expected) => {
    const c = file(filing);
    for (const [evaluator, conflict] of declarations) ok(c, { action: 'declare-recusal', evaluator, conflict, statement: 's' }, sh('2026-09-22'));
    expect(step(c, { action: 'publish', score: 92, ...input }, sh('2026-09-24'))).toEqual(expected);
  });

  it('publishes the rating: 7 days of publicity (rolled past the National Day holidays), the result pending', () => {
    const c = published(92);
    expect(c.state).toBe('publicity');
    expect(c.deadlines.map((d) => [d.key, d.kind, d.startAt, d.startEvent, d.dueDate, d.dueAt])).toEqual([
      ['publicity', 'window', sh('2026-09-24'), 'rating published', '2026-10-08', end('2026-10-08')],
    ]);
    expect(c.data.pending).toEqual({ kind: 'rating', score: 92, stars: 3, evaluator: 'A', publishedAt: sh('2026-09-24'), publicityKey: 'publicity', objections: 0, effectiveFrom: null });
    expect(eventsOf(c, 'rating.published')).toEqual([{ kind: 'rating', score: 92, stars: 3, level: 'three stars', evaluator: 'A', publicityKey: 'publicity', publicityUntil: end('2026-10-08') }]);
  });

  it('the evaluator named on the action is the one recorded', () => {
    const c = file();
    declared(c, 'B');
    ok(c, { action: 'publish', score: 70, evaluator: 'B' }, sh('2026-09-24'));
    expect(c.data.pending).toMatchObject({ evaluator: 'B', stars: 1 });
    expect(eventsOf(c, 'rating.published')[0]).toMatchObject({ evaluator: 'B', level: 'one star' });
  });

  it.each([
    ['under publicity', () => published(), 'publicity'],
    ['in effect', () => effective(), 'effective'],
  ])('a score is not published again %s', (_name, make, state) => {
    const c = make();
    expect(step(c, { action: 'publish', score: 80 }, sh(state === 'publicity' ? '2026-09-28' : '2026-10-12'))).toEqual(refused('outOfSequence', `a score is published only before the rating or at re-evaluation (state ${state})`));
  });
});

describe('Art. 9: owners’ objections during the publicity', () => {
  it('an objection during the publicity is counted on the pending result', () => {
    const c = published();
    ok(c, { action: 'owner-objection', objection: 'the lifts are often out of order' }, sh('2026-09-28'));
    expect(c.data.pending?.objections).toBe(1);
    expect(eventsOf(c, 'publicity.objection')).toEqual([{ objection: 'the lifts are often out of order', publicityKey: 'publicity', kind: 'rating' }]);
  });

  it(`at most ${MAX_OBJECTIONS} per publicity: the ${MAX_OBJECTIONS}th is recorded, the next refused`, () => {
    const c = published();
    c.data.pending!.objections = MAX_OBJECTIONS - 1;
    ok(c, { action: 'owner-objection', objection: 'one' }, sh('2026-09-28'));
    expect(c.data.pending?.objections).toBe(MAX_OBJECTIONS);
    expect(step(c, { action: 'owner-objection', objection: 'two' }, sh('2026-09-28'))).toEqual(refused('objectionsFull', 'at most 200 objections are recorded per publicity'));
  });

  it('an objection made in time but entered after the result took effect finds no result under publicity (v1 cannot reopen it)', () => {
    const c = effective();
    expect(step(c, { action: 'owner-objection', objection: 'late entry', occurredAt: sh('2026-10-08', '20:00') }, sh('2026-10-12'))).toEqual(
      refused('outOfSequence', 'no result is under publicity any more: the publicity this objection was made in has ended'),
    );
  });

  it('after the window ended, the kernel refuses it; the review publicity has its own window', () => {
    const c = effective();
    expect(ruleOf(c, { action: 'owner-objection', objection: 'x' }, sh('2026-10-12'))).toBe('window-closed');
    expect(ruleOf(c, { action: 'review-objection', objection: 'x' }, sh('2026-10-12'))).toBe('window-closed');
  });
});

describe('Art. 10 and 13: the result takes effect when the publicity ends', () => {
  it('three stars: effective from the day after the publicity; validity, nameplate and review run from its last day', () => {
    const c = published(92);
    ok(c, { action: 'owner-objection', objection: 'x' }, sh('2026-09-28'));
    tick(c, sh('2026-10-08', '23:59'));
    expect(c.state).toBe('publicity');
    tick(c, end('2026-10-08'));
    expect(c.state).toBe('effective');
    expect(c.data.pending).toBeNull();
    expect(c.data.rating).toEqual({ kind: 'rating', score: 92, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', validUntil: '2028-10-09' });
    expect(c.data.results).toEqual([{ kind: 'rating', score: 92, stars: 3, evaluator: 'A', publishedAt: sh('2026-09-24'), publicityKey: 'publicity', objections: 1, effectiveFrom: '2026-10-09' }]);
    const lastDay = '2026-10-08T15:59:59.999Z';
    const startEvent = 'publicity ended (rating effective)';
    expect(c.deadlines.filter((d) => d.key !== 'publicity').map((d) => [d.key, d.kind, d.startAt, d.startEvent, d.dueDate, d.status])).toEqual([
      // Two years: 2028-10-08 is a Sunday (2028 provisional) -> Monday 9 Oct.
      ['validity', 'expiry', lastDay, startEvent, '2028-10-09', 'running'],
      // One month: 2026-11-08 is a Sunday -> Monday 9 Nov.
      ['nameplate', 'legal', lastDay, startEvent, '2026-11-09', 'running'],
      ['second-year-review', 'legal', lastDay, startEvent, '2027-10-08', 'running'],
    ]);
    expect(eventsOf(c, 'rating.effective')).toEqual([{ kind: 'rating', score: 92, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', objections: 1 }]);
    expect(eventsOf(c, 'rating.consequences')).toEqual([{ stars: 3, level: 'three stars', levelZh: '三星级', ...consequencesOf(3), basis: art(13, 'consequences by level') }]);
    expect(c.events.find((e) => e.type === 'rating.effective')).toMatchObject({ actor: 'system', at: end('2026-10-08') });
  });

  it('five stars: the consequences name the certificate and the reward', () => {
    const c = effective(106);
    expect(eventsOf(c, 'rating.consequences')).toEqual([{ stars: 5, level: 'five stars', levelZh: '五星级', ...consequencesOf(5), basis: art(13, 'consequences by level') }]);
  });

  it('non-compliant: no validity, no nameplate; the compound awaits a rectification order', () => {
    const c = effective(60);
    expect(c.state).toBe('non-compliant');
    expect(c.data.rating).toEqual({ kind: 'rating', score: 60, stars: 0, level: 'non-compliant', effectiveFrom: '2026-10-09', validUntil: null });
    expect(c.deadlines.map((d) => d.key)).toEqual(['publicity']);
    expect(eventsOf(c, 'rating.consequences')).toEqual([{ stars: 0, level: 'non-compliant', levelZh: '不达标', ...consequencesOf(0), basis: art(13, 'consequences by level') }]);
    expect(typesOf(c)).not.toContain('owners-assembly.notice-due');
  });
});

describe('Art. 11: the nameplate', () => {
  it('is issued within the month: the clock is met and the issue recorded; it is issued once', () => {
    const c = effective(92);
    ok(c, { action: 'issue-nameplate' }, sh('2026-10-20'));
    expect(c.data.nameplateIssuedAt).toBe(sh('2026-10-20'));
    expect(statusOf(c, 'nameplate')).toBe('met');
    expect(eventsOf(c, 'rating.nameplate-issued')).toEqual([{ stars: 3 }]);
    expect(step(c, { action: 'issue-nameplate' }, sh('2026-10-21'))).toEqual(refused('outOfSequence', 'no nameplate is due: no star rating awaits its nameplate'));
  });

  it.each([
    ['before the rating', () => file()],
    ['for a non-compliant result', () => effective(60)],
  ])('is refused %s', (_name, make) => {
    expect(step(make(), { action: 'issue-nameplate' }, sh('2026-10-20'))).toEqual(refused('outOfSequence', 'no nameplate is due: no star rating awaits its nameplate'));
  });

  it('issued with no rating on record (defensive) records no stars', () => {
    const c = effective(92);
    c.data.rating = null;
    def.actions['issue-nameplate'].apply(new Ops(def, calendar, c, sh('2026-10-20'), sh('2026-10-20'), 'tester') as unknown as CaseOps<never>, {} as never);
    expect(eventsOf(c, 'rating.nameplate-issued')).toEqual([{ stars: null }]);
    expect(c.deadlines.find((d) => d.key === 'nameplate')?.completedAt).toBe(sh('2026-10-20'));
  });

  it('issued after its month, the clock is met late', () => {
    const c = effective(92);
    ok(c, { action: 'issue-nameplate' }, sh('2026-11-10'));
    expect(statusOf(c, 'nameplate')).toBe('met-late');
  });
});

describe('Art. 12: the second-year review', () => {
  it.each([
    ['before the rating', () => file(), 'filed'],
    ['under the publicity', () => published(), 'publicity'],
    ['for a non-compliant result', () => effective(60), 'non-compliant'],
  ])('is refused %s', (_name, make, state) => {
    expect(step(make(), { action: 'review', score: 95 }, sh('2026-09-28'))).toEqual(refused('outOfSequence', `no second-year review is due (state ${state})`));
  });

  it('is refused outside the state of a rating in effect, even with the review clock running (defensive)', () => {
    const c = effective();
    c.state = 'non-compliant';
    expect(english(def.actions.review.refuse!(reader(c, sh('2026-10-20'), sh('2026-10-20')), {} as never))).toEqual({ rule: 'outOfSequence', message: 'no second-year review is due (state non-compliant)' });
  });

  it('is refused when the evaluator has recused', () => {
    const c = effective();
    ok(c, { action: 'declare-recusal', evaluator: 'B', conflict: true, statement: 'ties' }, sh('2026-10-12'));
    expect(step(c, { action: 'review', score: 95, evaluator: 'B' }, sh('2026-10-20'))).toEqual(refused('conflictedEvaluator', 'evaluator B declared a conflict of interest and must recuse'));
  });

  it('the same level: published for 7 days, then confirmed without a change of level; no second review', () => {
    const c = effective(92);
    ok(c, { action: 'review', score: 95 }, sh('2027-10-08'));
    expect(c.state).toBe('review-publicity');
    expect(statusOf(c, 'second-year-review')).toBe('met');
    // Fri 8 Oct 2027 + 7 days = Fri 15 Oct.
    expect(c.deadlines.find((d) => d.key === 'review-publicity')).toMatchObject({ kind: 'window', startAt: sh('2027-10-08'), startEvent: 'review published', dueDate: '2027-10-15', status: 'running' });
    expect(c.data.pending).toEqual({ kind: 'review', score: 95, stars: 3, evaluator: 'A', publishedAt: sh('2027-10-08'), publicityKey: 'review-publicity', objections: 0, effectiveFrom: null });
    expect(eventsOf(c, 'rating.review-published')).toEqual([{ score: 95, stars: 3, level: 'three stars', evaluator: 'A', publicityKey: 'review-publicity', publicityUntil: end('2027-10-15') }]);

    ok(c, { action: 'review-objection', objection: 'still dirty' }, sh('2027-10-11'));
    expect(eventsOf(c, 'publicity.objection')).toEqual([{ objection: 'still dirty', publicityKey: 'review-publicity', kind: 'review' }]);
    tick(c, end('2027-10-15'));
    expect(c.state).toBe('effective');
    expect(c.data.pending).toBeNull();
    expect(c.data.rating).toEqual({ kind: 'review', score: 95, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', validUntil: '2028-10-09' });
    expect(c.data.results.map((r) => [r.kind, r.score, r.effectiveFrom, r.objections])).toEqual([
      ['rating', 92, '2026-10-09', 0],
      ['review', 95, '2027-10-16', 1],
    ]);
    expect(eventsOf(c, 'rating.review-effective')).toEqual([{ score: 95, stars: 3, level: 'three stars', effectiveFrom: '2027-10-16', objections: 1 }]);
    expect(eventsOf(c, 'rating.level-changed')).toEqual([]);
    expect(eventsOf(c, 'rating.consequences')).toHaveLength(1);
    expect(step(c, { action: 'review', score: 95 }, sh('2027-10-20'))).toEqual(refused('outOfSequence', 'no second-year review is due (state effective)'));
  });

  it('a different level replaces the one in effect and states its consequences', () => {
    const c = effective(92);
    ok(c, { action: 'review', score: 101, evaluator: 'A' }, sh('2027-10-08'));
    tick(c, end('2027-10-15'));
    expect(c.state).toBe('effective');
    expect(c.data.rating).toMatchObject({ kind: 'review', score: 101, stars: 4, level: 'four stars' });
    expect(eventsOf(c, 'rating.level-changed')).toEqual([{ from: 3, to: 4, fromLevel: 'three stars', toLevel: 'four stars', effectiveFrom: '2027-10-16' }]);
    expect(eventsOf(c, 'rating.consequences').at(-1)).toEqual({ stars: 4, level: 'four stars', levelZh: '四星级', ...consequencesOf(4), basis: art(13, 'consequences by level') });
  });

  it('a non-compliant review makes the compound non-compliant', () => {
    const c = effective(92);
    ok(c, { action: 'review', score: 50 }, sh('2027-10-08'));
    tick(c, sh('2027-10-16'));
    expect(c.state).toBe('non-compliant');
    expect(c.data.rating).toMatchObject({ stars: 0, level: LEVEL_NAMES[0].en });
  });
});

describe('Art. 13: rectification and re-evaluation', () => {
  const ORDER = 'a rectification is ordered only for a one-star or non-compliant rating in effect, once at a time';

  it.each([
    ['before the rating', () => file()],
    ['for two stars', () => effective(85)],
    ['for one star under the review publicity', () => {
      const c = effective(75);
      ok(c, { action: 'review', score: 75 }, sh('2026-10-12'));
      return c;
    }],
  ])('is refused %s', (_name, make) => {
    expect(step(make(), { action: 'order-rectification', period: { days: 30 } }, sh('2026-10-15'))).toEqual(refused('outOfSequence', ORDER));
  });

  it('one star: ordered to rectify, once at a time; its end is recorded and no re-evaluation follows', () => {
    const c = effective(75);
    ok(c, { action: 'order-rectification', period: { days: 30 } }, sh('2026-10-12'));
    expect(c.state).toBe('effective');
    expect(c.deadlines.find((d) => d.key === 'rectification')).toMatchObject({ kind: 'expiry', period: { days: 30 }, startEvent: 'rectification ordered', dueDate: '2026-11-11' });
    expect(c.data.rectification).toEqual({ orderedAt: sh('2026-10-12'), period: { days: 30 }, key: 'rectification', endedAt: null });
    expect(eventsOf(c, 'rectification.ordered')).toEqual([{ period: { days: 30 }, until: end('2026-11-11'), lastDay: '2026-11-11', reEvaluation: false }]);
    expect(step(c, { action: 'order-rectification', period: { days: 10 } }, sh('2026-10-13'))).toEqual(refused('outOfSequence', ORDER));

    tick(c, end('2026-11-11'));
    expect(c.state).toBe('effective');
    expect(c.data.rectification?.endedAt).toBe(end('2026-11-11'));
    expect(eventsOf(c, 'rectification.period-ended')).toEqual([{ key: 'rectification' }]);
    expect(eventsOf(c, 're-evaluation.due')).toEqual([]);
    // The period ended: another may be ordered.
    ok(c, { action: 'order-rectification', period: { months: 1 } }, sh('2026-11-12'));
    expect(c.data.rectification).toMatchObject({ key: 'rectification-2', period: { months: 1 } });
  });

  it('non-compliant: rectify, then re-evaluation; non-compliant again: the owners’ assembly is told it may re-select the company', () => {
    const c = effective(60, { compound: COMPOUND, company: { name: '某物业服务有限公司' }, evaluator: { name: 'A' } });
    expect(step(c, { action: 'notify-owners-assembly' }, sh('2026-10-12'))).toEqual(refused('outOfSequence', 'the owners’ assembly is notified only after a second non-compliant result'));
    ok(c, { action: 'order-rectification', period: { workingDays: 5 } }, sh('2026-10-12'));
    expect(c.state).toBe('rectification');
    // Mon 12 Oct + 5 working days = Mon 19 Oct.
    expect(due(c, 'rectification')).toBe('2026-10-19');
    expect(eventsOf(c, 'rectification.ordered')[0]).toMatchObject({ reEvaluation: true });
    expect(step(c, { action: 'publish', score: 80 }, sh('2026-10-15'))).toEqual(refused('outOfSequence', 'a score is published only before the rating or at re-evaluation (state rectification)'));

    tick(c, end('2026-10-19'));
    expect(c.state).toBe('re-evaluation');
    expect(eventsOf(c, 're-evaluation.due')).toEqual([{ basis: art(13, 're-evaluation after rectification') }]);

    ok(c, { action: 'publish', score: 65 }, sh('2026-10-20'));
    expect(c.data.pending).toMatchObject({ kind: 're-evaluation', publicityKey: 'publicity-2' });
    expect(c.deadlines.find((d) => d.key === 'publicity-2')).toMatchObject({ startEvent: 're-evaluation published', dueDate: '2026-10-27' });
    tick(c, end('2026-10-27'));
    expect(c.state).toBe('owners-assembly-notice');
    expect(c.data.rectification).toBeNull();
    expect(c.data.results.map((r) => [r.kind, r.stars])).toEqual([
      ['rating', 0],
      ['re-evaluation', 0],
    ]);
    // From the last day of the publicity (Tue 27 Oct), 10 working days: 28 Oct … 10 Nov.
    expect(c.deadlines.find((d) => d.key === 'owners-assembly-notice')).toMatchObject({ kind: 'promised', startAt: '2026-10-27T15:59:59.999Z', startEvent: 're-evaluation non-compliant again', dueDate: '2026-11-10' });
    expect(eventsOf(c, 'owners-assembly.notice-due')).toEqual([{ basis: art(13, 'non-compliant again after re-evaluation') }]);

    ok(c, { action: 'notify-owners-assembly' }, sh('2026-11-02'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'owners-assembly-notified' });
    expect(statusOf(c, 'owners-assembly-notice')).toBe('met');
    expect(eventsOf(c, 'owners-assembly.notified')).toEqual([{ mayReselectCompany: true, company: '某物业服务有限公司' }]);
  });

  it('the notice names no company when none was filed', () => {
    const c = effective(60, { compound: COMPOUND, evaluator: { name: 'A' } });
    ok(c, { action: 'order-rectification', period: { days: 1 } }, sh('2026-10-12'));
    tick(c, sh('2026-10-14'));
    ok(c, { action: 'publish', score: 10 }, sh('2026-10-14'));
    tick(c, sh('2026-10-22'));
    ok(c, { action: 'notify-owners-assembly' }, sh('2026-10-22'));
    expect(eventsOf(c, 'owners-assembly.notified')).toEqual([{ mayReselectCompany: true, company: null }]);
  });

  it('a compliant re-evaluation replaces the result: the clocks of the earlier rating end and new instances run', () => {
    const c = effective(75);
    ok(c, { action: 'review', score: 40 }, sh('2026-10-12'));
    tick(c, sh('2026-10-20'));
    expect(c.state).toBe('non-compliant');
    ok(c, { action: 'order-rectification', period: { days: 3 } }, sh('2026-10-20'));
    tick(c, sh('2026-10-24'));
    expect(c.state).toBe('re-evaluation');
    ok(c, { action: 'issue-nameplate' }, sh('2026-10-24'));
    ok(c, { action: 'publish', score: 90 }, sh('2026-10-26'));
    tick(c, sh('2026-11-03'));
    expect(c.state).toBe('effective');
    expect(c.data).toMatchObject({ nameplateIssuedAt: null, rectification: null, rating: { kind: 're-evaluation', stars: 3, effectiveFrom: '2026-11-03' } });
    expect(clockStatuses(c)).toEqual({
      publicity: 'expired',
      validity: 'cancelled',
      nameplate: 'met',
      'second-year-review': 'met',
      'review-publicity': 'expired',
      rectification: 'expired',
      'publicity-2': 'expired',
      'validity-2': 'running',
      'nameplate-2': 'running',
      'second-year-review-2': 'running',
    });
  });
});

describe('Art. 10: revocation after a major safety accident', () => {
  const REVOKE = { action: 'revoke', reason: 'major-safety-accident', findings: '电梯事故调查报告' };

  it.each([
    ['before the rating', () => file(), 'filed'],
    ['under the publicity', () => published(), 'publicity'],
    ['a non-compliant result', () => effective(60), 'non-compliant'],
  ])('is refused %s', (_name, make, state) => {
    expect(step(make(), REVOKE, sh('2026-09-28'))).toEqual(refused('outOfSequence', `only a star rating in effect can be revoked (state ${state})`));
  });

  it('needs the state of a rating in effect even with stars on record (defensive: a star rating is otherwise never on record)', () => {
    const c = published();
    c.data.rating = { kind: 'rating', score: 92, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', validUntil: '2028-10-09' };
    expect(english(def.actions.revoke.refuse!(reader(c, sh('2026-09-28'), sh('2026-09-28')), {} as never))).toEqual({ rule: 'outOfSequence', message: 'only a star rating in effect can be revoked (state publicity)' });
  });

  it('revoking with no rating on record (defensive) records no stars', () => {
    const c = effective(75);
    c.data.rating = null;
    def.actions.revoke.apply(new Ops(def, calendar, c, sh('2026-10-20'), sh('2026-10-20'), 'tester') as unknown as CaseOps<never>, { reason: 'major-safety-accident', findings: 'f' } as never);
    expect(eventsOf(c, 'rating.revoked')).toEqual([{ reason: 'major-safety-accident', findings: 'f', stars: null }]);
  });

  it('needs a star rating even in state effective (defensive: a rating of no star is never in effect)', () => {
    const c = effective(75);
    const revoke = def.actions.revoke.refuse!;
    expect(revoke(reader(c, sh('2026-10-20'), sh('2026-10-20')), {} as never)).toBeNull();
    c.data.rating!.stars = 0;
    expect(english(revoke(reader(c, sh('2026-10-20'), sh('2026-10-20')), {} as never))).toEqual({ rule: 'outOfSequence', message: 'only a star rating in effect can be revoked (state effective)' });
    c.data.rating = null;
    expect(english(revoke(reader(c, sh('2026-10-20'), sh('2026-10-20')), {} as never))).toEqual({ rule: 'outOfSequence', message: 'only a star rating in effect can be revoked (state effective)' });
  });

  it('a one-star rating is revoked: its clocks end except a breach on record, the case closes as revoked', () => {
    const c = effective(75);
    tick(c, sh('2026-11-10'));
    expect(statusOf(c, 'nameplate')).toBe('overdue');
    ok(c, REVOKE, sh('2026-11-10'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'revoked', closedAt: sh('2026-11-10') });
    expect(c.data.revocation).toEqual({ at: sh('2026-11-10'), reason: 'major-safety-accident', findings: '电梯事故调查报告' });
    expect(clockStatuses(c)).toEqual({ publicity: 'expired', validity: 'cancelled', nameplate: 'overdue', 'second-year-review': 'cancelled' });
    expect(eventsOf(c, 'rating.revoked')).toEqual([{ reason: 'major-safety-accident', findings: '电梯事故调查报告', stars: 1 }]);
  });

  it('under the review publicity: the result under review is dropped with the rating', () => {
    const c = effective(92);
    ok(c, { action: 'review', score: 80 }, sh('2027-10-08'));
    ok(c, REVOKE, sh('2027-10-11'));
    expect(c.data.pending).toBeNull();
    expect(statusOf(c, 'review-publicity')).toBe('cancelled');
    expect(c.outcome).toBe('revoked');
  });
});

describe('Art. 10: the rating expires after two years', () => {
  it('closes the case as expired; a review never made stays on record as breached', () => {
    const c = effective(92);
    ok(c, { action: 'issue-nameplate' }, sh('2026-10-20'));
    tick(c, sh('2028-10-09', '23:59'));
    expect(c.state).toBe('effective');
    expect(statusOf(c, 'second-year-review')).toBe('overdue');
    tick(c, end('2028-10-09'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'expired', closedAt: end('2028-10-09') });
    expect(eventsOf(c, 'rating.expired')).toEqual([{ stars: 3, validUntil: '2028-10-09' }]);
    expect(clockStatuses(c)).toEqual({ publicity: 'expired', validity: 'expired', nameplate: 'met', 'second-year-review': 'overdue' });
  });

  it('the expiry step on a case with no rating (defensive) records nulls and drops what was pending', () => {
    const c = published();
    def.steps!.ratingExpired(new Ops(def, calendar, c, sh('2026-09-30'), sh('2026-09-30'), 'system') as unknown as CaseOps<never>);
    expect(eventsOf(c, 'rating.expired')).toEqual([{ stars: null, validUntil: null }]);
    expect([c.state, c.outcome, c.data.pending]).toEqual(['closed', 'expired', null]);
  });

  it('the rectification step without a recorded rectification (defensive) records no key', () => {
    const c = effective(60);
    def.steps!.rectificationEnded(new Ops(def, calendar, c, sh('2026-10-12'), sh('2026-10-12'), 'system') as unknown as CaseOps<never>);
    expect(eventsOf(c, 'rectification.period-ended')).toEqual([{ key: null }]);
    expect(c.state).toBe('non-compliant');
  });

  it('is valid from 1 July 2022', () => {
    expect(def.validFrom).toBe(JIANGBEI_IN_FORCE);
  });
});
