import { isIP } from 'node:net';
import { DefaultLogger, LogEntry, LogLevel, Runtime } from '@temporalio/worker';
import { describeError, log } from './logger';

export interface TemporalRuntimeSettings {
  /** TEMPORAL_METRICS_PORT: the SDK's Prometheus exporter; off when absent. */
  metricsPort?: number;
  /** HOST: the exporter binds its address when it is one. */
  host: string;
  /** LOG_LEVEL, as pino names it. */
  logLevel: string;
}

let installed: TemporalRuntimeSettings | undefined;

/**
 * The SDK's process-wide runtime, installed before the first native connection: its own log lines and those of the
 * workflows and activities go through the service's JSON logger (native ones forwarded too), its metrics to
 * TEMPORAL_METRICS_PORT, and it leaves SIGTERM to main.ts, which drains the API before it stops the worker (the SDK's
 * default would stop the worker at once, under the API's in-flight actions).
 */
export function installTemporalRuntime(settings: TemporalRuntimeSettings): void {
  if (installed) {
    if (installed.metricsPort !== settings.metricsPort) throw new Error(`TEMPORAL_METRICS_PORT: this process already exports Temporal metrics on ${installed.metricsPort ?? 'no port'}`);
    return;
  }
  const level = sdkLevel(settings.logLevel);
  try {
    Runtime.install({
      logger: new DefaultLogger(level, writeSdkEntry),
      shutdownSignals: [],
      telemetryOptions: {
        logging: { filter: { core: level, other: 'ERROR' }, forward: {} },
        ...(settings.metricsPort !== undefined ? { metrics: { prometheus: { bindAddress: `${bindAddress(settings.host)}:${settings.metricsPort}` } } } : {}),
      },
    });
  } catch (error) {
    // A runtime this process made already (the test suites install a quiet one) is kept, unless metrics were asked for.
    if (settings.metricsPort !== undefined) throw error;
  }
  installed = settings;
}

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

function sdkLevel(pinoLevel: string): LogLevel {
  const levels: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' };
  return levels[pinoLevel] ?? 'ERROR';
}

/** Errors in the SDK's metadata are described by type and frames: their messages may quote what a rule read. */
function writeSdkEntry(entry: LogEntry): void {
  const meta: Record<string, unknown> = { source: 'temporal-sdk' };
  for (const [key, value] of Object.entries(entry.meta ?? {})) meta[key] = value instanceof Error ? describeError(value) : value;
  log()[PINO_LEVEL[entry.level]](meta, entry.message);
}

/** The exporter binds an address, not a name: the API's HOST when it is one, else every interface. */
function bindAddress(host: string): string {
  const ip = host === 'localhost' ? '127.0.0.1' : host;
  return isIP(ip) === 4 ? ip : isIP(ip) === 6 ? `[${ip}]` : '0.0.0.0';
}
