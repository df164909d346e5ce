import { localSigningKeyFile } from '../config/config';
import { DEMO_USERS } from '../auth/directory';
import { ensureLocalSigningKey, LOCAL_TOKEN_MAX_SECONDS, signLocalToken } from '../auth/local-signing-key';

/** `npm run token -- <user> [hours]`: prints a bearer token for a user of a local install's directory (at most 8 hours). */
async function main() {
  const [user, hoursArg] = process.argv.slice(2);
  if (!user) {
    console.error(`usage: npm run token -- <user> [hours]\n  demo users: ${DEMO_USERS.map((u) => `${u.id} (${u.roles.join(', ')} of unit ${u.unitId})`).join(', ')}`);
    process.exit(2);
  }
  if (process.env.AUTH_JWKS_URL) {
    console.error('AUTH_JWKS_URL is set: tokens come from your identity provider, not from this command');
    process.exit(2);
  }
  const maxHours = LOCAL_TOKEN_MAX_SECONDS / 3600;
  const hours = hoursArg === undefined ? maxHours : Number(hoursArg);
  if (!Number.isFinite(hours) || hours <= 0 || hours > maxHours) {
    console.error(`hours must be a number above 0 and at most ${maxHours} (the service refuses longer local tokens), got "${hoursArg}"`);
    process.exit(2);
  }
  if (!DEMO_USERS.some((u) => u.id === user)) console.error(`note: ${user} is not a demo user; the service answers 403 unless an administrator added them (PUT /users/${user})`);
  const key = await ensureLocalSigningKey(localSigningKeyFile());
  process.stdout.write(`${await signLocalToken(key, user, { ttlSeconds: Math.round(hours * 3600) })}\n`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
