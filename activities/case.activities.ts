import type { PrismaClient } from '@prisma/client';
import { ApplicationFailure } from '@temporalio/common';
import { kernelReadModel, persistCaseSnapshot } from '../src/db/case-store';
import type { KernelCase } from '../src/domain/kernel/ops';
import type { PersonalDataCipher } from '../src/infra/personal-data';
import { READ_MODEL_REFUSED } from '../src/domain/shared-names';
import { dropUndeliveredOutboxOf } from '../src/notifications/outbox-purge';

export interface ActivityDeps {
  prisma: PrismaClient;
  /** Encrypts the subject before it reaches PostgreSQL (decision 0021). */
  personalData: PersonalDataCipher;
  /** No delivery channel is configured: the outbox messages a snapshot adds are dropped (they would wait forever). */
  dropOutbox?: boolean;
}


export function createActivities({ prisma, personalData, dropOutbox = false }: ActivityDeps) {
  return {
    /** Every case under the kernel: the snapshot with the audit events not yet written, and the credit effects. */
    async persistKernelCase({ snapshot }: { snapshot: KernelCase }): Promise<'written' | 'stale'> {
      try {
        const model = kernelReadModel(snapshot);
        const outcome = await persistCaseSnapshot(prisma, personalData, model, snapshot.creditEffects);
        if (dropOutbox && model.escalations.length) await dropUndeliveredOutboxOf(prisma, snapshot.caseId);
        return outcome;
      } catch (error) {
        const sqlState = dataExceptionState(error);
        if (sqlState) {
          // PostgreSQL's own message may quote the row (the subject): the failure names the SQLSTATE only.
          throw ApplicationFailure.create({ type: READ_MODEL_REFUSED, nonRetryable: true, message: `PostgreSQL refused case ${snapshot.caseId} revision ${snapshot.revision} (SQLSTATE ${sqlState})` });
        }
        throw error;
      }
    },
  };
}

/** SQLSTATE class 22 (data exception: e.g. 22P05 untranslatable character, 22021 bad encoding) — never transient. */
function dataExceptionState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; meta?: { code?: unknown }; cause?: unknown; message?: string } | undefined, depth = 0; e && depth < 5; depth++) {
    const codes = [e.code, e.meta?.code, (e as { originalCode?: unknown }).originalCode].filter((x): x is string => typeof x === 'string');
    const code = codes.find((c) => /^22[0-9A-Z]{3}$/.test(c));
    if (code) return code;
    const quoted = typeof e.message === 'string' ? /\b(22P05|22021|2200[0-9A-Z])\b/.exec(e.message)?.[1] : undefined;
    if (quoted) return quoted;
    if (typeof e.message === 'string' && /unsupported Unicode escape sequence/.test(e.message)) return '22P05';
    if (typeof e.message === 'string' && /invalid byte sequence/.test(e.message)) return '22021';
    e = e.cause as typeof e;
  }
  return undefined;
}
