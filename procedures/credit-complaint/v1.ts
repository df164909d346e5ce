import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../definition';
import { REGULATION, REGULATION_IN_FORCE } from '../regulation';
import { text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';

interface ComplaintData {
  collector: { name: string } | null;
  reply: { at: string; result: string } | null;
}

const action = defineAction<ComplaintData>();

export const creditComplaintV1 = defineProcedure<ComplaintData, { collector?: { name: string }; grounds?: string }>()({
  procedure: 'credit-complaint',
  version: 1,
  title: 'Complaint against a non-public credit information collector',
  titleZh: '对非公共信用信息采集者的投诉',
  basis: [`${REGULATION} Art. 41`],
  validFrom: REGULATION_IN_FORCE,
  variants: { standard: { label: 'Complaint', labelZh: '投诉', basis: `${REGULATION} Art. 41` } },
  defaultVariant: 'standard',
  filing: lazy(() => z
    .object({
      collector: z.object({ name: text(200).meta({ title: '名称' }) }).strict().optional().meta({ title: '被投诉的非公共信用信息采集单位' }),
      grounds: text().optional().meta({ title: '投诉理由' }),
    })
    .strict()),
  clocks: {
    reply: {
      label: 'Written reply to the complainant',
      labelZh: '书面答复投诉人',
      basis: `${REGULATION} Art. 41: 自受理之日起二十个工作日内书面答复`,
      kind: 'legal',
      period: { workingDays: 20 },
    },
  },
  actions: {
    reply: action({
      label: 'Reply in writing',
      labelZh: '书面答复投诉人',
      basis: `${REGULATION} Art. 41`,
      schema: lazy(() => z.object({ result: text().meta({ title: '核查、处理结果' }) }).strict()),
      apply(k, { result }) {
        k.data.reply = { at: k.at, result };
        k.complete('reply');
        k.event('complaint.replied', { result });
        k.close('replied');
      },
    }),
  },
  states: {
    accepted: { label: 'Complaint accepted', labelZh: '已受理投诉', actions: ['reply'] },
  },
  rules: {},
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: `${REGULATION} Art. 41 sets a fixed period and provides for no extension` },
  initialState: 'accepted',
  file(k, filing) {
    // The complaint is accepted when received: the 20 working days run from receipt.
    k.start('reply', { startEvent: 'complaint accepted' });
    return { collector: filing.collector ?? null, reply: null };
  },
});
