import { defineProcedure } from '../definition';
import { REGULATION } from '../regulation';
import { type CommitmentData, type CommitmentFiling, commitmentVerificationV1 } from './v1';

// Version 2 lets a supervisor extend the rectification period of a subject that cannot perform because of a disaster
// or an emergency (Art. 30 ¶3). Everything else is version 1 as published.

const ART30_3 =
  `${REGULATION} Art. 30 ¶3: for a subject unable to perform because of a natural disaster, an accident, a public-health or ` +
  'social-security emergency, the period for performance may be appropriately extended (适当延长履行期限)';

export const COMMITMENT_V2_FROM = '2026-11-28';

export const commitmentVerificationV2 = defineProcedure<CommitmentData, CommitmentFiling>()({
  ...commitmentVerificationV1,
  version: 2,
  basis: [...commitmentVerificationV1.basis, ART30_3],
  validFrom: COMMITMENT_V2_FROM,
  validTo: undefined,
  clocks: {
    ...commitmentVerificationV1.clocks,
    rectification: {
      ...commitmentVerificationV1.clocks.rectification,
      // The article sets no bound on "appropriately": 30 working days in all is the local policy's.
      extension: { basis: `${ART30_3}; at most 30 working days in all (local policy)`, maxWorkingDays: 30 },
    },
  },
  extensions: {
    allowed: true,
    basis: `${ART30_3}; Art. 46 sets the verification period, which is not extended`,
  },
});
