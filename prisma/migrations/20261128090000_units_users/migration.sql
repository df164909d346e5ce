-- Units form a tree; users hold roles in one unit. `path` is the chain of unit ids from the root ("root/a/"), so a
-- subtree is one index range (path LIKE 'root/a/%').
CREATE TABLE units (
  id text PRIMARY KEY,
  name text NOT NULL,
  parent_id text REFERENCES units (id),
  path text NOT NULL UNIQUE,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX units_path_idx ON units (path text_pattern_ops);

CREATE TABLE users (
  id text PRIMARY KEY,
  name text NOT NULL,
  unit_id text NOT NULL REFERENCES units (id),
  roles text[] NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT users_roles_known CHECK (roles <@ ARRAY['caseworker', 'supervisor', 'admin']::text[] AND cardinality(roles) > 0)
);
CREATE INDEX users_unit_id_idx ON users (unit_id);

-- Who filed a case (its caseworker), and the units involved besides the owner (assisting units, parties).
ALTER TABLE cases ADD COLUMN filed_by text NOT NULL DEFAULT 'caseworker';
ALTER TABLE cases ADD COLUMN parties text[] NOT NULL DEFAULT '{}';
CREATE INDEX cases_unit_id_received_at_idx ON cases (unit_id, received_at DESC);
CREATE INDEX cases_parties_idx ON cases USING gin (parties);

-- Art. 23 ¶4: every read of a natural person's unmasked personal information is recorded before it is disclosed.
CREATE TABLE personal_data_reads (
  id bigserial PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  unit_id text NOT NULL,
  fields text[] NOT NULL,
  at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX personal_data_reads_case_id_idx ON personal_data_reads (case_id, at);
