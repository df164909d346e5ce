import { loadConfig } from './config/config';
import { startService } from './service';

/** The service alone, against infrastructure given by DATABASE_URL and TEMPORAL_ADDRESS (production). */
async function main() {
  const service = await startService(loadConfig());
  console.log(`legal-deadlines listening on ${service.url} (OpenAPI at ${service.url}/docs)`);
  const stop = async (signal: string) => {
    console.log(`${signal}: stopping`);
    await service.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
