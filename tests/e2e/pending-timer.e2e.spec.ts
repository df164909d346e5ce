import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RunningService } from '../../src/service';
import { caseWorkflowId } from '../../workflows/contracts/case.contract';
import { waitFor } from '../support/cases';
import { requestJson } from '../support/http';
import { startTestService } from '../support/service';
import { createTimeSkippingEnv, uniqueQueue } from '../support/temporal';

// The whole service (HTTP, worker, PostgreSQL) on the time-skipping server, whose clock the test moves: the only way
// to let a real 24:00 deadline timer come due while no worker runs, without waiting days.
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

// A stopping worker tells the dev server and real clusters to hand its cases' next tasks to any worker; the
// time-skipping server neither supports that nor times out a task left on a stopped worker's own queue, so these
// workers keep no cases in memory and take every task from the shared queue.
const start = (queue: string, runWorker: boolean) => startTestService(env.address, queue, runWorker, { WORKFLOW_CACHE_SIZE: '0' });

const ORG = { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' };

interface CaseBody {
  id: string;
  state: string;
  outcome: string | null;
  deadlines: { key: string; status: string; dueAt: string | null; explanation: { yellowAt?: string } }[];
  escalations: { deadlineKey: string; level: string; dueAt: string }[];
  events: { type: string; data: { deadlineKey?: string } }[];
}

async function call(service: RunningService, method: string, path: string, body?: unknown): Promise<{ status: number; body: CaseBody }> {
  return requestJson(service.url, method, path, body);
}

const decisionCards = (c: CaseBody, level: string) => ({
  escalations: c.escalations.filter((e) => e.deadlineKey === 'decision' && e.level === level).length,
  events: c.events.filter((e) => e.type === `deadline.${level}` && e.data.deadlineKey === 'decision').length,
});

describe('a worker restart while a deadline timer is pending (HTTP → time-skipping server → PostgreSQL)', () => {
  it('fires the yellow card exactly once, from the worker that comes back, and the case goes on', async () => {
    const queue = uniqueQueue('e2e-pending');
    const receivedAt = new Date(await env.currentTimeMs()).toISOString();

    const first = await start(queue, true);
    let filed: CaseBody;
    try {
      const res = await call(first, 'POST', '/cases', { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: `pending-${queue}`, receivedAt, subject: ORG });
      expect(res.status).toBe(201);
      filed = res.body;
      expect((await call(first, 'POST', `/cases/${filed.id}/actions`, { action: 'mark-disputed' })).status).toBe(200);
      // Stop only once the workflow sleeps on its timer with nothing left for this worker.
      const handle = env.client.workflow.getHandle(caseWorkflowId(filed.id));
      await waitFor(async () => {
        const { raw } = await handle.describe();
        return !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0;
      });
    } finally {
      await first.stop();
    }

    const apiOnly = await start(queue, false);
    let yellowAt: number;
    try {
      const before = (await call(apiOnly, 'GET', `/cases/${filed.id}`)).body;
      const decision = before.deadlines.find((d) => d.key === 'decision')!;
      expect(decision.status).toBe('running');
      yellowAt = Date.parse(decision.explanation.yellowAt!);
      expect(yellowAt).toBeGreaterThan(await env.currentTimeMs());

      // The timer comes due on the server while no worker polls the queue; nothing can record it yet.
      await env.sleep(yellowAt - (await env.currentTimeMs()) + 1_000);
      expect(decisionCards((await call(apiOnly, 'GET', `/cases/${filed.id}`)).body, 'yellow')).toEqual({ escalations: 0, events: 0 });
    } finally {
      await apiOnly.stop();
    }

    const second = await start(queue, true);
    try {
      const escalated = await waitFor(async () => {
        const c = (await call(second, 'GET', `/cases/${filed.id}`)).body;
        return decisionCards(c, 'yellow').escalations > 0 ? c : undefined;
      }, 40_000);
      expect(decisionCards(escalated, 'yellow')).toEqual({ escalations: 1, events: 1 });
      expect(escalated.escalations.find((e) => e.deadlineKey === 'decision')!.dueAt).toBe(escalated.deadlines.find((d) => d.key === 'decision')!.dueAt);
    } finally {
      await second.stop();
    }

    const third = await start(queue, true);
    try {
      const decided = await call(third, 'POST', `/cases/${filed.id}/actions`, { action: 'decide', outcome: 'rejected', reasons: 'the record matches the source documents' });
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({ state: 'closed', outcome: 'rejected' });
      expect(decisionCards(decided.body, 'yellow')).toEqual({ escalations: 1, events: 1 });
      expect(decisionCards(decided.body, 'red')).toEqual({ escalations: 0, events: 0 });
      expect(decided.body.deadlines.find((d) => d.key === 'decision')!.status).toBe('met');
    } finally {
      await third.stop();
    }
  });
});
