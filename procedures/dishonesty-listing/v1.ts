import type { Period } from '../../src/domain/periods';
import { text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { DEFAULT_ESCALATION, defineAction, defineProcedure, type EffectReceiver } from '../definition';
import { REGULATION, REGULATION_IN_FORCE } from '../regulation';

/** Art. 28: the written listing decision (严重失信主体名单认定书面决定). */
const ART_28 = `${REGULATION} Art. 28`;

/** Art. 28: the decision tells the subject how to contest it. Used when the unit does not word the remedies itself. */
export const DEFAULT_REMEDIES =
  `The subject may object to the listing unit under ${REGULATION} Art. 35 (异议), ` +
  'or apply for administrative reconsideration (行政复议) or bring an administrative lawsuit (行政诉讼) according to law.';

/** Art. 28 sets no time limit for the listing decision itself: no clock runs between filing and decision. */
export const NO_DECISION_PERIOD = `${ART_28} sets no period for the listing decision: no clock runs before the unit decides`;

export type ListingPeriod = { years: number } | { months: number };
export type RemovalGround = 'objection-upheld' | 'repair' | 'revoked';

export interface ListingData {
  /** Art. 35 ¶2: the listed subject's statements and defence (陈述申辩), as recorded (absent on cases filed before v2). */
  statements?: { at: string; kind: 'statement' | 'defence'; text: string }[];
  /** The dishonest conduct as filed; null when the filing did not describe it (the decision's reasons then state it). */
  conduct: string | null;
  decision: {
    at: string;
    period: ListingPeriod;
    until: string | null;
    reasons: string;
    basis: string;
    removalConditions: string | null;
    remedies: string;
  } | null;
  notListed: { at: string; reasons: string } | null;
  removal: { at: string; reasons: string; ground: RemovalGround; byCaseId?: string } | null;
}

/**
 * An upheld Art. 35 objection or an approved repair naming this listing ends it here, in the listing case itself, so the
 * listing case and the subject's credit status never disagree. Added to every version: an old listing must end too.
 */
export const endListingReceiver: EffectReceiver<ListingData> = {
  refuse: (r) => (!r.data.decision ? 'the subject is not listed by this case' : null),
  apply(k, { effect, fromCaseId, fromProcedure }) {
    const ground: RemovalGround = effect.ground === 'repair' ? 'repair' : 'objection-upheld';
    k.cancel((d) => d.clock === 'listing-period');
    k.data.removal = { at: k.at, reasons: effect.reasons, ground, byCaseId: fromCaseId };
    k.credit('listing-ended', { listingCaseId: k.c.caseId, reason: ground, byCaseId: fromCaseId, reasons: effect.reasons });
    k.event('listing.removed', { ground, reasons: effect.reasons, byCaseId: fromCaseId, byProcedure: fromProcedure, plannedUntil: k.data.decision?.until ?? null });
    k.close(ground === 'repair' ? 'repaired' : 'removed');
  },
};

export interface ListingFiling {
  conduct?: string;
}

const action = defineAction<ListingData>();

/** Art. 28: the listing period is stated in the decision; within the regulation's range (at most five years). */
const period = () =>
  z
    .union([
      z.object({ years: z.number().int().min(1).max(5).meta({ title: '年数' }) }).strict().meta({ title: '按年计' }),
      z.object({ months: z.number().int().min(1).max(60).meta({ title: '月数' }) }).strict().meta({ title: '按月计' }),
    ])
    .meta({ title: '期限' });

export const dishonestyListingV1 = defineProcedure<ListingData, ListingFiling>()({
  procedure: 'dishonesty-listing',
  version: 1,
  title: 'Listing as a seriously dishonest subject',
  titleZh: '严重失信主体名单认定',
  basis: [ART_28, NO_DECISION_PERIOD, `${REGULATION} Art. 35 (objection to a listing)`],
  validFrom: REGULATION_IN_FORCE,
  variants: { standard: { label: 'Serious-dishonesty listing', labelZh: '严重失信主体名单认定', basis: ART_28 } },
  defaultVariant: 'standard',
  filing: lazy(() => z.object({ conduct: text().optional().meta({ title: '严重失信行为' }) }).strict()),
  clocks: {
    'listing-period': {
      label: 'Listing period',
      labelZh: '严重失信主体名单有效期',
      basis: `${ART_28}: the written decision states the listing period (期限); the listing ends when it runs out`,
      kind: 'expiry',
      onDue: 'listingEnded',
    },
  },
  actions: {
    decide: action({
      label: 'Decide in writing to list the subject',
      labelZh: '作出列入严重失信主体名单的书面决定',
      basis: `${ART_28}: written decision (书面决定) stating reasons, basis, listing period, removal conditions and remedies`,
      schema: lazy(() => z
        .object({
          period: period(),
          reasons: text().meta({ title: '理由' }),
          basis: text().meta({ title: '依据' }),
          removalConditions: text().optional().meta({ title: '移出条件' }),
          remedies: text().optional().meta({ title: '救济途径' }),
        })
        .strict()),
      refuse: (r) => (r.data.decision || r.data.notListed ? { rule: 'alreadyDecided', message: 'the listing unit has already decided this case', messageZh: '认定单位已就本案作出决定' } : null),
      apply(k, { period: p, reasons, basis, removalConditions, remedies }) {
        const d = k.start('listing-period', { period: p as Period, startEvent: 'listing decision' });
        k.data.decision = { at: k.at, period: p, until: d.dueAt, reasons, basis, removalConditions: removalConditions ?? null, remedies: remedies ?? DEFAULT_REMEDIES };
        k.credit('listed', { reasons, basis, period: p }, d.dueAt);
        k.event('listing.decided', {
          written: true,
          period: p,
          until: d.dueAt,
          lastDay: d.dueDate,
          reasons,
          basis,
          removalConditions: removalConditions ?? null,
          remedies: remedies ?? DEFAULT_REMEDIES,
        });
        k.setState('listed');
      },
    }),
    'not-listed': action({
      label: 'Decide not to list the subject',
      labelZh: '决定不予认定为严重失信主体',
      basis: ART_28,
      schema: lazy(() => z.object({ reasons: text().meta({ title: '不予认定的理由' }) }).strict()),
      refuse: (r) => (r.data.decision ? { rule: 'alreadyDecided', message: 'the subject is already listed by this case', messageZh: '本案已将该信用主体列入严重失信主体名单' } : null),
      apply(k, { reasons }) {
        k.data.notListed = { at: k.at, reasons };
        k.event('listing.not-listed', { reasons });
        k.close('not-listed');
      },
    }),
    remove: action({
      label: 'Remove the subject from the list before the period ends',
      labelZh: '在有效期届满前移出严重失信主体名单',
      basis: `${ART_28} (removal conditions); ${REGULATION} Art. 35 (objection upheld); Art. 40 and Art. 45 (credit repair)`,
      schema: lazy(() => z.object({
          reasons: text().meta({ title: '理由' }),
          ground: z.enum(['objection-upheld', 'repair', 'revoked']).meta({ title: '移出事由', 'x-enum-labels-zh': { 'objection-upheld': '异议决定采纳', repair: '信用修复', revoked: '认定依据被撤销、确认违法、确认无效' } }),
        }).strict()),
      refuse: (r) => (!r.data.decision ? { rule: 'notListed', message: 'the subject is not listed by this case', messageZh: '本案未将该信用主体列入严重失信主体名单' } : null),
      apply(k, { reasons, ground }) {
        k.cancel((d) => d.clock === 'listing-period');
        k.data.removal = { at: k.at, reasons, ground };
        k.credit('listing-ended', { listingCaseId: k.c.caseId, reason: ground, reasons });
        k.event('listing.removed', { ground, reasons, plannedUntil: k.data.decision?.until ?? null });
        k.close('removed');
      },
    }),
  },
  steps: {
    listingEnded(k) {
      k.credit('listing-ended', { listingCaseId: k.c.caseId, reason: 'period ended' });
      k.event('listing.ended', { reason: 'period ended', period: k.data.decision?.period ?? null });
      k.close('period-ended');
    },
  },
  receives: { 'end-listing': endListingReceiver },
  states: {
    'under-review': { label: 'Under review', labelZh: '认定审查中', actions: ['decide', 'not-listed'] },
    listed: { label: 'Listed', labelZh: '已列入名单', actions: ['remove'] },
  },
  rules: {
    alreadyDecided: { id: 'dishonesty-listing/already-decided', basis: `${ART_28}: the listing unit decides a case once; a change is an objection (Art. 35) or a removal` },
    notListed: { id: 'dishonesty-listing/not-listed', basis: `${ART_28}: only a subject listed by a decision can be removed from the list` },
  },
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: `${ART_28}: the listing period is the one stated in the decision; the regulation provides no extension` },
  initialState: 'under-review',
  file(_k, filing) {
    // No clock starts at filing: NO_DECISION_PERIOD.
    return { conduct: filing.conduct ?? null, decision: null, notListed: null, removal: null };
  },
});
