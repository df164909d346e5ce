/**
 * Credit complaint v2 (Art. 41 ¶2) on the kernel's pure functions (no Temporal, no database): one row per rule branch,
 * dates worked by hand.
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 is a Monday; 2026-09-25 Fri to 09-27 Sun 中秋节
 * holidays; 2026-10-01..07 国庆节 holidays; 2026-10-08 Thu and 10-09 Fri working; 2026-10-10 Sat a make-up working day.
 * "Within N working days from day X": X itself is not counted; the due instant is the end of the Nth working day.
 */
import { definitionForReceipt } from '../../procedures';
import { creditComplaintV1 } from '../../procedures/credit-complaint/v1';
import { creditComplaintV2 } from '../../procedures/credit-complaint/v2';
import { refusalForAction } from '../../src/domain/kernel/case-kernel';
import { act, due, file, inputProblem, parse, refusalOf, sh, statusOf } from './kernel-harness';

describe('the newest version files new cases; earlier versions keep theirs', () => {
  it('credit-complaint → version 2', () => {
    expect(definitionForReceipt('credit-complaint', '2026-09-21')?.version).toBe(2);
    expect(definitionForReceipt('credit-complaint', '2022-07-01')?.version).toBe(2);
  });

  it('version 1 of the complaint still runs its reply clock from receipt (cases filed under it keep it)', () => {
    const c = file(creditComplaintV1, { collector: { name: '某征信服务公司' } });
    expect([c.state, due(c, 'reply')]).toEqual(['accepted', '2026-10-26']);
  });
});

describe('credit complaint v2 (Art. 41 ¶2)', () => {
  const def = creditComplaintV2;
  const COLLECTOR = { collector: { name: '某征信服务公司' } };

  it('starts awaiting acceptance with no clock: the text sets no period for accepting (及时 binds the handling)', () => {
    const c = file(def, COLLECTOR);
    expect([c.state, c.deadlines]).toEqual(['awaiting-acceptance', []]);
  });

  it.each([
    // Accepted on Mon 21 Sep (the receipt day): 22, 23, 24 Sep; 28, 29, 30 Sep; 8, 9, 10 (make-up Sat), 12–16, 19–23, 26 Oct.
    ['accepted the day it was received', '2026-09-21', '2026-10-26'],
    // Accepted on Wed 23 Sep: 24 Sep (1); 28–30 Sep (4); 8, 9, 10 Oct (7); 12–16 (12); 19–23 (17); 26, 27, 28 Oct (20).
    ['accepted two days later: the 20 working days run from acceptance (自受理之日起), not from receipt', '2026-09-23', '2026-10-28'],
  ])('reply due: %s', (_name, acceptedOn, dueDate) => {
    const c = file(def, COLLECTOR);
    act(def, c, { action: 'accept', nonPublicCollector: true, occurredAt: sh(acceptedOn) }, sh('2026-09-23', '16:00'));
    expect([c.state, due(c, 'reply'), c.deadlines[0].startAt]).toEqual(['accepted', dueDate, sh(acceptedOn)]);
    expect(c.data.accepted).toEqual({ at: sh(acceptedOn), collector: '某征信服务公司' });
  });

  it.each([
    ['the target is not a non-public collector', COLLECTOR, { nonPublicCollector: false }, 'credit-complaint/non-public-collector'],
    ['no collector named, neither in the filing nor at acceptance', {}, { nonPublicCollector: true }, 'credit-complaint/collector-named'],
    ['the collector named at acceptance', {}, { nonPublicCollector: true, collector: { name: '某信用评级公司' } }, null],
    ['the collector named in the filing', COLLECTOR, { nonPublicCollector: true }, null],
  ])('accept: %s', (_name, filing, input, rule) => {
    const c = file(def, filing);
    expect(refusalOf(def, c, { action: 'accept', ...input }, sh('2026-09-22'))).toBe(rule);
  });

  it.each([
    ['accept without the confirmation', { action: 'accept' }, 'nonPublicCollector'],
    ['refuse-acceptance without reasons', { action: 'refuse-acceptance' }, 'reasons'],
    ['reply without its result', { action: 'reply' }, 'result'],
  ])('input: %s → 400 naming the field', (_name, body, field) => {
    expect(inputProblem(def, body)).toMatchObject({ field });
  });

  it.each([
    ['reply before acceptance', 'awaiting-acceptance', { action: 'reply', result: 'x' }],
    ['accept twice', 'accepted', { action: 'accept', nonPublicCollector: true }],
    ['refuse acceptance after accepting', 'accepted', { action: 'refuse-acceptance', reasons: 'x' }],
  ])('state graph: %s → action-not-in-state', (_name, state, body) => {
    const c = file(def, COLLECTOR);
    if (state === 'accepted') act(def, c, { action: 'accept', nonPublicCollector: true }, sh('2026-09-22'));
    expect(refusalOf(def, c, body, sh('2026-09-23'))).toBe('action-not-in-state');
  });

  it('a refusal to accept is a recorded decision with its reasons that closes the case; no reply clock ever ran', () => {
    const c = file(def, COLLECTOR);
    act(def, c, { action: 'refuse-acceptance', reasons: '被投诉单位为公共信用信息提供单位,应依法申请行政复议或者提起行政诉讼' }, sh('2026-09-22'));
    expect(c).toMatchObject({ state: 'closed', outcome: 'not-accepted', deadlines: [], data: { notAccepted: { at: sh('2026-09-22') } } });
    expect(c.events.map((e) => e.type)).toContain('complaint.not-accepted');
  });

  it('accept, then reply (the fields of v1): the reply clock is met and the case closes as replied', () => {
    const c = file(def, COLLECTOR);
    act(def, c, { action: 'accept', nonPublicCollector: true }, sh('2026-09-22'));
    act(def, c, { action: 'reply', result: '采集单位已删除该记录' }, sh('2026-10-09'));
    expect([c.state, c.outcome, statusOf(c, 'reply')]).toEqual(['closed', 'replied', 'met']);
  });
});

describe('credit complaint v2: the records, events and refusal messages', () => {
  const def = creditComplaintV2;
  const COLLECTOR = { collector: { name: '某征信服务公司' } };
  const why = (c: ReturnType<typeof file>, body: Record<string, unknown>, now: string) => {
    const r = refusalForAction(def, c, parse(def, body), now);
    return r && { rule: r.rule, message: r.message };
  };
  const eventsSince = (c: ReturnType<typeof file>, from: number) => c.events.slice(from).map((e) => [e.type, e.data]);

  it('filed: the collector named in the filing, or none', () => {
    expect(file(def, COLLECTOR).data).toEqual({ collector: { name: '某征信服务公司' }, accepted: null, notAccepted: null, reply: null });
    expect(file(def, {}).data).toEqual({ collector: null, accepted: null, notAccepted: null, reply: null });
  });

  it.each([
    [
      'not a non-public collector',
      COLLECTOR,
      { nonPublicCollector: false },
      { rule: 'credit-complaint/non-public-collector', message: 'only a complaint against a non-public credit information collector is accepted under Art. 41 ¶2; refuse acceptance (refuse-acceptance) and point to Art. 41 ¶1' },
    ],
    ['no collector named', {}, { nonPublicCollector: true }, { rule: 'credit-complaint/collector-named', message: 'name the non-public credit information collector complained about (collector.name)' }],
  ])('accept refused: %s, with the message', (_name, filing, input, expected) => {
    expect(why(file(def, filing), { action: 'accept', ...input }, sh('2026-09-22'))).toEqual(expected);
  });

  it('accept: the reply clock starts from acceptance, named; the event names the collector', () => {
    const c = file(def, COLLECTOR);
    act(def, c, { action: 'accept', nonPublicCollector: true }, sh('2026-09-22'));
    expect(c.deadlines.map((d) => [d.key, d.startAt, d.startEvent])).toEqual([['reply', sh('2026-09-22'), 'complaint accepted']]);
    expect(eventsSince(c, 1)).toEqual([['complaint.accepted', { collector: '某征信服务公司' }]]);
    expect(c.data.collector).toEqual({ name: '某征信服务公司' });
  });

  it('accept naming the collector: it replaces the one in the filing, on the data, the acceptance and the event', () => {
    const c = file(def, COLLECTOR);
    act(def, c, { action: 'accept', nonPublicCollector: true, collector: { name: '某信用评级公司' } }, sh('2026-09-22'));
    expect(c.data.collector).toEqual({ name: '某信用评级公司' });
    expect(c.data.accepted).toEqual({ at: sh('2026-09-22'), collector: '某信用评级公司' });
    expect(c.events.at(-1)).toMatchObject({ type: 'complaint.accepted', data: { collector: '某信用评级公司' } });
  });

  it('refuse-acceptance and reply: the data and the event of each', () => {
    const refused = act(def, file(def, COLLECTOR), { action: 'refuse-acceptance', reasons: '属行政复议事项' }, sh('2026-09-22'));
    expect(refused.data.notAccepted).toEqual({ at: sh('2026-09-22'), reasons: '属行政复议事项' });
    expect(eventsSince(refused, 1)[0]).toEqual(['complaint.not-accepted', { reasons: '属行政复议事项' }]);
    const c = act(def, file(def, COLLECTOR), { action: 'accept', nonPublicCollector: true }, sh('2026-09-22'));
    act(def, c, { action: 'reply', result: '采集单位已删除该记录' }, sh('2026-10-09'));
    expect(c.data.reply).toEqual({ at: sh('2026-10-09'), result: '采集单位已删除该记录' });
    expect(c.deadlines[0].completedAt).toBe(sh('2026-10-09'));
    expect(eventsSince(c, 2)[0]).toEqual(['complaint.replied', { result: '采集单位已删除该记录' }]);
  });

  it('inputs: the collector name at most 200 characters; no unknown fields', () => {
    const accept = def.actions.accept.schema;
    expect(accept.safeParse({ nonPublicCollector: true, collector: { name: 'n'.repeat(200) } }).success).toBe(true);
    expect(accept.safeParse({ nonPublicCollector: true, collector: { name: 'n'.repeat(201) } }).success).toBe(false);
    expect(accept.safeParse({ nonPublicCollector: true, collector: { name: 'n', id: 1 } }).success).toBe(false);
    expect(accept.safeParse({ nonPublicCollector: true, extra: 1 }).success).toBe(false);
    expect(def.actions['refuse-acceptance'].schema.safeParse({ reasons: 'r', extra: 1 }).success).toBe(false);
    expect(def.actions.reply.schema.safeParse({ result: 'r', extra: 1 }).success).toBe(false);
  });
});
