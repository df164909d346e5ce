import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { allKernelDefinitions, definitionForReceipt, kernelDefinitionFor, procedureIds } from '../../procedures';

// The registry loads a procedure's folder on first use, by the procedure's name: a folder whose definitions name
// another procedure, or a folder left out, would make cases of that procedure unknown to their workflow.
describe('the procedure registry (loaded per procedure on first use)', () => {
  const folders = readdirSync(path.join(__dirname, '..', '..', 'procedures')).filter(
    (f) => statSync(path.join(__dirname, '..', '..', 'procedures', f)).isDirectory() && f !== 'sources',
  );

  it('names every procedure folder, and each folder holds only definitions of the procedure it is named after', () => {
    expect([...procedureIds].sort()).toEqual([...folders].sort());
    for (const id of procedureIds) {
      const versions = allKernelDefinitions().filter((d) => d.procedure === id);
      expect({ id, versions: versions.length > 0 }).toEqual({ id, versions: true });
      for (const d of versions) expect(kernelDefinitionFor(id, d.version)).toBe(d);
    }
    expect(new Set(allKernelDefinitions().map((d) => d.procedure))).toEqual(new Set(procedureIds));
  });

  it('finds nothing for an unknown procedure or version, including names of Object.prototype', () => {
    for (const name of ['no-such-procedure', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      expect(kernelDefinitionFor(name, 1)).toBeUndefined();
      expect(definitionForReceipt(name, '2026-06-01')).toBeUndefined();
    }
    expect(kernelDefinitionFor('credit-complaint', 999)).toBeUndefined();
    expect(kernelDefinitionFor('credit-complaint', 1)?.procedure).toBe('credit-complaint');
  });

  it('lists every version, newest first within a procedure', () => {
    const all = allKernelDefinitions();
    for (let i = 1; i < all.length; i++) {
      if (all[i].procedure === all[i - 1].procedure) expect(all[i].version).toBeLessThan(all[i - 1].version);
      else expect(all[i].procedure.localeCompare(all[i - 1].procedure)).toBeGreaterThan(0);
    }
  });
});
