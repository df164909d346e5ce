import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';

export interface PrismaSettings {
  /** DATABASE_POOL_SIZE: connections this process opens at most; a request beyond them waits for one. */
  poolSize?: number;
  /**
   * REQUEST_TIMEOUT_MS: how long a query may wait for a pool connection (or for a new connection's startup handshake),
   * run (statement_timeout), and wait for its answer, before it fails and the request answers 503. Absent: no bound
   * (scripts, benchmarks, migrations of large tables).
   */
  timeoutMs?: number;
}

/**
 * How much later than statement_timeout the client itself gives up on an answer (pg's query_timeout): a live server
 * cancels first and keeps the connection; a hung one (SIGSTOP, a frozen VM) never answers, and only the client's own
 * timer ends the wait (the connection is then dropped from the pool).
 */
export const CLIENT_QUERY_TIMEOUT_MARGIN_MS = 200;

/** Prisma's own default for an interactive transaction's whole run: kept when REQUEST_TIMEOUT_MS is shorter. */
const PRISMA_DEFAULT_TRANSACTION_MS = 5_000;

export function createPrisma(databaseUrl: string, settings: number | PrismaSettings = {}): PrismaClient {
  const { poolSize = 10, timeoutMs } = typeof settings === 'number' ? { poolSize: settings } : settings;
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: databaseUrl,
      max: poolSize,
      // connectionTimeoutMillis bounds both the wait for a pooled connection and a new one's TCP + startup handshake.
      ...(timeoutMs ? { connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, query_timeout: timeoutMs + CLIENT_QUERY_TIMEOUT_MARGIN_MS } : {}),
    }),
    ...(timeoutMs ? { transactionOptions: { maxWait: timeoutMs, timeout: Math.max(timeoutMs, PRISMA_DEFAULT_TRANSACTION_MS) } } : {}),
  });
}

export type { PrismaClient };
