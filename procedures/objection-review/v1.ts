import { type ClockDefinition, DEFAULT_ESCALATION, type ProcedureDefinitionBase, type RuleDefinition, type SuspensionReason } from '../definition';

const REGULATION = 'Heilongjiang Social Credit Regulation (黑龙江省社会信用条例, 2022)';

export type ObjectionVariant = 'standard' | 'serious-dishonesty-list';

export interface ObjectionReviewDefinition extends ProcedureDefinitionBase {
  procedure: 'objection-review';
  variants: Record<
    ObjectionVariant,
    {
      label: string;
      basis: string;
      /** Clocks that start when the objection is received. */
      onReceipt: ClockDefinition[];
      /** Replaces the decision clock when other units must help verify; absent = not allowed. */
      assistedDecision?: ClockDefinition;
    }
  >;
  assistanceReply: ClockDefinition;
  correction: ClockDefinition;
  suspensionReasons: SuspensionReason[];
  rules: Record<string, RuleDefinition>;
}

const decision = (days: number, basis: string): ClockDefinition => ({
  key: 'decision',
  label: 'Decision on the objection',
  labelZh: '作出处理决定',
  period: { workingDays: days },
  kind: 'legal',
  basis,
  suspendable: true,
});

export const objectionReviewV1: ObjectionReviewDefinition = {
  procedure: 'objection-review',
  version: 1,
  title: 'Objection review of credit information',
  titleZh: '信用信息异议处理',
  basis: [`${REGULATION} Art. 39`, `${REGULATION} Art. 35 ¶2`],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: `${REGULATION} Art. 39 sets fixed periods and provides for no extension` },
  variants: {
    standard: {
      label: 'Objection to credit information',
      basis: `${REGULATION} Art. 39`,
      onReceipt: [
        {
          key: 'mark-disputed',
          label: 'Mark the record as disputed',
          labelZh: '作出异议标注',
          period: { workingDays: 1 },
          kind: 'legal',
          basis: `${REGULATION} Art. 39 ¶2: 自收到异议申请之日起一个工作日内作出异议标注`,
          suspendable: false,
        },
        decision(3, `${REGULATION} Art. 39 ¶2: 在三个工作日内作出处理决定`),
      ],
      assistedDecision: decision(7, `${REGULATION} Art. 39 ¶2: 需要其他单位协助核查的，应当在七个工作日内作出处理决定`),
    },
    'serious-dishonesty-list': {
      label: 'Objection by a subject on the serious-dishonesty list',
      basis: `${REGULATION} Art. 35 ¶2`,
      onReceipt: [
        decision(3, `${REGULATION} Art. 35 ¶2: 认定单位应当对事实、理由和证据进行复核，并自收到异议申请之日起三个工作日内作出处理决定`),
      ],
    },
  },
  assistanceReply: {
    key: 'assistance-reply',
    label: 'Assisting unit reports its verification',
    labelZh: '协助单位反馈核查结果',
    period: { workingDays: 2 },
    kind: 'legal',
    basis: `${REGULATION} Art. 39 ¶2: 协助单位应当自收到核查通知之日起两个工作日内反馈核查结果`,
    suspendable: false,
  },
  correction: {
    key: 'correction',
    label: 'Downstream system applies the correction',
    labelZh: '已共享系统、网站处理更正信息',
    period: { workingDays: 3 },
    kind: 'legal',
    basis: `${REGULATION} Art. 39 ¶3: 有关单位应当自收到更正信息之日起三个工作日内进行处理`,
    suspendable: false,
  },
  suspensionReasons: [
    { code: 'inspection', label: 'Inspection', labelZh: '检验' },
    { code: 'testing', label: 'Testing', labelZh: '检测' },
    { code: 'quarantine', label: 'Quarantine', labelZh: '检疫' },
    { code: 'appraisal', label: 'Appraisal', labelZh: '鉴定' },
    { code: 'expert-review', label: 'Expert review', labelZh: '专家评审' },
  ],
  rules: {
    caseClosed: { id: 'case-closed', basis: 'A closed case accepts no further actions' },
    onlyOnce: { id: 'objection-review/already-done', basis: 'Each step of the procedure is recorded once' },
    markBeforeDecision: {
      id: 'objection-review/mark-before-decision',
      basis: `${REGULATION} Art. 39 ¶2: the record is marked as disputed before the objection is decided`,
    },
    noAssistanceOnList: {
      id: 'objection-review/art35-no-assistance',
      basis: `${REGULATION} Art. 35 ¶2: the listing unit itself re-examines and decides within 3 working days; the assisted 7-day regime of Art. 39 does not apply`,
    },
    assistanceAfterDeadline: {
      id: 'objection-review/assistance-after-deadline',
      basis: `${REGULATION} Art. 39 ¶2 with docs/time-rules.md#extension: the 7-working-day period replaces the 3-day one only while that one runs; a missed deadline is not cured afterwards`,
    },
    noMarkOnList: {
      id: 'objection-review/art35-no-mark',
      basis: `${REGULATION} Art. 35 ¶2: the re-examination of a listing has its own 3-working-day decision and no separate dispute mark`,
    },
    assistanceAfterDecision: { id: 'objection-review/assistance-after-decision', basis: `${REGULATION} Art. 39 ¶2: assistance serves the decision` },
    unknownAssistingUnit: { id: 'objection-review/unknown-assisting-unit', basis: 'A reply must come from a unit that was asked to verify' },
    suspensionReason: {
      id: 'objection-review/suspension-reason',
      basis: `${REGULATION} Art. 39 ¶2: only inspection, testing, quarantine, appraisal and expert review are not counted`,
    },
    alreadySuspended: { id: 'objection-review/already-suspended', basis: 'docs/time-rules.md#suspension: the clock is already stopped' },
    notSuspended: { id: 'objection-review/not-suspended', basis: 'docs/time-rules.md#suspension: only a stopped clock can resume' },
    decideWhileSuspended: {
      id: 'objection-review/decide-while-suspended',
      basis: `${REGULATION} Art. 39 ¶2: the inspection / testing / appraisal must end (resume the clock) before the decision`,
    },
    reasonsRequired: {
      id: 'objection-review/rejection-needs-reasons',
      basis: `${REGULATION} Art. 39 ¶3 and Art. 35 ¶2: a decision not to correct must state its reasons`,
    },
    referralNeedsUnit: {
      id: 'objection-review/referral-names-unit',
      basis: `${REGULATION} Art. 39 ¶2: tell the subject which unit is competent`,
    },
    referAfterDecision: { id: 'objection-review/refer-after-decision', basis: 'A decided objection cannot be referred' },
    correctionOnlyWhenUpheld: {
      id: 'objection-review/correction-needs-upheld',
      basis: `${REGULATION} Art. 39 ¶3: corrections follow an upheld objection`,
    },
    unknownDownstream: { id: 'objection-review/unknown-downstream-system', basis: 'Only systems the correction was sent to can confirm it' },
    extensionNotAllowed: { id: 'extension-not-allowed', basis: `docs/time-rules.md#extension: only where the procedure definition allows it; ${REGULATION} Art. 39 sets fixed periods` },
    extensionAfterDeadline: { id: 'extension-after-deadline', basis: 'docs/time-rules.md#extension: an extension is granted before the deadline passes' },
    unknownDeadline: { id: 'unknown-deadline', basis: 'Only an open deadline of the case can be extended' },
    occurredAt: { id: 'action-time', basis: 'An action cannot be dated in the future or before the previous step of the case' },
  },
};
