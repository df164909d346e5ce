/** The operations procedures use on a case (src/domain/kernel/case-ops.ts): clocks started, met, cancelled, events, states. */
import { reader } from '../../src/domain/kernel/case-ops';
import { refreshStatuses } from '../../src/domain/kernel/case-kernel';
import { processDue } from '../../src/domain/kernel/case-kernel';
import { calendar, sh } from './kernel-harness';
import { def, dl, fileCase, ms, opsOf, RECEIVED, reset, start, UNIT } from './kernel-test-definition';

beforeEach(reset);
const LATER = sh('2026-03-03');

describe('Ops.start', () => {
  it('refuses an unknown clock, a clock without a period, and a key already used, with their messages', () => {
    const c = fileCase(start('reply'));
    const k = opsOf(c, LATER);
    expect(() => k.start('nope')).toThrow(new Error('kernel-test v3 has no clock nope'));
    expect(() => k.start('open')).toThrow(new Error('clock open needs a period entered at runtime'));
    expect(() => k.start('reply')).toThrow(new Error('deadline reply already exists'));
    expect(() => k.start('second', { key: 'reply' })).toThrow(new Error('deadline reply already exists'));
    expect(c.deadlines.map((d) => d.key)).toEqual(['reply']);
  });

  it('takes the step’s time, the clock’s label and the unit by default; each given option instead', () => {
    const c = fileCase();
    const k = opsOf(c, LATER);
    const a = k.start('second');
    expect([a.key, a.startAt, a.startEvent, a.owner]).toEqual(['second', LATER, 'Second period', UNIT]);
    const b = k.start('open', { key: 'open-b', period: { days: 3 }, startAt: RECEIVED, startEvent: 'the letter', owner: 'unit-b' });
    expect([b.key, b.clock, b.startAt, b.startEvent, b.owner, b.period]).toEqual(['open-b', 'open', RECEIVED, 'the letter', 'unit-b', { days: 3 }]);
    expect(k.start('supplement').owner).toBe('subject');
    expect(c.deadlines).toHaveLength(3);
  });
});

describe('Ops.isOpen and reader.isOpen', () => {
  it('are true only for a deadline that exists, is open and is not completed', () => {
    const c = fileCase(start('reply', 'second', 'promise'));
    dl(c, 'second').status = 'cancelled';
    dl(c, 'promise').completedAt = LATER;
    const k = opsOf(c, LATER);
    const r = reader(c, LATER, LATER);
    for (const isOpen of [(key: string) => k.isOpen(key), r.isOpen]) {
      expect(['reply', 'second', 'promise', 'nope'].map(isOpen)).toEqual([true, false, false, false]);
    }
    expect(r.deadline('reply')).toBe(dl(c, 'reply'));
    expect(r.deadline('nope')).toBeUndefined();
    expect(k.deadline('reply')).toBe(dl(c, 'reply'));
  });
});

describe('Ops.complete', () => {
  it('records when it happened and was recorded, and the evidence only when there is some', () => {
    const c = fileCase(start('reply', 'second'));
    opsOf(c, LATER, sh('2026-03-04'), { evidenceRef: 'letter-1' }).complete('reply');
    opsOf(c, LATER).complete('second');
    expect([dl(c, 'reply').completedAt, dl(c, 'reply').completionRecordedAt, dl(c, 'reply').evidenceRef]).toEqual([LATER, sh('2026-03-04'), 'letter-1']);
    expect(Object.keys(dl(c, 'second'))).not.toContain('evidenceRef');
    opsOf(c, sh('2026-03-05')).complete('reply');
    expect(dl(c, 'reply').completedAt).toBe(LATER);
    expect(() => opsOf(c, LATER).complete('nope')).not.toThrow();
  });

  it('a lapsed subject period met before its due instant is met, recorded late; at or after it, it stays lapsed', () => {
    const c = fileCase(start('supplement'));
    const due = dl(c, 'supplement').dueAt!;
    processDue(def, calendar, c, sh('2026-03-20'));
    expect(dl(c, 'supplement').status).toBe('lapsed');
    opsOf(c, ms(due, -1), sh('2026-03-20')).complete('supplement');
    refreshStatuses(c, sh('2026-03-20'));
    expect([dl(c, 'supplement').status, dl(c, 'supplement').completedAt]).toEqual(['met-recorded-late', ms(due, -1)]);

    const e = fileCase(start('supplement'));
    processDue(def, calendar, e, sh('2026-03-20'));
    opsOf(e, due, sh('2026-03-20')).complete('supplement');
    expect([dl(e, 'supplement').status, dl(e, 'supplement').completedAt]).toEqual(['lapsed', null]);
  });
});

describe('Ops.replacePeriod', () => {
  it('fails on an unknown deadline, an unknown clock or one without a period', () => {
    const c = fileCase(start('reply'));
    const k = opsOf(c, LATER);
    expect(() => k.replacePeriod('nope', 'second', 'r')).toThrow(new Error('cannot replace the period of nope with second'));
    expect(() => k.replacePeriod('reply', 'nope', 'r')).toThrow(new Error('cannot replace the period of reply with nope'));
    expect(() => k.replacePeriod('reply', 'open', 'r')).toThrow(new Error('cannot replace the period of reply with open'));
  });

  it('takes the other clock’s period and basis, keeping the old due date', () => {
    const c = fileCase(start('reply'));
    const before = dl(c, 'reply');
    const old = { dueDate: before.dueDate, dueAt: before.dueAt, calendarVersion: before.calendarVersion };
    opsOf(c, LATER).replacePeriod('reply', 'promise', 'the unit promised');
    expect([before.period, before.basis, before.dueDate]).toEqual([{ workingDays: 3 }, 'Art. 3', '2026-03-05']);
    expect(before.previous).toEqual([{ ...old, changedAt: LATER, reason: 'the unit promised' }]);
  });
});

describe('Ops.event', () => {
  it('records the actor, times, reason, evidence, unit and note given, and nothing else', () => {
    const c = fileCase();
    opsOf(c, LATER, sh('2026-03-04'), { evidenceRef: 'ev-1', note: 'a note', unit: 'unit-x', actor: 'worker-2' }).event('thing.done', { n: 1 }, 'because');
    expect(c.events.at(-1)).toStrictEqual({
      type: 'thing.done',
      actor: 'worker-2',
      at: LATER,
      recordedAt: sh('2026-03-04'),
      reason: 'because',
      evidenceRef: 'ev-1',
      seq: 2,
      data: { n: 1, actorUnit: 'unit-x', note: 'a note', recordedAt: sh('2026-03-04') },
    });
    opsOf(c, LATER).event('plain');
    expect(c.events.at(-1)).toStrictEqual({ type: 'plain', actor: 'caseworker-1', at: LATER, recordedAt: LATER, seq: 3, data: {} });
  });
});

describe('Ops.setState, close, cancel, notApplicable, credit, affect', () => {
  it('setState moves the state kept aside while suspended, else the state', () => {
    const c = fileCase();
    opsOf(c, LATER).setState('review');
    expect([c.state, c.stateBeforeSuspension]).toEqual(['review', null]);
    c.stateBeforeSuspension = 'review';
    c.state = 'suspended';
    opsOf(c, LATER).setState('open');
    expect([c.state, c.stateBeforeSuspension]).toEqual(['suspended', 'open']);
  });

  it('close ends the case and cancels every clock but the legal and promised ones', () => {
    const c = fileCase(start('reply', 'promise', 'supplement', 'listing', 'objection'));
    c.stateBeforeSuspension = 'open';
    opsOf(c, LATER).close('withdrawn');
    expect([c.state, c.stateBeforeSuspension, c.outcome, c.closedAt]).toEqual(['closed', null, 'withdrawn', LATER]);
    expect(c.deadlines.map((d) => `${d.key}:${d.status}`)).toEqual(['reply:running', 'promise:running', 'supplement:cancelled', 'listing:cancelled', 'objection:cancelled']);
  });

  it('cancel and notApplicable touch only open, uncompleted deadlines the test picks; notApplicable keeps the old values', () => {
    const c = fileCase(start('reply', 'second', 'promise', 'listing'));
    dl(c, 'second').completedAt = LATER;
    dl(c, 'promise').status = 'cancelled';
    opsOf(c, LATER).notApplicable((d) => d.key !== 'listing', 'out of scope');
    expect(c.deadlines.map((d) => d.status)).toEqual(['not-applicable', 'running', 'cancelled', 'running']);
    const reply = dl(c, 'reply');
    expect(reply.previous).toEqual([{ dueDate: reply.dueDate, dueAt: reply.dueAt, calendarVersion: reply.calendarVersion, changedAt: LATER, reason: 'out of scope' }]);
    expect(dl(c, 'promise').previous).toEqual([]);
    expect(dl(c, 'second').previous).toEqual([]);
    opsOf(c, LATER).cancel(() => true);
    expect(c.deadlines.map((d) => d.status)).toEqual(['not-applicable', 'running', 'cancelled', 'cancelled']);
  });

  it('credit and affect number their records', () => {
    const c = fileCase();
    const k = opsOf(c, LATER);
    k.credit('listed', { reasons: 'r' } as never);
    k.credit('listed', { reasons: 's' } as never, sh('2027-03-03'));
    expect(c.creditEffects).toEqual([
      { seq: 1, kind: 'listed', at: LATER, until: null, data: { reasons: 'r' } },
      { seq: 2, kind: 'listed', at: LATER, until: sh('2027-03-03'), data: { reasons: 's' } },
    ]);
    const effect = { kind: 'end-listing' as const, listingCaseId: 'x', ground: 'repair' as const, reasons: 'r' };
    k.affect(effect);
    k.affect(effect);
    expect(c.outgoing).toEqual([
      { id: `${c.caseId}:1`, effect, at: LATER, status: 'pending' },
      { id: `${c.caseId}:2`, effect, at: LATER, status: 'pending' },
    ]);
  });
});
