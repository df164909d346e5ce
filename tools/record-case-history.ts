import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { kernelDefinitionFor } from '../procedures';
import seed from '../prisma/calendar/cn-2004-2026.json';
import { projectRoot } from '../src/config/paths';
import { temporalTestServerPath } from '../src/infra/tools';
import type { Actor } from '../src/domain/kernel/ops';
import type { caseWorkflow } from '../workflows/case.workflow';
import { calendarUpdatedSignal, type CaseWorkflowInput, getKernelCaseQuery, recordActionUpdate } from '../workflows/contracts/case.contract';

/**
 * `until`: the state the case reaches when the due steps of the sleep have run. An update's validator can run before the
 * timer that fired during the sleep is processed, so the recorder waits for that state before the next step.
 */
type Step = { act: object; key?: string; actor?: Actor } | { sleep: string; until?: string } | { signal: 'calendar' };

/** Dates relative to the recorder's clock: `now` is the server's time at filing, `receivedAt` one day before it. */
type Clock = { now: string; receivedAt: string };

interface Scenario {
  procedure: string;
  version: number;
  /** The procedure's own filing fields; a function when they depend on the recorder's clock. */
  filing?: object | ((clock: Clock) => object);
  variant?: string;
  subject?: CaseWorkflowInput['subject'];
  /** The renewal notice the filing cites (measures past their end). */
  renewal?: CaseWorkflowInput['renewal'];
  steps: Step[];
}

/** The Asia/Shanghai date (YYYY-MM-DD) of an instant, moved by a number of days. */
const shanghaiDate = (instant: string, addDays = 0) => new Date(Date.parse(instant) + 8 * 3_600_000 + addDays * 86_400_000).toISOString().slice(0, 10);

const caseworker: Actor = { id: 'recorder-caseworker', roles: ['caseworker'], unitId: 'unit-credit-office', access: 'owner' };
const supervisor: Actor = { id: 'recorder-supervisor', roles: ['supervisor'], unitId: 'unit-credit-office', access: 'owner' };

/** Accepted, a calendar notice, 40 days (yellow, red, ladder), replied: recorded before and after decision 0029. */
const creditComplaintV2: Scenario = {
  procedure: 'credit-complaint',
  version: 2,
  filing: { collector: { name: '某征信服务有限公司' } },
  steps: [
    { act: { action: 'accept', nonPublicCollector: true }, key: 'accept-1' },
    { signal: 'calendar' },
    { sleep: '40 days' },
    { act: { action: 'reply', result: '采集单位已删除该记录' } },
  ],
};

/** One recorded case per procedure version, through every kind of step its workflow handles. */
const scenarios: Record<string, Scenario> = {
  'case-objection-review-v2': {
    procedure: 'objection-review',
    version: 2,
    filing: { grounds: ['error'], reasons: 'the fine was paid' },
    steps: [
      { act: { action: 'mark-disputed' }, key: 'mark-1' },
      { act: { action: 'mark-disputed' }, key: 'mark-1' },
      { signal: 'calendar' },
      { act: { action: 'request-assistance', units: [{ unitId: 'market-bureau' }] } },
      { act: { action: 'record-notice-receipt', unitId: 'market-bureau' } },
      { act: { action: 'suspend', reason: 'appraisal' } },
      { sleep: '4 days' },
      { act: { action: 'resume' } },
      { act: { action: 'record-assistance-reply', unitId: 'market-bureau', result: 'confirmed' } },
      { sleep: '2 days' },
      { act: { action: 'decide', outcome: 'upheld', downstreamSystems: ['credit-china'] } },
      { act: { action: 'correct-record', evidenceRef: 'record-diff-1' } },
      { act: { action: 'record-correction-receipt', system: 'credit-china' } },
      { act: { action: 'confirm-correction', system: 'credit-china' } },
      { act: { action: 'notify-applicant', channel: 'post', evidenceRef: 'letter-1' } },
    ],
  },
  // The second legal review's versions. Effects on other cases (an Art. 35 listing, a repaired listing) go to a case the
  // recorder does not run: the history holds the external signal and its recorded failure (effect.undeliverable).
  'case-objection-review-v3': {
    procedure: 'objection-review',
    version: 3,
    variant: 'serious-dishonesty-list',
    filing: { grounds: ['error'], reasons: '认定依据已被撤销', listingCaseId: '00000000-0000-5000-8000-000000000021' },
    steps: [
      { act: { action: 'record-statement', kind: 'defence', text: '判决已履行完毕' }, key: 'defence-1' },
      { act: { action: 'record-statement', kind: 'defence', text: '判决已履行完毕' }, key: 'defence-1' },
      { signal: 'calendar' },
      { act: { action: 'decide', outcome: 'upheld', reasons: '认定依据已被撤销', departments: ['发改委'] } },
      { act: { action: 'confirm-measure-ended', department: '发改委' } },
      { act: { action: 'notify-applicant', channel: 'post', evidenceRef: 'letter-3' } },
    ],
  },
  'case-credit-repair-v2': {
    procedure: 'credit-repair',
    version: 2,
    filing: { listingCaseId: '00000000-0000-5000-8000-000000000022' },
    steps: [
      { act: { action: 'accept' }, key: 'accept-1' },
      { act: { action: 'decide', outcome: 'approved', reasons: '已纠正失信行为并消除不利影响', authorities: ['市场监管局'] } },
      { signal: 'calendar' },
      { act: { action: 'stop-publication', evidenceRef: 'web-1' } },
      { act: { action: 'notify-subject', evidenceRef: 'letter-1' } },
      { act: { action: 'confirm-restriction-ended', authority: '市场监管局' } },
    ],
  },
  'case-dishonesty-listing-v2': {
    procedure: 'dishonesty-listing',
    version: 2,
    filing: { conduct: '拒不履行生效判决' },
    steps: [
      { act: { action: 'decide', period: { months: 1 }, reasons: '拒不履行生效判决', basis: '条例第二十九条第五项', removalConditions: '履行判决确定的义务' } },
      { act: { action: 'notify-subject', channel: '邮寄送达', evidenceRef: 'EMS-1' } },
      { act: { action: 'record-statement', kind: 'statement', text: '对认定事实有异议' } },
      { signal: 'calendar' },
      { sleep: '35 days' },
    ],
  },
  'case-commitment-verification-v3': {
    procedure: 'commitment-verification',
    version: 3,
    filing: { licence: { number: 'CERT-REPLAY-3' }, materialsDue: { items: ['消防验收意见书'], period: { workingDays: 5 } } },
    steps: [
      { act: { action: 'materials-supplied', conforming: true } },
      { act: { action: 'verify', outcome: 'not-kept', findings: '营业时间与承诺不符' } },
      { act: { action: 'order-rectification', period: { days: 10 }, requirements: '按承诺时间营业' }, key: 'order-1' },
      { signal: 'calendar' },
      { sleep: '12 days', until: 'rectification-check' },
      { act: { action: 'rectification-result', compliant: false, findings: '仍未整改' } },
      { act: { action: 'sanction', measure: 'penalty', decisionRef: 'PEN-REPLAY-3' } },
    ],
  },
  'case-credit-complaint-v2': creditComplaintV2,
  // The same case after the filing's and each deadline step's write moved into the workflow task (patched
  // 'step-write-in-task', decision 0029): local activities, where the actions' writes stay activity tasks.
  'case-credit-complaint-v2-step-write-in-task': creditComplaintV2,
  'case-credit-complaint-v1': {
    procedure: 'credit-complaint',
    version: 1,
    steps: [{ sleep: '40 days' }, { act: { action: 'reply', result: 'the collector deleted the record' } }],
  },
  'case-information-correction-v1': {
    procedure: 'information-correction',
    version: 1,
    variant: 'basis-changed',
    filing: { information: 'administrative penalty decision No. 2026-17 (revoked on reconsideration)' },
    steps: [
      { act: { action: 'file-update' }, key: 'file-1' },
      { act: { action: 'file-update' }, key: 'file-1' },
      { sleep: '1 hour' },
      { act: { action: 'record-agency-receipt', agency: 'provincial public credit agency' } },
      { signal: 'calendar' },
      { sleep: '2 hours' },
      { act: { action: 'agency-applied' } },
    ],
  },
  'case-credit-repair-v1': {
    procedure: 'credit-repair',
    version: 1,
    filing: { reasonCode: 'pandemic-measure-32', listingCaseId: '00000000-0000-5000-8000-000000000011' },
    steps: [
      { act: { action: 'accept' }, key: 'accept-1' },
      { act: { action: 'accept' }, key: 'accept-1' },
      { signal: 'calendar' },
      { sleep: '1 day' },
      { act: { action: 'decide', outcome: 'approved', reasons: 'the lateness was caused by the pandemic', authorities: ['credit-china', 'market-bureau'] } },
    ],
  },
  'case-dishonesty-listing-v1': {
    procedure: 'dishonesty-listing',
    version: 1,
    filing: { conduct: 'refused to perform an effective court judgment' },
    steps: [
      { signal: 'calendar' },
      {
        act: { action: 'decide', period: { months: 1 }, reasons: 'refused to perform an effective court judgment', basis: 'Art. 28 and the court judgment (2026) Hei 01 Zhi 17' },
        key: 'decide-1',
      },
      { act: { action: 'decide', period: { months: 1 }, reasons: 'retry', basis: 'retry' }, key: 'decide-1' },
      { sleep: '35 days' },
    ],
  },
  'case-commitment-verification-v1': {
    procedure: 'commitment-verification',
    version: 1,
    // The licence is decided on the day the commitment was received (the earliest the eligibility allows).
    filing: ({ receivedAt }) => ({ licence: { number: 'CERT-REPLAY-1', decidedAt: shanghaiDate(receivedAt) } }),
    steps: [
      { act: { action: 'verify', outcome: 'false', findings: 'the committed qualification does not exist' } },
      { act: { action: 'order-rectification', period: { days: 30 }, requirements: 'obtain the qualification' }, key: 'order-1' },
      { act: { action: 'order-rectification', period: { days: 30 }, requirements: 'obtain the qualification' }, key: 'order-1' },
      { signal: 'calendar' },
      { sleep: '33 days' },
      { act: { action: 'rectification-result', compliant: false, findings: 'qualification still missing' } },
      { act: { action: 'sanction', measure: 'revoke-licence', decisionRef: 'REV-REPLAY-1' } },
    ],
  },
  // Authenticated actors, an extension asked and approved (Art. 30 ¶3), and the escalation ladder after the red.
  'case-commitment-verification-v2': {
    procedure: 'commitment-verification',
    version: 2,
    filing: ({ receivedAt }) => ({ licence: { number: 'CERT-REPLAY-2', decidedAt: shanghaiDate(receivedAt) } }),
    steps: [
      { act: { action: 'verify', outcome: 'not-kept', findings: 'opening hours not as committed' }, actor: caseworker },
      { act: { action: 'order-rectification', period: { workingDays: 10 }, requirements: 'keep the committed hours' }, key: 'order-1', actor: caseworker },
      { act: { action: 'request-extension', deadlineKey: 'rectification', workingDays: 5, reason: 'the premises were flooded' }, actor: caseworker },
      { act: { action: 'approve-extension', deadlineKey: 'rectification' }, actor: supervisor },
      { signal: 'calendar' },
      { sleep: '26 days' },
      { act: { action: 'rectification-result', compliant: false, findings: 'hours still not kept' }, actor: caseworker },
      { act: { action: 'sanction', measure: 'penalty', decisionRef: 'PEN-REPLAY-2' }, actor: supervisor },
    ],
  },
  'case-property-rating-v1': {
    procedure: 'property-rating',
    version: 1,
    subject: { kind: 'organisation', name: 'Replay Property Services Co.', idNumber: '91350100M000100Y43' },
    // Eligible: occupied for more than 6 months before the filing was received.
    filing: ({ receivedAt }) => ({
      compound: { name: 'Replay Garden (回放花园)', occupiedSince: shanghaiDate(receivedAt, -400) },
      company: { name: 'Replay Property Services Co.' },
      evaluator: { name: 'Evaluator A' },
    }),
    steps: [
      { act: { action: 'declare-recusal', evaluator: 'Evaluator A', conflict: false, statement: 'no ties with the company or the owners' } },
      { act: { action: 'publish', score: 92 }, key: 'publish-1' },
      { act: { action: 'publish', score: 92 }, key: 'publish-1' },
      { act: { action: 'owner-objection', objection: 'the lifts are often out of order' } },
      { sleep: '12 days', until: 'effective' },
      { act: { action: 'issue-nameplate' } },
      { signal: 'calendar' },
      { sleep: '335 days' },
      { act: { action: 'review', score: 101 } },
      { sleep: '12 days', until: 'effective' },
      { sleep: '400 days', until: 'closed' },
    ],
  },
  'case-property-rating-v2': {
    procedure: 'property-rating',
    version: 2,
    subject: { kind: 'organisation', name: 'Replay Property Services Co.', idNumber: '91350100M000100Y43' },
    renewal: { id: 1, document: 'Replay renewal notice No. 1', issuedAt: '2024-06-20', validFrom: '2024-07-01', validTo: '2029-12-31', recordedBy: 'recorder', recordedAt: '2024-06-21T02:00:00.000Z' },
    filing: ({ receivedAt }) => ({
      compound: { name: 'Replay Garden (回放花园)', occupiedSince: shanghaiDate(receivedAt, -400) },
      company: { name: 'Replay Property Services Co.' },
      evaluator: { name: 'Evaluator A' },
    }),
    steps: [
      { act: { action: 'declare-recusal', evaluator: 'Evaluator A', conflict: false, statement: 'no ties with the company or the owners' } },
      { act: { action: 'recuse', evaluator: 'Evaluator B', statement: 'B manages a neighbouring compound' } },
      { act: { action: 'publish', score: 92 }, key: 'publish-1' },
      { act: { action: 'owner-objection', objection: 'the lifts are often out of order' } },
      { sleep: '12 days', until: 'objections-pending' },
      { act: { action: 'decide-objection', number: 1, upheld: false, reasons: 'the lifts were inspected: in order' } },
      { act: { action: 'issue-nameplate' } },
      { signal: 'calendar' },
      { sleep: '375 days' },
      { act: { action: 'review', score: 101 } },
      { act: { action: 'review-objection', objection: 'the review ignored the parking' } },
      { act: { action: 'decide-objection', number: 1, upheld: true, score: 99 } },
      { sleep: '12 days', until: 'effective' },
      { sleep: '400 days', until: 'closed' },
    ],
  },
};

/**
 * Records the history of a caseWorkflow case for the replay test (tests/replay). Run it when a procedure version ships:
 * `npm run build && node dist/tools/record-case-history.js <scenario>`. Committed histories are never edited.
 */
async function main() {
  const name = process.argv[2];
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`usage: record-case-history <${Object.keys(scenarios).join(' | ')}>`);
  const def = kernelDefinitionFor(scenario.procedure, scenario.version)!;
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  try {
    const taskQueue = 'record-history';
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../workflows'),
      // The history records activity results; replay never runs activities, so the recorder needs no database.
      activities: { persistKernelCase: async () => 'written' },
    });
    const now = new Date(await env.currentTimeMs()).toISOString();
    const receivedAt = new Date(Date.parse(now) - 86_400_000).toISOString();
    const input: CaseWorkflowInput = {
      caseId: '00000000-0000-5000-8000-000000000002',
      idempotencyKey: `replay-${name}`,
      procedure: scenario.procedure,
      definitionVersion: scenario.version,
      variant: scenario.variant ?? def.defaultVariant,
      unitId: 'unit-credit-office',
      subject: scenario.subject ?? { kind: 'organisation', name: 'Replay Fixture Co.', idNumber: '91350100M000100Y43' },
      receivedAt,
      filedAt: now,
      actor: 'recorder',
      filing: def.filing.parse(typeof scenario.filing === 'function' ? scenario.filing({ now, receivedAt }) : (scenario.filing ?? {})),
      ...(scenario.renewal ? { renewal: scenario.renewal } : {}),
      calendar: seed,
    };
    const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', { taskQueue, workflowId: `case-${input.caseId}`, args: [input] });
    const waitForState = async (state: string) => {
      for (let i = 0; (await handle.query(getKernelCaseQuery)).state !== state; i++) {
        if (i >= 300) throw new Error(`the case did not reach state ${state}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await worker.runUntil(async () => {
      for (const step of scenario.steps) {
        if ('act' in step) {
          const args = { body: step.act, ...(step.key ? { idempotencyKey: step.key } : {}), ...(step.actor ? { actor: step.actor } : {}) };
          await handle.executeUpdate(recordActionUpdate, { args: [args] });
        }
        else if ('sleep' in step) {
          await env.sleep(step.sleep as '1 day');
          if (step.until) await waitForState(step.until);
        }
        else await handle.signal(calendarUpdatedSignal, seed);
        await handle.query(getKernelCaseQuery);
      }
      await handle.result();
    });
    const file = path.join(projectRoot(), 'tests', 'replay', 'histories', `${name}.history.bin`);
    writeFileSync(file, temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
    console.log(`history written: ${file}`);
  } finally {
    await env.teardown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
