import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../src/app';
import { createPrisma } from '../../src/db/prisma';
import { PayloadKeyRing } from '../../src/infra/payload-codec';
import { PersonalDataCipher } from '../../src/infra/personal-data';

/**
 * Prints (or writes to the file named by the first argument) the OpenAPI document without a database or Temporal: nothing is connected until a request is served, and
 * building the document serves none.
 */
async function main() {
  const app = await createApp({
    prisma: createPrisma(process.env.DATABASE_URL ?? 'postgresql://nobody@127.0.0.1:1/none'),
    personalData: new PersonalDataCipher(PayloadKeyRing.parse(PayloadKeyRing.generateSetting('openapi-dump'))),
    temporal: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
    taskQueue: 'openapi-dump',
    worker: { state: () => null },
    auth: { audience: 'legal-deadlines', localKeyFile: path.join(os.tmpdir(), 'ldl-openapi-dump-key.json') },
  });
  await app.init();
  const server = await app.listen(0, '127.0.0.1');
  const port = (server.address() as { port: number }).port;
  const res = await fetch(`http://127.0.0.1:${port}/docs/openapi.json`);
  const text = `${JSON.stringify(await res.json(), null, 2)}\n`;
  if (process.argv[2]) writeFileSync(process.argv[2], text);
  else process.stdout.write(text);
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
