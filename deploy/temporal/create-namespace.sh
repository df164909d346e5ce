#!/bin/sh
# The service's namespace, once. Retention is how long a closed case's history stays readable in Temporal (the read
# model keeps the case for good); changing it later: `temporal operator namespace update --retention ...`.
set -eu
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" | grep -q SERVING; do
  echo 'waiting for Temporal'; sleep 2
done
if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $NAMESPACE exists"
else
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" -n "$NAMESPACE" --retention "$RETENTION"
fi
