import { runFaultSuite } from './suite';

/**
 * `npm run fault`: the long fault suite (FAULT_FILINGS filings, default 1000; FAULT_ROUNDS injections of each fault,
 * default 3; FAULT_CLIENTS concurrent clients, default 4). Prints the table; exits 1 on any violation.
 */
async function main() {
  const setting = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${process.env[name]}"`);
    return value;
  };
  const result = await runFaultSuite({
    filings: setting('FAULT_FILINGS', 1000),
    rounds: setting('FAULT_ROUNDS', 3),
    clients: setting('FAULT_CLIENTS', 4),
    settleTimeoutMs: setting('FAULT_SETTLE_SECONDS', 300) * 1000,
    keepFiles: process.env.FAULT_KEEP === '1',
    log: (line) => console.log(`[${new Date().toISOString()}] ${line}`),
  });
  console.log(`\n${result.table}`);
  process.exit(result.ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(2);
});
