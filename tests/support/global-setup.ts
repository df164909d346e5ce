import { chmodSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { ensureLocalSigningKey } from '../../src/auth/local-signing-key';
import { seedDemoDirectory } from '../../src/auth/directory';
import { seedCalendar } from '../../src/db/calendar-store';
import { migrate } from '../../src/db/migrate';
import { createPrisma } from '../../src/db/prisma';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { ensureTemporalTools } from '../../src/infra/tools';
import { testTempDir } from './temp';

/**
 * Real infrastructure for the whole run: the pinned Temporal binaries, and a fresh PostgreSQL database —
 * on the server named by DATABASE_URL when set, otherwise on an embedded server started here.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  process.env.TEST_RUN_ID = `${Date.now()}-${process.pid}`;
  ensureTemporalTools();
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = testTempDir('ldl-pg-');
    // Running as root, embedded-postgres runs the server as a separate user that must reach the data folder.
    chmodSync(dir, 0o755);
    const port = 10_000 + Math.floor(Math.random() * 2_000); // below the ephemeral range, apart from the dev servers
    const pg = await startEmbeddedPostgres(path.join(dir, 'data'), port, false);
    (globalThis as Record<string, unknown>).__EMBEDDED_PG__ = pg;
    serverUrl = pg.url('postgres');
  }
  const database = `ldl_test_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  process.env.TEST_DATABASE_URL = url.toString();
  process.env.TEST_ADMIN_DATABASE_URL = serverUrl;
  await migrate(url.toString());
  const prisma = createPrisma(url.toString(), 2);
  await seedCalendar(prisma);
  await seedDemoDirectory(prisma);
  await prisma.$disconnect();
  // One signing key for the run: the services under test verify with it, the HTTP helpers sign with it.
  process.env.AUTH_LOCAL_KEY_FILE = path.join(testTempDir('ldl-auth-'), 'local-signing-key.json');
  await ensureLocalSigningKey(process.env.AUTH_LOCAL_KEY_FILE);
}
