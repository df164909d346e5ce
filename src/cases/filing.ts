import { createHash } from 'node:crypto';
import { allKernelDefinitions, definitionForReceipt, procedureIds } from '../../procedures';
import type { InputProblem, Refusal, Subject } from '../domain/case-model';
import { checkResidentId, checkUscc } from '../domain/identifiers';
import type { MeasuresRenewal } from '../domain/kernel/ops';
import { lazy, problemOf, text } from '../domain/kernel/schema';
import { actorField } from '../domain/kernel/parse';
import { z } from '../domain/kernel/zod';
import { isIsoDate, isIsoInstant, SHANGHAI_OFFSET_MS } from '../domain/local-date';
import { zhDate } from '../domain/said';

export interface CaseFiling {
  procedure: string;
  definitionVersion: number;
  idempotencyKey: string;
  variant: string;
  receivedAt: string;
  subject: Subject;
  unitId: string;
  actor: string;
  evidenceRef?: string;
  /** The procedure's own fields, parsed by its filing schema. */
  filing: unknown;
  /** The recorded renewal notice a receipt after the measures' end falls under. */
  renewal?: MeasuresRenewal;
}

const EARLIEST_RECEIPT = '2004-01-01T00:00:00+08:00';
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The fields every filing has, beside the procedure's own: the one schema the parser checks them with and the OpenAPI
 * document describes them from. Dates, identifiers and the unit are checked further below (checksums, the calendar's
 * range, the caller's units).
 */
export const commonFilingSchema = lazy(() =>
  z.object({
    idempotencyKey: text(200)
      .describe('Chosen by the filing unit: unique per procedure within the unit; the same key again answers 409 with the existing case')
      .meta({ title: '幂等键', 'x-description-zh': '由受理单位自定：同一单位同一程序内唯一；再次使用同一键返回 409 及已有案件' }),
    receivedAt: z
      .string()
      .describe('When the application was received: an ISO 8601 instant with offset, or YYYY-MM-DD (that day in Asia/Shanghai); a past date is late entry')
      .meta({ title: '受理时间', 'x-description-zh': '收到申请的时间：带时区偏移的 ISO 8601 时刻，或 YYYY-MM-DD（北京时间当日）；过去的日期为补录' }),
    subject: z
      .object({
        name: text(200).meta({ title: '信用主体名称（姓名）' }),
        uscc: z.string().optional().describe('Unified social credit code (GB 32100), for an organisation').meta({ title: '统一社会信用代码', 'x-description-zh': '统一社会信用代码（GB 32100），法人和非法人组织填写' }),
        idNumber: z.string().optional().describe('Resident identity number (GB 11643), for a natural person').meta({ title: '公民身份号码', 'x-description-zh': '公民身份号码（GB 11643），自然人填写' }),
      })
      .strict()
      .describe('The credit subject (Art. 19): name with either uscc or idNumber')
      .meta({ title: '信用主体', 'x-description-zh': '信用主体（第十九条）：名称，另填统一社会信用代码或公民身份号码之一' }),
    unitId: text(200)
      .optional()
      .describe("The unit the case belongs to; absent: the caller's unit (a supervisor may file for a unit below)")
      .meta({ title: '承办单位', 'x-description-zh': '案件所属单位；不填则为当前用户所在单位（主管可为下级单位受理）' }),
    actor: actorField(),
    evidenceRef: text(200)
      .optional()
      .describe('Reference to the received application (paper file number, scan)')
      .meta({ title: '受理材料编号', 'x-description-zh': '受理材料编号（纸质案卷号、扫描件）' }),
  }),
);
const COMMON_FIELDS = ['procedure', 'variant', ...Object.keys(commonFilingSchema.shape)];

type Result = { ok: true; value: CaseFiling } | { ok: false; problem: InputProblem } | { ok: false; refusal: Refusal };
const bad = (field: string, message: string, messageZh: string): Result => ({ ok: false, problem: { field, message, messageZh } });

/**
 * Checks a POST /cases body: the common fields here, the procedure's own with its schema. `now` is the server's clock,
 * used to refuse receipts in the future. A receipt outside every version's validity is a refusal by law (422).
 */
export function parseCaseFiling(body: unknown, now: Date, renewals: readonly MeasuresRenewal[] = []): Result {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad('body', 'the body must be a JSON object', '请求体须为 JSON 对象');
  const b = body as Record<string, unknown>;

  if (typeof b.procedure !== 'string' || !procedureIds.includes(b.procedure)) {
    return bad('procedure', `procedure must be one of: ${procedureIds.join(', ')}`, `procedure 须为以下之一：${procedureIds.join('、')}`);
  }
  const common = commonFilingSchema.safeParse(Object.fromEntries(Object.entries(b).filter(([k]) => k !== 'procedure' && k !== 'variant' && COMMON_FIELDS.includes(k))));
  if (!common.success) return { ok: false, problem: problemOf(common.error) };
  const c = common.data;

  let receivedAt: string;
  if (isIsoInstant(c.receivedAt)) receivedAt = new Date(Date.parse(c.receivedAt)).toISOString();
  else if (isIsoDate(c.receivedAt)) receivedAt = new Date(Date.parse(`${c.receivedAt}T00:00:00+08:00`)).toISOString();
  else return bad('receivedAt', `receivedAt "${c.receivedAt}" is not a real date or an ISO 8601 instant with offset`, `receivedAt “${c.receivedAt}” 不是真实日期，也不是带时区偏移的 ISO 8601 时刻`);
  if (Date.parse(receivedAt) > now.getTime() + CLOCK_SKEW_MS) return bad('receivedAt', 'receivedAt is in the future', 'receivedAt 是将来的时间');
  if (receivedAt < new Date(Date.parse(EARLIEST_RECEIPT)).toISOString()) {
    return bad('receivedAt', 'receivedAt is before 2004-01-01, the start of the official holiday calendar the service holds', 'receivedAt 早于 2004-01-01，即本服务所存官方节假日日历的起点');
  }

  const { name, uscc, idNumber } = c.subject;
  let subject: Subject;
  if (uscc !== undefined && idNumber !== undefined) return bad('subject', 'give either subject.uscc (organisation) or subject.idNumber (person), not both', '请给出 subject.uscc（单位）或 subject.idNumber（个人），不能同时给出');
  if (uscc !== undefined) {
    const check = checkUscc(uscc);
    if (!check.ok) return bad('subject.uscc', `${check.message} (${check.rule})`, `${check.messageZh}（${check.rule}）`);
    subject = { kind: 'organisation', name, idNumber: check.value };
  } else if (idNumber !== undefined) {
    const check = checkResidentId(idNumber, shanghaiToday(now));
    if (!check.ok) return bad('subject.idNumber', `${check.message} (${check.rule})`, `${check.messageZh}（${check.rule}）`);
    subject = { kind: 'person', name, idNumber: check.value };
  } else {
    return bad(
      'subject',
      'subject needs uscc (unified social credit code, GB 32100) or idNumber (resident ID, GB 11643) — Social Credit Regulation Art. 19',
      'subject 须有 uscc（统一社会信用代码，GB 32100）或 idNumber（公民身份号码，GB 11643）——《社会信用条例》第十九条',
    );
  }

  const receiptDate = shanghaiToday(new Date(receivedAt));
  let definition = definitionForReceipt(b.procedure, receiptDate);
  let renewal: MeasuresRenewal | undefined;
  const newest = renewableDefinition(b.procedure);
  if (!definition && newest?.validTo && receiptDate > newest.validTo) {
    // Measures past their end apply only under a recorded renewal notice covering the receipt (the latest recorded wins).
    renewal = renewals.filter((r) => r.validFrom <= receiptDate && receiptDate <= r.validTo).sort((x, y) => y.id - x.id)[0];
    if (!renewal) {
      const rule = newest.rules[newest.renewable!.expiredRule];
      return {
        ok: false,
        refusal: {
          rule: rule.id,
          basis: rule.basis,
          message: `the measures of ${b.procedure} ended on ${newest.validTo}; no renewal notice recorded covers a receipt on ${receiptDate}`,
          messageZh: `${newest.titleZh}所依据的办法已于${zhDate(newest.validTo)}失效；没有已登记的延续通知覆盖${zhDate(receiptDate)}的受理`,
        },
      };
    }
    definition = newest;
  }
  if (!definition) {
    return {
      ok: false,
      refusal: {
        rule: 'definition-validity',
        basis: `Each version of ${b.procedure} applies to receipts between the dates its legal basis is in force`,
        message: `no version of ${b.procedure} applies to a receipt on ${receiptDate}`,
        messageZh: `${b.procedure} 没有适用于${zhDate(receiptDate)}受理的版本`,
      },
    };
  }
  const variants = Object.keys(definition.variants);
  const variant = b.variant ?? definition.defaultVariant;
  if (typeof variant !== 'string' || !variants.includes(variant)) return bad('variant', `variant must be one of: ${variants.join(', ')}`, `variant 须为以下之一：${variants.join('、')}`);

  const own = Object.fromEntries(Object.entries(b).filter(([k]) => !COMMON_FIELDS.includes(k)));
  const parsed = definition.filing.safeParse(own);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  const variantProblem = definition.filingProblem?.(parsed.data, variant);
  if (variantProblem) return { ok: false, problem: variantProblem };
  return {
    ok: true,
    value: {
      procedure: definition.procedure,
      definitionVersion: definition.version,
      idempotencyKey: c.idempotencyKey,
      variant,
      receivedAt,
      subject,
      unitId: c.unitId ?? 'default-unit',
      actor: c.actor ?? 'caseworker',
      evidenceRef: c.evidenceRef,
      filing: parsed.data,
      ...(renewal ? { renewal } : {}),
    },
  };
}

/** The newest version of a procedure whose measures can be renewed after they end, if it is one. */
export function renewableDefinition(procedure: string) {
  const newest = allKernelDefinitions().find((d) => d.procedure === procedure);
  return newest?.renewable ? newest : undefined;
}

function shanghaiToday(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The case id is derived from the procedure, the filing unit and the idempotency key, so a repeated start in the same
 * unit meets the same workflow id (→ 409), while one key under two procedures, or filed by two units, names two cases:
 * a key is the filing unit's own (one unit's numbering says nothing about another's).
 */
export function caseIdFor(procedure: string, unitId: string, idempotencyKey: string): string {
  return uuidFrom(`legal-deadlines/case/v2/${JSON.stringify([procedure, unitId, idempotencyKey])}`);
}

/**
 * The derivation of cases filed before keys belonged to their unit (procedure and key only; objection review kept the
 * one it had before other procedures existed). Those cases keep their ids; a filing looks for one to answer 409.
 */
export function legacyCaseIdFor(procedure: string, idempotencyKey: string): string {
  const name = procedure === 'objection-review' ? idempotencyKey : `${procedure}/${idempotencyKey}`;
  return uuidFrom(`legal-deadlines/case/${name}`);
}

/** A UUIDv5-style id from a SHA-256 of the name. */
function uuidFrom(name: string): string {
  const hash = createHash('sha256').update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
