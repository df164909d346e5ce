export { caseWorkflow } from './case.workflow';
/** Delivers the notification outbox (webhook) with retries; started once per task queue by the service. */
export { notificationDispatcherWorkflow } from './notifications.workflow';
