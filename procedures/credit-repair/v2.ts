import { isoDate, list, saying, text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { defineAction, defineProcedure, type KernelAction } from '../definition';
import { REGULATION } from '../regulation';
import { creditRepairV1, ReasonCode, RepairOutcome } from './v1';
import { atBeijing, untilBeijing, zhDate } from '../../src/domain/said';

// Version 2, after the second legal review: an application names what it repairs (a listing or a false / unkept
// commitment); approval ends exactly that, as separate recorded steps (Art. 40 ¶2); pandemic measure No. 32 applies
// only to conduct while the Harbin measures were valid. Cases filed under version 1 keep version 1.

const ART_40_2 = `${REGULATION} Art. 40 ¶2`;
const ART_40_2_TEXT = '符合信用修复条件的,受理申请的单位应当按照有关规定及时停止公示失信信息,移出严重失信主体名单,并将修复情况告知信用主体。修复完成后,应当即时终止实施约束和惩戒措施';
const ART_45_1 = `${REGULATION} Art. 45 ¶1: 严重失信主体和作出过虚假承诺、未履行承诺的信用主体,在信用修复完成前不得适用信用承诺制`;
/** Harbin 2022 measures: "有效期至2022年12月31日". */
export const MEASURE_32_LAST_DAY = '2022-12-31';

interface Party {
  name: string;
  confirmedAt: string | null;
}

export interface RepairDataV2 {
  reasonCode: ReasonCode;
  /** What the application repairs: exactly one of the two. */
  listingCaseId: string | null;
  commitmentCaseId: string | null;
  /** The day of the dishonest conduct (required for pandemic measure No. 32). */
  conductDate: string | null;
  accepted: { at: string } | null;
  notAccepted: { at: string; reasons: string } | null;
  decision: { at: string; outcome: RepairOutcome; reasons: string | null; authorities: string[] } | null;
  /** Art. 40 ¶2, each a recorded step: 停止公示失信信息, 告知信用主体, 终止实施约束和惩戒措施 (per authority). */
  publicationStopped: { at: string; evidenceRef: string } | null;
  subjectNotified: { at: string; evidenceRef: string } | null;
  restrictions: Party[];
}

export interface RepairFilingV2 {
  reasonCode?: ReasonCode;
  listingCaseId?: string;
  commitmentCaseId?: string;
  conductDate?: string;
}

const action = defineAction<RepairDataV2>();
const asV2 = (a: unknown) => a as KernelAction<RepairDataV2, never, never, never>;

/** Approval is complete once every step Art. 40 ¶2 lists is recorded. */
function closeIfComplete(k: Parameters<Parameters<typeof action>[0]['apply']>[0]): void {
  const d = k.data;
  if (d.decision?.outcome === 'approved' && d.publicationStopped && d.subjectNotified && d.restrictions.every((r) => r.confirmedAt)) k.close('approved');
}

const evidenceRule = (what: string, whatZh: string) => ({ rule: 'evidenceRequired' as const, message: `attach the evidence that ${what} (evidenceRef)`, messageZh: `请附上${whatZh}的证明材料（evidenceRef）` });

export const creditRepairV2 = defineProcedure<RepairDataV2, RepairFilingV2>()({
  ...creditRepairV1,
  version: 2,
  basis: [`${REGULATION} Art. 40`, ART_45_1, creditRepairV1.basis[2]],
  filing: lazy(() => z
    .object({
      reasonCode: z
        .enum(['conduct-corrected', 'pandemic-measure-32'])
        .optional()
        .meta({ title: '修复事由', 'x-enum-labels-zh': { 'conduct-corrected': '已依法纠正失信行为、消除不利影响', 'pandemic-measure-32': '受疫情影响无法按时办理，已纳入信用记录的申请信用修复（哈政规〔2022〕5号第32项）' } }),
      listingCaseId: z.uuid().optional().meta({ title: '列入严重失信主体名单案件' }),
      commitmentCaseId: z.uuid().optional().meta({ title: '承诺核查案件' }),
      conductDate: isoDate().optional().meta({ title: '失信行为发生日期' }),
    })
    .strict()
    .superRefine((f, ctx) => {
      const named = [f.listingCaseId, f.commitmentCaseId].filter(Boolean).length;
      if (named !== 1) ctx.addIssue({ code: 'custom', path: ['listingCaseId'], ...saying({ en: 'name what the application repairs: listingCaseId (a listing) or commitmentCaseId (a false or unkept commitment), exactly one', zh: '请写明申请修复的对象：listingCaseId（一项列入严重失信主体名单）或 commitmentCaseId（一项虚假承诺或未履行承诺），二者须填写且只能填写其一' }) });
      if (f.reasonCode === 'pandemic-measure-32' && !f.conductDate) ctx.addIssue({ code: 'custom', path: ['conductDate'], ...saying({ en: 'conductDate is required with pandemic-measure-32: the measure applies only to conduct up to 2022-12-31', zh: '依 pandemic-measure-32 申请的，须填写 conductDate：该措施仅适用于2022年12月31日及以前的行为' }) });
    })),
  readsCreditStatus: true,
  eligibility({ filing, creditStatus }) {
    if (filing.reasonCode === 'pandemic-measure-32' && filing.conductDate! > MEASURE_32_LAST_DAY) {
      return { rule: 'measure32Period', message: `the conduct on ${filing.conductDate} is after ${MEASURE_32_LAST_DAY}, when the Harbin 2022 measures ended`, messageZh: `${zhDate(filing.conductDate!)}的行为晚于${zhDate(MEASURE_32_LAST_DAY)}，而哈尔滨2022年政策措施已于该日到期` };
    }
    if (filing.listingCaseId) {
      const listing = creditStatus?.listings.find((l) => l.caseId === filing.listingCaseId);
      if (!listing) return { rule: 'namesWhatItRepairs', message: `listingCaseId ${filing.listingCaseId} is not a listing of this subject`, messageZh: `listingCaseId ${filing.listingCaseId} 不是该信用主体的列入严重失信主体名单案件` };
      if (!listing.active) return { rule: 'namesWhatItRepairs', message: `the listing ${filing.listingCaseId} already ended (${untilBeijing(String(listing.endedAt)).en})`, messageZh: `列入严重失信主体名单（案件 ${filing.listingCaseId}）已于${untilBeijing(String(listing.endedAt)).zh}结束` };
    } else {
      const breach = creditStatus?.commitmentBreaches.find((b) => b.caseId === filing.commitmentCaseId);
      if (!breach) return { rule: 'namesWhatItRepairs', message: `commitmentCaseId ${filing.commitmentCaseId} recorded no false or unkept commitment of this subject`, messageZh: `commitmentCaseId ${filing.commitmentCaseId} 未记录该信用主体的虚假承诺或未履行承诺` };
      if (breach.repaired) return { rule: 'namesWhatItRepairs', message: `the commitment breach of ${filing.commitmentCaseId} is already repaired`, messageZh: `${filing.commitmentCaseId} 记录的违背承诺情形已完成信用修复` };
    }
    return null;
  },
  actions: {
    accept: { ...asV2(creditRepairV1.actions.accept), starts: ['decision'], stops: ['acceptance'] },
    'refuse-acceptance': { ...asV2(creditRepairV1.actions['refuse-acceptance']), stops: ['acceptance'] },
    decide: action({
      label: 'Decide on the repair',
      labelZh: '作出信用修复决定',
      basis: `${ART_40_2}: ${ART_40_2_TEXT}`,
      schema: lazy(() => z
        .object({
          outcome: z.enum(['approved', 'rejected']).meta({ title: '修复决定', 'x-enum-labels-zh': { approved: '符合信用修复条件，准予修复', rejected: '不符合信用修复条件，不予修复' } }),
          reasons: text().optional().meta({ title: '理由' }),
          /** The authorities applying restrictions or punishments tied to what is repaired: each records their end. */
          authorities: list(text(200).meta({ title: '单位' }), 50).optional().meta({ title: '实施约束和惩戒措施的单位' }),
        })
        .strict()),
      stops: ['decision'],
      refuse(r, { outcome, reasons, authorities }) {
        if (outcome === 'rejected' && !reasons) return { rule: 'rejectionNeedsReasons', message: 'a rejected repair must state its reasons', messageZh: '不予信用修复的，应当说明理由' };
        if (outcome === 'rejected' && authorities) return { rule: 'authoritiesOnApproval', message: 'restrictions end only on an approved repair', messageZh: '只有准予信用修复的，才终止约束措施' };
        return null;
      },
      apply(k, { outcome, reasons, authorities }) {
        k.data.decision = { at: k.at, outcome, reasons: reasons ?? null, authorities: authorities ?? [] };
        k.complete('decision');
        const { listingCaseId, commitmentCaseId } = k.data;
        if (outcome === 'rejected') {
          k.event('repair.rejected', { reasons });
          k.close('rejected');
          return;
        }
        k.credit('repaired', { ...(listingCaseId ? { listingCaseId } : { commitmentCaseId: commitmentCaseId! }), reasonCode: k.data.reasonCode });
        k.event('repair.approved', { reasonCode: k.data.reasonCode, listingCaseId, commitmentCaseId, reasons: reasons ?? null, authorities: authorities ?? [] });
        // 移出严重失信主体名单: the listing case records the removal (it ends as repaired).
        if (listingCaseId) k.affect({ kind: 'end-listing', listingCaseId, ground: 'repair', reasons: reasons ?? 'credit repair approved (Art. 40 ¶2)' });
        for (const name of new Set(authorities ?? [])) k.data.restrictions.push({ name, confirmedAt: null });
        k.setState('repairing');
      },
    }),
    'stop-publication': action({
      label: 'Stop publishing the dishonesty information',
      labelZh: '停止公示失信信息',
      basis: `${ART_40_2}: 及时停止公示失信信息`,
      schema: lazy(() => z.object({}).strict()),
      refuse(r) {
        if (r.data.publicationStopped) return { rule: 'alreadyDone', message: `publication was stopped at ${atBeijing(r.data.publicationStopped.at).en}`, messageZh: `已于${atBeijing(r.data.publicationStopped.at).zh}停止公示` };
        return r.evidenceRef ? null : evidenceRule('publication stopped', '已停止公示');
      },
      apply(k) {
        k.data.publicationStopped = { at: k.at, evidenceRef: k.evidenceRef! };
        k.event('repair.publication-stopped', { listingCaseId: k.data.listingCaseId, commitmentCaseId: k.data.commitmentCaseId });
        closeIfComplete(k);
      },
    }),
    'notify-subject': action({
      label: 'Tell the subject the outcome of the repair',
      labelZh: '将修复情况告知信用主体',
      basis: `${ART_40_2}: 将修复情况告知信用主体`,
      schema: lazy(() => z.object({ channel: text(100).optional().meta({ title: '告知方式' }) }).strict()),
      refuse(r) {
        if (r.data.subjectNotified) return { rule: 'alreadyDone', message: `the subject was told at ${atBeijing(r.data.subjectNotified.at).en}`, messageZh: `已于${atBeijing(r.data.subjectNotified.at).zh}告知信用主体` };
        return r.evidenceRef ? null : evidenceRule('the subject was told', '已告知信用主体');
      },
      apply(k, { channel }) {
        k.data.subjectNotified = { at: k.at, evidenceRef: k.evidenceRef! };
        k.event('repair.subject-notified', { channel: channel ?? null });
        closeIfComplete(k);
      },
    }),
    'confirm-restriction-ended': action({
      label: 'An authority confirms it ended its restriction or punishment',
      labelZh: '有关单位确认已终止实施约束和惩戒措施',
      basis: `${ART_40_2}: 修复完成后,应当即时终止实施约束和惩戒措施`,
      schema: lazy(() => z.object({ authority: text(200).meta({ title: '实施约束和惩戒措施的单位' }) }).strict()),
      refuse(r, { authority }) {
        const x = r.data.restrictions.find((p) => p.name === authority);
        if (!x) return { rule: 'unknownAuthority', message: `${authority} was not named on the approval`, messageZh: `准予修复的决定中未列明 ${authority}` };
        return x.confirmedAt ? { rule: 'alreadyDone', message: `${authority} already confirmed at ${atBeijing(x.confirmedAt).en}`, messageZh: `${authority} 已于${atBeijing(x.confirmedAt).zh}确认` } : null;
      },
      apply(k, { authority }) {
        k.data.restrictions.find((p) => p.name === authority)!.confirmedAt = k.at;
        k.event('restriction.ended', { authority, listingCaseId: k.data.listingCaseId, commitmentCaseId: k.data.commitmentCaseId });
        closeIfComplete(k);
      },
    }),
  },
  states: {
    applied: { label: 'Application received', labelZh: '已申请', actions: ['accept', 'refuse-acceptance'], next: { accept: ['accepted'], 'refuse-acceptance': ['closed'] } },
    accepted: { label: 'Accepted', labelZh: '已受理', actions: ['decide'], next: { decide: ['repairing', 'closed'] } },
    repairing: {
      label: 'Approved: ending publication, listing and restrictions',
      labelZh: '准予修复，执行中',
      actions: ['stop-publication', 'notify-subject', 'confirm-restriction-ended'],
      next: { 'stop-publication': ['closed'], 'notify-subject': ['closed'], 'confirm-restriction-ended': ['closed'] },
    },
  },
  rules: {
    ...creditRepairV1.rules,
    authoritiesOnApproval: { id: 'credit-repair/authorities-on-approval', basis: `${ART_40_2}: restrictions end only when the repair is approved` },
    namesWhatItRepairs: { id: 'credit-repair/names-what-it-repairs', basis: `${ART_40_2}: the repair ends the publication, the listing and the restrictions of what it repairs, and nothing else` },
    measure32Period: { id: 'credit-repair/measure-32-period', basis: 'Harbin 2022 pandemic measures, No. 32, valid to 2022-12-31 (有效期至2022年12月31日): it applies only to conduct in that period' },
    alreadyDone: { id: 'credit-repair/already-done', basis: 'Each step of the procedure is recorded once' },
    unknownAuthority: { id: 'credit-repair/unknown-authority', basis: `${ART_40_2} (终止实施约束和惩戒措施); local policy: the authorities that end them are named on the approval, each confirming its own` },
    evidenceRequired: { id: 'credit-repair/evidence-required', basis: `Local policy: each step of the repair is recorded with its evidence, so that the performance of the 信用修复职责 (${REGULATION} Art. 51) can be shown` },
  },
  startsOnFiling: ['acceptance'],
  file(k, filing) {
    k.start('acceptance', { startEvent: 'repair application received' });
    return {
      reasonCode: filing.reasonCode ?? 'conduct-corrected',
      listingCaseId: filing.listingCaseId ?? null,
      commitmentCaseId: filing.commitmentCaseId ?? null,
      conductDate: filing.conductDate ?? null,
      accepted: null,
      notAccepted: null,
      decision: null,
      publicationStopped: null,
      subjectNotified: null,
      restrictions: [],
    };
  },
});
