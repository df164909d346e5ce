import { propertyRatingV1 } from './v1';

/** Every published version; a case keeps the version it was filed under. */
export const versions = [propertyRatingV1];
