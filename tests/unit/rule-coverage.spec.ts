import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { allKernelDefinitions } from '../../procedures';
import { KERNEL_RULES } from '../../src/domain/kernel/case-kernel';

// Every refusal rule of every definition is triggered by some test, and every clock, action and rule names its basis.
const testsDir = path.join(__dirname, '..');
function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return testSources(full);
    return name.endsWith('.spec.ts') && full !== __filename ? [readFileSync(full, 'utf8')] : [];
  });
}
const sources = testSources(testsDir);
const triggered = (id: string) => sources.some((s) => s.includes(`'${id}'`) || s.includes(`"${id}"`));

const definitions = allKernelDefinitions();

describe.each(definitions.map((d) => [`${d.procedure} v${d.version}`, d] as const))('%s', (_name, def) => {
  it('has every rule triggered by a test, each with its basis', () => {
    const rules = Object.values(def.rules);
    expect(rules.filter((r) => r.basis.length < 10).map((r) => r.id)).toEqual([]);
    expect(rules.filter((r) => !triggered(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('names the legal basis of every clock and action, and is valid from a date', () => {
    for (const [key, clock] of Object.entries(def.clocks)) expect([key, clock.basis.length > 10]).toEqual([key, true]);
    for (const [key, action] of Object.entries(def.actions)) expect([key, action.basis.length > 5]).toEqual([key, true]);
    expect(def.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

it.each(Object.values(KERNEL_RULES).map((r) => [r.id] as const))('kernel rule %s is triggered by a test', (id) => {
  expect(triggered(id)).toBe(true);
});
