import * as commitmentVerification from './commitment-verification';
import * as creditComplaint from './credit-complaint';
import * as creditRepair from './credit-repair';
import * as dishonestyListing from './dishonesty-listing';
import * as informationCorrection from './information-correction';
import * as objectionReview from './objection-review';
import * as propertyRating from './property-rating';
import type { KernelProcedure } from './definition';

// ---------------------------------------------------------------- the registry: one line per procedure folder
const folders: { versions: readonly unknown[] }[] = [objectionReview, commitmentVerification, creditComplaint, creditRepair, dishonestyListing, informationCorrection, propertyRating];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the kernel runs any procedure's data
export type AnyKernelProcedure = KernelProcedure<any, any>;
const kernelDefinitions = folders.flatMap((f) => f.versions) as AnyKernelProcedure[];

export const procedureIds: string[] = [...new Set(kernelDefinitions.map((d) => d.procedure))];

export function kernelDefinitionFor(procedure: string, version: number): AnyKernelProcedure | undefined {
  return kernelDefinitions.find((d) => d.procedure === procedure && d.version === version);
}

/** Every version of every procedure, newest first within a procedure. */
export function allKernelDefinitions(): AnyKernelProcedure[] {
  return [...kernelDefinitions].sort((a, b) => a.procedure.localeCompare(b.procedure) || b.version - a.version);
}

/** The version a receipt on `date` (YYYY-MM-DD, Asia/Shanghai) falls under: the newest one valid that day. */
export function definitionForReceipt(procedure: string, date: string): AnyKernelProcedure | undefined {
  return allKernelDefinitions().find((d) => d.procedure === procedure && d.validFrom <= date && (!d.validTo || date <= d.validTo));
}
