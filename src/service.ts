import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { workerProbe } from './api/health.service';
import { createApp } from './app';
import type { AppConfig } from './config/config';
import { seedDemoDirectory } from './auth/directory';
import { signalPendingCalendarChanges } from './cases/calendar-admin.service';
import { seedCalendar } from './db/calendar-store';
import { migrate } from './db/migrate';
import { createPrisma } from './db/prisma';
import { encryptedDataConverter } from './infra/payload-codec';
import { createCaseWorker } from './worker/worker';
import { startNotificationDispatcher } from './notifications/dispatcher';

export interface RunningService {
  app: INestApplication;
  url: string;
  worker?: Worker;
  stop: () => Promise<void>;
}

/** Migrations, calendar seed, Temporal worker and HTTP API, on infrastructure that is already running. */
export interface StartOptions {
  workflowsFromSource?: boolean;
  /** Called right before the API takes its port (the launcher frees it from its "starting" responder). */
  beforeListen?: () => Promise<void>;
}

export async function startService(config: AppConfig, options: StartOptions = {}): Promise<RunningService> {
  const applied = await migrate(config.databaseUrl);
  if (applied.length) console.log(`migrations applied: ${applied.map((m) => m.name).join(', ')}`);
  const prisma = createPrisma(config.databaseUrl);
  const seeded = await seedCalendar(prisma);
  if (seeded.length) console.log(`calendar years loaded from the shipped notices: ${seeded[0]}–${seeded[seeded.length - 1]}`);
  if (config.demoDirectory) await seedDemoDirectory(prisma);

  const dataConverter = encryptedDataConverter(config.payloadEncryptionKeys);
  const connection = await Connection.connect({ address: config.temporalAddress });
  let temporal = new Client({ connection, namespace: config.temporalNamespace, dataConverter });
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  if (config.runWorker) {
    workerConnection = await NativeConnection.connect({ address: config.temporalAddress });
    // The API files cases through the worker's own connection, so the server can hand a new case's first workflow
    // task straight back to this worker (eager workflow start) instead of through a task-queue poll.
    temporal = new Client({ connection: workerConnection, namespace: config.temporalNamespace, dataConverter });
    worker = await createCaseWorker({
      connection: workerConnection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      prisma,
      dataConverter,
      webhook: config.webhook,
      maxCachedWorkflows: config.workflowCacheSize,
      fromSource: options.workflowsFromSource,
    });
    workerRun = worker.run();
    workerRun.catch((error) => {
      console.error('worker stopped with an error:', error);
      process.exitCode = 1;
    });
  }
  await signalPendingCalendarChanges(prisma, temporal);
  if (worker && config.webhook) await startNotificationDispatcher(temporal, config.taskQueue, config.notifyPollSeconds);
  const app = await createApp({ prisma, temporal, taskQueue: config.taskQueue, worker: workerProbe(worker), bodyLimit: config.bodyLimit, eagerStart: !!worker, auth: config.auth });
  await options.beforeListen?.();
  await app.listen(config.port, '127.0.0.1');
  const url = await app.getUrl();

  let stopped = false;
  return {
    app,
    url: url.replace('[::1]', '127.0.0.1'),
    worker,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.close();
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun?.catch(() => undefined);
      await workerConnection?.close();
      await connection.close();
      await prisma.$disconnect();
    },
  };
}
