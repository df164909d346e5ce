import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { kernelDefinitionFor } from '../procedures';
import seed from '../prisma/calendar/cn-2004-2026.json';
import { projectRoot } from '../src/config/paths';
import { temporalTestServerPath } from '../src/infra/tools';
import type { caseWorkflow } from '../workflows/case.workflow';
import { calendarUpdatedSignal, type CaseWorkflowInput, getKernelCaseQuery, recordActionUpdate } from '../workflows/contracts/case.contract';

type Step = { act: object; key?: string } | { sleep: string } | { signal: 'calendar' };

/** One recorded case per procedure version, through every kind of step its workflow handles. */
const scenarios: Record<string, { procedure: string; version: number; filing?: object; variant?: string; steps: Step[] }> = {
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
  'case-credit-complaint-v1': {
    procedure: 'credit-complaint',
    version: 1,
    steps: [{ sleep: '40 days' }, { act: { action: 'reply', result: 'the collector deleted the record' } }],
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
      activities: { persistKernelCase: async () => 'written', persistCase: async () => 'written' },
    });
    const now = new Date(await env.currentTimeMs()).toISOString();
    const input: CaseWorkflowInput = {
      caseId: '00000000-0000-5000-8000-000000000002',
      idempotencyKey: `replay-${name}`,
      procedure: scenario.procedure,
      definitionVersion: scenario.version,
      variant: scenario.variant ?? def.defaultVariant,
      unitId: 'unit-credit-office',
      subject: { kind: 'organisation', name: 'Replay Fixture Co.', idNumber: '91350100M000100Y43' },
      receivedAt: new Date(Date.parse(now) - 86_400_000).toISOString(),
      filedAt: now,
      actor: 'recorder',
      filing: def.filing.parse(scenario.filing ?? {}),
      calendar: seed,
    };
    const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', { taskQueue, workflowId: `case-${input.caseId}`, args: [input] });
    await worker.runUntil(async () => {
      for (const step of scenario.steps) {
        if ('act' in step) await handle.executeUpdate(recordActionUpdate, { args: [{ body: step.act, ...(step.key ? { idempotencyKey: step.key } : {}) }] });
        else if ('sleep' in step) await env.sleep(step.sleep as '1 day');
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
