import { Client } from 'pg';
import { sealSubject, openSubject, type PersonalDataCipher } from '../infra/personal-data';

const BATCH = 500;
const LOCK_WAIT = '10s';

export interface SealedAtRest {
  /** Rows whose clear subject (written before decision 0021) was encrypted and emptied. */
  clearCases: number;
  /** Rows re-encrypted because another key or suite sealed them (a rotation, or PERSONAL_DATA_CIPHER changed). */
  resealedCases: number;
  /** Credit records whose clear identifier was replaced by the keyed hash, or whose hash follows a re-encrypted case. */
  creditRecords: number;
  /** After converting clear rows: 'full' (VACUUM FULL rewrote the tables) or 'vacuum' (the lock was not free in time). */
  rewritten?: 'full' | 'vacuum';
}

/**
 * Run at every start, after the migrations: encrypts the subject of every case still in clear, re-encrypts what an
 * older key or the other suite sealed, brings the credit records' hashes along, then empties the clear columns.
 * Idempotent and safe beside a second starting process (each batch writes whole rows; the subject never changes).
 * When clear rows were converted, VACUUM FULL rewrites both tables so no dead tuple keeps the clear values. Its own
 * connection, like the migrations: no statement_timeout, as converting a large database may take minutes.
 */
export async function sealPersonalDataAtRest(databaseUrl: string, personalData: PersonalDataCipher): Promise<SealedAtRest> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await sealWith(client, personalData);
  } finally {
    await client.end();
  }
}

async function sealWith(client: Client, personalData: PersonalDataCipher): Promise<SealedAtRest> {
  const prefix = personalData.currentPrefix;
  const done: SealedAtRest = { clearCases: 0, resealedCases: 0, creditRecords: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await client.query<{ id: string; subject_sealed: string | null; legacy_subject_name: string | null; legacy_subject_id_number: string | null }>(
      `SELECT id::text, subject_sealed, legacy_subject_name, legacy_subject_id_number FROM cases
       WHERE id > $1::uuid
         AND (legacy_subject_name IS NOT NULL OR legacy_subject_id_number IS NOT NULL
              OR (subject_sealed IS NOT NULL AND left(subject_sealed, length($2)) <> $2))
       ORDER BY id LIMIT ${BATCH}`,
      [after, prefix],
    );
    if (!rows.length) break;
    after = rows.at(-1)!.id;
    const sealed = rows.map((r) => {
      const subject =
        r.legacy_subject_name !== null || r.legacy_subject_id_number !== null
          ? { name: r.legacy_subject_name ?? '', idNumber: r.legacy_subject_id_number ?? '' }
          : openSubject(personalData, r.subject_sealed!);
      return { id: r.id, clear: r.legacy_subject_name !== null || r.legacy_subject_id_number !== null, ...sealSubject(personalData, subject) };
    });
    await client.query(
      `UPDATE cases c SET subject_sealed = u.sealed, subject_name_key = u.name_key, subject_id_key = u.id_key,
                          legacy_subject_name = NULL, legacy_subject_id_number = NULL
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, sealed, name_key, id_key)
       WHERE c.id = u.id`,
      [sealed.map((s) => s.id), sealed.map((s) => s.subjectSealed), sealed.map((s) => s.subjectNameKey), sealed.map((s) => s.subjectIdKey)],
    );
    const clear = sealed.filter((s) => s.clear).length;
    done.clearCases += clear;
    done.resealedCases += sealed.length - clear;
  }
  const clearCredit = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_records WHERE legacy_subject_id_number IS NOT NULL');
  const credit = await client.query(
    `UPDATE credit_records r SET subject_id_key = c.subject_id_key, legacy_subject_id_number = NULL
     FROM cases c
     WHERE r.case_id = c.id AND (r.legacy_subject_id_number IS NOT NULL OR r.subject_id_key IS DISTINCT FROM c.subject_id_key)`,
  );
  done.creditRecords = credit.rowCount ?? 0;
  if (done.clearCases > 0 || clearCredit.rows[0].n > 0) done.rewritten = await rewriteTables(client);
  return done;
}

/**
 * VACUUM FULL takes an exclusive lock, and every query on the tables queues behind its wait: it waits at most
 * LOCK_WAIT for processes still serving, else a plain VACUUM removes the dead tuples without the lock, and the
 * start logs that the files may keep clear bytes until the pages are rewritten (docs/operations.md).
 */
async function rewriteTables(client: Client): Promise<'full' | 'vacuum'> {
  await client.query(`SET lock_timeout = '${LOCK_WAIT}'`);
  try {
    await client.query('VACUUM (FULL) cases, credit_records');
    return 'full';
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error;
    await client.query('RESET lock_timeout');
    await client.query('VACUUM cases, credit_records');
    return 'vacuum';
  }
}
