import { objectionReviewV2 } from './v2';
import { objectionReviewV3 } from './v3';

/**
 * Every version that files new cases; a case keeps the version it was filed under. Version 1, written before the case
 * kernel on its own workflow type, was never deployed and was removed (docs/decisions/0016-remove-objection-review-v1.md).
 */
export const versions = [objectionReviewV3, objectionReviewV2];
