import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import seed from '../prisma/calendar/cn-2004-2026.json';
import { projectRoot } from '../src/config/paths';
import { temporalCliPath, temporalTestServerPath } from '../src/infra/tools';
import { calendarUpdatedSignal, getCaseQuery, performActionUpdate, type ObjectionReviewInput } from '../workflows/contracts/case.contract';

/**
 * Records the history of one objection-review case through every kind of step, for the replay test
 * (tests/replay). Run it when a new workflow version ships: `npm run build && node dist/tools/record-replay-history.js <name>`.
 * Committed histories are never edited, so a code change that breaks running cases fails the replay test.
 */
async function main() {
  const name = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'objection-review-v1-full';
  const onDevServer = process.argv.includes('--dev-server');
  const env = onDevServer
    ? await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: temporalCliPath() } } })
    : await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  const skip = (d: '4 days' | '2 days') => (onDevServer ? Promise.resolve() : env.sleep(d));
  try {
    const taskQueue = 'record-history';
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../workflows'),
      // The history records activity results; replay never runs activities, so the recorder needs no database.
      activities: { persistCase: async () => 'written' },
    });
    const now = new Date(await env.currentTimeMs()).toISOString();
    const received = new Date(Date.parse(now) - 2 * 86_400_000).toISOString();
    const input: ObjectionReviewInput = {
      caseId: '00000000-0000-5000-8000-000000000001',
      idempotencyKey: 'replay-fixture-1',
      definitionVersion: 1,
      variant: 'standard',
      unitId: 'unit-credit-office',
      subject: { kind: 'organisation', name: 'Replay Fixture Co.', idNumber: '91350100M000100Y43' },
      receivedAt: received,
      filedAt: now,
      actor: 'recorder',
      calendar: seed,
    };
    const handle = await env.client.workflow.start('objectionReviewWorkflow', { taskQueue, workflowId: `case-${input.caseId}`, args: [input] });
    const act = (body: object) => handle.executeUpdate(performActionUpdate, { args: [body] });
    await worker.runUntil(async () => {
      await act({ action: 'mark-disputed' });
      // An administrator loads a calendar year (docs/time-rules.md#calendar-coverage) while the case runs.
      await handle.signal(calendarUpdatedSignal, seed);
      await handle.query(getCaseQuery);
      await act({ action: 'request-assistance', units: [{ unitId: 'market-bureau' }] });
      await act({ action: 'suspend', reason: 'appraisal' });
      await skip('4 days');
      await act({ action: 'resume' });
      await act({ action: 'record-assistance-reply', unitId: 'market-bureau', result: 'confirmed' });
      await skip('2 days');
      await act({ action: 'decide', outcome: 'upheld', downstreamSystems: ['credit-china'] });
      await act({ action: 'confirm-correction', system: 'credit-china' });
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
