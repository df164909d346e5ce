import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const OIDC_CLIENT_ID = 'ldl-web';

export interface TestOidcProvider {
  issuer: string;
  /** Registers the web app's client, whose redirect URI is the service's root. */
  registerClient(serviceUrl: string): Promise<void>;
  /** The lifetime of the access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

/** oidc-provider in a child process (oidc-test-provider.mjs), on a free port of 127.0.0.1. */
export async function startOidcProvider(audience: string): Promise<TestOidcProvider> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [path.join(__dirname, 'oidc-test-provider.mjs')], {
    env: { ...process.env, OIDC_CLIENT_ID, OIDC_AUDIENCE: audience },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const replies = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  // Its own lines are JSON; oidc-provider's warnings (development keys, devInteractions) go to stdout too.
  const reply = async (): Promise<{ issuer: string }> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the OIDC provider did not answer: ${stderr}`)), 15_000)));
    try {
      for (;;) {
        const next = await Promise.race([replies.next(), timeout]);
        if (next.done) throw new Error(`the OIDC provider exited: ${stderr}`);
        if ((next.value as string).startsWith('{')) return JSON.parse(next.value as string) as { issuer: string };
      }
    } finally {
      clearTimeout(timer);
    }
  };
  const send = async (message: object) => {
    child.stdin.write(`${JSON.stringify(message)}\n`);
    await reply();
  };
  const { issuer } = await reply();
  return {
    issuer,
    registerClient: (serviceUrl) => send({ serviceUrl }),
    setAccessTokenTtl: (seconds) => send({ accessTokenTtl: seconds }),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
  };
}
