import { DEFAULT_TEST_USER, tokenFor } from './auth';

/**
 * One JSON request to a running service as a user of the demo directory (`as`; null sends no token); `raw` sends a
 * body as is (malformed JSON tests).
 */
export async function requestJson(baseUrl: string, method: string, path: string, body?: unknown, raw?: string, as: string | null = DEFAULT_TEST_USER) {
  const headers: Record<string, string> = body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {};
  if (as !== null) headers.authorization = `Bearer ${await tokenFor(as)}`;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

/** The same request as another user (or none). */
export const requestAs = (as: string | null, baseUrl: string, method: string, path: string, body?: unknown) => requestJson(baseUrl, method, path, body, undefined, as);
