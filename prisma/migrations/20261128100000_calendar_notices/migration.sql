-- Every holiday notice loaded for a year, kept in order (TIME-RULES rule 8): the base notice and the supplementary
-- notices that amend it. A later base notice of the same year supersedes the earlier one and its supplements.
-- calendar_days is derived from these rows (one row per date, `year` = the year whose notice set it).
CREATE TABLE "calendar_notices" (
    "year" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "loaded_by" TEXT NOT NULL,
    "holidays" JSONB NOT NULL DEFAULT '{}',
    "makeup_workdays" JSONB NOT NULL DEFAULT '{}',
    "ordinary_days" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "calendar_notices_pkey" PRIMARY KEY ("year", "seq"),
    CONSTRAINT "calendar_notices_kind_check" CHECK ("kind" IN ('notice', 'supplement'))
);

ALTER TABLE "calendar_notices" ADD CONSTRAINT "calendar_notices_year_fkey" FOREIGN KEY ("year") REFERENCES "calendar_years"("year") ON DELETE CASCADE ON UPDATE CASCADE;

-- The years loaded so far become one base notice each, with the days they hold.
INSERT INTO "calendar_notices" ("year", "seq", "kind", "title", "loaded_at", "loaded_by", "holidays", "makeup_workdays")
SELECT y."year", 1, 'notice', y."notice", y."loaded_at", y."loaded_by",
       COALESCE(jsonb_object_agg(d."date", d."name") FILTER (WHERE d."kind" = 'holiday'), '{}'),
       COALESCE(jsonb_object_agg(d."date", d."name") FILTER (WHERE d."kind" = 'makeup-workday'), '{}')
FROM "calendar_years" y LEFT JOIN "calendar_days" d ON d."year" = y."year"
GROUP BY y."year";

-- A calendar change whose running cases still have to be signalled: written in the change's transaction, marked
-- when the signals went out, so a change made at start-up (a corrected shipped file) or interrupted by a crash is
-- signalled once a worker runs.
CREATE TABLE "calendar_changes" (
    "id" SERIAL NOT NULL,
    "reason" TEXT NOT NULL,
    "changed_dates" TEXT[] NOT NULL,
    "confirmed_years" INTEGER[] NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "signalled_at" TIMESTAMPTZ(3),

    CONSTRAINT "calendar_changes_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "calendar_changes_pending_idx" ON "calendar_changes" ("id") WHERE "signalled_at" IS NULL;
