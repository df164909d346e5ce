-- Search of the work list (GET /cases?q=) by paper file number: the evidenceRef of the filing or of any step.
CREATE INDEX "case_events_evidence_ref_idx" ON "case_events"("evidence_ref");
