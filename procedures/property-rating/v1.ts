import { checkUscc } from '../../src/domain/identifiers';
import type { CaseOps, CaseReader, KernelDeadline, RuleHit } from '../../src/domain/kernel/ops';
import { isoDate, saying, text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { instantMs, toIso } from '../../src/domain/local-date';
import type { Period } from '../../src/domain/periods';
import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../definition';
import { JIANGBEI } from '../regulation';
import { consequencesOf, eligibilityProblem, LEVEL_NAMES, MAX_SCORE, shanghaiDate, Stars, starsFor } from './rating';
import { zhDate } from '../../src/domain/said';

// Jiangbei district measures for the star rating of property services (哈尔滨新区江北一体发展区住宅小区物业服务质量星级评定管理办法(试行), 2022).
// One case per residential compound (小区) served by a property company (物业服务企业): the rating, its publicity,
// the two years it is valid, the second-year review, and the rectification and re-evaluation of a non-compliant result.

const art = (n: number, what: string) => `${JIANGBEI} Art. ${n}: ${what}`;

/** Art. 15: 本办法自2022年7月1日起施行,有效期2年 — in force from 2022-07-01 to 2024-06-30. */
export const JIANGBEI_IN_FORCE = '2022-07-01';
export const JIANGBEI_LAST_DAY = '2024-06-30';
export const MEASURES_VALIDITY = `${JIANGBEI} Art. 15: “本办法自2022年7月1日起施行,有效期2年” (in force 2022-07-01 to 2024-06-30)`;

export const MAX_DECLARATIONS = 20;
export const MAX_OBJECTIONS = 200;
export const MAX_RESULTS = 10;

/** Clocks that belong to one rating in effect: superseded by a re-evaluation, cancelled by revocation or expiry. */
export const RATING_CLOCKS = ['validity', 'nameplate', 'second-year-review', 'review-publicity', 'rectification'];

export type ScoringKind = 'rating' | 're-evaluation' | 'review';

export interface Scoring {
  kind: ScoringKind;
  score: number;
  stars: Stars;
  evaluator: string | null;
  publishedAt: string;
  /** The publicity clock instance (`publicity`, `publicity-2`, `review-publicity`, …). */
  publicityKey: string;
  objections: number;
  /** The first day the result applies (the day after the publicity's last day); null while under publicity. */
  effectiveFrom: string | null;
}

export interface RatingData {
  compound: { name: string; occupiedSince: string; serviceSince: string | null };
  company: { name: string; uscc: string | null } | null;
  /** The third-party evaluator named at filing; a scoring action may name another. */
  evaluator: string | null;
  declarations: { evaluator: string; conflict: boolean; statement: string; at: string }[];
  /** The result under publicity. */
  pending: Scoring | null;
  /** The level in effect. */
  rating: { kind: ScoringKind; score: number; stars: Stars; level: string; effectiveFrom: string; validUntil: string | null } | null;
  /** The latest results that took effect, oldest first (capped). */
  results: Scoring[];
  nameplateIssuedAt: string | null;
  rectification: { orderedAt: string; period: Period; key: string; endedAt: string | null } | null;
  revocation: { at: string; reason: 'major-safety-accident'; findings: string } | null;
}

export interface RatingFiling {
  compound: { name: string; occupiedSince: string; serviceSince?: string };
  company?: { name: string; uscc?: string };
  evaluator?: { name: string };
}

const action = defineAction<RatingData>();

export const RULES = {
  occupiedUnder6Months: {
    id: 'property-rating/occupied-under-6-months',
    basis: art(2, 'a compound occupied for less than 6 months is not rated (进户不足半年的项目不参加评定)'),
  },
  serviceUnder6Months: {
    id: 'property-rating/service-under-6-months',
    basis: art(2, 'after a change of property company, the new company is rated only once it has served the compound for 6 months'),
  },
  conflictedEvaluator: {
    id: 'property-rating/conflicted-evaluator',
    basis: art(6, 'an evaluator with a conflict of interest (利害关系) recuses (回避) and does not score'),
  },
  declarationMissing: {
    id: 'property-rating/declaration-missing',
    basis: 'local policy (not in the measures; Art. 6 requires only that an evaluator with a conflict apply to recuse): scoring requires the evaluator’s declaration that no conflict of interest exists',
  },
  alreadyDeclared: {
    id: 'property-rating/already-declared',
    basis: art(6, 'each evaluator declares once; a declared conflict cannot be withdrawn by a second declaration'),
  },
  declarationsFull: {
    id: 'property-rating/declarations-full',
    basis: `${art(6, 'recusal declarations')} — at most ${MAX_DECLARATIONS} evaluators per case (bounded case)`,
  },
  objectionsFull: {
    id: 'property-rating/objections-full',
    basis: `${art(9, 'owners’ objections during publicity')} — at most ${MAX_OBJECTIONS} recorded per publicity (bounded case)`,
  },
  outOfSequence: {
    id: 'property-rating/out-of-sequence',
    basis: `${JIANGBEI} Art. 9–13: scoring, publicity, effect, nameplate, review, rectification and re-evaluation follow in order`,
  },
} as const;
type RuleKey = keyof typeof RULES;
const hit = (rule: RuleKey, message: string, messageZh: string): RuleHit<RuleKey> => ({ rule, message, messageZh });

const ANY_STATE = ['declare-recusal', 'owner-objection', 'issue-nameplate', 'review-objection'] as const;
export const score = () => z.number().min(0).max(MAX_SCORE).meta({ title: '评定分值' });
export const objection = () => z.object({ objection: text(2000).meta({ title: '业主异议内容' }) }).strict();
/** The rectification period the order states (Art. 13: 限期改正). */
export const rectificationPeriod = () =>
  z
    .union([
      z.object({ days: z.number().int().min(1).max(365).meta({ title: '日数' }) }).strict().meta({ title: '按日计' }),
      z.object({ workingDays: z.number().int().min(1).max(250).meta({ title: '工作日数' }) }).strict().meta({ title: '按工作日计' }),
      z.object({ months: z.number().int().min(1).max(12).meta({ title: '月数' }) }).strict().meta({ title: '按月计' }),
    ])
    .meta({ title: '整改期限' });

/** The latest instance of a clock (instances are `clock`, `clock-2`, …). */
export function latest(r: CaseReader<RatingData>, clock: string): KernelDeadline | undefined {
  return r.c.deadlines.filter((d) => d.clock === clock).at(-1);
}
export const latestOpen = (r: CaseReader<RatingData>, clock: string) => {
  const d = latest(r, clock);
  return d && r.isOpen(d.key) ? d : undefined;
};
export function instanceKey(k: CaseReader<RatingData>, clock: string): string {
  const n = k.c.deadlines.filter((d) => d.clock === clock).length;
  return n === 0 ? clock : `${clock}-${n + 1}`;
}

/** Art. 6: the evaluator who scores must have declared no conflict; without a name, some evaluator must have. */
function evaluatorRefusal(r: CaseReader<RatingData>, named: string | undefined): RuleHit<RuleKey> | null {
  const evaluator = named ?? r.data.evaluator;
  if (evaluator) {
    const declaration = r.data.declarations.find((d) => d.evaluator === evaluator);
    if (declaration?.conflict) return hit('conflictedEvaluator', `evaluator ${evaluator} declared a conflict of interest and must recuse`, `评估机构 ${evaluator} 已声明存在利害关系，应当回避`);
    if (!declaration) return hit('declarationMissing', `evaluator ${evaluator} has not declared the absence of a conflict of interest`, `评估机构 ${evaluator} 尚未声明不存在利害关系`);
    return null;
  }
  return r.data.declarations.some((d) => !d.conflict)
    ? null
    : hit('declarationMissing', 'no evaluator has declared the absence of a conflict of interest', '尚无评估机构声明不存在利害关系');
}

/** The publicity ends at 24:00 on its last day; the periods that run "from the end of publicity" start that day. */
export function publicityLastDayInstant(k: CaseOps<RatingData>): string {
  return toIso(instantMs(k.at) - 1);
}

export function cancelRatingClocks(k: CaseOps<RatingData>): void {
  // A breach already recorded (an overdue legal clock) keeps its status.
  k.cancel((d) => RATING_CLOCKS.includes(d.clock) && d.status !== 'overdue');
}

export function keepResult(k: CaseOps<RatingData>, result: Scoring): void {
  k.data.results.push(result);
  if (k.data.results.length > MAX_RESULTS) k.data.results.shift();
}

export function recordConsequences(k: CaseOps<RatingData>, stars: Stars): void {
  k.event('rating.consequences', { stars, level: LEVEL_NAMES[stars].en, levelZh: LEVEL_NAMES[stars].zh, ...consequencesOf(stars), basis: art(13, 'consequences by level') });
}

/** Art. 10: when a rating or re-evaluation publicity ends without change, the result takes effect. */
export function ratingTakesEffect(k: CaseOps<RatingData>): void {
  const p = k.data.pending!;
  k.data.pending = null;
  const lastDay = publicityLastDayInstant(k);
  const effectiveFrom = shanghaiDate(k.at);
  cancelRatingClocks(k);
  k.data.nameplateIssuedAt = null;
  k.data.rectification = null;
  keepResult(k, { ...p, effectiveFrom });
  k.data.rating = { kind: p.kind, score: p.score, stars: p.stars, level: LEVEL_NAMES[p.stars].en, effectiveFrom, validUntil: null };
  k.event('rating.effective', { kind: p.kind, score: p.score, stars: p.stars, level: LEVEL_NAMES[p.stars].en, effectiveFrom, objections: p.objections });
  recordConsequences(k, p.stars);
  if (p.stars >= 1) {
    const startEvent = 'publicity ended (rating effective)';
    const validity = k.start('validity', { key: instanceKey(k, 'validity'), startAt: lastDay, startEvent });
    k.start('nameplate', { key: instanceKey(k, 'nameplate'), startAt: lastDay, startEvent });
    k.start('second-year-review', { key: instanceKey(k, 'second-year-review'), startAt: lastDay, startEvent });
    k.data.rating.validUntil = validity.dueDate;
    k.setState('effective');
  } else if (p.kind === 're-evaluation') {
    // Art. 13: non-compliant again after rectification: the street office tells the owners' assembly it may re-select.
    k.start('owners-assembly-notice', { startAt: lastDay, startEvent: 're-evaluation non-compliant again' });
    k.event('owners-assembly.notice-due', { basis: art(13, 'non-compliant again after re-evaluation') });
    k.setState('owners-assembly-notice');
  } else {
    k.setState('non-compliant');
  }
}

/** Art. 12: the review result takes effect at the end of its publicity; a different level replaces the one in effect. */
export function reviewTakesEffect(k: CaseOps<RatingData>): void {
  const p = k.data.pending!;
  k.data.pending = null;
  const rating = k.data.rating!;
  const effectiveFrom = shanghaiDate(k.at);
  keepResult(k, { ...p, effectiveFrom });
  const before = rating.stars;
  k.event('rating.review-effective', { score: p.score, stars: p.stars, level: LEVEL_NAMES[p.stars].en, effectiveFrom, objections: p.objections });
  k.data.rating = { ...rating, kind: 'review', score: p.score, stars: p.stars, level: LEVEL_NAMES[p.stars].en };
  if (before !== p.stars) {
    k.event('rating.level-changed', { from: before, to: p.stars, fromLevel: LEVEL_NAMES[before].en, toLevel: LEVEL_NAMES[p.stars].en, effectiveFrom });
    recordConsequences(k, p.stars);
  }
  k.setState(p.stars === 0 ? 'non-compliant' : 'effective');
}

export const publicityLabel = { label: 'Publicity of the rating result', labelZh: '评定结果公示' };

export const propertyRatingV1 = defineProcedure<RatingData, RatingFiling>()({
  procedure: 'property-rating',
  version: 1,
  title: 'Star rating of a residential compound’s property service',
  titleZh: '物业服务质量星级评定',
  basis: [art(2, 'scope and eligibility'), art(5, 'star levels'), art(9, 'publicity'), art(10, 'effect and validity'), art(12, 'second-year review'), art(13, 'consequences'), MEASURES_VALIDITY],
  validFrom: JIANGBEI_IN_FORCE,
  validTo: JIANGBEI_LAST_DAY,
  variants: { standard: { label: 'Star rating of one compound', labelZh: '单个住宅小区的星级评定', basis: art(2, 'per compound (小区) served by a property company') } },
  defaultVariant: 'standard',
  filing: lazy(() => z
    .object({
      compound: z
        .object({
          name: text(200).meta({ title: '小区名称' }),
          occupiedSince: isoDate().meta({ title: '进户日期' }),
          serviceSince: isoDate().optional().meta({ title: '现物业服务企业开始服务日期', 'x-description-zh': '更换物业服务企业的项目填写：物业服务满半年后进行评定（第二条）' }),
        })
        .strict()
        .meta({ title: '住宅小区' }),
      company: z
        .object({
          name: text(200).meta({ title: '企业名称' }),
          uscc: z
            .string()
            .refine((s) => checkUscc(s).ok, saying({ en: 'must be a valid unified social credit code', zh: '须为有效的统一社会信用代码' }))
            .optional()
            .meta({ title: '统一社会信用代码' }),
        })
        .strict()
        .optional()
        .meta({ title: '物业服务企业' }),
      evaluator: z.object({ name: text(200).meta({ title: '名称' }) }).strict().optional().meta({ title: '第三方评估机构' }),
    })
    .strict()),
  clocks: {
    publicity: {
      ...publicityLabel,
      basis: art(9, 'the rating result is published for 7 days (公示期7日) for owners’ objections'),
      kind: 'window',
      period: { days: 7 },
      onDue: 'publicityEnded',
    },
    validity: {
      label: 'Validity of the star rating',
      labelZh: '星级评定结果有效期',
      basis: art(10, 'the rating takes effect when the publicity ends and is valid for two years (有效期两年)'),
      kind: 'expiry',
      period: { years: 2 },
      onDue: 'ratingExpired',
    },
    nameplate: {
      label: 'Issue of the star nameplate',
      labelZh: '颁发星级标牌',
      basis: art(11, 'the nameplate is issued within one month after the publicity ends'),
      kind: 'legal',
      period: { months: 1 },
    },
    'second-year-review': {
      label: 'Second-year review of the rating',
      labelZh: '第二年度复核',
      basis: art(12, 'the rating is reviewed (复核) in its second year, one year after it took effect'),
      kind: 'legal',
      period: { years: 1 },
      remindWorkingDaysBefore: [10],
    },
    'review-publicity': {
      label: 'Publicity of the review result',
      labelZh: '复核结果公示',
      basis: art(12, 'the review result is published for 7 days like the rating (Art. 9)'),
      kind: 'window',
      period: { days: 7 },
      onDue: 'reviewEnded',
    },
    rectification: {
      label: 'Rectification period',
      labelZh: '限期改正',
      basis: art(13, 'one star or non-compliant: ordered to rectify within a period; a non-compliant compound is re-evaluated (复评) when it ends'),
      kind: 'expiry',
      onDue: 'rectificationEnded',
    },
    'owners-assembly-notice': {
      label: 'Notice to the owners’ assembly',
      labelZh: '告知业主大会可另聘物业服务企业',
      basis: art(13, 'non-compliant again after re-evaluation: the street office (街道办事处) notifies the owners’ assembly that it may re-select the property company'),
      kind: 'promised',
      period: { workingDays: 10 },
      policy: 'the measures set no period; the district’s default service promise is 10 working days',
    },
  },
  actions: {
    'declare-recusal': action({
      label: 'Record an evaluator’s declaration on conflicts of interest',
      labelZh: '记录评估人员的利害关系声明',
      basis: art(6, 'evaluators declare conflicts of interest and recuse (回避)'),
      schema: lazy(() => z
          .object({
            evaluator: text(200).meta({ title: '评估人员' }),
            conflict: z.boolean().meta({ title: '与受评物业服务企业存有利害关系' }),
            statement: text(2000).meta({ title: '声明内容' }),
          }).strict()),
      refuse(r, { evaluator }) {
        if (r.data.declarations.some((d) => d.evaluator === evaluator)) return hit('alreadyDeclared', `evaluator ${evaluator} has already declared`, `评估机构 ${evaluator} 已作出声明`);
        if (r.data.declarations.length >= MAX_DECLARATIONS) return hit('declarationsFull', `at most ${MAX_DECLARATIONS} declarations per case`, `每个案件最多登记${MAX_DECLARATIONS}份声明`);
        return null;
      },
      apply(k, { evaluator, conflict, statement }) {
        k.data.declarations.push({ evaluator, conflict, statement, at: k.at });
        k.event(conflict ? 'evaluator.recused' : 'evaluator.declared-no-conflict', { evaluator, conflict, statement });
      },
    }),
    publish: action({
      label: 'Publish the evaluator’s score (rating or re-evaluation)',
      labelZh: '公示评分（星级评定或者复评）',
      basis: `${art(5, 'score 0–110 and star levels')}; ${art(9, 'publicity for 7 days')}`,
      schema: lazy(() => z.object({ score: score(), evaluator: text(200).optional().meta({ title: '评估人员' }) }).strict()),
      refuse(r, { evaluator }) {
        if (r.c.state !== 'filed' && r.c.state !== 're-evaluation') return hit('outOfSequence', `a score is published only before the rating or at re-evaluation (state ${r.c.state})`, `评分仅在星级评定前或复评时公示（状态 ${r.c.state}）`);
        return evaluatorRefusal(r, evaluator);
      },
      apply(k, { score: s, evaluator }) {
        const stars = starsFor(s);
        const kind: ScoringKind = k.c.state === 're-evaluation' ? 're-evaluation' : 'rating';
        const d = k.start('publicity', { key: instanceKey(k, 'publicity'), startEvent: kind === 'rating' ? 'rating published' : 're-evaluation published' });
        k.data.pending = { kind, score: s, stars, evaluator: evaluator ?? k.data.evaluator, publishedAt: k.at, publicityKey: d.key, objections: 0, effectiveFrom: null };
        k.event('rating.published', { kind, score: s, stars, level: LEVEL_NAMES[stars].en, evaluator: evaluator ?? k.data.evaluator, publicityKey: d.key, publicityUntil: d.dueAt });
        k.setState('publicity');
      },
    }),
    'owner-objection': action({
      label: 'Record an owner’s objection during publicity',
      labelZh: '记录业主在公示期内提出的异议',
      basis: art(9, 'owners may object during the 7-day publicity'),
      schema: lazy(() => objection()),
      within: 'publicity',
      refuse: (r) => objectionRefusal(r),
      apply: (k, { objection: o }) => recordObjection(k, o),
    }),
    'issue-nameplate': action({
      label: 'Issue the star nameplate',
      labelZh: '颁发星级标牌',
      basis: art(11, 'nameplate issued within one month after the publicity ends'),
      schema: lazy(() => z.object({}).strict()),
      refuse: (r) => (latestOpen(r, 'nameplate') ? null : hit('outOfSequence', 'no nameplate is due: no star rating awaits its nameplate', '无需颁发铭牌：没有待颁发星级评定铭牌的星级评定')),
      apply(k) {
        k.complete(latest(k, 'nameplate')!.key);
        k.data.nameplateIssuedAt = k.at;
        k.event('rating.nameplate-issued', { stars: k.data.rating?.stars ?? null });
      },
    }),
    review: action({
      label: 'Publish the second-year review score',
      labelZh: '公示第二年度复核评分',
      basis: `${art(12, 'second-year review (复核)')}; ${art(9, 'publicity for 7 days')}`,
      schema: lazy(() => z.object({ score: score(), evaluator: text(200).optional().meta({ title: '评估人员' }) }).strict()),
      refuse(r, { evaluator }) {
        if (r.c.state !== 'effective' || !latestOpen(r, 'second-year-review')) return hit('outOfSequence', `no second-year review is due (state ${r.c.state})`, `当前无需进行第二年度复核（状态 ${r.c.state}）`);
        return evaluatorRefusal(r, evaluator);
      },
      apply(k, { score: s, evaluator }) {
        const stars = starsFor(s);
        k.complete(latest(k, 'second-year-review')!.key);
        const d = k.start('review-publicity', { key: instanceKey(k, 'review-publicity'), startEvent: 'review published' });
        k.data.pending = { kind: 'review', score: s, stars, evaluator: evaluator ?? k.data.evaluator, publishedAt: k.at, publicityKey: d.key, objections: 0, effectiveFrom: null };
        k.event('rating.review-published', { score: s, stars, level: LEVEL_NAMES[stars].en, evaluator: evaluator ?? k.data.evaluator, publicityKey: d.key, publicityUntil: d.dueAt });
        k.setState('review-publicity');
      },
    }),
    'review-objection': action({
      label: 'Record an owner’s objection during the review publicity',
      labelZh: '记录业主在复核公示期内提出的异议',
      basis: art(12, 'the review result is published like the rating; owners may object'),
      schema: lazy(() => objection()),
      within: 'review-publicity',
      refuse: (r) => objectionRefusal(r),
      apply: (k, { objection: o }) => recordObjection(k, o),
    }),
    'order-rectification': action({
      label: 'Order the property company to rectify within a period',
      labelZh: '责令物业服务企业限期改正',
      basis: art(13, 'one star or non-compliant: order to rectify within a period (限期改正)'),
      schema: lazy(() => z.object({ period: rectificationPeriod() }).strict()),
      refuse(r) {
        const rating = r.data.rating;
        const ok = rating && rating.stars <= 1 && (r.c.state === 'non-compliant' || r.c.state === 'effective') && !latestOpen(r, 'rectification');
        return ok ? null : hit('outOfSequence', 'a rectification is ordered only for a one-star or non-compliant rating in effect, once at a time', '仅对已生效的一星级或不达标评定结果责令整改，且同一时间只能有一项整改');
      },
      apply(k, { period }) {
        const d = k.start('rectification', { key: instanceKey(k, 'rectification'), period: period as Period, startEvent: 'rectification ordered' });
        k.data.rectification = { orderedAt: k.at, period: period as Period, key: d.key, endedAt: null };
        k.event('rectification.ordered', { period, until: d.dueAt, lastDay: d.dueDate, reEvaluation: k.c.state === 'non-compliant' });
        if (k.c.state === 'non-compliant') k.setState('rectification');
      },
    }),
    'notify-owners-assembly': action({
      label: 'Record the street office’s notice to the owners’ assembly',
      labelZh: '记录街道办事处向业主大会发布的提示信息',
      basis: art(13, 'non-compliant again: the owners’ assembly is told it may re-select the property company'),
      schema: lazy(() => z.object({}).strict()),
      refuse: (r) => (r.c.state === 'owners-assembly-notice' ? null : hit('outOfSequence', 'the owners’ assembly is notified only after a second non-compliant result', '仅在第二次评定结果仍不达标后，才通知业主大会')),
      apply(k) {
        k.complete('owners-assembly-notice');
        k.event('owners-assembly.notified', { mayReselectCompany: true, company: k.data.company?.name ?? null });
        k.close('owners-assembly-notified');
      },
    }),
    revoke: action({
      label: 'Revoke the star rating',
      labelZh: '撤销星级评定结果',
      basis: art(10, 'a rating in effect is revoked (撤销) after a major safety accident (重大安全责任事故)'),
      schema: lazy(() => z
          .object({
            reason: z.literal('major-safety-accident').meta({ title: '撤销事由', 'x-enum-labels-zh': { 'major-safety-accident': '发生重大安全责任事故，物业服务企业承担主要责任' } }),
            findings: text(2000).meta({ title: '政府相关职能部门的认定情况' }),
          }).strict()),
      refuse(r) {
        const ok = (r.c.state === 'effective' || r.c.state === 'review-publicity') && (r.data.rating?.stars ?? 0) >= 1;
        return ok ? null : hit('outOfSequence', `only a star rating in effect can be revoked (state ${r.c.state})`, `只有已生效的星级评定才能撤销（状态 ${r.c.state}）`);
      },
      apply(k, { reason, findings }) {
        cancelRatingClocks(k);
        k.data.pending = null;
        k.data.revocation = { at: k.at, reason, findings };
        k.event('rating.revoked', { reason, findings, stars: k.data.rating?.stars ?? null });
        k.close('revoked');
      },
    }),
  },
  steps: {
    publicityEnded: ratingTakesEffect,
    reviewEnded: reviewTakesEffect,
    rectificationEnded(k) {
      if (k.data.rectification) k.data.rectification.endedAt = k.at;
      k.event('rectification.period-ended', { key: k.data.rectification?.key ?? null });
      if (k.c.state === 'rectification') {
        // Art. 13: a non-compliant compound is re-evaluated (复评) when the rectification period ends.
        k.event('re-evaluation.due', { basis: art(13, 're-evaluation after rectification') });
        k.setState('re-evaluation');
      }
    },
    ratingExpired(k) {
      k.event('rating.expired', { stars: k.data.rating?.stars ?? null, validUntil: k.data.rating?.validUntil ?? null });
      cancelRatingClocks(k);
      k.data.pending = null;
      k.close('expired');
    },
  },
  // Declarations, the nameplate and the objections of a publicity are judged by their own rules in every state (the
  // nameplate clock and the publicity windows decide), as version 1 was published.
  states: {
    filed: { label: 'Filed, awaiting the score', labelZh: '待评定', actions: [...ANY_STATE, 'publish'] },
    publicity: { label: 'Result under publicity', labelZh: '公示中', actions: ANY_STATE },
    effective: { label: 'Rating in effect', labelZh: '星级有效', actions: [...ANY_STATE, 'review', 'order-rectification', 'revoke'] },
    'review-publicity': { label: 'Second-year review under publicity', labelZh: '复核公示中', actions: [...ANY_STATE, 'revoke'] },
    'non-compliant': { label: 'Non-compliant', labelZh: '不达标', actions: [...ANY_STATE, 'order-rectification'] },
    rectification: { label: 'Rectifying before re-evaluation', labelZh: '整改中', actions: ANY_STATE },
    're-evaluation': { label: 'Re-evaluation', labelZh: '复评', actions: [...ANY_STATE, 'publish'] },
    'owners-assembly-notice': { label: 'Non-compliant again: notify the owners’ assembly', labelZh: '再次不达标', actions: [...ANY_STATE, 'notify-owners-assembly'] },
  },
  rules: RULES,
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: `${JIANGBEI} sets fixed periods (publicity, nameplate, review) and provides for no extension` },
  eligibility({ filing, receivedAt }) {
    const problem = eligibilityProblem(filing.compound, shanghaiDate(receivedAt));
    if (!problem) return null;
    return problem.reason === 'occupied'
      ? hit('occupiedUnder6Months', `the compound was occupied on ${filing.compound.occupiedSince}: it can be rated from ${problem.eligibleFrom}`, `该小区于${zhDate(filing.compound.occupiedSince)}进户：自${zhDate(problem.eligibleFrom)}起方可参加评定`)
      : hit('serviceUnder6Months', `the property company has served since ${filing.compound.serviceSince}: it can be rated from ${problem.eligibleFrom}`, `该物业服务企业自${zhDate(String(filing.compound.serviceSince))}起提供服务：自${zhDate(problem.eligibleFrom)}起方可参加评定`);
  },
  initialState: 'filed',
  file(k, filing) {
    // No period runs before the evaluator scores: the measures set none.
    return {
      compound: { name: filing.compound.name, occupiedSince: filing.compound.occupiedSince, serviceSince: filing.compound.serviceSince ?? null },
      company: filing.company ? { name: filing.company.name, uscc: filing.company.uscc ?? null } : null,
      evaluator: filing.evaluator?.name ?? null,
      declarations: [],
      pending: null,
      rating: null,
      results: [],
      nameplateIssuedAt: null,
      rectification: null,
      revocation: null,
    };
  },
});

function objectionRefusal(r: CaseReader<RatingData>): RuleHit<RuleKey> | null {
  // A timely objection entered after its publicity ended (the kernel judges windows by occurredAt) finds no result
  // under publicity in a v1 case: v1 has no way to reopen a result in effect, so it stays refused as before.
  if (!r.data.pending) return hit('outOfSequence', 'no result is under publicity any more: the publicity this objection was made in has ended', '已无处于公示期的评定结果：提出该异议时的公示期已结束');
  return (r.data.pending?.objections ?? 0) >= MAX_OBJECTIONS ? hit('objectionsFull', `at most ${MAX_OBJECTIONS} objections are recorded per publicity`, `每次公示最多登记${MAX_OBJECTIONS}件异议`) : null;
}

function recordObjection(k: CaseOps<RatingData>, text: string): void {
  const p = k.data.pending!;
  p.objections += 1;
  k.event('publicity.objection', { objection: text, publicityKey: p.publicityKey, kind: p.kind });
}
