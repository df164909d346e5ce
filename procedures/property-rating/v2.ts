import type { CaseOps, CaseReader, MeasuresRenewal, RuleHit } from '../../src/domain/kernel/ops';
import { lazy, text } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { addMonths, dateOf, dayNumber, instantMs, toIso } from '../../src/domain/local-date';
import { defineAction, defineProcedure, type KernelProcedure } from '../definition';
import { JIANGBEI } from '../regulation';
import { LEVEL_NAMES, shanghaiDate, starsFor } from './rating';
import { zhDate } from '../../src/domain/said';
import {
  cancelRatingClocks,
  instanceKey,
  JIANGBEI_IN_FORCE,
  JIANGBEI_LAST_DAY,
  keepResult,
  latest,
  latestOpen,
  MAX_DECLARATIONS,
  MAX_OBJECTIONS,
  MEASURES_VALIDITY,
  propertyRatingV1 as v1,
  RATING_CLOCKS,
  RatingData,
  RatingFiling,
  recordConsequences,
  RULES as V1_RULES,
  score,
  Scoring,
} from './v1';

// Version 2 of the Jiangbei star rating (cases filed under v1 keep v1). What changed, and why:
// - Art. 15: the measures were in force 2022-07-01 to 2024-06-30; a later receipt needs a recorded renewal notice.
// - Art. 9: an objection is judged on when it was received (occurredAt), inside the 7-day publicity; each one is decided
//   (upheld: re-scored and published again; not upheld: with reasons), and the result takes effect only when the
//   publicity has ended and every objection is decided. A timely objection entered after the result took effect holds it.
// - Art. 6: an evaluator who applies to recuse may not score; the declaration of no conflict is a local policy.
// - Art. 12: the review (复核) happens in the second year: a window from the first anniversary to the end of validity.

const art = (n: number, what: string) => `${JIANGBEI} Art. ${n}: ${what}`;
const ART6 = '“参与评估的人员若与受评的物业服务企业及其在管项目存有利害关系,应当主动申请回避”';
const ART9 = '“公示期7日。在公示期内,业主对其所在住宅小区评定结果有异议的,应当在公示期内向评估机构提出异议。超过公示期提出异议的不予受理”';
const ART12 = '“已评定星级的小区,评估机构在第二年度进行复核,复核结果在小区显著位置公示,接受业主监督,公示期7日”';
const OBJECTION_POLICY =
  'local policy (the measures say how objections are made, not how they are decided): each objection is decided; ' +
  'an upheld one is re-scored and published again for 7 days, one not upheld is answered with reasons; the result takes effect when every objection is decided';

export interface ObjectionEntry {
  n: number;
  publicityKey: string;
  objection: string;
  /** When the owner raised it (occurredAt); `recordedAt` when it was entered. */
  at: string;
  recordedAt: string;
  status: 'pending' | 'upheld' | 'not-upheld' | 'superseded';
  reasons: string | null;
  decidedAt: string | null;
}

export interface RatingDataV2 extends RatingData {
  /** The objections made in the latest publicity. */
  objectionLog: ObjectionEntry[];
  /** The last result that took effect and the level it replaced (to restore it when a late objection is upheld). */
  lastEffect: { publicityKey: string; ratingBefore: RatingData['rating'] } | null;
  /** A result in effect held by a timely objection entered after its publicity ended; `state` to return to. */
  held: { state: string } | null;
  /** Art. 15: what the filing stood on. */
  measures: { basis: string; validTo: string; renewal: MeasuresRenewal | null };
}

const action = defineAction<RatingDataV2>();

export const RULES_V2 = {
  ...V1_RULES,
  conflictedEvaluator: {
    id: 'property-rating/conflicted-evaluator',
    basis: art(6, `${ART6} — an evaluator who applied to recuse (回避) does not score`),
  },
  declarationMissing: {
    id: 'property-rating/declaration-missing',
    basis:
      'local policy (not in the measures; Art. 6 requires only that an evaluator with a conflict apply to recuse): ' +
      'every evaluator declares that no conflict of interest exists before scoring',
  },
  alreadyDeclared: {
    id: 'property-rating/already-declared',
    basis: `local policy: each evaluator declares once; a recusal (${art(6, ART6)}) is not withdrawn by a later declaration`,
  },
  measuresExpired: {
    id: 'property-rating/measures-expired',
    basis: `${MEASURES_VALIDITY}; a receipt after 2024-06-30 is accepted only under a district notice renewing the measures, recorded by an administrator`,
  },
  unknownObjection: { id: 'property-rating/unknown-objection', basis: `${art(9, ART9)}; ${OBJECTION_POLICY}` },
  objectionReasonsRequired: { id: 'property-rating/objection-reasons-required', basis: `${art(9, ART9)}; ${OBJECTION_POLICY}` },
  rescoreRequired: { id: 'property-rating/rescore-required', basis: `${art(9, ART9)}; ${OBJECTION_POLICY}` },
  reviewInFirstYear: {
    id: 'property-rating/review-in-first-year',
    basis: art(12, `${ART12} — the review is made from the first anniversary of the effective date to the end of validity`),
  },
} as const;
type RuleKey = keyof typeof RULES_V2;
const hit = (rule: RuleKey, message: string, messageZh: string): RuleHit<RuleKey> => ({ rule, message, messageZh });

type R = CaseReader<RatingDataV2>;
type K = CaseOps<RatingDataV2>;
const asV1 = <T>(x: T) => x as never;

/** Art. 6: an evaluator who recused may not score; one who has not declared may not either (local policy). */
function evaluatorRefusal(r: R, named: string | undefined): RuleHit<RuleKey> | null {
  const evaluator = named ?? r.data.evaluator;
  if (evaluator) {
    const declaration = r.data.declarations.find((d) => d.evaluator === evaluator);
    if (declaration?.conflict) return hit('conflictedEvaluator', `evaluator ${evaluator} applied to recuse and does not score`, `评估机构 ${evaluator} 已申请回避，不参与评分`);
    if (!declaration) return hit('declarationMissing', `evaluator ${evaluator} has not declared the absence of a conflict of interest (local policy)`, `评估机构 ${evaluator} 尚未声明不存在利害关系（本地政策）`);
    return null;
  }
  return r.data.declarations.some((d) => !d.conflict) ? null : hit('declarationMissing', 'no evaluator has declared the absence of a conflict of interest (local policy)', '尚无评估机构声明不存在利害关系（本地政策）');
}

function recordRecusal(k: K, evaluator: string, statement: string): void {
  const earlier = k.data.declarations.find((d) => d.evaluator === evaluator);
  if (earlier) Object.assign(earlier, { conflict: true, statement, at: k.at });
  else k.data.declarations.push({ evaluator, conflict: true, statement, at: k.at });
  k.event('evaluator.recused', { evaluator, conflict: true, statement, declaredNoConflictBefore: !!earlier, basis: art(6, ART6) });
}

const pendingObjections = (r: R) => r.data.objectionLog.filter((o) => o.status === 'pending');

/** Art. 10 (自公示期满之日起生效): a rating or re-evaluation takes effect as of the end of its publicity (`endAt`). */
function ratingEffect(k: K, endAt: string): void {
  const p = k.data.pending!;
  k.data.pending = null;
  const lastDay = toIso(instantMs(endAt) - 1);
  const effectiveFrom = shanghaiDate(endAt);
  k.data.lastEffect = { publicityKey: p.publicityKey, ratingBefore: k.data.rating };
  cancelRatingClocks(asV1(k));
  k.data.nameplateIssuedAt = null;
  k.data.rectification = null;
  keepResult(asV1(k), { ...p, effectiveFrom });
  k.data.rating = { kind: p.kind, score: p.score, stars: p.stars, level: LEVEL_NAMES[p.stars].en, effectiveFrom, validUntil: null };
  const decided = k.data.objectionLog.length;
  k.event('rating.effective', { kind: p.kind, score: p.score, stars: p.stars, level: LEVEL_NAMES[p.stars].en, effectiveFrom, objections: p.objections, objectionsDecided: decided });
  recordConsequences(asV1(k), p.stars);
  if (p.stars >= 1) {
    const startEvent = 'publicity ended (rating effective)';
    const validity = k.start('validity', { key: instanceKey(asV1(k), 'validity'), startAt: lastDay, startEvent });
    k.start('nameplate', { key: instanceKey(asV1(k), 'nameplate'), startAt: lastDay, startEvent });
    k.start('second-year-review', { key: instanceKey(asV1(k), 'second-year-review'), startAt: lastDay, startEvent });
    k.data.rating.validUntil = validity.dueDate;
    k.setState('effective');
  } else if (p.kind === 're-evaluation') {
    k.start('owners-assembly-notice', { startAt: lastDay, startEvent: 're-evaluation non-compliant again' });
    k.event('owners-assembly.notice-due', { basis: art(13, 'non-compliant again after re-evaluation') });
    k.setState('owners-assembly-notice');
  } else {
    k.setState('non-compliant');
  }
}

/** Art. 12: the review result takes effect at the end of its publicity; a different level replaces the one in effect. */
function reviewEffect(k: K, endAt: string): void {
  const p = k.data.pending!;
  k.data.pending = null;
  const rating = k.data.rating!;
  const effectiveFrom = shanghaiDate(endAt);
  k.data.lastEffect = { publicityKey: p.publicityKey, ratingBefore: rating };
  keepResult(asV1(k), { ...p, effectiveFrom });
  const before = rating.stars;
  k.event('rating.review-effective', { score: p.score, stars: p.stars, level: LEVEL_NAMES[p.stars].en, effectiveFrom, objections: p.objections });
  k.data.rating = { ...rating, kind: 'review', score: p.score, stars: p.stars, level: LEVEL_NAMES[p.stars].en };
  if (before !== p.stars) {
    k.event('rating.level-changed', { from: before, to: p.stars, fromLevel: LEVEL_NAMES[before].en, toLevel: LEVEL_NAMES[p.stars].en, effectiveFrom });
    recordConsequences(asV1(k), p.stars);
  }
  k.setState(p.stars === 0 ? 'non-compliant' : 'effective');
}

/** The publicity ended: the result takes effect unless an objection awaits its decision. */
function publicityEnded(k: K): void {
  const waiting = pendingObjections(k).length;
  if (waiting) {
    k.event('publicity.ended-objections-pending', { publicityKey: k.data.pending!.publicityKey, pendingObjections: waiting, basis: OBJECTION_POLICY });
    k.setState('objections-pending');
    return;
  }
  if (k.data.pending!.kind === 'review') reviewEffect(k, k.at);
  else ratingEffect(k, k.at);
}

/** Every objection decided and none upheld: the held or awaited result takes effect. */
function concludeObjections(k: K): void {
  if (k.data.held) {
    const state = k.data.held.state;
    k.data.held = null;
    k.data.pending = null;
    k.event('rating.confirmed', { objectionsDecided: k.data.objectionLog.length, stars: k.data.rating?.stars ?? null });
    k.setState(state);
    return;
  }
  const endAt = k.deadline(k.data.pending!.publicityKey)!.dueAt!;
  if (k.data.pending!.kind === 'review') reviewEffect(k, endAt);
  else ratingEffect(k, endAt);
}

/** An objection upheld: the evaluator re-scores and the new result is published for 7 days (Art. 9 / Art. 12). */
function rescore(k: K, s: number, evaluator: string | undefined): void {
  const old = k.data.pending!;
  for (const o of pendingObjections(k)) Object.assign(o, { status: 'superseded', decidedAt: k.at });
  k.cancel((d) => d.key === old.publicityKey);
  if (k.data.held) {
    // The result in effect is set aside: the level it replaced applies again, and its periods end.
    if (old.kind !== 'review') cancelRatingClocks(asV1(k));
    k.data.rating = k.data.lastEffect?.ratingBefore ?? null;
    k.data.results = k.data.results.filter((x) => x.publicityKey !== old.publicityKey);
    k.data.held = null;
  }
  const stars = starsFor(s);
  const clock = old.kind === 'review' ? 'review-publicity' : 'publicity';
  const d = k.start(clock, { key: instanceKey(asV1(k), clock), startEvent: 'result re-scored after an upheld objection' });
  const who = evaluator ?? old.evaluator;
  k.data.pending = { kind: old.kind, score: s, stars, evaluator: who, publishedAt: k.at, publicityKey: d.key, objections: 0, effectiveFrom: null };
  k.data.objectionLog = [];
  k.event('rating.re-scored', { kind: old.kind, score: s, stars, level: LEVEL_NAMES[stars].en, evaluator: who, replaces: old.publicityKey, publicityKey: d.key, publicityUntil: d.dueAt });
  k.setState(clock);
}

function objectionRefusal(r: R, clock: string): RuleHit<RuleKey> | null {
  const w = latest(asV1(r), clock)!;
  const current = r.data.pending?.publicityKey === w.key || (!r.data.pending && r.data.lastEffect?.publicityKey === w.key);
  if (!current) return hit('outOfSequence', `the result published in ${w.key} is no longer the one under publicity or in effect`, `在 ${w.key} 中公示的评定结果已不是正在公示或已生效的结果`);
  if (r.data.objectionLog.length >= MAX_OBJECTIONS) return hit('objectionsFull', `at most ${MAX_OBJECTIONS} objections are recorded per publicity`, `每次公示最多登记${MAX_OBJECTIONS}件异议`);
  return null;
}

function recordObjection(k: K, clock: string, objection: string): void {
  const w = latest(asV1(k), clock)!;
  if (!k.data.pending) {
    // Raised in time, entered after the result took effect: the result is held until the objection is decided.
    const result = k.data.results.at(-1)!;
    k.data.pending = { ...result, objections: 0, effectiveFrom: null };
    k.data.held = { state: k.c.state };
    k.event('rating.held', { publicityKey: w.key, reason: 'a timely objection was entered after the publicity ended', basis: art(9, ART9) });
    k.setState('objections-pending');
  }
  const p = k.data.pending;
  p.objections += 1;
  const n = k.data.objectionLog.length + 1;
  k.data.objectionLog.push({ n, publicityKey: w.key, objection, at: k.at, recordedAt: k.now, status: 'pending', reasons: null, decidedAt: null });
  k.event('publicity.objection', { n, objection, publicityKey: w.key, kind: p.kind, lateEntry: k.at !== k.now });
}

const publicityBasis = art(9, ART9);

type Inherited = Omit<KernelProcedure<RatingDataV2, RatingFiling>, 'rules' | 'actions' | 'states' | 'clocks' | 'steps' | 'initialState' | 'eligibility' | 'renewable' | 'startsOnFiling' | 'stepClocks'>;
/** Declarations, recusals, the nameplate and objections are judged by their own rules in every state. */
const ANY_STATE_V2 = ['declare-recusal', 'recuse', 'owner-objection', 'issue-nameplate', 'review-objection', 'decide-objection'] as const;
/** The periods of one rating (RATING_CLOCKS): a result taking effect ends those of the one before, revocation and expiry all. */
const RATING_PERIODS = RATING_CLOCKS as readonly (keyof typeof v1.clocks)[];
/** A rating or re-evaluation taking effect (Art. 10–13): the periods of a star rating, or the notice to the owners' assembly. */
const EFFECT_STARTS = ['validity', 'nameplate', 'second-year-review', 'owners-assembly-notice'] as const;
const LATE_OBJECTION_HOLDS = { 'owner-objection': ['objections-pending'], 'review-objection': ['objections-pending'] } as const;

export const propertyRatingV2 = defineProcedure<RatingDataV2, RatingFiling>()({
  ...(v1 as unknown as Inherited),
  initialState: 'filed',
  eligibility: v1.eligibility,
  // A timely objection entered after its result took effect holds that result (objections-pending); an upheld objection
  // publishes a new score; the last one decided lets the held or awaited result take effect (in the state it decides).
  states: {
    filed: { label: 'Filed, awaiting the score', labelZh: '待评定', actions: [...ANY_STATE_V2, 'publish'], next: { publish: ['publicity'] } },
    publicity: { label: 'Result under publicity', labelZh: '公示中', actions: ANY_STATE_V2, next: {} },
    'objections-pending': {
      label: 'Publicity ended: objections await their decision',
      labelZh: '异议待处理',
      actions: ANY_STATE_V2,
      next: { 'decide-objection': ['publicity', 'review-publicity', 'effective', 'non-compliant', 'rectification', 're-evaluation', 'owners-assembly-notice'] },
    },
    effective: {
      label: 'Rating in effect',
      labelZh: '星级有效',
      actions: [...ANY_STATE_V2, 'review', 'order-rectification', 'revoke'],
      next: { ...LATE_OBJECTION_HOLDS, review: ['review-publicity'], revoke: ['closed'] },
    },
    'review-publicity': { label: 'Second-year review under publicity', labelZh: '复核公示中', actions: [...ANY_STATE_V2, 'revoke'], next: { revoke: ['closed'] } },
    'non-compliant': {
      label: 'Non-compliant',
      labelZh: '不达标',
      actions: [...ANY_STATE_V2, 'order-rectification'],
      next: { ...LATE_OBJECTION_HOLDS, 'order-rectification': ['rectification'] },
    },
    rectification: { label: 'Rectifying before re-evaluation', labelZh: '整改中', actions: ANY_STATE_V2, next: LATE_OBJECTION_HOLDS },
    're-evaluation': { label: 'Re-evaluation', labelZh: '复评', actions: [...ANY_STATE_V2, 'publish'], next: { ...LATE_OBJECTION_HOLDS, publish: ['publicity'] } },
    'owners-assembly-notice': {
      label: 'Non-compliant again: notify the owners’ assembly',
      labelZh: '再次不达标',
      actions: [...ANY_STATE_V2, 'notify-owners-assembly'],
      next: { ...LATE_OBJECTION_HOLDS, 'notify-owners-assembly': ['closed'] },
    },
  },
  version: 2,
  basis: [
    art(2, 'scope and eligibility'),
    art(5, 'star levels'),
    art(6, ART6),
    art(9, ART9),
    art(10, '“住宅小区星级评定自公示期满之日起生效,有效期两年”'),
    art(12, ART12),
    art(13, 'consequences'),
    MEASURES_VALIDITY,
  ],
  validFrom: JIANGBEI_IN_FORCE,
  validTo: JIANGBEI_LAST_DAY,
  renewable: { expiredRule: 'measuresExpired' },
  clocks: {
    ...v1.clocks,
    publicity: { ...v1.clocks.publicity, basis: `${publicityBasis} — objections are judged on when they were received` },
    'review-publicity': { ...v1.clocks['review-publicity'], basis: art(12, ART12) },
    'second-year-review': {
      label: 'Second-year review of the rating',
      labelZh: '第二年度复核',
      basis: art(12, `${ART12} — from the first anniversary of the effective date to the end of validity; no review by then is the breach`),
      kind: 'legal',
      period: { years: 2 },
      remindWorkingDaysBefore: [10],
    },
  },
  startsOnFiling: [],
  actions: {
    ...v1.actions,
    'issue-nameplate': { ...v1.actions['issue-nameplate'], stops: ['nameplate'] },
    'order-rectification': { ...v1.actions['order-rectification'], starts: ['rectification'] },
    'notify-owners-assembly': { ...v1.actions['notify-owners-assembly'], stops: ['owners-assembly-notice'] },
    revoke: { ...v1.actions.revoke, stops: RATING_PERIODS },
    'declare-recusal': action({
      label: 'Record an evaluator’s declaration on conflicts of interest (a conflict is a recusal)',
      labelZh: '记录评估人员的利害关系声明（存在利害关系的，予以回避）',
      basis: `${art(6, ART6)}; the declaration of no conflict is a local policy`,
      schema: lazy(() => z
          .object({
            evaluator: text(200).meta({ title: '评估人员' }),
            conflict: z.boolean().meta({ title: '与受评物业服务企业存有利害关系' }),
            statement: text(2000).meta({ title: '声明内容' }),
          }).strict()),
      refuse(r, { evaluator, conflict }) {
        const earlier = r.data.declarations.find((d) => d.evaluator === evaluator);
        if (earlier?.conflict) return hit('alreadyDeclared', `evaluator ${evaluator} has recused; a recusal is not withdrawn`, `评估机构 ${evaluator} 已回避；回避不能撤回`);
        if (earlier && !conflict) return hit('alreadyDeclared', `evaluator ${evaluator} has already declared`, `评估机构 ${evaluator} 已作出声明`);
        if (!earlier && r.data.declarations.length >= MAX_DECLARATIONS) return hit('declarationsFull', `at most ${MAX_DECLARATIONS} declarations per case`, `每个案件最多登记${MAX_DECLARATIONS}份声明`);
        return null;
      },
      apply(k, { evaluator, conflict, statement }) {
        if (conflict) return recordRecusal(k, evaluator, statement);
        k.data.declarations.push({ evaluator, conflict, statement, at: k.at });
        k.event('evaluator.declared-no-conflict', { evaluator, conflict, statement, basis: RULES_V2.declarationMissing.basis });
      },
    }),
    recuse: action({
      label: 'Record an evaluator’s application to recuse (回避)',
      labelZh: '记录评估人员申请回避',
      basis: art(6, ART6),
      schema: lazy(() => z.object({ evaluator: text(200).meta({ title: '评估人员' }), statement: text(2000).meta({ title: '回避申请内容' }) }).strict()),
      refuse(r, { evaluator }) {
        const earlier = r.data.declarations.find((d) => d.evaluator === evaluator);
        if (earlier?.conflict) return hit('alreadyDeclared', `evaluator ${evaluator} has already recused`, `评估机构 ${evaluator} 已回避`);
        if (!earlier && r.data.declarations.length >= MAX_DECLARATIONS) return hit('declarationsFull', `at most ${MAX_DECLARATIONS} declarations per case`, `每个案件最多登记${MAX_DECLARATIONS}份声明`);
        return null;
      },
      apply: (k, { evaluator, statement }) => recordRecusal(k, evaluator, statement),
    }),
    publish: {
      ...action({
        ...(v1.actions.publish as never as object),
        refuse(r: R, input: { evaluator?: string }) {
          if (r.c.state !== 'filed' && r.c.state !== 're-evaluation') return hit('outOfSequence', `a score is published only before the rating or at re-evaluation (state ${r.c.state})`, `评分仅在星级评定前或复评时公示（状态 ${r.c.state}）`);
          return evaluatorRefusal(r, input.evaluator);
        },
        apply(k: K, input: never) {
          v1.actions.publish.apply(asV1(k), input);
          k.data.objectionLog = [];
        },
      } as never),
      starts: ['publicity'],
    },
    review: {
      ...action({
        ...(v1.actions.review as never as object),
        basis: `${art(12, ART12)}; ${publicityBasis}`,
        refuse(r: R, input: { evaluator?: string }) {
          if (r.c.state !== 'effective' || !latestOpen(asV1(r), 'second-year-review')) return hit('outOfSequence', `no second-year review is due (state ${r.c.state})`, `当前无需进行第二年度复核（状态 ${r.c.state}）`);
          const effectiveFrom = r.data.rating!.effectiveFrom;
          const secondYear = dateOf(addMonths(dayNumber(effectiveFrom), 12));
          const day = shanghaiDate(r.at);
          if (day < secondYear) return hit('reviewInFirstYear', `the rating took effect on ${effectiveFrom}: its second year, when the review is made, starts on ${secondYear} (review dated ${day})`, `该星级评定于${zhDate(effectiveFrom)}生效：进行复核的第二年度自${zhDate(secondYear)}开始（复核日期为${zhDate(day)}）`);
          return evaluatorRefusal(r, input.evaluator);
        },
        apply(k: K, input: never) {
          v1.actions.review.apply(asV1(k), input);
          k.data.objectionLog = [];
        },
      } as never),
      starts: ['review-publicity'],
      stops: ['second-year-review'],
    },
    'owner-objection': action({
      label: 'Record an owner’s objection received during publicity (dated by occurredAt when entered late)',
      labelZh: '记录业主在公示期内提出的异议（事后补录的，以发生时间为准）',
      basis: publicityBasis,
      schema: lazy(() => z.object({ objection: text(2000).meta({ title: '业主异议内容' }) }).strict()),
      within: 'publicity',
      refuse: (r) => objectionRefusal(r, 'publicity'),
      apply: (k, { objection }) => recordObjection(k, 'publicity', objection),
    }),
    'review-objection': action({
      label: 'Record an owner’s objection received during the review publicity (dated by occurredAt when entered late)',
      labelZh: '记录业主在复核公示期内提出的异议（事后补录的，以发生时间为准）',
      basis: art(12, ART12),
      schema: lazy(() => z.object({ objection: text(2000).meta({ title: '业主异议内容' }) }).strict()),
      within: 'review-publicity',
      refuse: (r) => objectionRefusal(r, 'review-publicity'),
      apply: (k, { objection }) => recordObjection(k, 'review-publicity', objection),
    }),
    'decide-objection': action({
      label: 'Decide an owner’s objection: upheld (re-score, published again) or not upheld (with reasons)',
      labelZh: '处理业主异议：成立的重新评分并再次公示，不成立的说明理由',
      basis: `${publicityBasis}; ${OBJECTION_POLICY}`,
      schema: lazy(() =>
        z
          .object({
            number: z.number().int().min(1).max(MAX_OBJECTIONS).meta({ title: '异议序号' }),
            upheld: z.boolean().meta({ title: '异议成立' }),
            reasons: text(2000).optional().meta({ title: '理由' }),
            score: score().optional().meta({ title: '重新评定分值' }),
            evaluator: text(200).optional().meta({ title: '评估人员' }),
          })
          .strict(),
      ),
      // Upheld: the result is published again (its publicity ends, a held result's periods with it); the last one decided
      // lets the result take effect.
      starts: ['publicity', 'review-publicity', ...EFFECT_STARTS],
      stops: ['publicity', ...RATING_PERIODS],
      refuse(r, { number, upheld, reasons, score: s, evaluator }) {
        const p = r.data.pending;
        const o = r.data.objectionLog.find((x) => x.n === number);
        if (!p || !o || o.publicityKey !== p.publicityKey) return hit('unknownObjection', `no objection ${number} against the result under publicity`, `正在公示的评定结果没有编号为 ${number} 的异议`);
        if (o.status !== 'pending') return hit('unknownObjection', `objection ${number} is already decided (${o.status})`, `异议 ${number} 已处理（${o.status}）`);
        if (!upheld && !reasons) return hit('objectionReasonsRequired', `objection ${number} not upheld: give the reasons`, `异议 ${number} 不成立：请说明理由`);
        if (upheld && s === undefined) return hit('rescoreRequired', `objection ${number} upheld: give the new score, which is published again`, `异议 ${number} 成立：请给出新的评分，新评分将重新公示`);
        return upheld ? evaluatorRefusal(r, evaluator) : null;
      },
      apply(k, { number, upheld, reasons, score: s, evaluator }) {
        const o = k.data.objectionLog.find((x) => x.n === number)!;
        Object.assign(o, { status: upheld ? 'upheld' : 'not-upheld', reasons: reasons ?? null, decidedAt: k.at });
        k.event('publicity.objection-decided', { n: number, upheld, reasons: reasons ?? null, publicityKey: o.publicityKey, basis: OBJECTION_POLICY });
        if (upheld) rescore(k, s!, evaluator);
        else if (k.c.state === 'objections-pending' && !pendingObjections(k).length) concludeObjections(k);
      },
    }),
  },
  steps: {
    rectificationEnded: v1.steps!.rectificationEnded as (k: K) => void,
    publicityEnded: (k) => publicityEnded(k as K),
    reviewEnded: (k) => publicityEnded(k as K),
    ratingExpired(k) {
      const c = k as K;
      c.event('rating.expired', { stars: c.data.rating?.stars ?? null, validUntil: c.data.rating?.validUntil ?? null });
      // A review not made by the end of validity is breached at this instant: it stays on record as overdue.
      c.cancel((d) => RATING_CLOCKS.includes(d.clock) && d.status !== 'overdue' && !(d.kind === 'legal' && d.dueAt !== null && d.dueAt <= c.at));
      c.data.pending = null;
      c.close('expired');
    },
  },
  // A review result taking effect starts and stops nothing; the rating's expiry ends its periods and closes the case,
  // which ends a publicity still running.
  stepClocks: {
    publicityEnded: { starts: EFFECT_STARTS, stops: RATING_PERIODS },
    ratingExpired: { stops: ['publicity', 'nameplate', 'second-year-review', 'review-publicity', 'rectification'] },
  },
  rules: RULES_V2,
  file(k, filing, context) {
    const base = v1.file(asV1(k), filing, context);
    const renewal = context.renewal ?? null;
    if (renewal) {
      k.event('measures.renewal-cited', {
        document: renewal.document,
        issuedAt: renewal.issuedAt,
        validFrom: renewal.validFrom,
        validTo: renewal.validTo,
        basis: `${MEASURES_VALIDITY}; renewed by ${renewal.document}`,
      });
    }
    return {
      ...base,
      objectionLog: [],
      lastEffect: null,
      held: null,
      measures: {
        basis: renewal ? `${MEASURES_VALIDITY}; renewed by ${renewal.document} (${renewal.validFrom} to ${renewal.validTo})` : MEASURES_VALIDITY,
        validTo: renewal ? renewal.validTo : JIANGBEI_LAST_DAY,
        renewal,
      },
    };
  },
});

export type { Scoring };
