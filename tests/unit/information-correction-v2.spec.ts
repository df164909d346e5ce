/**
 * Information correction v2 (Art. 38 ¶1–¶3) on the kernel's pure functions (no Temporal, no database): one row per rule branch,
 * dates worked by hand.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 is a Monday; 2026-09-25 Fri to 09-27 Sun 中秋节
 * holidays; 2026-10-01..07 国庆节 holidays; 2026-10-08 Thu and 10-09 Fri working; 2026-10-10 Sat a make-up working day.
 * "Within N working days from day X": X itself is not counted; the due instant is the end of the Nth working day.
 */
import { definitionForReceipt } from '../../procedures';
import { informationCorrectionV1 } from '../../procedures/information-correction/v1';
import { informationCorrectionV2 } from '../../procedures/information-correction/v2';
import { refusalForAction } from '../../src/domain/kernel/case-kernel';
import { act, due, file, parse, refusalOf, sh, statusOf } from './kernel-harness';

describe('the newest version files new cases', () => {
  it('information-correction → version 2', () => {
    expect(definitionForReceipt('information-correction', '2026-09-21')?.version).toBe(2);
    expect(definitionForReceipt('information-correction', '2022-07-01')?.version).toBe(2);
  });
});

describe('information correction v2 (Art. 38)', () => {
  const def = informationCorrectionV2;

  it.each([
    // ¶1, discovered Wed 30 Sep: 1–7 Oct holidays; Thu 8 (1), Fri 9 (2), make-up Sat 10 Oct (3).
    ['¶1 public credit information provider', 'standard', '2026-09-30', 'correction', '2026-10-10'],
    // ¶2, discovered Thu 24 Sep: Fri 25 Sep is 中秋节; Mon 28 (1), Tue 29 (2), Wed 30 Sep (3).
    ['¶2 non-public credit information collector', 'non-public', '2026-09-24', 'collector-correction', '2026-09-30'],
    // ¶3, basis changed Wed 30 Sep: Thu 8 Oct (1), Fri 9 Oct (2).
    ['¶3 basis revoked or changed: provider files the update', 'basis-changed', '2026-09-30', 'provider-update', '2026-10-09'],
  ])('filed: %s (variant %s, received %s)', (_name, variant, receivedOn, clock, dueDate) => {
    const c = file(def, {}, variant, sh(receivedOn));
    expect(c.deadlines.map((d) => [d.key, d.dueDate])).toEqual([[clock, dueDate]]);
    expect(c.state).toBe('open');
  });

  it.each([
    ['correct on the ¶3 path', 'basis-changed', { action: 'correct', description: 'x' }, 'information-correction/wrong-path'],
    ['file-update on the ¶1 path', 'standard', { action: 'file-update' }, 'information-correction/wrong-path'],
    ['file-update on the ¶2 path', 'non-public', { action: 'file-update' }, 'information-correction/wrong-path'],
    ['push before the correction', 'standard', { action: 'push-to-platform', evidenceRef: 'doc-1' }, 'action-not-in-state'],
    ['agency receipt before the update was filed', 'basis-changed', { action: 'record-agency-receipt' }, 'action-not-in-state'],
    ['agency applied before its receipt', 'basis-changed', { action: 'agency-applied' }, 'action-not-in-state'],
    ['correct on the ¶1 path', 'standard', { action: 'correct', description: 'x' }, null],
    ['correct on the ¶2 path', 'non-public', { action: 'correct', description: 'x' }, null],
    ['file-update on the ¶3 path', 'basis-changed', { action: 'file-update' }, null],
  ])('refusal: %s', (_name, variant, body, rule) => {
    const c = file(def, {}, variant, sh('2026-09-30'));
    expect(refusalOf(def, c, body, sh('2026-09-30', '15:00'))).toBe(rule);
  });

  it('¶1: the correction meets its clock, then the push to the credit platform is a recorded step with evidence; only then the case closes', () => {
    const c = file(def, { information: '行政处罚决定书 2026-001' }, 'standard', sh('2026-09-30'));
    act(def, c, { action: 'correct', description: '处罚金额更正' }, sh('2026-10-08'));
    expect([c.state, statusOf(c, 'correction')]).toEqual(['corrected', 'met']);
    expect(refusalOf(def, c, { action: 'push-to-platform' }, sh('2026-10-08', '11:00'))).toBe('information-correction/push-evidence');
    expect(refusalOf(def, c, { action: 'correct', description: 'again' }, sh('2026-10-08', '11:00'))).toBe('action-not-in-state');
    act(def, c, { action: 'push-to-platform', evidenceRef: 'platform-receipt-77' }, sh('2026-10-08', '11:00'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'corrected', data: { pushed: { at: sh('2026-10-08', '11:00'), evidenceRef: 'platform-receipt-77' } } });
    expect(c.events.map((e) => e.type)).toEqual(expect.arrayContaining(['information.corrected', 'information.pushed']));
  });

  it('¶2: a non-public collector corrects and the case closes (no push: ¶2 names none)', () => {
    const c = file(def, {}, 'non-public', sh('2026-09-24'));
    act(def, c, { action: 'correct', description: '逾期记录已删除' }, sh('2026-09-29'));
    expect([c.state, c.outcome, statusOf(c, 'collector-correction')]).toEqual(['closed', 'corrected', 'met']);
  });

  it("¶3: update filed, the agency's one working day runs from its recorded receipt (local policy), then applied", () => {
    const c = file(def, {}, 'basis-changed', sh('2026-09-30'));
    act(def, c, { action: 'file-update' }, sh('2026-10-08', '09:00'));
    expect([c.state, statusOf(c, 'provider-update')]).toEqual(['update-filed', 'met']);
    // A receipt dated before the filing is refused by the kernel (a step cannot be dated before the previous one).
    expect(refusalOf(def, c, { action: 'record-agency-receipt', occurredAt: sh('2026-09-30', '11:00') }, sh('2026-10-08', '10:00'))).toBe('action-time');
    // Received Thu 8 Oct: one working day → Fri 9 Oct.
    act(def, c, { action: 'record-agency-receipt', agency: '黑龙江省公共信用信息中心' }, sh('2026-10-08', '10:00'));
    expect([c.state, due(c, 'agency-apply')]).toEqual(['update-received', '2026-10-09']);
    expect(c.deadlines.find((d) => d.key === 'agency-apply')!.owner).toBe('黑龙江省公共信用信息中心');
    act(def, c, { action: 'agency-applied', change: 'revoked' }, sh('2026-10-09'));
    expect([c.state, c.outcome, statusOf(c, 'agency-apply'), c.data.applied.change]).toEqual(['closed', 'updated', 'met', 'revoked']);
  });

  it('cites the paragraphs exactly: ¶1 provider, ¶2 non-public collector, ¶3 changed basis; the agency start is a named local policy', () => {
    expect(Object.fromEntries(Object.entries(def.variants).map(([k, v]) => [k, v.basis.match(/¶\d/)![0]]))).toEqual({ standard: '¶1', 'non-public': '¶2', 'basis-changed': '¶3' });
    expect(Object.fromEntries(Object.entries(def.clocks).map(([k, v]) => [k, v.basis.match(/¶\d/)![0]]))).toEqual({ correction: '¶1', 'collector-correction': '¶2', 'provider-update': '¶3', 'agency-apply': '¶3' });
    expect(def.clocks['agency-apply'].policy).toMatch(/^Local policy: .*names no start/);
    // Version 1 cited ¶2 for the changed basis; its basis strings now cite ¶3 (text only: no behaviour changed).
    expect(informationCorrectionV1.variants['basis-changed'].basis).toMatch(/¶3$/);
  });
});

describe('information correction v2: what each step records, its events, and the refusal messages', () => {
  const def = informationCorrectionV2;
  const why = (c: ReturnType<typeof file>, body: Record<string, unknown>, now: string) => {
    const r = refusalForAction(def, c, parse(def, body), now);
    return r && { rule: r.rule, message: r.message };
  };
  const eventsSince = (c: ReturnType<typeof file>, from: number) => c.events.slice(from).map((e) => [e.type, e.data]);

  it.each([
    ['standard', 'correction', 'error discovered by the public credit information provider'],
    ['non-public', 'collector-correction', 'error discovered by the non-public credit information collector'],
    ['basis-changed', 'provider-update', 'basis of the dishonesty finding revoked or changed'],
  ])('filed on the %s path: the %s clock starts at the discovery, named; the data starts empty', (variant, clock, startEvent) => {
    const c = file(def, { information: '行政处罚决定书 2026-001' }, variant, sh('2026-09-30'));
    expect(c.deadlines.map((d) => [d.key, d.kind, d.startAt, d.startEvent])).toEqual([[clock, 'legal', sh('2026-09-30'), startEvent]]);
    expect(c.data).toEqual({ information: '行政处罚决定书 2026-001', corrected: null, pushed: null, updateFiled: null, agencyReceivedAt: null, applied: null });
    expect(file(def, {}, variant, sh('2026-09-30')).data.information).toBeNull();
  });

  it.each([
    ['correct on the ¶3 path', 'basis-changed', { action: 'correct', description: 'x' }, 'a revoked or changed basis is filed with the public credit agency (file-update), not corrected here (Art. 38 ¶3)'],
    ['file-update on the ¶1 path', 'standard', { action: 'file-update' }, 'only a revoked or changed basis of a dishonesty finding is filed with the public credit agency (Art. 38 ¶3)'],
  ])('%s: the wrong path, with its message', (_name, variant, body, message) => {
    expect(why(file(def, {}, variant, sh('2026-09-30')), body, sh('2026-09-30', '15:00'))).toEqual({ rule: 'information-correction/wrong-path', message });
  });

  it('¶1: the correction is recorded with its description and event; the push with its evidence and event', () => {
    const c = file(def, {}, 'standard', sh('2026-09-30'));
    act(def, c, { action: 'correct', description: '处罚金额更正' }, sh('2026-10-08'));
    expect(c.data.corrected).toEqual({ at: sh('2026-10-08'), description: '处罚金额更正' });
    expect(c.deadlines[0].completedAt).toBe(sh('2026-10-08'));
    expect(eventsSince(c, 1)).toEqual([['information.corrected', { description: '处罚金额更正' }]]);
    expect(why(c, { action: 'push-to-platform' }, sh('2026-10-08', '11:00'))).toEqual({
      rule: 'information-correction/push-evidence',
      message: 'attach the evidence of the push to the credit platform (evidenceRef)',
    });
    expect(why(c, { action: 'push-to-platform', evidenceRef: 'r-1' }, sh('2026-10-08', '11:00'))).toBeNull();
    const from = c.events.length;
    act(def, c, { action: 'push-to-platform', evidenceRef: 'platform-receipt-77' }, sh('2026-10-08', '11:00'));
    expect(c.data.pushed).toEqual({ at: sh('2026-10-08', '11:00'), evidenceRef: 'platform-receipt-77' });
    expect(eventsSince(c, from)[0]).toEqual(['information.pushed', { evidenceRef: 'platform-receipt-77' }]);
  });

  it('¶2: the correction is recorded with its event and meets the collector clock', () => {
    const c = file(def, {}, 'non-public', sh('2026-09-24'));
    act(def, c, { action: 'correct', description: '逾期记录已删除' }, sh('2026-09-29'));
    expect(c.data.corrected).toEqual({ at: sh('2026-09-29'), description: '逾期记录已删除' });
    expect(c.deadlines[0]).toMatchObject({ key: 'collector-correction', completedAt: sh('2026-09-29') });
    expect(eventsSince(c, 1)[0]).toEqual(['information.corrected', { description: '逾期记录已删除' }]);
  });

  it('¶3: filing, receipt and application each recorded with their events; the agency clock is named and owned', () => {
    const c = file(def, {}, 'basis-changed', sh('2026-09-30'));
    act(def, c, { action: 'file-update' }, sh('2026-10-08', '09:00'));
    expect(c.data.updateFiled).toEqual({ at: sh('2026-10-08', '09:00') });
    expect(c.deadlines[0].completedAt).toBe(sh('2026-10-08', '09:00'));
    expect(eventsSince(c, 1)).toEqual([['update.filed', {}]]);
    act(def, c, { action: 'record-agency-receipt' }, sh('2026-10-08', '10:00'));
    expect(c.data.agencyReceivedAt).toBe(sh('2026-10-08', '10:00'));
    expect(c.deadlines.find((d) => d.key === 'agency-apply')).toMatchObject({ startAt: sh('2026-10-08', '10:00'), startEvent: 'update received by the public credit agency', owner: 'credit-agency' });
    expect(c.parties).toEqual([]);
    expect(eventsSince(c, 2)).toEqual([['update.received', { agency: null }]]);
    act(def, c, { action: 'agency-applied' }, sh('2026-10-09'));
    expect(c.data.applied).toEqual({ at: sh('2026-10-09'), change: null });
    expect(c.deadlines.find((d) => d.key === 'agency-apply')!.completedAt).toBe(sh('2026-10-09'));
    expect(eventsSince(c, 3)[0]).toEqual(['update.applied', { change: null }]);
    expect([c.state, c.outcome]).toEqual(['closed', 'updated']);
  });

  it('¶3: a named agency becomes a party of the case and owns its clock; the change is recorded', () => {
    const c = file(def, {}, 'basis-changed', sh('2026-09-30'));
    act(def, c, { action: 'file-update' }, sh('2026-10-08', '09:00'));
    act(def, c, { action: 'record-agency-receipt', agency: '黑龙江省公共信用信息中心' }, sh('2026-10-08', '10:00'));
    expect(c.parties).toEqual(['黑龙江省公共信用信息中心']);
    expect(c.events.at(-1)).toMatchObject({ type: 'update.received', data: { agency: '黑龙江省公共信用信息中心' } });
    act(def, c, { action: 'agency-applied', change: 'changed' }, sh('2026-10-09'));
    expect(c.data.applied).toEqual({ at: sh('2026-10-09'), change: 'changed' });
    expect(c.events.find((e) => e.type === 'update.applied')!.data).toEqual({ change: 'changed' });
  });

  it('input schemas: exact fields, the agency at most 200 characters, the change revoked or changed', () => {
    const { actions } = def;
    expect(actions.correct.schema.safeParse({ description: 'x' }).success).toBe(true);
    expect(actions.correct.schema.safeParse({}).success).toBe(false);
    expect(actions.correct.schema.safeParse({ description: 'x', extra: 1 }).success).toBe(false);
    expect(actions['push-to-platform'].schema.safeParse({}).success).toBe(true);
    expect(actions['push-to-platform'].schema.safeParse({ extra: 1 }).success).toBe(false);
    expect(actions['file-update'].schema.safeParse({}).success).toBe(true);
    expect(actions['file-update'].schema.safeParse({ extra: 1 }).success).toBe(false);
    const receipt = actions['record-agency-receipt'].schema;
    expect([receipt.safeParse({}).success, receipt.safeParse({ agency: 'a'.repeat(200) }).success, receipt.safeParse({ agency: 'a'.repeat(201) }).success]).toEqual([true, true, false]);
    expect(receipt.safeParse({ agency: 'a', extra: 1 }).success).toBe(false);
    const applied = actions['agency-applied'].schema;
    expect(['revoked', 'changed', 'deleted', undefined].map((change) => applied.safeParse(change === undefined ? {} : { change }).success)).toEqual([true, true, false, true]);
    expect(applied.safeParse({ extra: 1 }).success).toBe(false);
  });
});
