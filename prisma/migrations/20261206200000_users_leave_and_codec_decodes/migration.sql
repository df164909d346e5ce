-- People leave (decision 0022): a user is deactivated, not deleted (their cases, events and assignments name them).
-- AlterTable
ALTER TABLE "users" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "tokens_valid_after" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "user_status_changes" (
    "id" BIGSERIAL NOT NULL,
    "user_id" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL,
    "by" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_status_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payload_decodes" (
    "id" BIGSERIAL NOT NULL,
    "user_id" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "namespace" TEXT,
    "workflow_id" TEXT,
    "payloads" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payload_decodes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "user_status_changes_user_id_id_idx" ON "user_status_changes"("user_id", "id");

-- CreateIndex
CREATE INDEX "payload_decodes_at_idx" ON "payload_decodes"("at");


-- Escalations reach active users only. When every user the step is for at the target unit is deactivated, the
-- step goes to the active supervisors of the nearest unit above that has any, so no step lands with nobody.
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
    SELECT ids, greatest(1, cardinality(ids) - levels_up) AS k FROM chain
  ), candidates AS (
    SELECT us.id AS uid, us.unit_id AS uunit, t.k - i AS distance
    FROM target t, generate_subscripts(t.ids, 1) AS i, users us
    WHERE i <= t.k
      AND us.unit_id = t.ids[i]
      AND us.active
      AND us.roles && CASE
        WHEN i < t.k THEN ARRAY['supervisor']
        WHEN level = 'red' OR level LIKE 'overdue-%' THEN ARRAY['caseworker', 'supervisor']
        WHEN level LIKE 'escalation-%' THEN ARRAY['supervisor']
        ELSE ARRAY['caseworker']
      END
  )
  SELECT c.uid, c.uunit FROM candidates c WHERE c.distance = (SELECT min(distance) FROM candidates);
$fn$;
