/** One JSON request to a running service; `raw` sends a body as is (malformed JSON tests). */
export async function requestJson(baseUrl: string, method: string, path: string, body?: unknown, raw?: string) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}
