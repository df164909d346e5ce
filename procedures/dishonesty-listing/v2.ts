import type { Period } from '../../src/domain/periods';
import { text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { defineAction, defineProcedure } from '../definition';
import { REGULATION } from '../regulation';
import { dishonestyListingV1, endListingReceiver, ListingData, ListingFiling } from './v1';
import { atBeijing } from '../../src/domain/said';

// Version 2, after the second legal review: the written decision states all five things Art. 28 ¶2 lists, the
// listing period cites the rule that sets it (the regulation sets none), telling the subject is a recorded step, and
// the listed subject's statements and defence are recorded (Art. 35 ¶2). Cases filed under version 1 keep version 1.

const ART_28_2 = `${REGULATION} Art. 28 ¶2: 认定为严重失信主体的,应当作出书面决定,并告知其相应的理由、依据、期限、移出条件和救济途径`;

/** Used when the unit does not word the remedies itself: Chinese, as the decision is. */
export const DEFAULT_REMEDIES_ZH =
  '信用主体对认定有异议的,可以依照《黑龙江省社会信用条例》第三十五条向认定单位提出异议申请,也可以依法申请行政复议或者提起行政诉讼。';

export const NO_ROLL_FORWARD =
  'a listing period only ends a burden on the subject: its end is not moved past a rest day (Civil Code Art. 203 protects whoever must act within a period; no one acts here), decision 0012';

export interface ListingDataV2 extends ListingData {
  periodBasis: string | null;
  subjectNotified: { at: string; evidenceRef: string; channel: string | null } | null;
  statements: { at: string; kind: 'statement' | 'defence'; text: string }[];
}

const action = defineAction<ListingDataV2>();

export const dishonestyListingV2 = defineProcedure<ListingDataV2, ListingFiling>()({
  ...dishonestyListingV1,
  version: 2,
  clocks: {
    'listing-period': {
      ...dishonestyListingV1.clocks['listing-period'],
      basis: `${ART_28_2}; the period is the one the decision states, under the rule it cites (the regulation sets no range)`,
      noRestDayRoll: NO_ROLL_FORWARD,
    },
  },
  actions: {
    ...dishonestyListingV1.actions,
    remove: { ...dishonestyListingV1.actions.remove, stops: ['listing-period'] },
    decide: action({
      label: 'Decide in writing to list the subject',
      labelZh: '作出列入严重失信主体名单的书面决定',
      basis: ART_28_2,
      schema: lazy(() => z
        .object({
          period: z
            .union([
              z.object({ years: z.number().int().min(1).max(100).meta({ title: '年数' }) }).strict().meta({ title: '按年计' }),
              z.object({ months: z.number().int().min(1).max(1200).meta({ title: '月数' }) }).strict().meta({ title: '按月计' }),
            ])
            .meta({ title: '期限' }),
          // The national rule or local policy that sets this period (Art. 28 ¶1 leaves the standards to them); absent,
          // the decision's basis is taken to set it.
          periodBasis: text().optional().meta({ title: '期限的依据' }),
          reasons: text().meta({ title: '理由' }),
          basis: text().meta({ title: '依据' }),
          removalConditions: text().meta({ title: '移出条件' }),
          remedies: text().optional().meta({ title: '救济途径' }),
        })
        .strict()),
      starts: ['listing-period'],
      refuse: (r) => (r.data.decision || r.data.notListed ? { rule: 'alreadyDecided', message: 'the listing unit has already decided this case', messageZh: '认定单位已就本案作出决定' } : null),
      apply(k, { period, periodBasis, reasons, basis, removalConditions, remedies }) {
        const d = k.start('listing-period', { period: period as Period, startEvent: 'listing decision' });
        const remediesText = remedies ?? DEFAULT_REMEDIES_ZH;
        k.data.decision = { at: k.at, period, until: d.dueAt, reasons, basis, removalConditions, remedies: remediesText };
        k.data.periodBasis = periodBasis ?? basis;
        k.credit('listed', { reasons, basis, period, periodBasis: k.data.periodBasis }, d.dueAt);
        k.event('listing.decided', { written: true, period, periodBasis: k.data.periodBasis, until: d.dueAt, lastDay: d.dueDate, reasons, basis, removalConditions, remedies: remediesText });
        k.setState('listed');
      },
    }),
    'notify-subject': action({
      label: 'Tell the subject of the written decision',
      labelZh: '将书面决定告知信用主体',
      basis: `${ART_28_2} (告知)`,
      schema: lazy(() => z.object({ channel: text(100).optional().meta({ title: '告知方式' }) }).strict()),
      refuse(r) {
        if (r.data.subjectNotified) return { rule: 'alreadyTold', message: `the subject was told at ${atBeijing(r.data.subjectNotified.at).en}`, messageZh: `已于${atBeijing(r.data.subjectNotified.at).zh}告知信用主体` };
        return r.evidenceRef ? null : { rule: 'evidenceRequired', message: 'attach the evidence of service of the decision (evidenceRef)', messageZh: '请附上决定书送达的证明材料（evidenceRef）' };
      },
      apply(k, { channel }) {
        k.data.subjectNotified = { at: k.at, evidenceRef: k.evidenceRef!, channel: channel ?? null };
        k.event('listing.subject-notified', { channel: channel ?? null });
      },
    }),
    'record-statement': action({
      label: "Record the subject's statement or defence",
      labelZh: '记录信用主体的陈述、申辩',
      basis: `${REGULATION} Art. 35 ¶2: 被列入严重失信主体名单的信用主体,享有陈述权和申辩权`,
      schema: lazy(() => z.object({ kind: z.enum(['statement', 'defence']).meta({ title: '类别', 'x-enum-labels-zh': { statement: '陈述', defence: '申辩' } }), text: text().meta({ title: '陈述、申辩内容' }) }).strict()),
      apply(k, input) {
        k.data.statements.push({ at: k.at, kind: input.kind, text: input.text });
        k.event(`subject.${input.kind}`, { kind: input.kind }, input.text);
      },
    }),
  },
  states: {
    'under-review': { label: 'Under review', labelZh: '认定审查中', actions: ['decide', 'not-listed', 'record-statement'], next: { decide: ['listed'], 'not-listed': ['closed'] } },
    listed: { label: 'Listed', labelZh: '已列入名单', actions: ['notify-subject', 'record-statement', 'remove'], next: { remove: ['closed'] } },
  },
  receives: { 'end-listing': endListingReceiver as never },
  rules: {
    ...dishonestyListingV1.rules,
    alreadyTold: { id: 'dishonesty-listing/already-told', basis: `${ART_28_2}; local policy: telling the subject is recorded once (a further service is a note)` },
    evidenceRequired: { id: 'dishonesty-listing/evidence-required', basis: `${ART_28_2}; local policy: telling the subject is recorded with its evidence (the service of the written decision)` },
  },
  // No clock before the decision (Art. 28 sets none); the period's end (listingEnded) and an incoming end-listing effect
  // start and stop nothing else.
  startsOnFiling: [],
  file(_k, filing) {
    return { conduct: filing.conduct ?? null, decision: null, notListed: null, removal: null, periodBasis: null, subjectNotified: null, statements: [] };
  },
});
