-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "cases" (
    "id" UUID NOT NULL,
    "procedure" TEXT NOT NULL,
    "definition_version" INTEGER NOT NULL,
    "variant" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "outcome" TEXT,
    "subject_kind" TEXT NOT NULL,
    "subject_name" TEXT NOT NULL,
    "subject_id_number" TEXT NOT NULL,
    "unit_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "details" JSONB NOT NULL DEFAULT '{}',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deadlines" (
    "case_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "basis" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "start_at" TIMESTAMPTZ(3) NOT NULL,
    "due_date" TEXT,
    "due_at" TIMESTAMPTZ(3),
    "provisional" BOOLEAN NOT NULL,
    "calendar_version" TEXT NOT NULL,
    "explanation" JSONB NOT NULL,
    "previous" JSONB NOT NULL DEFAULT '[]',
    "completed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deadlines_pkey" PRIMARY KEY ("case_id","key")
);

-- CreateTable
CREATE TABLE "case_events" (
    "id" TEXT NOT NULL,
    "case_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "evidence_ref" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "case_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalations" (
    "case_id" UUID NOT NULL,
    "deadline_key" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "escalations_pkey" PRIMARY KEY ("case_id","deadline_key","level","due_at")
);

-- CreateTable
CREATE TABLE "calendar_years" (
    "year" INTEGER NOT NULL,
    "notice" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "loaded_by" TEXT NOT NULL,

    CONSTRAINT "calendar_years_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "calendar_days" (
    "date" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "calendar_days_pkey" PRIMARY KEY ("date")
);

-- CreateIndex
CREATE UNIQUE INDEX "cases_idempotency_key_key" ON "cases"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "cases_workflow_id_key" ON "cases"("workflow_id");

-- CreateIndex
CREATE INDEX "cases_procedure_state_idx" ON "cases"("procedure", "state");

-- CreateIndex
CREATE INDEX "deadlines_status_due_at_idx" ON "deadlines"("status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "case_events_case_id_seq_key" ON "case_events"("case_id", "seq");

-- CreateIndex
CREATE INDEX "calendar_days_year_idx" ON "calendar_days"("year");

-- AddForeignKey
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_year_fkey" FOREIGN KEY ("year") REFERENCES "calendar_years"("year") ON DELETE CASCADE ON UPDATE CASCADE;

