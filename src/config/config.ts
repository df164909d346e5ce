import { CASE_TASK_QUEUE_DEFAULT } from '../../workflows/contracts/case.contract';

export interface AppConfig {
  port: number;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  runWorker: boolean;
  /** Cases whose workflow state a worker keeps in memory between tasks; 0 replays each case from its history. */
  workflowCacheSize?: number;
  bodyLimit: string;
}

/** Reads and checks the settings once; a bad value stops the process with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a port number, got "${env.PORT}"`);
  const databaseUrl = env.DATABASE_URL ?? '';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgresql:// URL');
  const temporalAddress = env.TEMPORAL_ADDRESS ?? '';
  if (!/^[^\s:]+:\d+$/.test(temporalAddress)) problems.push(`TEMPORAL_ADDRESS must be host:port, got "${temporalAddress}"`);
  const runWorker = (env.RUN_WORKER ?? 'true').toLowerCase();
  if (!['true', 'false'].includes(runWorker)) problems.push('RUN_WORKER must be true or false');
  const cacheSize = env.WORKFLOW_CACHE_SIZE?.trim() ? Number(env.WORKFLOW_CACHE_SIZE) : undefined;
  if (cacheSize !== undefined && (!Number.isInteger(cacheSize) || cacheSize < 0)) {
    problems.push(`WORKFLOW_CACHE_SIZE must be a whole number ≥ 0, got "${env.WORKFLOW_CACHE_SIZE}"`);
  }
  if (problems.length) throw new Error(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    port,
    databaseUrl,
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TASK_QUEUE ?? CASE_TASK_QUEUE_DEFAULT,
    runWorker: runWorker === 'true',
    workflowCacheSize: cacheSize,
    bodyLimit: env.BODY_LIMIT ?? '64kb',
  };
}
