/**
 * Every message a procedure gives a caseworker is also in Chinese, the API's default language: the refusals of the
 * newest version of each procedure (run through the kernel, as the workflow runs them), the eligibility hits, the
 * filing problems and the filing schemas' own messages. A source check covers what the types cannot see (sites behind
 * `as never` casts, zod's messages). Pure functions, no Temporal, no database.
 */
import * as fs from 'fs';
import * as path from 'path';
import { allKernelDefinitions, kernelDefinitionFor, procedureIds, type AnyKernelProcedure } from '../../procedures';
import { refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { CreditStatus } from '../../src/domain/kernel/ops';
import * as harness from './kernel-harness';

const { sh } = harness;
const CJK = /[\u4e00-\u9fff]/;
const newest = (procedure: string): AnyKernelProcedure => allKernelDefinitions().find((d) => d.procedure === procedure)!;
const ruleId = (def: AnyKernelProcedure, key: string) => {
  const rule = (def.rules as Record<string, { id: string }>)[key];
  if (!rule) throw new Error(`${def.procedure} v${def.version} has no rule ${key}`);
  return rule.id;
};

/** Both languages of one message: the Chinese is Chinese, the English is not, and they differ. */
function expectBothLanguages(said: { message: string; messageZh?: string }) {
  expect(said.messageZh).toEqual(expect.stringMatching(CJK));
  expect(said.message).not.toMatch(CJK);
  expect(said.message.length).toBeGreaterThan(0);
}

const LISTING = '5b0f1c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const OBJECTION = { grounds: ['error'], reasons: 'the penalty decision was revoked' };
const PROMISED = { licence: { number: 'HB-2026-77' }, materialsDue: { items: ['fire-safety approval'], period: { workingDays: 3 } } };
const RATING = { compound: { name: 'Jiangbei Garden', occupiedSince: '2020-03-01' }, evaluator: { name: 'A' } };
const LISTING_DECISION = { period: { years: 1 }, reasons: 'r', basis: 'b', removalConditions: 'c' };
const status = (o: Partial<CreditStatus> = {}): CreditStatus => ({ listed: false, listings: [], repairs: [], commitmentBreaches: [], ...o });

type Body = Record<string, unknown>;
interface Scenario {
  name: string;
  procedure: string;
  filing: Body;
  variant?: string;
  receivedAt?: string;
  steps?: [Body, string][];
  refuse: Body;
  at: string;
  /** The rule (key of the definition's rules) that refuses. */
  rule: string;
  /** The message names an instant: in Beijing time in both languages. */
  instant?: boolean;
}

const APPROVED_REPAIR: [Body, string][] = [
  [{ action: 'accept' }, sh('2026-09-21', '11:00')],
  [{ action: 'decide', outcome: 'approved', authorities: ['market-bureau'] }, sh('2026-09-22')],
];

const SCENARIOS: Scenario[] = [
  { name: 'accept a complaint not against a non-public collector', procedure: 'credit-complaint', filing: {}, refuse: { action: 'accept', nonPublicCollector: false }, at: sh('2026-09-22'), rule: 'nonPublicCollector' },
  { name: 'accept a complaint naming no collector', procedure: 'credit-complaint', filing: {}, refuse: { action: 'accept', nonPublicCollector: true }, at: sh('2026-09-22'), rule: 'collectorNamed' },

  { name: 'reject a repair without reasons', procedure: 'credit-repair', filing: { listingCaseId: LISTING }, steps: [APPROVED_REPAIR[0]], refuse: { action: 'decide', outcome: 'rejected' }, at: sh('2026-09-22'), rule: 'rejectionNeedsReasons' },
  { name: 'an authority not named on the approval', procedure: 'credit-repair', filing: { listingCaseId: LISTING }, steps: APPROVED_REPAIR, refuse: { action: 'confirm-restriction-ended', authority: 'tax-bureau' }, at: sh('2026-09-23'), rule: 'unknownAuthority' },
  { name: 'stop publication without evidence', procedure: 'credit-repair', filing: { listingCaseId: LISTING }, steps: APPROVED_REPAIR, refuse: { action: 'stop-publication' }, at: sh('2026-09-23'), rule: 'evidenceRequired' },
  {
    name: 'stop publication twice',
    procedure: 'credit-repair',
    filing: { listingCaseId: LISTING },
    steps: [...APPROVED_REPAIR, [{ action: 'stop-publication', evidenceRef: 'WEB-1' }, sh('2026-09-23')]],
    refuse: { action: 'stop-publication', evidenceRef: 'WEB-2' },
    at: sh('2026-09-23', '11:00'),
    rule: 'alreadyDone',
    instant: true,
  },

  { name: 'tell the subject without evidence', procedure: 'dishonesty-listing', filing: { conduct: 'c' }, steps: [[{ action: 'decide', ...LISTING_DECISION }, sh('2026-09-21', '11:00')]], refuse: { action: 'notify-subject' }, at: sh('2026-09-23'), rule: 'evidenceRequired' },
  {
    name: 'tell the subject twice',
    procedure: 'dishonesty-listing',
    filing: { conduct: 'c' },
    steps: [[{ action: 'decide', ...LISTING_DECISION }, sh('2026-09-21', '11:00')], [{ action: 'notify-subject', evidenceRef: 'EMS-1' }, sh('2026-09-22')]],
    refuse: { action: 'notify-subject', evidenceRef: 'EMS-2' },
    at: sh('2026-09-23'),
    rule: 'alreadyTold',
    instant: true,
  },

  { name: 'correct on the ¶3 path', procedure: 'information-correction', filing: {}, variant: 'basis-changed', receivedAt: sh('2026-09-30'), refuse: { action: 'correct', description: 'x' }, at: sh('2026-09-30', '15:00'), rule: 'wrongPath' },
  { name: 'file an update on the ¶1 path', procedure: 'information-correction', filing: {}, variant: 'standard', receivedAt: sh('2026-09-30'), refuse: { action: 'file-update' }, at: sh('2026-09-30', '15:00'), rule: 'wrongPath' },
  { name: 'push without evidence', procedure: 'information-correction', filing: {}, variant: 'standard', receivedAt: sh('2026-09-30'), steps: [[{ action: 'correct', description: 'x' }, sh('2026-10-08')]], refuse: { action: 'push-to-platform' }, at: sh('2026-10-08', '11:00'), rule: 'evidenceRequired' },

  { name: 'a statement on an Art. 39 objection', procedure: 'objection-review', filing: OBJECTION, refuse: { action: 'record-statement', kind: 'statement', text: 'x' }, at: sh('2026-09-21', '11:00'), rule: 'statementsOnList' },
  { name: 'decide before the mark', procedure: 'objection-review', filing: OBJECTION, refuse: { action: 'decide', outcome: 'rejected', reasons: 'x' }, at: sh('2026-09-21', '11:00'), rule: 'markBeforeDecision' },
  { name: 'refer an Art. 35 objection', procedure: 'objection-review', filing: { ...OBJECTION, listingCaseId: LISTING }, variant: 'serious-dishonesty-list', refuse: { action: 'refer', competentUnit: 'x' }, at: sh('2026-09-21', '11:00'), rule: 'noReferralOnList' },
  { name: 'mark twice', procedure: 'objection-review', filing: OBJECTION, steps: [[{ action: 'mark-disputed' }, sh('2026-09-21', '11:00')]], refuse: { action: 'mark-disputed' }, at: sh('2026-09-21', '12:00'), rule: 'onlyOnce', instant: true },

  { name: 'verified as kept with the materials outstanding', procedure: 'commitment-verification', filing: PROMISED, receivedAt: sh('2026-09-25'), refuse: { action: 'verify', outcome: 'kept', findings: 'f' }, at: sh('2026-09-28'), rule: 'materialsOutstanding' },
  {
    name: 'materials supplied after the period',
    procedure: 'commitment-verification',
    filing: PROMISED,
    receivedAt: sh('2026-09-25'),
    refuse: { action: 'materials-supplied', conforming: true, occurredAt: '2026-09-30T16:00:00.000Z' },
    at: sh('2026-10-09'),
    rule: 'materialsLate',
    instant: true,
  },

  { name: 'publish a score no evaluator declared for', procedure: 'property-rating', filing: RATING, refuse: { action: 'publish', score: 92 }, at: sh('2026-09-24'), rule: 'declarationMissing' },
  {
    name: 'declare twice',
    procedure: 'property-rating',
    filing: RATING,
    steps: [[{ action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 's' }, sh('2026-09-22')]],
    refuse: { action: 'declare-recusal', evaluator: 'A', conflict: false, statement: 's' },
    at: sh('2026-09-23'),
    rule: 'alreadyDeclared',
  },
];

describe('refusals of the newest version of each procedure, in both languages', () => {
  it('covers every procedure with at least two refusals', () => {
    for (const procedure of procedureIds) expect([procedure, SCENARIOS.filter((s) => s.procedure === procedure).length >= 2]).toEqual([procedure, true]);
  });

  it.each(SCENARIOS.map((s) => [`${s.procedure}: ${s.name}`, s] as const))('%s', (_label, s) => {
    const def = newest(s.procedure);
    const c = harness.file(def, s.filing, s.variant ?? def.defaultVariant, s.receivedAt ?? sh('2026-09-21'));
    for (const [body, now] of s.steps ?? []) harness.act(def, c, body, now);
    const refusal = refusalForAction(def, c, harness.parse(def, s.refuse), s.at);
    expect(refusal?.rule).toBe(ruleId(def, s.rule));
    expectBothLanguages(refusal as { message: string; messageZh?: string });
    if (s.instant) {
      expect(refusal!.message).toContain('(Beijing time)');
      expect(refusal!.messageZh).toContain('（北京时间）');
    }
  });
});

describe('eligibility hits at filing, in both languages', () => {
  const ended = { caseId: LISTING, procedure: 'dishonesty-listing', at: sh('2026-01-05'), until: null, active: false, endedAt: sh('2026-06-01') };
  const active = { ...ended, active: true, endedAt: null };
  const rows: [procedure: string, filing: Body, variant: string | undefined, receivedAt: string, creditStatus: CreditStatus, rule: string][] = [
    ['credit-repair', { listingCaseId: LISTING }, undefined, sh('2026-09-21'), status(), 'namesWhatItRepairs'],
    ['credit-repair', { commitmentCaseId: LISTING, reasonCode: 'pandemic-measure-32', conductDate: '2023-01-01' }, undefined, sh('2026-09-21'), status(), 'measure32Period'],
    ['objection-review', { ...OBJECTION, listingCaseId: LISTING }, 'serious-dishonesty-list', sh('2026-09-21'), status({ listings: [ended] }), 'namesListing'],
    ['commitment-verification', { licence: { number: 'L', decidedAt: '2022-06-30' } }, undefined, sh('2022-06-30'), status(), 'beforeRegulation'],
    ['commitment-verification', PROMISED, undefined, sh('2026-09-25'), status({ listed: true, listings: [active] }), 'listedSubject'],
    ['property-rating', { compound: { name: 'x', occupiedSince: '2026-03-22' } }, undefined, sh('2026-09-21'), status(), 'occupiedUnder6Months'],
  ];
  it.each(rows.map((r) => [`${r[0]}: ${r[5]}`, ...r] as const))('%s', (_label, procedure, filing, variant, receivedAt, creditStatus, rule) => {
    const def = newest(procedure);
    const hit = def.eligibility!({ filing: def.filing.parse(filing), variant: variant ?? def.defaultVariant, receivedAt, subject: { kind: 'organisation', name: 'x', idNumber: 'y' }, creditStatus });
    expect(hit?.rule).toBe(rule);
    expectBothLanguages(hit!);
  });
});

describe('filing problems and the filing schemas’ own messages, in both languages', () => {
  /** A filing each procedure's schemas accept (every version), to ask each definition's filingProblem about. */
  const SAMPLE: Record<string, Body> = {
    'objection-review': OBJECTION,
    'commitment-verification': { licence: { number: 'L', decidedAt: '2026-09-25' } },
    'credit-complaint': {},
    'credit-repair': { listingCaseId: LISTING },
    'dishonesty-listing': { conduct: 'c' },
    'information-correction': {},
    'property-rating': RATING,
  };

  it('every filing problem any definition finds in a sample filing, under any variant, is in both languages', () => {
    const problems = allKernelDefinitions().flatMap((def) =>
      def.filingProblem ? Object.keys(def.variants).map((variant) => def.filingProblem!(def.filing.parse(SAMPLE[def.procedure]), variant)).filter((p) => p !== null) : [],
    );
    // Not vacuous: an Art. 35 objection without its listing is a filing problem (objection review v3).
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expectBothLanguages(p!);
  });

  it.each([
    ['credit-repair', 2, {}, 'listingCaseId'],
    ['credit-repair', 2, { commitmentCaseId: LISTING, reasonCode: 'pandemic-measure-32' }, 'conductDate'],
    ['commitment-verification', 3, { licence: { number: 'L' } }, 'licence.decidedAt'],
    ['commitment-verification', 3, { ...PROMISED, licence: { number: 'L', decidedAt: '2026-09-25' } }, 'licence.decidedAt'],
    ['property-rating', 1, { ...RATING, company: { name: 'Co', uscc: '91350100M000100Y44' } }, 'company.uscc'],
    ['property-rating', 2, { ...RATING, company: { name: 'Co', uscc: '91350100M000100Y44' } }, 'company.uscc'],
  ] as const)('%s v%d: the custom message of %j at %s', (procedure, version, filing, field) => {
    const parsed = kernelDefinitionFor(procedure, version)!.filing.safeParse(filing);
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues.filter((i) => i.path.join('.') === field);
    expect(issues.map((i) => i.code)).toEqual(['custom']);
    expectBothLanguages({ message: issues[0].message, messageZh: (issues[0] as { params?: { messageZh?: string } }).params?.messageZh });
  });
});

describe('the procedures’ sources: no message without its Chinese', () => {
  const root = path.join(__dirname, '..', '..', 'procedures');
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const lines = files(root).flatMap((file) =>
    fs.readFileSync(file, 'utf8').split('\n').map((text, i, all) => ({ where: `${path.relative(root, file)}:${i + 1}`, text, next: all[i + 1] ?? '' })),
  );
  const code = lines.filter((l) => !/^\s*(\/\/|\*|\/\*\*)/.test(l.text));

  it('reads the definitions (not vacuous)', () => {
    expect(code.filter((l) => /\bmessage: /.test(l.text)).length).toBeGreaterThan(50);
  });

  it('every message built in procedures/ has its messageZh beside it (same line or the next)', () => {
    const bare = code.filter((l) => /\bmessage: /.test(l.text) && !l.text.includes('messageZh') && !l.next.includes('messageZh:'));
    expect(bare.map((l) => l.where)).toEqual([]);
  });

  it('every rule hit built with a helper carries Chinese', () => {
    const bare = code.filter((l) => /\bhit\('/.test(l.text) && !CJK.test(l.text));
    expect(bare.map((l) => l.where)).toEqual([]);
  });

  it('every custom zod message (refine, addIssue) is said in both languages', () => {
    const bare = code.filter((l) => /\.refine\(|addIssue\(/.test(l.text) && !l.text.includes('saying('));
    expect(bare.map((l) => l.where)).toEqual([]);
  });
});
