#!/bin/bash
# PostgreSQL's image runs this once, on an empty data directory. Roles own only their databases: the service's
# role cannot read Temporal's persistence and Temporal's cannot read the read model.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username postgres \
  -v service_password="$SERVICE_DB_PASSWORD" -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE legal_deadlines LOGIN PASSWORD :'service_password';
CREATE DATABASE legal_deadlines OWNER legal_deadlines;
CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
REVOKE CONNECT ON DATABASE legal_deadlines, temporal, temporal_visibility FROM PUBLIC;
SQL
