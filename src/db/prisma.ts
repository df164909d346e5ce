import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';

export interface PrismaSettings {
  /** DATABASE_POOL_SIZE: connections this process opens at most; a request beyond them waits for one. */
  poolSize?: number;
  /**
   * REQUEST_TIMEOUT_MS: how long a query may wait for a pool connection, and run (statement_timeout), before it fails
   * and the request answers 503. Absent: no bound (scripts, benchmarks, migrations of large tables).
   */
  timeoutMs?: number;
}

export function createPrisma(databaseUrl: string, settings: number | PrismaSettings = {}): PrismaClient {
  const { poolSize = 10, timeoutMs } = typeof settings === 'number' ? { poolSize: settings } : settings;
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: databaseUrl,
      max: poolSize,
      ...(timeoutMs ? { connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs } : {}),
    }),
  });
}

export type { PrismaClient };
