import { DEFAULT_ESCALATION, defineAction, defineProcedure } from '../definition';
import { REGULATION } from '../regulation';
import { text, lazy } from '../../src/domain/kernel/schema';
import { z } from '../../src/domain/kernel/zod';
import { informationCorrectionV1 } from './v1';

// Version 2, after the legal review (A10): Art. 38 has three paragraphs. ¶1 a public credit information provider
// corrects within 3 working days of the discovery and pushes the corrected information to the credit platform (a
// recorded step); ¶2 a non-public credit information collector corrects within 3 working days (a variant); ¶3 a
// revoked or changed basis: the provider files the update within 2 working days of the change and the public credit
// agency revokes or changes the information within 1 working day. Cases filed under version 1 keep it.

const ART38 = `${REGULATION} Art. 38`;
const ART38_1 = `${ART38} ¶1`;
const ART38_2 = `${ART38} ¶2`;
const ART38_3 = `${ART38} ¶3`;
/**
 * Art. 38 ¶3 names no start for the agency's one working day ("应当在一个工作日内撤销或者变更该信息"): local policy
 * runs it from the agency's recorded receipt of the provider's update.
 */
export const AGENCY_START_POLICY = `Local policy: ${ART38_3} names no start for the public credit agency's one working day; it runs from the agency's recorded receipt of the update`;
/** ¶1 attaches the three working days to the correction (进行更正); the push is a required step the text does not time. */
export const PUSH_POLICY = `${ART38_1} times the correction (三个工作日内进行更正); the push to the credit platform is a required recorded step with no period of its own`;

interface CorrectionDataV2 {
  information: string | null;
  corrected: { at: string; description: string } | null;
  pushed: { at: string; evidenceRef: string } | null;
  updateFiled: { at: string } | null;
  agencyReceivedAt: string | null;
  applied: { at: string; change: 'revoked' | 'changed' | null } | null;
}

const action = defineAction<CorrectionDataV2>();

export const informationCorrectionV2 = defineProcedure<CorrectionDataV2, { information?: string }>()({
  procedure: informationCorrectionV1.procedure,
  version: 2,
  titleZh: informationCorrectionV1.titleZh,
  validFrom: informationCorrectionV1.validFrom,
  defaultVariant: informationCorrectionV1.defaultVariant,
  filing: informationCorrectionV1.filing,
  title: 'Correction of credit information (provider, non-public collector, or a changed basis)',
  basis: [ART38_1, ART38_2, ART38_3, AGENCY_START_POLICY, PUSH_POLICY],
  variants: {
    standard: {
      label: 'A public credit information provider discovers an error, lapse or change in information it provided (receivedAt: the discovery)',
      labelZh: '公共信用信息提供单位发现所提供的信息错误、失效或者发生变更（受理时间填发现之日）',
      basis: `${ART38_1}: 公共信用信息提供单位发现公共信用信息错误、失效或者发生变更的`,
    },
    'non-public': {
      label: 'A non-public credit information collector discovers an error, lapse or change (receivedAt: the discovery)',
      labelZh: '非公共信用信息采集单位发现信息错误、失效或者发生变更（受理时间填发现之日）',
      basis: `${ART38_2}: 非公共信用信息采集单位发现非公共信用信息错误、失效或者发生变更的`,
    },
    'basis-changed': {
      label: 'The basis of a dishonesty finding was revoked, found unlawful or void, or changed (receivedAt: the change)',
      labelZh: '认定失信行为的依据被撤销、确认违法、确认无效或者变更（受理时间填依据被改变之日）',
      basis: `${ART38_3}: 认定失信行为的依据被撤销、确认违法、确认无效或者变更的`,
    },
  },
  clocks: {
    correction: {
      label: 'Correct the information (public credit information provider)',
      labelZh: '更正公共信用信息',
      basis: `${ART38_1}: 应当自发现之日起三个工作日内进行更正,并向信用平台推送更正后的信息`,
      kind: 'legal',
      period: { workingDays: 3 },
    },
    'collector-correction': {
      label: 'Correct the information (non-public credit information collector)',
      labelZh: '更正非公共信用信息',
      basis: `${ART38_2}: 应当自发现之日起三个工作日内依法依约更正`,
      kind: 'legal',
      period: { workingDays: 3 },
    },
    'provider-update': {
      label: 'Provider files the update with the public credit agency',
      labelZh: '信息提供单位提出更新信息',
      basis: `${ART38_3}: 公共信用信息提供单位应当自依据被改变之日起两个工作日内向公共信用工作机构提出更新信息`,
      kind: 'legal',
      period: { workingDays: 2 },
    },
    'agency-apply': {
      label: 'Public credit agency revokes or changes the information',
      labelZh: '公共信用工作机构撤销或者变更信息',
      basis: `${ART38_3}: 公共信用工作机构应当在一个工作日内撤销或者变更该信息`,
      kind: 'legal',
      period: { workingDays: 1 },
      policy: AGENCY_START_POLICY,
    },
  },
  actions: {
    correct: action({
      label: 'Record the correction',
      labelZh: '记录更正情况',
      basis: `${ART38_1} and ${ART38_2}: 自发现之日起三个工作日内`,
      schema: lazy(() => z.object({ description: text().meta({ title: '更正内容' }) }).strict()),
      stops: ['correction', 'collector-correction'],
      refuse: (r) => (r.c.variant === 'basis-changed' ? { rule: 'wrongPath', message: 'a revoked or changed basis is filed with the public credit agency (file-update), not corrected here (Art. 38 ¶3)', messageZh: '依据被撤销或者改变的，向公共信用工作机构报送（file-update），不在此更正（第38条第3款）' } : null),
      apply(k, { description }) {
        k.data.corrected = { at: k.at, description };
        k.event('information.corrected', { description });
        if (k.c.variant === 'non-public') {
          k.complete('collector-correction');
          k.close('corrected');
          return;
        }
        k.complete('correction');
        k.setState('corrected');
      },
    }),
    'push-to-platform': action({
      label: 'Push the corrected information to the credit platform',
      labelZh: '向信用平台推送更正后的信息',
      basis: `${ART38_1}: 并向信用平台推送更正后的信息`,
      schema: lazy(() => z.object({}).strict()),
      refuse: (r) => (r.evidenceRef ? null : { rule: 'evidenceRequired', message: 'attach the evidence of the push to the credit platform (evidenceRef)', messageZh: '请附上向信用平台推送的证明材料（evidenceRef）' }),
      apply(k) {
        k.data.pushed = { at: k.at, evidenceRef: k.evidenceRef! };
        k.event('information.pushed', { evidenceRef: k.evidenceRef });
        k.close('corrected');
      },
    }),
    'file-update': action({
      label: 'File the update with the public credit agency',
      labelZh: '向公共信用工作机构提出更新信息',
      basis: `${ART38_3}: 向公共信用工作机构提出更新信息`,
      schema: lazy(() => z.object({}).strict()),
      stops: ['provider-update'],
      refuse: (r) => (r.c.variant !== 'basis-changed' ? { rule: 'wrongPath', message: 'only a revoked or changed basis of a dishonesty finding is filed with the public credit agency (Art. 38 ¶3)', messageZh: '只有失信认定的依据被撤销或者改变的，才向公共信用工作机构报送（第38条第3款）' } : null),
      apply(k) {
        k.data.updateFiled = { at: k.at };
        k.complete('provider-update');
        k.event('update.filed');
        k.setState('update-filed');
      },
    }),
    'record-agency-receipt': action({
      label: "Record the public credit agency's receipt of the update",
      labelZh: '记录公共信用工作机构收到更新信息',
      basis: `${ART38_3}; ${AGENCY_START_POLICY}`,
      schema: lazy(() => z.object({ agency: text(200).optional().meta({ title: '公共信用工作机构' }) }).strict()),
      involves: ({ agency }) => (agency ? [agency] : []),
      party: 'agency',
      starts: ['agency-apply'],
      // A receipt before the filing: the state graph (update-filed) and the kernel's action-time rule refuse it.
      apply(k, { agency }) {
        k.data.agencyReceivedAt = k.at;
        k.start('agency-apply', { startEvent: 'update received by the public credit agency', owner: agency ?? 'credit-agency' });
        k.event('update.received', { agency: agency ?? null });
        k.setState('update-received');
      },
    }),
    'agency-applied': action({
      label: 'The public credit agency revoked or changed the information',
      labelZh: '公共信用工作机构已撤销或者变更该信息',
      basis: `${ART38_3}: 撤销或者变更该信息`,
      schema: lazy(() => z.object({ change: z.enum(['revoked', 'changed']).optional().meta({ title: '处理方式', 'x-enum-labels-zh': { revoked: '撤销该信息', changed: '变更该信息' } }) }).strict()),
      stops: ['agency-apply'],
      apply(k, { change }) {
        k.data.applied = { at: k.at, change: change ?? null };
        k.complete('agency-apply');
        k.event('update.applied', { change: change ?? null });
        k.close('updated');
      },
    }),
  },
  states: {
    open: { label: 'Open', labelZh: '办理中', actions: ['correct', 'file-update'], next: { correct: ['corrected', 'closed'], 'file-update': ['update-filed'] } },
    corrected: { label: 'Corrected, to be pushed to the credit platform', labelZh: '已更正,待推送信用平台', actions: ['push-to-platform'], next: { 'push-to-platform': ['closed'] } },
    'update-filed': { label: 'Update filed with the public credit agency', labelZh: '已提出更新信息', actions: ['record-agency-receipt'], next: { 'record-agency-receipt': ['update-received'] } },
    'update-received': { label: 'Update received by the public credit agency', labelZh: '公共信用工作机构已收到', actions: ['agency-applied'], next: { 'agency-applied': ['closed'] } },
  },
  rules: {
    wrongPath: { id: 'information-correction/wrong-path', basis: `${ART38}: ¶1 and ¶2 (an error, lapse or change discovered) and ¶3 (a revoked or changed basis) are separate paths` },
    evidenceRequired: { id: 'information-correction/push-evidence', basis: `${ART38_1}: the push (向信用平台推送更正后的信息) is a recorded step with its evidence` },
  },
  suspensionReasons: [],
  escalation: DEFAULT_ESCALATION,
  extensions: { allowed: false, basis: `${ART38} sets fixed periods and provides for no extension` },
  initialState: 'open',
  startsOnFiling: ['correction', 'collector-correction', 'provider-update'],
  file(k, filing) {
    if (k.c.variant === 'standard') k.start('correction', { startEvent: 'error discovered by the public credit information provider' });
    else if (k.c.variant === 'non-public') k.start('collector-correction', { startEvent: 'error discovered by the non-public credit information collector' });
    else k.start('provider-update', { startEvent: 'basis of the dishonesty finding revoked or changed' });
    return { information: filing.information ?? null, corrected: null, pushed: null, updateFiled: null, agencyReceivedAt: null, applied: null };
  },
});
