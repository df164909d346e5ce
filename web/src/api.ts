import type { Lang } from './i18n';

export interface Session {
  token: string;
  expiresAt: string;
  user: string;
  /** The identity provider's end-session URL, where sign-out sends the browser (a session from the provider only). */
  signOutUrl?: string;
}

const KEY = 'ldl.session';

export function loadSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return s && Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}
export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

/** A refusal or error as the API answers it: the message, and the field or rule that refused. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message?: string; field?: string; rule?: string; basis?: string; errorId?: string },
  ) {
    super(body.message ?? `HTTP ${status}`);
  }
}

let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(f: () => void): void {
  onUnauthorized = f;
}
let language: Lang = 'zh';
export function setApiLanguage(lang: Lang): void {
  language = lang;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const session = loadSession();
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: {
      Accept: 'application/json',
      'Accept-Language': language === 'zh' ? 'zh-CN' : 'en',
      ...(session ? { Authorization: `Bearer ${session.token}` } : {}),
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : null;
  if (res.status === 401) onUnauthorized();
  if (!res.ok) throw new ApiError(res.status, (body ?? {}) as ApiError['body']);
  return body as T;
}
