/** What falls due (src/domain/kernel/escalation.ts): reminders, yellow, red, the ladder, expiries and their steps, wake-ups. */
import { isKernelFinished, nextKernelWakeUp, processDue } from '../../src/domain/kernel/case-kernel';
import { def, dl, fileCase, hooks, ms, reset, start, UNIT } from './kernel-test-definition';
import { calendar } from './kernel-harness';

beforeEach(reset);

const DUE = '2026-03-09T16:00:00.000Z'; // the reply clock's due instant (5 working days from Monday 2 March)
const YELLOW = '2026-03-06T16:00:00.000Z';
const REMINDER = '2026-03-04T16:00:00.000Z';
const OVERDUE_1 = '2026-03-10T01:00:00.000Z';
const ESC_1 = '2026-03-12T01:00:00.000Z';
const ESC_2 = '2026-03-17T01:00:00.000Z';
const levels = (c: { escalations: { deadlineKey: string; level: string }[] }) => c.escalations.map((e) => `${e.deadlineKey}:${e.level}`);

describe('processDue', () => {
  it('fires a reminder at its instant, not one ms before, with its record and event', () => {
    const c = fileCase(start('reply'));
    expect(processDue(def, calendar, c, ms(REMINDER, -1))).toBe(false);
    expect(c.escalations).toEqual([]);
    expect(processDue(def, calendar, c, REMINDER)).toBe(true);
    expect(c.escalations).toStrictEqual([{ deadlineKey: 'reply', level: 'reminder-3', dueAt: DUE, firedAt: REMINDER, owner: UNIT }]);
    expect(c.events.at(-1)).toStrictEqual({
      type: 'deadline.reminder-3',
      actor: 'system',
      at: REMINDER,
      recordedAt: REMINDER,
      seq: 2,
      data: { deadlineKey: 'reply', dueAt: DUE, level: 'reminder-3', owner: UNIT },
    });
    expect(processDue(def, calendar, c, REMINDER)).toBe(false);
    expect(c.escalations).toHaveLength(1);
  });

  it('at one instant the later-listed step wins: a reminder due with the yellow gives the yellow only', () => {
    const c = fileCase(start('tied'));
    processDue(def, calendar, c, YELLOW);
    expect(levels(c)).toEqual(['tied:yellow']);
  });

  it('the latest step reached fires, whatever the order of the triggers (a reminder after the yellow)', () => {
    const d3 = { ...def, escalation: { ...def.escalation, yellowWorkingDaysBefore: 3 } };
    const c = fileCase(start('tied'), {}, d3);
    expect(dl(c, 'tied').yellowAt).toBe(REMINDER);
    processDue(d3, calendar, c, YELLOW);
    expect(levels(c)).toEqual(['tied:reminder-1']);
  });

  it('everyLevel: the red and each escalation passed fire late, in order, then the latest step; levelsUp on the rungs', () => {
    const c = fileCase(start('second'));
    processDue(def, calendar, c, ESC_2);
    expect(c.escalations).toStrictEqual([
      { deadlineKey: 'second', level: 'red', dueAt: DUE, firedAt: ESC_2, owner: UNIT, late: true, scheduledAt: DUE },
      { deadlineKey: 'second', level: 'escalation-1', dueAt: DUE, firedAt: ESC_2, owner: UNIT, levelsUp: 1, late: true, scheduledAt: ESC_1 },
      { deadlineKey: 'second', level: 'escalation-2', dueAt: DUE, firedAt: ESC_2, owner: UNIT, levelsUp: 2 },
    ]);
    expect(c.events.at(-2)!.data).toStrictEqual({ deadlineKey: 'second', dueAt: DUE, level: 'escalation-1', owner: UNIT, levelsUp: 1, late: true, scheduledAt: ESC_1 });
    expect(c.events.at(-1)!.type).toBe('deadline.escalation-2');
    expect(dl(c, 'second').status).toBe('overdue');
  });

  it('without everyLevel: the red and the latest step only, the red once', () => {
    const c = fileCase(start('second'));
    processDue(def, calendar, c, DUE, { everyLevel: false });
    expect(levels(c)).toEqual(['second:red']);
    processDue(def, calendar, c, ESC_2, { everyLevel: false });
    expect(levels(c)).toEqual(['second:red', 'second:escalation-2']);
    expect(c.escalations[1]).toStrictEqual({ deadlineKey: 'second', level: 'escalation-2', dueAt: DUE, firedAt: ESC_2, owner: UNIT, levelsUp: 2 });
  });

  it('without everyLevel: a ladder step reached with no red on record brings the red first; a reminder does not', () => {
    const c = fileCase(start('second'));
    processDue(def, calendar, c, OVERDUE_1, { everyLevel: false });
    expect(c.escalations).toStrictEqual([
      { deadlineKey: 'second', level: 'red', dueAt: DUE, firedAt: OVERDUE_1, owner: UNIT },
      { deadlineKey: 'second', level: 'overdue-1', dueAt: DUE, firedAt: OVERDUE_1, owner: UNIT },
    ]);
    const y = fileCase(start('second'));
    processDue(def, calendar, y, YELLOW, { everyLevel: false });
    expect(levels(y)).toEqual(['second:yellow']);
    const e = fileCase(start('second'));
    processDue(def, calendar, e, ESC_1, { everyLevel: false });
    expect(levels(e)).toEqual(['second:red', 'second:escalation-1']);
  });

  it('fires across deadlines in time order, and deadlines due at one instant in their order on the case', () => {
    const c = fileCase(start('listing', 'second', 'reply', 'promise'));
    processDue(def, calendar, c, ms(DUE, 1));
    expect(levels(c)).toEqual(['promise:red', 'second:red', 'reply:red']);
    expect(c.escalations.map((e) => e.late)).toEqual([undefined, undefined, undefined]);
    processDue(def, calendar, c, '2026-04-02T00:00:00.000Z');
    expect(levels(c).slice(3)).toEqual(['second:escalation-1', 'reply:escalation-1', 'second:escalation-2', 'reply:escalation-2', 'second:escalation-3', 'reply:escalation-3', 'listing:expired']);
  });

  it('an expiry runs its step with the due instant as its time; a lapse marks the subject clock lapsed', () => {
    const c = fileCase(start('listing', 'supplement', 'bare'));
    const listing = dl(c, 'listing');
    processDue(def, calendar, c, '2026-05-01T00:00:00.000Z');
    expect(hooks.stepsRun).toEqual(['endListing']);
    const ended = c.events.find((e) => e.type === 'listing.ended')!;
    expect(ended).toMatchObject({ actor: 'system', at: listing.dueAt, recordedAt: '2026-05-01T00:00:00.000Z' });
    expect([listing.status, dl(c, 'supplement').status, dl(c, 'bare').status]).toEqual(['expired', 'lapsed', 'expired']);
    expect(c.escalations.find((e) => e.deadlineKey === 'supplement')).toStrictEqual({
      deadlineKey: 'supplement',
      level: 'lapsed',
      dueAt: '2026-03-12T16:00:00.000Z',
      firedAt: '2026-05-01T00:00:00.000Z',
      owner: 'subject',
    });
  });

  it('a red does not run a clock’s step, and an expiry whose clock the definition no longer has still expires', () => {
    const c = fileCase(start('guarded', 'bare'));
    processDue(def, calendar, c, ms(DUE, 1));
    expect(hooks.stepsRun).toEqual([]);
    expect(dl(c, 'guarded').status).toBe('overdue');
    const gone = { ...def, clocks: {} as typeof def.clocks };
    const e = fileCase(start('listing'));
    processDue(gone, calendar, e, '2026-05-01T00:00:00.000Z');
    expect(dl(e, 'listing').status).toBe('expired');
    expect(hooks.stepsRun).toEqual([]);
  });

  it('steps that start clocks run round after round, at most 100 rounds', () => {
    const c = fileCase(start('daily'));
    processDue(def, calendar, c, '2027-03-02T00:00:00.000Z');
    expect(hooks.stepsRun).toHaveLength(100);
    expect(c.escalations).toHaveLength(100);
  });

  it('completed and cancelled deadlines fire nothing', () => {
    const c = fileCase(start('second', 'reply'));
    dl(c, 'second').completedAt = RECEIVED_PLUS_DAY;
    dl(c, 'reply').status = 'cancelled';
    expect(processDue(def, calendar, c, ESC_2)).toBe(false);
    expect(c.escalations).toEqual([]);
  });
});

const RECEIVED_PLUS_DAY = '2026-03-03T02:00:00.000Z';

describe('nextKernelWakeUp and isKernelFinished', () => {
  it('gives the earliest pending instant after now, not one at now', () => {
    const c = fileCase(start('reply', 'promise'));
    expect(nextKernelWakeUp(c, RECEIVED_PLUS_DAY)).toBe(REMINDER); // the reply's reminder and the promise's yellow
    expect(nextKernelWakeUp(c, REMINDER)).toBe('2026-03-05T16:00:00.000Z'); // the promise's red
    expect(nextKernelWakeUp(c, ms(REMINDER, -1))).toBe(REMINDER);
  });

  it('skips steps already fired, even when asked about an earlier moment', () => {
    const c = fileCase(start('second'));
    processDue(def, calendar, c, DUE);
    expect(nextKernelWakeUp(c, ms(DUE, -1))).toBe(OVERDUE_1);
    expect(nextKernelWakeUp(c, ms(YELLOW, -1))).toBe(YELLOW);
  });

  it('ignores completed deadlines; a closed case is finished once nothing can fire', () => {
    const c = fileCase(start('bare'));
    c.state = 'closed';
    expect(isKernelFinished(c, RECEIVED_PLUS_DAY)).toBe(false);
    dl(c, 'bare').completedAt = RECEIVED_PLUS_DAY;
    expect(nextKernelWakeUp(c, RECEIVED_PLUS_DAY)).toBeNull();
    expect(isKernelFinished(c, RECEIVED_PLUS_DAY)).toBe(true);
    c.state = 'open';
    expect(isKernelFinished(c, RECEIVED_PLUS_DAY)).toBe(false);
  });
});
