import { ensureLocalSigningKey, signLocalToken } from '../../src/auth/local-signing-key';
import { caseIdFor } from '../../src/cases/filing';
import { checkUscc } from '../../src/domain/identifiers';
import { sleep } from './world';

/** The statuses the API documents for filings and actions; anything else (and a 5xx but 503) is a violation. */
export const DOCUMENTED_STATUSES = [200, 201, 400, 401, 403, 404, 409, 422, 503];

export interface Filing {
  key: string;
  procedure: string;
  caseId: string;
  body: Record<string, unknown>;
  actions: Record<string, unknown>[];
}

export interface LoadRecord {
  /** Acknowledged filings: 201, or 409 on a retry after an attempt whose answer was lost (the case is the one we filed). */
  acknowledged: Map<string, Filing>;
  /** Filings whose answer never came although retried for the whole retry window. */
  unanswered: Filing[];
  /** A 409 on the first attempt of a key never sent before: a case that was not ours. */
  conflictsOnFirstAttempt: string[];
  actionsAcknowledged: number;
  actionsRefused: number;
  /** Every answer seen, by status; "connection" for a refused or reset connection, "timeout" for no answer in time. */
  statuses: Map<string, number>;
  /** Each answer with a status the API does not document: the request and what it said (its error id finds the log line). */
  undocumentedAnswers: string[];
  requests: number;
}

const DAY_MS = 86_400_000;
/** The unit of caseworker-a, who files the load: a case id derives from procedure, unit and key. */
const FAULT_UNIT = 'a';
const AGES_DAYS = [0, 0, 2, 6, 12, 30, 45];
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * The i-th filing of a run: four procedures, received now or up to 45 days ago (so legal deadlines have passed and
 * the reds and the escalation ladder fire at filing, or fall due later), each with the caseworker's next steps.
 */
export function filingFor(run: string, i: number, now = Date.now()): Filing {
  const key = `fault-${run}-${i}`;
  const receivedAt = new Date(now - AGES_DAYS[i % AGES_DAYS.length] * DAY_MS - 60_000).toISOString();
  const subject = { name: `故障演练公司${i}`, uscc: usccFor(i) };
  const kinds = [
    { procedure: 'objection-review', extra: { grounds: ['error'], reasons: '记录与原始文书不符' }, actions: [{ action: 'mark-disputed' }, { action: 'decide', outcome: 'rejected', reasons: 'the record matches the source document' }] },
    // credit-complaint v2: accepted first (the reply runs from acceptance); information-correction v2 ¶1: the push follows the correction.
    { procedure: 'credit-complaint', extra: { collector: { name: '某征信服务公司' } }, actions: [{ action: 'accept', nonPublicCollector: true }, { action: 'reply', result: 'the collector corrected its record' }] },
    { procedure: 'information-correction', extra: { information: 'penalty decision 2026-001' }, actions: [{ action: 'correct', description: 'wrong amount corrected' }, { action: 'push-to-platform', evidenceRef: 'platform-receipt' }] },
    { procedure: 'information-correction', extra: { variant: 'basis-changed', information: 'finding revoked' }, actions: [{ action: 'file-update' }] },
  ];
  const kind = kinds[i % kinds.length];
  // Every fifth case is left alone: its deadlines keep running and escalating.
  const actions = i % 5 === 4 ? [] : kind.actions;
  return {
    key,
    procedure: kind.procedure,
    caseId: caseIdFor(kind.procedure, FAULT_UNIT, key),
    body: { procedure: kind.procedure, idempotencyKey: key, receivedAt, subject, ...kind.extra },
    actions,
  };
}

function usccFor(i: number): string {
  let body = '91230100';
  for (let n = i, k = 0; k < 9; k++, n = Math.floor(n / USCC_ALPHABET.length)) body += USCC_ALPHABET[n % USCC_ALPHABET.length];
  const sum = [...body].reduce((s, c, k) => s + USCC_ALPHABET.indexOf(c) * USCC_WEIGHTS[k], 0);
  const code = body + USCC_ALPHABET[(31 - (sum % 31)) % 31];
  if (!checkUscc(code).ok) throw new Error(`generated an invalid USCC ${code}`);
  return code;
}

export interface LoadOptions {
  apiUrl: string;
  keyFile: string;
  run: string;
  filings: number;
  clients: number;
  /** How long one request is retried (503, connection errors, timeouts) before it counts as unanswered. */
  retryForMs: number;
  requestTimeoutMs: number;
  /** Called after each filing is settled (acknowledged or given up), with the number of filings started. */
  onProgress?: (started: number) => Promise<void> | void;
}

/**
 * Steady load: `clients` concurrent clients file the cases and act on them, each request retried with the SAME
 * idempotency key (filing) or Idempotency-Key header (action) while the answer is 503, a 5xx, a connection error or
 * no answer, recording every status seen.
 */
export async function runLoad(o: LoadOptions): Promise<LoadRecord> {
  const record: LoadRecord = {
    acknowledged: new Map(),
    unanswered: [],
    conflictsOnFirstAttempt: [],
    actionsAcknowledged: 0,
    actionsRefused: 0,
    statuses: new Map(),
    undocumentedAnswers: [],
    requests: 0,
  };
  const token = await signLocalToken(await ensureLocalSigningKey(o.keyFile), 'caseworker-a', { ttlSeconds: 8 * 3600 });
  const see = (status: string) => record.statuses.set(status, (record.statuses.get(status) ?? 0) + 1);

  const send = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const end = Date.now() + o.retryForMs;
    let uncertain = false;
    for (let attempt = 0; ; attempt++) {
      record.requests += 1;
      let status: number | undefined;
      let json: unknown;
      try {
        const res = await fetch(`${o.apiUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(o.requestTimeoutMs),
        });
        status = res.status;
        const text = await res.text();
        json = text ? JSON.parse(text) : undefined;
        see(String(status));
        if (!DOCUMENTED_STATUSES.includes(status)) record.undocumentedAnswers.push(`${method} ${path} → ${status} ${text.slice(0, 300)}`);
      } catch (error) {
        see(status !== undefined ? `${status}` : (error as Error).name === 'TimeoutError' ? 'timeout' : 'connection');
      }
      if (status !== undefined && status < 500) return { status, body: json, uncertain };
      // The request may have been carried out: a 409 on a later attempt is then our own filing.
      uncertain = true;
      if (Date.now() > end) return { status: undefined, body: undefined, uncertain };
      await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)));
    }
  };

  let next = 0;
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= o.filings) return;
      const filing = filingFor(o.run, i);
      const filed = await send('POST', '/cases', filing.body);
      if (filed.status === 201 || (filed.status === 409 && filed.uncertain)) record.acknowledged.set(filing.caseId, filing);
      else if (filed.status === 409) record.conflictsOnFirstAttempt.push(filing.key);
      else if (filed.status === undefined) record.unanswered.push(filing);
      if (record.acknowledged.has(filing.caseId)) {
        for (const [n, action] of filing.actions.entries()) {
          const acted = await send('POST', `/cases/${filing.caseId}/actions`, action, { 'idempotency-key': `${filing.key}:${n}` });
          if (acted.status === 200) record.actionsAcknowledged += 1;
          else {
            record.actionsRefused += 1;
            break;
          }
        }
      }
      await o.onProgress?.(Math.min(next, o.filings));
    }
  };
  await Promise.all(Array.from({ length: o.clients }, client));
  return record;
}
