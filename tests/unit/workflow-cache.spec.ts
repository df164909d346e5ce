import { CACHE_HEAP_SHARE, CACHED_CASE_BUDGET_BYTES, defaultWorkflowCacheSize } from '../../src/worker/workflow-cache';

const MiB = 2 ** 20;

describe('the default workflow cache (WORKFLOW_CACHE_SIZE unset)', () => {
  it('holds as many cases as fit in three quarters of the heap at 256 KiB each', () => {
    expect(CACHED_CASE_BUDGET_BYTES).toBe(256 * 1024);
    expect(CACHE_HEAP_SHARE).toBe(0.75);
    // Node's default heap on a 24 GiB machine (4,144 MiB): 10,000 cases due at one instant stay cached.
    expect(defaultWorkflowCacheSize(4144 * MiB)).toBe(12_432);
    expect(defaultWorkflowCacheSize(8192 * MiB)).toBe(24_576);
    expect(defaultWorkflowCacheSize(1024 * MiB)).toBe(3_072);
  });

  it('never goes below 10 (a tiny heap still caches the cases in flight)', () => {
    expect(defaultWorkflowCacheSize(1 * MiB)).toBe(10);
    expect(defaultWorkflowCacheSize(0)).toBe(10);
  });

  it('follows the heap limit of this process when none is given', () => {
    const v8 = jest.requireActual<typeof import('node:v8')>('node:v8');
    expect(defaultWorkflowCacheSize()).toBe(defaultWorkflowCacheSize(v8.getHeapStatistics().heap_size_limit));
  });
});
