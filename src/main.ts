import { loadConfig } from './config/config';
import { describeError, log } from './observability/logger';
import { startService } from './service';

/**
 * The service alone, against infrastructure given by DATABASE_URL and TEMPORAL_ADDRESS (production). RUN_API and
 * RUN_WORKER choose the shape: both (default), API only, or a worker that opens no HTTP port.
 */
async function main() {
  const config = loadConfig();
  const service = await startService(config);
  const shape = config.runApi && config.runWorker ? 'API and worker' : config.runApi ? 'API only' : 'worker only';
  log().info({ shape, url: service.url || undefined, taskQueue: config.taskQueue, namespace: config.temporalNamespace }, service.url ? `legal-deadlines (${shape}) listening on ${service.url}` : `legal-deadlines (${shape}) polling task queue ${config.taskQueue}`);
  let stopping = false;
  // A process whose worker died would look alive while no deadline of its task queue fires: it exits for a restart.
  const workerDied = (error?: unknown) => {
    if (stopping) return;
    log().fatal({ ...(error ? { err: describeError(error) } : {}) }, 'the worker stopped while the process was running; exiting so that it is restarted');
    process.exit(1);
  };
  service.workerStopped?.then(() => workerDied(), workerDied);
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log().info({ signal, graceMs: config.shutdownGraceMs }, 'stopping: in-flight requests get up to the grace period');
    // A stop that itself hangs must not keep the process: the orchestrator's kill would come later and harder.
    // Requests drain for up to the grace period, then the worker's activities get up to it again.
    setTimeout(() => {
      log().error({ signal }, 'stop did not finish in time; exiting');
      process.exit(1);
    }, 2 * config.shutdownGraceMs + 15_000).unref();
    await service.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  // Start-up errors are ours (settings, unreachable dependencies) and name what to fix; they carry no personal data.
  log().fatal({ err: describeError(error) }, error instanceof Error ? error.message : String(error));
  process.exit(1);
});
