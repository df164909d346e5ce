import type { z as zod } from 'zod';
import type { InputProblem } from '../case-model';
import { BUILT_IN } from './built-in-actions';
import type { KernelActionName, KernelProcedure } from './definition';
import type { Actor } from './ops';
import { isoInstant, lazy, problemOf, text } from './schema';
import { z } from './zod';

/* eslint-disable @typescript-eslint/no-explicit-any -- the kernel runs every procedure's data without knowing its shape */
type AnyProcedure = KernelProcedure<any, any>;

export interface KernelAction {
  action: string;
  actor: string;
  /** The authenticated user; absent for actions recorded before the API authenticated them (no who-may-act checks). */
  authenticated?: Actor;
  occurredAt?: string;
  evidenceRef?: string;
  note?: string;
  input: unknown;
}

// ---------------------------------------------------------------- parsing (400s)

/** The actor of a filing or a step: the token's user, so the body leaves it out or names that user. */
export const actorField = () =>
  text(200)
    .optional()
    .describe("Taken from the token: leave it out, or give the caller's own user id")
    .meta({ title: '经办人', 'x-description-zh': '取自登录凭据：不填，或填写当前用户本人的用户标识' });

/** The fields every action has, beside its own: the parser's schema and the OpenAPI document's. */
export const commonActionSchema = lazy(() =>
  z
    .object({
      actor: actorField(),
      occurredAt: isoInstant()
        .optional()
        .describe('When the step happened, if entered late: not in the future nor before the previous step')
        .meta({ title: '发生时间', 'x-description-zh': '该步骤实际发生的时间（补录时填写）：不得晚于当前时间，也不得早于上一步骤' }),
      evidenceRef: text(500)
        .optional()
        .describe('Reference to the evidence of the step (document number, scan)')
        .meta({ title: '证明材料编号', 'x-description-zh': '该步骤证明材料的编号（文号、扫描件）' }),
      note: text().optional().meta({ title: '备注' }),
    })
    .strict(),
);
const COMMON = commonActionSchema;

export function actionNames(def: AnyProcedure): string[] {
  return [...Object.keys(def.actions), ...Object.keys(BUILT_IN)];
}

export function actionSchema(def: AnyProcedure, name: string): zod.ZodType | undefined {
  return def.actions[name]?.schema ?? BUILT_IN[name as KernelActionName]?.schema;
}

/** The basis GET /procedures shows for an action: the procedure's own, or the built-in action's for this definition. */
export function actionBasis(def: AnyProcedure, name: string): string {
  return def.actions[name]?.basis ?? BUILT_IN[name as KernelActionName].basis(def);
}

/** An action's labels, English and Chinese: the procedure's own, or the built-in action's. */
export function actionLabels(def: AnyProcedure, name: string): { label: string; labelZh: string } {
  const { label, labelZh } = def.actions[name] ?? BUILT_IN[name as KernelActionName];
  return { label, labelZh };
}

/** What a state allows: the definition's actions listed for it, and the built-in actions that apply to the case's clocks. */
export function actionsAllowedIn(def: AnyProcedure, state: string): string[] {
  if (state === 'closed') return Object.entries(def.actions).flatMap(([name, a]) => (a.afterClose ? [name] : []));
  const own = state === 'suspended' ? [] : [...(def.states[state]?.actions ?? [])];
  const builtIn = (Object.keys(BUILT_IN) as KernelActionName[]).filter((name) => BUILT_IN[name].offeredIn(def, state));
  return [...own, ...builtIn];
}

/** The actions a user of an involved unit may take, and the input field that must name its own unit. */
export function partyActions(def: AnyProcedure): { action: string; field: string }[] {
  return Object.entries(def.actions).flatMap(([action, a]) => (a.party ? [{ action, field: a.party }] : []));
}

/**
 * Checks the shape of an action body against the common fields and the action's schema. With an authenticated
 * `actor` the event's actor is that user (the API keeps `actor` out of the body); without one (histories recorded
 * before authentication) it is the body's `actor`, as it was then.
 */
export function parseKernelAction(
  def: AnyProcedure,
  body: unknown,
  authenticated?: Actor,
): { ok: true; value: KernelAction } | { ok: false; problem: InputProblem } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, problem: { field: 'body', message: 'the body must be a JSON object', messageZh: '请求体须为 JSON 对象' } };
  const { action, actor: bodyActor, occurredAt, evidenceRef, note, ...fields } = body as Record<string, unknown>;
  const actor = authenticated ? undefined : bodyActor;
  const names = actionNames(def);
  if (typeof action !== 'string' || !names.includes(action)) {
    return { ok: false, problem: { field: 'action', message: `action must be one of: ${names.join(', ')}`, messageZh: `action 须为以下之一：${names.join('、')}` } };
  }
  const common = COMMON.safeParse({ actor, occurredAt, evidenceRef, note });
  if (!common.success) return { ok: false, problem: problemOf(common.error) };
  if (common.data.actor === 'system') return { ok: false, problem: { field: 'actor', message: "actor 'system' is reserved for the steps the service takes itself", messageZh: 'actor “system” 留给系统自动进行的步骤' } };
  const own = actionSchema(def, action)!.safeParse(fields);
  if (!own.success) return { ok: false, problem: problemOf(own.error) };
  const c = common.data;
  return {
    ok: true,
    value: {
      action,
      actor: authenticated?.id ?? c.actor ?? 'caseworker',
      ...(authenticated ? { authenticated } : {}),
      ...(c.occurredAt ? { occurredAt: c.occurredAt } : {}),
      ...(c.evidenceRef ? { evidenceRef: c.evidenceRef } : {}),
      ...(c.note ? { note: c.note } : {}),
      input: own.data,
    },
  };
}

