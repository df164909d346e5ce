import type { NextFunction, Request, Response } from 'express';
import type { Language, Said } from '../domain/said';

export type { Language } from '../domain/said';

/**
 * The caller's language from an Accept-Language header (RFC 9110 §12.5.4): the supported language of highest weight,
 * Chinese when the header is absent, names neither, or weighs them equally.
 */
export function languageOf(header: string | string[] | undefined): Language {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { language: Language; q: number } = { language: 'zh', q: 0 };
  for (const part of value.split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const primary = tag.trim().split('-')[0];
    const language: Language | null = primary === 'zh' ? 'zh' : primary === 'en' ? 'en' : null;
    if (!language) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    if (q > best.q || (q === best.q && language === 'zh')) best = { language, q };
  }
  return best.language;
}

export const languageOfRequest = (req: Request): Language => languageOf(req.headers['accept-language']);

/** The message of a text the API answers with, in the caller's language. */
export const inLanguage = (said: Said, language: Language): string => (language === 'en' ? said.en : said.zh);

/** Every answer names its language, and caches keep one answer per language. */
export function contentLanguage(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Language', languageOfRequest(req) === 'en' ? 'en' : 'zh-CN');
  res.vary('Accept-Language');
  next();
}
