import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../config/paths';

export const MIGRATIONS_DIR = path.join(projectRoot(), 'prisma', 'migrations');

const CONNECT_TIMEOUT_MS = 10_000;

/** A database URL fit for a log line or an error message: host, port, database and user, never the password. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.username ? `${decodeURIComponent(url.username)}@` : ''}${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'not a URL';
  }
}

export interface AppliedMigration {
  name: string;
  checksum: string;
}

/**
 * Applies prisma/migrations/<timestamp>_<name>/migration.sql in order, once each, recording name and checksum.
 * `prisma migrate deploy` cannot run offline with the JS engine (see README), hence this runner.
 */
export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<AppliedMigration[]> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    // One migrator at a time, even when API and worker start together.
    await client.query('SELECT pg_advisory_lock(727100001)');
    await client.query(`CREATE TABLE IF NOT EXISTS app_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Map<string, string>(
      (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM app_migrations')).rows.map((r) => [r.name, r.checksum]),
    );
    const done: AppliedMigration[] = [];
    for (const name of readdirSync(dir).filter((n) => /^\d{14}_[a-z0-9_]+$/.test(n)).sort()) {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = applied.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`migration ${name} was changed after it was applied (checksum differs); add a new migration instead`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO app_migrations (name, checksum) VALUES ($1, $2)', [name, checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      done.push({ name, checksum });
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock(727100001)').catch(() => undefined);
    await client.end();
  }
}

/** Creates the database named in the URL if it does not exist (for embedded and test servers). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name must be [A-Za-z0-9_]+: ${name}`);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
