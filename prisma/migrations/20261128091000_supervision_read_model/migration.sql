-- Supervision: the read model carries what the supervisor views filter and sort on, every event keeps when it was
-- recorded beside when it happened, and escalations write their notifications (in-app inbox and the outbox of the
-- delivery channels) in the same statement as the snapshot that records them.

ALTER TABLE case_events ADD COLUMN recorded_at timestamptz(3);
UPDATE case_events SET recorded_at = at;
ALTER TABLE case_events ALTER COLUMN recorded_at SET NOT NULL;

-- Denormalised from the case so that the overdue view and the on-time rate read one table through one index.
ALTER TABLE deadlines ADD COLUMN procedure text;
ALTER TABLE deadlines ADD COLUMN case_unit text;
ALTER TABLE deadlines ADD COLUMN owner_unit text;
ALTER TABLE deadlines ADD COLUMN caseworker text;
ALTER TABLE deadlines ADD COLUMN yellow_at timestamptz(3);
ALTER TABLE deadlines ADD COLUMN completion_recorded_at timestamptz(3);
UPDATE deadlines d SET procedure = c.procedure, case_unit = c.unit_id, caseworker = c.filed_by,
  owner_unit = COALESCE(d.explanation->>'owner', c.unit_id), yellow_at = (d.explanation->>'yellowAt')::timestamptz
FROM cases c WHERE c.id = d.case_id;
ALTER TABLE deadlines ALTER COLUMN procedure SET NOT NULL;
ALTER TABLE deadlines ALTER COLUMN case_unit SET NOT NULL;
ALTER TABLE deadlines ALTER COLUMN owner_unit SET NOT NULL;
ALTER TABLE deadlines ALTER COLUMN caseworker SET NOT NULL;
-- Open deadlines that can breach, in due order: the overdue and near-due views.
CREATE INDEX deadlines_open_due_idx ON deadlines (due_at, case_id, key) INCLUDE (owner_unit, case_unit, procedure, caseworker, yellow_at)
  WHERE status IN ('running', 'suspended', 'overdue') AND kind IN ('legal', 'promised');
CREATE INDEX deadlines_open_owner_due_idx ON deadlines (owner_unit, due_at)
  WHERE status IN ('running', 'suspended', 'overdue') AND kind IN ('legal', 'promised');
-- Legal deadlines by owner and due instant: the on-time rate.
CREATE INDEX deadlines_legal_owner_due_idx ON deadlines (owner_unit, due_at) INCLUDE (procedure, status) WHERE kind = 'legal';

ALTER TABLE escalations ADD COLUMN owner_unit text;
ALTER TABLE escalations ADD COLUMN levels_up integer NOT NULL DEFAULT 0;

-- The in-app inbox: one row per escalation step and recipient; the id makes it append-once.
CREATE TABLE notifications (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  unit_id text NOT NULL,
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  procedure text NOT NULL,
  deadline_key text NOT NULL,
  level text NOT NULL,
  due_at timestamptz(3) NOT NULL,
  title text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  read_at timestamptz(3)
);
CREATE INDEX notifications_user_id_created_at_idx ON notifications (user_id, created_at DESC, id);

-- Messages for the delivery channels (webhook), one per escalation step; delivered by an activity with retries.
CREATE TABLE outbox (
  id text PRIMARY KEY,
  channel text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
  delivered_at timestamptz(3),
  last_error text
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- Whom an escalation step addresses: the unit `levels_up` above the clock's owner (the case's unit when the owner is
-- not a unit of the tree), and there the roles the step is for.
CREATE OR REPLACE FUNCTION escalation_recipients(owner_unit text, case_unit text, level text, levels_up integer)
RETURNS TABLE (user_id text, unit_id text)
LANGUAGE sql STABLE AS $fn$
  WITH origin AS (
    SELECT u.path FROM units u WHERE u.id = owner_unit
    UNION ALL
    SELECT u.path FROM units u WHERE u.id = case_unit AND NOT EXISTS (SELECT 1 FROM units WHERE id = owner_unit)
    LIMIT 1
  ), chain AS (
    SELECT string_to_array(rtrim(path, '/'), '/') AS ids FROM origin
  ), target AS (
    SELECT ids[greatest(1, cardinality(ids) - levels_up)] AS id FROM chain
  )
  SELECT us.id, us.unit_id
  FROM users us, target t
  WHERE us.unit_id = t.id
    AND us.roles && CASE
      WHEN level = 'red' OR level LIKE 'overdue-%' THEN ARRAY['caseworker', 'supervisor']
      WHEN level LIKE 'escalation-%' THEN ARRAY['supervisor']
      ELSE ARRAY['caseworker']
    END;
$fn$;

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
    received_at timestamptz, closed_at timestamptz, details jsonb, revision integer, updated_at timestamptz,
    filed_by text, parties text[]);
  PERFORM pg_advisory_xact_lock(hashtext(snapshot->'case'->>'id'));

  SELECT revision INTO stored_revision FROM cases WHERE id = snap_case.id;
  fresh := stored_revision IS NULL OR stored_revision < snap_case.revision;
  IF fresh THEN
    INSERT INTO cases (id, procedure, definition_version, variant, idempotency_key, workflow_id, state, outcome,
                       subject_kind, subject_name, subject_id_number, unit_id, received_at, closed_at, details,
                       revision, updated_at, filed_by, parties)
    VALUES (snap_case.id, snap_case.procedure, snap_case.definition_version, snap_case.variant,
            snap_case.idempotency_key, snap_case.workflow_id, snap_case.state, snap_case.outcome,
            snap_case.subject_kind, snap_case.subject_name, snap_case.subject_id_number, snap_case.unit_id,
            snap_case.received_at, snap_case.closed_at, snap_case.details, snap_case.revision, snap_case.updated_at,
            COALESCE(snap_case.filed_by, 'caseworker'), COALESCE(snap_case.parties, '{}'))
    ON CONFLICT (id) DO UPDATE SET
      procedure = EXCLUDED.procedure, definition_version = EXCLUDED.definition_version, variant = EXCLUDED.variant,
      idempotency_key = EXCLUDED.idempotency_key, workflow_id = EXCLUDED.workflow_id, state = EXCLUDED.state,
      outcome = EXCLUDED.outcome, subject_kind = EXCLUDED.subject_kind, subject_name = EXCLUDED.subject_name,
      subject_id_number = EXCLUDED.subject_id_number, unit_id = EXCLUDED.unit_id, received_at = EXCLUDED.received_at,
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

  INSERT INTO credit_records (id, case_id, procedure, subject_kind, subject_id_number, kind, at, until, data)
  SELECT r.id, snap_case.id, snap_case.procedure, snap_case.subject_kind, snap_case.subject_id_number, r.kind, r.at,
         r.until, r.data
  FROM jsonb_to_recordset(COALESCE(snapshot->'credit', '[]'::jsonb)) AS r(
    id text, kind text, at timestamptz, until timestamptz, data jsonb)
  ON CONFLICT (id) DO NOTHING;

  RETURN CASE WHEN fresh THEN 'written' ELSE 'stale' END;
END
$fn$;
