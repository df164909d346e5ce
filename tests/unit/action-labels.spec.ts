/**
 * The app is Chinese first: every action and variant a user picks from carries a Chinese label. Typing makes
 * `labelZh` present; these tests make it Chinese (an English or empty string copied in would pass the type).
 */
import { allKernelDefinitions } from '../../procedures';
import { describeProcedures } from '../../src/cases/procedures.service';
import { BUILT_IN } from '../../src/domain/kernel/built-in-actions';

const CHINESE = /[\u4e00-\u9fff]/;
const notChinese = (labels: [string, string | undefined][]) => labels.filter(([, zh]) => !zh || !CHINESE.test(zh)).map(([where]) => where);

test('every action and variant of every registered definition has a Chinese label', () => {
  const labels = allKernelDefinitions().flatMap((d): [string, string | undefined][] => [
    ...Object.entries(d.actions).map(([name, a]): [string, string | undefined] => [`${d.procedure} v${d.version} action ${name}`, a.labelZh]),
    ...Object.entries(d.variants).map(([name, v]): [string, string | undefined] => [`${d.procedure} v${d.version} variant ${name}`, v.labelZh]),
  ]);
  expect(labels.length).toBeGreaterThan(0);
  expect(notChinese(labels)).toEqual([]);
});

test("every one of the kernel's own actions has a Chinese label", () => {
  expect(notChinese(Object.entries(BUILT_IN).map(([name, a]) => [name, a.labelZh]))).toEqual([]);
});

test('GET /procedures gives each action (built-in ones included) and each variant its English and Chinese labels', () => {
  for (const d of describeProcedures().items) {
    for (const a of d.actions) expect({ action: a.action, label: a.label.length > 0, zh: CHINESE.test(a.labelZh) }).toEqual({ action: a.action, label: true, zh: true });
    for (const v of d.variants) expect({ variant: v.variant, label: v.label.length > 0, zh: CHINESE.test(v.labelZh) }).toEqual({ variant: v.variant, label: true, zh: true });
    expect(d.actions.map((a) => a.action)).toEqual(expect.arrayContaining(Object.keys(BUILT_IN)));
  }
});
