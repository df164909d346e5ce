-- Case assignment (decision 0020): who handles a case now, outside the workflow. persist_case_snapshot and the API's
-- insertFiledCase list their columns, so neither ever overwrites these.
ALTER TABLE "cases" ADD COLUMN "assignee" text, ADD COLUMN "assigned_by" text, ADD COLUMN "assigned_at" timestamptz(3);
CREATE INDEX "cases_assignee_idx" ON "cases"("assignee");

-- Append-only: every change of assignee, the filer's own assignment first.
CREATE TABLE "case_assignments" (
  "id" bigserial PRIMARY KEY,
  "case_id" uuid NOT NULL REFERENCES "cases"("id") ON DELETE CASCADE,
  "assignee" text,
  "assigned_by" text NOT NULL,
  "at" timestamptz(3) NOT NULL,
  "previous" text
);
CREATE INDEX "case_assignments_case_id_id_idx" ON "case_assignments"("case_id", "id");

-- A filed case is assigned to its filer by whichever writer inserts its row first (the API or the worker's
-- snapshot); the other one conflicts on the id and leaves the row as it is. A filer who is no user (rows from
-- before users existed say 'caseworker') assigns nothing.
CREATE FUNCTION assign_filed_case() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.assignee IS NULL AND EXISTS (SELECT 1 FROM users WHERE id = NEW.filed_by) THEN
    NEW.assignee := NEW.filed_by;
    NEW.assigned_by := NEW.filed_by;
    NEW.assigned_at := now();
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER cases_assign_filed_case BEFORE INSERT ON "cases" FOR EACH ROW EXECUTE FUNCTION assign_filed_case();

-- AFTER INSERT fires only for a row actually inserted, not for one that met ON CONFLICT.
CREATE FUNCTION record_filed_assignment() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.assignee IS NOT NULL THEN
    INSERT INTO case_assignments (case_id, assignee, assigned_by, at, previous)
    VALUES (NEW.id, NEW.assignee, NEW.assigned_by, NEW.assigned_at, NULL);
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER cases_record_filed_assignment AFTER INSERT ON "cases" FOR EACH ROW EXECUTE FUNCTION record_filed_assignment();
