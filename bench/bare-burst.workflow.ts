/**
 * The baseline for bench/escalation-burst.ts: a workflow whose one timer fires at the given instant and whose one
 * activity then writes one row. What a red costs beyond this is ours.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';

export interface BareBurstActivities {
  /** `padding` only makes the history as large as a case's (BURST_BARE_PADDING_BYTES); it is not written. */
  writeBareRow(key: string, padding?: string): Promise<void>;
}

// The same timeout and retry as the case workflow's persistKernelCase.
const { writeBareRow } = proxyActivities<BareBurstActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function bareBurstWorkflow(dueAtMs: number, key: string, padding?: string): Promise<void> {
  // Date.now() is the workflow's deterministic clock here.
  await sleep(Math.max(1, dueAtMs - Date.now()));
  await (padding === undefined ? writeBareRow(key) : writeBareRow(key, padding));
}
