import type { PrismaClient } from '@prisma/client';
import type { CreditStatus } from '../domain/kernel/ops';

/**
 * The subject's shared credit status, derived from the append-once credit records procedures write (listing, its end,
 * a completed repair, a false or unkept commitment). A completed repair clears what was recorded before it (Art. 45 ¶1).
 */
export class CreditStatusService {
  constructor(private readonly prisma: PrismaClient) {}

  async statusOf(idNumber: string, now = new Date()): Promise<CreditStatus> {
    const records = await this.prisma.creditRecord.findMany({ where: { subjectIdNumber: idNumber }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    const repairs = records.filter((r) => r.kind === 'repaired');
    const repairedAfter = (at: Date) => repairs.find((r) => r.at >= at);
    const listings = records
      .filter((r) => r.kind === 'listed')
      .map((l) => {
        const ended = records.find((r) => r.kind === 'listing-ended' && (r.data as { listingCaseId?: string }).listingCaseId === l.caseId);
        const repaired = repairedAfter(l.at);
        const endedAt = [ended?.at, repaired?.at, l.until && l.until <= now ? l.until : undefined].filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0];
        return { caseId: l.caseId, procedure: l.procedure, at: l.at.toISOString(), until: l.until?.toISOString() ?? null, active: !endedAt, endedAt: endedAt?.toISOString() ?? null };
      });
    return {
      listed: listings.some((l) => l.active),
      listings,
      repairs: repairs.map((r) => ({ caseId: r.caseId, at: r.at.toISOString() })),
      commitmentBreaches: records
        .filter((r) => r.kind === 'commitment-breach')
        .map((b) => ({ caseId: b.caseId, at: b.at.toISOString(), kind: String((b.data as { kind?: string }).kind ?? 'unkept'), repaired: !!repairedAfter(b.at) })),
    };
  }
}
