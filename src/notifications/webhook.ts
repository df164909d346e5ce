import { createHmac, timingSafeEqual } from 'node:crypto';

export interface WebhookSettings {
  url: string;
  /** Shared with the receiver, which checks the signature (see verifyWebhookSignature). */
  secret: string;
  timeoutMs: number;
}

/**
 * `x-ldl-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the
 * shared secret and refuses old timestamps, so a captured message cannot be replayed later or altered.
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export function verifyWebhookSignature(secret: string, body: string, header: string | undefined, nowSeconds: number, toleranceSeconds = 300): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const t = Number(match[1]);
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, body, t).split('v1=')[1], 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

/** Backoff after the n-th failed attempt: 5 s, 10 s, 20 s, … capped at one hour. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(3_600_000, 5_000 * 2 ** Math.max(0, failedAttempts - 1));
}
