import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../definition';
import { REGULATION, REGULATION_IN_FORCE } from '../regulation';
import { text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { atBeijing } from '../../src/domain/said';

interface CorrectionData {
  information: string | null;
  corrected: { at: string; description: string } | null;
  updateFiled: { at: string } | null;
  agencyReceivedAt: string | null;
  applied: { at: string } | null;
}

const action = defineAction<CorrectionData>();
const ART38 = `${REGULATION} Art. 38`;

export const informationCorrectionV1 = defineProcedure<CorrectionData, { information?: string }>()({
  procedure: 'information-correction',
  version: 1,
  title: 'Correction of credit information by its provider',
  titleZh: '信用信息提供单位更正',
  basis: [ART38],
  validFrom: REGULATION_IN_FORCE,
  variants: {
    standard: { label: 'The provider discovers an error in information it provided (receivedAt: the discovery)', labelZh: '信息提供单位发现所提供的信息错误（受理时间填发现之日）', basis: `${ART38} ¶1` },
    'basis-changed': {
      label: 'The basis of a dishonesty finding was revoked or changed (receivedAt: the change)',
      labelZh: '认定失信行为的依据被撤销或者变更（受理时间填依据被改变之日）',
      basis: `${ART38} ¶3`,
    },
  },
  defaultVariant: 'standard',
  filing: lazy(() => z.object({ information: text().optional().meta({ title: '错误、失效或变更的信用信息' }) }).strict()),
  clocks: {
    correction: {
      label: 'Correct the information',
      labelZh: '更正信用信息',
      basis: `${ART38} ¶1: 应当自发现之日起三个工作日内进行更正`,
      kind: 'legal',
      period: { workingDays: 3 },
    },
    'provider-update': {
      label: 'Provider files the update with the credit agency',
      labelZh: '信息提供单位报送变更信息',
      basis: `${ART38} ¶3: 公共信用信息提供单位应当自依据被改变之日起两个工作日内向公共信用工作机构提出更新信息`,
      kind: 'legal',
      period: { workingDays: 2 },
    },
    'agency-apply': {
      label: 'Credit agency applies the update',
      labelZh: '信用信息工作机构更新信息',
      basis: `${ART38} ¶3: 公共信用工作机构应当在一个工作日内撤销或者变更该信息`,
      kind: 'legal',
      period: { workingDays: 1 },
    },
  },
  actions: {
    correct: action({
      label: 'Record the correction',
      labelZh: '记录更正情况',
      basis: `${ART38} ¶1`,
      schema: lazy(() => z.object({ description: text().meta({ title: '更正内容' }) }).strict()),
      refuse: (r) => (r.c.variant !== 'standard' ? { rule: 'wrongPath', message: 'a changed basis is filed with the credit agency (file-update), not corrected here', messageZh: '依据被改变的，向公共信用工作机构报送（file-update），不在此更正' } : null),
      apply(k, { description }) {
        k.data.corrected = { at: k.at, description };
        k.complete('correction');
        k.event('information.corrected', { description });
        k.close('corrected');
      },
    }),
    'file-update': action({
      label: 'File the update with the credit agency',
      labelZh: '向公共信用工作机构报送变更信息',
      basis: `${ART38} ¶3`,
      schema: lazy(() => z.object({}).strict()),
      refuse(r) {
        if (r.c.variant !== 'basis-changed') return { rule: 'wrongPath', message: 'only a revoked or changed basis is filed with the credit agency', messageZh: '只有依据被撤销或者改变的，才向公共信用工作机构报送' };
        return r.data.updateFiled ? { rule: 'onlyOnce', message: `the update was filed at ${atBeijing(r.data.updateFiled.at).en}`, messageZh: `更新信息已于${atBeijing(r.data.updateFiled.at).zh}报送` } : null;
      },
      apply(k) {
        k.data.updateFiled = { at: k.at };
        k.complete('provider-update');
        k.event('update.filed');
      },
    }),
    'record-agency-receipt': action({
      label: "Record the credit agency's receipt of the update",
      labelZh: '记录公共信用工作机构收到变更信息',
      basis: `${ART38} ¶3 (the text names no start for the agency's one working day: it runs from the agency's receipt)`,
      schema: lazy(() => z.object({ agency: text(200).optional().meta({ title: '公共信用工作机构' }) }).strict()),
      involves: ({ agency }) => (agency ? [agency] : []),
      party: 'agency',
      refuse(r) {
        if (!r.data.updateFiled) return { rule: 'receiptBeforeFiling', message: 'the update has not been filed', messageZh: '尚未报送更新信息' };
        if (r.data.agencyReceivedAt) return { rule: 'onlyOnce', message: `the agency received it at ${atBeijing(r.data.agencyReceivedAt).en}`, messageZh: `公共信用工作机构已于${atBeijing(r.data.agencyReceivedAt).zh}收到` };
        return r.at < r.data.updateFiled.at ? { rule: 'receiptBeforeFiling', message: `the update was filed at ${atBeijing(r.data.updateFiled.at).en}`, messageZh: `更新信息已于${atBeijing(r.data.updateFiled.at).zh}报送` } : null;
      },
      apply(k, { agency }) {
        k.data.agencyReceivedAt = k.at;
        k.start('agency-apply', { startEvent: 'update received by the credit agency', owner: agency ?? 'credit-agency' });
        k.event('update.received', { agency: agency ?? null });
      },
    }),
    'agency-applied': action({
      label: 'The credit agency applied the update',
      labelZh: '公共信用工作机构已更新信息',
      basis: `${ART38} ¶3`,
      schema: lazy(() => z.object({}).strict()),
      refuse: (r) => (r.data.agencyReceivedAt ? null : { rule: 'receiptBeforeFiling', message: "record the agency's receipt first", messageZh: '请先记录公共信用工作机构已收到更新信息' }),
      apply(k) {
        k.data.applied = { at: k.at };
        k.complete('agency-apply');
        k.event('update.applied');
        k.close('updated');
      },
    }),
  },
  states: {
    open: { label: 'Open', labelZh: '办理中', actions: ['correct', 'file-update', 'record-agency-receipt', 'agency-applied'] },
  },
  rules: {
    onlyOnce: { id: 'information-correction/already-done', basis: 'Each step of the procedure is recorded once' },
    wrongPath: { id: 'information-correction/wrong-path', basis: `${ART38}: ¶1 (an error found by the provider) and ¶3 (a revoked or changed basis) are separate paths` },
    receiptBeforeFiling: { id: 'information-correction/receipt-before-filing', basis: `${ART38} ¶3: the agency's 1 working day runs from its receipt of a filed update (the text names no start)` },
  },
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: `${ART38} sets fixed periods and provides for no extension` },
  initialState: 'open',
  file(k, filing) {
    if (k.c.variant === 'standard') k.start('correction', { startEvent: 'error discovered' });
    else k.start('provider-update', { startEvent: 'basis of the finding revoked or changed' });
    return { information: filing.information ?? null, corrected: null, updateFiled: null, agencyReceivedAt: null, applied: null };
  },
});
