// Pure rules of the Jiangbei property-service star rating: score -> stars (Art. 5), eligibility dates (Art. 2),
// consequences by level (Art. 13). No I/O, no clock: unit-tested at every boundary.
import { addMonths, dateOf, dayNumber, instantMs, shanghaiDay } from '../../src/domain/local-date';

/** 0 = non-compliant (不达标), 1..5 = one to five stars. */
export type Stars = 0 | 1 | 2 | 3 | 4 | 5;

/** The evaluator's score: 100 points plus up to 10 bonus points (Art. 5). */
export const MAX_SCORE = 110;

/**
 * Art. 5: below 70 non-compliant; 70–79.9 one star; 80–89.9 two; 90–99.9 three; 100–104.9 four; 105 and above five.
 * The bands are closed below and open above, so a score like 79.95 is still one star.
 */
export function starsFor(score: number): Stars {
  if (!Number.isFinite(score) || score < 0 || score > MAX_SCORE) throw new RangeError(`score must be between 0 and ${MAX_SCORE}, got ${score}`);
  if (score >= 105) return 5;
  if (score >= 100) return 4;
  if (score >= 90) return 3;
  if (score >= 80) return 2;
  if (score >= 70) return 1;
  return 0;
}

export const LEVEL_NAMES: Record<Stars, { en: string; zh: string }> = {
  0: { en: 'non-compliant', zh: '不达标' },
  1: { en: 'one star', zh: '一星级' },
  2: { en: 'two stars', zh: '二星级' },
  3: { en: 'three stars', zh: '三星级' },
  4: { en: 'four stars', zh: '四星级' },
  5: { en: 'five stars', zh: '五星级' },
};

/** Art. 13: what follows from a level when the rating takes effect. */
export interface Consequences {
  certificate: boolean;
  rewardYuan: number;
  creditScoreChange: number;
  intensifiedInspection: boolean;
  rectificationOrder: boolean;
  interviewOfCompanyHead: boolean;
  reEvaluationAfterRectification: boolean;
}

export function consequencesOf(stars: Stars): Consequences {
  const none: Consequences = {
    certificate: false,
    rewardYuan: 0,
    creditScoreChange: 0,
    intensifiedInspection: false,
    rectificationOrder: false,
    interviewOfCompanyHead: false,
    reEvaluationAfterRectification: false,
  };
  switch (stars) {
    case 5:
      return { ...none, certificate: true, rewardYuan: 100_000, creditScoreChange: 5 };
    case 4:
      return { ...none, certificate: true, rewardYuan: 80_000, creditScoreChange: 3 };
    case 3:
    case 2:
      return none;
    case 1:
      return { ...none, intensifiedInspection: true, rectificationOrder: true };
    case 0:
      return {
        ...none,
        intensifiedInspection: true,
        rectificationOrder: true,
        creditScoreChange: -3,
        interviewOfCompanyHead: true,
        reEvaluationAfterRectification: true,
      };
  }
}

/** Months a compound must have been occupied, and a new property company must have served, before a rating (Art. 2). */
export const MINIMUM_MONTHS = 6;

/**
 * The first day a rating can be filed: the corresponding day `months` later, or the last day of that month when it has
 * none (Civil Code Art. 202: occupied 2026-08-31 -> 2027-02-28). A minimum elapsed time, not a deadline: no roll-forward
 * to a working day.
 */
export function eligibleFrom(since: string, months = MINIMUM_MONTHS): string {
  return dateOf(addMonths(dayNumber(since), months));
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: string): string {
  return dateOf(shanghaiDay(instantMs(instant)));
}

export type EligibilityProblem = { reason: 'occupied'; eligibleFrom: string } | { reason: 'service'; eligibleFrom: string };

/** Art. 2: the compound occupied for 6 months and, after a change of company, the new company serving for 6 months. */
export function eligibilityProblem(compound: { occupiedSince: string; serviceSince?: string }, receiptDate: string): EligibilityProblem | null {
  const occupied = eligibleFrom(compound.occupiedSince);
  if (receiptDate < occupied) return { reason: 'occupied', eligibleFrom: occupied };
  if (compound.serviceSince) {
    const service = eligibleFrom(compound.serviceSince);
    if (receiptDate < service) return { reason: 'service', eligibleFrom: service };
  }
  return null;
}
