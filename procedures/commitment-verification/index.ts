import { commitmentVerificationV1 } from './v1';
import { commitmentVerificationV2 } from './v2';
import { commitmentVerificationV3 } from './v3';

/** Every published version; a case keeps the version it was filed under. */
export const versions = [commitmentVerificationV3, commitmentVerificationV2, commitmentVerificationV1];
