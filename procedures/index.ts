import { objectionReviewV1, ObjectionReviewDefinition } from './objection-review.v1';

export type ProcedureDefinition = ObjectionReviewDefinition;

/** Every published version stays here: running cases keep the version they were filed under. */
const definitions: ProcedureDefinition[] = [objectionReviewV1];

export const procedureIds: string[] = [...new Set(definitions.map((d) => d.procedure))];

export function latestDefinition(procedure: string): ProcedureDefinition | undefined {
  return definitions.filter((d) => d.procedure === procedure).sort((a, b) => b.version - a.version)[0];
}

export function definitionFor(procedure: string, version: number): ProcedureDefinition | undefined {
  return definitions.find((d) => d.procedure === procedure && d.version === version);
}

export { objectionReviewV1 };
