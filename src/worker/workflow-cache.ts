import v8 from 'node:v8';

/**
 * What one cached case workflow may take of the workflow thread's heap: twice the measured footprint (a credit-complaint
 * case at its red, 127 KiB after a full GC; `npm run bench:escalations` prints it), since long cases carry more audit
 * events. The SDK's own default assumes about 1.7 MB per workflow.
 */
export const CACHED_CASE_BUDGET_BYTES = 256 * 1024;
/** The share of the heap the cache may fill; the rest is the bundle, activations in flight and the collector's room. */
export const CACHE_HEAP_SHARE = 0.75;

/**
 * The default number of case workflows a worker keeps between tasks (`WORKFLOW_CACHE_SIZE` unset): as many as fit in
 * three quarters of the heap at the budget above. The workflow thread gets the same heap limit as the process
 * (`--max-old-space-size`). A case outside the cache is replayed from its history at every task (decision 0023).
 */
export function defaultWorkflowCacheSize(heapLimitBytes = v8.getHeapStatistics().heap_size_limit): number {
  return Math.max(10, Math.floor((heapLimitBytes * CACHE_HEAP_SHARE) / CACHED_CASE_BUDGET_BYTES));
}
