import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { loadConfig } from './config/config';
import { projectRoot } from './config/paths';
import { ensureDatabase } from './db/migrate';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './infra/embedded-postgres';
import { PAYLOAD_KEYS_SETTING, PayloadKeyRing } from './infra/payload-codec';
import { DevServerHandle, startTemporalDevServer } from './infra/temporal-dev-server';
import { startService } from './service';

/**
 * `npm start`: the whole system on embedded defaults. PostgreSQL comes from DATABASE_URL or an embedded server;
 * Temporal from TEMPORAL_ADDRESS or a dev server with a persistent database file. State lives in DATA_DIR
 * (default .data/), so a second start resumes the cases that were running.
 */
async function main() {
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(projectRoot(), '.data'));
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  const env = { ...process.env };
  const port = Number(env.PORT ?? 3000);
  // While PostgreSQL, Temporal and the worker start, the port already answers: /health → 503.
  const starting = http.createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ ok: false, status: 'starting' }));
  });
  await new Promise<void>((resolve, reject) => starting.once('error', reject).listen(port, '127.0.0.1', resolve));
  const stopStarting = () =>
    new Promise<void>((resolve) => {
      if (!starting.listening) return resolve();
      starting.close(() => resolve());
      starting.closeAllConnections();
    });
  let pg: EmbeddedPostgresHandle | undefined;
  let temporal: DevServerHandle | undefined;
  const cleanup = async () => {
    await stopStarting();
    await temporal?.stop().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
  };
  try {
    if (!env.DATABASE_URL) {
      const pgPort = Number(env.EMBEDDED_PG_PORT ?? 54329);
      pg = await startEmbeddedPostgres(path.join(dataDir, 'postgres'), pgPort, true, true);
      env.DATABASE_URL = pg.url('legal_deadlines');
      await ensureDatabase(env.DATABASE_URL);
      console.log(`embedded PostgreSQL on 127.0.0.1:${pgPort} (data in ${path.join(dataDir, 'postgres')})`);
    }
    if (!env.TEMPORAL_ADDRESS) {
      const temporalPort = Number(env.TEMPORAL_PORT ?? 7233);
      temporal = await startTemporalDevServer(path.join(dataDir, 'temporal.db'), temporalPort, Number(env.TEMPORAL_UI_PORT ?? 8233));
      env.TEMPORAL_ADDRESS = temporal.address;
      console.log(`Temporal dev server on ${temporal.address} (UI http://127.0.0.1:${env.TEMPORAL_UI_PORT ?? 8233})`);
    }
    env[PAYLOAD_KEYS_SETTING] ||= localPayloadKeys(dataDir);
    const service = await startService(loadConfig(env), { beforeListen: stopStarting });
    console.log(`legal-deadlines listening on ${service.url} — OpenAPI at ${service.url}/docs — Ctrl-C stops everything`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: stopping API, worker, Temporal and PostgreSQL`);
      await service.stop().catch((e) => console.error(e));
      await cleanup();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await cleanup();
    process.exit(1);
  }
}

/**
 * The payload encryption keys of a local install, generated on the first start and kept beside the Temporal database
 * (readable by the owner only). The file holds a PAYLOAD_ENCRYPTION_KEYS value: rotate by putting a new key first.
 */
function localPayloadKeys(dataDir: string): string {
  const file = path.join(dataDir, 'payload-encryption-keys');
  try {
    writeFileSync(file, `${PayloadKeyRing.generateSetting(`local-${new Date().toISOString().slice(0, 10)}`)}\n`, { mode: 0o600, flag: 'wx' });
    console.log(`payload encryption key generated in ${file}: keep it with the data folder, the Temporal histories cannot be read without it`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
