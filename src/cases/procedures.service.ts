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
  if (action === 'extend') return `docs/time-rules.md#extension; ${extensionBasis}`;
  return 'docs/time-rules.md#suspension: only the suspension reasons a clock\'s article provides';
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };
const strip = (s: unknown): JsonSchema => {
  const { $schema: _ignored, ...rest } = s as JsonSchema;
  return rest;
};

const COMMON_FILING: Record<string, unknown> = {
  idempotencyKey: { type: 'string', minLength: 1, maxLength: 200, description: 'Client-chosen key, unique per procedure; the same key again answers 409 with the existing case' },
  receivedAt: { type: 'string', description: 'ISO 8601 instant with offset, or YYYY-MM-DD (Asia/Shanghai); past dates are late entry' },
  subject: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      uscc: { type: 'string', description: 'Unified social credit code (GB 32100), organisations' },
      idNumber: { type: 'string', description: 'Resident identity number (GB 11643), natural persons' },
    },
  },
  unitId: { type: 'string', default: 'default-unit' },
  actor: { type: 'string', default: 'caseworker' },
  evidenceRef: { type: 'string' },
};
const COMMON_ACTION: Record<string, unknown> = {
  actor: { type: 'string', default: 'caseworker' },
  occurredAt: { type: 'string', description: 'When the step happened, if entered late: not in the future nor before the previous step' },
  evidenceRef: { type: 'string' },
  note: { type: 'string', maxLength: 2000 },
};

/**
 * The request bodies of POST /cases and POST /cases/{id}/actions for OpenAPI, built from the same zod schemas the API
 * and the workflow validate with: one schema per procedure version and per action.
 */
export function openApiBodies(): { schemas: Record<string, JsonSchema>; filings: string[]; actions: string[] } {
  const schemas: Record<string, JsonSchema> = {};
  const filings: string[] = [];
  const actions = new Set<string>();
  for (const d of allKernelDefinitions()) {
    const own = strip(jsonSchemaOf(d.filing));
    const name = `Filing_${d.procedure}_v${d.version}`;
    schemas[name] = {
      type: 'object',
      additionalProperties: false,
      description: `${d.title} (${d.titleZh}), valid from ${d.validFrom}`,
      required: ['procedure', 'idempotencyKey', 'receivedAt', 'subject', ...(own.required ?? [])],
      properties: {
        procedure: { type: 'string', enum: [d.procedure] },
        variant: { type: 'string', enum: Object.keys(d.variants), default: d.defaultVariant },
        ...COMMON_FILING,
        ...(own.properties ?? {}),
      },
    };
    filings.push(name);
    for (const action of actionNames(d)) {
      const schemaName = `Action_${d.procedure}_${action}`;
      if (schemas[schemaName]) continue;
      const body = strip(jsonSchemaOf(actionSchema(d, action)!));
      schemas[schemaName] = {
        type: 'object',
        additionalProperties: false,
        description: `${d.procedure}: ${d.actions[action]?.label ?? action}`,
        required: ['action', ...(body.required ?? [])],
        properties: { action: { type: 'string', enum: [action] }, ...COMMON_ACTION, ...(body.properties ?? {}) },
      };
      actions.add(schemaName);
    }
  }
  return { schemas, filings, actions: [...actions] };
}
