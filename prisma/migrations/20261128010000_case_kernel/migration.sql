-- The case kernel: every procedure's cases in one read model.
-- 1. An idempotency key is unique per procedure, not across procedures.
ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_idempotency_key_key;
DROP INDEX IF EXISTS cases_idempotency_key_key;
CREATE UNIQUE INDEX cases_procedure_idempotency_key_key ON cases (procedure, idempotency_key);

-- 2. The subject's shared credit status (listed, repaired, false or unkept commitments): one row per effect, written
-- in the same statement as the case snapshot whose event causes it; the id (case id + sequence) makes it append-once.
CREATE TABLE credit_records (
  id text PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  procedure text NOT NULL,
  subject_kind text NOT NULL,
  subject_id_number text NOT NULL,
  kind text NOT NULL,
  at timestamptz(3) NOT NULL,
  until timestamptz(3),
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX credit_records_subject_id_number_at_idx ON credit_records (subject_id_number, at);

-- 3. The snapshot write also appends the credit effects (absent for cases filed before the kernel).
CREATE OR REPLACE FUNCTION persist_case_snapshot(snapshot jsonb) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  snap_case record;
  stored_revision integer;
  fresh boolean;
BEGIN
  SELECT * INTO snap_case FROM jsonb_to_record(snapshot->'case') AS x(
    id uuid, procedure text, definition_version integer, variant text, idempotency_key text, workflow_id text,
    state text, outcome text, subject_kind text, subject_name text, subject_id_number text, unit_id text,
    received_at timestamptz, closed_at timestamptz, details jsonb, revision integer, updated_at timestamptz);
  PERFORM pg_advisory_xact_lock(hashtext(snapshot->'case'->>'id'));

  SELECT revision INTO stored_revision FROM cases WHERE id = snap_case.id;
  fresh := stored_revision IS NULL OR stored_revision < snap_case.revision;
  IF fresh THEN
    INSERT INTO cases (id, procedure, definition_version, variant, idempotency_key, workflow_id, state, outcome,
                       subject_kind, subject_name, subject_id_number, unit_id, received_at, closed_at, details,
                       revision, updated_at)
    VALUES (snap_case.id, snap_case.procedure, snap_case.definition_version, snap_case.variant,
            snap_case.idempotency_key, snap_case.workflow_id, snap_case.state, snap_case.outcome,
            snap_case.subject_kind, snap_case.subject_name, snap_case.subject_id_number, snap_case.unit_id,
            snap_case.received_at, snap_case.closed_at, snap_case.details, snap_case.revision, snap_case.updated_at)
    ON CONFLICT (id) DO UPDATE SET
      procedure = EXCLUDED.procedure, definition_version = EXCLUDED.definition_version, variant = EXCLUDED.variant,
      idempotency_key = EXCLUDED.idempotency_key, workflow_id = EXCLUDED.workflow_id, state = EXCLUDED.state,
      outcome = EXCLUDED.outcome, subject_kind = EXCLUDED.subject_kind, subject_name = EXCLUDED.subject_name,
      subject_id_number = EXCLUDED.subject_id_number, unit_id = EXCLUDED.unit_id, received_at = EXCLUDED.received_at,
      closed_at = EXCLUDED.closed_at, details = EXCLUDED.details, revision = EXCLUDED.revision,
      updated_at = EXCLUDED.updated_at;

    DELETE FROM deadlines WHERE case_id = snap_case.id;
    INSERT INTO deadlines (case_id, key, label, basis, kind, status, start_at, due_date, due_at, provisional,
                           calendar_version, explanation, previous, completed_at, updated_at)
    SELECT snap_case.id, d.key, d.label, d.basis, d.kind, d.status, d.start_at, d.due_date, d.due_at, d.provisional,
           d.calendar_version, d.explanation, d.previous, d.completed_at, snap_case.updated_at
    FROM jsonb_to_recordset(snapshot->'deadlines') AS d(
      key text, label text, basis text, kind text, status text, start_at timestamptz, due_date text,
      due_at timestamptz, provisional boolean, calendar_version text, explanation jsonb, previous jsonb,
      completed_at timestamptz);
  END IF;

  INSERT INTO case_events (id, case_id, seq, type, actor, at, reason, evidence_ref, data)
  SELECT e.id, snap_case.id, e.seq, e.type, e.actor, e.at, e.reason, e.evidence_ref, e.data
  FROM jsonb_to_recordset(snapshot->'events') AS e(
    id text, seq integer, type text, actor text, at timestamptz, reason text, evidence_ref text, data jsonb)
  ON CONFLICT (id) DO NOTHING;

  INSERT INTO escalations (case_id, deadline_key, level, due_at, fired_at)
  SELECT snap_case.id, x.deadline_key, x.level, x.due_at, x.fired_at
  FROM jsonb_to_recordset(snapshot->'escalations') AS x(
    deadline_key text, level text, due_at timestamptz, fired_at timestamptz)
  ON CONFLICT DO NOTHING;

  INSERT INTO credit_records (id, case_id, procedure, subject_kind, subject_id_number, kind, at, until, data)
  SELECT r.id, snap_case.id, snap_case.procedure, snap_case.subject_kind, snap_case.subject_id_number, r.kind, r.at,
         r.until, r.data
  FROM jsonb_to_recordset(COALESCE(snapshot->'credit', '[]'::jsonb)) AS r(
    id text, kind text, at timestamptz, until timestamptz, data jsonb)
  ON CONFLICT (id) DO NOTHING;

  RETURN CASE WHEN fresh THEN 'written' ELSE 'stale' END;
END
$fn$;
