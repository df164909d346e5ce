import type { PrismaClient } from '@prisma/client';
import type { AuthUser } from '../auth/directory';
import type { CreditStatus } from '../domain/kernel/ops';
import type { PersonalDataCipher } from '../infra/personal-data';

const named = (data: unknown, key: 'listingCaseId' | 'commitmentCaseId'): string | null => {
  const v = (data as Record<string, unknown> | null)?.[key];
  return typeof v === 'string' ? v : null;
};

/**
 * The subject's shared credit status, derived from the append-once credit records procedures write (listing, its end,
 * a completed repair, a false or unkept commitment).
 *
 * A listing ends only by its own case's record of its end (its period, an upheld Art. 35 objection, an approved repair
 * naming it), so the listing case and this status agree. A repair clears what it names (Art. 40 ¶2); repairs recorded
 * before an application had to name its object keep their old reach over commitment breaches, and a repair named a
 * listing then ends that listing.
 */
export class CreditStatusService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly personalData: PersonalDataCipher,
  ) {}

  /** `idNumber`: a USCC or a resident ID; records carry only its keyed hash (decision 0021). */
  async statusOf(idNumber: string, now = new Date()): Promise<CreditStatus> {
    const keys = this.personalData.lookupKeys('id', idNumber);
    const records = await this.prisma.creditRecord.findMany({ where: { subjectIdKey: { in: keys } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    const repairs = records.filter((r) => r.kind === 'repaired');
    const listings = records
      .filter((r) => r.kind === 'listed')
      .map((l) => {
        const ended = records.find((r) => r.kind === 'listing-ended' && named(r.data, 'listingCaseId') === l.caseId);
        const repaired = repairs.find((r) => r.at >= l.at && named(r.data, 'listingCaseId') === l.caseId);
        const endedAt = [ended?.at, repaired?.at, l.until && l.until <= now ? l.until : undefined].filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0];
        return { caseId: l.caseId, procedure: l.procedure, at: l.at.toISOString(), until: l.until?.toISOString() ?? null, active: !endedAt, endedAt: endedAt?.toISOString() ?? null };
      });
    const repairsBreach = (caseId: string, at: Date) =>
      repairs.some((r) => r.at >= at && (named(r.data, 'commitmentCaseId') === caseId || (!named(r.data, 'commitmentCaseId') && !named(r.data, 'listingCaseId'))));
    return {
      listed: listings.some((l) => l.active),
      listings,
      repairs: repairs.map((r) => ({ caseId: r.caseId, at: r.at.toISOString(), listingCaseId: named(r.data, 'listingCaseId'), commitmentCaseId: named(r.data, 'commitmentCaseId') })),
      commitmentBreaches: records
        .filter((r) => r.kind === 'commitment-breach')
        .map((b) => ({ caseId: b.caseId, at: b.at.toISOString(), kind: String((b.data as { kind?: string }).kind ?? 'unkept'), repaired: repairsBreach(b.caseId, b.at) })),
    };
  }

  /**
   * A natural person's credit status for a user: a read of personal information (Art. 23 ¶4), recorded before it is
   * shown, like the unmasked subject of a case. The record names the number by its keyed hash, never in clear.
   */
  async personStatusFor(idNumber: string, user: AuthUser): Promise<CreditStatus> {
    const subjectIdKey = this.personalData.lookupKey('id', idNumber);
    await this.prisma.personalDataRead.create({ data: { caseId: null, subjectIdKey, userId: user.id, unitId: user.unitId, fields: ['creditStatus'] } });
    return this.statusOf(idNumber);
  }
}
