import { Client } from 'pg';
import { ensureDatabase } from '../../src/db/migrate';

/**
 * `create <url> <name>`: makes an empty database beside the one `url` names and prints its URL; `drop <url> <name>`
 * removes it. The fuzz run writes random filings, calendars and users: they never land in a database that is kept.
 */
async function main() {
  const [command, base, name] = process.argv.slice(2);
  if (!/^ldl_fuzz_[a-z0-9_]+$/.test(name ?? '') || !base || !['create', 'drop'].includes(command)) {
    throw new Error('usage: database.js create|drop <DATABASE_URL> ldl_fuzz_<suffix>');
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  if (command === 'create') {
    await ensureDatabase(url.toString());
    process.stdout.write(`${url.toString()}\n`);
    return;
  }
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
