/**
 * The V8 heap of the worker threads of this process (the SDK runs workflows in one), after a full garbage collection,
 * read through the inspector's NodeWorker domain. What the process's resident set cannot tell apart: a cached case's
 * share of the workflow heap, which sizes the default workflow cache (src/worker/workflow-cache.ts).
 */
import { Session } from 'node:inspector';

interface WorkerHeap {
  title: string;
  usedBytes: number;
}

export async function workerThreadHeaps(timeoutMs = 20_000): Promise<WorkerHeap[]> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  const workers: { sessionId: string; title: string }[] = [];
  const answers = new Map<string, (message: { id: number; result?: unknown; error?: unknown }) => void>();
  session.on('NodeWorker.attachedToWorker', (m) => {
    const p = m.params as { sessionId: string; workerInfo: { title: string } };
    workers.push({ sessionId: p.sessionId, title: p.workerInfo.title });
  });
  session.on('NodeWorker.receivedMessageFromWorker', (m) => {
    const p = m.params as { sessionId: string; message: string };
    const message = JSON.parse(p.message) as { id?: number; result?: unknown; error?: unknown };
    if (message.id !== undefined) answers.get(`${p.sessionId}:${message.id}`)?.(message as { id: number });
  });
  let nextId = 1;
  const ask = (sessionId: string, method: string) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`worker thread did not answer ${method}`)), timeoutMs);
      answers.set(`${sessionId}:${id}`, (message) => {
        clearTimeout(timer);
        if (message.error) reject(new Error(`${method}: ${JSON.stringify(message.error)}`));
        else resolve(message.result);
      });
      void post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method }) });
    });
  try {
    await post('NodeWorker.enable', { waitForDebuggerOnStart: false });
    // Attachments are reported as events right after enable.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const heaps: WorkerHeap[] = [];
    for (const w of workers) {
      await ask(w.sessionId, 'HeapProfiler.collectGarbage');
      const usage = (await ask(w.sessionId, 'Runtime.getHeapUsage')) as { usedSize: number };
      heaps.push({ title: w.title, usedBytes: usage.usedSize });
    }
    return heaps;
  } finally {
    await post('NodeWorker.disable').catch(() => undefined);
    session.disconnect();
  }
}
