import { retryDelayMs, signWebhook, verifyWebhookSignature } from '../../src/notifications/webhook';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'case|reply|red|2026-11-20', level: 'red' });
  const now = 1_790_000_000;

  it('verifies a signature made with the shared secret', () => {
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', body, signWebhook('s3cret-s3cret-s3cret', body, now), now + 10)).toBe(true);
  });

  it.each([
    ['another secret', signWebhook('other-secret-other', body, now), body, now],
    ['an altered body', signWebhook('s3cret-s3cret-s3cret', body, now), body.replace('red', 'yellow'), now],
    ['a replay ten minutes later', signWebhook('s3cret-s3cret-s3cret', body, now), body, now + 600],
    ['a malformed header', 'sha256=abc', body, now],
  ])('refuses %s', (_, header, received, at) => {
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', received, header, at)).toBe(false);
  });

  it('backs off 5 s, 10 s, 20 s … up to an hour', () => {
    expect([1, 2, 3, 4, 20].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000, 3_600_000]);
  });
});
