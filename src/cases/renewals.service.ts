import type { PrismaClient } from '@prisma/client';
import type { MeasuresRenewal } from '../domain/kernel/ops';
import { isoDate, jsonSchemaOf, lazy, problemOf, text } from '../domain/kernel/schema';
import { z } from '../domain/kernel/zod';
import { log } from '../observability/logger';
import { BadInputError } from './errors';

/** A district notice renewing measures past their end: the one schema the API checks with and documents. */
export const renewalSchema = lazy(() =>
  z
    .object({
      document: text(200).describe('The notice’s document number (文号)'),
      issuedAt: isoDate().describe('YYYY-MM-DD, the day the notice was issued'),
      validFrom: isoDate().describe('YYYY-MM-DD, first day of the renewed validity'),
      validTo: isoDate().describe('YYYY-MM-DD, last day of the renewed validity (not before validFrom)'),
    })
    .strict()
    .superRefine((r, ctx) => {
      if (r.validFrom > r.validTo) ctx.addIssue({ code: 'custom', path: ['validTo'], message: `${r.validTo} is before validFrom ${r.validFrom}` });
    }),
);
export const renewalBodySchema = (): Record<string, unknown> => {
  const { $schema: _dialect, ...schema } = jsonSchemaOf(renewalSchema) as Record<string, unknown>;
  return schema;
};

export interface RenewalView extends MeasuresRenewal {
  procedure: string;
}

type Row = { id: number; procedure: string; document: string; issuedAt: string; validFrom: string; validTo: string; recordedBy: string; recordedAt: Date };
const view = (r: Row): RenewalView => ({ ...r, recordedAt: r.recordedAt.toISOString() });

/** Notices renewing a procedure's measures after they end; recorded by administrators, read by the filing path. */
export class RenewalsService {
  constructor(private readonly prisma: PrismaClient) {}

  async record(procedure: string, body: unknown, actor: string): Promise<RenewalView> {
    const input = parseRenewal(body);
    const row = await this.prisma.measuresRenewal.create({ data: { procedure, ...input, recordedBy: actor } });
    log().info({ procedure, renewal: row.id, document: row.document, validFrom: row.validFrom, validTo: row.validTo, recordedBy: actor }, 'measures renewal recorded');
    return view(row);
  }

  async list(procedure: string): Promise<{ items: RenewalView[] }> {
    const rows = await this.prisma.measuresRenewal.findMany({ where: { procedure }, orderBy: { id: 'asc' } });
    return { items: rows.map(view) };
  }

  /** What the filing path needs: every renewal of the procedure (a handful of notices). */
  async renewalsOf(procedure: string): Promise<MeasuresRenewal[]> {
    return (await this.list(procedure)).items;
  }
}

/** `{ document, issuedAt, validFrom, validTo }`: 400 naming the field that breaks a rule. */
export function parseRenewal(body: unknown): { document: string; issuedAt: string; validFrom: string; validTo: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadInputError({ field: 'body', message: 'the body must be a JSON object', messageZh: '请求体须为 JSON 对象' });
  const parsed = renewalSchema.safeParse(body);
  if (!parsed.success) throw new BadInputError(problemOf(parsed.error));
  return parsed.data;
}
