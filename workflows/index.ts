export { caseWorkflow } from './case.workflow';
/** Runs the objection-review cases filed before the case kernel; new filings start caseWorkflow. */
export { objectionReviewWorkflow } from './objection-review.workflow';
/** Delivers the notification outbox (webhook) with retries; started once per task queue by the service. */
export { notificationDispatcherWorkflow } from './notifications.workflow';
