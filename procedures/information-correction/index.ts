import { informationCorrectionV1 } from './v1';
import { informationCorrectionV2 } from './v2';

/** Every published version; a case keeps the version it was filed under. */
export const versions = [informationCorrectionV1, informationCorrectionV2];
