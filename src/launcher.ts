import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Client } from 'pg';
import { launcherSettings, loadConfig } from './config/config';
import { describeDatabaseUrl, ensureDatabase } from './db/migrate';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './infra/embedded-postgres';
import { PAYLOAD_KEYS_SETTING, PayloadKeyRing } from './infra/payload-codec';
import { stopChildProcesses, stopLeftoverServer } from './infra/leftover-servers';
import { canConnect, DevServerHandle, startTemporalDevServer } from './infra/temporal-dev-server';
import { isLoopbackHost } from './auth/demo-sign-in';
import { isIP } from 'node:net';
import { LOCAL_DATABASE } from './infra/local-install';
import { startService } from './service';

/**
 * `npm start`: the whole system on embedded defaults. PostgreSQL comes from DATABASE_URL or an embedded server;
 * Temporal from TEMPORAL_ADDRESS or a dev server with a persistent database file. State lives in DATA_DIR
 * (default .data/), so a second start resumes the cases that were running.
 */
async function main() {
  const env = { ...process.env };
  const launcher = launcherSettings(env);
  // Every other setting is checked before anything starts, so a typo is named and not found deep inside a start.
  loadConfig({ DATABASE_URL: 'postgresql://placeholder/db', TEMPORAL_ADDRESS: 'placeholder:1', [PAYLOAD_KEYS_SETTING]: '', ...withoutEmpty(env) });
  const { dataDir, port, host } = launcher;
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  // While PostgreSQL, Temporal and the worker start, the port already answers: /health → 503.
  const starting = http.createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', connection: 'close', 'retry-after': '5' }).end(JSON.stringify({ ok: false, status: 'starting' }));
  });
  await new Promise<void>((resolve, reject) => starting.once('error', reject).listen(port, host, resolve)).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE' ? new Error(`port ${port} is already in use: stop what listens there, or set PORT to move the API`) : error;
  });
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
  // Taken from the first moment: a Ctrl-C or SIGTERM while starting must stop what already runs (PostgreSQL, Temporal
  // are children that would outlive this process and hold DATA_DIR), not end the launcher on the spot.
  let interruptedBy: string | undefined;
  let stopRunning: ((signal: string) => Promise<void>) | undefined;
  let stoppingWhileStarting: Promise<void> | undefined;
  // Not after the step under way: initdb, Temporal's start or the worker's may take a minute. The children are stopped
  // where they are (each by its clean-stop signal); the API and worker end with this process.
  const stopWhileStarting = () =>
    (stoppingWhileStarting ??= (async () => {
      await stopStarting();
      await stopChildProcesses(STOP_CHILDREN_MS);
      process.exit(0);
    })());
  const onSignal = (signal: string) => {
    if (stopRunning) return void stopRunning(signal);
    if (interruptedBy) return;
    interruptedBy = signal;
    console.log(`${signal}: start interrupted; stopping what has started`);
    // A terminal's Ctrl-C also stopped PostgreSQL: a client of the step under way (migrations) may fail with no one
    // left to catch it. That is part of this stop, and must not end the launcher before its children are stopped.
    const partOfTheStop = () => undefined;
    process.on('uncaughtException', partOfTheStop).on('unhandledRejection', partOfTheStop);
    setTimeout(() => {
      console.error('stop did not finish in time; exiting');
      process.exit(1);
    }, STOP_WHILE_STARTING_MS).unref();
    void stopWhileStarting();
  };
  // SIGHUP: the terminal that ran `npm start` was closed.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  const unlessInterrupted = () => {
    if (interruptedBy) throw new StartInterrupted();
  };
  try {
    if (env.DATABASE_URL) {
      await checkDatabase(env.DATABASE_URL);
    } else {
      // PostgreSQL's fast shutdown (SIGINT): sessions end, the data is consistent on disk.
      await stopLeftoverServer('PostgreSQL', 'postgres', path.join(dataDir, 'postgres'), 'SIGINT', console.log);
      const pgData = path.join(dataDir, 'postgres');
      console.log(existsSync(path.join(pgData, 'PG_VERSION')) ? 'embedded PostgreSQL: starting' : `embedded PostgreSQL: initialising ${pgData} (first start)`);
      pg = await startEmbeddedPostgres(pgData, launcher.embeddedPgPort, true, true);
      unlessInterrupted();
      env.DATABASE_URL = pg.url(LOCAL_DATABASE);
      await ensureDatabase(env.DATABASE_URL);
      console.log(`embedded PostgreSQL on 127.0.0.1:${launcher.embeddedPgPort} (data in ${path.join(dataDir, 'postgres')})`);
    }
    unlessInterrupted();
    if (!env.TEMPORAL_ADDRESS) {
      await stopLeftoverServer('Temporal dev server', 'temporal', path.join(dataDir, 'temporal.db'), 'SIGTERM', console.log);
      if (await canConnect(launcher.temporalUiPort)) throw new Error(`port ${launcher.temporalUiPort} (the Temporal Web UI) is already in use: stop what listens there, or set TEMPORAL_UI_PORT`);
      // The Web UI decodes through the API's codec endpoint (decision 0022), which answers its origin.
      env.CODEC_CORS_ORIGINS ||= `http://127.0.0.1:${launcher.temporalUiPort},http://localhost:${launcher.temporalUiPort}`;
      const codecEndpoint = `http://${browserHost(launcher.host)}:${launcher.port}/codec`;
      console.log('Temporal dev server: starting');
      temporal = await startTemporalDevServer(path.join(dataDir, 'temporal.db'), launcher.temporalPort, launcher.temporalUiPort, 'warn', codecEndpoint);
      env.TEMPORAL_ADDRESS = temporal.address;
      console.log(`Temporal dev server on ${temporal.address} (UI http://127.0.0.1:${launcher.temporalUiPort})`);
    }
    unlessInterrupted();
    env[PAYLOAD_KEYS_SETTING] ||= localPayloadKeys(dataDir);
    const config = loadConfig(env);
    const service = await startService(config, { beforeListen: stopStarting, progress: (step) => console.log(`service: ${step}`) });
    let stopping = false;
    stopRunning = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: stopping API, worker, Temporal and PostgreSQL`);
      setTimeout(() => {
        console.error('stop did not finish in time; exiting');
        process.exit(1);
      }, 2 * config.shutdownGraceMs + 30_000).unref();
      await service.stop().catch((e) => console.error(e));
      await cleanup();
      process.exit(0);
    };
    if (interruptedBy) return void stopRunning(interruptedBy);
    console.log(`legal-deadlines listening on ${service.url} — OpenAPI at ${service.url}/docs — Ctrl-C stops everything`);
  } catch (error) {
    // The terminal's Ctrl-C reaches PostgreSQL too, and the step's failure (its connection ended) can come in before
    // this process has run its own signal handler: a moment's wait lets the signal be seen first.
    if (!interruptedBy) await new Promise((resolve) => setTimeout(resolve, 250));
    // Once interrupted, a step failing because its child got the terminal's Ctrl-C too is part of the stop, not news.
    if (error instanceof StartInterrupted || interruptedBy) return void (await stopWhileStarting());
    console.error(error instanceof Error ? error.message : error);
    await cleanup();
    process.exit(1);
  }
}

/** Where a browser on this machine reaches the API listening on `host`. */
function browserHost(host: string): string {
  if (host === '0.0.0.0' || (isIP(host) === 4 && isLoopbackHost(host))) return '127.0.0.1';
  if (host === '::' || host === '::1' || host === '[::1]') return '[::1]';
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** How long the children get to stop cleanly when the start is interrupted; then they are killed. */
const STOP_CHILDREN_MS = 6_000;
/** Bounds the whole stop while starting (should stopping itself hang). */
const STOP_WHILE_STARTING_MS = STOP_CHILDREN_MS + 4_000;

class StartInterrupted extends Error {}

function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}

/** A given DATABASE_URL is tried before Temporal starts, so its error is the last thing printed, not buried. */
async function checkDatabase(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL at DATABASE_URL (${describeDatabaseUrl(databaseUrl)}) cannot be used: ${(error as Error).message || (error as NodeJS.ErrnoException).code}. Fix DATABASE_URL, or unset it to run an embedded PostgreSQL in DATA_DIR`);
  } finally {
    await client.end().catch(() => undefined);
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

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
