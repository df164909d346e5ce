import { list, text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../definition';
import { REGULATION, REGULATION_IN_FORCE } from '../regulation';
import { atBeijing } from '../../src/domain/said';

const ART_40 = `${REGULATION} Art. 40`;
const ART_45 = `${REGULATION} Art. 45`;
/** Harbin 2022 pandemic relief measures, measure No. 32: lateness caused by the pandemic is not recorded as dishonest. */
export const HARBIN_MEASURE_32 =
  'Harbin 2022 pandemic measures, No. 32: lateness caused by the pandemic is not recorded as dishonest; if already recorded, the subject may apply for repair (“受疫情影响,无法按时办理相关证照及行政审批事项的企业,可申请延时办理,相关延迟行为不纳入信用记录。已纳入信用记录的,可申请信用修复”)';

/** Art. 40 leaves the repair timetable to provincial rules: the periods below are named local-policy defaults. */
export const REPAIR_POLICY = 'Local policy default (Art. 40 delegates the timetable to provincial rules); operators change it in a new definition version';

export type ReasonCode = 'conduct-corrected' | 'pandemic-measure-32';
export type RepairOutcome = 'approved' | 'rejected';

/** What an approved repair ends (Art. 45): each is stated on the approval event. */
export const REPAIR_EFFECTS = [
  'stop publishing the dishonesty information',
  'remove the subject from the serious-dishonesty list',
  'notify the subject',
  'end every restriction and punishment imposed for the dishonest conduct',
] as const;

export interface RepairData {
  reasonCode: ReasonCode;
  /** The listing case being repaired, when the applicant named it. */
  listingCaseId: string | null;
  accepted: { at: string } | null;
  notAccepted: { at: string; reasons: string } | null;
  decision: { at: string; outcome: RepairOutcome; reasons: string | null; authorities: string[] } | null;
}

export interface RepairFiling {
  reasonCode?: ReasonCode;
  listingCaseId?: string;
}

const action = defineAction<RepairData>();

export const creditRepairV1 = defineProcedure<RepairData, RepairFiling>()({
  procedure: 'credit-repair',
  version: 1,
  title: 'Credit repair',
  titleZh: '信用修复',
  basis: [ART_40, ART_45, HARBIN_MEASURE_32],
  validFrom: REGULATION_IN_FORCE,
  variants: {
    standard: { label: 'Repair application to the listing unit or the public credit agency', labelZh: '向认定单位或者公共信用工作机构申请信用修复', basis: `${ART_40}: 失信主体依法纠正失信行为、消除不利影响的,可以向认定单位或者公共信用工作机构申请信用修复` },
  },
  defaultVariant: 'standard',
  filing: lazy(() => z
    .object({
      reasonCode: z
        .enum(['conduct-corrected', 'pandemic-measure-32'])
        .optional()
        .meta({ title: '修复事由', 'x-enum-labels-zh': { 'conduct-corrected': '已依法纠正失信行为、消除不利影响', 'pandemic-measure-32': '受疫情影响无法按时办理，已纳入信用记录的申请信用修复（哈政规〔2022〕5号第32项）' } }),
      listingCaseId: z.uuid().optional().meta({ title: '列入严重失信主体名单案件' }),
    })
    .strict()),
  clocks: {
    acceptance: {
      label: 'Decide whether to accept the repair application',
      labelZh: '信用修复申请受理',
      basis: `${ART_40}: the subject that has corrected the dishonest conduct applies for repair (信用修复); 2 working days after the application`,
      kind: 'promised',
      period: { workingDays: 2 },
      policy: REPAIR_POLICY,
    },
    decision: {
      label: 'Decide on the repair',
      labelZh: '作出信用修复决定',
      basis: `${ART_40}: decision on the repair; 5 working days after acceptance`,
      kind: 'promised',
      period: { workingDays: 5 },
      policy: REPAIR_POLICY,
    },
  },
  actions: {
    accept: action({
      label: 'Accept the repair application',
      labelZh: '受理信用修复申请',
      basis: ART_40,
      schema: lazy(() => z.object({}).strict()),
      refuse: (r) => (r.data.accepted ? { rule: 'alreadyAccepted', message: `the application was already accepted on ${atBeijing(r.data.accepted.at).en}`, messageZh: `该申请已于${atBeijing(r.data.accepted.at).zh}受理` } : null),
      apply(k) {
        k.data.accepted = { at: k.at };
        k.complete('acceptance');
        k.start('decision', { startEvent: 'application accepted' });
        k.event('repair.accepted', { reasonCode: k.data.reasonCode });
        k.setState('accepted');
      },
    }),
    'refuse-acceptance': action({
      label: 'Refuse to accept the repair application',
      labelZh: '不予受理信用修复申请',
      basis: `${ART_40}: a refusal to accept states its reasons`,
      schema: lazy(() => z.object({ reasons: text().meta({ title: '不予受理的理由' }) }).strict()),
      refuse: (r) => (r.data.accepted ? { rule: 'alreadyAccepted', message: `the application was already accepted on ${atBeijing(r.data.accepted.at).en}`, messageZh: `该申请已于${atBeijing(r.data.accepted.at).zh}受理` } : null),
      apply(k, { reasons }) {
        k.data.notAccepted = { at: k.at, reasons };
        k.complete('acceptance');
        k.event('repair.not-accepted', { reasons });
        k.close('not-accepted');
      },
    }),
    decide: action({
      label: 'Decide on the repair',
      labelZh: '作出信用修复决定',
      basis: `${ART_40} ¶2: an approved repair ends the publication of the dishonesty information, the listing and every restriction`,
      schema: lazy(() => z
        .object({
          outcome: z.enum(['approved', 'rejected']).meta({ title: '修复决定', 'x-enum-labels-zh': { approved: '符合信用修复条件，准予修复', rejected: '不符合信用修复条件，不予修复' } }),
          reasons: text().optional().meta({ title: '理由' }),
          /** The systems applying restrictions to the subject; each records the end of its restriction on approval. */
          authorities: list(text(200).meta({ title: '单位' }), 50).optional().meta({ title: '实施约束和惩戒措施的单位' }),
        })
        .strict()),
      refuse(r, { outcome, reasons, authorities }) {
        if (!r.data.accepted) return { rule: 'decideBeforeAccept', message: 'the application has not been accepted yet', messageZh: '该申请尚未受理' };
        if (outcome === 'rejected' && !reasons) return { rule: 'rejectionNeedsReasons', message: 'a rejected repair must state its reasons', messageZh: '不予信用修复的，应当说明理由' };
        if (outcome === 'rejected' && authorities) return { rule: 'authoritiesOnApproval', message: 'restrictions end only on an approved repair', messageZh: '只有准予信用修复的，才终止约束措施' };
        return null;
      },
      apply(k, { outcome, reasons, authorities }) {
        k.data.decision = { at: k.at, outcome, reasons: reasons ?? null, authorities: authorities ?? [] };
        k.complete('decision');
        const listingCaseId = k.data.listingCaseId;
        if (outcome === 'rejected') {
          k.event('repair.rejected', { reasons });
          k.close('rejected');
          return;
        }
        k.credit('repaired', { ...(listingCaseId ? { listingCaseId } : { unnamed: 'credit-repair-v1' as const }), reasonCode: k.data.reasonCode });
        k.event('repair.approved', { reasonCode: k.data.reasonCode, listingCaseId, reasons: reasons ?? null, effects: [...REPAIR_EFFECTS], authorities: authorities ?? [] });
        for (const authority of authorities ?? []) k.event('restriction.ended', { authority, listingCaseId });
        k.close('approved');
      },
    }),
  },
  states: {
    applied: { label: 'Application received', labelZh: '已申请', actions: ['accept', 'refuse-acceptance'] },
    accepted: { label: 'Accepted', labelZh: '已受理', actions: ['decide'] },
  },
  rules: {
    alreadyAccepted: { id: 'credit-repair/already-accepted', basis: `${ART_40}: an application is accepted (or refused) once` },
    decideBeforeAccept: { id: 'credit-repair/decide-before-accept', basis: `${ART_40}: the repair is decided on an accepted application` },
    rejectionNeedsReasons: { id: 'credit-repair/rejection-needs-reasons', basis: `${ART_40}: a decision not to repair states its reasons` },
    authoritiesOnApproval: { id: 'credit-repair/authorities-on-approval', basis: `${ART_40} ¶2: restrictions end only when the repair is approved` },
  },
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: `${ART_40} delegates the timetable to provincial rules; the local policy provides no extension` },
  initialState: 'applied',
  file(k, filing) {
    // The acceptance period runs from the application (its day not counted).
    k.start('acceptance', { startEvent: 'repair application received' });
    return { reasonCode: filing.reasonCode ?? 'conduct-corrected', listingCaseId: filing.listingCaseId ?? null, accepted: null, notAccepted: null, decision: null };
  },
});
