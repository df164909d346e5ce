import { creditComplaintV1 } from './v1';
import { creditComplaintV2 } from './v2';

/** Every published version; a case keeps the version it was filed under. */
export const versions = [creditComplaintV1, creditComplaintV2];
