import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import type { DevServerHandle } from '../../src/infra/temporal-dev-server';
import type { RunningService } from '../../src/service';
import { testPrisma } from '../support/db';
import { requestAs } from '../support/http';
import { waitFor } from '../support/cases';
import { startDevServer, startTestService } from '../support/service';

// tests/fixtures/tls: a test CA (its key was discarded), a server certificate for temporal.test and a client
// certificate, valid until 2126, made with openssl for this test and used nowhere else.
const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', 'tls', name);

/**
 * A TLS front for the (plain) dev server, as a Temporal cluster behind mTLS looks to the service: it presents
 * temporal.test's certificate, speaks HTTP/2 (ALPN h2), and with `requireClient` accepts only clients with a
 * certificate of the test CA. The bytes inside go to the dev server unchanged.
 */
function tlsFront(upstreamPort: number, requireClient: boolean) {
  const clients: string[] = [];
  const server = tls.createServer(
    {
      key: readFileSync(fixture('server.key')),
      cert: readFileSync(fixture('server.pem')),
      ca: readFileSync(fixture('ca.pem')),
      requestCert: requireClient,
      rejectUnauthorized: requireClient,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      const peer = socket.getPeerCertificate();
      clients.push(peer && 'subject' in peer && peer.subject ? String(peer.subject.CN) : 'no certificate');
      const upstream = net.connect(upstreamPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      const close = () => (socket.destroy(), upstream.destroy());
      socket.on('error', close);
      upstream.on('error', close);
    },
  );
  return {
    clients,
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let temporal: DevServerHandle;
const services: RunningService[] = [];
const fronts: ReturnType<typeof tlsFront>[] = [];
const prisma = testPrisma();

beforeAll(async () => {
  temporal = await startDevServer();
}, 120_000);

afterAll(async () => {
  for (const s of services) await s.stop();
  for (const f of fronts) await f.close();
  await prisma.$disconnect();
  await temporal?.stop();
});

const devPort = () => Number(temporal.address.split(':')[1]);
const mtls = (port: number) => ({
  TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
  TEMPORAL_TLS_CA_FILE: fixture('ca.pem'),
  TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
  TEMPORAL_TLS_CERT_FILE: fixture('client.pem'),
  TEMPORAL_TLS_KEY_FILE: fixture('client.key'),
});

it('files and runs a case through Temporal behind mTLS: the API and the worker both present the client certificate', async () => {
  const front = tlsFront(devPort(), true);
  fronts.push(front);
  const port = await front.listen();
  const settings = mtls(port);
  const service = await startTestService(settings.TEMPORAL_ADDRESS, `tls-${Date.now()}`, true, settings);
  services.push(service);
  const filed = await requestAs('caseworker-a', service.url, 'POST', '/cases', {
    procedure: 'credit-complaint',
    idempotencyKey: `tls-${Date.now()}`,
    receivedAt: new Date().toISOString(),
    subject: { name: 'TLS Co', uscc: '91350100M000100Y43' },
  });
  expect(filed.status).toBe(201);
  const caseId = (filed.body as { id: string }).id;
  // The worker's first step writes the read model: it reached Temporal through the front too.
  await waitFor(async () => ((await prisma.case.findUnique({ where: { id: caseId } }))?.revision ?? 0) >= 1, 30_000);
  expect(front.clients.length).toBeGreaterThanOrEqual(2);
  expect(new Set(front.clients)).toEqual(new Set(['legal-deadlines-test-client']));
}, 120_000);

it('does not start without the client certificate when the cluster requires one, naming TEMPORAL_ADDRESS', async () => {
  const front = tlsFront(devPort(), true);
  fronts.push(front);
  const port = await front.listen();
  const { TEMPORAL_TLS_CERT_FILE: _cert, TEMPORAL_TLS_KEY_FILE: _key, ...serverOnly } = mtls(port);
  await expect(startTestService(serverOnly.TEMPORAL_ADDRESS, `tls-refused-${Date.now()}`, false, serverOnly)).rejects.toThrow(
    `Temporal at TEMPORAL_ADDRESS (127.0.0.1:${port}) cannot be reached`,
  );
}, 120_000);
