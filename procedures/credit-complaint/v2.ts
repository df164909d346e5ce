import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../definition';
import { REGULATION } from '../regulation';
import { text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { creditComplaintV1 } from './v1';

// Version 2, after the legal review (A9): the 20 working days run from acceptance ("自受理之日起"), not from receipt.
// The case waits for the credit authority to accept or refuse the complaint. Cases filed under version 1 keep it.

const ART_41_2 = `${REGULATION} Art. 41 ¶2`;
/** Who may be complained about under Art. 41 ¶2. */
const ART_41_2_TARGET = `${ART_41_2}: 信用主体认为非公共信用信息采集单位的行为侵犯其合法权益的,可以向市级或者县级人民政府社会信用主管部门投诉`;
/** Art. 41 ¶1: acts of public credit administration are challenged by reconsideration or litigation, not by complaint. */
const ART_41_1 = `${REGULATION} Art. 41 ¶1: 可以依法申请行政复议或者提起行政诉讼`;
/**
 * Art. 41 ¶2 sets no period for the acceptance itself ("及时" binds the verification and handling, and names no number):
 * no clock runs before the complaint is accepted, and no local policy adds one.
 */
export const NO_ACCEPTANCE_PERIOD = `${ART_41_2} sets no period for accepting a complaint: no clock runs before acceptance`;
/** The text does not say a refusal to accept states its reasons: requiring them is local policy. */
export const REFUSAL_REASONS_POLICY = 'Local policy: a refusal to accept a complaint is a written decision stating its reasons (Art. 41 ¶2 is silent)';

export interface ComplaintDataV2 {
  collector: { name: string } | null;
  accepted: { at: string; collector: string } | null;
  notAccepted: { at: string; reasons: string } | null;
  reply: { at: string; result: string } | null;
}

export interface ComplaintFilingV2 {
  collector?: { name: string };
  grounds?: string;
}

const action = defineAction<ComplaintDataV2>();

export const creditComplaintV2 = defineProcedure<ComplaintDataV2, ComplaintFilingV2>()({
  ...creditComplaintV1,
  version: 2,
  basis: [`${REGULATION} Art. 41`, ART_41_2_TARGET, NO_ACCEPTANCE_PERIOD],
  variants: { standard: { label: 'Complaint against a non-public credit information collector', labelZh: '对非公共信用信息采集单位的投诉', basis: ART_41_2_TARGET } },
  clocks: {
    reply: {
      label: 'Written reply to the complainant',
      labelZh: '书面答复投诉人',
      basis: `${ART_41_2}: 受理投诉的社会信用主管部门应当及时核查、处理,并自受理之日起二十个工作日内书面答复投诉人`,
      kind: 'legal',
      period: { workingDays: 20 },
    },
  },
  actions: {
    accept: action({
      label: 'Accept the complaint (the reply period starts on the day of acceptance)',
      labelZh: '受理投诉（答复期限自受理之日起计算）',
      basis: `${ART_41_2_TARGET}; 自受理之日起二十个工作日内书面答复投诉人`,
      schema: lazy(() => z
        .object({
          /** The unit confirms that the complaint concerns a non-public credit information collector (Art. 41 ¶2). */
          nonPublicCollector: z.boolean().meta({ title: '被投诉人为非公共信用信息采集单位' }),
          /** The collector complained about, when the filing did not name it. */
          collector: z.object({ name: text(200).meta({ title: '名称' }) }).strict().optional().meta({ title: '被投诉的非公共信用信息采集单位' }),
        })
        .strict()),
      starts: ['reply'],
      refuse(r, { nonPublicCollector, collector }) {
        if (!nonPublicCollector) return { rule: 'nonPublicCollector', message: 'only a complaint against a non-public credit information collector is accepted under Art. 41 ¶2; refuse acceptance (refuse-acceptance) and point to Art. 41 ¶1', messageZh: '依第41条第2款，仅受理针对非公共信用信息采集单位的投诉；请不予受理（refuse-acceptance），并告知第41条第1款的规定' };
        if (!collector && !r.data.collector) return { rule: 'collectorNamed', message: 'name the non-public credit information collector complained about (collector.name)', messageZh: '请写明被投诉的非公共信用信息采集单位（collector.name）' };
        return null;
      },
      apply(k, { collector }) {
        if (collector) k.data.collector = collector;
        const name = k.data.collector!.name;
        k.data.accepted = { at: k.at, collector: name };
        k.start('reply', { startEvent: 'complaint accepted' });
        k.event('complaint.accepted', { collector: name });
        k.setState('accepted');
      },
    }),
    'refuse-acceptance': action({
      label: 'Refuse to accept the complaint (a written decision with reasons; the case closes)',
      labelZh: '不予受理投诉（书面决定并说明理由，案件办结）',
      basis: `${ART_41_2} (受理投诉); ${REFUSAL_REASONS_POLICY}`,
      schema: lazy(() => z.object({ reasons: text().meta({ title: '不予受理的理由' }) }).strict()),
      apply(k, { reasons }) {
        k.data.notAccepted = { at: k.at, reasons };
        k.event('complaint.not-accepted', { reasons });
        k.close('not-accepted');
      },
    }),
    reply: action({
      label: 'Reply in writing',
      labelZh: '书面答复投诉人',
      basis: `${ART_41_2}: 书面答复投诉人`,
      schema: lazy(() => z.object({ result: text().meta({ title: '核查、处理结果' }) }).strict()),
      stops: ['reply'],
      apply(k, { result }) {
        k.data.reply = { at: k.at, result };
        k.complete('reply');
        k.event('complaint.replied', { result });
        k.close('replied');
      },
    }),
  },
  states: {
    'awaiting-acceptance': {
      label: 'Complaint received, awaiting acceptance',
      labelZh: '待受理',
      actions: ['accept', 'refuse-acceptance'],
      next: { accept: ['accepted'], 'refuse-acceptance': ['closed'] },
    },
    accepted: { label: 'Complaint accepted', labelZh: '已受理投诉', actions: ['reply'], next: { reply: ['closed'] } },
  },
  rules: {
    nonPublicCollector: { id: 'credit-complaint/non-public-collector', basis: `${ART_41_2_TARGET}; ${ART_41_1}` },
    collectorNamed: { id: 'credit-complaint/collector-named', basis: `${ART_41_2}: the complaint concerns the acts of a named 非公共信用信息采集单位` },
  },
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: `${ART_41_2} sets a fixed period and provides for no extension` },
  initialState: 'awaiting-acceptance',
  startsOnFiling: [],
  file(_k, filing) {
    // No clock at filing: the 20 working days run from acceptance (自受理之日起); the text sets no acceptance period.
    return { collector: filing.collector ?? null, accepted: null, notAccepted: null, reply: null };
  },
});
