import type { PrismaClient } from '@prisma/client';
import { persistCaseSnapshot } from '../src/db/case-store';
import type { ObjectionCase } from '../src/domain/objection-review';

export interface ActivityDeps {
  prisma: PrismaClient;
}

export function createActivities({ prisma }: ActivityDeps) {
  return {
    /** Retried by Temporal until PostgreSQL takes it; safe to repeat (see persistCaseSnapshot). */
    async persistCase({ snapshot }: { snapshot: ObjectionCase }): Promise<'written' | 'stale'> {
      return persistCaseSnapshot(prisma, snapshot);
    },
  };
}
