import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { createNotificationActivities } from '../activities/notification.activities';
import { millisUntil, workflowNow } from './clock';

const { deliverDueNotifications } = proxyActivities<ReturnType<typeof createNotificationActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface DispatcherInput {
  /** How often the outbox is looked at when nothing is scheduled sooner. */
  pollSeconds: number;
}

/** Rounds per run before continue-as-new keeps the history short (each round is about ten events). */
const ROUNDS_PER_RUN = 300;

/** One per task queue: delivers the notification outbox to the configured channels, retrying with backoff. */
export async function notificationDispatcherWorkflow(input: DispatcherInput): Promise<void> {
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    const { nextDueAt } = await deliverDueNotifications({ asOf: workflowNow() });
    const poll = input.pollSeconds * 1000;
    const wait = nextDueAt === null ? poll : Math.min(poll, millisUntil(nextDueAt));
    await sleep(Math.max(wait, 100));
  }
  await continueAsNew<typeof notificationDispatcherWorkflow>(input);
}
