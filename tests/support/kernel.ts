import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import { Client, WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities/case.activities';
import { kernelDefinitionFor } from '../../procedures';
import { calendarFrom, loadCalendar } from '../../src/db/calendar-store';
import type { Subject } from '../../src/domain/case-model';
import { encryptedDataConverter, FAILURE_CONVERTER_PATH, PayloadKeyRing } from '../../src/infra/payload-codec';
import { PersonalDataCipher } from '../../src/infra/personal-data';
import { temporalTestServerPath } from '../../src/infra/tools';
import type { caseWorkflow } from '../../workflows/case.workflow';
import { caseWorkflowId, CaseWorkflowInput, getKernelCaseQuery, recordActionUpdate } from '../../workflows/contracts/case.contract';
import { testPrisma } from './db';

/** The PAYLOAD_ENCRYPTION_KEYS of the test workers and clients: a fixed key, so a failing test's history can be read. */
export const TEST_PAYLOAD_ENCRYPTION_KEYS = `test-1:${Buffer.alloc(32, 7).toString('base64')}`;
export const testDataConverter = () => encryptedDataConverter(PayloadKeyRing.parse(TEST_PAYLOAD_ENCRYPTION_KEYS));
/** The subject's encryption in the read model (decision 0021), under the same test key as the service's. */
export const testPersonalData = new PersonalDataCipher(PayloadKeyRing.parse(TEST_PAYLOAD_ENCRYPTION_KEYS));

export const ORG: Subject = { kind: 'organisation', name: 'Test Co', idNumber: '91350100M000100Y43' };

/** A kernel filing as the API would build it; `filing` is the procedure's own fields, already parsed. */
export async function kernelInput(
  prisma: PrismaClient,
  o: { procedure: string; version: number; receivedAt: string; filedAt: string; filing?: unknown; variant?: string; subject?: Subject },
): Promise<CaseWorkflowInput> {
  const def = kernelDefinitionFor(o.procedure, o.version);
  if (!def) throw new Error(`no definition ${o.procedure} v${o.version}`);
  const seed = await loadCalendar(prisma);
  const caseId = randomUUID();
  return {
    caseId,
    idempotencyKey: `test-${caseId}`,
    procedure: o.procedure,
    definitionVersion: o.version,
    variant: o.variant ?? def.defaultVariant,
    unitId: 'unit-test',
    subject: o.subject ?? ORG,
    receivedAt: o.receivedAt,
    filedAt: o.filedAt,
    actor: 'tester',
    filing: def.filing.parse(o.filing ?? {}),
    calendar: calendarFrom(seed, Number(o.receivedAt.slice(0, 4))),
  };
}

export function startCase(client: Client, taskQueue: string, input: CaseWorkflowInput) {
  return client.workflow.start<typeof caseWorkflow>('caseWorkflow', { taskQueue, workflowId: caseWorkflowId(input.caseId), args: [input] });
}

export function perform(handle: WorkflowHandle, body: object, idempotencyKey?: string) {
  return handle.executeUpdate(recordActionUpdate, { args: [{ body, ...(idempotencyKey ? { idempotencyKey } : {}) }] });
}

export function caseState(handle: WorkflowHandle) {
  return handle.query(getKernelCaseQuery);
}

/** The refusal an update got: its failure type and the rule that refused it. */
export async function refusalOf(promise: Promise<unknown>): Promise<{ type: string | undefined; rule?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    const cause = error.cause;
    if (!(cause instanceof ApplicationFailure)) throw error;
    return { type: cause.type ?? undefined, rule: (cause.details?.[0] as { rule?: string } | undefined)?.rule, message: cause.message };
  }
  throw new Error('the update was not refused');
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
/** How the worker's bundle of workflows/ is built (the payload failure converter, webpack's chatter off). */
export const workflowBundleOptions = { workflowsPath: require.resolve('../../workflows'), failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietLogger };
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** One webpack bundle of workflows/ per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode(workflowBundleOptions);
  return bundle;
}

/** The worker encodes payloads as the environment's client does (encrypted under timeSkippingSuite). */
export async function kernelWorker(env: TestWorkflowEnvironment, prisma: PrismaClient, taskQueue: string): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    dataConverter: env.client.options.dataConverter,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ prisma, personalData: testPersonalData }),
  });
}

export async function serverNow(env: TestWorkflowEnvironment): Promise<string> {
  return new Date(await env.currentTimeMs()).toISOString();
}

/** One time-skipping server (its client encrypting payloads), the test database and the workflow bundle for a spec file. */
export function timeSkippingSuite(ready: (s: { env: TestWorkflowEnvironment; prisma: PrismaClient }) => void): void {
  let env: TestWorkflowEnvironment | undefined;
  let prisma: PrismaClient | undefined;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
      client: { dataConverter: testDataConverter() },
    });
    prisma = testPrisma();
    await workflowBundle();
    ready({ env, prisma });
  }, 120_000);
  afterAll(async () => {
    await prisma?.$disconnect();
    await env?.teardown();
  });
}
