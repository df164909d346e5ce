import { ensureLocalSigningKey, signLocalToken } from '../../src/auth/local-signing-key';

/** Who the HTTP helpers act as unless a test says otherwise: sees and acts on every demo unit's cases. */
export const DEFAULT_TEST_USER = 'supervisor-root';

const tokens = new Map<string, Promise<string>>();

/** A token for a user of the demo directory, signed with the key the test services verify against (global setup). */
export function tokenFor(userId: string): Promise<string> {
  const file = process.env.AUTH_LOCAL_KEY_FILE;
  if (!file) throw new Error('AUTH_LOCAL_KEY_FILE is not set: run the tests through jest (global-setup creates the key)');
  let token = tokens.get(userId);
  if (!token) {
    token = ensureLocalSigningKey(file).then((key) => signLocalToken(key, userId));
    tokens.set(userId, token);
  }
  return token;
}
