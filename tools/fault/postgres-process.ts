import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';

/**
 * The fault suite's PostgreSQL as a process of its own: `node postgres-process.js <data dir> <port>` starts the embedded
 * server (embedded-postgres is ESM, which jest's module sandbox cannot import), prints "ready", and on SIGTERM stops
 * it (fast shutdown) and exits.
 */
async function main() {
  const [dataDir, port] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres(dataDir, Number(port), true, true);
  process.once('SIGTERM', () => {
    void pg.stop().then(() => process.exit(0));
  });
  process.stdout.write('ready\n');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
