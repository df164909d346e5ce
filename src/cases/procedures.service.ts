import { allKernelDefinitions, type AnyKernelProcedure } from '../../procedures';
import type { ClockEffects } from '../domain/kernel/definition';
import { actionBasis, actionLabels, actionNames, actionSchema, actionsAllowedIn } from '../domain/kernel/case-kernel';
import { commonActionSchema } from '../domain/kernel/parse';
import { commonFilingSchema } from './filing';
import { jsonSchemaOf } from '../domain/kernel/schema';

/** The clocks a step starts and stops, for a version that declares them (the kernel holds it to them); else nothing. */
const declaredClocks = (d: AnyKernelProcedure, declared: ClockEffects | undefined) =>
  d.startsOnFiling ? { starts: [...(declared?.starts ?? [])], stops: [...(declared?.stops ?? [])] } : {};

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
        // The automatic step its end runs (an expiry or window clock).
        ...(c.onDue ? { onDue: { step: c.onDue, ...declaredClocks(d, d.stepClocks?.[c.onDue]) } } : {}),
      })),
      actions: actionNames(d).map((action) => ({
        action,
        ...actionLabels(d, action),
        basis: actionBasis(d, action),
        schema: jsonSchemaOf(actionSchema(d, action)!),
        // The procedure's own actions; the kernel's own (suspension, extensions) start and stop no clock.
        ...(d.actions[action] ? declaredClocks(d, d.actions[action]) : {}),
      })),
      // The state graph: what each state allows (the kernel's own actions where they apply).
      states: [
        ...Object.entries(d.states).map(([state, s]) => ({ state, label: s.label, labelZh: s.labelZh, next: s.next })),
        ...KERNEL_STATES.map((s) => ({ ...s, next: undefined })),
      ].map(({ next, ...s }) => ({
        ...s,
        initial: s.state === d.initialState,
        actions: actionsAllowedIn(d, s.state),
        // Declared transitions (newer versions): where each action may lead; an action not named keeps the state.
        ...(next ? { transitions: Object.entries(next).map(([action, to]) => ({ action, to, ...declaredClocks(d, d.actions[action]) })) } : {}),
        ...(s.state === d.initialState && d.startsOnFiling ? { startsOnFiling: [...d.startsOnFiling] } : {}),
      })),
      filing: jsonSchemaOf(d.filing),
      extensions: d.extensions,
      suspensionReasons: d.suspensionReasons,
    })),
  };
}

/** States every case can be in besides its procedure's own. */
const KERNEL_STATES = [
  { state: 'suspended', label: 'Clock suspended (the actions of the state it stopped in stay allowed)', labelZh: '暂停计时' },
  { state: 'closed', label: 'Closed', labelZh: '已办结' },
];

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };
const strip = (s: unknown): JsonSchema => {
  const { $schema: _ignored, ...rest } = s as JsonSchema;
  return rest;
};

// The common fields of filings and actions, from the zod schemas the parsers use (no hand-written copy to drift).
const propertiesOf = (schema: Parameters<typeof jsonSchemaOf>[0]) => (strip(jsonSchemaOf(schema)).properties ?? {}) as Record<string, unknown>;
const COMMON_FILING = (): Record<string, unknown> => propertiesOf(commonFilingSchema);
const COMMON_ACTION = (): Record<string, unknown> => propertiesOf(commonActionSchema);

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
        procedure: { type: 'string', enum: [d.procedure], title: '程序' },
        variant: { type: 'string', enum: Object.keys(d.variants), default: d.defaultVariant, title: '类别' },
        ...COMMON_FILING(),
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
        properties: { action: { type: 'string', enum: [action], title: '操作' }, ...COMMON_ACTION(), ...(body.properties ?? {}) },
      };
      actions.add(schemaName);
    }
  }
  return { schemas, filings, actions: [...actions] };
}
