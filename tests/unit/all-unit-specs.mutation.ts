// The mutation run's single test file: it loads every unit spec into one Jest module registry, so each mutant costs
// one load of the kernel and the procedures instead of one per spec file (measured: 2.9 s for the whole unit suite
// against 10 s as separate files; about 1 s for a mutant's filtered run). Not matched by `npm test` (*.spec.ts).
import { readdirSync } from 'node:fs';
import { forgetLazySchemas } from '../../src/domain/kernel/schema';

beforeEach(forgetLazySchemas);

for (const spec of readdirSync(__dirname).filter((name) => name.endsWith('.spec.ts')).sort()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the specs register their tests when loaded, in order
  require(`./${spec}`);
}
