import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';

export interface WorkerProbe {
  /** null: this process runs no worker (RUN_WORKER=false); the check then only covers PostgreSQL and Temporal. */
  state(): string | null;
}

const HEALTH_TIMEOUT_MS = 3_000;

export class HealthService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly temporal: Client,
    private readonly worker: WorkerProbe,
    private readonly draining?: { readonly active: boolean },
    /** A probe must answer before the orchestrator's probe times out, also while Temporal is unreachable. */
    private readonly timeoutMs = HEALTH_TIMEOUT_MS,
  ) {}

  async check() {
    if (this.draining?.active) return { ok: false, status: 'stopping', postgres: 'not checked', temporal: 'not checked', worker: 'stopping' };
    const [postgres, temporal] = await Promise.all([
      this.prisma.$queryRaw`SELECT 1`.then(
        () => 'up',
        (e: Error) => `down: ${e.message}`,
      ),
      this.temporal.withDeadline(Date.now() + this.timeoutMs, () => this.temporal.workflowService.getSystemInfo({})).then(
        () => 'up',
        (e: Error) => `down: ${e.message}`,
      ),
    ]);
    const workerState = this.worker.state();
    const worker = workerState === null ? 'not run in this process' : workerState === 'RUNNING' ? 'up' : `down: ${workerState}`;
    const ok = postgres === 'up' && temporal === 'up' && (workerState === null || worker === 'up');
    return { ok, status: ok ? 'ready' : 'starting', postgres, temporal, worker };
  }
}

export function workerProbe(worker: Worker | undefined): WorkerProbe {
  return { state: () => (worker ? worker.getState() : null) };
}
