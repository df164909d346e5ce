import type { KernelProcedure } from './definition';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the kernel runs any procedure's data
export type AnyKernelProcedure = KernelProcedure<any, any>;

/* eslint-disable @typescript-eslint/no-require-imports, no-restricted-globals -- deferred imports, bundled by webpack like any other */
// ---------------------------------------------------------------- the registry: one line per procedure folder, named by its procedure
// Loaded on first use: a case's workflow evaluates every module it imports anew, so it evaluates only its own
// procedure's definitions (a cached credit-complaint case took 234 KiB of workflow heap with all seven, 113–127 KiB
// with its own; decision 0028).
const folders: Record<string, () => { versions: readonly unknown[] }> = {
  'objection-review': () => require('./objection-review'),
  'commitment-verification': () => require('./commitment-verification'),
  'credit-complaint': () => require('./credit-complaint'),
  'credit-repair': () => require('./credit-repair'),
  'dishonesty-listing': () => require('./dishonesty-listing'),
  'information-correction': () => require('./information-correction'),
  'property-rating': () => require('./property-rating'),
};
/* eslint-enable @typescript-eslint/no-require-imports, no-restricted-globals */
const loaded = new Map<string, AnyKernelProcedure[]>();

function definitionsOf(procedure: string): AnyKernelProcedure[] {
  if (!Object.prototype.hasOwnProperty.call(folders, procedure)) return [];
  let definitions = loaded.get(procedure);
  if (!definitions) {
    definitions = folders[procedure]().versions as AnyKernelProcedure[];
    loaded.set(procedure, definitions);
  }
  return definitions;
}

export const procedureIds: string[] = Object.keys(folders);

export function kernelDefinitionFor(procedure: string, version: number): AnyKernelProcedure | undefined {
  return definitionsOf(procedure).find((d) => d.procedure === procedure && d.version === version);
}

/** Every version of every procedure, newest first within a procedure. */
export function allKernelDefinitions(): AnyKernelProcedure[] {
  return procedureIds.flatMap(definitionsOf).sort((a, b) => a.procedure.localeCompare(b.procedure) || b.version - a.version);
}

/** The version a receipt on `date` (YYYY-MM-DD, Asia/Shanghai) falls under: the newest one valid that day. */
export function definitionForReceipt(procedure: string, date: string): AnyKernelProcedure | undefined {
  return allKernelDefinitions().find((d) => d.procedure === procedure && d.validFrom <= date && (!d.validTo || date <= d.validTo));
}
