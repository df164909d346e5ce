/**
 * The baselines for bench/escalation-burst.ts: a workflow whose one timer fires at the given instant and whose one
 * activity then writes one row. What a red costs beyond this is ours. The second runs that activity as a local
 * activity, as the case workflow runs its write (decision 0029): the like-for-like baseline (BURST_BARE_ACTIVITY=local).
 */
import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';

export interface BareBurstActivities {
  /** `padding` only makes the history as large as a case's (BURST_BARE_PADDING_BYTES); it is not written. */
  writeBareRow(key: string, padding?: string): Promise<void>;
}

// The same timeout and retry as the case workflow's persistKernelCase.
const timeoutAndRetry = { startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } } as const;
const { writeBareRow } = proxyActivities<BareBurstActivities>(timeoutAndRetry);
const { writeBareRow: writeBareRowLocally } = proxyLocalActivities<BareBurstActivities>({ ...timeoutAndRetry, localRetryThreshold: '10 seconds' });

export async function bareBurstWorkflow(dueAtMs: number, key: string, padding?: string): Promise<void> {
  // Date.now() is the workflow's deterministic clock here.
  await sleep(Math.max(1, dueAtMs - Date.now()));
  await (padding === undefined ? writeBareRow(key) : writeBareRow(key, padding));
}

export async function bareBurstLocalWorkflow(dueAtMs: number, key: string, padding?: string): Promise<void> {
  await sleep(Math.max(1, dueAtMs - Date.now()));
  await (padding === undefined ? writeBareRowLocally(key) : writeBareRowLocally(key, padding));
}
