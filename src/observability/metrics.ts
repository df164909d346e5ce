import type { PrismaClient } from '@prisma/client';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The process's own figures; gauges read from PostgreSQL are added per scrape (DatabaseGauges). */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const filingsTotal = new Counter({ name: 'ldl_filings_total', help: 'Cases filed by this process (workflow started)', labelNames: ['procedure'], registers: [metricsRegistry] });
export const actionsTotal = new Counter({ name: 'ldl_actions_total', help: 'Actions accepted and applied by this process', labelNames: ['procedure', 'action'], registers: [metricsRegistry] });
export const refusalsTotal = new Counter({ name: 'ldl_refusals_total', help: 'Filings and actions refused by a legal rule (422, or 403 for a party rule)', labelNames: ['rule'], registers: [metricsRegistry] });
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route pattern',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});
export const requestDeadlinesTotal = new Counter({
  name: 'ldl_request_deadlines_total',
  help: 'Requests answered 503 by the backstop at REQUEST_TIMEOUT_MS (plus a margin), by the dependency they were waiting on',
  labelNames: ['dependency'],
  registers: [metricsRegistry],
});
export const healthCheckFailuresTotal = new Counter({
  name: 'ldl_health_check_failures_total',
  help: 'Dependency checks of GET /health that failed, by dependency and reason (timeout, unreachable, refused, error)',
  labelNames: ['dependency', 'reason'],
  registers: [metricsRegistry],
});
export const collectErrorsTotal = new Counter({ name: 'ldl_metrics_collect_errors_total', help: 'Scrape-time reads of PostgreSQL that failed or timed out (the gauge is left out of that scrape)', labelNames: ['gauge'], registers: [metricsRegistry] });

export const countFiling = (procedure: string) => filingsTotal.inc({ procedure });
export const countAction = (procedure: string, action: string) => actionsTotal.inc({ procedure, action });
export const countRefusal = (rule: string) => refusalsTotal.inc({ rule });

/** A scrape's reads of PostgreSQL; never longer than REQUEST_TIMEOUT_MS, so a hung server leaves the gauges out in time. */
export const SCRAPE_QUERY_TIMEOUT_MS = 2_000;

/**
 * Cluster-wide truths read from PostgreSQL at scrape time, so every replica reports the same and none keeps state:
 * escalations by level, undelivered outbox rows, and the read model's lag behind the timers — how long ago the
 * earliest due instant passed that the read model has not yet recorded (a deadline still `running` past its due
 * instant: its red or expiry has not been written by the worker), 0 when none.
 */
export class DatabaseGauges {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly timeoutMs = SCRAPE_QUERY_TIMEOUT_MS,
  ) {}

  async metrics(): Promise<{ contentType: string; text: string }> {
    const scrape = new Registry();
    const [escalations, backlog, lag] = await Promise.all([
      this.read('ldl_escalations', () => this.prisma.$queryRaw<{ level: string; n: bigint }[]>`SELECT level, count(*) AS n FROM escalations GROUP BY level`),
      this.read('ldl_outbox_backlog', () => this.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM outbox WHERE delivered_at IS NULL`),
      this.read('ldl_read_model_lag_seconds', () =>
        this.prisma.$queryRaw<{ lag: number | null }[]>`SELECT extract(epoch FROM now() - min(due_at))::float8 AS lag FROM deadlines WHERE status = 'running' AND due_at <= now()`,
      ),
    ]);
    if (escalations) {
      const g = new Gauge({ name: 'ldl_escalations', help: 'Escalation steps recorded, by level (yellow, red, reminders, escalations up the tree)', labelNames: ['level'], registers: [scrape] });
      for (const row of escalations) g.set({ level: row.level }, Number(row.n));
    }
    if (backlog) new Gauge({ name: 'ldl_outbox_backlog', help: 'Notification messages not yet delivered', registers: [scrape] }).set(Number(backlog[0]?.n ?? 0));
    if (lag) new Gauge({ name: 'ldl_read_model_lag_seconds', help: 'Seconds since the earliest due instant the read model has not yet recorded (0 when none)', registers: [scrape] }).set(Math.max(0, lag[0]?.lag ?? 0));
    const merged = Registry.merge([metricsRegistry, scrape]);
    return { contentType: metricsRegistry.contentType, text: await merged.metrics() };
  }

  /** PostgreSQL stops the statement at the timeout and the scrape does not wait for a pooled connection past it. */
  private async read<T>(gauge: string, query: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const bounded = this.prisma.$transaction([this.prisma.$queryRaw`SELECT set_config('statement_timeout', ${String(this.timeoutMs)}, true)`, query() as never]);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), this.timeoutMs);
      });
      const [, rows] = (await Promise.race([bounded, timeout])) as [unknown, T];
      return rows;
    } catch {
      collectErrorsTotal.inc({ gauge });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
