export { caseWorkflow } from './case.workflow';
/** Runs the objection-review cases filed before the case kernel; new filings start caseWorkflow. */
export { objectionReviewWorkflow } from './objection-review.workflow';
