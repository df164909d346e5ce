import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { workerProbe } from './api/health.service';
import { createApp } from './app';
import type { AppConfig } from './config/config';
import { seedDemoDirectory } from './auth/directory';
import { signalPendingCalendarChanges } from './cases/calendar-admin.service';
import { CaseService } from './cases/case.service';
import { seedCalendar } from './db/calendar-store';
import { migrate, describeDatabaseUrl } from './db/migrate';
import { createPrisma } from './db/prisma';
import { sealPersonalDataAtRest } from './db/personal-data-at-rest';
import { PersonalDataCipher } from './infra/personal-data';
import { encryptedDataConverter, PAYLOAD_KEYS_SETTING } from './infra/payload-codec';
import { createCaseWorker } from './worker/worker';
import { startNotificationDispatcher } from './notifications/dispatcher';
import { Draining } from './infra/draining';
import { describeError, log } from './observability/logger';
import { installTemporalRuntime } from './observability/temporal-runtime';

export interface RunningService {
  /** Absent in a worker-only process (RUN_API=false). */
  app?: INestApplication;
  /** The API's base URL; empty in a worker-only process. */
  url: string;
  worker?: Worker;
  /** Settles when this process's worker stops; before stop() is called that is a failure the process must not outlive. */
  workerStopped?: Promise<void>;
  /** Stops in order: refuse new work, drain in-flight requests (at most SHUTDOWN_GRACE_MS), stop the worker, close pools. */
  stop: () => Promise<void>;
}

/** Migrations, calendar seed, Temporal worker and HTTP API, on infrastructure that is already running. */
export interface StartOptions {
  workflowsFromSource?: boolean;
  /** Called right before the API takes its port (the launcher frees it from its "starting" responder). */
  beforeListen?: () => Promise<void>;
  /** Told each step as it begins (the launcher prints them, so an interrupted start can say where it was). */
  progress?: (step: 'migrating' | 'starting the worker' | 'starting the API') => void;
}

export async function startService(config: AppConfig, options: StartOptions = {}): Promise<RunningService> {
  // Checked before anything changes the database: a process that could not run cases must not migrate it.
  if (!config.payloadEncryptionKeys) {
    throw new Error(`${PAYLOAD_KEYS_SETTING} is required: Temporal histories hold personal information and are encrypted with it (see docs/decisions/0007-payload-encryption.md; \`npm start\` generates one in its data folder)`);
  }
  installTemporalRuntime({ metricsPort: config.temporalMetricsPort, host: config.host, logLevel: config.logLevel });
  options.progress?.('migrating');
  const applied = await migrate(config.databaseUrl).catch((error: Error) => {
    throw new Error(`PostgreSQL at DATABASE_URL (${describeDatabaseUrl(config.databaseUrl)}) cannot be used: ${error.message}`);
  });
  if (applied.length) log().info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  const personalData = new PersonalDataCipher(config.payloadEncryptionKeys, config.personalDataCipher);
  const sealed = await sealPersonalDataAtRest(config.databaseUrl, personalData);
  if (sealed.clearCases || sealed.resealedCases || sealed.creditRecords) log().info({ ...sealed, suite: personalData.suite, keyId: config.payloadEncryptionKeys.currentId }, 'personal data at rest encrypted');
  if (sealed.rewritten === 'vacuum') log().warn('the tables holding the converted subjects were not rewritten (VACUUM FULL found them busy): run `VACUUM FULL cases, credit_records` in a quiet moment');
  const prisma = createPrisma(config.databaseUrl, { poolSize: config.databasePoolSize, timeoutMs: config.requestTimeoutMs });
  const seeded = await seedCalendar(prisma);
  if (seeded.length) log().info({ years: seeded }, 'calendar years loaded from the shipped notices');
  if (config.demoDirectory) await seedDemoDirectory(prisma);

  const dataConverter = encryptedDataConverter(config.payloadEncryptionKeys);
  const connectionOptions = {
    address: config.temporalAddress,
    ...(config.temporalTls ? { tls: config.temporalTls } : {}),
    ...(config.temporalApiKey ? { apiKey: config.temporalApiKey } : {}),
  };
  const connection = await Connection.connect(connectionOptions).catch((error: Error) => {
    throw new Error(`Temporal at TEMPORAL_ADDRESS (${config.temporalAddress}) cannot be reached: ${error.message}`);
  });
  let temporal = new Client({ connection, namespace: config.temporalNamespace, dataConverter });
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  if (config.runWorker) {
    options.progress?.('starting the worker');
    workerConnection = await NativeConnection.connect(connectionOptions);
    // The API files cases through the worker's own connection, so the server can hand a new case's first workflow
    // task straight back to this worker (eager workflow start) instead of through a task-queue poll.
    temporal = new Client({ connection: workerConnection, namespace: config.temporalNamespace, dataConverter });
    worker = await createCaseWorker({
      connection: workerConnection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      prisma,
      personalData,
      dataConverter,
      webhook: config.webhook,
      maxCachedWorkflows: config.workflowCacheSize,
      fromSource: options.workflowsFromSource,
      shutdownGraceMs: config.shutdownGraceMs,
    });
    workerRun = worker.run();
    workerRun.catch((error) => log().error({ err: describeError(error) }, 'the worker stopped with an error'));
  }
  await signalPendingCalendarChanges(prisma, temporal);
  if (worker && config.webhook) await startNotificationDispatcher(temporal, config.taskQueue, config.notifyPollSeconds);

  let app: INestApplication | undefined;
  let url = '';
  const draining = new Draining();
  if (config.runApi) {
    options.progress?.('starting the API');
    app = await createApp({
      prisma,
      personalData,
      temporal,
      taskQueue: config.taskQueue,
      worker: workerProbe(worker),
      bodyLimit: config.bodyLimit,
      eagerStart: !!worker,
      auth: config.auth,
      draining,
      requestTimeoutMs: config.requestTimeoutMs,
      demoSignIn: config.demoDirectory,
      host: config.host,
      codec: { codecs: dataConverter.payloadCodecs ?? [], corsOrigins: config.codecCorsOrigins },
    });
    await options.beforeListen?.();
    await app.listen(config.port, config.host).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE' ? new Error(`port ${config.port} on ${config.host} is already in use: stop what listens there, or set PORT (and HOST) to move the API`) : error;
    });
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
  }

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    if (app) await draining.drain(app.getHttpServer() as Server, config.shutdownGraceMs);
    const cases = app?.get(CaseService);
    await app?.close();
    await cases?.settleTemporalCalls(config.shutdownGraceMs);
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun?.catch(() => undefined);
    await workerConnection?.close();
    await connection.close();
    await prisma.$disconnect();
  };
  return {
    app,
    url,
    worker,
    workerStopped: workerRun,
    stop: () => (stopping ??= stop()),
  };
}
