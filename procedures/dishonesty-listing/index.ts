import { dishonestyListingV1 } from './v1';
import { dishonestyListingV2 } from './v2';

/** Every published version; a case keeps the version it was filed under. */
export const versions = [dishonestyListingV2, dishonestyListingV1];
