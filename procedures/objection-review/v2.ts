import { DEFAULT_ESCALATION, defineAction, defineProcedure, KernelClock } from '../definition';
import { REGULATION, REGULATION_IN_FORCE } from '../regulation';
import { list, text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { atBeijing } from '../../src/domain/said';

// Objection review as corrected after the legal review of the seed text (Art. 39, Art. 35; in force 2022-07-01, Art. 55).

const STATUTORY_SUSPENSIONS = ['inspection', 'testing', 'quarantine', 'appraisal', 'expert-review'];

export const OBJECTION_GROUNDS = ['error', 'omission', 'overdue-publication', 'infringement'] as const;
/** Art. 39 ¶1: the kinds of fault an objection may allege, labelled with the article's words. */
export const objectionGround = () => z.enum(OBJECTION_GROUNDS).meta({ title: '异议理由', 'x-enum-labels-zh': { error: '错误', omission: '遗漏', 'overdue-publication': '超期公示', infringement: '侵犯商业秘密、个人隐私、个人信息等合法权益' } });

interface Assistance {
  unitId: string;
  name?: string;
  noticeSentAt: string;
  noticeReceivedAt: string | null;
  repliedAt: string | null;
  result: string | null;
}
interface Party {
  name: string;
  sentAt: string;
  receivedAt: string | null;
  confirmedAt: string | null;
}

export interface ObjectionData {
  grounds: string[];
  reasons: string | null;
  markedAt: string | null;
  referral: { competentUnit: string; at: string } | null;
  assistance: Assistance[];
  decision: { outcome: 'upheld' | 'rejected'; reasons: string | null; at: string } | null;
  recordCorrected: { at: string; evidenceRef: string } | null;
  applicantNotified: { at: string; evidenceRef: string; channel: string | null } | null;
  /** Art. 39 ¶3: systems and websites that received the information and get the correction. */
  corrections: Party[];
  /** Art. 35 ¶2 upheld: each department applying a punitive measure ends it. */
  measures: Party[];
}

const decisionClock = (days: number, basis: string, suspensionReasons: string[] = []): KernelClock<never> => ({
  label: 'Decision on the objection',
  labelZh: '作出处理决定',
  basis,
  kind: 'legal',
  period: { workingDays: days },
  suspensionReasons,
});

const action = defineAction<ObjectionData>();
const name = () => text(200);

/** Closes an upheld objection once every step the law asks for is recorded. */
function closeIfComplete(k: Parameters<Parameters<typeof action>[0]['apply']>[0]): void {
  const d = k.data;
  if (d.decision?.outcome !== 'upheld' || !d.applicantNotified) return;
  const corrected = k.c.variant === 'serious-dishonesty-list' ? d.measures.every((m) => m.confirmedAt) : d.recordCorrected && d.corrections.every((x) => x.confirmedAt);
  if (corrected) k.close('upheld');
}

export const objectionReviewV2 = defineProcedure<ObjectionData, { grounds?: string[]; reasons?: string }>()({
  procedure: 'objection-review',
  version: 2,
  title: 'Objection review of credit information',
  titleZh: '信用信息异议处理',
  basis: [`${REGULATION} Art. 39`, `${REGULATION} Art. 35 ¶2`, `${REGULATION} Art. 55 (in force 2022-07-01)`],
  validFrom: REGULATION_IN_FORCE,
  variants: {
    standard: { label: 'Objection to credit information', labelZh: '信用信息异议', basis: `${REGULATION} Art. 39` },
    'serious-dishonesty-list': { label: 'Objection by a subject on the serious-dishonesty list', labelZh: '被列入严重失信主体名单的信用主体提出异议', basis: `${REGULATION} Art. 35 ¶2` },
  },
  defaultVariant: 'standard',
  filing: lazy(() => z
    .object({
      // Art. 39 ¶1: a written objection states its ground(s) and reasons. Absent: recorded as not stated.
      grounds: z.array(objectionGround()).min(1).max(4).optional().meta({ title: '异议理由' }),
      reasons: text().optional().meta({ title: '异议申请理由说明' }),
    })
    .strict()),
  clocks: {
    'mark-disputed': {
      label: 'Mark the record as disputed',
      labelZh: '作出异议标注',
      basis: `${REGULATION} Art. 39 ¶2: 自收到异议申请之日起一个工作日内作出异议标注`,
      kind: 'legal',
      period: { workingDays: 1 },
    },
    decision: decisionClock(3, `${REGULATION} Art. 39 ¶2: 在三个工作日内作出处理决定`, STATUTORY_SUSPENSIONS),
    'decision-assisted': decisionClock(7, `${REGULATION} Art. 39 ¶2: 需要其他单位协助核查的，应当在七个工作日内作出处理决定`, STATUTORY_SUSPENSIONS),
    // Art. 35 has no clause excluding inspection or appraisal time: this clock is never suspended.
    'decision-art35': decisionClock(3, `${REGULATION} Art. 35 ¶2: 认定单位应当对事实、理由和证据进行复核，并自收到异议申请之日起三个工作日内作出处理决定`),
    referral: {
      label: 'Tell the subject which unit is competent',
      labelZh: '告知有权处理的单位',
      basis: `${REGULATION} Art. 39 ¶2 sets no period for a referral`,
      kind: 'promised',
      period: { workingDays: 3 },
      policy: 'within the 3-working-day decision period, as a promised deadline (a warning, never a breach)',
    },
    'assistance-reply': {
      label: 'Assisting unit reports its verification',
      labelZh: '协助单位反馈核查结果',
      basis: `${REGULATION} Art. 39 ¶2: 协助单位应当自收到核查通知之日起两个工作日内反馈核查结果`,
      kind: 'legal',
      period: { workingDays: 2 },
    },
    correction: {
      label: 'Downstream system applies the correction',
      labelZh: '已共享系统、网站处理更正信息',
      basis: `${REGULATION} Art. 39 ¶3: 有关单位应当自收到更正信息之日起三个工作日内进行处理`,
      kind: 'legal',
      period: { workingDays: 3 },
    },
  },
  actions: {
    'mark-disputed': action({
      label: 'Mark the record as disputed',
      labelZh: '作出异议标注',
      basis: `${REGULATION} Art. 39 ¶2`,
      schema: lazy(() => z.object({}).strict()),
      refuse(r) {
        if (r.c.variant !== 'standard') return { rule: 'noMarkOnList', message: 'the Art. 35 re-examination has no separate dispute mark', messageZh: '第35条规定的复核不另作异议标注' };
        if (r.data.markedAt) return { rule: 'onlyOnce', message: `the record was already marked as disputed at ${atBeijing(r.data.markedAt).en}`, messageZh: `该信息已于${atBeijing(r.data.markedAt).zh}作出异议标注` };
        if (r.data.decision) return { rule: 'afterDecision', message: 'the objection is already decided', messageZh: '该异议已作出处理决定' };
        return null;
      },
      apply(k) {
        k.data.markedAt = k.at;
        k.complete('mark-disputed');
        k.setState('under-review');
        k.event('record.marked-disputed');
      },
    }),
    refer: action({
      label: 'Refer to the competent unit',
      labelZh: '转交有权处理的单位',
      basis: `${REGULATION} Art. 39 ¶2`,
      schema: lazy(() => z.object({ competentUnit: name().meta({ title: '有权处理的单位' }) }).strict()),
      refuse: (r) => (r.data.decision ? { rule: 'afterDecision', message: 'a decided objection cannot be referred', messageZh: '已作出处理决定的异议不能再转交有权处理的单位' } : null),
      apply(k, { competentUnit }) {
        k.data.referral = { competentUnit, at: k.at };
        // Referring disposes of the objection: the decision clock is met (or met late), never erased.
        k.complete('decision');
        k.cancel((d) => d.clock !== 'assistance-reply');
        // The promised referral period is measured when the referral happens: met, or met late (a warning).
        k.start('referral', { startAt: k.c.receivedAt, startEvent: 'objection received' });
        k.complete('referral');
        k.event('case.referred', { competentUnit });
        k.close('referred');
      },
    }),
    'request-assistance': action({
      label: 'Ask other units to help verify',
      labelZh: '请其他单位协助核查',
      basis: `${REGULATION} Art. 39 ¶2`,
      schema: lazy(() => z.object({ units: list(z.object({ unitId: name().meta({ title: '协助单位编号' }), name: name().optional().meta({ title: '协助单位名称' }) }).strict().meta({ title: '协助核查单位' }), 20).meta({ title: '协助核查单位' }) }).strict()),
      involves: ({ units }) => units.map((u) => u.unitId),
      refuse(r, { units }) {
        if (r.c.variant !== 'standard') return { rule: 'noAssistanceOnList', message: 'assisted verification is not available for an Art. 35 objection', messageZh: '第35条规定的异议不适用协助核查' };
        if (r.data.decision) return { rule: 'afterDecision', message: 'the objection is already decided', messageZh: '该异议已作出处理决定' };
        const dup = units.find((u, i) => r.data.assistance.some((x) => x.unitId === u.unitId) || units.findIndex((v) => v.unitId === u.unitId) !== i);
        if (dup) return { rule: 'onlyOnce', message: `unit ${dup.unitId} was already asked to verify`, messageZh: `已请单位 ${dup.unitId} 协助核查` };
        if (r.data.assistance.length + units.length > 20) return { rule: 'tooManyParties', message: 'at most 20 assisting units per objection', messageZh: '每件异议最多请20个单位协助核查' };
        return null;
      },
      apply(k, { units }) {
        // Also after the 3-day period has passed: the 7-day regime applies and the red of the 3-day period stays recorded.
        if (k.data.assistance.length === 0 && k.isOpen('decision')) {
          k.replacePeriod('decision', 'decision-assisted', 'assisted verification: the 7-working-day period replaces the 3-working-day period');
        }
        for (const u of units) k.data.assistance.push({ ...u, noticeSentAt: k.at, noticeReceivedAt: null, repliedAt: null, result: null });
        k.setState('under-review');
        k.event('assistance.requested', { units });
      },
    }),
    'record-notice-receipt': action({
      label: "Record an assisting unit's receipt of the verification notice",
      labelZh: '记录协助单位收到核查通知',
      basis: `${REGULATION} Art. 39 ¶2: 自收到核查通知之日起`,
      schema: lazy(() => z.object({ unitId: name().meta({ title: '协助单位编号' }) }).strict()),
      party: 'unitId',
      refuse(r, { unitId }) {
        const unit = r.data.assistance.find((x) => x.unitId === unitId);
        if (!unit) return { rule: 'unknownParty', message: `unit ${unitId} was not asked to verify`, messageZh: `未请单位 ${unitId} 协助核查` };
        if (unit.noticeReceivedAt) return { rule: 'onlyOnce', message: `unit ${unitId} received the notice at ${atBeijing(unit.noticeReceivedAt).en}`, messageZh: `单位 ${unitId} 已于${atBeijing(unit.noticeReceivedAt).zh}收到核查通知` };
        return null;
      },
      apply(k, { unitId }) {
        const unit = k.data.assistance.find((x) => x.unitId === unitId)!;
        unit.noticeReceivedAt = k.at;
        k.start('assistance-reply', { key: `assistance-reply:${unitId}`, startEvent: `verification notice received by ${unitId}`, owner: unitId });
        k.event('assistance.notice-received', { unitId });
      },
    }),
    'record-assistance-reply': action({
      label: "Record an assisting unit's verification result",
      labelZh: '记录协助单位反馈的核查结果',
      basis: `${REGULATION} Art. 39 ¶2`,
      // Its clock outlives the decision, so a unit that replies in time after it is recorded as met.
      afterClose: true,
      schema: lazy(() => z.object({ unitId: name().meta({ title: '协助单位编号' }), result: text().meta({ title: '核查结果' }) }).strict()),
      party: 'unitId',
      refuse(r, { unitId }) {
        const unit = r.data.assistance.find((x) => x.unitId === unitId);
        if (!unit) return { rule: 'unknownParty', message: `unit ${unitId} was not asked to verify`, messageZh: `未请单位 ${unitId} 协助核查` };
        if (unit.repliedAt) return { rule: 'onlyOnce', message: `unit ${unitId} already replied at ${atBeijing(unit.repliedAt).en}`, messageZh: `单位 ${unitId} 已于${atBeijing(unit.repliedAt).zh}反馈核查结果` };
        return null;
      },
      apply(k, { unitId, result }) {
        const unit = k.data.assistance.find((x) => x.unitId === unitId)!;
        // A reply proves receipt: when none was recorded, the unit received the notice no later than it replied.
        if (!unit.noticeReceivedAt) {
          unit.noticeReceivedAt = k.at;
          k.start('assistance-reply', { key: `assistance-reply:${unitId}`, startEvent: `verification notice received by ${unitId} (receipt proved by the reply)`, owner: unitId });
        }
        unit.repliedAt = k.at;
        unit.result = result;
        k.complete(`assistance-reply:${unitId}`);
        k.event('assistance.replied', { unitId, result });
      },
    }),
    decide: action({
      label: 'Decide the objection',
      labelZh: '作出异议处理决定',
      basis: `${REGULATION} Art. 39 ¶2–¶3, Art. 35 ¶2`,
      schema: lazy(() => z
        .object({
          outcome: z.enum(['upheld', 'rejected']).meta({ title: '处理决定', 'x-enum-labels-zh': { upheld: '异议申请理由成立，予以更正（采纳）', rejected: '异议申请理由不成立，不予更正（不予采纳）' } }),
          reasons: text().optional().meta({ title: '理由' }),
          downstreamSystems: z.array(name().meta({ title: '系统、网站' })).max(50).optional().meta({ title: '已共享该信息的其他系统、网站' }),
          departments: z.array(name().meta({ title: '部门' })).max(50).optional().meta({ title: '实施失信惩戒措施的有关部门' }),
        })
        .strict()),
      // Art. 35 ¶2: each department applying a punitive measure confirms its end itself.
      involves: (a) => a.departments ?? [],
      refuse(r, a) {
        if (r.data.decision) return { rule: 'onlyOnce', message: `the objection was already decided (${r.data.decision.outcome})`, messageZh: `该异议已作出处理决定（${r.data.decision.outcome}）` };
        if (r.c.stateBeforeSuspension !== null) return { rule: 'decideWhileSuspended', message: 'resume the clock before deciding', messageZh: '请先恢复计时，再作出处理决定' };
        if (r.c.variant === 'standard' && !r.data.markedAt) return { rule: 'markBeforeDecision', message: 'mark the record as disputed first', messageZh: '请先作出异议标注' };
        if (a.outcome === 'rejected' && !a.reasons) return { rule: 'reasonsRequired', message: 'a rejection must state its reasons', messageZh: '异议不成立的，处理决定应当说明理由' };
        if (a.outcome === 'rejected' && (a.downstreamSystems?.length || a.departments?.length)) {
          return { rule: 'correctionOnlyWhenUpheld', message: 'downstream systems and departments receive a correction, so they belong only to an upheld decision', messageZh: '已共享的系统和有关部门接收更正，因此仅适用于异议成立的处理决定' };
        }
        if (r.c.variant === 'standard' && a.departments?.length) return { rule: 'measuresOnlyOnList', message: 'punitive measures end only for an upheld Art. 35 objection', messageZh: '只有第35条规定的异议决定采纳的，才终止失信惩戒措施' };
        if (r.c.variant !== 'standard' && a.downstreamSystems?.length) return { rule: 'correctionOnlyWhenUpheld', message: 'an Art. 35 decision ends punitive measures (departments), not a record correction', messageZh: '第35条规定的处理决定终止失信惩戒措施（departments），而非更正信息' };
        return null;
      },
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
              ? ['remove the subject from the serious-dishonesty list', 'every department applying a punitive measure ends it', 'notify the applicant']
              : ['correct the record', 'send the correction to every system that received the information', 'notify the applicant'];
        k.event(`decision.${a.outcome}`, { effects, downstreamSystems: a.downstreamSystems ?? [], departments: a.departments ?? [] }, a.reasons);
        if (a.outcome === 'rejected') {
          k.close('rejected');
          return;
        }
        if (listed) k.credit('listing-ended', { unnamed: 'objection-review-v2', reason: 'objection upheld (Art. 35 ¶2)' });
        for (const system of new Set(a.downstreamSystems ?? [])) k.data.corrections.push({ name: system, sentAt: k.at, receivedAt: null, confirmedAt: null });
        for (const dept of new Set(a.departments ?? [])) k.data.measures.push({ name: dept, sentAt: k.at, receivedAt: null, confirmedAt: null });
        k.setState('correcting');
      },
    }),
    'correct-record': action({
      label: 'Correct the record',
      labelZh: '更正信用信息',
      basis: `${REGULATION} Art. 39 ¶3: 经核查确认异议申请理由成立的,应当及时更正`,
      schema: lazy(() => z.object({}).strict()),
      refuse(r) {
        if (r.data.decision?.outcome !== 'upheld' || r.c.variant !== 'standard') return { rule: 'correctionOnlyWhenUpheld', message: 'no upheld Art. 39 objection to correct', messageZh: '没有经确认成立的第39条异议，无可更正' };
        if (r.data.recordCorrected) return { rule: 'onlyOnce', message: `the record was corrected at ${atBeijing(r.data.recordCorrected.at).en}`, messageZh: `该信息已于${atBeijing(r.data.recordCorrected.at).zh}更正` };
        if (!r.evidenceRef) return { rule: 'evidenceRequired', message: 'attach the evidence of the correction (evidenceRef)', messageZh: '请附上更正的证明材料（evidenceRef）' };
        return null;
      },
      apply(k) {
        k.data.recordCorrected = { at: k.at, evidenceRef: k.evidenceRef! };
        k.event('record.corrected');
        closeIfComplete(k);
      },
    }),
    'notify-applicant': action({
      label: 'Notify the applicant of the decision',
      labelZh: '将处理决定告知异议申请人',
      basis: `${REGULATION} Art. 39 ¶3 (告知异议申请人), Art. 35 ¶2`,
      schema: lazy(() => z.object({ channel: text(100).optional().meta({ title: '告知方式' }) }).strict()),
      refuse(r) {
        if (r.data.decision?.outcome !== 'upheld') return { rule: 'correctionOnlyWhenUpheld', message: 'the applicant of a rejected objection is told the reasons with the decision', messageZh: '异议不成立的，理由随处理决定告知申请人' };
        if (r.data.applicantNotified) return { rule: 'onlyOnce', message: `the applicant was notified at ${atBeijing(r.data.applicantNotified.at).en}`, messageZh: `已于${atBeijing(r.data.applicantNotified.at).zh}告知异议申请人` };
        if (!r.evidenceRef) return { rule: 'evidenceRequired', message: 'attach the evidence of the notification (evidenceRef)', messageZh: '请附上告知的证明材料（evidenceRef）' };
        return null;
      },
      apply(k, { channel }) {
        k.data.applicantNotified = { at: k.at, evidenceRef: k.evidenceRef!, channel: channel ?? null };
        k.event('applicant.notified', { channel: channel ?? null });
        closeIfComplete(k);
      },
    }),
    'send-correction': action({
      label: 'Send the correction to more systems',
      labelZh: '向更多已共享的系统、网站发送更正信息',
      basis: `${REGULATION} Art. 39 ¶3`,
      schema: lazy(() => z.object({ systems: list(name().meta({ title: '系统、网站' }), 50).meta({ title: '已共享该信息的其他系统、网站' }) }).strict()),
      refuse(r, { systems }) {
        if (r.data.decision?.outcome !== 'upheld' || r.c.variant !== 'standard') return { rule: 'correctionOnlyWhenUpheld', message: 'no upheld Art. 39 objection to correct', messageZh: '没有经确认成立的第39条异议，无可更正' };
        const dup = systems.find((s) => r.data.corrections.some((x) => x.name === s));
        if (dup) return { rule: 'onlyOnce', message: `the correction was already sent to ${dup}`, messageZh: `更正信息已发送至 ${dup}` };
        if (r.data.corrections.length + systems.length > 50) return { rule: 'tooManyParties', message: 'at most 50 downstream systems per objection', messageZh: '每件异议最多发送至50个已共享的系统' };
        return null;
      },
      apply(k, { systems }) {
        for (const system of new Set(systems)) k.data.corrections.push({ name: system, sentAt: k.at, receivedAt: null, confirmedAt: null });
        k.event('correction.sent', { systems });
      },
    }),
    'record-correction-receipt': action({
      label: "Record a system's receipt of the corrected information",
      labelZh: '记录系统、网站收到更正信息',
      basis: `${REGULATION} Art. 39 ¶3: 自收到更正信息之日起`,
      schema: lazy(() => z.object({ system: name().meta({ title: '系统、网站' }) }).strict()),
      refuse(r, { system }) {
        const x = r.data.corrections.find((p) => p.name === system);
        if (!x) return { rule: 'unknownParty', message: `the correction was not sent to ${system}`, messageZh: `更正信息未发送至 ${system}` };
        if (x.receivedAt) return { rule: 'onlyOnce', message: `${system} received the correction at ${atBeijing(x.receivedAt).en}`, messageZh: `${system} 已于${atBeijing(x.receivedAt).zh}收到更正信息` };
        return null;
      },
      apply(k, { system }) {
        const x = k.data.corrections.find((p) => p.name === system)!;
        x.receivedAt = k.at;
        k.start('correction', { key: `correction:${system}`, startEvent: `correction received by ${system}`, owner: system });
        k.event('correction.received', { system });
      },
    }),
    'confirm-correction': action({
      label: 'A system confirms it applied the correction',
      labelZh: '系统、网站确认已处理更正信息',
      basis: `${REGULATION} Art. 39 ¶3`,
      schema: lazy(() => z.object({ system: name().meta({ title: '系统、网站' }) }).strict()),
      refuse(r, { system }) {
        if (r.data.decision?.outcome !== 'upheld') return { rule: 'correctionOnlyWhenUpheld', message: 'no upheld decision to correct', messageZh: '没有异议成立的处理决定，无可更正' };
        const x = r.data.corrections.find((p) => p.name === system);
        if (!x) return { rule: 'unknownParty', message: `the correction was not sent to ${system}`, messageZh: `更正信息未发送至 ${system}` };
        if (x.confirmedAt) return { rule: 'onlyOnce', message: `${system} already confirmed at ${atBeijing(x.confirmedAt).en}`, messageZh: `${system} 已于${atBeijing(x.confirmedAt).zh}确认` };
        return null;
      },
      apply(k, { system }) {
        const x = k.data.corrections.find((p) => p.name === system)!;
        if (!x.receivedAt) {
          x.receivedAt = k.at;
          k.start('correction', { key: `correction:${system}`, startEvent: `correction received by ${system} (receipt proved by the confirmation)`, owner: system });
        }
        x.confirmedAt = k.at;
        k.complete(`correction:${system}`);
        k.event('correction.confirmed', { system });
        closeIfComplete(k);
      },
    }),
    'confirm-measure-ended': action({
      label: 'A department confirms it ended its punitive measure',
      labelZh: '有关部门确认已终止实施失信惩戒措施',
      basis: `${REGULATION} Art. 35 ¶2: 决定采纳的,认定单位应当将其移出严重失信主体名单,有关部门应当终止实施失信惩戒措施`,
      schema: lazy(() => z.object({ department: name().meta({ title: '实施失信惩戒措施的部门' }) }).strict()),
      party: 'department',
      refuse(r, { department }) {
        if (r.data.decision?.outcome !== 'upheld' || r.c.variant !== 'serious-dishonesty-list') return { rule: 'measuresOnlyOnList', message: 'punitive measures end only for an upheld Art. 35 objection', messageZh: '只有第35条规定的异议决定采纳的，才终止失信惩戒措施' };
        const x = r.data.measures.find((p) => p.name === department);
        if (!x) return { rule: 'unknownParty', message: `${department} was not asked to end a punitive measure`, messageZh: `未要求 ${department} 终止失信惩戒措施` };
        if (x.confirmedAt) return { rule: 'onlyOnce', message: `${department} already confirmed at ${atBeijing(x.confirmedAt).en}`, messageZh: `${department} 已于${atBeijing(x.confirmedAt).zh}确认` };
        return null;
      },
      apply(k, { department }) {
        const x = k.data.measures.find((p) => p.name === department)!;
        x.receivedAt ??= k.at;
        x.confirmedAt = k.at;
        k.event('punitive-measure.ended', { department });
        closeIfComplete(k);
      },
    }),
  },
  states: {
    received: { label: 'Objection received', labelZh: '已收到异议申请', actions: ['mark-disputed', 'refer', 'request-assistance', 'decide'] },
    'under-review': {
      label: 'Marked as disputed, under review',
      labelZh: '已异议标注，核查中',
      actions: ['mark-disputed', 'refer', 'request-assistance', 'record-notice-receipt', 'record-assistance-reply', 'decide'],
    },
    correcting: {
      label: 'Upheld: correcting and notifying',
      labelZh: '异议成立，更正和告知中',
      actions: ['correct-record', 'notify-applicant', 'send-correction', 'record-correction-receipt', 'confirm-correction', 'confirm-measure-ended', 'record-notice-receipt', 'record-assistance-reply'],
    },
  },
  rules: {
    onlyOnce: { id: 'objection-review/already-done', basis: 'Each step of the procedure is recorded once' },
    afterDecision: { id: 'objection-review/after-decision', basis: `${REGULATION} Art. 39 ¶2: marking, referral and assistance serve the decision` },
    markBeforeDecision: { id: 'objection-review/mark-before-decision', basis: `${REGULATION} Art. 39 ¶2: the record is marked as disputed before the objection is decided` },
    noMarkOnList: { id: 'objection-review/art35-no-mark', basis: `${REGULATION} Art. 35 ¶2: the re-examination of a listing has its own 3-working-day decision and no separate dispute mark` },
    noAssistanceOnList: {
      id: 'objection-review/art35-no-assistance',
      basis: `${REGULATION} Art. 35 ¶2: the listing unit itself re-examines and decides within 3 working days; the assisted 7-day regime of Art. 39 does not apply`,
    },
    unknownParty: { id: 'objection-review/unknown-party', basis: 'A receipt, reply or confirmation must come from a unit or system the case sent to' },
    decideWhileSuspended: { id: 'objection-review/decide-while-suspended', basis: `${REGULATION} Art. 39 ¶2: the inspection / testing / appraisal must end (resume the clock) before the decision` },
    reasonsRequired: { id: 'objection-review/rejection-needs-reasons', basis: `${REGULATION} Art. 39 ¶3 and Art. 35 ¶2: a decision not to correct must state its reasons` },
    correctionOnlyWhenUpheld: { id: 'objection-review/correction-needs-upheld', basis: `${REGULATION} Art. 39 ¶3: corrections follow an upheld objection` },
    measuresOnlyOnList: { id: 'objection-review/measures-need-art35-upheld', basis: `${REGULATION} Art. 35 ¶2: punitive measures end when an objection to a listing is upheld` },
    evidenceRequired: { id: 'objection-review/evidence-required', basis: `${REGULATION} Art. 51: every correction and notification is recorded with its evidence` },
    tooManyParties: { id: 'objection-review/too-many-parties', basis: 'A case keeps its history bounded: at most 20 assisting units and 50 systems or departments' },
  },
  suspensionReasons: [
    { code: 'inspection', label: 'Inspection', labelZh: '检验' },
    { code: 'testing', label: 'Testing', labelZh: '检测' },
    { code: 'quarantine', label: 'Quarantine', labelZh: '检疫' },
    { code: 'appraisal', label: 'Appraisal', labelZh: '鉴定' },
    { code: 'expert-review', label: 'Expert review', labelZh: '专家评审' },
  ],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: `${REGULATION} Art. 39 and Art. 35 set fixed periods and provide for no extension` },
  initialState: 'received',
  file(k, filing) {
    if (k.c.variant === 'standard') {
      k.start('mark-disputed', { startEvent: 'objection received' });
      k.start('decision', { startEvent: 'objection received' });
    } else {
      k.start('decision-art35', { key: 'decision', startEvent: 'objection received' });
    }
    return {
      grounds: filing.grounds ?? [],
      reasons: filing.reasons ?? null,
      markedAt: null,
      referral: null,
      assistance: [],
      decision: null,
      recordCorrected: null,
      applicantNotified: null,
      corrections: [],
      measures: [],
    };
  },
});
