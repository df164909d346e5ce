-- The on-time rate of a province over a year reads over a million deadline rows (measured 336–426 ms on 2 cores).
-- Legal deadlines are counted per owning unit, procedure and due date (the last day of the period, Asia/Shanghai) in
-- a rollup that statement-level triggers keep in step with every write of `deadlines`, in the same transaction.
-- Open deadlines are one count: a legal due instant is the end of its due date, so an open deadline is breached when
-- its due date is before today and still running otherwise.
CREATE TABLE on_time_days (
  owner_unit text NOT NULL,
  procedure text NOT NULL,
  due_date text NOT NULL,
  met integer NOT NULL DEFAULT 0,
  met_late integer NOT NULL DEFAULT 0,
  open integer NOT NULL DEFAULT 0,
  PRIMARY KEY (owner_unit, procedure, due_date)
);
CREATE INDEX on_time_days_due_date_idx ON on_time_days (due_date);

CREATE OR REPLACE FUNCTION on_time_category(kind text, status text, due_date text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE
    WHEN kind <> 'legal' OR due_date IS NULL THEN NULL
    WHEN status = 'met' THEN 'met'
    WHEN status IN ('met-late', 'met-recorded-late') THEN 'met_late'
    WHEN status IN ('running', 'suspended', 'overdue') THEN 'open'
  END;
$fn$;

CREATE OR REPLACE FUNCTION on_time_apply(changes jsonb) RETURNS void
LANGUAGE sql AS $fn$
  INSERT INTO on_time_days AS t (owner_unit, procedure, due_date, met, met_late, open)
  SELECT c.owner_unit, c.procedure, c.due_date,
         COALESCE(sum(c.n) FILTER (WHERE c.category = 'met'), 0), COALESCE(sum(c.n) FILTER (WHERE c.category = 'met_late'), 0),
         COALESCE(sum(c.n) FILTER (WHERE c.category = 'open'), 0)
  FROM jsonb_to_recordset(changes) AS c(owner_unit text, procedure text, due_date text, category text, n integer)
  GROUP BY c.owner_unit, c.procedure, c.due_date
  ORDER BY c.owner_unit, c.procedure, c.due_date
  ON CONFLICT (owner_unit, procedure, due_date) DO UPDATE SET
    met = t.met + EXCLUDED.met, met_late = t.met_late + EXCLUDED.met_late, open = t.open + EXCLUDED.open;
$fn$;

CREATE OR REPLACE FUNCTION on_time_rollup_trigger() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  changes jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(x) INTO changes FROM (
      SELECT owner_unit, procedure, due_date, on_time_category(kind, status, due_date) AS category, count(*)::int AS n
      FROM new_rows WHERE on_time_category(kind, status, due_date) IS NOT NULL
      GROUP BY 1, 2, 3, 4) x;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(x) INTO changes FROM (
      SELECT owner_unit, procedure, due_date, on_time_category(kind, status, due_date) AS category, -count(*)::int AS n
      FROM old_rows WHERE on_time_category(kind, status, due_date) IS NOT NULL
      GROUP BY 1, 2, 3, 4) x;
  ELSE
    SELECT jsonb_agg(x) INTO changes FROM (
      SELECT owner_unit, procedure, due_date, category, sum(n)::int AS n FROM (
        SELECT owner_unit, procedure, due_date, on_time_category(kind, status, due_date) AS category, 1 AS n FROM new_rows
        UNION ALL
        SELECT owner_unit, procedure, due_date, on_time_category(kind, status, due_date), -1 FROM old_rows) d
      WHERE category IS NOT NULL
      GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0) x;
  END IF;
  IF changes IS NOT NULL THEN PERFORM on_time_apply(changes); END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER deadlines_on_time_insert AFTER INSERT ON deadlines REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION on_time_rollup_trigger();
CREATE TRIGGER deadlines_on_time_delete AFTER DELETE ON deadlines REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION on_time_rollup_trigger();
CREATE TRIGGER deadlines_on_time_update AFTER UPDATE ON deadlines REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION on_time_rollup_trigger();

-- Rebuilds the rollup from the deadlines (the migration's backfill; also a repair if it were ever doubted).
CREATE OR REPLACE FUNCTION rebuild_on_time_days() RETURNS void
LANGUAGE sql AS $fn$
  DELETE FROM on_time_days;
  INSERT INTO on_time_days (owner_unit, procedure, due_date, met, met_late, open)
  SELECT owner_unit, procedure, due_date,
         count(*) FILTER (WHERE on_time_category(kind, status, due_date) = 'met'),
         count(*) FILTER (WHERE on_time_category(kind, status, due_date) = 'met_late'),
         count(*) FILTER (WHERE on_time_category(kind, status, due_date) = 'open')
  FROM deadlines WHERE on_time_category(kind, status, due_date) IS NOT NULL
  GROUP BY owner_unit, procedure, due_date;
$fn$;
SELECT rebuild_on_time_days();
