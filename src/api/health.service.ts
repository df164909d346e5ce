import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { isUnavailable } from './http-exception.filter';
import { describeError, log } from '../observability/logger';
import { healthCheckFailuresTotal } from '../observability/metrics';

export interface WorkerProbe {
  /** null: this process runs no worker (RUN_WORKER=false); the check then only covers PostgreSQL and Temporal. */
  state(): string | null;
}

/** What /health says of a dependency: no error text (the endpoint is public; the text goes to the log and a metric). */
export type DependencyStatus = 'up' | 'down' | 'timeout';
export type WorkerStatus = 'up' | 'down' | 'stopping' | 'not run in this process';

/** A probe must answer before the orchestrator's probe times out; never longer than REQUEST_TIMEOUT_MS. */
export const HEALTH_TIMEOUT_MS = 3_000;

class CheckTimedOut extends Error {}

export class HealthService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly temporal: Client,
    private readonly worker: WorkerProbe,
    private readonly draining?: { readonly active: boolean },
    private readonly timeoutMs = HEALTH_TIMEOUT_MS,
  ) {}

  async check() {
    if (this.draining?.active) return { ok: false, status: 'stopping', postgres: 'not checked', temporal: 'not checked', worker: 'stopping' };
    const [postgres, temporal] = await Promise.all([
      this.probe('postgres', () => this.prisma.$queryRaw`SELECT 1`),
      this.probe('temporal', () => this.temporal.withDeadline(Date.now() + this.timeoutMs, () => this.temporal.workflowService.getSystemInfo({}))),
    ]);
    const workerState = this.worker.state();
    const worker: WorkerStatus = workerState === null ? 'not run in this process' : workerState === 'RUNNING' ? 'up' : workerState === 'STOPPING' || workerState === 'DRAINING' ? 'stopping' : 'down';
    if (workerState !== null && worker !== 'up') log().warn({ dependency: 'worker', workerState }, 'health check: the worker is not running');
    const ok = postgres === 'up' && temporal === 'up' && (workerState === null || worker === 'up');
    return { ok, status: ok ? 'ready' : 'starting', postgres, temporal, worker };
  }

  /** Up, down or timed out (bounded here too: a hung server answers nothing); a failure's text is logged and counted. */
  private async probe(dependency: 'postgres' | 'temporal', check: () => Promise<unknown>): Promise<DependencyStatus> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new CheckTimedOut(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs)));
    try {
      await Promise.race([check(), expired]);
      return 'up';
    } catch (error) {
      const reason = failureReason(error);
      healthCheckFailuresTotal.inc({ dependency, reason });
      // The checks send no input (SELECT 1, GetSystemInfo), so the driver's text quotes nothing personal: the log keeps it.
      const said = error instanceof Error ? error.message.slice(0, 500) : String(error);
      log().warn({ dependency, reason, err: describeError(error), said }, 'health check failed');
      return reason === 'timeout' ? 'timeout' : 'down';
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The class of a failed check, for the metric's label: never the error text. */
function failureReason(error: unknown): 'timeout' | 'unreachable' | 'error' {
  if (error instanceof CheckTimedOut) return 'timeout';
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error);
  if (/timeout|timed out|deadline/i.test(text) || (error as { code?: unknown })?.code === 4) return 'timeout';
  return isUnavailable(error) ? 'unreachable' : 'error';
}

export function workerProbe(worker: Worker | undefined): WorkerProbe {
  return { state: () => (worker ? worker.getState() : null) };
}
