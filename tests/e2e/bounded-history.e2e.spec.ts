import type { PrismaClient } from '@prisma/client';
import { Client, Connection } from '@temporalio/client';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { caseWorkflowId } from '../../workflows/contracts/case.contract';
import { waitFor } from '../support/cases';
import { testPrisma } from '../support/db';
import { requestJson } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueQueue } from '../support/temporal';

// Probed before the kernel: an upheld decision with 100 downstream systems and 100 confirmations with long notes grew
// one case's history to 53 MB; Temporal terminated it while the read model still said "correcting".
let temporal: DevServerHandle;
let service: RunningService;
let prisma: PrismaClient;
let connection: Connection;

beforeAll(async () => {
  temporal = await startDevServer();
  service = await startTestService(temporal.address, uniqueQueue('e2e-bounded'));
  prisma = testPrisma();
  connection = await Connection.connect({ address: temporal.address });
}, 120_000);

afterAll(async () => {
  await connection?.close();
  await service?.stop();
  await prisma?.$disconnect();
  await temporal?.stop();
});

const http = (method: string, path: string, body?: unknown) => requestJson(service.url, method, path, body);
const ORG = { name: '哈尔滨某某科技有限公司', uscc: '91350100M000100Y43' };

it('caps the parties and texts of a case, and the largest case the caps allow stays far below Temporal limits and closes', async () => {
  const filed = await http('POST', '/cases', { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: `bounded-${Date.now()}`, receivedAt: new Date().toISOString(), subject: ORG });
  const id = filed.body.id as string;
  const act = (body: object) => http('POST', `/cases/${id}/actions`, body);
  const longNote = '注'.repeat(2000);
  const systems = (n: number) => Array.from({ length: n }, (_, i) => `system-${String(i).padStart(3, '0')}`);

  expect(await act({ action: 'mark-disputed', note: longNote })).toMatchObject({ status: 200 });
  expect(await act({ action: 'decide', outcome: 'upheld', downstreamSystems: systems(100) })).toMatchObject({ status: 400, body: { field: 'downstreamSystems' } });
  expect(await act({ action: 'confirm-correction', system: 'x', note: `${longNote}!` })).toMatchObject({ status: 400, body: { field: 'note' } });

  expect(await act({ action: 'decide', outcome: 'upheld', downstreamSystems: systems(50), note: longNote })).toMatchObject({ status: 200 });
  expect(await act({ action: 'correct-record', evidenceRef: 'diff-1', note: longNote })).toMatchObject({ status: 200 });
  for (const system of systems(50)) expect((await act({ action: 'confirm-correction', system, note: longNote })).status).toBe(200);
  const closed = await act({ action: 'notify-applicant', evidenceRef: 'letter-1', note: longNote });
  expect(closed).toMatchObject({ status: 200, body: { state: 'closed', outcome: 'upheld' } });

  const handle = new Client({ connection }).workflow.getHandle(caseWorkflowId(id));
  await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED');
  const { historyLength, historySize } = await handle.describe();
  console.log(`largest capped objection case: ${historyLength} events, ${((historySize ?? 0) / 1024 / 1024).toFixed(2)} MB of history`);
  expect(historyLength).toBeLessThan(5_000);
  expect(historySize).toBeLessThan(10 * 1024 * 1024);
  const row = await prisma.case.findUniqueOrThrow({ where: { id } });
  expect(row).toMatchObject({ state: 'closed', outcome: 'upheld' });
  const events = await prisma.caseEvent.findMany({ where: { caseId: id }, orderBy: { seq: 'asc' } });
  expect(events.filter((e) => e.type === 'correction.confirmed')).toHaveLength(50);
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  expect(events.at(-1)).toMatchObject({ type: 'applicant.notified' });
}, 120_000);
