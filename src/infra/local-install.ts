import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { launcherSettings } from '../config/config';
import { PAYLOAD_KEYS_SETTING } from './payload-codec';
import { embeddedPostgresUrl, EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';
import { canConnect, DevServerHandle, startTemporalDevServer } from './temporal-dev-server';

/** The database the launcher keeps the read model in, on its embedded PostgreSQL. */
export const LOCAL_DATABASE = 'legal_deadlines';

export interface LocalInstall {
  /** DATABASE_URL, TEMPORAL_ADDRESS and PAYLOAD_ENCRYPTION_KEYS of the local install, for the settings not given. */
  env: NodeJS.ProcessEnv;
  /** Whether this process started its Temporal dev server (then no worker polls it: the caller runs one). */
  startedTemporal: boolean;
  /** Stops what this process started; what ran before (an `npm start`) keeps running. */
  stop: () => Promise<void>;
}

/**
 * For the command-line tools (`npm run reconcile`) on a local install with no settings: the PostgreSQL and Temporal of
 * `npm start`'s DATA_DIR, used where they run (the service is up) or started on that folder for the time of the command.
 * Only what DATABASE_URL / TEMPORAL_ADDRESS / PAYLOAD_ENCRYPTION_KEYS do not give is looked for.
 */
export async function openLocalInstall(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<LocalInstall> {
  const { dataDir, embeddedPgPort, temporalPort, temporalUiPort } = launcherSettings(env);
  const pgData = path.join(dataDir, 'postgres');
  const keysFile = path.join(dataDir, 'payload-encryption-keys');
  const noInstall = (what: string) =>
    new Error(`no local install in ${dataDir} (${what}): run \`npm start\` once, set DATA_DIR to its folder, or give DATABASE_URL, TEMPORAL_ADDRESS and ${PAYLOAD_KEYS_SETTING}`);
  const found: NodeJS.ProcessEnv = {};
  let pg: EmbeddedPostgresHandle | undefined;
  let temporal: DevServerHandle | undefined;
  const stop = async () => {
    await temporal?.stop().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
  };
  try {
    if (!env[PAYLOAD_KEYS_SETTING]) {
      if (!existsSync(keysFile)) throw noInstall(`${keysFile} is missing`);
      found[PAYLOAD_KEYS_SETTING] = readFileSync(keysFile, 'utf8').trim();
    }
    if (!env.DATABASE_URL) {
      if (!existsSync(path.join(pgData, 'PG_VERSION'))) throw noInstall(`${pgData} holds no PostgreSQL`);
      if (!(await canConnect(embeddedPgPort))) {
        log(`the local install's PostgreSQL is not running: starting it on ${pgData} for this command`);
        pg = await startEmbeddedPostgres(pgData, embeddedPgPort, true, false, log);
      }
      found.DATABASE_URL = embeddedPostgresUrl(pgData, embeddedPgPort, LOCAL_DATABASE);
      if (!found.DATABASE_URL) throw noInstall(`its PostgreSQL password file ${path.join(dataDir, 'postgres-password')} is missing`);
    }
    if (!env.TEMPORAL_ADDRESS) {
      const dbFile = path.join(dataDir, 'temporal.db');
      if (!(await canConnect(temporalPort))) {
        if (!existsSync(dbFile)) throw noInstall(`${dbFile} is missing`);
        log(`the local install's Temporal is not running: starting its dev server on ${dbFile} for this command`);
        temporal = await startTemporalDevServer(dbFile, temporalPort, temporalUiPort);
      }
      found.TEMPORAL_ADDRESS = `127.0.0.1:${temporalPort}`;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { env: found, startedTemporal: !!temporal, stop };
}
