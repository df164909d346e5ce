import { commitmentVerificationV1 } from './v1';
import { commitmentVerificationV2 } from './v2';

/** Every published version; a case keeps the version it was filed under. */
export const versions = [commitmentVerificationV1, commitmentVerificationV2];
