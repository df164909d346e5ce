// The effects procedures have on each other and on the subject's shared credit status: one typed module, so that each
// effect names what it concerns (which listing, which commitment) and a missing reference does not compile.

/** What each kind of credit record holds; it is written in the same step as the event that causes it. */
export interface CreditData {
  /** A listing decided by this (listing) case; `until` is the end of its period. */
  listed: { reasons: string; basis: string; period: unknown; periodBasis?: string };
  /**
   * The end of a listing, written by the listing case itself (period ended, removed, an upheld objection or an approved
   * repair naming it). `unnamed` marks the records of objection review v2, whose Art. 35 decisions named no listing and
   * so ended none (the defect the second legal review found; version 3 names it).
   */
  'listing-ended': ({ listingCaseId: string } | { unnamed: 'objection-review-v2' }) & { reason: string; byCaseId?: string; reasons?: string };
  /**
   * A completed repair of what it names. `unnamed` marks credit repair v1 applications that named nothing (they clear
   * commitment breaches recorded before them, as v1 did, and no listing).
   */
  repaired: ({ listingCaseId: string } | { commitmentCaseId: string } | { unnamed: 'credit-repair-v1' }) & { reasonCode: string };
  /** A false or unkept commitment found by a verification case. */
  'commitment-breach': { kind: 'false' | 'unkept'; licence: string; commitmentCaseId?: string };
}
export type CreditEffectKind = keyof CreditData;

/** A change to the subject's shared credit status, written in the same step as the event that causes it. */
export interface CreditEffect<K extends CreditEffectKind = CreditEffectKind> {
  seq: number;
  kind: K;
  at: string;
  /** listed: the end of the listing period. */
  until?: string | null;
  data: CreditData[K];
}

/**
 * An effect one case has on another, named by a required reference: an upheld Art. 35 objection or an approved repair
 * ends that listing entry (the listing case records the removal and writes the listing's end, so the listing case and
 * the credit status never disagree).
 */
export interface EndListingEffect {
  kind: 'end-listing';
  listingCaseId: string;
  ground: 'objection-upheld' | 'repair';
  reasons: string;
}
export type CrossCaseEffect = EndListingEffect;

/** A cross-case effect as the causing case keeps it: sent once to the target case's workflow. */
export interface OutgoingEffect {
  id: string;
  effect: CrossCaseEffect;
  at: string;
  status: 'pending' | 'delivered' | 'undeliverable';
}

/** A cross-case effect as the target case receives it. */
export interface IncomingEffect {
  id: string;
  effect: CrossCaseEffect;
  fromCaseId: string;
  fromProcedure: string;
  at: string;
}


/** The subject's shared credit status, as procedures read it at filing (Art. 45 ¶1). */
export interface CreditStatus {
  listed: boolean;
  listings: { caseId: string; procedure: string; at: string; until: string | null; active: boolean; endedAt: string | null }[];
  repairs: { caseId: string; at: string; listingCaseId: string | null; commitmentCaseId: string | null }[];
  commitmentBreaches: { caseId: string; at: string; kind: string; repaired: boolean }[];
}
