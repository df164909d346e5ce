// Inside a workflow, Date is the SDK's deterministic clock (the time of the current workflow task).
export function workflowNow(): string {
  return new Date().toISOString();
}

export function millisUntil(instant: string): number {
  return Math.max(1, Date.parse(instant) - Date.parse(workflowNow()));
}
