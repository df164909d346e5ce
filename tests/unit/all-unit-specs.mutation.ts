// The mutation run's single test file: it loads the unit specs into one Jest module registry, so each mutant costs
// one load of the kernel and the procedures instead of one per spec file (measured: 2.9 s for the whole unit suite
// against 10 s as separate files). A run asked for some tests only (a mutant's run) loads only the specs that register
// them (tests/support/bail-environment.js keeps which spec registers which test). Not matched by `npm test`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { forgetLazySchemas } from '../../src/domain/kernel/schema';

beforeEach(forgetLazySchemas);

const run = (globalThis as { __mutationRun?: { mapFile: string; pattern: string | null } }).__mutationRun;
const specs = readdirSync(__dirname)
  .filter((name) => name.endsWith('.spec.ts'))
  .sort();

function specsHolding(pattern: string, mapFile: string): string[] | null {
  if (!existsSync(mapFile)) return null;
  const testsOf = JSON.parse(readFileSync(mapFile, 'utf8')) as Record<string, string[]>;
  const wanted = new RegExp(pattern, 'i');
  const holding = specs.filter((spec) => testsOf[spec]?.some((name) => wanted.test(name)));
  return holding.length ? holding : null;
}

const toLoad = (run?.pattern && specsHolding(run.pattern, run.mapFile)) || specs;
for (const spec of toLoad) {
  (globalThis as { __currentSpec?: string }).__currentSpec = spec;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the specs register their tests when loaded, in order
  require(`./${spec}`);
}
