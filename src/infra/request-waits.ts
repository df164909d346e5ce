import { AsyncLocalStorage } from 'node:async_hooks';

export type Dependency = 'Temporal' | 'PostgreSQL';

/** Calls of one request still waiting, by dependency: what the request-deadline backstop names when it answers 503. */
export type RequestWaits = Map<Dependency, number>;

const current = new AsyncLocalStorage<RequestWaits>();

/** Runs `fn` (the rest of a request's handling) with its own record of what it waits on. */
export function runWithRequestWaits<T>(waits: RequestWaits, fn: () => T): T {
  return current.run(waits, fn);
}

/** Marks the current request as waiting on `dependency` until `pending` settles (outside a request: no-op). */
export function waitingOn<T>(dependency: Dependency, pending: Promise<T>): Promise<T> {
  const waits = current.getStore();
  if (!waits) return pending;
  waits.set(dependency, (waits.get(dependency) ?? 0) + 1);
  const done = () => waits.set(dependency, (waits.get(dependency) ?? 1) - 1);
  pending.then(done, done);
  return pending;
}

/**
 * The dependency a request that ran out of time was waiting on. Calls to Temporal are marked where they are made;
 * everything else a request waits on is PostgreSQL (the read model, the directory behind every token).
 */
export function awaitedDependency(waits: RequestWaits): Dependency {
  return (waits.get('Temporal') ?? 0) > 0 ? 'Temporal' : 'PostgreSQL';
}
