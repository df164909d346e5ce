import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import pg from 'pg';

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
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    // connectionTimeoutMillis bounds both the wait for a pooled connection and a new one's TCP + startup handshake.
    ...(timeoutMs ? { connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, query_timeout: timeoutMs + CLIENT_QUERY_TIMEOUT_MARGIN_MS } : {}),
  });
  if (timeoutMs) pool.on('connect', dropOnClientTimeout);
  return new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    ...(timeoutMs ? { transactionOptions: { maxWait: timeoutMs, timeout: Math.max(timeoutMs, PRISMA_DEFAULT_TRANSACTION_MS) } } : {}),
  });
}

const isClientTimeout = (error: unknown) => error instanceof Error && error.message === 'Query read timeout';

/**
 * A connection whose query got no answer in time is closed, not reused: its query may still be running on the server,
 * and inside a transaction the adapter would hand it back to the pool with the transaction (and its locks) open
 * while the ROLLBACK queued behind that query never goes out. Closing the socket makes the server end the
 * transaction once it runs again.
 */
function dropOnClientTimeout(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const drop = () => setImmediate(() => (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy());
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const callback = args[args.length - 1];
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        if (isClientTimeout(error)) drop();
        (callback as (e: unknown, r: unknown) => void)(error, result);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) result.catch((error: unknown) => isClientTimeout(error) && drop());
    return result;
  };
}

export type { PrismaClient };
