import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { DevServerHandle, startTemporalDevServer } from '../../src/infra/temporal-dev-server';
import { RunningService, startService } from '../../src/service';
import { testDatabaseUrl } from './db';
import { TEST_PAYLOAD_ENCRYPTION_KEYS } from './kernel';
import { testTempDir } from './temp';

/**
 * A real `temporal server start-dev` on free ports with its own database file. Ports are drawn below Linux's ephemeral
 * range (32768+), where outgoing connections of parallel suites cannot take them; a port lost to another suite between
 * the check and the bind makes the server exit, so a start is tried on fresh ports up to three times.
 */
export async function startDevServer(): Promise<DevServerHandle> {
  for (let attempt = 1; ; attempt++) {
    const dir = testTempDir('ldl-temporal-');
    const port = 12_000 + 2 * Math.floor(Math.random() * 10_000);
    try {
      return await startTemporalDevServer(path.join(dir, 'temporal.db'), port, port + 1, 'error');
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** The whole service in-process (API + worker) against the dev server and the test database. */
export function startTestService(temporalAddress: string, taskQueue: string, runWorker = true, extra: NodeJS.ProcessEnv = {}): Promise<RunningService> {
  const config = loadConfig({
    DATABASE_URL: testDatabaseUrl(),
    TEMPORAL_ADDRESS: temporalAddress,
    PORT: '0',
    TASK_QUEUE: taskQueue,
    RUN_WORKER: String(runWorker),
    PAYLOAD_ENCRYPTION_KEYS: TEST_PAYLOAD_ENCRYPTION_KEYS,
    AUTH_LOCAL_KEY_FILE: process.env.AUTH_LOCAL_KEY_FILE,
    ...extra,
  });
  return startService(config, { workflowsFromSource: true });
}
