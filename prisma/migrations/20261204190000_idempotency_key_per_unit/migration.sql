-- A filing's idempotency key belongs to the unit that files it: two units may each file key 2026-0001 under one
-- procedure (one unit's numbering says nothing about another's). New case ids derive from procedure, unit and key;
-- cases filed before keep theirs. Every pair unique before is unique under the wider key, so this cannot fail.
DROP INDEX IF EXISTS cases_procedure_idempotency_key_key;
CREATE UNIQUE INDEX cases_procedure_unit_id_idempotency_key_key ON cases (procedure, unit_id, idempotency_key);
