import type { PrismaClient } from '@prisma/client';
import { Context } from '@temporalio/activity';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/case.activities';
import { waitFor } from '../support/cases';
import { caseState, kernelInput, serverNow, startCase, testPersonalData, timeSkippingSuite, workflowBundle } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let prisma: PrismaClient;

timeSkippingSuite((s) => ({ env, prisma } = s));

const { EventType } = temporal.api.enums.v1;
type Event = temporal.api.history.v1.IHistoryEvent;

const isLocalActivityMarker = (e: Event) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_local_activity';
const beforeFirstTimer = (events: Event[]) => events.slice(0, events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED));

/** What the workflow did after each timer fired, up to the next timer: the tasks a deadline step cost. */
function stepsAfterTimers(events: Event[]) {
  const steps: { localActivities: number; activityTasks: number; workflowTasks: number }[] = [];
  let current: (typeof steps)[number] | undefined;
  for (const e of events) {
    if (e.eventType === EventType.EVENT_TYPE_TIMER_FIRED) steps.push((current = { localActivities: 0, activityTasks: 0, workflowTasks: 0 }));
    else if (!current) continue;
    else if (e.eventType === EventType.EVENT_TYPE_TIMER_STARTED) current = undefined;
    else if (isLocalActivityMarker(e)) current.localActivities += 1;
    else if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) current.activityTasks += 1;
    else if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) current.workflowTasks += 1;
  }
  return steps;
}

/** Files a credit complaint, skips past its red, and returns the escalations written and the history. */
async function runToRed(activities: ReturnType<typeof createActivities>) {
  const taskQueue = uniqueQueue('wf-step-write');
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, dataConverter: env.client.options.dataConverter, workflowBundle: await workflowBundle(), activities });
  return worker.runUntil(async () => {
    const now = await serverNow(env);
    const input = await kernelInput(prisma, { procedure: 'credit-complaint', version: 1, receivedAt: now, filedAt: now, filing: { collector: { name: 'X 征信' } } });
    const handle = await startCase(env.client, taskQueue, input);
    const reply = (await caseState(handle)).deadlines.find((d) => d.key === 'reply')!;
    await env.sleep(Date.parse(reply.dueAt!) - Date.parse(now) + 60_000);
    await waitFor(async () => (await prisma.escalation.count({ where: { caseId: input.caseId } })) === 2);
    const levels = (await prisma.escalation.findMany({ where: { caseId: input.caseId }, orderBy: { firedAt: 'asc' } })).map((e) => e.level);
    const events = (await prisma.caseEvent.findMany({ where: { caseId: input.caseId }, orderBy: { seq: 'asc' } })).map((e) => e.type);
    const history = await handle.fetchHistory();
    // Its later steps' timers would hold the server's clock for the next test once this worker is gone.
    await handle.terminate('test finished');
    return { levels, events, history };
  });
}

describe('the filing and each deadline step are written inside the workflow task that reached them (decision 0029)', () => {
  it('costs one workflow task and no activity task, and the history replays', async () => {
    const { levels, events, history } = await runToRed(createActivities({ prisma, personalData: testPersonalData }));
    expect(levels).toEqual(['yellow', 'red']);
    expect(events).toEqual(['case.filed', 'deadline.yellow', 'deadline.red']);
    const written = stepsAfterTimers(history.events ?? []).filter((s) => s.localActivities > 0);
    expect(written.length).toBeGreaterThanOrEqual(2);
    for (const step of written) expect(step).toEqual({ localActivities: 1, activityTasks: 0, workflowTasks: 1 });
    const filing = beforeFirstTimer(history.events ?? []);
    expect(filing.filter(isLocalActivityMarker)).toHaveLength(1);
    expect(filing.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toHaveLength(0);
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: env.client.options.dataConverter }, history, 'step-write-replay');
  });

  it('falls back to the activity task when the write inside the task fails, and each step is still written once', async () => {
    const real = createActivities({ prisma, personalData: testPersonalData });
    let refusedInTask = 0;
    const { levels, events, history } = await runToRed({
      async persistKernelCase(args) {
        if (Context.current().info.isLocal) {
          refusedInTask += 1;
          throw new Error('connection reset (simulated)');
        }
        return real.persistKernelCase(args);
      },
    });
    // The filing, the yellow and the red.
    expect(refusedInTask).toBeGreaterThanOrEqual(3);
    expect(beforeFirstTimer(history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toHaveLength(1);
    expect(levels).toEqual(['yellow', 'red']);
    expect(events).toEqual(['case.filed', 'deadline.yellow', 'deadline.red']);
    const fellBack = stepsAfterTimers(history.events ?? []).filter((s) => s.localActivities > 0);
    expect(fellBack.length).toBeGreaterThanOrEqual(2);
    for (const step of fellBack) expect(step).toMatchObject({ localActivities: 1, activityTasks: 1 });
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: env.client.options.dataConverter }, history, 'step-write-fallback-replay');
  });
});
