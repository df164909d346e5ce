import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../definition';
import { REGULATION, REGULATION_IN_FORCE } from '../regulation';
import { empty, isoDate, isoInstant, list, text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import type { z as zod } from 'zod';
import { dateOf, shanghaiDay } from '../../src/domain/local-date';
import { untilBeijing, zhDate } from '../../src/domain/said';

// A licence (or certificate) granted on the applicant's written credit commitment (信用承诺制): the unit verifies within
// two months whether the commitment was kept (Art. 46), and orders a rectification or sanctions a false or unkept one.

/** The local practice the reminders and the on-the-spot decision follow. */
export const SHANGZHI = 'Shangzhi City report on its 2021 business-environment work, incl. the credit-commitment system (关于2021年优化营商环境工作完成情况的报告, 2021)';
const ART45_1 = `${REGULATION} Art. 45 ¶1`;
const ART45_2 = `${REGULATION} Art. 45 ¶2`;
const ART46 = `${REGULATION} Art. 46`;

export type VerificationOutcome = 'kept' | 'not-kept' | 'false';

export interface CommitmentData {
  licence: { number: string; decidedAt: string };
  materials: {
    items: string[];
    supplied: { at: string; conforming: boolean } | null;
  } | null;
  verification: { at: string; outcome: VerificationOutcome; findings: string } | null;
  guidance: { at: string; note: string | null } | null;
  rectification: {
    orderedAt: string;
    period: RectificationPeriod;
    requirements: string;
    result: { at: string; compliant: boolean; findings: string } | null;
  } | null;
  /** The commitment breach written to the subject's shared credit status, once. */
  breachRecorded: 'false' | 'unkept' | null;
  sanction: { at: string; measure: 'revoke-licence' | 'penalty'; decisionRef: string } | null;
}

type RectificationPeriod = { days: number } | { workingDays: number } | { months: number };

/** A date (00:00 Asia/Shanghai of that day) or an instant with its offset; stored as a UTC instant. */
const decisionMoment = () => z.union([
  isoDate().transform((d) => new Date(`${d}T00:00:00+08:00`).toISOString()),
  isoInstant(),
]);

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

export const commitmentFiling = lazy(() =>
  z
    .object({
      licence: z
        .object({ number: text(100).meta({ title: '行政许可决定文号' }), decidedAt: decisionMoment().meta({ title: '许可决定时间' }) })
        .strict()
        .meta({ title: '行政许可' }),
      materialsDue: z
        .object({ items: list(text(200).meta({ title: '材料' }), 50).meta({ title: '承诺在规定期限内提供的材料' }), period: materialsPeriod() })
        .strict()
        .optional()
        .meta({ title: '部分申报材料不齐备（先行受理）' }),
    })
    .strict(),
);

export type CommitmentFiling = zod.infer<typeof commitmentFiling>;

/** The Asia/Shanghai date of an instant. */
const shanghaiDate = (instant: string) => dateOf(shanghaiDay(Date.parse(instant)));

const action = defineAction<CommitmentData>();

const STATES = {
  verifying: 'verifying',
  breached: 'breached',
  rectifying: 'rectifying',
  rectificationFailed: 'rectification-failed',
} as const;

const outOfOrder = (state: string, expected: string, expectedZh = expected) => ({
  rule: 'outOfOrder' as const,
  message: `the case is ${state}; this step is taken only when it is ${expected}`,
  messageZh: `本案当前状态为 ${state}；此步骤仅在状态为 ${expectedZh} 时办理`,
});

export const commitmentVerificationV1 = defineProcedure<CommitmentData, CommitmentFiling>()({
  procedure: 'commitment-verification',
  version: 1,
  title: 'Verification of a licence granted on a written credit commitment',
  titleZh: '信用承诺制许可的承诺履行核查',
  basis: [ART45_1, ART45_2, ART46, SHANGZHI],
  validFrom: REGULATION_IN_FORCE,
  // Version 2 (Art. 30 ¶3 extensions) takes the receipts from 2026-11-28.
  validTo: '2026-11-27',
  variants: { standard: { label: 'Licence on commitment (信用承诺制)', labelZh: '信用承诺制行政许可', basis: ART45_1 } },
  defaultVariant: 'standard',
  filing: commitmentFiling,
  clocks: {
    verification: {
      label: 'Verification of the commitment',
      labelZh: '承诺履行情况核查',
      basis: `${ART46}: the unit verifies the commitment within two months of the decision (Civil Code Arts. 201-203 for the month count)`,
      kind: 'legal',
      period: { months: 2 },
      remindWorkingDaysBefore: [10, 3],
    },
    materials: {
      label: 'Materials the applicant promised to supply',
      labelZh: '承诺补正材料',
      basis: `${ART45_2}: incomplete materials accepted on the applicant's promise to supply them within the period it states; ${SHANGZHI} (临期提醒)`,
      kind: 'subject',
      remindWorkingDaysBefore: [3, 1],
    },
    rectification: {
      label: 'Rectification within the period ordered',
      labelZh: '责令限期整改',
      basis: `${ART46}: 责令限期整改 — the period is set by the order`,
      kind: 'legal',
    },
  },
  actions: {
    'materials-supplied': action({
      label: 'Record the promised materials as supplied',
      labelZh: '记录承诺补正材料已提交',
      basis: ART45_2,
      schema: lazy(() => z.object({ conforming: z.boolean().meta({ title: '材料符合相关规定' }) }).strict()),
      refuse(r) {
        if (!r.data.materials) return { rule: 'materialsNotPending', message: 'no materials were promised at filing', messageZh: '本案登记时未承诺提供材料' };
        if (!r.isOpen('materials')) {
          const d = r.deadline('materials')!;
          return {
            rule: 'materialsNotPending',
            message: d.status === 'lapsed' ? `the promised period ran until ${untilBeijing(String(d.dueAt)).en}; the verification decides whether the commitment was kept` : 'the promised materials were already recorded',
            messageZh: d.status === 'lapsed' ? `承诺提供材料的期限已于${untilBeijing(String(d.dueAt)).zh}届满；承诺是否履行由核查认定` : '承诺提供的材料已登记',
          };
        }
        return null;
      },
      apply(k, { conforming }) {
        k.data.materials!.supplied = { at: k.at, conforming };
        k.complete('materials');
        k.event('materials.supplied', { conforming, items: k.data.materials!.items });
        // Shangzhi: conforming materials get the decision on the spot (当场办结).
        if (conforming) k.event('licence.decided-on-the-spot', { licence: k.data.licence.number });
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
      refuse(r, { outcome }) {
        if (r.c.state !== STATES.verifying) return outOfOrder(r.c.state, STATES.verifying);
        const m = r.data.materials;
        if (outcome === 'kept' && m && !m.supplied?.conforming) {
          return {
            rule: 'materialsOutstanding',
            message: m.supplied ? 'the materials supplied did not conform: the commitment to supply them is not kept' : 'the materials promised at filing have not been supplied',
            messageZh: m.supplied ? '所提供的材料不符合要求：提供材料的承诺未履行' : '本案登记时承诺提供的材料尚未提供',
          };
        }
        return null;
      },
      apply(k, { outcome, findings }) {
        k.data.verification = { at: k.at, outcome, findings };
        k.complete('verification');
        k.event('commitment.verified', { outcome, findings });
        if (outcome === 'kept') return k.close('kept');
        if (outcome === 'false') {
          k.credit('commitment-breach', { kind: 'false', licence: k.data.licence.number });
          k.data.breachRecorded = 'false';
        }
        k.setState(STATES.breached);
      },
    }),
    guidance: action({
      label: 'Guide the subject to keep its commitment',
      labelZh: '指导信用主体履行承诺',
      basis: `${ART46}: an unkept commitment is met with guidance or an order to rectify`,
      // The guidance given is the kernel's common `note` field (every action's body may carry one; it is kept on the event).
      schema: lazy(() => empty()),
      refuse(r) {
        if (r.c.state !== STATES.breached) return outOfOrder(r.c.state, STATES.breached);
        if (r.data.verification?.outcome === 'false') {
          return { rule: 'guidanceNotForFalse', message: 'a false commitment is ordered to be rectified or sanctioned, not met with guidance', messageZh: '虚假承诺应当责令限期整改或者予以撤销许可、行政处罚，不适用指导' };
        }
        return null;
      },
      apply(k) {
        k.data.guidance = { at: k.at, note: k.note ?? null };
        k.event('commitment.guidance');
        k.close('guided');
      },
    }),
    'order-rectification': action({
      label: 'Order rectification within a period (责令限期整改)',
      labelZh: '责令限期整改',
      basis: ART46,
      schema: lazy(() => z.object({ period: rectificationPeriod(), requirements: text().meta({ title: '整改要求' }) }).strict()),
      refuse(r) {
        return r.c.state === STATES.breached ? null : outOfOrder(r.c.state, STATES.breached);
      },
      apply(k, { period, requirements }) {
        k.data.rectification = { orderedAt: k.at, period, requirements, result: null };
        k.start('rectification', { period, startEvent: 'order to rectify served' });
        k.event('rectification.ordered', { period, requirements });
        k.setState(STATES.rectifying);
      },
    }),
    'rectification-result': action({
      label: 'Record the result of the rectification',
      labelZh: '记录整改结果',
      basis: ART46,
      schema: lazy(() => z.object({ compliant: z.boolean().meta({ title: '整改后符合法定条件' }), findings: text().meta({ title: '复查情况' }) }).strict()),
      refuse(r, { compliant }) {
        if (r.c.state !== STATES.rectifying) return outOfOrder(r.c.state, STATES.rectifying);
        const d = r.deadline('rectification');
        if (!compliant && d?.dueAt && r.at < d.dueAt) {
          return { rule: 'rectificationRunning', message: `the rectification period runs until ${untilBeijing(d.dueAt).en}: a failure is found only when it has passed`, messageZh: `整改期限至${untilBeijing(d.dueAt).zh}届满：期限届满后方可认定逾期未整改` };
        }
        return null;
      },
      apply(k, { compliant, findings }) {
        k.data.rectification!.result = { at: k.at, compliant, findings };
        k.complete('rectification');
        k.event('rectification.result', { compliant, findings });
        if (compliant) return k.close('rectified');
        if (!k.data.breachRecorded) {
          k.credit('commitment-breach', { kind: 'unkept', licence: k.data.licence.number });
          k.data.breachRecorded = 'unkept';
        }
        k.setState(STATES.rectificationFailed);
      },
    }),
    sanction: action({
      label: 'Revoke the licence or impose a penalty',
      labelZh: '依法撤销行政许可或者予以行政处罚',
      basis: `${ART46}: a false commitment, or one still unkept after the order to rectify, is sanctioned according to law`,
      schema: lazy(() => z
          .object({
            measure: z.enum(['revoke-licence', 'penalty']).meta({ title: '处理措施', 'x-enum-labels-zh': { 'revoke-licence': '依法撤销行政许可', penalty: '依法予以行政处罚' } }),
            decisionRef: text(200).meta({ title: '决定文号' }),
          }).strict()),
      refuse(r) {
        if (r.c.state === STATES.rectificationFailed) return null;
        if (r.c.state === STATES.breached) {
          return r.data.verification?.outcome === 'false'
            ? null
            : { rule: 'orderFirst', message: 'an unkept commitment is first met with guidance or an order to rectify; a sanction follows a failed rectification', messageZh: '未履行承诺的，应当先予以指导或者责令限期整改；整改未果的，方可撤销许可或者予以行政处罚' };
        }
        return outOfOrder(r.c.state, `${STATES.rectificationFailed} (or ${STATES.breached} on a false commitment)`, `${STATES.rectificationFailed}（虚假承诺的为 ${STATES.breached}）`);
      },
      apply(k, { measure, decisionRef }) {
        k.data.sanction = { at: k.at, measure, decisionRef };
        k.event('commitment.sanctioned', { measure, decisionRef, licence: k.data.licence.number });
        k.close(measure === 'revoke-licence' ? 'revoked' : 'penalised');
      },
    }),
  },
  states: {
    verifying: { label: 'Verifying the commitment', labelZh: '核查承诺中', actions: ['materials-supplied', 'verify'] },
    breached: { label: 'Commitment not kept or false', labelZh: '未履行承诺或虚假承诺', actions: ['materials-supplied', 'guidance', 'order-rectification', 'sanction'] },
    rectifying: { label: 'Rectifying within the period ordered', labelZh: '限期整改中', actions: ['materials-supplied', 'rectification-result'] },
    'rectification-failed': { label: 'Rectification failed', labelZh: '逾期未整改', actions: ['materials-supplied', 'sanction'] },
  },
  rules: {
    beforeRegulation: {
      id: 'commitment-verification/before-regulation',
      basis: `${REGULATION} Art. 55: in force from ${REGULATION_IN_FORCE}; a licence decided before it is not under Art. 45-46`,
    },
    decidedBeforeReceipt: {
      id: 'commitment-verification/decided-before-receipt',
      basis: `${ART45_1}: the licence is granted on the written commitment, so it cannot be decided before the commitment was received`,
    },
    listedSubject: {
      id: 'commitment-verification/listed-subject',
      basis: `${ART45_1}: a subject on the serious-dishonesty list may not use the commitment path until its credit repair is complete`,
    },
    unkeptCommitment: {
      id: 'commitment-verification/unkept-commitment',
      basis: `${ART45_1}: a subject that made a false or unkept commitment may not use the commitment path until its credit repair is complete`,
    },
    materialsNotPending: { id: 'commitment-verification/materials-not-pending', basis: `${ART45_2}: only materials promised and still due can be supplied` },
    materialsOutstanding: {
      id: 'commitment-verification/materials-outstanding',
      basis: `${ART45_2}: the promise to supply the missing materials is part of the commitment; it is not kept until they are supplied and conform`,
    },
    outOfOrder: { id: 'commitment-verification/out-of-order', basis: `${ART46}: verification, then guidance or an order to rectify, then a sanction` },
    guidanceNotForFalse: { id: 'commitment-verification/guidance-not-for-false', basis: `${ART46}: guidance answers an unkept commitment, not a false one` },
    rectificationRunning: { id: 'commitment-verification/rectification-running', basis: `${ART46}: 责令限期整改 — the subject has the whole period ordered` },
    orderFirst: { id: 'commitment-verification/order-first', basis: `${ART46}: an unkept commitment is sanctioned only after the order to rectify failed` },
  },
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: `${ART46} sets the verification period and the order sets the rectification period; neither provides for an extension` },
  readsCreditStatus: true,
  eligibility({ filing, receivedAt, creditStatus }) {
    const decided = shanghaiDate(filing.licence.decidedAt);
    if (decided < REGULATION_IN_FORCE) {
      return { rule: 'beforeRegulation', message: `licence ${filing.licence.number} was decided on ${decided}, before the regulation came into force on ${REGULATION_IN_FORCE}`, messageZh: `许可 ${filing.licence.number} 的许可决定于${zhDate(decided)}作出，早于条例施行之日${zhDate(REGULATION_IN_FORCE)}` };
    }
    const received = shanghaiDate(receivedAt);
    if (decided < received) {
      return { rule: 'decidedBeforeReceipt', message: `licence ${filing.licence.number} is dated ${decided}, before the commitment was received on ${received}`, messageZh: `许可 ${filing.licence.number} 的许可决定日期为${zhDate(decided)}，早于收到承诺之日${zhDate(received)}` };
    }
    const listing = creditStatus?.listings.find((l) => l.active);
    if (creditStatus?.listed) {
      return {
        rule: 'listedSubject',
        message: `the subject is on the serious-dishonesty list${listing ? ` (case ${listing.caseId})` : ''}; a completed credit repair lifts this bar to the commitment path`,
        messageZh: `该信用主体已被列入严重失信主体名单${listing ? `（案件 ${listing.caseId}）` : ''}；信用修复完成后方可适用信用承诺制`,
      };
    }
    const breach = creditStatus?.commitmentBreaches.find((b) => !b.repaired);
    if (breach) {
      return {
        rule: 'unkeptCommitment',
        message: `the subject made a ${breach.kind === 'false' ? 'false' : 'unkept'} commitment (case ${breach.caseId}); a completed credit repair lifts this bar to the commitment path`,
        messageZh: `该信用主体作出过${breach.kind === 'false' ? '虚假承诺' : '未履行的承诺'}（案件 ${breach.caseId}）；信用修复完成后方可适用信用承诺制`,
      };
    }
    return null;
  },
  initialState: STATES.verifying,
  file(k, filing) {
    k.start('verification', { startAt: filing.licence.decidedAt, startEvent: 'licence granted on the written credit commitment' });
    if (filing.materialsDue) k.start('materials', { period: filing.materialsDue.period, startEvent: 'incomplete materials accepted on the promise to supply them' });
    return {
      licence: filing.licence,
      materials: filing.materialsDue ? { items: filing.materialsDue.items, supplied: null } : null,
      verification: null,
      guidance: null,
      rectification: null,
      breachRecorded: null,
      sanction: null,
    };
  },
});
