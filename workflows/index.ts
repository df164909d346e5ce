export { objectionReviewWorkflow } from './objection-review.workflow';
