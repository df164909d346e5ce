import { allKernelDefinitions } from '../../procedures';
import { actionNames, actionSchema } from '../domain/kernel/case-kernel';
import { jsonSchemaOf } from '../domain/kernel/schema';

/** What GET /procedures says of each published definition: its legal basis per clock and action, and its schemas. */
export function describeProcedures() {
  return {
    items: allKernelDefinitions().map((d) => ({
      procedure: d.procedure,
      version: d.version,
      title: d.title,
      titleZh: d.titleZh,
      basis: d.basis,
      validFrom: d.validFrom,
      validTo: d.validTo ?? null,
      variants: Object.entries(d.variants).map(([variant, v]) => ({ variant, ...v, default: variant === d.defaultVariant })),
      clocks: Object.entries(d.clocks).map(([key, c]) => ({
        key,
        label: c.label,
        labelZh: c.labelZh,
        kind: c.kind,
        basis: c.basis,
        period: c.period ?? null,
        policy: c.policy ?? null,
        suspensionReasons: c.suspensionReasons ?? [],
      })),
      actions: actionNames(d).map((action) => ({
        action,
        basis: d.actions[action]?.basis ?? kernelActionBasis(action, d.extensions.basis),
        schema: jsonSchemaOf(actionSchema(d, action)!),
      })),
      filing: jsonSchemaOf(d.filing),
      extensions: d.extensions,
      suspensionReasons: d.suspensionReasons,
    })),
  };
}

function kernelActionBasis(action: string, extensionBasis: string): string {
  if (action === 'extend') return `TIME-RULES rule 7; ${extensionBasis}`;
  return 'TIME-RULES rule 6: only the suspension reasons a clock\'s article provides';
}
