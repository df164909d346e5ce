import { createPrisma } from '../../src/db/prisma';

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global-setup creates the database)');
  return url;
}

export function testPrisma() {
  return createPrisma(testDatabaseUrl(), 4);
}
