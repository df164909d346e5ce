import type { ZodType } from 'zod';
import { defineAction, defineProcedure } from '../definition';
import { REGULATION } from '../regulation';
import { text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { OBJECTION_GROUNDS, ObjectionData, objectionGround, objectionReviewV2 } from './v2';
import { untilBeijing } from '../../src/domain/said';

// Version 3, after the second legal review: an Art. 35 objection names the listing it objects to and, upheld, ends
// that listing entry; the listed subject's statements and defence are recorded; a referral ends the 1- and 3-day
// clocks as not applicable; a filing states its grounds and reasons. Cases filed under version 2 keep version 2.

const ART_35_UPHELD = '决定采纳的,认定单位应当将其移出严重失信主体名单,有关部门应当终止实施失信惩戒措施';

export interface ObjectionDataV3 extends ObjectionData {
  /** The listing case an Art. 35 objection objects to (null for an Art. 39 objection). */
  listingCaseId: string | null;
  /** Art. 35 ¶2: 陈述权和申辩权. */
  statements: { at: string; kind: 'statement' | 'defence'; text: string }[];
}

export interface ObjectionFilingV3 {
  grounds: (typeof OBJECTION_GROUNDS)[number][];
  reasons: string;
  listingCaseId?: string;
}

const action = defineAction<ObjectionDataV3>();
interface DecideInput {
  outcome: 'upheld' | 'rejected';
  reasons?: string;
  downstreamSystems?: string[];
  departments?: string[];
}
const v2 = objectionReviewV2.actions;

export const objectionReviewV3 = defineProcedure<ObjectionDataV3, ObjectionFilingV3>()({
  ...objectionReviewV2,
  version: 3,
  basis: [`${REGULATION} Art. 39`, `${REGULATION} Art. 35 ¶2`, `${REGULATION} Art. 55 (in force 2022-07-01)`],
  filing: lazy(() => z
    .object({
      // Art. 39 ¶1: 书面提出异议申请,并说明理由.
      grounds: z.array(objectionGround()).min(1).max(4).meta({ title: '异议理由' }),
      reasons: text().meta({ title: '异议申请理由说明' }),
      listingCaseId: z.uuid().optional().meta({ title: '所异议的列入严重失信主体名单案件', 'x-description-zh': '依第三十五条提出异议时填写：列入严重失信主体名单的案件编号' }),
    })
    .strict()),
  // Only an Art. 35 objection names a listing to check against the subject's credit status.
  readsCreditStatus: ['serious-dishonesty-list'],
  filingProblem: (filing, variant) =>
    variant === 'serious-dishonesty-list' && !filing.listingCaseId
      ? { field: 'listingCaseId', message: 'listingCaseId is required: an Art. 35 objection names the listing it objects to (the listing case)', messageZh: '须填写 listingCaseId：依第35条提出的异议须写明所异议的列入严重失信主体名单（列入案件）' }
      : null,
  eligibility({ filing, variant, creditStatus }) {
    if (variant !== 'serious-dishonesty-list') {
      return filing.listingCaseId ? { rule: 'listingOnlyOnList', message: 'listingCaseId names the listing of an Art. 35 objection (variant serious-dishonesty-list)', messageZh: 'listingCaseId 仅用于写明依第35条提出异议的列入严重失信主体名单（variant serious-dishonesty-list）' } : null;
    }
    if (!filing.listingCaseId) return { rule: 'namesListing', message: 'listingCaseId is required: an Art. 35 objection names the listing it objects to', messageZh: '须填写 listingCaseId：依第35条提出的异议须写明所异议的列入严重失信主体名单' };
    const listing = creditStatus?.listings.find((l) => l.caseId === filing.listingCaseId);
    if (!listing) return { rule: 'namesListing', message: `listingCaseId ${filing.listingCaseId} is not a listing of this subject`, messageZh: `listingCaseId ${filing.listingCaseId} 不是该信用主体的列入严重失信主体名单案件` };
    if (!listing.active) return { rule: 'namesListing', message: `the listing ${filing.listingCaseId} already ended (${untilBeijing(String(listing.endedAt)).en})`, messageZh: `列入严重失信主体名单（案件 ${filing.listingCaseId}）已于${untilBeijing(String(listing.endedAt)).zh}结束` };
    return null;
  },
  // The filing starts the Art. 39 clocks, or for an objection to a listing the Art. 35 decision clock (key `decision`).
  startsOnFiling: ['mark-disputed', 'decision', 'decision-art35'],
  actions: {
    ...v2,
    'mark-disputed': { ...v2['mark-disputed'], stops: ['mark-disputed'] },
    // A reply or a confirmation also proves a receipt not recorded: it may start the clock it meets.
    'record-notice-receipt': { ...v2['record-notice-receipt'], starts: ['assistance-reply'] },
    'record-assistance-reply': { ...v2['record-assistance-reply'], starts: ['assistance-reply'], stops: ['assistance-reply'] },
    'record-correction-receipt': { ...v2['record-correction-receipt'], starts: ['correction'] },
    'confirm-correction': { ...v2['confirm-correction'], starts: ['correction'], stops: ['correction'] },
    refer: action({
      label: 'Refer to the competent unit',
      labelZh: '转交有权处理的单位',
      basis: `${REGULATION} Art. 39 ¶2: 不属于本单位处理范围的,应当告知信用主体有权处理的单位`,
      schema: lazy(() => z.object({ competentUnit: text(200).meta({ title: '有权处理的单位' }) }).strict()),
      starts: ['referral'],
      stops: ['mark-disputed', 'decision', 'referral'],
      refuse: (r) => (r.c.variant !== 'standard' ? { rule: 'noReferralOnList', message: 'the listing unit itself re-examines an Art. 35 objection', messageZh: '依第35条提出的异议由认定单位自行复核' } : null),
      apply(k, { competentUnit }) {
        k.data.referral = { competentUnit, at: k.at };
        // The 1- and 3-working-day periods bind only objections within the unit's scope: neither met nor breached.
        // The assisted regime replaces the decision clock's period, not its key: `decision` covers both.
        k.notApplicable((d) => d.clock === 'mark-disputed' || d.clock === 'decision', 'referred: not within the unit\'s scope (Art. 39 ¶2 属于本单位处理范围的)');
        k.cancel((d) => d.clock !== 'assistance-reply');
        // The promised referral period is measured when the referral happens: met, or met late (a warning).
        k.start('referral', { startAt: k.c.receivedAt, startEvent: 'objection received' });
        k.complete('referral');
        k.event('case.referred', { competentUnit });
        k.close('referred');
      },
    }),
    'record-statement': action({
      label: "Record the listed subject's statement or defence",
      labelZh: '记录被列入名单的信用主体的陈述、申辩',
      basis: `${REGULATION} Art. 35 ¶2: 被列入严重失信主体名单的信用主体,享有陈述权和申辩权`,
      schema: lazy(() => z.object({ kind: z.enum(['statement', 'defence']).meta({ title: '类别', 'x-enum-labels-zh': { statement: '陈述', defence: '申辩' } }), text: text().meta({ title: '陈述、申辩内容' }) }).strict()),
      refuse: (r) =>
        r.c.variant !== 'serious-dishonesty-list' ? { rule: 'statementsOnList', message: 'statements and defence under Art. 35 ¶2 belong to an objection to a listing', messageZh: '第35条第2款规定的陈述申辩仅适用于对列入严重失信主体名单提出的异议' } : null,
      apply(k, input) {
        k.data.statements.push({ at: k.at, kind: input.kind, text: input.text });
        k.event(`subject.${input.kind}`, { kind: input.kind }, input.text);
      },
    }),
    decide: action({
      label: 'Decide the objection',
      labelZh: '作出异议处理决定',
      basis: `${REGULATION} Art. 39 ¶3, Art. 35 ¶2`,
      schema: v2.decide.schema as unknown as ZodType<DecideInput>,
      involves: (a) => a.departments ?? [],
      stops: ['decision', 'decision-art35', 'mark-disputed'],
      refuse: (r, a) => v2.decide.refuse!(r as never, a as never),
      apply(k, a) {
        k.data.decision = { outcome: a.outcome, reasons: a.reasons ?? null, at: k.at };
        k.complete('decision');
        // An assisting unit's own clock keeps running: its breach counts against it whatever the decision.
        k.cancel((d) => d.clock === 'mark-disputed');
        const listed = k.c.variant === 'serious-dishonesty-list';
        const effects =
          a.outcome === 'rejected'
            ? ['notify the applicant with reasons']
            : listed
              ? ['remove the subject from the listing objected to', 'every department applying a punitive measure ends it', 'notify the applicant']
              : ['correct the record', 'send the correction to every system that received the information', 'notify the applicant'];
        k.event(`decision.${a.outcome}`, { effects, listingCaseId: k.data.listingCaseId, downstreamSystems: a.downstreamSystems ?? [], departments: a.departments ?? [] }, a.reasons);
        if (a.outcome === 'rejected') {
          k.close('rejected');
          return;
        }
        // The listing case removes the entry and records its end; the credit status reads it from there.
        if (listed) k.affect({ kind: 'end-listing', listingCaseId: k.data.listingCaseId!, ground: 'objection-upheld', reasons: a.reasons ?? `objection upheld: ${ART_35_UPHELD}` });
        for (const system of new Set(a.downstreamSystems ?? [])) k.data.corrections.push({ name: system, sentAt: k.at, receivedAt: null, confirmedAt: null });
        for (const dept of new Set(a.departments ?? [])) k.data.measures.push({ name: dept, sentAt: k.at, receivedAt: null, confirmedAt: null });
        k.setState('correcting');
      },
    }),
    'confirm-measure-ended': action({
      ...v2['confirm-measure-ended'],
      basis: `${REGULATION} Art. 35 ¶2: ${ART_35_UPHELD}`,
    }),
  },
  states: {
    received: {
      label: 'Objection received',
      labelZh: '已收到异议申请',
      actions: ['mark-disputed', 'refer', 'request-assistance', 'record-statement', 'decide'],
      next: { 'mark-disputed': ['under-review'], refer: ['closed'], 'request-assistance': ['under-review'], decide: ['correcting', 'closed'] },
    },
    'under-review': {
      label: 'Marked as disputed, under review',
      labelZh: '已异议标注，核查中',
      actions: ['mark-disputed', 'refer', 'request-assistance', 'record-notice-receipt', 'record-assistance-reply', 'record-statement', 'decide'],
      next: { refer: ['closed'], decide: ['correcting', 'closed'] },
    },
    correcting: {
      ...objectionReviewV2.states.correcting,
      next: { 'correct-record': ['closed'], 'notify-applicant': ['closed'], 'confirm-correction': ['closed'], 'confirm-measure-ended': ['closed'] },
    },
  },
  rules: {
    ...objectionReviewV2.rules,
    namesListing: { id: 'objection-review/art35-names-listing', basis: `${REGULATION} Art. 35 ¶2: the objection is to the subject's listing; upheld, the subject is removed from that list entry (${ART_35_UPHELD})` },
    listingOnlyOnList: { id: 'objection-review/listing-only-on-art35', basis: `${REGULATION} Art. 39 ¶1 and Art. 35 ¶2: only an objection to a listing names a listing` },
    noReferralOnList: { id: 'objection-review/art35-no-referral', basis: `${REGULATION} Art. 35 ¶2: 认定单位应当对事实、理由和证据进行复核` },
    statementsOnList: { id: 'objection-review/statements-on-art35', basis: `${REGULATION} Art. 35 ¶2: 被列入严重失信主体名单的信用主体,享有陈述权和申辩权` },
  },
  file(k, filing, context) {
    const data = objectionReviewV2.file(k as never, filing, context);
    return { ...data, listingCaseId: filing.listingCaseId ?? null, statements: [] };
  },
});
