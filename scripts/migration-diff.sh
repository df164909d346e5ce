#!/usr/bin/env bash
# Writes a new SQL migration from the difference between the committed schema and the working one:
#   npm run migrate:diff -- <name>
# The Prisma CLI cannot run `migrate dev` offline (see README), so migrations are diffs of two datamodels.
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: migration-diff.sh <name>}
previous=$(mktemp --suffix=.prisma)
trap 'rm -f "$previous"' EXIT
if git show HEAD:prisma/schema.prisma > "$previous" 2>/dev/null; then from=(--from-schema-datamodel "$previous"); else from=(--from-empty); fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
npx prisma migrate diff "${from[@]}" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
[ -s "$dir/migration.sql" ] || { echo "no schema change; nothing written" >&2; rm -r "$dir"; exit 1; }
echo "wrote $dir/migration.sql"
