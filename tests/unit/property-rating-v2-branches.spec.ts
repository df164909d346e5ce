/**
 * Property-service star rating version 2 (procedures/property-rating/v2.ts) branch by branch, on the kernel's pure
 * functions (no Temporal, no database): every refusal with its rule and message, the effect of each path on the state,
 * the clocks, the data and the events. The dated examples of the findings on Art. 6, 9, 12 and 15 live in
 * property-rating.spec.ts.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 is a Monday; 2026 中秋 09-25..27 and 国庆
 * 10-01..07 holidays; 2027 and 2028 have no notice loaded (weekdays only): 2027-10-11 and 2027-10-18 are Mondays.
 * A due date D ends at 24:00 Asia/Shanghai = D T16:00:00.000Z.
 */
import { consequencesOf } from '../../procedures/property-rating/rating';
import { MAX_OBJECTIONS, MEASURES_VALIDITY } from '../../procedures/property-rating/v1';
import { propertyRatingV2 as def, type ObjectionEntry, type RatingDataV2 } from '../../procedures/property-rating/v2';
import { JIANGBEI } from '../../procedures/regulation';
import type { Refusal } from '../../src/domain/case-model';
import { Ops, reader } from '../../src/domain/kernel/case-ops';
import { applyKernelAction, fileKernelCase, processDue, refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { CaseOps, KernelCase } from '../../src/domain/kernel/ops';
import { calendar, due, english, file as fileCase, parse, sh, statusOf } from './kernel-harness';

type Case = KernelCase<RatingDataV2>;
const COMPOUND = { name: '江北花园', occupiedSince: '2020-03-01' };
const end = (date: string) => `${date}T16:00:00.000Z`;
const art = (n: number, what: string) => `${JIANGBEI} Art. ${n}: ${what}`;
const ART6 = '“参与评估的人员若与受评的物业服务企业及其在管项目存有利害关系,应当主动申请回避”';
const ART9 = '“公示期7日。在公示期内,业主对其所在住宅小区评定结果有异议的,应当在公示期内向评估机构提出异议。超过公示期提出异议的不予受理”';
const OBJECTION_POLICY =
  'local policy (the measures say how objections are made, not how they are decided): each objection is decided; ' +
  'an upheld one is re-scored and published again for 7 days, one not upheld is answered with reasons; the result takes effect when every objection is decided';

const file = (filing: object = { compound: COMPOUND, evaluator: { name: 'A' } }): Case => fileCase(def, filing, 'standard', sh('2026-09-21'));
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
const refused = (rule: keyof typeof def.rules, message: string) => ({ rule: def.rules[rule].id, basis: def.rules[rule].basis, message });
const eventsOf = (c: Case, type: string) => c.events.filter((e) => e.type === type).map((e) => e.data);
const clockStatuses = (c: Case) => Object.fromEntries(c.deadlines.map((d) => [d.key, d.status]));
const objection = (n: number, publicityKey: string, at: string, rest: Partial<ObjectionEntry> = {}): ObjectionEntry => ({
  n,
  publicityKey,
  objection: `objection ${n}`,
  at,
  recordedAt: at,
  status: 'pending',
  reasons: null,
  decidedAt: null,
  ...rest,
});

const declared = (c: Case, evaluator = 'A', now = sh('2026-09-22')) => ok(c, { action: 'declare-recusal', evaluator, conflict: false, statement: 'no ties' }, now);
/** Filed 21 Sep, A declared, `score` published Thu 24 Sep: the publicity runs until 8 Oct 24:00 (1 Oct is a holiday). */
function published(score = 92, filing?: object): Case {
  const c = file(filing);
  declared(c);
  return ok(c, { action: 'publish', score }, sh('2026-09-24'));
}
/** The publicity ended without objection: effective from 9 Oct 2026. */
function effective(score = 92, filing?: object): Case {
  const c = published(score, filing);
  tick(c, end('2026-10-08'));
  return c;
}
/** In effect, reviewed on Mon 11 Oct 2027 (its second year): the review publicity runs until Mon 18 Oct 2027. */
function reviewed(score: number, rated = 92): Case {
  const c = effective(rated);
  return ok(c, { action: 'review', score }, sh('2027-10-11'));
}

describe('Art. 6: declarations and recusals', () => {
  it('a declaration of no conflict states that the declaration is a local policy', () => {
    const c = file();
    declared(c);
    expect(c.data.declarations).toEqual([{ evaluator: 'A', conflict: false, statement: 'no ties', at: sh('2026-09-22') }]);
    expect(c.events.at(-1)).toMatchObject({ type: 'evaluator.declared-no-conflict', data: { evaluator: 'A', conflict: false, statement: 'no ties', basis: def.rules.declarationMissing.basis } });
  });

  it.each([
    ['declare-recusal', { conflict: true }],
    ['recuse', {}],
  ])('%s with no earlier declaration records a recusal', (action, input) => {
    const c = file();
    ok(c, { action, evaluator: 'B', statement: 'my firm manages it', ...input }, sh('2026-09-22'));
    expect(c.data.declarations).toEqual([{ evaluator: 'B', conflict: true, statement: 'my firm manages it', at: sh('2026-09-22') }]);
    expect(eventsOf(c, 'evaluator.recused')).toEqual([{ evaluator: 'B', conflict: true, statement: 'my firm manages it', declaredNoConflictBefore: false, basis: art(6, ART6) }]);
  });

  it.each([
    ['declare-recusal', { conflict: true }],
    ['recuse', {}],
  ])('%s after a declaration of no conflict turns it into a recusal (one entry per evaluator)', (action, input) => {
    const c = file();
    declared(c);
    ok(c, { action, evaluator: 'A', statement: 'ties found', ...input }, sh('2026-09-23'));
    expect(c.data.declarations).toEqual([{ evaluator: 'A', conflict: true, statement: 'ties found', at: sh('2026-09-23') }]);
    expect(eventsOf(c, 'evaluator.recused')).toEqual([{ evaluator: 'A', conflict: true, statement: 'ties found', declaredNoConflictBefore: true, basis: art(6, ART6) }]);
  });

  it.each([
    ['a second declaration of no conflict', { action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 's' }, false, 'evaluator A has already declared'],
    ['a declaration after a recusal', { action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 's' }, true, 'evaluator A has recused; a recusal is not withdrawn'],
    ['a conflict declared again after a recusal', { action: 'declare-recusal', evaluator: 'A', conflict: true, statement: 's' }, true, 'evaluator A has recused; a recusal is not withdrawn'],
    ['a recusal after a recusal', { action: 'recuse', evaluator: 'A', statement: 's' }, true, 'evaluator A has already recused'],
  ])('refused: %s', (_name, body, recusedFirst, message) => {
    const c = file();
    ok(c, { action: 'declare-recusal', evaluator: 'A', conflict: recusedFirst, statement: 'first' }, sh('2026-09-22'));
    expect(step(c, body, sh('2026-09-23'))).toEqual(refused('alreadyDeclared', message));
  });

  describe('at most 20 evaluators per case', () => {
    /** 19 declarations of no conflict (E1 … E19). */
    function nineteen(): Case {
      const c = file();
      for (let i = 1; i < 20; i++) c.data.declarations.push({ evaluator: `E${i}`, conflict: false, statement: 's', at: sh('2026-09-22') });
      return c;
    }
    it.each([
      ['declare-recusal', { conflict: false }],
      ['recuse', {}],
    ])('%s: the 20th evaluator is recorded, a 21st refused; one already declared may still recuse', (action, input) => {
      const c = nineteen();
      ok(c, { action, evaluator: 'E20', statement: 's', ...input }, sh('2026-09-22'));
      expect(c.data.declarations).toHaveLength(20);
      expect(step(c, { action, evaluator: 'E21', statement: 's', ...input }, sh('2026-09-22'))).toEqual(refused('declarationsFull', 'at most 20 declarations per case'));
      ok(c, { action, evaluator: 'E1', statement: 'ties', ...(action === 'recuse' ? {} : { conflict: true }) }, sh('2026-09-23'));
      expect(c.data.declarations).toHaveLength(20);
      expect(c.data.declarations[0]).toMatchObject({ evaluator: 'E1', conflict: true });
    });
  });
});

describe('who may score (Art. 6 and the local policy)', () => {
  it.each([
    ['the filing names A, who declared', { compound: COMPOUND, evaluator: { name: 'A' } }, [['A', false]], {}, null],
    ['the filing names A, who recused', { compound: COMPOUND, evaluator: { name: 'A' } }, [['A', true]], {}, refused('conflictedEvaluator', 'evaluator A applied to recuse and does not score')],
    ['the filing names A, who has not declared', { compound: COMPOUND, evaluator: { name: 'A' } }, [['B', false]], {}, refused('declarationMissing', 'evaluator A has not declared the absence of a conflict of interest (local policy)')],
    ['the action names B, who declared (A recused)', { compound: COMPOUND, evaluator: { name: 'A' } }, [['A', true], ['B', false]], { evaluator: 'B' }, null],
    ['no evaluator named; one declared no conflict', { compound: COMPOUND }, [['A', true], ['B', false]], {}, null],
    ['no evaluator named; the only declaration is a recusal', { compound: COMPOUND }, [['A', true]], {}, refused('declarationMissing', 'no evaluator has declared the absence of a conflict of interest (local policy)')],
    ['no evaluator named and no declaration', { compound: COMPOUND }, [], {}, refused('declarationMissing', 'no evaluator has declared the absence of a conflict of interest (local policy)')],
  ] as const)('publish: %s', (_name, filing, declarations, input, expected) => {
    const c = file(filing);
    for (const [evaluator, conflict] of declarations) ok(c, { action: 'declare-recusal', evaluator, conflict, statement: 's' }, sh('2026-09-22'));
    expect(step(c, { action: 'publish', score: 92, ...input }, sh('2026-09-24'))).toEqual(expected);
  });

  it.each([
    ['under publicity', () => published(), sh('2026-09-28'), 'publicity'],
    ['in effect', () => effective(), sh('2026-10-12'), 'effective'],
  ])('publish is refused %s', (_name, make, now, state) => {
    expect(step(make(), { action: 'publish', score: 80 }, now)).toEqual(refused('outOfSequence', `a score is published only before the rating or at re-evaluation (state ${state})`));
  });

  it('publishing starts the publicity with an empty objection log', () => {
    const c = published(92);
    expect(c.state).toBe('publicity');
    expect(c.data.objectionLog).toEqual([]);
    expect(c.data.pending).toEqual({ kind: 'rating', score: 92, stars: 3, evaluator: 'A', publishedAt: sh('2026-09-24'), publicityKey: 'publicity', objections: 0, effectiveFrom: null });
    expect(c.deadlines.map((d) => [d.key, d.dueDate])).toEqual([['publicity', '2026-10-08']]);
  });
});

describe('Art. 9: objections during the publicity, judged on when they were received', () => {
  it('each objection is numbered and logged with both times; the count is kept on the result', () => {
    const c = published();
    ok(c, { action: 'owner-objection', objection: 'cleaning is poor' }, sh('2026-09-28'));
    ok(c, { action: 'owner-objection', objection: 'lifts', occurredAt: sh('2026-09-29') }, sh('2026-09-30'));
    expect(c.data.objectionLog).toEqual([
      { n: 1, publicityKey: 'publicity', objection: 'cleaning is poor', at: sh('2026-09-28'), recordedAt: sh('2026-09-28'), status: 'pending', reasons: null, decidedAt: null },
      { n: 2, publicityKey: 'publicity', objection: 'lifts', at: sh('2026-09-29'), recordedAt: sh('2026-09-30'), status: 'pending', reasons: null, decidedAt: null },
    ]);
    expect(c.data.pending?.objections).toBe(2);
    expect(eventsOf(c, 'publicity.objection')).toEqual([
      { n: 1, objection: 'cleaning is poor', publicityKey: 'publicity', kind: 'rating', lateEntry: false },
      { n: 2, objection: 'lifts', publicityKey: 'publicity', kind: 'rating', lateEntry: true, recordedAt: sh('2026-09-30') },
    ]);
    expect(c.state).toBe('publicity');
  });

  it(`at most ${MAX_OBJECTIONS} per publicity: the ${MAX_OBJECTIONS}th is recorded, the next refused`, () => {
    const c = published();
    for (let n = 1; n < MAX_OBJECTIONS; n++) c.data.objectionLog.push(objection(n, 'publicity', sh('2026-09-25'), { status: 'not-upheld', reasons: 'r' }));
    ok(c, { action: 'owner-objection', objection: 'last one' }, sh('2026-09-28'));
    expect(c.data.objectionLog.at(-1)).toMatchObject({ n: MAX_OBJECTIONS, objection: 'last one' });
    expect(step(c, { action: 'owner-objection', objection: 'one more' }, sh('2026-09-28'))).toEqual(refused('objectionsFull', `at most ${MAX_OBJECTIONS} objections are recorded per publicity`));
  });

  it('an objection to a publicity whose result is no longer under publicity or in effect is refused (defensive: a later step dates it out first)', () => {
    const c = reviewed(95);
    const late = { action: 'owner-objection', objection: 'made in time, entered a year later', occurredAt: sh('2026-10-08', '20:00') };
    // The kernel refuses it first: the review was recorded after it.
    expect(step(c, late, sh('2027-10-12'))?.rule).toBe('action-time');
    const rule = def.actions['owner-objection'].refuse!;
    const message = 'the result published in publicity is no longer the one under publicity or in effect';
    // The review result is under publicity…
    expect(english(rule(reader(c, sh('2026-10-08', '20:00'), sh('2027-10-12')), {} as never))).toEqual({ rule: 'outOfSequence', message });
    // …or in effect.
    tick(c, end('2027-10-18'));
    expect([c.state, c.data.pending, c.data.lastEffect?.publicityKey]).toEqual(['effective', null, 'review-publicity']);
    expect(english(rule(reader(c, sh('2026-10-08', '20:00'), sh('2027-10-20')), {} as never))).toEqual({ rule: 'outOfSequence', message });
    // The rating's own publicity, while its result was in effect, was current.
    const rated = effective();
    expect(rule(reader(rated, sh('2026-10-08', '20:00'), sh('2026-10-12')), {} as never)).toBeNull();
  });

  it('the review publicity takes objections of its own', () => {
    const c = reviewed(95);
    ok(c, { action: 'review-objection', objection: 'the review missed the car park' }, sh('2027-10-12'));
    expect(c.data.objectionLog).toEqual([objection(1, 'review-publicity', sh('2027-10-12'), { objection: 'the review missed the car park' })]);
    expect(eventsOf(c, 'publicity.objection')).toEqual([{ n: 1, objection: 'the review missed the car park', publicityKey: 'review-publicity', kind: 'review', lateEntry: false }]);
  });
});

describe('deciding an objection', () => {
  /** Under publicity with objection 1 pending (received 28 Sep). */
  function objected(): Case {
    const c = published();
    return ok(c, { action: 'owner-objection', objection: 'cleaning is poor' }, sh('2026-09-28'));
  }

  it.each([
    ['an objection that does not exist', { number: 2, upheld: false, reasons: 'r' }, refused('unknownObjection', 'no objection 2 against the result under publicity')],
    ['not upheld without reasons', { number: 1, upheld: false }, refused('objectionReasonsRequired', 'objection 1 not upheld: give the reasons')],
    ['upheld without a new score', { number: 1, upheld: true }, refused('rescoreRequired', 'objection 1 upheld: give the new score, which is published again')],
    ['upheld with the score of an evaluator who has not declared', { number: 1, upheld: true, score: 80, evaluator: 'B' }, refused('declarationMissing', 'evaluator B has not declared the absence of a conflict of interest (local policy)')],
    ['upheld with a new score', { number: 1, upheld: true, score: 80 }, null],
    ['upheld with a score of 0', { number: 1, upheld: true, score: 0 }, null],
    ['not upheld with reasons', { number: 1, upheld: false, reasons: 'checked' }, null],
    ['not upheld with reasons and a score (the score is ignored)', { number: 1, upheld: false, reasons: 'checked', score: 50, evaluator: 'B' }, null],
  ])('%s', (_name, input, expected) => {
    expect(step(objected(), { action: 'decide-objection', ...input }, sh('2026-09-29'))).toEqual(expected);
  });

  it('with no result under publicity there is nothing to decide', () => {
    const c = file();
    expect(step(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'r' }, sh('2026-09-29'))).toEqual(refused('unknownObjection', 'no objection 1 against the result under publicity'));
  });

  it('an objection logged against another publicity than the pending one is unknown (defensive: the log is emptied on each publication)', () => {
    const c = objected();
    c.data.objectionLog[0].publicityKey = 'publicity-0';
    expect(step(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'r' }, sh('2026-09-29'))).toEqual(refused('unknownObjection', 'no objection 1 against the result under publicity'));
  });

  it('not upheld during the publicity: answered with reasons; the result waits for the end of the publicity', () => {
    const c = objected();
    ok(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'cleaning checked twice' }, sh('2026-09-29'));
    expect(c.state).toBe('publicity');
    expect(c.data.objectionLog[0]).toMatchObject({ status: 'not-upheld', reasons: 'cleaning checked twice', decidedAt: sh('2026-09-29') });
    expect(eventsOf(c, 'publicity.objection-decided')).toEqual([{ n: 1, upheld: false, reasons: 'cleaning checked twice', publicityKey: 'publicity', basis: OBJECTION_POLICY }]);
    expect(step(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'again' }, sh('2026-09-30'))).toEqual(refused('unknownObjection', 'objection 1 is already decided (not-upheld)'));
    tick(c, end('2026-10-08'));
    expect(c.state).toBe('effective');
    expect(eventsOf(c, 'rating.effective')).toEqual([{ kind: 'rating', score: 92, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', objections: 1, objectionsDecided: 1 }]);
    expect(eventsOf(c, 'publicity.ended-objections-pending')).toEqual([]);
  });

  it('upheld: the other pending objections are superseded, the result re-scored by the evaluator named and published again', () => {
    const c = objected();
    ok(c, { action: 'owner-objection', objection: 'lifts' }, sh('2026-09-28', '11:00'));
    declared(c, 'B', sh('2026-09-29'));
    ok(c, { action: 'decide-objection', number: 1, upheld: true, score: 85, evaluator: 'B' }, sh('2026-09-29', '11:00'));
    expect(c.state).toBe('publicity');
    expect(statusOf(c, 'publicity')).toBe('cancelled');
    // Tue 29 Sep + 7 days = Tue 6 Oct, a holiday: rolled to Thu 8 Oct.
    expect(c.deadlines.find((d) => d.key === 'publicity-2')).toMatchObject({ kind: 'window', startAt: sh('2026-09-29', '11:00'), startEvent: 'result re-scored after an upheld objection', dueDate: '2026-10-08' });
    expect(c.data.pending).toEqual({ kind: 'rating', score: 85, stars: 2, evaluator: 'B', publishedAt: sh('2026-09-29', '11:00'), publicityKey: 'publicity-2', objections: 0, effectiveFrom: null });
    expect(c.data.objectionLog).toEqual([]);
    expect(eventsOf(c, 'rating.re-scored')).toEqual([{ kind: 'rating', score: 85, stars: 2, level: 'two stars', evaluator: 'B', replaces: 'publicity', publicityKey: 'publicity-2', publicityUntil: end('2026-10-08') }]);
    expect(eventsOf(c, 'publicity.objection-decided')).toEqual([{ n: 1, upheld: true, reasons: null, publicityKey: 'publicity', basis: OBJECTION_POLICY }]);
    // Without an evaluator named, the one who scored the result scores again.
    ok(c, { action: 'owner-objection', objection: 'still poor' }, sh('2026-09-30'));
    ok(c, { action: 'decide-objection', number: 1, upheld: true, score: 75 }, sh('2026-09-30', '11:00'));
    expect(c.data.pending).toMatchObject({ score: 75, stars: 1, evaluator: 'B', publicityKey: 'publicity-3' });
    expect(statusOf(c, 'publicity-2')).toBe('cancelled');
  });
});

describe('the end of the publicity', () => {
  it('with an objection undecided: the result waits; deciding the last one gives it effect as of the end of the publicity', () => {
    const c = published();
    ok(c, { action: 'owner-objection', objection: 'one' }, sh('2026-09-28'));
    ok(c, { action: 'owner-objection', objection: 'two' }, sh('2026-09-28', '11:00'));
    ok(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'r1' }, sh('2026-09-29'));
    tick(c, end('2026-10-08'));
    expect(c.state).toBe('objections-pending');
    expect(c.data.rating).toBeNull();
    expect(eventsOf(c, 'publicity.ended-objections-pending')).toEqual([{ publicityKey: 'publicity', pendingObjections: 1, basis: OBJECTION_POLICY }]);
    ok(c, { action: 'decide-objection', number: 2, upheld: false, reasons: 'r2' }, sh('2026-10-15'));
    expect(c.state).toBe('effective');
    expect(c.data.rating).toEqual({ kind: 'rating', score: 92, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', validUntil: '2028-10-09' });
    expect(c.data.lastEffect).toEqual({ publicityKey: 'publicity', ratingBefore: null });
    expect(c.data.results).toEqual([{ kind: 'rating', score: 92, stars: 3, evaluator: 'A', publishedAt: sh('2026-09-24'), publicityKey: 'publicity', objections: 2, effectiveFrom: '2026-10-09' }]);
    const startAt = '2026-10-08T15:59:59.999Z';
    const startEvent = 'publicity ended (rating effective)';
    expect(c.deadlines.filter((d) => d.key !== 'publicity').map((d) => [d.key, d.startAt, d.startEvent, d.dueDate])).toEqual([
      ['validity', startAt, startEvent, '2028-10-09'],
      ['nameplate', startAt, startEvent, '2026-11-09'],
      // Version 2: the review is due by the end of validity (the second year), not at the first anniversary.
      ['second-year-review', startAt, startEvent, '2028-10-09'],
    ]);
    expect(eventsOf(c, 'rating.effective')).toEqual([{ kind: 'rating', score: 92, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', objections: 2, objectionsDecided: 2 }]);
    expect(eventsOf(c, 'rating.consequences')).toEqual([{ stars: 3, level: 'three stars', levelZh: '三星级', ...consequencesOf(3), basis: art(13, 'consequences by level') }]);
  });

  it('while another objection is pending after the publicity, deciding one does not give effect', () => {
    const c = published();
    ok(c, { action: 'owner-objection', objection: 'one' }, sh('2026-09-28'));
    ok(c, { action: 'owner-objection', objection: 'two' }, sh('2026-09-28', '11:00'));
    tick(c, end('2026-10-08'));
    expect(eventsOf(c, 'publicity.ended-objections-pending')[0]).toMatchObject({ pendingObjections: 2 });
    ok(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'r1' }, sh('2026-10-12'));
    expect([c.state, c.data.rating]).toEqual(['objections-pending', null]);
  });

  it('non-compliant: no validity, no nameplate, no review; the state awaits a rectification order', () => {
    const c = effective(60);
    expect(c.state).toBe('non-compliant');
    expect(c.data.rating).toEqual({ kind: 'rating', score: 60, stars: 0, level: 'non-compliant', effectiveFrom: '2026-10-09', validUntil: null });
    expect(c.deadlines.map((d) => d.key)).toEqual(['publicity']);
    expect(eventsOf(c, 'owners-assembly.notice-due')).toEqual([]);
  });

  it('a re-evaluation non-compliant again: the owners’ assembly is to be told (10 working days, local promise)', () => {
    const c = published(60);
    ok(c, { action: 'owner-objection', objection: 'x' }, sh('2026-09-28'));
    ok(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'r' }, sh('2026-09-29'));
    tick(c, end('2026-10-08'));
    ok(c, { action: 'order-rectification', period: { days: 3 } }, sh('2026-10-12'));
    tick(c, end('2026-10-15'));
    expect(c.state).toBe('re-evaluation');
    expect(c.data.objectionLog).toHaveLength(1);
    ok(c, { action: 'publish', score: 65 }, sh('2026-10-16'));
    // The re-evaluation starts a new objection log.
    expect(c.data.objectionLog).toEqual([]);
    expect(c.data.pending).toMatchObject({ kind: 're-evaluation', publicityKey: 'publicity-2' });
    // Fri 16 Oct + 7 days = Fri 23 Oct.
    tick(c, end('2026-10-23'));
    expect(c.state).toBe('owners-assembly-notice');
    expect(c.data.lastEffect).toEqual({ publicityKey: 'publicity-2', ratingBefore: { kind: 'rating', score: 60, stars: 0, level: 'non-compliant', effectiveFrom: '2026-10-09', validUntil: null } });
    expect(c.data.rating).toMatchObject({ kind: 're-evaluation', stars: 0, effectiveFrom: '2026-10-24' });
    expect(c.data.rectification).toBeNull();
    // From Fri 23 Oct (not counted): 26–30 Oct (5), 2–6 Nov (10).
    expect(c.deadlines.find((d) => d.key === 'owners-assembly-notice')).toMatchObject({ kind: 'promised', startAt: '2026-10-23T15:59:59.999Z', startEvent: 're-evaluation non-compliant again', dueDate: '2026-11-06' });
    expect(eventsOf(c, 'owners-assembly.notice-due')).toEqual([{ basis: art(13, 'non-compliant again after re-evaluation') }]);
    expect(clockStatuses(c)).toMatchObject({ rectification: 'expired' });
  });

  it('a compliant re-evaluation: the earlier rating’s clocks end, the nameplate is due again', () => {
    const c = effective(75);
    ok(c, { action: 'review', score: 40 }, sh('2027-10-11'));
    tick(c, end('2027-10-18'));
    expect(c.state).toBe('non-compliant');
    ok(c, { action: 'issue-nameplate' }, sh('2027-10-19'));
    ok(c, { action: 'order-rectification', period: { days: 3 } }, sh('2027-10-19'));
    tick(c, end('2027-10-22'));
    ok(c, { action: 'publish', score: 90 }, sh('2027-10-25'));
    tick(c, end('2027-11-01'));
    expect(c.state).toBe('effective');
    expect(c.data).toMatchObject({ nameplateIssuedAt: null, rectification: null, rating: { kind: 're-evaluation', stars: 3, effectiveFrom: '2027-11-02', validUntil: '2029-11-01' } });
    expect(clockStatuses(c)).toMatchObject({ validity: 'cancelled', nameplate: 'met-late', 'validity-2': 'running', 'nameplate-2': 'running', 'second-year-review-2': 'running' });
  });
});

describe('Art. 12: the review in the second year', () => {
  it.each([
    ['under the publicity', () => published(), sh('2026-09-28'), 'publicity'],
    ['for a non-compliant result', () => effective(60), sh('2027-10-11'), 'non-compliant'],
  ])('is refused %s', (_name, make, now, state) => {
    expect(step(make(), { action: 'review', score: 95 }, now)).toEqual(refused('outOfSequence', `no second-year review is due (state ${state})`));
  });

  it.each([
    ['the last minute of the first year', sh('2027-10-08', '23:59'), refused('reviewInFirstYear', 'the rating took effect on 2026-10-09: its second year, when the review is made, starts on 2027-10-09 (review dated 2027-10-08)')],
    ['the first minute of the second year', sh('2027-10-09', '00:00'), null],
  ])('dated %s', (_name, now, expected) => {
    expect(step(effective(), { action: 'review', score: 95 }, now)).toEqual(expected);
  });

  it('is refused while a result in effect is held by an objection, though the review clock runs', () => {
    const c = effective();
    ok(c, { action: 'owner-objection', objection: 'x', occurredAt: sh('2026-10-08', '20:00') }, sh('2026-10-12'));
    expect(statusOf(c, 'second-year-review')).toBe('running');
    expect(step(c, { action: 'review', score: 95 }, sh('2027-10-11'))).toEqual(refused('outOfSequence', 'no second-year review is due (state objections-pending)'));
  });

  it('is refused when the evaluator named has recused', () => {
    const c = effective();
    ok(c, { action: 'recuse', evaluator: 'A', statement: 'ties' }, sh('2027-10-01'));
    expect(step(c, { action: 'review', score: 95 }, sh('2027-10-11'))).toEqual(refused('conflictedEvaluator', 'evaluator A applied to recuse and does not score'));
  });

  it('publishing the review meets the review clock, starts its publicity and a new objection log', () => {
    const c = published();
    ok(c, { action: 'owner-objection', objection: 'x' }, sh('2026-09-28'));
    ok(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'r' }, sh('2026-09-29'));
    tick(c, end('2026-10-08'));
    expect(c.data.objectionLog).toHaveLength(1);
    ok(c, { action: 'review', score: 95 }, sh('2027-10-11'));
    expect(c.state).toBe('review-publicity');
    expect(c.data.objectionLog).toEqual([]);
    expect(statusOf(c, 'second-year-review')).toBe('met');
    expect(c.deadlines.find((d) => d.key === 'review-publicity')).toMatchObject({ kind: 'window', startEvent: 'review published', dueDate: '2027-10-18' });
    expect(c.data.pending).toEqual({ kind: 'review', score: 95, stars: 3, evaluator: 'A', publishedAt: sh('2027-10-11'), publicityKey: 'review-publicity', objections: 0, effectiveFrom: null });
    expect(step(c, { action: 'review', score: 95 }, sh('2027-10-12'))).toEqual(refused('outOfSequence', 'no second-year review is due (state review-publicity)'));
  });

  it('the same level: confirmed at the end of its publicity, the level unchanged; no second review', () => {
    const c = reviewed(95);
    tick(c, end('2027-10-18'));
    expect(c.state).toBe('effective');
    expect(c.data.pending).toBeNull();
    expect(c.data.rating).toEqual({ kind: 'review', score: 95, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', validUntil: '2028-10-09' });
    expect(c.data.lastEffect).toEqual({ publicityKey: 'review-publicity', ratingBefore: { kind: 'rating', score: 92, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', validUntil: '2028-10-09' } });
    expect(c.data.results.map((r) => [r.kind, r.score, r.publicityKey, r.effectiveFrom])).toEqual([
      ['rating', 92, 'publicity', '2026-10-09'],
      ['review', 95, 'review-publicity', '2027-10-19'],
    ]);
    expect(eventsOf(c, 'rating.review-effective')).toEqual([{ score: 95, stars: 3, level: 'three stars', effectiveFrom: '2027-10-19', objections: 0 }]);
    expect(eventsOf(c, 'rating.level-changed')).toEqual([]);
    expect(eventsOf(c, 'rating.consequences')).toHaveLength(1);
    expect(step(c, { action: 'review', score: 95 }, sh('2027-10-20'))).toEqual(refused('outOfSequence', 'no second-year review is due (state effective)'));
  });

  it('another level replaces the one in effect with its consequences', () => {
    const c = reviewed(106);
    tick(c, end('2027-10-18'));
    expect(c.state).toBe('effective');
    expect(c.data.rating).toMatchObject({ kind: 'review', score: 106, stars: 5, level: 'five stars' });
    expect(eventsOf(c, 'rating.level-changed')).toEqual([{ from: 3, to: 5, fromLevel: 'three stars', toLevel: 'five stars', effectiveFrom: '2027-10-19' }]);
    expect(eventsOf(c, 'rating.consequences').at(-1)).toEqual({ stars: 5, level: 'five stars', levelZh: '五星级', ...consequencesOf(5), basis: art(13, 'consequences by level') });
  });

  it('a non-compliant review makes the compound non-compliant', () => {
    const c = reviewed(50);
    tick(c, end('2027-10-18'));
    expect(c.state).toBe('non-compliant');
    expect(c.data.rating).toMatchObject({ stars: 0, level: 'non-compliant' });
  });

  it('an objection to the review still undecided when its publicity ends: the review takes effect as of that end once decided', () => {
    const c = reviewed(85);
    ok(c, { action: 'review-objection', objection: 'x' }, sh('2027-10-12'));
    tick(c, end('2027-10-18'));
    expect(c.state).toBe('objections-pending');
    expect(eventsOf(c, 'publicity.ended-objections-pending')).toEqual([{ publicityKey: 'review-publicity', pendingObjections: 1, basis: OBJECTION_POLICY }]);
    ok(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'r' }, sh('2027-10-25'));
    expect(c.state).toBe('effective');
    expect(c.data.rating).toMatchObject({ kind: 'review', score: 85, stars: 2 });
    expect(eventsOf(c, 'rating.review-effective')).toEqual([{ score: 85, stars: 2, level: 'two stars', effectiveFrom: '2027-10-19', objections: 1 }]);
  });

  it('an objection to the review upheld during its publicity: the review is re-scored and published again', () => {
    const c = reviewed(85);
    ok(c, { action: 'review-objection', objection: 'x' }, sh('2027-10-12'));
    ok(c, { action: 'decide-objection', number: 1, upheld: true, score: 95 }, sh('2027-10-13'));
    expect(c.state).toBe('review-publicity');
    expect(statusOf(c, 'review-publicity')).toBe('cancelled');
    expect(c.data.pending).toMatchObject({ kind: 'review', score: 95, stars: 3, publicityKey: 'review-publicity-2' });
    // Wed 13 Oct 2027 + 7 days = Wed 20 Oct.
    expect(due(c, 'review-publicity-2')).toBe('2027-10-20');
    expect(c.data.rating).toMatchObject({ kind: 'rating', score: 92 });
  });
});

describe('Art. 9: a timely objection entered after the result took effect holds it', () => {
  it('the rating is held until the objection is decided; not upheld, it is confirmed and the state restored', () => {
    const c = effective();
    ok(c, { action: 'owner-objection', objection: 'lifts', occurredAt: sh('2026-10-08', '20:00') }, sh('2026-10-12'));
    expect(c.state).toBe('objections-pending');
    expect(c.data.held).toEqual({ state: 'effective' });
    expect(c.data.pending).toEqual({ kind: 'rating', score: 92, stars: 3, evaluator: 'A', publishedAt: sh('2026-09-24'), publicityKey: 'publicity', objections: 1, effectiveFrom: null });
    expect(eventsOf(c, 'rating.held')).toEqual([{ publicityKey: 'publicity', reason: 'a timely objection was entered after the publicity ended', basis: art(9, ART9), recordedAt: sh('2026-10-12') }]);
    expect(c.data.objectionLog).toEqual([{ n: 1, publicityKey: 'publicity', objection: 'lifts', at: sh('2026-10-08', '20:00'), recordedAt: sh('2026-10-12'), status: 'pending', reasons: null, decidedAt: null }]);

    ok(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'lifts inspected' }, sh('2026-10-13'));
    expect(c.state).toBe('effective');
    expect([c.data.held, c.data.pending]).toEqual([null, null]);
    expect(eventsOf(c, 'rating.confirmed')).toEqual([{ objectionsDecided: 1, stars: 3 }]);
    expect(c.data.rating).toEqual({ kind: 'rating', score: 92, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', validUntil: '2028-10-09' });
    expect(eventsOf(c, 'rating.effective')).toHaveLength(1);
  });

  it('a non-compliant result held and confirmed returns to non-compliant', () => {
    const c = effective(60);
    ok(c, { action: 'owner-objection', objection: 'x', occurredAt: sh('2026-10-08', '20:00') }, sh('2026-10-12'));
    expect(c.data.held).toEqual({ state: 'non-compliant' });
    ok(c, { action: 'decide-objection', number: 1, upheld: false, reasons: 'r' }, sh('2026-10-13'));
    expect(c.state).toBe('non-compliant');
    expect(eventsOf(c, 'rating.confirmed')).toEqual([{ objectionsDecided: 1, stars: 0 }]);
  });

  it('upheld: the rating is set aside (no level before it), its periods end and the new score is published', () => {
    const c = effective();
    ok(c, { action: 'owner-objection', objection: 'x', occurredAt: sh('2026-10-08', '20:00') }, sh('2026-10-12'));
    ok(c, { action: 'decide-objection', number: 1, upheld: true, score: 85 }, sh('2026-10-13'));
    expect(c.state).toBe('publicity');
    expect([c.data.held, c.data.rating, c.data.results]).toEqual([null, null, []]);
    expect(clockStatuses(c)).toEqual({ publicity: 'expired', validity: 'cancelled', nameplate: 'cancelled', 'second-year-review': 'cancelled', 'publicity-2': 'running' });
    expect(c.data.pending).toMatchObject({ kind: 'rating', score: 85, stars: 2, publicityKey: 'publicity-2' });
  });

  it('a review held and upheld: the level before the review applies again, the rating’s periods run on', () => {
    const c = reviewed(101);
    tick(c, end('2027-10-18'));
    expect(c.data.rating).toMatchObject({ kind: 'review', stars: 4 });
    ok(c, { action: 'review-objection', objection: 'x', occurredAt: sh('2027-10-18', '20:00') }, sh('2027-10-20'));
    expect(c.state).toBe('objections-pending');
    expect(c.data.pending).toMatchObject({ kind: 'review', score: 101, publicityKey: 'review-publicity', objections: 1 });
    ok(c, { action: 'decide-objection', number: 1, upheld: true, score: 95 }, sh('2027-10-21'));
    expect(c.state).toBe('review-publicity');
    expect(c.data.held).toBeNull();
    expect(c.data.rating).toEqual({ kind: 'rating', score: 92, stars: 3, level: 'three stars', effectiveFrom: '2026-10-09', validUntil: '2028-10-09' });
    expect(c.data.results.map((r) => r.publicityKey)).toEqual(['publicity']);
    expect(clockStatuses(c)).toMatchObject({ validity: 'running', nameplate: 'overdue', 'review-publicity': 'expired', 'review-publicity-2': 'running' });
    expect(c.data.pending).toMatchObject({ kind: 'review', score: 95, publicityKey: 'review-publicity-2' });
  });
});

describe('Art. 10: the rating expires at the end of its validity', () => {
  it('closes as expired; a review never made stays on record as breached at that instant', () => {
    const c = effective();
    ok(c, { action: 'issue-nameplate' }, sh('2026-10-20'));
    tick(c, end('2028-10-09'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'expired', closedAt: end('2028-10-09') });
    expect(eventsOf(c, 'rating.expired')).toEqual([{ stars: 3, validUntil: '2028-10-09' }]);
    expect(clockStatuses(c)).toEqual({ publicity: 'expired', validity: 'expired', nameplate: 'met', 'second-year-review': 'overdue' });
  });

  it('a review under publicity at the expiry is dropped with its publicity', () => {
    const c = effective();
    ok(c, { action: 'review', score: 95 }, sh('2028-10-05'));
    tick(c, end('2028-10-09'));
    expect(c.outcome).toBe('expired');
    expect(c.data.pending).toBeNull();
    expect(statusOf(c, 'review-publicity')).toBe('cancelled');
  });

  it('cancels the periods not yet due, keeps a legal period already due, cancels other clocks already due (the step on its own)', () => {
    const c = effective(75);
    ok(c, { action: 'order-rectification', period: { days: 10 } }, sh('2026-10-12'));
    // Run the step on 1 Dec 2026 without what fell due before it: the nameplate (legal, due 9 Nov) and the
    // rectification (an expiry, due 22 Oct) are still running.
    def.steps!.ratingExpired(new Ops(def, calendar, c, sh('2026-12-01'), sh('2026-12-01'), 'system') as unknown as CaseOps<never>);
    expect(clockStatuses(c)).toEqual({ publicity: 'expired', validity: 'cancelled', nameplate: 'running', 'second-year-review': 'cancelled', rectification: 'cancelled' });
    expect(eventsOf(c, 'rating.expired')).toEqual([{ stars: 1, validUntil: '2028-10-09' }]);
  });

  it('on a case with no rating (defensive) it records nulls', () => {
    const c = published();
    def.steps!.ratingExpired(new Ops(def, calendar, c, sh('2026-09-30'), sh('2026-09-30'), 'system') as unknown as CaseOps<never>);
    expect(eventsOf(c, 'rating.expired')).toEqual([{ stars: null, validUntil: null }]);
    expect([c.state, c.outcome, c.data.pending]).toEqual(['closed', 'expired', null]);
  });
});

describe('Art. 15: what the filing stands on', () => {
  const renewal = { id: 7, document: '江北新区物业〔2024〕1号 (test)', issuedAt: '2024-06-20', validFrom: '2024-07-01', validTo: '2026-06-30', recordedBy: 'admin', recordedAt: '2024-06-21T02:00:00.000Z' };
  const fileUnder = (r?: typeof renewal) =>
    fileKernelCase<RatingDataV2>(def, calendar, {
      caseId: 'c-15',
      idempotencyKey: 'k-15',
      procedure: def.procedure,
      definitionVersion: def.version,
      variant: 'standard',
      unitId: 'u',
      subject: { kind: 'organisation', name: 'x', idNumber: '91350100M000100Y43' },
      receivedAt: sh('2025-03-03'),
      filedAt: sh('2025-03-03'),
      actor: 'tester',
      ...(r ? { renewal: r } : {}),
      filing: def.filing.parse({ compound: COMPOUND }),
    });

  it('without a renewal: the measures as published, to 2024-06-30; no renewal event', () => {
    const c = fileUnder();
    expect(c.data.measures).toEqual({ basis: MEASURES_VALIDITY, validTo: '2024-06-30', renewal: null });
    expect([c.data.objectionLog, c.data.lastEffect, c.data.held]).toEqual([[], null, null]);
    expect(eventsOf(c, 'measures.renewal-cited')).toEqual([]);
  });

  it('under a renewal: its document and dates are cited in the data and the audit trail', () => {
    const c = fileUnder(renewal);
    expect(c.data.measures).toEqual({ basis: `${MEASURES_VALIDITY}; renewed by ${renewal.document} (2024-07-01 to 2026-06-30)`, validTo: '2026-06-30', renewal });
    expect(eventsOf(c, 'measures.renewal-cited')).toEqual([
      { document: renewal.document, issuedAt: '2024-06-20', validFrom: '2024-07-01', validTo: '2026-06-30', basis: `${MEASURES_VALIDITY}; renewed by ${renewal.document}` },
    ]);
  });
});
