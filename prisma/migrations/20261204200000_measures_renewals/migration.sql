-- Notices renewing a procedure's measures after the date they end (Jiangbei property rating, Art. 15: in force
-- 2022-07-01 for two years). An administrator records each one (POST /procedures/property-rating/renewals); a filing
-- whose receipt date falls inside a notice's validity is accepted under it and cites its document number.
-- Rows are never changed: who recorded a notice and when is its audit record.
CREATE TABLE "measures_renewals" (
    "id" SERIAL NOT NULL,
    "procedure" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "issued_at" TEXT NOT NULL,
    "valid_from" TEXT NOT NULL,
    "valid_to" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "measures_renewals_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "measures_renewals_dates_check" CHECK (
        "issued_at" ~ '^\d{4}-\d{2}-\d{2}$' AND "valid_from" ~ '^\d{4}-\d{2}-\d{2}$' AND "valid_to" ~ '^\d{4}-\d{2}-\d{2}$'
        AND "valid_from" <= "valid_to"
    )
);
CREATE INDEX "measures_renewals_procedure_idx" ON "measures_renewals" ("procedure", "valid_from");
