/**
 * The workers of bench/escalation-burst.ts, run the same way in the bench process and in its second worker process
 * (bench/burst-worker-process.ts): the real case worker and the bare baseline's worker, with the same connection,
 * data converter and workflow cache.
 */
import type { PrismaClient } from '@prisma/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { encryptedDataConverter, PayloadKeyRing } from '../src/infra/payload-codec';
import { PersonalDataCipher } from '../src/infra/personal-data';
import { createCaseWorker } from '../src/worker/worker';
import type { BareBurstActivities } from './bare-burst.workflow';

export interface BurstWorkerSettings {
  address: string;
  namespace: string;
  oursTaskQueue: string;
  bareTaskQueue: string;
  /** The bare workflow's bundle (built once by the bench). */
  bareBundlePath: string;
  /** PayloadKeyRing text: the run's key. */
  keyRing: string;
  cacheSize?: number;
}

export interface BurstWorkers {
  /** Rejects when a worker fails. */
  running: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startBurstWorkers(s: BurstWorkerSettings, prisma: PrismaClient, connection?: NativeConnection): Promise<BurstWorkers> {
  const keys = PayloadKeyRing.parse(s.keyRing);
  const dataConverter = encryptedDataConverter(keys);
  const ownConnection = connection ? undefined : await NativeConnection.connect({ address: s.address });
  const conn = connection ?? ownConnection!;
  // A webhook as in a province deployment: the outbox keeps every message (no dispatcher runs here, so none is sent).
  const webhook = { url: 'http://127.0.0.1:9/burst-bench', secret: 'burst-bench', timeoutMs: 5_000 };
  const ours = await createCaseWorker({ connection: conn, namespace: s.namespace, taskQueue: s.oursTaskQueue, prisma, personalData: new PersonalDataCipher(keys), dataConverter, webhook, maxCachedWorkflows: s.cacheSize });
  const activities: BareBurstActivities = {
    async writeBareRow(key) {
      await prisma.$executeRaw`INSERT INTO bare_burst (key) VALUES (${key}) ON CONFLICT DO NOTHING`;
    },
  };
  const bare = await Worker.create({
    connection: conn,
    namespace: s.namespace,
    taskQueue: s.bareTaskQueue,
    dataConverter,
    activities,
    ...(s.cacheSize === undefined ? {} : { maxCachedWorkflows: s.cacheSize }),
    workflowBundle: { codePath: s.bareBundlePath },
  });
  const runs = [ours.run(), bare.run()];
  return {
    running: Promise.all(runs).then(() => undefined),
    async shutdown() {
      for (const w of [ours, bare]) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.allSettled(runs);
      await ownConnection?.close();
    },
  };
}
