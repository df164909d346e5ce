import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrismaClient } from '@prisma/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createNotificationActivities } from '../../activities/notification.activities';
import { persistCaseSnapshot, ReadModelCase } from '../../src/db/case-store';
import { verifyWebhookSignature } from '../../src/notifications/webhook';
import type { notificationDispatcherWorkflow } from '../../workflows/notifications.workflow';
import { ORG, serverNow, testPersonalData, timeSkippingSuite, workflowBundle } from '../support/kernel';
import { uniqueQueue } from '../support/temporal';

// The dispatcher workflow on the time-skipping server, the real activity, PostgreSQL's outbox and an HTTP receiver
// that refuses each message three times before it takes it.
let env: TestWorkflowEnvironment;
let prisma: PrismaClient;
timeSkippingSuite((s) => ({ env, prisma } = s));

const SECRET = 'test-webhook-secret-0123456789';

interface Receiver {
  url: string;
  accepted: Map<string, number>;
  attempts: Map<string, number>;
  badSignatures: number;
  close: () => Promise<void>;
}

/** Answers 503 to the first `failures` attempts of every message, then 204; counts what it accepted. */
async function receiver(failures: number): Promise<Receiver> {
  const r = { accepted: new Map<string, number>(), attempts: new Map<string, number>(), badSignatures: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (!verifyWebhookSignature(SECRET, body, req.headers['x-ldl-signature'] as string, Math.floor(Date.now() / 1000))) {
        r.badSignatures += 1;
        return res.writeHead(401).end();
      }
      const id = (JSON.parse(body) as { id: string }).id;
      const n = (r.attempts.get(id) ?? 0) + 1;
      r.attempts.set(id, n);
      if (n <= failures) return res.writeHead(503).end();
      r.accepted.set(id, (r.accepted.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { ...r, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A case snapshot with a red escalation, as the case workflow persists it. */
function snapshotWithRed(revision: number): ReadModelCase {
  const caseId = randomUUID();
  const dueAt = '2026-11-20T16:00:00.000Z';
  return {
    caseId,
    idempotencyKey: `notify-${caseId}`,
    procedure: 'credit-complaint',
    definitionVersion: 1,
    variant: 'standard',
    unitId: 'a',
    subject: ORG,
    receivedAt: '2026-10-20T02:00:00.000Z',
    state: 'accepted',
    outcome: null,
    closedAt: null,
    revision,
    details: {},
    deadlines: [],
    events: [{ seq: 1, type: 'case.filed', actor: 'caseworker-a', at: '2026-10-20T02:00:00.000Z', data: {} }],
    escalations: [{ deadlineKey: 'reply', level: 'red', dueAt, firedAt: dueAt, owner: 'a' }],
  };
}

it('writes one outbox message per escalation step, however often the snapshot is written', async () => {
  const snapshot = snapshotWithRed(1);
  await persistCaseSnapshot(prisma, testPersonalData, snapshot);
  await persistCaseSnapshot(prisma, testPersonalData, { ...snapshot, revision: 2 });
  await persistCaseSnapshot(prisma, testPersonalData, snapshot);
  const rows = await prisma.outboxMessage.findMany({ where: { id: { startsWith: snapshot.caseId } } });
  expect(rows).toHaveLength(1);
  expect(rows[0].payload).toMatchObject({ type: 'deadline.red', caseId: snapshot.caseId, deadlineKey: 'reply', ownerUnit: 'a' });
  // caseworker-a and supervisor-a of the demo unit a get the red in their inbox, each once.
  const inbox = await prisma.notification.findMany({ where: { caseId: snapshot.caseId } });
  expect(inbox.map((n) => n.userId).sort()).toEqual(['caseworker-a', 'supervisor-a']);
});

it('delivers each notification to the webhook once, signed, also when the receiver failed the first three times', async () => {
  const hook = await receiver(3);
  const taskQueue = uniqueQueue('notify');
  const snapshots = [snapshotWithRed(1), snapshotWithRed(1), snapshotWithRed(1)];
  for (const s of snapshots) await persistCaseSnapshot(prisma, testPersonalData, s);
  const ours = (await prisma.outboxMessage.findMany({ where: { OR: snapshots.map((s) => ({ id: { startsWith: s.caseId } })) } })).map((m) => m.id);
  expect(ours).toHaveLength(3);

  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    dataConverter: env.client.options.dataConverter,
    workflowBundle: await workflowBundle(),
    activities: createNotificationActivities({ prisma, webhook: { url: hook.url, secret: SECRET, timeoutMs: 5_000 } }),
  });
  try {
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<typeof notificationDispatcherWorkflow>('notificationDispatcherWorkflow', {
        taskQueue,
        workflowId: `dispatcher-${taskQueue}`,
        args: [{ pollSeconds: 2 }],
      });
      const started = Date.parse(await serverNow(env));
      // Backoff 5 s, 10 s, 20 s after the three failures: two minutes of workflow time is plenty.
      for (let i = 0; i < 12 && !ours.every((id) => hook.accepted.has(id)); i++) await env.sleep('10 seconds');
      expect(Date.parse(await serverNow(env)) - started).toBeGreaterThanOrEqual(35_000);
      await handle.terminate('test done');
    });
  } finally {
    await hook.close();
  }
  for (const id of ours) {
    expect({ id, accepted: hook.accepted.get(id), attempts: hook.attempts.get(id) }).toEqual({ id, accepted: 1, attempts: 4 });
  }
  expect(hook.badSignatures).toBe(0);
  const rows = await prisma.outboxMessage.findMany({ where: { id: { in: ours } } });
  expect(rows.every((m) => m.deliveredAt !== null && m.attempts === 4 && m.lastError === null)).toBe(true);
}, 120_000);
