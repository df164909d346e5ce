/**
 * The second worker process of bench/escalation-burst.ts (BURST_WORKER_PROCESSES=2): the same workers as the bench
 * process, in an OS process of their own, with their own PostgreSQL pool. Forked by the bench with its settings in
 * BURST_WORKER_SETTINGS; says `ready` over IPC, stops on SIGTERM or when the bench goes away.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createPrisma } from '../src/db/prisma';
import { startBurstWorkers, type BurstWorkerSettings } from './burst-workers';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const settings = JSON.parse(process.env.BURST_WORKER_SETTINGS ?? '') as BurstWorkerSettings & { databaseUrl: string };
  const prisma = createPrisma(settings.databaseUrl);
  const workers = await startBurstWorkers(settings, prisma);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void workers.shutdown().finally(() => prisma.$disconnect().finally(() => process.exit(0)));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  workers.running.catch((error) => {
    console.error('second worker process failed:', error);
    process.exit(1);
  });
  process.send?.('ready');
}

main().catch((error) => {
  console.error('second worker process FAILED:', error);
  process.exit(1);
});
