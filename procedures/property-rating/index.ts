import { propertyRatingV1 } from './v1';
import { propertyRatingV2 } from './v2';

/** Every published version; a case keeps the version it was filed under. */
export const versions = [propertyRatingV1, propertyRatingV2];
