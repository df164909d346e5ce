/**
 * Every legal basis the service shows a user cites something the user can read: a provision (Civil Code Art. 203,
 * Administrative Licensing Law Art. 82, the procedure's article) or a section of the project's docs that exists
 * (`docs/time-rules.md#suspension`). "TIME-RULES rule N" named a document users do not have, numbered unlike the
 * README's list (a refusal to resume read "TIME-RULES rule 6", the README's explanation rule).
 */
import * as fs from 'fs';
import * as path from 'path';
import { allKernelDefinitions } from '../../procedures';
import { describeProcedures } from '../../src/cases/procedures.service';
import { Calendar } from '../../src/domain/calendar';
import { KERNEL_RULES } from '../../src/domain/kernel/case-kernel';
import { computeDeadline } from '../../src/domain/periods';

const ROOT = path.join(__dirname, '..', '..');

/** GitHub's heading anchors: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(doc: string): Set<string> {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1])));
}

/** Every string of a definition: plain objects and arrays are walked; zod schemas and functions are not data. */
function stringsOf(value: unknown, where: string, out: { where: string; text: string }[] = []) {
  if (typeof value === 'string') out.push({ where, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => stringsOf(v, `${where}[${i}]`, out));
  else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) stringsOf(v, `${where}.${k}`, out);
  }
  return out;
}

const calendar = Calendar.fromSeed(JSON.parse(fs.readFileSync(path.join(ROOT, 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')));

/**
 * The texts checked, gathered inside each test (not at module load): mutation testing (npm run mutation) then sees
 * which test runs which code, instead of counting the kernel and the period engine as run by every test.
 */
function gather() {
  const suspended = computeDeadline(calendar, {
    start: '2026-03-02T02:00:00.000Z',
    period: { workingDays: 5 },
    startEvent: 'received',
    suspensions: [{ from: '2026-03-03T02:00:00.000Z', to: '2026-03-04T02:00:00.000Z', reason: 'testing' }],
  });
  const sources = [
    ...Object.entries(KERNEL_RULES).flatMap(([key, rule]) => stringsOf(rule, `KERNEL_RULES.${key}`)),
    ...allKernelDefinitions().flatMap((d) =>
      (['basis', 'variants', 'clocks', 'rules', 'actions', 'extensions', 'escalation', 'suspensionReasons'] as const).flatMap((part) =>
        stringsOf(part === 'actions' ? Object.fromEntries(Object.entries(d.actions).map(([k, a]) => [k, { label: a.label, basis: a.basis }])) : d[part], `${d.procedure} v${d.version} ${part}`),
      ),
    ),
    ...stringsOf(describeProcedures(), 'GET /procedures'),
    ...stringsOf(suspended.explanation, 'explanation of a suspended period'),
  ];
  const citations = sources.flatMap(({ where, text }) => [...text.matchAll(/(docs\/[\w./-]+\.md)#([\w-]+)/g)].map((m) => ({ where, doc: m[1], anchor: m[2] })));
  return { sources, citations };
}

describe('citations', () => {
  it('reads the headings of docs/time-rules.md as GitHub anchors', () => {
    expect(anchorOf('Calendar days, months and years')).toBe('calendar-days-months-and-years');
    expect([...anchorsOf('docs/time-rules.md')]).toEqual(
      expect.arrayContaining(['time-zone', 'working-days', 'within-n-working-days', 'calendar-days-months-and-years', 'suspension', 'extension', 'calendar-coverage', 'explanation', 'warnings-and-escalation']),
    );
  });

  it('finds the kernel rules, every definition and the explanations among the texts checked', () => {
    const { sources, citations } = gather();
    expect(sources.some((s) => s.where === 'KERNEL_RULES.notSuspended.basis')).toBe(true);
    expect(sources.some((s) => s.where.startsWith('property-rating v1 clocks'))).toBe(true);
    expect(citations.some((c) => c.where.startsWith('KERNEL_RULES.') && c.anchor === 'suspension')).toBe(true);
    expect(citations.some((c) => c.where.startsWith('explanation of a suspended period') && c.anchor === 'suspension')).toBe(true);
  });

  it('cites no "TIME-RULES" anywhere in a basis, a rule or an explanation', () => {
    const { sources } = gather();
    expect(sources.filter((s) => s.text.includes('TIME-RULES'))).toEqual([]);
  });

  it('every docs/…#anchor cited resolves to a heading of that document', () => {
    const { citations } = gather();
    const unresolved = citations.filter((c) => !fs.existsSync(path.join(ROOT, c.doc)) || !anchorsOf(c.doc).has(c.anchor));
    expect(unresolved).toEqual([]);
  });
});
