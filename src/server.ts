// The one HTTP server that hosts every channel: health and readiness probes, security
// headers, JSON errors instead of stack traces, and a shutdown that lets in-flight turns finish.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type Response } from 'express';
import type { Channel } from './channels/channel.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export interface ServerOptions {
  config: Pick<Config, 'port' | 'host'>;
  channels: readonly Channel[];
  logger: Logger;
  /** Knowledge loaded and stores reachable; /readyz answers 503 until it resolves true. */
  isReady: () => boolean | Promise<boolean>;
  /** How long close() waits for in-flight requests before cutting connections. */
  drainTimeoutMs?: number;
}

export interface Server {
  app: Express;
  /** Starts listening on config.port (0 picks a free port); resolves with the base URL. */
  listen(): Promise<URL>;
  /** Stops accepting, waits for in-flight requests (up to drainTimeoutMs), then stops the channels. */
  close(): Promise<void>;
}

// Only our own origin: the web chat needs nothing from elsewhere at run time.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function sendJsonError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function createServer(options: ServerOptions): Server {
  const { config, channels, logger, isReady, drainTimeoutMs = 10_000 } = options;
  let closing = false;
  const open = new Set<Response>();

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    // Keep-alive clients must not send more requests on a connection we are draining.
    if (closing) res.set('Connection', 'close');
    open.add(res);
    res.on('close', () => open.delete(res));
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = !closing && (await checkReady(isReady, logger));
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : closing ? 'stopping' : 'starting' });
  });

  for (const channel of channels) channel.mount(app);

  app.use((req, res) => {
    sendJsonError(res, 404, 'not_found', `No route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler(logger));

  const http: HttpServer = createHttpServer(app);

  return {
    app,
    listen: () =>
      new Promise<URL>((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => {
          http.off('error', reject);
          resolve(baseUrl(http.address() as AddressInfo));
        });
      }),
    async close() {
      if (closing) return;
      closing = true;
      for (const channel of channels) channel.drain?.();
      for (const res of open) if (!res.headersSent) res.set('Connection', 'close');
      const drained = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      const timer = setTimeout(() => {
        logger.warn({ drainTimeoutMs }, 'in-flight requests still running at shutdown; closing their connections');
        http.closeAllConnections();
      }, drainTimeoutMs);
      await drained;
      clearTimeout(timer);
      await Promise.all(channels.map((channel) => channel.stop()));
    },
  };
}

async function checkReady(isReady: ServerOptions['isReady'], logger: Logger): Promise<boolean> {
  try {
    return await isReady();
  } catch (err) {
    logger.warn({ err }, 'readiness check failed');
    return false;
  }
}

/** The error code that goes with a client-error status, so that code and status never disagree. */
const CODE_OF_STATUS: Record<number, string> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  411: 'length_required',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Body-parser errors carry status and type (413 entity.too.large, 400 entity.parse.failed). */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const { status, type } = (err ?? {}) as { status?: unknown; type?: unknown };
    if (res.headersSent) {
      logger.error({ err, path: req.path }, 'error after the response started');
      res.end();
      return;
    }
    if (type === 'entity.too.large') return sendJsonError(res, 413, 'payload_too_large', 'Request body is too large');
    if (type === 'entity.parse.failed') return sendJsonError(res, 400, 'invalid_json', 'Request body is not valid JSON');
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // e.g. 415 for `application/json; charset=latin1` (body-parser's charset.unsupported).
      return sendJsonError(res, status, CODE_OF_STATUS[status] ?? 'bad_request', 'The request could not be processed');
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled request error');
    sendJsonError(res, 500, 'internal', 'Internal server error');
  };
}

function baseUrl(address: AddressInfo): URL {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return new URL(`http://${host}:${address.port}/`);
}
