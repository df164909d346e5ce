import type { PrismaClient } from '@prisma/client';
import type { MeasuresRenewal } from '../domain/kernel/ops';
import { isStorableText } from '../domain/kernel/schema';
import { isIsoDate } from '../domain/local-date';
import { log } from '../observability/logger';
import { BadInputError } from './errors';

const FIELDS = ['document', 'issuedAt', 'validFrom', 'validTo'] as const;

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
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadInputError({ field: 'body', message: 'the body must be a JSON object' });
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).find((k) => !(FIELDS as readonly string[]).includes(k));
  if (extra) throw new BadInputError({ field: extra, message: `${extra} is not a field of a renewal; give ${FIELDS.join(', ')}` });
  const document = b.document;
  if (typeof document !== 'string' || !document.trim() || document.length > 200 || !isStorableText(document)) {
    throw new BadInputError({ field: 'document', message: 'document is required: the notice’s document number, a non-empty string of at most 200 characters' });
  }
  const dates: Record<string, string> = {};
  for (const field of ['issuedAt', 'validFrom', 'validTo'] as const) {
    const v = b[field];
    if (typeof v !== 'string' || !isIsoDate(v)) throw new BadInputError({ field, message: `${field} is required: a real date YYYY-MM-DD` });
    dates[field] = v;
  }
  if (dates.validFrom > dates.validTo) throw new BadInputError({ field: 'validTo', message: `validTo ${dates.validTo} is before validFrom ${dates.validFrom}` });
  return { document: document.trim(), issuedAt: dates.issuedAt, validFrom: dates.validFrom, validTo: dates.validTo };
}
