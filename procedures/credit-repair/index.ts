import { creditRepairV1 } from './v1';
import { creditRepairV2 } from './v2';

/** Every published version; a case keeps the version it was filed under. */
export const versions = [creditRepairV2, creditRepairV1];
