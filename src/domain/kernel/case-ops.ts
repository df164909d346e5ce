import { Calendar } from '../calendar';
import type { CaseEventRecord } from '../case-model';
import type { KernelProcedure } from './definition';
import { BREACHABLE, compute, isOpenDeadline, newDeadline } from './deadlines';
import type { CaseOps, CaseReader, CreditData, CreditEffect, CreditEffectKind, CrossCaseEffect, KernelCase, KernelDeadline, StartClock } from './ops';

/* eslint-disable @typescript-eslint/no-explicit-any -- the kernel runs every procedure's data without knowing its shape */
type AnyProcedure = KernelProcedure<any, any>;

// ---------------------------------------------------------------- the operations procedures use

export class Ops<D> implements CaseOps<D> {
  constructor(
    private readonly def: AnyProcedure,
    private readonly calendar: Calendar,
    readonly c: KernelCase<D>,
    readonly at: string,
    readonly now: string,
    readonly actor: string,
    readonly evidenceRef?: string,
    readonly note?: string,
    private readonly actorUnit?: string,
  ) {}

  get data(): D {
    return this.c.data;
  }
  deadline(key: string) {
    return this.c.deadlines.find((d) => d.key === key);
  }
  isOpen(key: string) {
    const d = this.deadline(key);
    return !!d && isOpenDeadline(d) && !d.completedAt;
  }
  start(clockKey: string, o: StartClock = {}): KernelDeadline {
    const clock = this.def.clocks[clockKey];
    if (!clock) throw new Error(`${this.def.procedure} v${this.def.version} has no clock ${clockKey}`);
    const period = o.period ?? clock.period;
    if (!period) throw new Error(`clock ${clockKey} needs a period entered at runtime`);
    const key = o.key ?? clockKey;
    if (this.c.deadlines.some((d) => d.key === key)) throw new Error(`deadline ${key} already exists`);
    const d = newDeadline(clock, clockKey, key, period, o.startAt ?? this.at, o.startEvent ?? clock.label, o.owner ?? (clock.kind === 'subject' ? 'subject' : this.c.unitId), this.calendar);
    compute(this.def, this.calendar, this.c, d);
    this.c.deadlines.push(d);
    return d;
  }
  complete(key: string) {
    const d = this.deadline(key);
    // A subject's period that lapsed while the step, done in time, was not yet entered: met, recorded late.
    const lapsedInTime = d?.status === 'lapsed' && d.dueAt !== null && this.at < d.dueAt;
    if (lapsedInTime) d.status = 'running';
    if (!d || !isOpenDeadline(d) || d.completedAt) return;
    d.completedAt = this.at;
    d.completionRecordedAt = this.now;
    if (this.evidenceRef) d.evidenceRef = this.evidenceRef;
  }
  cancel(which: (d: KernelDeadline) => boolean) {
    for (const d of this.c.deadlines) if (isOpenDeadline(d) && !d.completedAt && which(d)) d.status = 'cancelled';
  }
  replacePeriod(key: string, clockKey: string, reason: string) {
    const d = this.deadline(key);
    const clock = this.def.clocks[clockKey];
    if (!d || !clock?.period) throw new Error(`cannot replace the period of ${key} with ${clockKey}`);
    const before = { dueDate: d.dueDate, dueAt: d.dueAt, calendarVersion: d.calendarVersion };
    d.period = clock.period;
    d.basis = clock.basis;
    compute(this.def, this.calendar, this.c, d);
    d.previous.push({ ...before, changedAt: this.at, reason });
  }
  event(type: string, data: Record<string, unknown> = {}, reason?: string) {
    addEvent(this.c, {
      type,
      actor: this.actor,
      at: this.at,
      recordedAt: this.now,
      ...(reason ? { reason } : {}),
      ...(this.evidenceRef ? { evidenceRef: this.evidenceRef } : {}),
      data: {
        ...data,
        ...(this.actorUnit ? { actorUnit: this.actorUnit } : {}),
        ...(this.note ? { note: this.note } : {}),
        ...(this.at !== this.now ? { recordedAt: this.now } : {}),
      },
    });
  }
  setState(state: string) {
    if (this.c.stateBeforeSuspension !== null) this.c.stateBeforeSuspension = state;
    else this.c.state = state;
  }
  close(outcome: string) {
    this.c.state = 'closed';
    this.c.stateBeforeSuspension = null;
    this.c.outcome = outcome;
    this.c.closedAt = this.at;
    this.cancel((d) => !BREACHABLE.has(d.kind));
  }
  credit<K extends CreditEffectKind>(kind: K, data: CreditData[K], until: string | null = null) {
    this.c.creditEffects.push({ seq: this.c.creditEffects.length + 1, kind, at: this.at, until, data } as CreditEffect);
  }
  affect(effect: CrossCaseEffect) {
    const outgoing = (this.c.outgoing ??= []);
    outgoing.push({ id: `${this.c.caseId}:${outgoing.length + 1}`, effect, at: this.at, status: 'pending' });
  }
  notApplicable(which: (d: KernelDeadline) => boolean, reason: string) {
    for (const d of this.c.deadlines) {
      if (!isOpenDeadline(d) || d.completedAt || !which(d)) continue;
      d.status = 'not-applicable';
      d.previous.push({ dueDate: d.dueDate, dueAt: d.dueAt, calendarVersion: d.calendarVersion, changedAt: this.at, reason });
    }
  }
}

export function addEvent(c: KernelCase<unknown>, e: Omit<CaseEventRecord, 'seq' | 'recordedAt'> & { recordedAt: string }): void {
  c.events.push({ ...e, seq: c.events.length + 1 });
}

export function reader<D>(c: KernelCase<D>, at: string, now: string, evidenceRef?: string): CaseReader<D> {
  return {
    c,
    data: c.data,
    at,
    now,
    evidenceRef,
    deadline: (key) => c.deadlines.find((d) => d.key === key),
    isOpen: (key) => {
      const d = c.deadlines.find((x) => x.key === key);
      return !!d && isOpenDeadline(d) && !d.completedAt;
    },
  };
}

