import { isOpenDeadline } from './deadlines';
import type { ClockEffects, KernelProcedure } from './definition';
import type { KernelCase, KernelDeadline } from './ops';

/* eslint-disable @typescript-eslint/no-explicit-any -- the kernel runs every procedure's data without knowing its shape */
type AnyProcedure = KernelProcedure<any, any>;

export interface ClocksSeen {
  started: string[];
  stopped: string[];
}

const running = (d: KernelDeadline) => isOpenDeadline(d) && !d.completedAt;

/** Watches one step: call it before the step, and what it returns after, for the clocks the step started and stopped. */
export function watchClocks(c: KernelCase<unknown>): () => ClocksSeen {
  const existed = new Set(c.deadlines.map((d) => d.key));
  const wasRunning = new Set(c.deadlines.filter(running).map((d) => d.key));
  return () => {
    const started = c.deadlines.filter((d) => !existed.has(d.key));
    // A clock started and met by the same step (a referral measured when it happens) is both.
    const stopped = c.deadlines.filter((d) => (wasRunning.has(d.key) || !existed.has(d.key)) && !running(d));
    return { started: [...new Set(started.map((d) => d.clock))], stopped: [...new Set(stopped.map((d) => d.clock))] };
  };
}

/**
 * The clocks a version declares are the truth, like its state graph: a step that starts or stops a clock its
 * definition does not declare is a defect, and fails. Versions that declare nothing (`startsOnFiling`) are not checked.
 */
export function holdToDeclaredClocks(def: AnyProcedure, step: string, declared: ClockEffects | undefined, seen: ClocksSeen): void {
  if (!def.startsOnFiling) return;
  const undeclared = [
    ...seen.started.filter((clock) => !declared?.starts?.includes(clock)).map((clock) => `started ${clock}`),
    ...seen.stopped.filter((clock) => !declared?.stops?.includes(clock)).map((clock) => `stopped ${clock}`),
  ];
  if (undeclared.length) throw new Error(`${def.procedure} v${def.version}: ${step} ${undeclared.join(' and ')}, which its definition does not declare`);
}
