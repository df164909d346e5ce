import type { INestApplication } from '@nestjs/common';
import express, { Request, Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';

// The app's own code, styles and images only: no third-party origin (the machines of a county office may reach no
// CDN). Ant Design writes its styles at run time, hence 'unsafe-inline' for styles only; scripts stay 'self'. The one
// other origin the app may call is the identity provider's, whose token endpoint the browser calls with the code.
function contentSecurityPolicy(identityProvider?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    identityProvider ? `connect-src 'self' ${new URL(identityProvider).origin}` : "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * The web app at `/` of the API's own port (no second server). Routes live after `#`, so no app path can shadow an
 * API path; only `/` and `/assets/*` are the app's. File names under assets/ carry their content hash: cached for good.
 */
export function serveWebApp(app: INestApplication, webDir: string, options: { identityProvider?: string } = {}): void {
  const policy = contentSecurityPolicy(options.identityProvider);
  const index = path.join(webDir, 'index.html');
  app.use('/assets', express.static(path.join(webDir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  app.use((req: Request, res: Response, next: () => void) => {
    if (req.path !== '/' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    if (!existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send('The web app is not built: run `npm run build` (npm start does it).\n');
      return;
    }
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
