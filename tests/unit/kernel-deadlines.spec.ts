/** How a deadline is made, computed and recomputed, and the statuses it ends in (src/domain/kernel/deadlines.ts). */
import * as fs from 'fs';
import * as path from 'path';
import { Calendar } from '../../src/domain/calendar';
import { applyKernelCalendarLoad, refreshStatuses, workingDaysOverdue } from '../../src/domain/kernel/case-kernel';
import { calendar, sh } from './kernel-harness';
import { def, dl, fileCase, ms, opsOf, reset, start } from './kernel-test-definition';

beforeEach(reset);
const NOW = sh('2026-03-04');

describe('a new deadline', () => {
  it('is suspendable only with suspension reasons, names the local policy in its basis, reminds only when asked', () => {
    const c = fileCase(start('reply', 'promise', 'second'));
    const [reply, promise, second] = c.deadlines;
    expect([reply.suspendable, reply.suspensionReasons, second.suspendable, second.suspensionReasons]).toEqual([true, ['expert-opinion'], false, []]);
    expect([reply.basis, promise.basis]).toEqual(['Art. 1', 'Art. 3 — local policy: unit charter']);
    expect([reply.label, reply.labelZh, reply.kind, reply.clock, reply.status, reply.provisional, reply.previous, reply.extensions, reply.completedAt]).toEqual([
      'Reply period',
      '答复期限',
      'legal',
      'reply',
      'running',
      false,
      [],
      [],
      null,
    ]);
    expect(reply.reminders).toEqual([{ level: 'reminder-3', at: '2026-03-04T16:00:00.000Z' }]);
    expect([second.reminders, promise.reminders]).toEqual([[], []]);
    expect([reply.calendarVersion, reply.explanation === undefined]).toEqual([calendar.version, false]);
  });

  it('a subject period without the rest-day roll may end on a Saturday; a promised clock has a yellow and no ladder', () => {
    const c = fileCase((k) => {
      k.start('supplement', { startAt: sh('2026-03-04') });
      k.start('bare', { startAt: sh('2026-03-09') });
      k.start('promise');
    });
    expect([dl(c, 'supplement').dueDate, dl(c, 'supplement').yellowAt, dl(c, 'supplement').overdueSteps]).toEqual(['2026-03-14', null, undefined]);
    expect(dl(c, 'bare').dueDate).toBe('2026-03-16'); // 14 March is a Saturday: rolled to Monday
    expect([dl(c, 'promise').yellowAt, dl(c, 'promise').overdueSteps]).toEqual(['2026-03-04T16:00:00.000Z', undefined]);
  });

  it('a legal clock has no ladder on a case filed without it', () => {
    const c = fileCase(start('reply'), {}, def, { ladder: false });
    expect(dl(c, 'reply').overdueSteps).toBeUndefined();
  });
});

describe('suspension and recomputing', () => {
  it('only the suspensions of the reasons a clock honours stop it; while stopped it has no due date, reminders or ladder', () => {
    const c = fileCase(start('reply', 'second'));
    c.suspensions.push({ from: sh('2026-03-03'), reason: 'expert-opinion' });
    c.suspensions.push({ from: sh('2026-03-03'), reason: 'other' });
    const moved = applyKernelCalendarLoad(def, calendar, c, NOW);
    expect(moved.map((m) => m.deadlineKey)).toEqual(['reply']);
    const reply = dl(c, 'reply');
    expect([reply.dueDate, reply.dueAt, reply.yellowAt, reply.reminders, reply.overdueSteps, reply.status]).toEqual([null, null, null, [], [], 'suspended']);
    expect(dl(c, 'second').dueDate).toBe('2026-03-09');
    expect(reply.previous).toEqual([{ dueDate: '2026-03-09', dueAt: '2026-03-09T16:00:00.000Z', calendarVersion: calendar.version, changedAt: NOW, reason: `calendar ${calendar.version} loaded` }]);
  });

  it('skips completed and closed deadlines, and survives a clock the definition no longer has', () => {
    const c = fileCase(start('reply', 'second', 'listing'));
    dl(c, 'second').completedAt = NOW;
    c.suspensions.push({ from: sh('2026-03-03'), reason: 'expert-opinion' });
    dl(c, 'reply').status = 'not-applicable';
    expect(applyKernelCalendarLoad(def, calendar, c, NOW)).toEqual([]);
    const gone = { ...def, clocks: {} as typeof def.clocks };
    expect(applyKernelCalendarLoad(gone, calendar, c, NOW)).toEqual([]);
    const e = fileCase(start('reply'));
    e.suspensions.push({ from: sh('2026-03-03'), reason: 'expert-opinion' });
    expect(applyKernelCalendarLoad(gone, calendar, e, NOW).map((m) => m.deadlineKey)).toEqual(['reply']);
    expect(dl(e, 'reply').reminders).toEqual([]);
    e.suspensions[0].to = sh('2026-03-04');
    applyKernelCalendarLoad(gone, calendar, e, NOW);
    expect([dl(e, 'reply').dueDate, dl(e, 'reply').reminders]).toEqual(['2026-03-10', []]);
  });
});

describe('a calendar of the same version', () => {
  it('records a move when only the provisional flag changes (a year without its holiday notice, then with it)', () => {
    const seed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8'));
    const years = { ...seed.years };
    delete years['2026'];
    const partial = Calendar.fromSeed({ ...seed, years });
    expect(partial.version).toBe(calendar.version);
    const c = fileCase(start('second'));
    const same = { dueDate: '2026-03-09', dueAt: '2026-03-09T16:00:00.000Z' };
    expect(applyKernelCalendarLoad(def, partial, c, NOW)).toEqual([{ deadlineKey: 'second', from: same, to: same }]);
    expect(dl(c, 'second').provisional).toBe(true);
    expect(applyKernelCalendarLoad(def, calendar, c, NOW)).toEqual([{ deadlineKey: 'second', from: same, to: same }]);
    expect([dl(c, 'second').provisional, dl(c, 'second').previous.length]).toEqual([false, 2]);
  });
});

describe('statuses', () => {
  it('met, met late, met but recorded late (from the due instant on), met while stopped', () => {
    const c = fileCase(start('reply', 'second', 'tied', 'promise'));
    const due = dl(c, 'reply').dueAt!;
    opsOf(c, ms(due, -1), ms(due, -1)).complete('reply');
    opsOf(c, due, due).complete('second');
    opsOf(c, ms(due, -1), due).complete('tied');
    refreshStatuses(c, sh('2026-03-20'));
    expect(c.deadlines.map((d) => d.status)).toEqual(['met', 'met-late', 'met-recorded-late', 'overdue']);

    const s = fileCase(start('reply'));
    s.suspensions.push({ from: sh('2026-03-03'), reason: 'expert-opinion' });
    applyKernelCalendarLoad(def, calendar, s, NOW);
    opsOf(s, NOW).complete('reply');
    refreshStatuses(s, NOW);
    expect(dl(s, 'reply').status).toBe('met');
  });

  it('a breachable clock is overdue from its due instant, not one ms before; other kinds stay running until processed', () => {
    const c = fileCase(start('reply', 'bare', 'supplement'));
    const due = dl(c, 'reply').dueAt!;
    refreshStatuses(c, ms(due, -1));
    expect(dl(c, 'reply').status).toBe('running');
    refreshStatuses(c, due);
    expect(c.deadlines.map((d) => d.status)).toEqual(['overdue', 'running', 'running']);
  });

  it('cancelled, not applicable, expired and lapsed stay as they are', () => {
    const c = fileCase(start('reply', 'second', 'bare', 'supplement'));
    const ended = ['cancelled', 'not-applicable', 'expired', 'lapsed'] as const;
    c.deadlines.forEach((d, i) => (d.status = ended[i]));
    refreshStatuses(c, sh('2026-04-20'));
    expect(c.deadlines.map((d) => d.status)).toEqual([...ended]);
  });
});

describe('workingDaysOverdue', () => {
  it('counts the working days after the due date up to the day of now', () => {
    expect(workingDaysOverdue(calendar, '2026-03-09', sh('2026-03-09', '23:59'))).toBe(0);
    expect(workingDaysOverdue(calendar, '2026-03-09', sh('2026-03-10', '00:00'))).toBe(1);
    expect(workingDaysOverdue(calendar, '2026-03-13', sh('2026-03-15'))).toBe(0);
    expect(workingDaysOverdue(calendar, '2026-03-13', sh('2026-03-16'))).toBe(1);
  });
});
