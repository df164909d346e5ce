import type { Refusal } from '../case-model';
import { BUILT_IN } from './built-in-actions';
import type { KernelActionName, KernelProcedure } from './definition';
import type { Actor } from './ops';
import type { KernelAction } from './parse';
import { kernelRefusal } from './rules';

// Who may take a step at all (403s), before any legal rule is asked.

/* eslint-disable @typescript-eslint/no-explicit-any -- the kernel runs every procedure's data without knowing its shape */
type AnyProcedure = KernelProcedure<any, any>;

const maySupervise = (who: Actor) => who.access === 'admin' || (who.roles.includes('supervisor') && (who.access === 'owner' || who.access === 'supervisor'));

/** Who may take the step at all (403s); nothing to check for actions recorded before the API authenticated them. */
export function refusalForActor(def: AnyProcedure, a: KernelAction): Refusal | null {
  const who = a.authenticated;
  if (!who) return null;
  if (who.access === 'party') {
    const field = def.actions[a.action]?.party;
    if (!field) return kernelRefusal('notAParty', { en: `a user of an involved unit (${who.unitId}) cannot take the step ${a.action}`, zh: `协办单位（${who.unitId}）的用户不能进行步骤 ${a.action}` });
    const named = (a.input as Record<string, unknown>)[field];
    if (named !== who.unitId) return kernelRefusal('notAParty', {
        en: `a user of ${who.unitId} records ${a.action} only for its own unit, not for ${String(named)}`,
        zh: `${who.unitId} 的用户只能为本单位记录 ${a.action}，不能为 ${String(named)} 记录`,
      });
  }
  if (BUILT_IN[a.action as KernelActionName]?.supervisorOnly && !maySupervise(who)) {
    return kernelRefusal('extensionNeedsSupervisor', {
      en: `${a.action} needs a supervisor of the owning unit or a unit above it, or an administrator`,
      zh: `${a.action} 须由承办单位或其上级单位的主管，或管理员进行`,
    });
  }
  return null;
}

