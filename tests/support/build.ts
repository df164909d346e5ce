import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

/**
 * `npm run build` once per test run, for the suites that start the built service as separate processes. Suites run in
 * parallel workers: a lock folder keeps two builds from writing dist/ at the same time, and a stamp named after the run
 * lets the later suites skip the build.
 */
export async function ensureBuilt(): Promise<void> {
  const stamp = path.join(root, 'dist', `.built-${process.env.TEST_RUN_ID ?? 'adhoc'}`);
  const lock = path.join(root, '.build-lock');
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (existsSync(stamp)) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 5 min for another suite's build (remove ${lock} if no build runs)`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (existsSync(stamp)) return;
    // Jest sets NODE_ENV=test, which Vite would keep: the browser tests would run React's development build.
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } });
    writeFileSync(stamp, '');
  } finally {
    rmdirSync(lock);
  }
}
