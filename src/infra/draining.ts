import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * A stopping API: keep-alive clients under load would keep a closed server busy for minutes (measured: 185 s), so
 * once draining starts every response says `Connection: close`, idle sockets are closed at once, and whatever is
 * still open when the grace period ends is cut.
 */
export class Draining {
  private inFlight = 0;
  private started = false;

  get active(): boolean {
    return this.started;
  }

  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    this.inFlight++;
    res.once('close', () => this.inFlight--);
    if (this.started) res.setHeader('Connection', 'close');
    next();
  };

  async drain(server: Server, graceMs: number): Promise<{ cut: number; tookMs: number }> {
    const started = Date.now();
    this.started = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    while (this.inFlight > 0 && Date.now() - started < graceMs) {
      await new Promise((r) => setTimeout(r, 25));
      server.closeIdleConnections();
    }
    const cut = this.inFlight;
    server.closeAllConnections();
    await closed;
    return { cut, tookMs: Date.now() - started };
  }
}
