#!/bin/sh
# Temporal's own schema in the databases init-databases.sh created. setup-schema keeps an existing version and
# update-schema applies only the versions a database lacks, so this runs on every `up` and after every upgrade.
set -eu
tool="temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 -u temporal"
schema=/etc/temporal/schema/postgresql/v12
until nc -z postgres 5432; do echo 'waiting for PostgreSQL'; sleep 1; done
$tool --db temporal setup-schema -v 0.0
$tool --db temporal update-schema -d "$schema/temporal/versioned"
$tool --db temporal_visibility setup-schema -v 0.0
$tool --db temporal_visibility update-schema -d "$schema/visibility/versioned"
echo 'Temporal schema up to date'
