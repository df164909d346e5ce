import type { z as zod } from 'zod';
import { isoDate, isoInstant, list, saying, text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { dateOf, shanghaiDay } from '../../src/domain/local-date';
import { defineAction, defineProcedure } from '../definition';
import { REGULATION, REGULATION_IN_FORCE } from '../regulation';
import { type CommitmentData, commitmentVerificationV1, SHANGZHI, type VerificationOutcome } from './v1';
import { commitmentVerificationV2 } from './v2';
import { untilBeijing, zhDate } from '../../src/domain/said';

// Version 3, after the second legal review (Art. 45 ¶2, Art. 46): a licence accepted before its materials are complete
// is decided on the day they are supplied, and the two months run from that day; materials supplied in the period and
// recorded later are accepted; the supply and rectification periods bind the subject (their end leads to the next
// step, never a red against the unit); guidance answers a false commitment too; the finding goes on the subject's
// credit record at once; a sanction follows only a rectification period that ended without compliance.

const ART45_2 = `${REGULATION} Art. 45 ¶2: 部分申报材料不齐备但书面承诺在规定期限内提供的,行政机关应当先行受理;书面承诺符合相关规定并提交有关材料后,应当当场作出行政许可决定`;
const ART46 = `${REGULATION} Art. 46: 行政机关应当在适用信用承诺制的行政许可决定作出后两个月内,核查信用主体承诺的真实性和履行情况`;
const ART46_BREACH = `${REGULATION} Art. 46: 发现信用主体未履行承诺或者虚假承诺的,应当依法予以指导或者责令限期整改`;
const ART46_SANCTION = `${REGULATION} Art. 46: 信用主体仍不履行承诺、逾期未整改或者整改后仍不符合法定条件的,依法撤销行政许可或者依法予以行政处罚`;
const ART45_1 = `${REGULATION} Art. 45 ¶1: 作出过虚假承诺、未履行承诺的信用主体,在信用修复完成前不得适用信用承诺制`;

export interface CommitmentDataV3 extends Omit<CommitmentData, 'licence'> {
  /** decidedAt is null until the promised materials are supplied (Art. 45 ¶2: 当场作出行政许可决定). */
  licence: { number: string; decidedAt: string | null };
}

const decisionMoment = () => z.union([isoDate().transform((d) => new Date(`${d}T00:00:00+08:00`).toISOString()), isoInstant()]);
const materialsPeriod = () =>
  z
    .union([
      z.object({ workingDays: z.number().int().min(1).max(60).meta({ title: '工作日数' }) }).strict().meta({ title: '按工作日计' }),
      z.object({ days: z.number().int().min(1).max(90).meta({ title: '日数' }) }).strict().meta({ title: '按日计' }),
    ])
    .meta({ title: '补正材料期限' });
const rectificationPeriod = () =>
  z
    .union([
      z.object({ days: z.number().int().min(1).max(365).meta({ title: '日数' }) }).strict().meta({ title: '按日计' }),
      z.object({ workingDays: z.number().int().min(1).max(250).meta({ title: '工作日数' }) }).strict().meta({ title: '按工作日计' }),
      z.object({ months: z.number().int().min(1).max(12).meta({ title: '月数' }) }).strict().meta({ title: '按月计' }),
    ])
    .meta({ title: '整改期限' });

const filingV3 = lazy(() =>
  z
    .object({
      licence: z
        .object({
          number: text(100).meta({ title: '行政许可决定文号' }),
          decidedAt: decisionMoment().optional().meta({ title: '许可决定时间', 'x-description-zh': '尚有材料待补正的不填：材料提供时当场作出许可决定（第四十五条第二款）' }),
        })
        .strict()
        .meta({ title: '行政许可' }),
      materialsDue: z
        .object({ items: list(text(200).meta({ title: '材料' }), 50).meta({ title: '承诺在规定期限内提供的材料' }), period: materialsPeriod() })
        .strict()
        .optional()
        .meta({ title: '部分申报材料不齐备（先行受理）' }),
    })
    .strict()
    .superRefine((f, ctx) => {
      if (f.materialsDue && f.licence.decidedAt) {
        ctx.addIssue({ code: 'custom', path: ['licence', 'decidedAt'], ...saying({ en: 'with materials still due the licence is decided when they are supplied (Art. 45 ¶2): leave decidedAt out', zh: '尚有材料待提供的，许可决定在材料提供时作出（第45条第2款）：请勿填写 decidedAt' }) });
      }
      if (!f.materialsDue && !f.licence.decidedAt) ctx.addIssue({ code: 'custom', path: ['licence', 'decidedAt'], ...saying({ en: 'the date of the licence decision is required', zh: '须填写许可决定的日期' }) });
    }),
);
export type CommitmentFilingV3 = zod.infer<typeof filingV3>;

const shanghaiDate = (instant: string) => dateOf(shanghaiDay(Date.parse(instant)));
const action = defineAction<CommitmentDataV3>();

export const commitmentVerificationV3 = defineProcedure<CommitmentDataV3, CommitmentFilingV3>()({
  procedure: commitmentVerificationV2.procedure,
  version: 3,
  title: commitmentVerificationV2.title,
  titleZh: commitmentVerificationV2.titleZh,
  variants: commitmentVerificationV2.variants,
  defaultVariant: commitmentVerificationV2.defaultVariant,
  suspensionReasons: [],
  escalation: commitmentVerificationV2.escalation,
  extensions: commitmentVerificationV2.extensions,
  readsCreditStatus: true,
  basis: [ART45_1, ART45_2, ART46, SHANGZHI, commitmentVerificationV2.basis.at(-1)!],
  validFrom: REGULATION_IN_FORCE,
  filing: filingV3,
  clocks: {
    verification: { ...commitmentVerificationV1.clocks.verification, basis: `${ART46} (Civil Code Arts. 201-203 for the month count)` },
    materials: {
      ...commitmentVerificationV1.clocks.materials,
      basis: `${ART45_2}; binds the subject: reminders, then the supply period lapses (never a unit breach); ${SHANGZHI} (临期提醒)`,
      onDue: 'materialsLapsed',
    },
    rectification: {
      label: 'Rectification within the period ordered',
      labelZh: '责令限期整改',
      basis: `${ART46_BREACH} — the period is set by the order and binds the subject; its end leads to the re-check`,
      kind: 'subject',
      onDue: 'rectificationEnded',
      extension: commitmentVerificationV2.clocks.rectification.extension,
    },
  },
  actions: {
    'materials-supplied': action({
      label: 'Record the promised materials as supplied (the licence is decided that day when they conform)',
      labelZh: '记录承诺补正材料已提交（材料符合规定的，当场作出行政许可决定）',
      basis: ART45_2,
      schema: lazy(() => z.object({ conforming: z.boolean().meta({ title: '材料符合相关规定' }) }).strict()),
      starts: ['verification'],
      stops: ['materials'],
      refuse(r) {
        const d = r.deadline('materials')!;
        if (d.dueAt && r.at >= d.dueAt) return { rule: 'materialsLate', message: `the supply period ran until ${untilBeijing(d.dueAt).en}; materials supplied on ${shanghaiDate(r.at)} are late`, messageZh: `提供材料的期限已于${untilBeijing(d.dueAt).zh}届满；${zhDate(shanghaiDate(r.at))}提供的材料已逾期` };
        return null;
      },
      apply(k, { conforming }) {
        k.data.materials!.supplied = { at: k.at, conforming };
        k.event('materials.supplied', { conforming, items: k.data.materials!.items });
        if (!conforming) return;
        k.complete('materials');
        k.data.licence.decidedAt = k.at;
        k.event('licence.decided-on-the-spot', { licence: k.data.licence.number, decidedAt: k.at });
        k.start('verification', { startEvent: 'licence decided on the spot when the promised materials were supplied' });
        k.setState('verifying');
      },
    }),
    verify: action({
      label: 'Record the verification of the commitment',
      labelZh: '记录承诺履行情况核查结果',
      basis: ART46,
      schema: lazy(() => z
          .object({
            outcome: z.enum(['kept', 'not-kept', 'false']).meta({ title: '核查结论', 'x-enum-labels-zh': { kept: '已履行承诺', 'not-kept': '未履行承诺', false: '虚假承诺' } }),
            findings: text().meta({ title: '核查情况' }),
          }).strict()),
      stops: ['verification', 'materials'],
      refuse(r, { outcome }) {
        const m = r.data.materials;
        if (outcome === 'kept' && m && !m.supplied?.conforming) {
          return { rule: 'materialsOutstanding', message: m.supplied ? 'the materials supplied did not conform: the commitment to supply them is not kept' : 'the materials promised at filing have not been supplied', messageZh: m.supplied ? '所提供的材料不符合要求：提供材料的承诺未履行' : '本案登记时承诺提供的材料尚未提供' };
        }
        return null;
      },
      apply(k, { outcome, findings }) {
        k.data.verification = { at: k.at, outcome: outcome as VerificationOutcome, findings };
        k.complete('verification');
        k.cancel((d) => d.clock === 'materials');
        k.event('commitment.verified', { outcome, findings });
        if (outcome === 'kept') return k.close('kept');
        // Art. 45 ¶1: the finding bars the commitment path at once, whatever follows (guidance or an order).
        const kind = outcome === 'false' ? 'false' : 'unkept';
        k.credit('commitment-breach', { kind, licence: k.data.licence.number, commitmentCaseId: k.c.caseId });
        k.data.breachRecorded = kind;
        k.setState('breached');
      },
    }),
    guidance: action({
      label: 'Guide the subject (指导)',
      labelZh: '依法予以指导',
      basis: ART46_BREACH,
      schema: lazy(() => z.object({}).strict()),
      apply(k) {
        k.data.guidance = { at: k.at, note: k.note ?? null };
        k.event('commitment.guidance', { finding: k.data.verification!.outcome });
        k.close('guided');
      },
    }),
    'order-rectification': action({
      label: 'Order rectification within a period (责令限期整改)',
      labelZh: '责令限期整改',
      basis: ART46_BREACH,
      schema: lazy(() => z.object({ period: rectificationPeriod(), requirements: text().meta({ title: '整改要求' }) }).strict()),
      starts: ['rectification'],
      apply(k, { period, requirements }) {
        k.data.rectification = { orderedAt: k.at, period, requirements, result: null };
        const d = k.start('rectification', { period, startEvent: 'order to rectify served' });
        k.event('rectification.ordered', { period, requirements, until: d.dueAt });
        k.setState('rectifying');
      },
    }),
    'rectification-result': action({
      label: 'Record the result of the rectification',
      labelZh: '记录整改结果',
      basis: ART46_SANCTION,
      schema: lazy(() => z.object({ compliant: z.boolean().meta({ title: '整改后符合法定条件' }), findings: text().meta({ title: '复查情况' }) }).strict()),
      stops: ['rectification'],
      refuse(r, { compliant }) {
        const d = r.deadline('rectification');
        if (!compliant && d?.dueAt && r.at < d.dueAt) return { rule: 'rectificationRunning', message: `the rectification period runs until ${untilBeijing(d.dueAt).en}: a failure is found only when it has passed`, messageZh: `整改期限至${untilBeijing(d.dueAt).zh}届满：期限届满后方可认定逾期未整改` };
        return null;
      },
      apply(k, { compliant, findings }) {
        k.data.rectification!.result = { at: k.at, compliant, findings };
        k.complete('rectification');
        k.event('rectification.result', { compliant, findings });
        if (compliant) return k.close('rectified');
        k.setState('rectification-failed');
      },
    }),
    sanction: action({
      label: 'Revoke the licence or impose a penalty',
      labelZh: '依法撤销行政许可或者予以行政处罚',
      basis: ART46_SANCTION,
      schema: lazy(() => z
          .object({
            measure: z.enum(['revoke-licence', 'penalty']).meta({ title: '处理措施', 'x-enum-labels-zh': { 'revoke-licence': '依法撤销行政许可', penalty: '依法予以行政处罚' } }),
            decisionRef: text(200).meta({ title: '决定文号' }),
          }).strict()),
      apply(k, { measure, decisionRef }) {
        k.data.sanction = { at: k.at, measure, decisionRef };
        k.event('commitment.sanctioned', { measure, decisionRef, licence: k.data.licence.number });
        k.close(measure === 'revoke-licence' ? 'revoked' : 'penalised');
      },
    }),
  },
  steps: {
    materialsLapsed(k) {
      k.event('materials.lapsed', { items: k.data.materials!.items, basis: ART45_2 });
      k.setState('materials-lapsed');
    },
    rectificationEnded(k) {
      k.event('rectification.period-ended', { period: k.data.rectification!.period });
      k.setState('rectification-check');
    },
  },
  states: {
    'awaiting-materials': {
      label: 'Accepted first: awaiting the promised materials',
      labelZh: '先行受理，待补正材料',
      actions: ['materials-supplied', 'verify'],
      next: { 'materials-supplied': ['verifying'], verify: ['breached', 'closed'] },
    },
    'materials-lapsed': {
      label: 'Supply period ended without conforming materials',
      labelZh: '补正期限届满',
      actions: ['materials-supplied', 'verify'],
      next: { 'materials-supplied': ['verifying'], verify: ['breached', 'closed'] },
    },
    verifying: { label: 'Verifying the commitment', labelZh: '核查承诺中', actions: ['verify'], next: { verify: ['breached', 'closed'] } },
    breached: { label: 'Commitment not kept or false', labelZh: '未履行承诺或虚假承诺', actions: ['guidance', 'order-rectification'], next: { guidance: ['closed'], 'order-rectification': ['rectifying'] } },
    rectifying: { label: 'Rectifying within the period ordered', labelZh: '限期整改中', actions: ['rectification-result'], next: { 'rectification-result': ['closed', 'rectification-failed'] } },
    'rectification-check': {
      label: 'Rectification period ended: check the result',
      labelZh: '整改期满待复查',
      actions: ['rectification-result'],
      next: { 'rectification-result': ['closed', 'rectification-failed'] },
    },
    'rectification-failed': { label: 'Not rectified', labelZh: '逾期未整改', actions: ['sanction'], next: { sanction: ['closed'] } },
  },
  rules: {
    beforeRegulation: commitmentVerificationV1.rules.beforeRegulation,
    decidedBeforeReceipt: commitmentVerificationV1.rules.decidedBeforeReceipt,
    listedSubject: commitmentVerificationV1.rules.listedSubject,
    unkeptCommitment: commitmentVerificationV1.rules.unkeptCommitment,
    materialsOutstanding: commitmentVerificationV1.rules.materialsOutstanding,
    rectificationRunning: commitmentVerificationV1.rules.rectificationRunning,
    materialsLate: {
      id: 'commitment-verification/materials-late',
      basis: `${ART45_2}: the materials are supplied within the period the commitment states (judged by when they were received, not when recorded)`,
    },
  },
  eligibility({ filing, receivedAt, creditStatus }) {
    const received = shanghaiDate(receivedAt);
    const decided = filing.licence.decidedAt ? shanghaiDate(filing.licence.decidedAt) : null;
    if ((decided ?? received) < REGULATION_IN_FORCE) {
      return { rule: 'beforeRegulation', message: `licence ${filing.licence.number} dates from ${decided ?? received}, before the regulation came into force on ${REGULATION_IN_FORCE}`, messageZh: `许可 ${filing.licence.number} 的日期为${zhDate(decided ?? received)}，早于条例施行之日${zhDate(REGULATION_IN_FORCE)}` };
    }
    if (decided && decided < received) return { rule: 'decidedBeforeReceipt', message: `licence ${filing.licence.number} is dated ${decided}, before the commitment was received on ${received}`, messageZh: `许可 ${filing.licence.number} 的许可决定日期为${zhDate(decided)}，早于收到承诺之日${zhDate(received)}` };
    const listing = creditStatus?.listings.find((l) => l.active);
    if (listing) return { rule: 'listedSubject', message: `the subject is on the serious-dishonesty list (case ${listing.caseId}); a completed credit repair of that listing lifts this bar`, messageZh: `该信用主体已被列入严重失信主体名单（案件 ${listing.caseId}）；就该列入完成信用修复后方可适用信用承诺制` };
    const breach = creditStatus?.commitmentBreaches.find((b) => !b.repaired);
    if (breach) return { rule: 'unkeptCommitment', message: `the subject made a ${breach.kind === 'false' ? 'false' : 'unkept'} commitment (case ${breach.caseId}); a completed credit repair of it lifts this bar`, messageZh: `该信用主体作出过${breach.kind === 'false' ? '虚假承诺' : '未履行的承诺'}（案件 ${breach.caseId}）；就此完成信用修复后方可适用信用承诺制` };
    return null;
  },
  initialState: 'verifying',
  startsOnFiling: ['materials', 'verification'],
  file(k, filing) {
    if (filing.materialsDue) {
      k.start('materials', { period: filing.materialsDue.period, startEvent: 'application accepted first on the promise to supply the missing materials (先行受理)' });
      k.setState('awaiting-materials');
    } else {
      k.start('verification', { startAt: filing.licence.decidedAt!, startEvent: 'licence granted on the written credit commitment' });
    }
    return {
      licence: { number: filing.licence.number, decidedAt: filing.licence.decidedAt ?? null },
      materials: filing.materialsDue ? { items: filing.materialsDue.items, supplied: null } : null,
      verification: null,
      guidance: null,
      rectification: null,
      breachRecorded: null,
      sanction: null,
    };
  },
});
