import { DEFAULT_TEST_USER, tokenFor } from './auth';
import { DocumentedAnswers, documentedAnswers } from './documented';

const heldToDocument = new Map<string, DocumentedAnswers>();

/** From now on every answer of the service at baseUrl to requestJson is held to its OpenAPI document (documented.ts). */
export async function holdAnswersToDocument(baseUrl: string): Promise<DocumentedAnswers> {
  const answers = await documentedAnswers(baseUrl);
  heldToDocument.set(baseUrl, answers);
  return answers;
}

/**
 * One JSON request to a running service as a user of the demo directory (`as`; null sends no token); `raw` sends a
 * body as is (malformed JSON tests).
 */
export async function requestJson(baseUrl: string, method: string, path: string, body?: unknown, raw?: string, as: string | null = DEFAULT_TEST_USER) {
  // The API answers in Chinese unless asked otherwise; the suites read its English (language.e2e.spec.ts checks both).
  const headers: Record<string, string> = { 'accept-language': 'en', ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}) };
  if (as !== null) headers.authorization = `Bearer ${await tokenFor(as)}`;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  const answer = { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  return heldToDocument.get(baseUrl)?.check(method, path, answer) ?? answer;
}

/** The same request as another user (or none). */
export const requestAs = (as: string | null, baseUrl: string, method: string, path: string, body?: unknown) => requestJson(baseUrl, method, path, body, undefined, as);
