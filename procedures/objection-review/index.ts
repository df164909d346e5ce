import { objectionReviewV2 } from './v2';
import { objectionReviewV3 } from './v3';

/**
 * Every version that files new cases; a case keeps the version it was filed under. Version 1 (./v1) runs only the
 * cases filed before the case kernel, on their own workflow type.
 */
export const versions = [objectionReviewV3, objectionReviewV2];
