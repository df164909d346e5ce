import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { temporalCliPath } from './tools';

export interface DevServerHandle {
  address: string;
  /** The server's process (tests freeze it with SIGSTOP). */
  pid: number;
  stop: () => Promise<void>;
}

/** `temporal server start-dev` with a persistent SQLite file, so a restart resumes running cases. */
/** `codecEndpoint`: the service's codec endpoint (`<API>/codec`), where the Web UI sends payloads to be decoded. */
export async function startTemporalDevServer(dbFile: string, port: number, uiPort: number, logLevel = 'warn', codecEndpoint?: string): Promise<DevServerHandle> {
  mkdirSync(path.dirname(dbFile), { recursive: true });
  if (await canConnect(port)) {
    throw new Error(`port ${port} is already in use: stop what listens there, or set TEMPORAL_PORT (or TEMPORAL_ADDRESS to use that server)`);
  }
  const child: ChildProcess = spawn(
    temporalCliPath(),
    ['server', 'start-dev', '--db-filename', dbFile, '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--log-level', logLevel, ...(codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : [])],
    // Its own process group: Ctrl-C reaches the launcher, which stops the worker before the server.
    { stdio: ['ignore', 'inherit', 'inherit'], detached: true },
  );
  let exited = false;
  child.on('exit', () => (exited = true));
  // Not in our process group any more, so it must not outlive us even if we crash.
  process.once('exit', () => {
    if (!exited) child.kill('SIGKILL');
  });
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(port))) {
    if (exited) throw new Error(`temporal dev server exited during start (exit code ${child.exitCode})`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`temporal dev server did not listen on 127.0.0.1:${port} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address: `127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
