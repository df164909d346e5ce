-- The overdue view reads each unit of a subtree through its own ordered index range and merges them (instead of
-- walking every open deadline in due order and filtering by unit, which grew with the rows it skipped). Clocks owned
-- by another unit than the case's (an assisting unit's reply) are found from the case's unit through this index.
CREATE INDEX deadlines_open_case_unit_due_idx ON deadlines (case_unit, due_at)
  WHERE status IN ('running', 'suspended', 'overdue') AND kind IN ('legal', 'promised') AND owner_unit <> case_unit;
