/**
 * Credit complaint version 1 (Heilongjiang Social Credit Regulation 2022, Art. 41) on the kernel's pure functions, no
 * Temporal, no database. Version 1 took a complaint as accepted when received, so its 20 working days run from the
 * receipt; cases filed under it keep that (version 2 runs them from the acceptance).
 *
 * Calendar facts used (prisma/calendar/cn-2004-2026.json): 2026-09-21 Mon, 09-22 to 09-24 working; 09-25 Fri to 09-27
 * Sun 中秋节 holidays; 10-01..07 国庆节 holidays; 10-10 Sat a make-up working day. A due date D ends at 24:00
 * Asia/Shanghai = D T16:00:00.000Z. "Within N working days from day X": X itself is not counted.
 */
import { versions } from '../../procedures/credit-complaint';
import { creditComplaintV1 as def } from '../../procedures/credit-complaint/v1';
import { refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';
import * as harness from './kernel-harness';

const { sh } = harness;
type Case = KernelCase<{ collector: { name: string } | null; reply: { at: string; result: string } | null }>;

const endOf = (date: string) => `${date}T16:00:00.000Z`;
const COLLECTOR = { collector: { name: '某征信服务有限公司' } };
const file = (filing: Record<string, unknown> = COLLECTOR, receivedAt = sh('2026-09-21')): Case => harness.file(def, filing, 'standard', receivedAt);
const act = (c: Case, body: Record<string, unknown>, now: string): Case => harness.act(def, c, body, now);
const reply = (c: Case, now: string) => act(c, { action: 'reply', result: '经核查,采集单位已更正该条记录' }, now);

/**
 * The definition loaded afresh, for the tests of its schemas. The schemas are built lazily, once per module registry,
 * by the first test that reads them (in the shared registry, citations.spec, which checks no bounds): mutation testing
 * counts their code as run by that test alone. Loaded in a beforeAll, the module's own load stays outside every test
 * (its object literals remain static mutants), and each schema is built inside the one test that checks all of it.
 */
function fresh(): typeof def {
  let mod: { creditComplaintV1: typeof def } | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module registry, for the lazy schemas
    mod = require('../../procedures/credit-complaint/v1');
  });
  return mod!.creditComplaintV1;
}

describe('version 1 as published', () => {
  it('is the version 1 of the index, with one state and one action', () => {
    expect(versions.find((v) => v.version === 1)).toBe(def);
    expect([def.initialState, Object.keys(def.states), Object.keys(def.actions), def.extensions.allowed]).toEqual(['accepted', ['accepted'], ['reply'], false]);
  });
});

describe('filing and action schemas (each built and checked whole in one test)', () => {
  let f: typeof def;
  beforeAll(() => {
    f = fresh();
  });

  it('filing: the collector (a name of at most 200 characters) and the grounds, both optional', () => {
    expect(f.filing.parse({ ...COLLECTOR, grounds: '未经同意采集个人信用信息' })).toEqual({ ...COLLECTOR, grounds: '未经同意采集个人信用信息' });
    expect(f.filing.parse({})).toEqual({});
    expect(f.filing.parse({ collector: { name: 'x'.repeat(200) } })).toEqual({ collector: { name: 'x'.repeat(200) } });
    const refused = [{ collector: { name: 'x'.repeat(201) } }, { collector: {} }, { collector: { name: 'x', id: 1 } }, { grounds: '' }, { listingCaseId: 'L-1' }];
    expect(refused.map((filing) => f.filing.safeParse(filing).success)).toEqual(refused.map(() => false));
  });

  it('reply takes its result only', () => {
    const schema = f.actions.reply.schema;
    expect(schema.parse({ result: '已答复' })).toEqual({ result: '已答复' });
    expect(schema.safeParse({}).success).toBe(false);
    expect(schema.safeParse({ result: '已答复', reasons: 'x' }).success).toBe(false);
  });
});

describe('filing: accepted when received, the 20 working days of Art. 41 run from the receipt', () => {
  it.each([
    // 22, 23, 24 Sep; 28, 29, 30 Sep; 8, 9, 10 (make-up Sat), 12-16, 19-23, 26 Oct.
    ['received on Mon 09-21', sh('2026-09-21'), '2026-10-26'],
    // 24 Sep; 28-30 Sep; 8, 9, 10 Oct; 12-16; 19-23; 26, 27, 28 Oct.
    ['received on Wed 09-23', sh('2026-09-23'), '2026-10-28'],
    // Received on a holiday (Fri 09-25): 28-30 Sep (3); 8, 9, 10 Oct (6); 12-16 (11); 19-23 (16); 26-29 Oct (20).
    ['received on the Mid-Autumn holiday', sh('2026-09-25'), '2026-10-29'],
  ])('%s: the reply clock runs from the receipt', (_name, receivedAt, dueDate) => {
    const c = file(COLLECTOR, receivedAt);
    expect(c.state).toBe('accepted');
    expect(c.deadlines).toHaveLength(1);
    expect(c.deadlines[0]).toMatchObject({
      key: 'reply',
      clock: 'reply',
      kind: 'legal',
      owner: 'unit-credit-office',
      period: { workingDays: 20 },
      startAt: receivedAt,
      startEvent: 'complaint accepted',
      dueDate,
      dueAt: endOf(dueDate),
      status: 'running',
    });
  });

  it.each([
    ['the collector named', COLLECTOR, { name: '某征信服务有限公司' }],
    ['no collector named', { grounds: '未经同意采集个人信用信息' }, null],
  ])('the data keep %s', (_name, filing, collector) => {
    expect(file(filing).data).toEqual({ collector, reply: null });
  });
});

describe('reply (Art. 41: 书面答复)', () => {
  it('closes the case as replied, the reply clock met; the reply is kept with its result', () => {
    const c = reply(file(), sh('2026-10-09'));
    expect([c.state, c.outcome, c.closedAt]).toEqual(['closed', 'replied', sh('2026-10-09')]);
    expect(c.data).toEqual({ collector: { name: '某征信服务有限公司' }, reply: { at: sh('2026-10-09'), result: '经核查,采集单位已更正该条记录' } });
    expect(c.deadlines[0]).toMatchObject({ status: 'met', completedAt: sh('2026-10-09') });
    expect(c.events.slice(1).map((e) => [e.type, e.data])).toEqual([['complaint.replied', { result: '经核查,采集单位已更正该条记录' }]]);
  });

  it.each([
    ['on the last day (Mon 10-26, 23:59): met', sh('2026-10-26', '23:59'), 'met'],
    ['the day after: met late', sh('2026-10-27', '09:00'), 'met-late'],
  ])('replied %s', (_name, now, status) => {
    expect(reply(file(), now).deadlines[0].status).toBe(status);
  });

  it('a closed case takes no second reply', () => {
    const c = reply(file(), sh('2026-10-09'));
    expect(refusalForAction(def, c, harness.parse(def, { action: 'reply', result: 'x' }), sh('2026-10-12'))?.rule).toBe('case-closed');
  });
});
