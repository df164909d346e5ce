/** The baseline for bench/start-rate.ts: a workflow that does nothing, so a start costs only what Temporal charges. */
export async function emptyWorkflow(): Promise<void> {}
