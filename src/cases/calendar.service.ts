import type { PrismaClient } from '@prisma/client';
import { loadCalendar, withProvisionalYears } from '../db/calendar-store';
import { Calendar, CalendarSeed } from '../domain/calendar';

/**
 * The calendar as loaded in PostgreSQL, with the fixed holidays of the years without a notice (docs/time-rules.md#calendar-coverage),
 * cached briefly: holiday notices change a few times a year.
 */
export class CalendarService {
  private cached?: { seed: CalendarSeed; calendar: Calendar; at: number };

  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs = 60_000,
  ) {}

  async current(): Promise<{ seed: CalendarSeed; calendar: Calendar }> {
    if (!this.cached || Date.now() - this.cached.at > this.ttlMs) {
      const seed = withProvisionalYears(await loadCalendar(this.prisma));
      this.cached = { seed, calendar: Calendar.fromSeed(seed), at: Date.now() };
    }
    return this.cached;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
