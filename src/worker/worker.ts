import { existsSync } from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/case.activities';
import { projectRoot } from '../config/paths';

export const WORKFLOW_BUNDLE = path.join(projectRoot(), 'dist', 'workflow-bundle.js');

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  prisma: PrismaClient;
  maxCachedWorkflows?: number;
  /** Bundle the workflows from source instead of loading the prebuilt bundle (tests). */
  fromSource?: boolean;
}

export async function createCaseWorker(o: CaseWorkerOptions): Promise<Worker> {
  const useBundle = !o.fromSource && existsSync(WORKFLOW_BUNDLE);
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    activities: createActivities({ prisma: o.prisma }),
    ...(o.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: o.maxCachedWorkflows }),
    ...(useBundle ? { workflowBundle: { codePath: WORKFLOW_BUNDLE } } : { workflowsPath: require.resolve('../../workflows') }),
  });
}
