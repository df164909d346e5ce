/** The kernel's pure functions on one definition, for the unit tests of a procedure (no Temporal, no database). */
import * as fs from 'fs';
import * as path from 'path';
import type { AnyKernelProcedure } from '../../procedures';
import { Calendar } from '../../src/domain/calendar';
import { applyKernelAction, fileKernelCase, parseKernelAction, refusalForAction } from '../../src/domain/kernel/case-kernel';
import type { KernelCase } from '../../src/domain/kernel/ops';

type Seed = Parameters<typeof Calendar.fromSeed>[0];
export const calendar = Calendar.fromSeed(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'prisma', 'calendar', 'cn-2004-2026.json'), 'utf8')) as Seed);
export const sh = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`).toISOString();
const SUBJECT = { kind: 'organisation' as const, name: '哈尔滨某某咨询有限公司', idNumber: '91230100MA1BXXXX0X' };

let seq = 0;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each definition has its own data
export function file(def: AnyKernelProcedure, filing: unknown, variant = def.defaultVariant, receivedAt = sh('2026-09-21')): KernelCase<any> {
  seq += 1;
  return fileKernelCase(def, calendar, {
    caseId: `cc-${seq}`,
    idempotencyKey: `cc-${seq}`,
    procedure: def.procedure,
    definitionVersion: def.version,
    variant,
    unitId: 'unit-credit-office',
    subject: SUBJECT,
    receivedAt,
    filedAt: receivedAt,
    actor: 'caseworker-1',
    filing: def.filing.parse(filing),
  });
}
export function parse(def: AnyKernelProcedure, body: Record<string, unknown>) {
  const parsed = parseKernelAction(def, { actor: 'caseworker-1', ...body });
  if (!parsed.ok) throw new Error(`unexpected input problem: ${JSON.stringify(parsed.problem)}`);
  return parsed.value;
}
export function act<C extends KernelCase<unknown>>(def: AnyKernelProcedure, c: C, body: Record<string, unknown>, now: string): C {
  const a = parse(def, body);
  const refusal = refusalForAction(def, c, a, now);
  if (refusal) throw new Error(`unexpected refusal: ${JSON.stringify(refusal)}`);
  applyKernelAction(def, calendar, c, a, now);
  return c;
}
export const refusalOf = (def: AnyKernelProcedure, c: KernelCase<unknown>, body: Record<string, unknown>, now: string) => refusalForAction(def, c, parse(def, body), now)?.rule ?? null;
export const inputProblem = (def: AnyKernelProcedure, body: Record<string, unknown>) => {
  const parsed = parseKernelAction(def, { actor: 'caseworker-1', ...body });
  return parsed.ok ? null : parsed.problem;
};
export const due = (c: KernelCase<unknown>, key: string) => c.deadlines.find((d) => d.key === key)?.dueDate ?? null;
export const statusOf = (c: KernelCase<unknown>, key: string) => c.deadlines.find((d) => d.key === key)?.status ?? null;


const CJK = /[\u4e00-\u9fff]/;
/**
 * A refusal (or a rule hit, or an input problem) as the specs that assert its English read it: when it has a message,
 * its Chinese message is checked first (present and Chinese), then left out, so the specs' `toEqual` of the English
 * still fails on a missing Chinese. (A refusal without a message, e.g. the kernel's `case-closed`, passes as it is.)
 */
export function english<T extends { message?: string; messageZh?: string } | null | undefined>(said: T): T {
  if (!said) return said;
  const { messageZh, ...rest } = said;
  if (said.message === undefined && messageZh === undefined) return said;
  if (typeof messageZh !== 'string' || !CJK.test(messageZh)) throw new Error(`no Chinese message beside the English: ${JSON.stringify(said)}`);
  return rest as T;
}
