import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { allKernelDefinitions } from '../../procedures';
import { outcomeText, suspensionReasonText } from '../../src/cases/labels';

// Every outcome a definition can close a case with reads in both languages: found in the definitions' own code
// (`k.close('…')`, including both arms of a conditional), so a new outcome without its text fails here.
const root = path.join(__dirname, '..', '..', 'procedures');
const closings = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'sources')
  .flatMap((d) =>
    readdirSync(path.join(root, d.name))
      .filter((f) => /^v\d+\.ts$/.test(f))
      .flatMap((f) => {
        const source = readFileSync(path.join(root, d.name, f), 'utf8');
        // The argument without its conditions (`measure === 'revoke-licence' ? 'revoked' : 'penalised'`): its outcomes.
        const calls = [...source.matchAll(/\.close\(([^;]*?)\);/g)].map((m) => m[1].replace(/[\w.]+ [!=]== '[^']*'/g, ''));
        return calls.flatMap((call) => [...call.matchAll(/'([a-z-]+)'/g)].map((m) => [d.name, m[1]] as const));
      }),
  );

test('the scan finds the closings of every procedure', () => {
  expect(new Set(closings.map(([procedure]) => procedure))).toEqual(new Set(allKernelDefinitions().map((d) => d.procedure)));
});

test.each([...new Set(closings.map(([procedure, code]) => `${procedure} ${code}`))].map((pair) => pair.split(' ')))('%s closes with %s, which has a Chinese and an English text', (procedure, code) => {
  expect(outcomeText(procedure, code, 'zh')).toMatch(/[\u4e00-\u9fff]/);
  expect(outcomeText(procedure, code, 'en')).not.toMatch(/[\u4e00-\u9fff]/);
  expect(outcomeText(procedure, code, 'en')).not.toBe(code);
});

test('an unknown outcome reads as its code', () => {
  expect(outcomeText('objection-review', 'no-such-outcome', 'zh')).toBe('no-such-outcome');
});

test("a suspension reason reads as its definition names it, in the caller's language", () => {
  const def = allKernelDefinitions().find((d) => d.suspensionReasons.length > 0)!;
  const reason = def.suspensionReasons[0];
  expect(suspensionReasonText(def.procedure, def.version, reason.code, 'zh')).toBe(reason.labelZh);
  expect(suspensionReasonText(def.procedure, def.version, reason.code, 'en')).toBe(reason.label);
  expect(suspensionReasonText(def.procedure, def.version, 'no-such-reason', 'zh')).toBe('no-such-reason');
});
