// The image's HEALTHCHECK: one probe for every process shape, so replicas differ only by their environment.
// API (RUN_API not false): GET /health must answer 200 (PostgreSQL, Temporal and the process's worker ready).
// Worker-only: it opens no HTTP port; the SDK's Prometheus exporter on TEMPORAL_METRICS_PORT answering shows
// the worker runtime is up. A worker-only process without that port has nothing to probe and counts as healthy.
const env = process.env;
const apiRuns = (env.RUN_API ?? 'true').trim().toLowerCase() !== 'false';
const target = apiRuns
  ? `http://127.0.0.1:${env.PORT || 3000}/health`
  : env.TEMPORAL_METRICS_PORT
    ? `http://127.0.0.1:${env.TEMPORAL_METRICS_PORT}/metrics`
    : undefined;

if (!target) process.exit(0);
fetch(target, { signal: AbortSignal.timeout(4000) }).then(
  (response) => {
    if (!response.ok) console.error(`${target} answered ${response.status}`);
    process.exit(response.ok ? 0 : 1);
  },
  (error) => {
    console.error(`${target}: ${error.message}`);
    process.exit(1);
  },
);
