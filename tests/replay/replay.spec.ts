import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';

// Histories recorded from earlier workflow versions (tools/record-case-history.ts) must replay on today's code,
// or cases already running would break when the worker is upgraded.
const dir = path.join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.history.bin'));
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } });
}, 120_000);

it('has recorded histories to replay', () => {
  expect(files.length).toBeGreaterThan(0);
});

it.each(files)('replays %s deterministically on the current workflow code', async (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(path.join(dir, file)));
  expect(history.events.length).toBeGreaterThan(20);
  await Worker.runReplayHistory({ workflowBundle }, history, 'case-replay');
});

it.each(['case-objection-review-v3.history.bin', 'case-credit-repair-v2.history.bin'])('%s holds the signal that ends the listing it names (a cross-case effect)', (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(path.join(dir, file)));
  const types = history.events.map((e) => e.eventType);
  expect(types).toContain(temporal.api.enums.v1.EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED);
});

it('case-credit-complaint-v2-step-write-in-task.history.bin writes its filing and deadline steps inside the workflow task and its actions as activity tasks', () => {
  const history = temporal.api.history.v1.History.decode(readFileSync(path.join(dir, 'case-credit-complaint-v2-step-write-in-task.history.bin')));
  const { EventType } = temporal.api.enums.v1;
  const markers = history.events.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED).map((e) => e.markerRecordedEventAttributes?.markerName);
  expect(markers.filter((m) => m === 'core_local_activity').length).toBeGreaterThanOrEqual(3);
  expect(history.events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length).toBeGreaterThanOrEqual(2);
});
