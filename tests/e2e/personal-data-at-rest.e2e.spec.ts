import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate';
import { PayloadKeyRing } from '../../src/infra/payload-codec';
import { PersonalDataCipher } from '../../src/infra/personal-data';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { waitFor } from '../support/cases';
import { dumpDatabase, formsOf } from '../support/dump';
import { requestAs } from '../support/http';
import { startDevServer, startTestService } from '../support/service';
import { uniqueResidentId, uniqueUscc } from '../support/subjects';
import { testTempDir } from '../support/temp';
import { uniqueQueue } from '../support/temporal';

// Decision 0021 through the running service, in a database of its own (starts re-encrypt every row, which must not
// touch the other suites' rows): a database from before the decision with a clear subject and credit record, then
// starts that convert it, filings, searches, a credit-status lookup, and dumps grepped for the names and numbers.
// Then a key rotation and the SM4 suite, each checked in the rows and in a dump.

const OLD_KEY = `old-key:${randomBytes(32).toString('base64')}`;
const NEW_KEY = `new-key:${randomBytes(32).toString('base64')}`;
const LEGACY = { name: '欧阳旧档', idNumber: uniqueResidentId() };
const PERSON = { name: '慕容秋水', idNumber: uniqueResidentId() };
const ORG = { name: '哈尔滨慕容某某个体商行', uscc: uniqueUscc() };
const SECRETS = [LEGACY.name, LEGACY.idNumber, PERSON.name, PERSON.idNumber, ORG.name, ORG.uscc];

let temporal: DevServerHandle;
let service: RunningService | undefined;
let databaseUrl: string;
const legacyCaseId = randomUUID();
const filed: string[] = [];

async function sql<T extends object>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function start(keys: string, extra: NodeJS.ProcessEnv = {}) {
  await service?.stop();
  service = await startTestService(temporal.address, uniqueQueue('e2e-pii'), true, { DATABASE_URL: databaseUrl, PAYLOAD_ENCRYPTION_KEYS: keys, ...extra });
}

const as = (user: string, method: string, url: string, body?: unknown) => requestAs(user, service!.url, method, url, body);
const found = async (q: string) => ((await as('supervisor-root', 'GET', `/cases?q=${encodeURIComponent(q)}`)).body.items as { id: string }[]).map((c) => c.id).sort();

function clearIn(text: string): string[] {
  return SECRETS.flatMap((s) => formsOf(s)).filter((form) => text.includes(form));
}

beforeAll(async () => {
  const admin = new URL(process.env.TEST_ADMIN_DATABASE_URL!);
  const name = `ldl_pii_${Date.now()}_${process.pid}`;
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  admin.pathname = `/${name}`;
  databaseUrl = admin.toString();
  // The database as it was before decision 0021: the migrations before it, a case and a credit record in clear.
  const before = testTempDir('ldl-pii-migrations-');
  for (const m of readdirSync(MIGRATIONS_DIR).filter((n) => /^\d{14}_/.test(n) && n < '20261206100000')) symlinkSync(path.join(MIGRATIONS_DIR, m), path.join(before, m));
  await migrate(databaseUrl, before);
  await sql(
    `INSERT INTO cases (id, procedure, definition_version, variant, idempotency_key, workflow_id, state, subject_kind, subject_name, subject_id_number, unit_id, received_at, details, revision, filed_by)
     VALUES ($1, 'objection-review', 2, 'standard', 'legacy-pii', $2, 'received', 'person', $3, $4, 'a', now() - interval '30 days', '{}', 3, 'caseworker-a')`,
    [legacyCaseId, `case-${legacyCaseId}`, LEGACY.name, LEGACY.idNumber],
  );
  await sql(
    `INSERT INTO credit_records (id, case_id, procedure, subject_kind, subject_id_number, kind, at, data)
     VALUES ($1, $2, 'dishonesty-listing', 'person', $3, 'listed', now() - interval '20 days', '{}')`,
    [`${legacyCaseId}:3`, legacyCaseId, LEGACY.idNumber],
  );
  temporal = await startDevServer();
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await temporal?.stop();
  if (databaseUrl) {
    const admin = new Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
    await admin.end();
  }
});

describe('the subject at rest (decision 0021)', () => {
  it('is in clear in a dump of the database from before the decision (the grep below can fail)', async () => {
    const { text } = await dumpDatabase(databaseUrl);
    expect(clearIn(text)).toEqual(expect.arrayContaining([LEGACY.name, LEGACY.idNumber]));
  });

  it('is nowhere in clear after a start, filings, searches and a credit-status lookup; lookups find it by keyed hash', async () => {
    await start(OLD_KEY);
    for (const subject of [PERSON, ORG]) {
      const res = await as('caseworker-a', 'POST', '/cases', { procedure: 'objection-review', grounds: ['error'], reasons: '记录与原始文书不符', idempotencyKey: `pii-${randomUUID()}`, receivedAt: new Date().toISOString(), subject, unitId: 'a' });
      expect(res.status).toBe(201);
      filed.push(res.body.id);
    }
    // The worker's snapshot (persist_case_snapshot) has rewritten each row too.
    await waitFor(async () => (await sql<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[]) AND revision > 0', [filed]))[0].n === 2);
    const [person, org] = filed;

    expect(await found(PERSON.name)).toEqual([person]);
    expect(await found(` ${PERSON.idNumber.toLowerCase()} `)).toEqual([person]);
    expect(await found(ORG.uscc)).toEqual([org]);
    expect(await found(ORG.name)).toEqual([org]);
    expect(await found(LEGACY.name)).toEqual([legacyCaseId]);
    expect(await found(LEGACY.idNumber)).toEqual([legacyCaseId]);
    expect(await found(PERSON.name.slice(0, 2))).toEqual([]);
    expect((await as('caseworker-a', 'GET', `/cases/${person}/personal-data`)).body).toEqual({ kind: 'person', ...PERSON });
    expect((await as('caseworker-a', 'GET', `/cases/${legacyCaseId}/personal-data`)).body).toEqual({ kind: 'person', ...LEGACY });

    // The converted credit record answers a lookup by the number, and the lookup is recorded as a personal-data read.
    const status = await as('caseworker-a', 'POST', '/subjects/credit-status', { idNumber: LEGACY.idNumber });
    expect(status).toMatchObject({ status: 200, body: { listed: true, listings: [expect.objectContaining({ caseId: legacyCaseId })] } });
    const cipher = new PersonalDataCipher(PayloadKeyRing.parse(OLD_KEY));
    const reads = await sql<{ user_id: string; fields: string[]; case_id: string | null }>('SELECT user_id, fields, case_id FROM personal_data_reads WHERE subject_id_key = $1', [cipher.lookupKey('id', LEGACY.idNumber)]);
    expect(reads).toEqual([{ user_id: 'caseworker-a', fields: ['creditStatus'], case_id: null }]);

    const rows = await sql<Record<string, unknown>>('SELECT subject_sealed, legacy_subject_name, legacy_subject_id_number FROM cases');
    expect(rows.every((r) => String(r.subject_sealed).startsWith('pd1:aes:old-key:') && r.legacy_subject_name === null && r.legacy_subject_id_number === null)).toBe(true);
    const { text, by } = await dumpDatabase(databaseUrl);
    expect({ by, clear: clearIn(text) }).toEqual({ by, clear: [] });
    expect(text).toContain(legacyCaseId);
    expect(text).toContain('pd1:aes:old-key:');
  }, 180_000);

  it('is re-encrypted under the new key when a rotation puts it first, and opens without the old key afterwards', async () => {
    await start(`${NEW_KEY},${OLD_KEY}`);
    const rows = await sql<{ subject_sealed: string; subject_id_key: string }>('SELECT subject_sealed, subject_id_key FROM cases');
    expect(rows.filter((r) => !r.subject_sealed.startsWith('pd1:aes:new-key:') || !r.subject_id_key.startsWith('aes:new-key:'))).toEqual([]);
    const credit = await sql<{ subject_id_key: string }>('SELECT subject_id_key FROM credit_records');
    expect(credit.filter((r) => !r.subject_id_key.startsWith('aes:new-key:'))).toEqual([]);

    await start(NEW_KEY);
    expect(await found(PERSON.idNumber)).toEqual([filed[0]]);
    expect((await as('caseworker-a', 'GET', `/cases/${legacyCaseId}/personal-data`)).body).toEqual({ kind: 'person', ...LEGACY });
    expect((await as('caseworker-a', 'POST', '/subjects/credit-status', { idNumber: LEGACY.idNumber })).body.listed).toBe(true);
  }, 180_000);

  it('is sealed with SM4 and hashed with HMAC-SM3 when PERSONAL_DATA_CIPHER=sm4, and found the same way', async () => {
    await start(NEW_KEY, { PERSONAL_DATA_CIPHER: 'sm4' });
    const rows = await sql<{ subject_sealed: string; subject_name_key: string }>('SELECT subject_sealed, subject_name_key FROM cases');
    expect(rows.filter((r) => !r.subject_sealed.startsWith('pd1:sm4:new-key:') || !r.subject_name_key.startsWith('sm4:new-key:'))).toEqual([]);
    expect(await found(ORG.name)).toEqual([filed[1]]);
    expect(await found(LEGACY.idNumber)).toEqual([legacyCaseId]);
    expect((await as('caseworker-a', 'GET', `/cases/${filed[0]}/personal-data`)).body).toEqual({ kind: 'person', ...PERSON });
    expect((await as('caseworker-a', 'POST', '/subjects/credit-status', { idNumber: LEGACY.idNumber })).body.listed).toBe(true);
    const { text, by } = await dumpDatabase(databaseUrl);
    expect({ by, clear: clearIn(text) }).toEqual({ by, clear: [] });
  }, 180_000);
});
