import type { PrismaClient } from '@prisma/client';
import { ApplicationFailure } from '@temporalio/common';
import { kernelReadModel, legacyReadModel, persistCaseSnapshot } from '../src/db/case-store';
import type { KernelCase } from '../src/domain/kernel/ops';
import type { ObjectionCase } from '../src/domain/objection-review';
import { READ_MODEL_REFUSED } from '../workflows/contracts/case.contract';

export interface ActivityDeps {
  prisma: PrismaClient;
}


export function createActivities({ prisma }: ActivityDeps) {
  return {
    /** Objection-review cases filed before the kernel. Retried by Temporal until PostgreSQL takes it; safe to repeat. */
    async persistCase({ snapshot }: { snapshot: ObjectionCase }): Promise<'written' | 'stale'> {
      return persistCaseSnapshot(prisma, legacyReadModel(snapshot));
    },
    /** Every case under the kernel: the snapshot with the audit events not yet written, and the credit effects. */
    async persistKernelCase({ snapshot }: { snapshot: KernelCase }): Promise<'written' | 'stale'> {
      try {
        return await persistCaseSnapshot(prisma, kernelReadModel(snapshot), snapshot.creditEffects);
      } catch (error) {
        if (isDataException(error)) {
          throw ApplicationFailure.create({ type: READ_MODEL_REFUSED, nonRetryable: true, message: `PostgreSQL refused case ${snapshot.caseId} revision ${snapshot.revision}: ${(error as Error).message}` });
        }
        throw error;
      }
    },
  };
}

/** SQLSTATE class 22 (data exception: e.g. 22P05 untranslatable character, 22021 bad encoding) — never transient. */
function isDataException(error: unknown): boolean {
  for (let e = error as { code?: unknown; meta?: { code?: unknown }; cause?: unknown; message?: string } | undefined, depth = 0; e && depth < 5; depth++) {
    const codes = [e.code, e.meta?.code, (e as { originalCode?: unknown }).originalCode].filter((x): x is string => typeof x === 'string');
    if (codes.some((code) => /^22[0-9A-Z]{3}$/.test(code))) return true;
    if (typeof e.message === 'string' && /\b(22P05|22021|2200[0-9A-Z]|unsupported Unicode escape sequence|invalid byte sequence)\b/.test(e.message)) return true;
    e = e.cause as typeof e;
  }
  return false;
}
