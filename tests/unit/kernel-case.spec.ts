/** Filing, the legal checks of an action, applying it, effects between cases and calendar loads (src/domain/kernel/case-kernel.ts). */
import * as fs from 'fs';
import * as path from 'path';
import { Calendar } from '../../src/domain/calendar';
import {
  applyIncomingEffect,
  applyKernelAction,
  applyKernelCalendarLoad,
  parseKernelAction,
  processDue,
  recordEffectDelivery,
  refusalForAction,
  upgradeKernelCase,
  type KernelAction,
} from '../../src/domain/kernel/case-kernel';
import { holdToDeclaredClocks, watchClocks } from '../../src/domain/kernel/declared-clocks';
import type { KernelCase } from '../../src/domain/kernel/ops';
import { calendar, english, sh } from './kernel-harness';
import { def, dl, fileCase, hooks, ms, opsOf, RECEIVED, reset, start, type Data } from './kernel-test-definition';

beforeEach(reset);
const NOW = sh('2026-03-04');

function parsed(body: Record<string, unknown>, d: typeof def = def): KernelAction {
  const p = parseKernelAction(d, { actor: 'caseworker-1', ...body });
  if (!p.ok) throw new Error(JSON.stringify(p.problem));
  return p.value;
}
const refusal = (c: KernelCase<Data>, body: Record<string, unknown>, now = NOW, d: typeof def = def) => refusalForAction(d, c, parsed(body, d), now);
const apply = (c: KernelCase<Data>, body: Record<string, unknown>, now = NOW, d: typeof def = def) => applyKernelAction(d, calendar, c, parsed(body, d), now);

describe('fileKernelCase', () => {
  it('makes an empty case and records the filing, its evidence and unit only when given', () => {
    const c = fileCase();
    expect([c.suspensions, c.deadlines, c.extensionRequests, c.escalations, c.creditEffects, c.actionReceipts, c.parties]).toEqual([[], [], [], [], [], [], []]);
    expect([c.kernel, c.state, c.stateBeforeSuspension, c.outcome, c.closedAt, c.ladder, c.revision, c.procedure, c.definitionVersion]).toEqual([1, 'open', null, null, null, true, 0, 'kernel-test', 3]);
    expect(c.events).toStrictEqual([
      {
        type: 'case.filed',
        actor: 'caseworker-1',
        at: RECEIVED,
        recordedAt: RECEIVED,
        seq: 1,
        data: { receivedAt: RECEIVED, variant: 'standard', definitionVersion: 3, lateEntry: false, filing: {} },
      },
    ]);
    const e = fileCase(undefined, { evidenceRef: 'ev-7', actorUnit: 'unit-x', filedAt: ms(RECEIVED, 1) }, def, { ladder: false });
    expect(e.ladder).toBe(false);
    expect(e.events[0]).toMatchObject({ evidenceRef: 'ev-7', at: ms(RECEIVED, 1), data: { lateEntry: true, actorUnit: 'unit-x' } });
    const early = fileCase(undefined, { filedAt: ms(RECEIVED, -1) });
    expect(early.events[0].data.lateEntry).toBe(false);
  });

  it('upgradeKernelCase gives an older case its parties and extension requests', () => {
    const old = { ...fileCase() } as Partial<KernelCase<Data>>;
    delete old.parties;
    delete old.extensionRequests;
    const up = upgradeKernelCase(old as KernelCase<Data>);
    expect([up.parties, up.extensionRequests]).toEqual([[], []]);
  });
});

describe('refusalForAction', () => {
  it('refuses on a closed case naming its outcome, unless the action runs after close', () => {
    const c = fileCase();
    apply(c, { action: 'decide' });
    expect(english(refusal(c, { action: 'do', op: 'x' }))).toEqual({ rule: expect.any(String), basis: expect.any(String), message: `case ${c.caseId} is closed (decided)` });
    expect(refusal(c, { action: 'remark' })).toBeNull();
  });

  it('refuses a step in the future and one before the previous caseworker step, with the instants', () => {
    const c = fileCase();
    expect(refusal(c, { action: 'do', op: 'x', occurredAt: ms(NOW, 1) })?.message).toBe('occurredAt 2026-03-04 10:00 (Beijing time) is in the future');
    expect(refusal(c, { action: 'do', op: 'x', occurredAt: NOW })).toBeNull();
    expect(refusal(c, { action: 'do', op: 'x', occurredAt: ms(RECEIVED, -1) })?.message).toBe('occurredAt 2026-03-02 09:59:59 (Beijing time) is before the previous step of the case (2026-03-02 10:00 (Beijing time))');
    hooks.scripts.x = (k) => k.event('x.done');
    const t3 = sh('2026-03-03', '15:00');
    apply(c, { action: 'do', op: 'x', occurredAt: t3 });
    apply(c, { action: 'do', op: 'x', occurredAt: sh('2026-03-03', '09:00') }); // entered without the check: not the latest
    const t2 = sh('2026-03-03', '12:00');
    expect(refusal(c, { action: 'do', op: 'x', occurredAt: t2 })?.message).toBe('occurredAt 2026-03-03 12:00 (Beijing time) is before the previous step of the case (2026-03-03 15:00 (Beijing time))');
    expect(refusal(c, { action: 'do', op: 'x', occurredAt: t3 })).toBeNull();
  });

  it('a window action: refused with no window, before it starts, from its due instant and once cancelled; accepted while it runs', () => {
    const none = fileCase();
    expect(english(refusal(none, { action: 'object' }))).toEqual({ rule: expect.any(String), basis: 'Art. 6', message: 'the objection window is not open' });

    const startAt = sh('2026-03-03');
    const c = fileCase((k) => k.start('objection', { startAt }));
    const w = dl(c, 'objection');
    expect(w.dueAt).toBe('2026-03-18T16:00:00.000Z');
    const closed = { rule: expect.any(String), basis: 'Art. 6', message: 'the objection window ran until the end of 2026-03-18 (Beijing time)' };
    expect(english(refusal(c, { action: 'object', occurredAt: ms(startAt, -1) }))).toEqual(closed);
    expect(refusal(c, { action: 'object', occurredAt: startAt })).toBeNull();
    expect(refusal(c, { action: 'object', occurredAt: ms(w.dueAt!, -1) }, sh('2026-04-01'))).toBeNull();
    expect(english(refusal(c, { action: 'object', occurredAt: w.dueAt! }, sh('2026-04-01')))).toEqual(closed);
    w.status = 'expired';
    expect(refusal(c, { action: 'object', occurredAt: ms(w.dueAt!, -1) }, sh('2026-04-01'))).toBeNull();
    w.status = 'cancelled';
    expect(english(refusal(c, { action: 'object', occurredAt: startAt }))).toEqual(closed);
  });

  it('refuses an action the state does not list, naming what it allows (or nothing)', () => {
    const bare = { ...def, suspensionReasons: [] };
    const c = fileCase(undefined, {}, bare);
    apply(c, { action: 'move', to: 'review' }, NOW, bare);
    expect(c.state).toBe('review');
    expect(refusal(c, { action: 'do', op: 'x' }, NOW, bare)?.message).toBe('do is not allowed in state review; it allows: nothing');
    expect(refusal(c, { action: 'do', op: 'x' }, NOW)?.message).toBe('do is not allowed in state review; it allows: suspend');
    c.state = 'limbo';
    expect(refusal(c, { action: 'do', op: 'x' }, NOW, bare)?.message).toBe('do is not allowed in state limbo; it allows: nothing');
    c.stateBeforeSuspension = 'open';
    expect(refusal(c, { action: 'do', op: 'x' }, NOW, bare)).toBeNull();
  });
});

describe('applyKernelAction', () => {
  it('adds the units an action involves as parties, once each, never the owning unit', () => {
    const c = fileCase();
    apply(c, { action: 'do', op: 'involve' });
    apply(c, { action: 'do', op: 'involve' });
    expect(c.parties).toEqual(['unit-b', 'unit-c']);
  });

  it('fails a move the state graph does not declare', () => {
    const c = fileCase();
    expect(() => apply(c, { action: 'move', to: 'elsewhere' })).toThrow(new Error('kernel-test v3: move moved the case from open to elsewhere, which its state graph does not declare'));
  });

  it('refreshes the statuses at the time it is applied', () => {
    const c = fileCase(start('promise'));
    hooks.scripts.x = () => undefined;
    apply(c, { action: 'do', op: 'x' }, sh('2026-03-06'));
    expect(dl(c, 'promise').status).toBe('overdue');
  });
});

describe('effects between cases', () => {
  const effect = { kind: 'end-listing' as const, listingCaseId: 'kt-x', ground: 'repair' as const, reasons: 'repaired' };
  const incoming = (id: string, reasons = 'repaired') => ({ id, effect: { ...effect, reasons }, fromCaseId: 'other-1', fromProcedure: 'repair', at: sh('2026-03-03') });

  it('applies an effect once, records its id, and reports whether it applied', () => {
    const c = fileCase();
    expect(applyIncomingEffect(def, calendar, c, incoming('e1'), NOW)).toBe(true);
    expect(c.received).toEqual(['e1']);
    expect(c.events.at(-1)).toMatchObject({ type: 'listing.ended-by-effect', actor: 'system', at: sh('2026-03-03'), recordedAt: NOW });
    expect(applyIncomingEffect(def, calendar, c, incoming('e1'), NOW)).toBe(false);
    expect(c.events).toHaveLength(2);
  });

  const notApplied = (why: string, reasons = 'repaired') => ({
    type: 'effect.not-applied',
    actor: 'system',
    at: sh('2026-03-03'),
    recordedAt: NOW,
    seq: expect.any(Number),
    data: { effect: { ...effect, reasons }, fromCaseId: 'other-1', fromProcedure: 'repair', why, recordedAt: NOW },
  });

  it('records why an effect was not applied: a closed case, a definition that takes none, the receiver’s refusal', () => {
    const closed = fileCase();
    apply(closed, { action: 'decide' });
    expect(applyIncomingEffect(def, calendar, closed, incoming('e1'), NOW)).toBe(false);
    expect(closed.events.at(-1)).toStrictEqual(notApplied(`case ${closed.caseId} is closed (decided)`));

    const takesNone = { ...def, receives: undefined };
    const c = fileCase();
    expect(applyIncomingEffect(takesNone, calendar, c, incoming('e2'), NOW)).toBe(false);
    expect(c.events.at(-1)).toStrictEqual(notApplied('kernel-test v3 takes no end-listing'));

    expect(applyIncomingEffect(def, calendar, c, incoming('e3', 'no'), NOW)).toBe(false);
    expect(c.events.at(-1)).toStrictEqual(notApplied('refused by the receiver', 'no'));

    const noCheck = { ...def, receives: { 'end-listing': { apply: def.receives!['end-listing']!.apply } } };
    expect(applyIncomingEffect(noCheck, calendar, c, incoming('e4', 'no'), NOW)).toBe(true);
    expect(c.received).toEqual(['e2', 'e3', 'e4']);
  });

  it('records a delivery or an undeliverable effect, and ignores an unknown id', () => {
    const c = fileCase();
    opsOf(c, NOW).affect(effect);
    opsOf(c, NOW).affect(effect);
    recordEffectDelivery(c, `${c.caseId}:1`, true, NOW);
    recordEffectDelivery(c, `${c.caseId}:2`, false, NOW);
    recordEffectDelivery(c, 'nope', true, NOW);
    expect(c.outgoing!.map((o) => o.status)).toEqual(['delivered', 'undeliverable']);
    expect(c.events.slice(1)).toStrictEqual([
      { type: 'effect.delivered', actor: 'system', at: NOW, recordedAt: NOW, seq: 2, data: { id: `${c.caseId}:1`, effect } },
      { type: 'effect.undeliverable', actor: 'system', at: NOW, recordedAt: NOW, seq: 3, data: { id: `${c.caseId}:2`, effect } },
    ]);
  });
});

describe('applyKernelCalendarLoad', () => {
  const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8'));

  it('with a calendar of another version: every open deadline records the load, moved or not; closed ones do not', () => {
    const next = Calendar.fromSeed({ ...seed, version: 'test-2' });
    const c = fileCase(start('reply', 'second', 'listing'));
    dl(c, 'second').status = 'cancelled';
    const reply = dl(c, 'reply');
    const moved = applyKernelCalendarLoad(def, next, c, NOW);
    expect(moved).toEqual([
      { deadlineKey: 'reply', from: { dueDate: reply.dueDate, dueAt: reply.dueAt }, to: { dueDate: reply.dueDate, dueAt: reply.dueAt } },
      { deadlineKey: 'listing', from: { dueDate: '2026-04-01', dueAt: '2026-04-01T16:00:00.000Z' }, to: { dueDate: '2026-04-01', dueAt: '2026-04-01T16:00:00.000Z' } },
    ]);
    expect(reply.previous).toEqual([{ dueDate: reply.dueDate, dueAt: reply.dueAt, calendarVersion: calendar.version, changedAt: NOW, reason: 'calendar test-2 loaded' }]);
    expect([reply.calendarVersion, dl(c, 'second').calendarVersion, dl(c, 'second').previous]).toEqual(['test-2', calendar.version, []]);
    expect(c.events.at(-1)).toStrictEqual({ type: 'calendar.recomputed', actor: 'system', at: NOW, recordedAt: NOW, seq: 2, data: { calendarVersion: 'test-2', deadlines: moved } });
  });

  it('with a holiday added: the reply moves a working day; the same calendar again changes nothing and records nothing', () => {
    const years = { ...seed.years, 2026: { ...seed.years['2026'], holidays: { ...seed.years['2026'].holidays, '2026-03-05': 'test holiday' } } };
    const next = Calendar.fromSeed({ ...seed, version: 'test-3', years });
    const c = fileCase(start('reply'));
    expect(applyKernelCalendarLoad(def, next, c, NOW).map((m) => [m.from.dueDate, m.to.dueDate])).toEqual([['2026-03-09', '2026-03-10']]);
    expect(applyKernelCalendarLoad(def, next, c, NOW)).toEqual([]);
    expect(c.events).toHaveLength(2);
  });
});

describe('declared clocks', () => {
  const declaring = { ...def, startsOnFiling: ['reply'] as const };

  it('holds the filing to the clocks it declares, naming what it started undeclared', () => {
    expect(fileCase(start('reply'), {}, declaring as never).deadlines).toHaveLength(1);
    expect(() => fileCase(start('reply', 'second', 'promise'), {}, declaring as never)).toThrow(
      new Error('kernel-test v3: the filing started second and started promise, which its definition does not declare'),
    );
  });

  it('a clock started and met by one step is both started and stopped; nothing is checked when a version declares nothing', () => {
    const c = fileCase(start('reply'), {}, declaring as never);
    const seen = watchClocks(c);
    const k = opsOf(c, NOW);
    k.start('second');
    k.complete('second');
    k.complete('reply');
    k.start('open', { key: 'open-2', period: { days: 2 } });
    expect(seen()).toEqual({ started: ['second', 'open'], stopped: ['reply', 'second'] });
    expect(() => holdToDeclaredClocks(declaring as never, 'do', { starts: ['second', 'open'], stops: ['reply'] }, seen())).toThrow(
      new Error('kernel-test v3: do stopped second, which its definition does not declare'),
    );
    expect(() => holdToDeclaredClocks(declaring as never, 'do', { starts: ['second', 'open'], stops: ['reply', 'second'] }, seen())).not.toThrow();
    expect(() => holdToDeclaredClocks(declaring as never, 'do', undefined, seen())).toThrow(
      new Error('kernel-test v3: do started second and started open and stopped reply and stopped second, which its definition does not declare'),
    );
    expect(() => holdToDeclaredClocks(def, 'do', undefined, seen())).not.toThrow();
  });

  it('an action and an automatic step are held to their declarations; a failed check throws from the step', () => {
    const c = fileCase(start('reply'), {}, declaring as never);
    hooks.scripts.x = (k) => k.start('second');
    expect(() => apply(c, { action: 'do', op: 'x' }, NOW, declaring as never)).toThrow(new Error('kernel-test v3: do started second, which its definition does not declare'));
    const undeclaredStep = { ...declaring, startsOnFiling: ['daily'] as const, stepClocks: { renew: {} } };
    const e = fileCase(start('daily'), {}, undeclaredStep as never);
    expect(() => processDue(undeclaredStep as never, calendar, e, sh('2026-03-04'))).toThrow(new Error('kernel-test v3: step renew started daily, which its definition does not declare'));
    const declaredStep = { ...undeclaredStep, stepClocks: { renew: { starts: ['daily'] } } };
    const f = fileCase(start('daily'), {}, declaredStep as never);
    expect(processDue(declaredStep as never, calendar, f, sh('2026-03-04'))).toBe(true);
    expect(f.deadlines.map((d) => d.status)).toEqual(['expired', 'running']);
  });

  it('counts a clock once however many deadlines of it a step started', () => {
    const c = fileCase();
    const seen = watchClocks(c);
    const k = opsOf(c, NOW);
    k.start('second');
    k.start('second', { key: 'second-2' });
    expect(seen()).toEqual({ started: ['second'], stopped: [] });
  });
});
