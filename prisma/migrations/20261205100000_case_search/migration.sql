-- Search of the work list (GET /cases?q=): exact subject name and exact ID number / credit code, each by an index.
-- A case number is a prefix of the id, answered by the primary key as a range.
CREATE INDEX "cases_subject_name_idx" ON "cases"("subject_name");
CREATE INDEX "cases_subject_id_number_idx" ON "cases"("subject_id_number");

-- Extension requests awaiting a supervisor (GET /supervision/extension-requests): only the request events, found
-- without reading the rest of the audit trail.
CREATE INDEX "case_events_extension_requests_idx" ON "case_events" ("case_id", "seq") WHERE "type" = 'extension.requested';
