/**
 * Every quote verbatim, every citation resolvable (A12). The official texts the definitions cite are kept in the
 * repository as data (procedures/sources/*.txt: a header line of ours, then the document verbatim).
 *
 * What counts as a quote (the extraction rule): in every string of every definition version (basis, variants, clocks
 * except their `labelZh`, rules, actions' label and basis, escalation, extensions, suspension reasons except `labelZh`)
 * and in every exported string constant of the procedure modules, every maximal run of Chinese text — Han characters,
 * CJK and full-width punctuation (，。；：、（）“”「」《》〔〕…), ASCII digits and the ASCII punctuation , ; : ( ) —
 * trimmed to begin and end with a Han character. A run of 6 or more Han characters is a quote and must be found in
 * the texts; a shorter run is a quote only inside “…” / 「…」 or in parentheses — "(异议)", "(临期提醒)" — and is
 * checked the same way. An ellipsis (… or ……) separates fragments, each checked on its own. `labelZh` and `titleZh` are
 * our Chinese names for a step, not quotes. Texts and quotes are compared after normalising only punctuation width
 * (，→, ；→; ：→: （→( ）→) and the like) and dropping whitespace.
 *
 * Citations: every "Art. N" and "Art. N ¶M" (a bare "¶M" refers to the last article cited before it in the same
 * string; "Art. N-M" cites N and M) must exist in the document it cites: the last document named before it in the
 * string, or else the definition's own first basis. Articles are 第N条 headings in the text; paragraphs of the
 * regulation are separated by a space in the official text (chapter headings 第N章 are not paragraphs). Laws we do not
 * hold (Civil Code, Administrative Licensing Law) are not checked.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as procedures from '../../procedures';
import { allKernelDefinitions, type AnyKernelProcedure } from '../../procedures';
import * as commitmentV1 from '../../procedures/commitment-verification/v1';
import * as commitmentV2 from '../../procedures/commitment-verification/v2';
import * as complaintV1 from '../../procedures/credit-complaint/v1';
import * as complaintV2 from '../../procedures/credit-complaint/v2';
import * as repairV1 from '../../procedures/credit-repair/v1';
import * as repairV2 from '../../procedures/credit-repair/v2';
import * as listingV1 from '../../procedures/dishonesty-listing/v1';
import * as listingV2 from '../../procedures/dishonesty-listing/v2';
import * as correctionV1 from '../../procedures/information-correction/v1';
import * as correctionV2 from '../../procedures/information-correction/v2';
import * as objectionV2 from '../../procedures/objection-review/v2';
import * as objectionV3 from '../../procedures/objection-review/v3';
import * as rating from '../../procedures/property-rating/rating';
import * as ratingV1 from '../../procedures/property-rating/v1';
import * as ratingV2 from '../../procedures/property-rating/v2';
import * as regulation from '../../procedures/regulation';

const SOURCES = path.join(__dirname, '..', '..', 'procedures', 'sources');
const body = (file: string) => fs.readFileSync(path.join(SOURCES, file), 'utf8').split('\n').slice(1).join('\n');

const WIDTH: Record<string, string> = { '，': ',', '；': ';', '：': ':', '（': '(', '）': ')', '！': '!', '？': '?', '　': '' };
export const normalise = (s: string) => s.replace(/[，；：（）！？　]/g, (c) => WIDTH[c]).replace(/\s+/g, '');

interface Document {
  file: string;
  /** How a string names the document: its constant's text, its Chinese title or its English short name. */
  names: string[];
}
const DOCUMENTS: Document[] = [
  { file: 'heilongjiang-social-credit-regulation-2022.txt', names: [regulation.REGULATION, '黑龙江省社会信用条例', 'Social Credit Regulation'] },
  { file: 'jiangbei-property-star-rating-2022.txt', names: [regulation.JIANGBEI, '星级评定管理办法', 'Jiangbei'] },
  { file: 'harbin-2022-measures.txt', names: ['Harbin 2022', 'Harbin measure', '哈尔滨市应对疫情影响'] },
  { file: 'shangzhi-2021-report.txt', names: [commitmentV1.SHANGZHI, 'Shangzhi'] },
];
/** Laws the definitions cite that the repository does not hold: their article numbers are not checked. */
const NOT_HELD = ['Civil Code', 'Administrative Licensing Law'];

const texts = DOCUMENTS.map((d) => normalise(body(d.file)));

const HAN = '\\p{Script=Han}';
const RUN = new RegExp(`[${HAN}0-9，。；：、（）“”「」《》〔〕,;:()]+`, 'gu');
const TRIM = new RegExp(`^[^${HAN}]+|[^${HAN}]+$`, 'gu');
const hanCount = (s: string) => [...s.matchAll(new RegExp(HAN, 'gu'))].length;

/** The quotes of one string, by the rule above. */
export function quotesOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(RUN)) {
    const run = m[0].replace(TRIM, '');
    if (!run) continue;
    const before = text.slice(0, m.index! + m[0].indexOf(run)).replace(/\s+$/, '');
    const marked = /[“「(（]$/.test(before) || /[“「(（][^“”「」()（）]*$/.test(before) || /^[(（“「]/.test(m[0]);
    if (hanCount(run) >= 6 || marked) out.push(run);
  }
  return out;
}

// ---------------------------------------------------------------- articles and paragraphs of a document
export function chineseNumber(n: number): string {
  const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n < 10) return digits[n];
  if (n < 20) return `十${n % 10 ? digits[n % 10] : ''}`;
  if (n < 100) return `${digits[Math.floor(n / 10)]}十${n % 10 ? digits[n % 10] : ''}`;
  return `${digits[Math.floor(n / 100)]}百${n % 100 === 0 ? '' : n % 100 < 10 ? `零${digits[n % 10]}` : chineseNumber(n % 100).replace(/^十/, '一十')}`;
}

/**
 * The paragraphs of each article, read in order: article N+1's heading is the first 第N+1条 after article N's that is
 * followed by a space or 【 (a heading; "依照本条例第三十五条规定" in a text is a reference, not a heading).
 */
export function articlesOf(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const headingAt = (n: number, from: number) => {
    const m = new RegExp(`第${chineseNumber(n)}条(?=[ 【])`, 'g');
    m.lastIndex = from;
    return m.exec(text)?.index ?? -1;
  };
  let from = 0;
  for (let n = 1; ; n += 1) {
    const heading = `第${chineseNumber(n)}条`;
    const at = headingAt(n, from);
    if (at < 0) break;
    const next = headingAt(n + 1, at + heading.length);
    const raw = text.slice(at + heading.length, next < 0 ? undefined : next);
    const paragraphs: string[] = [];
    for (const part of raw.replace(/第[一二三四五六七八九十]+章 \S+\s*$/, '').split(/ +/)) {
      if (!part.trim()) continue;
      // An item ((一), (二), …) belongs to the paragraph that introduces it: it is not a paragraph of its own.
      if (/^[(（][一二三四五六七八九十]+[)）]/.test(part) && paragraphs.length) paragraphs[paragraphs.length - 1] += ` ${part}`;
      else paragraphs.push(part.trim());
    }
    out.set(n, paragraphs);
    from = at + heading.length;
  }
  return out;
}
const articles = DOCUMENTS.map((d) => articlesOf(body(d.file)));

// ---------------------------------------------------------------- what the definitions say
interface Said {
  where: string;
  text: string;
  /** The document a citation with no document named refers to. */
  home: number;
}
function stringsOf(value: unknown, where: string, home: number, out: Said[] = []): Said[] {
  if (typeof value === 'string') out.push({ where, text: value, home });
  else if (Array.isArray(value)) value.forEach((v, i) => stringsOf(v, `${where}[${i}]`, home, out));
  else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) if (k !== 'labelZh' && k !== 'titleZh') stringsOf(v, `${where}.${k}`, home, out);
  }
  return out;
}
const homeOf = (def: AnyKernelProcedure) => Math.max(0, DOCUMENTS.findIndex((d) => d.names.some((n) => def.basis[0]?.includes(n))));
function definitionStrings(def: AnyKernelProcedure): Said[] {
  const home = homeOf(def);
  const name = `${def.procedure} v${def.version}`;
  return [
    ...stringsOf(def.basis, `${name} basis`, home),
    ...stringsOf(def.variants, `${name} variants`, home),
    ...stringsOf(def.clocks, `${name} clocks`, home),
    ...stringsOf(def.rules, `${name} rules`, home),
    ...stringsOf(Object.fromEntries(Object.entries(def.actions).map(([k, a]) => [k, { label: a.label, basis: a.basis }])), `${name} actions`, home),
    ...stringsOf(def.escalation, `${name} escalation`, home),
    ...stringsOf(def.extensions, `${name} extensions`, home),
    ...stringsOf(def.suspensionReasons, `${name} suspensionReasons`, home),
  ];
}
const MODULES: Record<string, Record<string, unknown>> = {
  'procedures/regulation': regulation,
  'procedures/commitment-verification/v1': commitmentV1,
  'procedures/commitment-verification/v2': commitmentV2,
  'procedures/credit-complaint/v1': complaintV1,
  'procedures/credit-complaint/v2': complaintV2,
  'procedures/credit-repair/v1': repairV1,
  'procedures/credit-repair/v2': repairV2,
  'procedures/dishonesty-listing/v1': listingV1,
  'procedures/dishonesty-listing/v2': listingV2,
  'procedures/information-correction/v1': correctionV1,
  'procedures/information-correction/v2': correctionV2,
  'procedures/objection-review/v2': objectionV2,
  'procedures/objection-review/v3': objectionV3,
  'procedures/property-rating/rating': rating,
  'procedures/property-rating/v1': ratingV1,
  'procedures/property-rating/v2': ratingV2,
};
/** Exported texts that are ours, not quotes: each with the reason. */
const DRAFTED: Record<string, string> = {
  'procedures/dishonesty-listing/v2 DEFAULT_REMEDIES_ZH': 'the default remedies sentence of a listing decision, drafted by the unit (it names the regulation in 《》), not a quote',
};
const constants: Said[] = Object.entries(MODULES).flatMap(([mod, exports]) =>
  Object.entries(exports).flatMap(([k, v]) =>
    typeof v === 'string' && !DRAFTED[`${mod} ${k}`] ? stringsOf(v, `${mod} ${k}`, mod.includes('property-rating') ? 1 : 0) : [],
  ),
);
const said: Said[] = [...allKernelDefinitions().flatMap(definitionStrings), ...constants];

function unfound(of: Said[] = said): { where: string; quote: string }[] {
  return of.flatMap(({ where, text }) => quotesOf(text).filter((q) => !texts.some((t) => t.includes(normalise(q)))).map((quote) => ({ where, quote })));
}

/** Every citation of one string: [document index or null when not held, article, paragraph or null]. */
export function citationsOf(text: string, home: number): { doc: number | null; article: number; paragraph: number | null; cited: string }[] {
  const out: { doc: number | null; article: number; paragraph: number | null; cited: string }[] = [];
  let last: { doc: number | null; article: number } | null = null;
  for (const m of text.matchAll(/Art\. ?(\d+)(?:-(\d+))?(?: ?¶ ?(\d+))?|¶ ?(\d+)/g)) {
    const before = text.slice(0, m.index);
    if (m[4] !== undefined) {
      if (last) out.push({ ...last, paragraph: Number(m[4]), cited: `${m[0]} (of Art. ${last.article})` });
      continue;
    }
    const named = [
      ...DOCUMENTS.flatMap((d, i) => d.names.map((n) => ({ doc: i as number | null, at: before.lastIndexOf(n) }))),
      ...NOT_HELD.map((n) => ({ doc: null as number | null, at: before.lastIndexOf(n) })),
    ].filter((x) => x.at >= 0);
    const doc = named.length ? named.sort((a, b) => b.at - a.at)[0].doc : home;
    const first = Number(m[1]);
    const lastArticle = m[2] ? Number(m[2]) : first;
    for (let a = first; a <= lastArticle; a += 1) out.push({ doc, article: a, paragraph: m[3] ? Number(m[3]) : null, cited: m[0] });
    last = { doc, article: first };
  }
  return out;
}

function unresolved(of: Said[] = said): { where: string; cited: string }[] {
  return of.flatMap(({ where, text, home }) =>
    citationsOf(text, home)
      .filter((c) => c.doc !== null)
      .filter((c) => {
        const paragraphs = articles[c.doc!].get(c.article);
        return !paragraphs || (c.paragraph !== null && (c.paragraph < 1 || c.paragraph > paragraphs.length));
      })
      .map((c) => ({ where, cited: `${DOCUMENTS[c.doc!].file}: ${c.cited}` })),
  );
}

describe('the source texts', () => {
  it('hold every document verbatim with one header line, and nothing points outside the repository', () => {
    for (const d of DOCUMENTS) {
      const raw = fs.readFileSync(path.join(SOURCES, d.file), 'utf8');
      expect([d.file, raw.startsWith('# '), raw.split('\n').length >= 3]).toEqual([d.file, true, true]);
      expect(raw).not.toMatch(/\/work\/|\.\.\/shared/);
    }
  });

  it('reads articles and paragraphs (paragraphs separated by a space; chapter headings dropped)', () => {
    const reg = articles[0];
    expect(reg.get(38)).toHaveLength(3);
    expect(reg.get(38)![2]).toMatch(/^认定失信行为的依据被撤销/);
    expect(reg.get(39)).toHaveLength(3);
    expect(reg.get(41)).toHaveLength(2);
    expect(reg.get(41)![1]).toMatch(/书面答复投诉人。$/);
    expect(reg.get(36)).toHaveLength(1);
    expect(reg.get(55)).toBeDefined();
    expect(reg.get(56)).toBeUndefined();
    expect(articles[1].get(15)).toHaveLength(1);
    expect([reg.size, articles[1].size]).toEqual([55, 15]);
    expect(chineseNumber(41)).toBe('四十一');
    expect(chineseNumber(12)).toBe('十二');
  });

  it('extracts quotes by the documented rule', () => {
    expect(quotesOf('Reg Art. 41: 自受理之日起二十个工作日内书面答复')).toEqual(['自受理之日起二十个工作日内书面答复']);
    expect(quotesOf('(临期提醒) and “本办法自2022年7月1日起施行,有效期2年” (in force)')).toEqual(['临期提醒', '本办法自2022年7月1日起施行,有效期2年']);
    expect(quotesOf('a…b 非公共信用信息采集单位…自发现之日起三个工作日内依法依约更正')).toEqual(['非公共信用信息采集单位', '自发现之日起三个工作日内依法依约更正']);
    expect(quotesOf('labels 异议 only')).toEqual([]);
    expect(citationsOf('X Art. 38: ¶1 and ¶3; Art. 45-46; Civil Code Art. 203; Jiangbei Art. 15', 0)).toEqual([
      { doc: 0, article: 38, paragraph: null, cited: 'Art. 38' },
      { doc: 0, article: 38, paragraph: 1, cited: '¶1 (of Art. 38)' },
      { doc: 0, article: 38, paragraph: 3, cited: '¶3 (of Art. 38)' },
      { doc: 0, article: 45, paragraph: null, cited: 'Art. 45-46' },
      { doc: 0, article: 46, paragraph: null, cited: 'Art. 45-46' },
      { doc: null, article: 203, paragraph: null, cited: 'Art. 203' },
      { doc: 1, article: 15, paragraph: null, cited: 'Art. 15' },
    ]);
  });
});

describe('the definitions', () => {
  it('are all read, with their exported constants', () => {
    expect(said.some((s) => s.where.startsWith('credit-complaint v2'))).toBe(true);
    expect(said.some((s) => s.where === 'procedures/credit-repair/v1 HARBIN_MEASURE_32')).toBe(true);
    expect(Object.keys(procedures).length).toBeGreaterThan(0);
    expect(said.flatMap((s) => citationsOf(s.text, s.home)).filter((c) => c.paragraph !== null).length).toBeGreaterThan(20);
  });

  it('would name a quote not in the texts and an article or paragraph that does not exist', () => {
    const bad: Said[] = [
      { where: 'x', text: `${regulation.REGULATION} Art. 38 ¶4: 应当自发现之日起三个工作日内更正`, home: 0 },
      { where: 'y', text: 'Jiangbei Art. 16', home: 0 },
      { where: 'z', text: `${regulation.REGULATION} Art. 41 ¶2: 自受理之日起二十个工作日内书面答复投诉人; Civil Code Art. 999`, home: 0 },
    ];
    expect(unfound(bad)).toEqual([{ where: 'x', quote: '应当自发现之日起三个工作日内更正' }]);
    expect(unresolved(bad)).toEqual([
      { where: 'x', cited: 'heilongjiang-social-credit-regulation-2022.txt: Art. 38 ¶4' },
      { where: 'y', cited: 'jiangbei-property-star-rating-2022.txt: Art. 16' },
    ]);
  });

  it('quote only what the texts say, verbatim', () => {
    expect(unfound()).toEqual([]);
  });

  it('cite only articles and paragraphs that exist', () => {
    expect(unresolved()).toEqual([]);
  });
});
