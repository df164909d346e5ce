import { runFaultSuite } from '../../tools/fault/suite';
import { ensureBuilt } from '../support/build';

// The short fault suite (the long one is `npm run fault`): the same driver with fewer filings, each fault twice,
// against its own embedded PostgreSQL, Temporal dev server and API-only / worker-only processes built from dist/.
beforeAll(() => ensureBuilt(), 300_000);

it('loses no acknowledged filing, escalates each passed step once and keeps audit trails whole while every part is killed', async () => {
  const result = await runFaultSuite({ filings: 40, rounds: 2, clients: 4, settleTimeoutMs: 120_000 });
  console.log(result.table);
  expect(result.violations).toEqual([]);
  for (const n of result.faults.values()) expect(n).toBe(2);
  expect(result.verdict.acknowledged).toBe(40);
  // The load did reach the deadlines: backdated filings escalated, and the clients met the faults.
  expect(result.verdict.escalations.expected).toBeGreaterThan(10);
  expect(result.load.actionsAcknowledged).toBeGreaterThan(0);
}, 600_000);
