-- Search of the work list (GET /cases?q=): exact subject name and exact ID number / credit code, each by an index.
-- A case number is a prefix of the id, answered by the primary key as a range.
CREATE INDEX "cases_subject_name_idx" ON "cases"("subject_name");
CREATE INDEX "cases_subject_id_number_idx" ON "cases"("subject_id_number");
