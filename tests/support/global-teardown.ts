import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { testRunTempRoot } from './temp';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  if (url && adminUrl) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
    await admin.end();
  }
  const pg = (globalThis as Record<string, unknown>).__EMBEDDED_PG__ as { stop: () => Promise<void> } | undefined;
  if (pg) await pg.stop();
  rmSync(testRunTempRoot(), { recursive: true, force: true });
}
