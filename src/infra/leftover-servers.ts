import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  state: string;
  args: string[];
}

export function processInfo(pid: number): ProcessInfo | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read from the last ")".
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(ppid), state, args };
  } catch {
    return undefined;
  }
}

const isLauncher = (p: ProcessInfo | undefined) => !!p && p.args.some((a) => /launcher\.[jt]s$/.test(a));
const gone = (pid: number) => {
  const p = processInfo(pid);
  return !p || p.state === 'Z';
};

/**
 * A server that an earlier `npm start` left running on this DATA_DIR when it ended without stopping it (kill -9, OOM,
 * a closed terminal) holds the folder and its port: it is stopped here, named in the log. One whose launcher still
 * runs is another start on the same DATA_DIR, and is refused with both pids. Found by its command line: the program
 * `executable` given `argument` (a path in DATA_DIR). Linux only (/proc): elsewhere the port check that follows names
 * the port.
 */
export async function stopLeftoverServer(
  what: string,
  executable: string,
  argument: string,
  signal: NodeJS.Signals,
  log: (line: string) => void,
): Promise<void> {
  if (!existsSync('/proc/self/stat')) return;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const p = processInfo(Number(entry));
    if (!p || p.pid === process.pid || p.state === 'Z' || path.basename(p.args[0] ?? '') !== executable || !p.args.includes(argument)) continue;
    const parent = processInfo(p.ppid);
    if (isLauncher(parent)) {
      throw new Error(`${what} on ${argument} already runs (pid ${p.pid}) for another start (pid ${parent!.pid}): stop that one first, or set DATA_DIR to another folder`);
    }
    log(`${what} (pid ${p.pid}) was left running on ${argument} by an earlier start that ended without stopping it: stopping it`);
    process.kill(p.pid, signal);
    const deadline = Date.now() + LEFTOVER_STOP_MS;
    while (!gone(p.pid)) {
      if (Date.now() > deadline) throw new Error(`${what} (pid ${p.pid}), left running on ${argument} by an earlier start, did not stop within ${LEFTOVER_STOP_MS / 1000} s: stop it (kill ${p.pid}) and start again`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const LEFTOVER_STOP_MS = 30_000;

/** The processes `pid` started and theirs, from /proc (Linux only: elsewhere none). */
export function descendantsOf(pid: number): ProcessInfo[] {
  if (!existsSync('/proc/self/stat')) return [];
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => processInfo(Number(entry)))
    .filter((p): p is ProcessInfo => !!p && p.state !== 'Z');
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/**
 * Stops every process this one started, whatever step they are in (initdb, PostgreSQL, the Temporal dev server): each
 * child gets its own clean-stop signal (PostgreSQL SIGINT, a fast shutdown; others SIGTERM), and whatever still runs
 * after `withinMs` is killed. Resolves when none is left.
 */
export async function stopChildProcesses(withinMs: number): Promise<void> {
  const cleanStop = (p: ProcessInfo): NodeJS.Signals => (path.basename(p.args[0] ?? '') === 'postgres' ? 'SIGINT' : 'SIGTERM');
  const send = (pid: number, signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // gone meanwhile
    }
  };
  for (const p of descendantsOf(process.pid)) if (p.ppid === process.pid) send(p.pid, cleanStop(p));
  const deadline = Date.now() + withinMs;
  for (;;) {
    const left = descendantsOf(process.pid);
    if (!left.length) return;
    if (Date.now() > deadline) {
      for (const p of left) send(p.pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
