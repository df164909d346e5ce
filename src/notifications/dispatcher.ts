import type { Client } from '@temporalio/client';
import type { notificationDispatcherWorkflow } from '../../workflows/notifications.workflow';

export const dispatcherWorkflowId = (taskQueue: string) => `notification-dispatcher:${taskQueue}`;

/** Starts the task queue's dispatcher unless it runs already (any number of service replicas may call this). */
export async function startNotificationDispatcher(temporal: Client, taskQueue: string, pollSeconds: number): Promise<void> {
  await temporal.workflow.start<typeof notificationDispatcherWorkflow>('notificationDispatcherWorkflow', {
    taskQueue,
    workflowId: dispatcherWorkflowId(taskQueue),
    args: [{ pollSeconds }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
