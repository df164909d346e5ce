-- Personal data at rest (decision 0021): the subject's name and identifier are stored encrypted (subject_sealed) with
-- keyed hashes for exact lookups (subject_name_key, subject_id_key). The clear columns are renamed legacy_* and
-- emptied by the service at start (src/db/personal-data-at-rest.ts): SQL has no key to encrypt them with. Their
-- indexes go now, as index pages would keep clear copies.
DROP INDEX IF EXISTS "cases_subject_name_idx";
DROP INDEX IF EXISTS "cases_subject_id_number_idx";
DROP INDEX IF EXISTS "credit_records_subject_id_number_at_idx";

ALTER TABLE "cases" RENAME COLUMN "subject_name" TO "legacy_subject_name";
ALTER TABLE "cases" RENAME COLUMN "subject_id_number" TO "legacy_subject_id_number";
ALTER TABLE "cases" ALTER COLUMN "legacy_subject_name" DROP NOT NULL, ALTER COLUMN "legacy_subject_id_number" DROP NOT NULL,
  ADD COLUMN "subject_sealed" text, ADD COLUMN "subject_name_key" text, ADD COLUMN "subject_id_key" text;
CREATE INDEX "cases_subject_name_key_idx" ON "cases"("subject_name_key");
CREATE INDEX "cases_subject_id_key_idx" ON "cases"("subject_id_key");

ALTER TABLE "credit_records" RENAME COLUMN "subject_id_number" TO "legacy_subject_id_number";
ALTER TABLE "credit_records" ALTER COLUMN "legacy_subject_id_number" DROP NOT NULL, ADD COLUMN "subject_id_key" text;
CREATE INDEX "credit_records_subject_id_key_at_idx" ON "credit_records"("subject_id_key", "at");

-- A credit-status lookup by ID number is a personal-data read of no one case: it records the number's keyed hash.
ALTER TABLE "personal_data_reads" ALTER COLUMN "case_id" DROP NOT NULL, ADD COLUMN "subject_id_key" text;

CREATE OR REPLACE FUNCTION persist_case_snapshot(snapshot jsonb) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  snap_case record;
  stored_revision integer;
  fresh boolean;
BEGIN
  SELECT * INTO snap_case FROM jsonb_to_record(snapshot->'case') AS x(
    id uuid, procedure text, definition_version integer, variant text, idempotency_key text, workflow_id text,
    state text, outcome text, subject_kind text, subject_sealed text, subject_name_key text, subject_id_key text, unit_id text,
    received_at timestamptz, closed_at timestamptz, details jsonb, revision integer, updated_at timestamptz,
    filed_by text, parties text[]);
  PERFORM pg_advisory_xact_lock(hashtext(snapshot->'case'->>'id'));

  SELECT revision INTO stored_revision FROM cases WHERE id = snap_case.id;
  fresh := stored_revision IS NULL OR stored_revision < snap_case.revision;
  IF fresh THEN
    INSERT INTO cases (id, procedure, definition_version, variant, idempotency_key, workflow_id, state, outcome,
                       subject_kind, subject_sealed, subject_name_key, subject_id_key, unit_id, received_at, closed_at, details,
                       revision, updated_at, filed_by, parties)
    VALUES (snap_case.id, snap_case.procedure, snap_case.definition_version, snap_case.variant,
            snap_case.idempotency_key, snap_case.workflow_id, snap_case.state, snap_case.outcome,
            snap_case.subject_kind, snap_case.subject_sealed, snap_case.subject_name_key, snap_case.subject_id_key, snap_case.unit_id,
            snap_case.received_at, snap_case.closed_at, snap_case.details, snap_case.revision, snap_case.updated_at,
            COALESCE(snap_case.filed_by, 'caseworker'), COALESCE(snap_case.parties, '{}'))
    ON CONFLICT (id) DO UPDATE SET
      procedure = EXCLUDED.procedure, definition_version = EXCLUDED.definition_version, variant = EXCLUDED.variant,
      idempotency_key = EXCLUDED.idempotency_key, workflow_id = EXCLUDED.workflow_id, state = EXCLUDED.state,
      outcome = EXCLUDED.outcome, subject_kind = EXCLUDED.subject_kind, subject_sealed = EXCLUDED.subject_sealed,
      subject_name_key = EXCLUDED.subject_name_key, subject_id_key = EXCLUDED.subject_id_key, unit_id = EXCLUDED.unit_id,
      received_at = EXCLUDED.received_at,
      closed_at = EXCLUDED.closed_at, details = EXCLUDED.details, revision = EXCLUDED.revision,
      updated_at = EXCLUDED.updated_at, parties = EXCLUDED.parties;
    -- filed_by is kept from the first write: later snapshots carry only the events not yet written.

    DELETE FROM deadlines WHERE case_id = snap_case.id;
    INSERT INTO deadlines (case_id, key, label, basis, kind, status, start_at, due_date, due_at, provisional,
                           calendar_version, explanation, previous, completed_at, updated_at, procedure, case_unit,
                           owner_unit, caseworker, yellow_at, completion_recorded_at)
    SELECT snap_case.id, d.key, d.label, d.basis, d.kind, d.status, d.start_at, d.due_date, d.due_at, d.provisional,
           d.calendar_version, d.explanation, d.previous, d.completed_at, snap_case.updated_at, snap_case.procedure,
           snap_case.unit_id, COALESCE(d.owner_unit, snap_case.unit_id),
           (SELECT filed_by FROM cases WHERE id = snap_case.id), d.yellow_at, d.completion_recorded_at
    FROM jsonb_to_recordset(snapshot->'deadlines') AS d(
      key text, label text, basis text, kind text, status text, start_at timestamptz, due_date text,
      due_at timestamptz, provisional boolean, calendar_version text, explanation jsonb, previous jsonb,
      completed_at timestamptz, owner_unit text, yellow_at timestamptz, completion_recorded_at timestamptz);
  END IF;

  INSERT INTO case_events (id, case_id, seq, type, actor, at, reason, evidence_ref, data, recorded_at)
  SELECT e.id, snap_case.id, e.seq, e.type, e.actor, e.at, e.reason, e.evidence_ref, e.data, COALESCE(e.recorded_at, e.at)
  FROM jsonb_to_recordset(snapshot->'events') AS e(
    id text, seq integer, type text, actor text, at timestamptz, reason text, evidence_ref text, data jsonb,
    recorded_at timestamptz)
  ON CONFLICT (id) DO NOTHING;

  INSERT INTO escalations (case_id, deadline_key, level, due_at, fired_at, owner_unit, levels_up)
  SELECT snap_case.id, x.deadline_key, x.level, x.due_at, x.fired_at, x.owner_unit, COALESCE(x.levels_up, 0)
  FROM jsonb_to_recordset(snapshot->'escalations') AS x(
    deadline_key text, level text, due_at timestamptz, fired_at timestamptz, owner_unit text, levels_up integer)
  ON CONFLICT DO NOTHING;

  -- Notifications of every escalation step on record; their ids make a repeated snapshot add nothing.
  INSERT INTO notifications (id, user_id, unit_id, case_id, procedure, deadline_key, level, due_at, title)
  SELECT concat_ws('|', snap_case.id, x.deadline_key, x.level, x.due_at, r.user_id), r.user_id, r.unit_id, snap_case.id,
         snap_case.procedure, x.deadline_key, x.level, x.due_at,
         concat(x.level, ': ', x.deadline_key, ' of ', snap_case.procedure, ' case ', snap_case.id)
  FROM jsonb_to_recordset(snapshot->'escalations') AS x(
    deadline_key text, level text, due_at timestamptz, owner_unit text, levels_up integer),
    LATERAL escalation_recipients(COALESCE(x.owner_unit, snap_case.unit_id), snap_case.unit_id, x.level, COALESCE(x.levels_up, 0)) r
  ON CONFLICT (id) DO NOTHING;

  INSERT INTO outbox (id, channel, payload)
  SELECT concat_ws('|', snap_case.id, x.deadline_key, x.level, x.due_at), 'webhook',
         jsonb_build_object('type', 'deadline.' || x.level, 'caseId', snap_case.id, 'procedure', snap_case.procedure,
                            'unitId', snap_case.unit_id, 'ownerUnit', COALESCE(x.owner_unit, snap_case.unit_id),
                            'deadlineKey', x.deadline_key, 'level', x.level, 'levelsUp', COALESCE(x.levels_up, 0),
                            'dueAt', x.due_at, 'firedAt', x.fired_at)
  FROM jsonb_to_recordset(snapshot->'escalations') AS x(
    deadline_key text, level text, due_at timestamptz, fired_at timestamptz, owner_unit text, levels_up integer)
  ON CONFLICT (id) DO NOTHING;

  INSERT INTO credit_records (id, case_id, procedure, subject_kind, subject_id_key, kind, at, until, data)
  SELECT r.id, snap_case.id, snap_case.procedure, snap_case.subject_kind, snap_case.subject_id_key, r.kind, r.at,
         r.until, r.data
  FROM jsonb_to_recordset(COALESCE(snapshot->'credit', '[]'::jsonb)) AS r(
    id text, kind text, at timestamptz, until timestamptz, data jsonb)
  ON CONFLICT (id) DO NOTHING;

  RETURN CASE WHEN fresh THEN 'written' ELSE 'stale' END;
END
$fn$;
