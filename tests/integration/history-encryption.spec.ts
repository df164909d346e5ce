import type { PrismaClient } from '@prisma/client';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/case.activities';
import type { Subject } from '../../src/domain/case-model';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import { createCaseWorker } from '../../src/worker/worker';
import { caseWorkflowId } from '../../workflows/contracts/case.contract';
import { waitFor } from '../support/cases';
import { testPrisma } from '../support/db';
import { caseState, kernelInput, perform, startCase, testDataConverter, workflowBundle, testPersonalData } from '../support/kernel';
import { startDevServer } from '../support/service';
import { uniqueQueue } from '../support/temporal';

// A real dev server: the histories read back are exactly what Temporal stores.
const PERSON: Subject = { kind: 'person', name: '王小明', idNumber: '11010519491231002X' };
const SECRETS = [PERSON.name, PERSON.idNumber];

let server: DevServerHandle;
let prisma: PrismaClient;
let connection: Connection;
let workerConnection: NativeConnection;

beforeAll(async () => {
  server = await startDevServer();
  prisma = testPrisma();
  connection = await Connection.connect({ address: server.address });
  workerConnection = await NativeConnection.connect({ address: server.address });
}, 120_000);

afterAll(async () => {
  await workerConnection?.close();
  await connection?.close();
  await prisma?.$disconnect();
  await server?.stop();
});

/** Files a credit complaint of a natural person, answers it by an update naming the person, queries it; returns its history. */
async function runCase(worker: Worker, client: Client, taskQueue: string): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  const now = new Date().toISOString();
  const input = await kernelInput(prisma, { procedure: 'credit-complaint', version: 1, receivedAt: now, filedAt: now, subject: PERSON, filing: { collector: { name: 'X 征信' } } });
  await worker.runUntil(async () => {
    const handle = await startCase(client, taskQueue, input);
    expect((await caseState(handle)).subject).toEqual(PERSON);
    const answer = await perform(handle, { action: 'reply', result: `the collector corrected the record of ${PERSON.name} (${PERSON.idNumber})` }, 'reply-1');
    expect(answer.state).toBe('closed');
    await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED');
  });
  // Read the stored history with the bare gRPC service: no data converter between it and the test.
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: caseWorkflowId(input.caseId) }, nextPageToken });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/** The secrets found in any event, as protobuf bytes or as JSON. */
function secretsIn(events: temporal.api.history.v1.IHistoryEvent[]): string[] {
  const found = new Set<string>();
  for (const event of events) {
    const bytes = Buffer.from(temporal.api.history.v1.HistoryEvent.encode(event).finish());
    const json = JSON.stringify(temporal.api.history.v1.HistoryEvent.fromObject(event).toJSON());
    for (const secret of SECRETS) if (bytes.includes(Buffer.from(secret, 'utf8')) || json.includes(secret)) found.add(secret);
  }
  return [...found];
}

const plainWorker = async (taskQueue: string, dataConverter: DataConverter) =>
  Worker.create({ connection: workerConnection, taskQueue, dataConverter, workflowBundle: await workflowBundle(), activities: createActivities({ prisma, personalData: testPersonalData }) });

describe('personal information in Temporal histories (dev server)', () => {
  it('is stored in clear without the payload codec (the check below can see it)', async () => {
    const taskQueue = uniqueQueue('history-plain');
    const events = await runCase(await plainWorker(taskQueue, {}), new Client({ connection }), taskQueue);
    expect(events.length).toBeGreaterThan(5);
    expect(secretsIn(events)).toEqual(SECRETS);
  }, 120_000);

  it('is nowhere in the history of a case run by the service worker and a client with the codec, and that history replays with the key only', async () => {
    const taskQueue = uniqueQueue('history-encrypted');
    const dataConverter = testDataConverter();
    const worker = await createCaseWorker({ connection: workerConnection, namespace: 'default', taskQueue, prisma, personalData: testPersonalData, dataConverter, fromSource: true });
    const events = await runCase(worker, new Client({ connection, dataConverter }), taskQueue);
    expect(events.length).toBeGreaterThan(5);
    expect(secretsIn(events)).toEqual([]);
    const encrypted = events.flatMap((e) => e.workflowExecutionStartedEventAttributes?.input?.payloads ?? []);
    expect(encrypted.map((p) => Buffer.from(p.metadata!.encoding!).toString())).toEqual(['binary/encrypted']);

    const history = temporal.api.history.v1.History.create({ events });
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter }, history, 'encrypted-replay');
    // Without the key the workflow task fails on the input it cannot decode (the failure message itself is encoded).
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'keyless-replay')).rejects.toThrow(/workflow task failure/);
  }, 180_000);
});
