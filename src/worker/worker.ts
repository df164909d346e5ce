import { existsSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/case.activities';
import { createNotificationActivities } from '../../activities/notification.activities';
import type { WebhookSettings } from '../notifications/webhook';
import type { PersonalDataCipher } from '../infra/personal-data';
import { projectRoot } from '../config/paths';
import { defaultWorkflowCacheSize } from './workflow-cache';

export const WORKFLOW_BUNDLE = path.join(projectRoot(), 'dist', 'workflow-bundle.js');

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  prisma: PrismaClient;
  /** Encrypts the subject before the read model stores it (decision 0021). */
  personalData: PersonalDataCipher;
  /** Payload encryption and encoded failure messages (src/infra/payload-codec.ts), the same as the clients'. */
  dataConverter: DataConverter;
  /** The notification channel the dispatcher delivers to; without one no outbox message is kept. */
  webhook?: WebhookSettings;
  /** Case workflows kept in memory between tasks; default: defaultWorkflowCacheSize(). */
  maxCachedWorkflows?: number;
  /** How long a stopping worker lets running activities finish before it cancels them. */
  shutdownGraceMs?: number;
  /** Bundle the workflows from source instead of loading the prebuilt bundle (tests). */
  fromSource?: boolean;
}

export async function createCaseWorker(o: CaseWorkerOptions): Promise<Worker> {
  const useBundle = !o.fromSource && existsSync(WORKFLOW_BUNDLE);
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    dataConverter: o.dataConverter,
    activities: { ...createActivities({ prisma: o.prisma, personalData: o.personalData, dropOutbox: !o.webhook }), ...createNotificationActivities({ prisma: o.prisma, webhook: o.webhook }) },
    maxCachedWorkflows: o.maxCachedWorkflows ?? defaultWorkflowCacheSize(),
    ...(o.shutdownGraceMs === undefined ? {} : { shutdownGraceTime: o.shutdownGraceMs }),
    ...(useBundle ? { workflowBundle: { codePath: WORKFLOW_BUNDLE } } : { workflowsPath: require.resolve('../../workflows') }),
  });
}
