import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The folder of this test run in the system temp folder; global-teardown removes it with everything below, so runs do
 * not pile up data folders and Temporal databases in /tmp. Traversable by others: running as root, embedded
 * PostgreSQL runs as a separate user that must reach the data folders below it.
 */
export function testRunTempRoot(): string {
  const root = path.join(os.tmpdir(), `ldl-test-${process.env.TEST_RUN_ID ?? `adhoc-${process.pid}`}`);
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  return root;
}

/** A fresh folder of this test run (removed at the end of the run). */
export function testTempDir(prefix: string): string {
  return mkdtempSync(path.join(testRunTempRoot(), prefix));
}
