/**
 * Information correction version 1 (procedures/information-correction/v1.ts, Art. 38 ¶1 and ¶3) on the kernel's pure
 * functions (no Temporal, no database). Cases filed under version 1 still run under it: one row per rule branch.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-30 is a Wednesday; 2026-10-01..07 国庆节 holidays;
 * 2026-10-08 Thu and 10-09 Fri working; 2026-10-10 Sat a make-up working day. "Within N working days from day X": X is
 * not counted; the due instant is 24:00 of the Nth working day (Asia/Shanghai, i.e. 16:00Z).
 */
import { versions } from '../../procedures/information-correction';
import { informationCorrectionV1 as def } from '../../procedures/information-correction/v1';
import { reader } from '../../src/domain/kernel/case-ops';
import { refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';
import { act, due, english, file, parse, refusalOf, sh, statusOf } from './kernel-harness';

const DISCOVERED = sh('2026-09-30');
const refusal = (c: KernelCase<unknown>, body: Record<string, unknown>, now: string) => english(refusalForAction(def, c, parse(def, body), now));
const eventsOf = (c: KernelCase<unknown>) => c.events.filter((e) => e.type !== 'case.filed').map((e) => [e.type, e.data]);

describe('information correction v1 is still published (cases in flight keep it)', () => {
  it('is the first of the versions', () => {
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]).toBe(def);
  });
});

describe('filing', () => {
  it.each([
    // ¶1: discovered Wed 30 Sep; 1–7 Oct holidays; Thu 8 (1), Fri 9 (2), make-up Sat 10 Oct (3).
    ['standard', 'correction', 'Correct the information', 'error discovered', '2026-10-10', 'legal'],
    // ¶3: basis changed Wed 30 Sep; Thu 8 (1), Fri 9 Oct (2).
    ['basis-changed', 'provider-update', 'Provider files the update with the credit agency', 'basis of the finding revoked or changed', '2026-10-09', 'legal'],
  ])('variant %s starts %s (%s, started by "%s"), due %s', (variant, key, label, startEvent, dueDate, kind) => {
    const c = file(def, {}, variant, DISCOVERED);
    expect(c.state).toBe('open');
    expect(c.deadlines).toHaveLength(1);
    expect(c.deadlines[0]).toMatchObject({ key, clock: key, label, startEvent, startAt: DISCOVERED, dueDate, dueAt: `${dueDate}T16:00:00.000Z`, kind, status: 'running', owner: 'unit-credit-office' });
    expect(c.data).toEqual({ information: null, corrected: null, updateFiled: null, agencyReceivedAt: null, applied: null });
  });

  it('keeps the information named at filing', () => {
    const c = file(def, { information: '行政处罚决定书 2022-001' }, 'standard', DISCOVERED);
    expect(c.data.information).toBe('行政处罚决定书 2022-001');
  });

  it('the filing schema takes only the information', () => {
    expect(def.filing.safeParse({ information: 'x' }).success).toBe(true);
    expect(def.filing.safeParse({}).success).toBe(true);
    expect(def.filing.safeParse({ other: 'x' }).success).toBe(false);
  });
});

describe('refusals: one row per rule branch', () => {
  it.each([
    ['correct on the ¶3 path', 'basis-changed', { action: 'correct', description: 'x' }, 'information-correction/wrong-path', 'a changed basis is filed with the credit agency (file-update), not corrected here'],
    ['file-update on the ¶1 path', 'standard', { action: 'file-update' }, 'information-correction/wrong-path', 'only a revoked or changed basis is filed with the credit agency'],
    ['agency receipt before the update was filed', 'basis-changed', { action: 'record-agency-receipt' }, 'information-correction/receipt-before-filing', 'the update has not been filed'],
    ['agency receipt on the ¶1 path (nothing filed)', 'standard', { action: 'record-agency-receipt', agency: '中心' }, 'information-correction/receipt-before-filing', 'the update has not been filed'],
    ['agency applied before its receipt', 'basis-changed', { action: 'agency-applied' }, 'information-correction/receipt-before-filing', "record the agency's receipt first"],
  ])('%s (variant %s)', (_name, variant, body, rule, message) => {
    const c = file(def, {}, variant, DISCOVERED);
    const r = refusal(c, body, sh('2026-09-30', '15:00'));
    expect(r).toEqual({ rule, basis: Object.values(def.rules).find((x) => x.id === rule)!.basis, message });
  });

  it.each([
    ['correct on the ¶1 path', 'standard', { action: 'correct', description: 'x' }],
    ['file-update on the ¶3 path', 'basis-changed', { action: 'file-update' }],
  ])('accepted: %s', (_name, variant, body) => {
    const c = file(def, {}, variant, DISCOVERED);
    expect(refusalOf(def, c, body, sh('2026-09-30', '15:00'))).toBeNull();
  });

  it('an action the definition does not know is an input problem, and the correct action needs its description', () => {
    const c = file(def, {}, 'standard', DISCOVERED);
    expect(() => parse(def, { action: 'correct' })).toThrow(/description/);
    expect(() => parse(def, { action: 'file-update', extra: 1 })).toThrow(/extra/);
    expect(() => parse(def, { action: 'agency-applied', change: 'revoked' })).toThrow(/change/);
    expect(refusalOf(def, c, { action: 'correct', description: 'x' }, sh('2026-09-30', '15:00'))).toBeNull();
  });
});

describe('¶1: the provider corrects within 3 working days', () => {
  it('records the correction, meets the clock, and closes the case as corrected', () => {
    const c = file(def, {}, 'standard', DISCOVERED);
    act(def, c, { action: 'correct', description: '处罚金额更正' }, sh('2026-10-08'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'corrected', closedAt: sh('2026-10-08') });
    expect(c.data.corrected).toEqual({ at: sh('2026-10-08'), description: '处罚金额更正' });
    expect(c.deadlines[0]).toMatchObject({ key: 'correction', status: 'met', completedAt: sh('2026-10-08') });
    expect(eventsOf(c)).toEqual([['information.corrected', { description: '处罚金额更正' }]]);
    expect(refusalOf(def, c, { action: 'correct', description: 'again' }, sh('2026-10-08', '11:00'))).toBe('case-closed');
  });

  it('a correction made after the due date is recorded against a breached clock', () => {
    const c = file(def, {}, 'standard', DISCOVERED);
    act(def, c, { action: 'correct', description: 'late' }, sh('2026-10-12'));
    expect([c.state, statusOf(c, 'correction')]).toEqual(['closed', 'met-late']);
  });
});

describe('¶3: the provider files the update within 2 working days, the agency applies it within 1 working day of receipt', () => {
  it('files the update: the provider clock is met, the case stays open; a second filing is refused', () => {
    const c = file(def, {}, 'basis-changed', DISCOVERED);
    act(def, c, { action: 'file-update' }, sh('2026-10-08', '09:00'));
    expect(c.state).toBe('open');
    expect(c.data.updateFiled).toEqual({ at: sh('2026-10-08', '09:00') });
    expect([statusOf(c, 'provider-update'), c.deadlines[0].completedAt]).toEqual(['met', sh('2026-10-08', '09:00')]);
    expect(eventsOf(c)).toEqual([['update.filed', {}]]);
    expect(refusal(c, { action: 'file-update' }, sh('2026-10-08', '09:30'))).toMatchObject({
      rule: 'information-correction/already-done',
      message: 'the update was filed at 2026-10-08 09:00 (Beijing time)',
    });
  });

  it('the agency receipt starts its 1 working day, owned by the named agency, which becomes a party', () => {
    const c = file(def, {}, 'basis-changed', DISCOVERED);
    act(def, c, { action: 'file-update' }, sh('2026-10-08', '09:00'));
    // Received at the very instant of the filing: accepted (only a receipt before the filing is refused).
    act(def, c, { action: 'record-agency-receipt', agency: '黑龙江省公共信用信息中心' }, sh('2026-10-08', '09:00'));
    expect(c.data.agencyReceivedAt).toBe(sh('2026-10-08', '09:00'));
    expect(c.parties).toEqual(['黑龙江省公共信用信息中心']);
    const d = c.deadlines.find((x) => x.key === 'agency-apply')!;
    // Received Thu 8 Oct: one working day → Fri 9 Oct.
    expect(d).toMatchObject({ owner: '黑龙江省公共信用信息中心', startEvent: 'update received by the credit agency', startAt: sh('2026-10-08', '09:00'), dueDate: '2026-10-09', status: 'running' });
    expect(eventsOf(c)).toEqual([
      ['update.filed', {}],
      ['update.received', { agency: '黑龙江省公共信用信息中心' }],
    ]);
    expect(refusal(c, { action: 'record-agency-receipt' }, sh('2026-10-08', '10:00'))).toMatchObject({
      rule: 'information-correction/already-done',
      message: 'the agency received it at 2026-10-08 09:00 (Beijing time)',
    });

    act(def, c, { action: 'agency-applied' }, sh('2026-10-09', '15:00'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'updated', closedAt: sh('2026-10-09', '15:00') });
    expect(c.data.applied).toEqual({ at: sh('2026-10-09', '15:00') });
    expect([statusOf(c, 'agency-apply'), due(c, 'agency-apply')]).toEqual(['met', '2026-10-09']);
    expect(eventsOf(c).at(-1)).toEqual(['update.applied', {}]);
  });

  it('without an agency named, the credit agency owns the clock and no party is added', () => {
    const c = file(def, {}, 'basis-changed', DISCOVERED);
    act(def, c, { action: 'file-update' }, sh('2026-10-08', '09:00'));
    act(def, c, { action: 'record-agency-receipt' }, sh('2026-10-09', '09:00'));
    expect(c.parties).toEqual([]);
    // Received Fri 9 Oct: one working day → the make-up Saturday 10 Oct.
    expect(c.deadlines.find((x) => x.key === 'agency-apply')).toMatchObject({ owner: 'credit-agency', dueDate: '2026-10-10' });
    expect(eventsOf(c).at(-1)).toEqual(['update.received', { agency: null }]);
  });

  it('a receipt dated before the filing is refused (the rule itself, and the kernel before it)', () => {
    const c = file(def, {}, 'basis-changed', DISCOVERED);
    act(def, c, { action: 'file-update' }, sh('2026-10-08', '09:00'));
    // The kernel refuses a step dated before the previous one…
    expect(refusalOf(def, c, { action: 'record-agency-receipt', occurredAt: sh('2026-10-08', '08:59') }, sh('2026-10-08', '10:00'))).toBe('action-time');
    // …and the rule says so too when asked directly.
    const rule = def.actions['record-agency-receipt'].refuse!;
    expect(english(rule(reader(c, sh('2026-10-08', '08:59'), sh('2026-10-08', '10:00')), {} as never))).toEqual({
      rule: 'receiptBeforeFiling',
      message: 'the update was filed at 2026-10-08 09:00 (Beijing time)',
    });
    expect(rule(reader(c, sh('2026-10-08', '09:00'), sh('2026-10-08', '10:00')), {} as never)).toBeNull();
  });

  it('involves the agency it names, nothing otherwise', () => {
    const involves = def.actions['record-agency-receipt'].involves!;
    expect(involves({ agency: 'X' } as never)).toEqual(['X']);
    expect(involves({} as never)).toEqual([]);
  });
});
